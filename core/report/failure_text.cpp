#include "report/failure_text.hpp"

#include <algorithm>
#include <cstdio>

namespace conform::report {

std::string step_text(const engine::StepRef& step)
{
    return "step " + std::to_string(step.index + 1) + ", " + step.method + " " + step.target +
           (step.note.empty() ? "" : ", " + step.note);
}

std::string failure_line(const engine::Failure& failure, const engine::StepRef& step)
{
    std::string out = "[" + failure.rule + "] " + failure.where + ": ";
    out += failure.expected.empty() ? failure.got : "got " + failure.got + ", expected " + failure.expected;
    return out + " (" + step_text(step) + ")";
}

std::string baseline_note(const engine::CaseResult& result)
{
    if (!result.baseline) {
        return "";
    }
    const auto& b = *result.baseline;
    switch (b.state) {
    case engine::KnownDeviation::State::known:
        return "known deviation: " + b.reason;
    case engine::KnownDeviation::State::expired:
        return "known deviation, baseline entry expired " + b.expires + ": " + b.reason;
    case engine::KnownDeviation::State::fixed:
        return "fixed: remove it from the baseline (known deviation: " + b.reason + ")";
    }
    return "";
}

std::string headline(const engine::CaseResult& result)
{
    if (result.outcome == engine::Outcome::passed && result.baseline) {
        return baseline_note(result);
    }
    // A failed step a lost premise explains leads with why it is no verdict, then the deviation.
    const bool explained =
        result.cause == engine::Cause::premise_lost || result.outcome == engine::Outcome::inconclusive;
    if (!result.failures.empty() && result.step) {
        const auto line = failure_line(result.failures.front(), *result.step);
        return explained ? result.message + "; " + line : line;
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

std::string seconds(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3f", value < 0 ? 0.0 : value);
    return buffer;
}

std::string transcript(const engine::CaseResult& result)
{
    std::string out;
    for (const auto& ex : result.exchanges) {
        out += "\n--- " + ex.step + "\n> " + ex.request.method + " " + ex.request.target() + "\n";
        for (const auto& h : ex.request.headers) {
            out += "> " + h.name + ": " + h.value + "\n";
        }
        if (!ex.request.body.empty()) {
            out += ex.request.body + "\n";
        }
        if (ex.response) {
            out += "< " + std::to_string(ex.response->status) + " (" + seconds(ex.seconds) + " s)\n";
            for (const auto& h : ex.response->headers) {
                out += "< " + h.name + ": " + h.value + "\n";
            }
            if (!ex.response->body.empty()) {
                out += ex.response->body + "\n";
            }
        } else {
            out += "< (no response)\n";
        }
    }
    return out;
}

std::string details(const engine::CaseResult& result, const ReportContext& context)
{
    const auto note = result.baseline && result.outcome != engine::Outcome::passed ? baseline_note(result) + "\n" : "";
    if (result.failures.empty() || !result.step) {
        return note + headline(result) + "\n";
    }
    std::string out = note;
    for (const auto& f : result.failures) {
        out += failure_line(f, *result.step) + "\n";
    }
    for (const auto& id : failed_rules(result)) {
        if (const auto* rule = context.rule(id)) {
            out += "\n" + id + " (" + contract::to_string(rule->level) + "): " + rule->text +
                   "\n  source: " + rule->source + "\n";
        }
    }
    return out;
}

}  // namespace conform::report
