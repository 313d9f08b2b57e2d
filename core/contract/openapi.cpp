#include "contract/openapi.hpp"

#include <algorithm>

#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "util/text.hpp"

namespace conform::contract {

const ResponseSpec* Operation::response_for(int status) const
{
    auto find = [this](const std::string& key) -> const ResponseSpec* {
        auto it = std::find_if(responses.begin(), responses.end(), [&](const ResponseSpec& r) { return r.key == key; });
        return it == responses.end() ? nullptr : &*it;
    };
    if (auto* exact = find(std::to_string(status))) {
        return exact;
    }
    if (auto* range = find(std::to_string(status / 100) + "XX")) {
        return range;
    }
    return find("default");
}

std::vector<Operation> read_operations(const std::filesystem::path& openapi_file)
{
    const auto doc = read_json_file(openapi_file);
    const auto file = openapi_file.string();
    std::vector<Operation> out;
    std::vector<Problem> problems;
    if (!doc.contains("paths") || !doc["paths"].is_object()) {
        throw ContractError(Problem{file, "/paths", "missing"});
    }
    static const std::vector<std::string> k_methods = {"get", "put", "post", "delete", "patch", "head", "options"};
    for (const auto& [path, item] : doc["paths"].items()) {
        for (const auto& method : k_methods) {
            if (!item.contains(method)) {
                continue;
            }
            const auto& op = item[method];
            const auto where = "/paths/" + util::pointer_token(path) + "/" + method;
            if (!op.contains("operationId") || !op["operationId"].is_string()) {
                problems.push_back({file, where + "/operationId", "missing"});
                continue;
            }
            Operation operation{op["operationId"].get<std::string>(), util::upper(method), path, {}};
            const auto responses = op.value("responses", nlohmann::json::object());
            for (const auto& [key, response] : responses.items()) {
                ResponseSpec spec{key, ""};
                if (response.contains("content")) {
                    const auto* ref = find_pointer(response, "/content/application~1json/schema/$ref");
                    if (!ref || !ref->is_string()) {
                        problems.push_back({file, where + "/responses/" + key + "/content",
                                            "needs application/json with a schema $ref to a schema file"});
                        continue;
                    }
                    spec.schema = ref->get<std::string>();
                }
                operation.responses.push_back(std::move(spec));
            }
            out.push_back(std::move(operation));
        }
    }
    if (!problems.empty()) {
        throw ContractError(std::move(problems));
    }
    return out;
}

}  // namespace conform::contract
