#include "handlers/handlers.hpp"

namespace vod_mock::handlers {

std::vector<std::string> query_values(const conform::http::Request& request, const std::string& key)
{
    std::vector<std::string> out;
    for (const auto& [k, v] : request.query) {
        if (k == key) {
            out.push_back(v);
        }
    }
    return out;
}

std::optional<nlohmann::json> json_object_body(const conform::http::Request& request)
{
    auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return std::nullopt;
    }
    return body;
}

}  // namespace vod_mock::handlers
