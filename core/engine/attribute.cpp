#include "engine/attribute.hpp"

#include <algorithm>

namespace conform::engine {

std::string attribute(const Failure& failure, const contract::Case& test_case, const contract::Contract& contract)
{
    if (!failure.rule.empty()) {
        return failure.rule;
    }
    auto covers = [&](const contract::Rule& rule) {
        return std::find(rule.covers.begin(), rule.covers.end(), failure.kind) != rule.covers.end();
    };
    for (const auto& id : test_case.rules) {
        const auto* rule = contract.rule(id);
        if (rule && covers(*rule)) {
            return id;
        }
    }
    // A probe of another operation sees that operation's answers: their rules, not the case's.
    for (const auto& rule : contract.rules()) {
        if (covers(rule)) {
            return rule.id;
        }
    }
    return test_case.rules.empty() ? std::string() : test_case.rules.front();
}

}  // namespace conform::engine
