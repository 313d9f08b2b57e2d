// UnpublishAssets, POST /v1.0/{project_id}/asset/status/unpublish (vod_04_0021): sets each
// asset unpublished and answers one AssetInfo per requested id.
#include "handlers/handlers.hpp"

namespace vod_mock::handlers {

conform::http::Response unpublish_assets(const Context& ctx, const conform::http::Request& request)
{
    const auto body = json_object_body(request);
    auto checked = asset_id_array(body, ctx.on(Mutation::unpublish_empty_id_accepted));
    if (!checked) {
        return illegal_parameter(body ? "asset_id" : "body");
    }
    auto ids = std::move(*checked);
    if (ctx.on(Mutation::unpublish_first_id_only)) {
        ids.resize(1);
    }
    auto infos = ctx.store.transact([&](Assets& assets) {
        auto out = nlohmann::json::array();
        for (const auto& id : ids) {
            auto it = assets.find(id);
            if (it == assets.end()) {
                out.push_back({{"asset_id", id}, {"status", "NOASSET"}, {"description", "no asset"}});
                continue;
            }
            if (it->second.stage == Stage::published && !ctx.on(Mutation::unpublish_keeps_published)) {
                it->second.stage = Stage::created;
            }
            out.push_back(it->second.info());
        }
        return out;
    });
    return json_reply(200, {{"asset_info_array", infos}});
}

}  // namespace vod_mock::handlers
