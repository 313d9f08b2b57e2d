#include "report/reporter.hpp"

#include <unistd.h>

namespace conform::report {

std::string local_hostname()
{
    char buffer[256] = {};
    return ::gethostname(buffer, sizeof buffer - 1) == 0 ? buffer : "localhost";
}

const contract::Rule* ReportContext::rule(const std::string& id) const
{
    for (const auto& r : rules) {
        if (r.id == id) {
            return &r;
        }
    }
    return nullptr;
}

bool gates(const engine::CaseResult& result, bool strict)
{
    if (result.baseline) {
        return result.baseline->gates;  // only failed and passed cases carry a baseline mark
    }
    if (result.outcome == engine::Outcome::error) {
        return true;
    }
    return result.outcome == engine::Outcome::failed && (strict || result.test_case->level == contract::Level::must);
}

Verdict verdict(const engine::CaseResult& result, bool strict)
{
    if (result.baseline && result.baseline->gates) {
        return Verdict::failed;
    }
    if (result.baseline && result.outcome == engine::Outcome::failed) {
        return Verdict::known;
    }
    switch (result.outcome) {
    case engine::Outcome::passed:
        return Verdict::passed;
    case engine::Outcome::skipped:
        return result.cause == engine::Cause::premise_lost ? Verdict::premise_lost : Verdict::skipped;
    case engine::Outcome::inconclusive:
        return Verdict::inconclusive;
    case engine::Outcome::error:
        return Verdict::error;
    case engine::Outcome::failed:
        return gates(result, strict) ? Verdict::failed : Verdict::warned;
    }
    return Verdict::error;
}

std::string to_string(Verdict verdict)
{
    switch (verdict) {
    case Verdict::passed:
        return "passed";
    case Verdict::failed:
        return "failed";
    case Verdict::warned:
        return "warned";
    case Verdict::error:
        return "error";
    case Verdict::skipped:
        return "skipped";
    case Verdict::known:
        return "known";
    case Verdict::premise_lost:
        return "premise_lost";
    case Verdict::inconclusive:
        return "inconclusive";
    }
    return "?";
}

void Tally::add(Verdict v)
{
    switch (v) {
    case Verdict::passed:
        ++passed;
        break;
    case Verdict::failed:
        ++failed;
        break;
    case Verdict::warned:
        ++warned;
        break;
    case Verdict::error:
        ++errors;
        break;
    case Verdict::skipped:
        ++skipped;
        break;
    case Verdict::known:
        ++known;
        break;
    case Verdict::premise_lost:
        ++premise_lost;
        break;
    case Verdict::inconclusive:
        ++inconclusive;
        break;
    }
}

}  // namespace conform::report
