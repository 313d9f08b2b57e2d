// The words for a result, shared by every report so they say the same thing: a failure leads
// with the rule and the deviation, then the step as the case names it:
//   [T2] /error_code: got "VOD.10053", expected "VOD.10083" (step 2, DELETE
//   /v1.0/{project_id}/asset/process?asset_id={{a}})
#pragma once

#include <string>

#include "report/reporter.hpp"

namespace conform::report {

std::string step_text(const engine::StepRef& step);
std::string failure_line(const engine::Failure& failure, const engine::StepRef& step);
// One line: the first failure, or the error or skip reason (with its step); for a passed case
// the baseline lists, that it is fixed.
std::string headline(const engine::CaseResult& result);
// What the baseline says of the case ("known deviation: REASON", "fixed: remove it from the
// baseline ..."); empty when no baseline lists it.
std::string baseline_note(const engine::CaseResult& result);
// Every failure, one a line, then the text and source of each rule that failed.
std::string details(const engine::CaseResult& result, const ReportContext& context);
// The exchanges as sent and received, one block per step (credentials already masked).
std::string transcript(const engine::CaseResult& result);
// Seconds with '.' and 3 decimals, whatever the locale.
std::string seconds(double value);
// The distinct rules the failures name, in order of appearance.
std::vector<std::string> failed_rules(const engine::CaseResult& result);

}  // namespace conform::report
