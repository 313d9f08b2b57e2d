#include "report/failure_text.hpp"

#include <algorithm>

namespace conform::report {

std::string step_text(const engine::StepRef& step)
{
    return "step " + std::to_string(step.index + 1) + ", " + step.method + " " + step.target;
}

std::string failure_line(const engine::Failure& failure, const engine::StepRef& step)
{
    std::string out = "[" + failure.rule + "] " + failure.where + ": ";
    out += failure.expected.empty() ? failure.got : "got " + failure.got + ", expected " + failure.expected;
    return out + " (" + step_text(step) + ")";
}

std::string headline(const engine::CaseResult& result)
{
    if (!result.failures.empty() && result.step) {
        return failure_line(result.failures.front(), *result.step);
    }
    return result.step ? result.message + " (" + step_text(*result.step) + ")" : result.message;
}

std::vector<std::string> failed_rules(const engine::CaseResult& result)
{
    std::vector<std::string> out;
    for (const auto& f : result.failures) {
        if (std::find(out.begin(), out.end(), f.rule) == out.end()) {
            out.push_back(f.rule);
        }
    }
    return out;
}

std::string details(const engine::CaseResult& result, const ReportContext& context)
{
    if (result.failures.empty() || !result.step) {
        return headline(result) + "\n";
    }
    std::string out;
    for (const auto& f : result.failures) {
        out += failure_line(f, *result.step) + "\n";
    }
    for (const auto& id : failed_rules(result)) {
        if (const auto* rule = context.rule(id)) {
            out += "\n" + id + " (" + contract::to_string(rule->level) + "): " + rule->text + "\n  source: " + rule->source + "\n";
        }
    }
    return out;
}

}  // namespace conform::report
