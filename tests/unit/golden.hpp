// Approval testing of whole reports (in the manner of Catch2's tests/SelfTest/Baselines): a
// report is normalised (what differs from run to run or machine to machine becomes a
// placeholder) and compared with its approved copy under tests/golden/; a difference fails with
// a unified diff. CONFORM_APPROVE=1 writes the normalised report over the approved copy instead.
// tests/golden/README.md lists the normalisations and how to approve.
#pragma once

#include <string>

namespace conform::golden {

// Dates, durations, ports, random ids and conform's version replaced by {date}, {s}, {port},
// {id} and {version}.
std::string normalise(std::string text);

// A unified diff (3 lines of context) from approved to actual; empty when they are equal.
std::string unified_diff(const std::string& approved, const std::string& actual, const std::string& name);

}  // namespace conform::golden
