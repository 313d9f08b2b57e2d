// DeleteAssets, DELETE /v1.0/{project_id}/asset?asset_id=... (vod_04_0024): 1 to 10 ids, as
// repeated keys or comma-separated; assets being processed are not deleted.
#include "handlers/handlers.hpp"

#include <set>

namespace vod_mock::handlers {

namespace {

std::vector<std::string> requested_ids(const Context& ctx, const conform::http::Request& request)
{
    return id_list(query_values(request, "asset_id"),
                   {!ctx.on(Mutation::delete_comma_list_not_split), !ctx.on(Mutation::delete_comma_space_not_trimmed)});
}

// At most ten ids in one call, repeats counted.
bool over_batch_limit(const Context& ctx, const std::vector<std::string>& ids)
{
    if (ctx.on(Mutation::delete_no_batch_limit)) {
        return false;
    }
    const auto limit = ctx.on(Mutation::delete_limit_off_by_one) ? k_max_ids_per_call - 1 : k_max_ids_per_call;
    const auto counted = ctx.on(Mutation::delete_limit_counts_distinct)
                             ? std::set<std::string>(ids.begin(), ids.end()).size()
                             : ids.size();
    return counted > limit;
}

}  // namespace

conform::http::Response delete_assets(const Context& ctx, const conform::http::Request& request)
{
    auto ids = requested_ids(ctx, request);
    if (ids.empty() || over_batch_limit(ctx, ids)) {
        return illegal_parameter("asset_id");
    }
    // delete_type, when given, is once and "origin" (only the source file goes; the mock keeps no files).
    const auto types = query_values(request, "delete_type");
    if ((types.size() > 1 || (types.size() == 1 && types.front() != "origin")) &&
        !ctx.on(Mutation::delete_type_unchecked)) {
        return illegal_parameter("delete_type");
    }
    auto results = ctx.store.transact([&](Assets& assets) {
        auto out = nlohmann::json::array();
        for (const auto& id : ids) {
            auto it = assets.find(id);
            std::string status = "FAILED";
            if (it == assets.end()) {
                status = ctx.on(Mutation::delete_unknown_reported_deleted) ? "DELETED" : "FAILED";
            } else if (!it->second.processing() || ctx.on(Mutation::delete_processing_assets)) {
                if (!ctx.on(Mutation::delete_reports_but_keeps)) {
                    ctx.store.erase(assets, it);
                }
                status = "DELETED";
            }
            out.push_back({{"asset_id", id}, {"status", status}});
        }
        return out;
    });
    return json_reply(200, {{"delete_result_array", results}});
}

}  // namespace vod_mock::handlers
