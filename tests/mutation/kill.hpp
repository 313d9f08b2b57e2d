// When a mutation counts as killed, read from one case of the results `conform run --json`
// writes (schemas/results.schema.json): the case failed (an error or a skip proves nothing) and
// a failure's rule, the rule of the expectation that failed rather than any rule the case
// lists, is one the mutation breaks.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace conform::mutation {

inline bool fails_on_any(const nlohmann::json& result, const std::vector<std::string>& rules)
{
    const auto& failures = result.at("failures");
    return result.at("outcome") == "failed" &&
           std::any_of(failures.begin(), failures.end(), [&](const nlohmann::json& f) {
               return std::find(rules.begin(), rules.end(), f.at("rule").get<std::string>()) != rules.end();
           });
}

// The mutations of transient states (a running task cancelled, a processing asset deleted): only
// a case whose fixture is caught in that state, its premise holding, can kill them.
inline const std::vector<std::string>& transient_state_mutations()
{
    static const std::vector<std::string> names = {"transcode-cancel-running", "extract-cancel-running",
                                                   "delete-processing-assets"};
    return names;
}

}  // namespace conform::mutation
