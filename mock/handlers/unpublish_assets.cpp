// UnpublishAssets, POST /v1.0/{project_id}/asset/status/unpublish (vod_04_0021): sets each
// asset unpublished and answers one AssetInfo per requested id.
#include "handlers/handlers.hpp"

namespace vod_mock::handlers {

conform::http::Response unpublish_assets(const Context& ctx, const conform::http::Request& request)
{
    auto body = json_object_body(request);
    if (body && ctx.on(Mutation::unpublish_nested_ids_flattened) && body->contains("asset_id") &&
        (*body)["asset_id"].is_array()) {
        auto flat = nlohmann::json::array();
        for (const auto& id : (*body)["asset_id"]) {
            for (const auto& inner : id.is_array() ? id : nlohmann::json::array({id})) {
                flat.push_back(inner);
            }
        }
        (*body)["asset_id"] = flat;
    }
    auto checked = asset_id_array(body, ctx.on(Mutation::unpublish_empty_id_accepted));
    if (!checked) {
        if (ctx.on(Mutation::unpublish_malformed_body_500)) {
            return error_reply(ctx.config, 500, "VOD.10051", "Internal system error.");
        }
        if (body && !body->contains("asset_id") && ctx.on(Mutation::unpublish_missing_asset_id_200)) {
            return json_reply(ctx.config, 200, {{"asset_info_array", nlohmann::json::array()}});
        }
        return illegal_parameter(ctx.config, body ? "asset_id" : "body");
    }
    auto ids = std::move(*checked);
    if (ctx.on(Mutation::unpublish_first_id_only)) {
        ids.resize(1);
    }
    // The documents allow this answer as well as 200 with NOASSET entries (U5).
    if (ctx.on(Mutation::unpublish_unknown_ids_403) && ctx.store.transact([&](Assets& assets) {
            return std::none_of(ids.begin(), ids.end(), [&](const std::string& id) { return assets.count(id) > 0; });
        })) {
        return error_reply(ctx.config, 403, k_not_found_code, k_not_found_message);
    }
    auto infos = ctx.store.transact([&](Assets& assets) {
        auto out = nlohmann::json::array();
        for (const auto& id : ids) {
            auto it = assets.find(id);
            if (it == assets.end()) {
                if (!ctx.on(Mutation::unpublish_drops_unknown_ids)) {
                    out.push_back(
                        {{"asset_id", id},
                         {"status", ctx.on(Mutation::unpublish_unknown_status_value) ? "NOT_EXIST" : "NOASSET"},
                         {"description", "no asset"}});
                }
                continue;
            }
            if (it->second.stage == Stage::published && !ctx.on(Mutation::unpublish_keeps_published)) {
                it->second.stage = Stage::created;
            }
            auto info = it->second.info();
            if (ctx.on(Mutation::unpublish_category_id_string)) {
                info["base_info"]["category_id"] = info["base_info"]["category_id"].dump();
            }
            out.push_back(std::move(info));
        }
        if (ctx.on(Mutation::unpublish_drops_description)) {
            for (auto& entry : out) {
                entry.erase("description");  // optional in AssetInfo
            }
        }
        return out;
    });
    return json_reply(ctx.config, ctx.on(Mutation::unpublish_status_201) ? 201 : 200, {{"asset_info_array", infos}});
}

}  // namespace vod_mock::handlers
