// A curl command that resends a step's request, for a person reproducing a failure. Credentials
// are environment variable references, never values: the exchanges hold them masked anyway.
#pragma once

#include <optional>
#include <string>

#include "report/reporter.hpp"

namespace conform::report {

// The curl line for the exchange of result's failing (or erring) step; none without one.
std::optional<std::string> curl_line(const engine::CaseResult& result, const ReportContext& context);

}  // namespace conform::report
