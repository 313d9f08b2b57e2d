#include "engine/attribute.hpp"

#include <algorithm>

namespace conform::engine {

std::string attribute(const Failure& failure, const contract::Case& test_case, const contract::Contract& contract)
{
    if (!failure.rule.empty()) {
        return failure.rule;
    }
    for (const auto& id : test_case.rules) {
        const auto* rule = contract.rule(id);
        if (rule && std::find(rule->covers.begin(), rule->covers.end(), failure.kind) != rule->covers.end()) {
            return id;
        }
    }
    return test_case.rules.empty() ? std::string() : test_case.rules.front();
}

}  // namespace conform::engine
