// Results as the runner hands them to the reporters: judged (core/judge), each deviation at the
// level of its rule, or of its case where the rule is not among those given.
#pragma once

#include "judge/judge.hpp"

namespace test_judged {

inline void judge(conform::engine::CaseResult& result, bool strict = false,
                  const std::vector<conform::contract::Rule>& rules = {})
{
    conform::judge::Policy policy;
    policy.strict = strict;
    conform::judge::judge(result, conform::judge::rule_levels(rules), policy);
}

inline void judge(conform::engine::RunResult& run, bool strict = false,
                  const std::vector<conform::contract::Rule>& rules = {})
{
    for (auto& r : run.cases) {
        judge(r, strict, rules);
    }
}

}  // namespace test_judged
