#include "judge/judge.hpp"

#include <algorithm>

namespace conform::judge {

namespace {

using contract::Level;
using engine::Outcome;
using engine::Verdict;

// A deviation is as grave as the gravest rule it breaks; a rule the contract does not know
// (a loaded result's, a test's) counts at the case's level.
Level deviation_level(const engine::CaseResult& result, const std::map<std::string, Level>& levels)
{
    const auto case_level = result.test_case.level;
    if (result.failures.empty()) {
        return case_level;
    }
    return std::any_of(result.failures.begin(), result.failures.end(),
                       [&](const engine::Failure& f) {
                           const auto it = levels.find(f.rule);
                           return (it == levels.end() ? case_level : it->second) == Level::must;
                       })
               ? Level::must
               : Level::should;
}

engine::Judgement unmarked(const engine::CaseResult& result, const std::map<std::string, Level>& levels, bool strict)
{
    const auto case_level = result.test_case.level;
    switch (result.outcome) {
    case Outcome::passed:
        return {Verdict::passed, case_level, false};
    case Outcome::error:
        return {Verdict::error, case_level, false};
    case Outcome::inconclusive:
        return {Verdict::inconclusive, case_level, strict || case_level == Level::must};
    case Outcome::skipped:
        // A case that cannot apply to these credentials is no gap in the run; one whose premise
        // was lost is: the run proves nothing about it.
        return {result.cause == engine::Cause::premise_lost ? Verdict::premise_lost : Verdict::skipped, case_level,
                result.cause != engine::Cause::not_applicable && (strict || case_level == Level::must)};
    case Outcome::failed:
        break;
    }
    const auto level = deviation_level(result, levels);
    return {strict || level == Level::must ? Verdict::failed : Verdict::warned, level, false};
}

}  // namespace

std::map<std::string, Level> rule_levels(const std::vector<contract::Rule>& rules)
{
    std::map<std::string, Level> out;
    for (const auto& r : rules) {
        out[r.id] = r.level;
    }
    return out;
}

void judge(engine::CaseResult& result, const std::map<std::string, Level>& levels, const Policy& policy)
{
    result.baseline = compare::mark(policy.baseline, result, policy.known);
    result.judgement = unmarked(result, levels, policy.strict);
    if (!result.baseline) {
        return;
    }
    // Only failed and passed cases carry a mark: a listed deviation is known unless its entry
    // gates (--strict-baseline: fixed or expired).
    if (result.baseline->gates) {
        result.judgement.verdict = Verdict::failed;
    } else if (result.outcome == Outcome::failed) {
        result.judgement.verdict = Verdict::known;
    }
}

void Judge::case_finished(const engine::CaseResult& result)
{
    auto judged = result;
    judge(judged, m_levels, m_policy);
    m_judged[result.test_case.id] = {judged.baseline, judged.judgement};
    m_next.case_finished(judged);
}

void Judge::apply(engine::RunResult& run) const
{
    for (auto& r : run.cases) {
        const auto it = m_judged.find(r.test_case.id);
        if (it == m_judged.end()) {
            judge(r, m_levels, m_policy);
            continue;
        }
        r.baseline = it->second.baseline;
        r.judgement = it->second.judgement;
    }
}

}  // namespace conform::judge
