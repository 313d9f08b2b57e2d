#include <algorithm>

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

std::vector<std::string> id_list(const std::vector<std::string>& values, IdListing how)
{
    std::vector<std::string> ids;
    for (const auto& value : values) {
        std::size_t start = 0;
        while (start <= value.size()) {
            const auto comma = how.split_commas ? value.find(',', start) : std::string::npos;
            auto id = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (how.trim) {
                const auto first = id.find_first_not_of(' ');
                const auto last = id.find_last_not_of(' ');
                id = first == std::string::npos ? "" : id.substr(first, last - first + 1);
            }
            if (!id.empty()) {
                ids.push_back(id);
            }
            if (comma == std::string::npos) {
                break;
            }
            start = comma + 1;
        }
    }
    return ids;
}

bool within_tag_limits(const std::vector<std::string>& tags)
{
    const std::size_t k_max_tags = 16;
    const std::size_t k_max_tag_bytes = 16;
    return tags.size() <= k_max_tags &&
           std::none_of(tags.begin(), tags.end(), [&](const auto& t) { return t.size() > k_max_tag_bytes; });
}

std::optional<nlohmann::json> json_object_body(const conform::http::Request& request)
{
    auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return std::nullopt;
    }
    return body;
}

std::optional<std::vector<std::string>> asset_id_array(const std::optional<nlohmann::json>& body,
                                                       bool empty_ids_accepted)
{
    // Ids are non-empty strings (schemas/unpublish-assets-request.schema.json).
    const bool ok = body && body->contains("asset_id") && (*body)["asset_id"].is_array() &&
                    !(*body)["asset_id"].empty() &&
                    std::all_of((*body)["asset_id"].begin(), (*body)["asset_id"].end(), [&](const nlohmann::json& id) {
                        return id.is_string() && (!id.get_ref<const std::string&>().empty() || empty_ids_accepted);
                    });
    return ok ? std::optional((*body)["asset_id"].get<std::vector<std::string>>()) : std::nullopt;
}

}  // namespace vod_mock::handlers
