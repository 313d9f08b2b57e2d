// The one place that decides a verdict. Each engine result is judged once, before any reporter
// sees it: its level from the rules that failed (not the case's), --strict, the run's baseline
// of known deviations, and what a skip or an inconclusive run means for the exit code.
// Reporters and the exit code read CaseResult::judgement and nothing else.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compare/baseline.hpp"
#include "contract/contract.hpp"
#include "engine/run.hpp"

namespace conform::judge {

struct Policy {
    bool strict = false;            // --strict: SHOULD deviations and skips count like MUST ones
    compare::Baseline baseline;     // --baseline: known deviations (empty: none)
    compare::BaselinePolicy known;  // the date for expiry; --strict-baseline
};

// The levels of the contract's rules, by id.
std::map<std::string, contract::Level> rule_levels(const std::vector<contract::Rule>& rules);

// Judges one result: sets its baseline mark and its judgement.
void judge(engine::CaseResult& result, const std::map<std::string, contract::Level>& levels, const Policy& policy);

// Judges each finished case on its way to the reporters (next), and keeps the judgements so
// that the finished run carries them too, without judging anything twice.
class Judge final : public engine::RunListener {
  public:
    Judge(const std::vector<contract::Rule>& rules, Policy policy, engine::RunListener& next)
        : m_levels(rule_levels(rules)), m_policy(std::move(policy)), m_next(next)
    {
    }
    void case_finished(const engine::CaseResult& result) override;
    // The judgements made on the way, onto the run's results; a case not seen (none, normally)
    // is judged here.
    void apply(engine::RunResult& run) const;

  private:
    struct Judged {
        std::optional<engine::KnownDeviation> baseline;
        engine::Judgement judgement;
    };
    std::map<std::string, contract::Level> m_levels;
    Policy m_policy;
    engine::RunListener& m_next;
    std::map<std::string, Judged> m_judged;  // by case id
};

}  // namespace conform::judge
