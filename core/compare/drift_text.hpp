// Drift in words: plain text for a terminal or log, or Markdown for a job summary or a
// merge-request note (conform diff --markdown).
#pragma once

#include <string>

#include "compare/diff.hpp"

namespace conform::compare {

enum class DriftFormat { text, markdown };

// before and after name the two runs (file names, run names) in the heading.
std::string drift_text(const Drift& drift, const std::string& before, const std::string& after, DriftFormat format);

}  // namespace conform::compare
