// PublishAssets, POST /v1.0/{project_id}/asset/status/publish (vod_04_0020): publishes each
// uploaded asset and answers one AssetInfo per requested id, as UnpublishAssets does. An asset
// not yet uploaded (or failed) stays as it is and is answered with its status.
#include <algorithm>

#include "handlers/handlers.hpp"

namespace vod_mock::handlers {

conform::http::Response publish_assets(const Context& ctx, const conform::http::Request& request)
{
    const auto body = json_object_body(request);
    const auto ids = asset_id_array(body);
    if (!ids) {
        return illegal_parameter(body ? "asset_id" : "body");
    }
    auto infos = ctx.store.transact([&](Assets& assets) {
        auto out = nlohmann::json::array();
        for (const auto& id : *ids) {
            auto it = assets.find(id);
            if (it == assets.end()) {
                out.push_back({{"asset_id", id}, {"status", "NOASSET"}, {"description", "no asset"}});
                continue;
            }
            if (it->second.stage == Stage::created) {
                it->second.stage = Stage::published;
            }
            out.push_back(it->second.info());
        }
        return out;
    });
    return json_reply(200, {{"asset_info_array", infos}});
}

}  // namespace vod_mock::handlers
