// ConfirmAssetUpload, POST /v1.0/{project_id}/asset/status/uploaded (vod_04_0198): reports the
// end of an upload with CREATED, FAILED or CANCELLED; answers the asset_id. An asset made by
// CreateAssetByFileUpload confirms CREATED only once its file was PUT, and then starts what its
// create request asked for (auto_publish, template_group_name, thumbnail, review).
#include "handlers/handlers.hpp"

#include <algorithm>
#include <cctype>

namespace vod_mock::handlers {

namespace {

enum class ConfirmOutcome { confirmed, no_such_asset, wrong_state };

std::optional<Stage> stage_after(const std::string& status)
{
    if (status == "CREATED") {
        return Stage::created;
    }
    if (status == "FAILED") {
        return Stage::upload_failed;
    }
    if (status == "CANCELLED") {
        return Stage::upload_cancelled;
    }
    return std::nullopt;
}

}  // namespace

conform::http::Response confirm_asset_upload(const Context& ctx, const conform::http::Request& request)
{
    auto body = json_object_body(request);
    if (!body && ctx.on(Mutation::confirm_body_array_accepted)) {
        auto parsed = nlohmann::json::parse(request.body, nullptr, false);
        if (parsed.is_array() && !parsed.empty() && parsed[0].is_object()) {
            body = parsed[0];
        }
    }
    if (body && ctx.on(Mutation::confirm_status_array_accepted) && body->contains("status") &&
        (*body)["status"].is_array() && !(*body)["status"].empty()) {
        (*body)["status"] = nlohmann::json((*body)["status"][0]);
    }
    if (!body) {
        return illegal_parameter(ctx.config, "body");
    }
    if (!body->contains("asset_id") || !(*body)["asset_id"].is_string() ||
        (*body)["asset_id"].get<std::string>().empty()) {
        return illegal_parameter(ctx.config, "asset_id");
    }
    if (!body->contains("status") || !(*body)["status"].is_string()) {
        return illegal_parameter(ctx.config, "status");
    }
    const auto id = (*body)["asset_id"].get<std::string>();
    const auto status = (*body)["status"].get<std::string>();
    auto next = stage_after(status);
    if (ctx.on(Mutation::confirm_accepts_any_status) && !next) {
        next = Stage::created;
    }
    if (!next && ctx.on(Mutation::confirm_refusal_still_applies)) {
        auto upper = status;
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        if (auto applied = stage_after(upper)) {
            ctx.store.transact([&](Assets& assets) {
                auto it = assets.find(id);
                if (it != assets.end() && it->second.stage == Stage::creating) {
                    it->second.stage = *applied;
                }
            });
        }
    }
    if (!next || (status == "FAILED" && ctx.on(Mutation::confirm_rejects_failed_status))) {
        return illegal_parameter(ctx.config, "status");
    }
    auto outcome = ctx.store.transact([&](Assets& assets) {
        auto it = assets.find(id);
        if (it == assets.end()) {
            return ctx.on(Mutation::confirm_unknown_asset_200) ? ConfirmOutcome::confirmed
                                                               : ConfirmOutcome::no_such_asset;
        }
        auto& asset = it->second;
        // An asset made through the API is CREATED once its file is there.
        if (asset.stage != Stage::creating || (asset.upload && asset.upload->bytes == 0 && *next == Stage::created)) {
            return ConfirmOutcome::wrong_state;
        }
        asset.stage = *next;
        if (asset.upload && *next == Stage::created) {
            // What the create request asked for starts now: publishing, transcode, snapshot, review.
            if (asset.upload->on_confirm.value("auto_publish", 0) == 1) {
                asset.stage = Stage::published;
            }
            start_processing(ctx.store, asset, asset.upload->on_confirm);
        }
        if (ctx.on(Mutation::confirm_loses_asset)) {
            assets.erase(it);
        }
        return ConfirmOutcome::confirmed;
    });
    switch (outcome) {
    case ConfirmOutcome::confirmed: {
        auto echoed = id;
        if (ctx.on(Mutation::confirm_echoes_wrong_id)) {
            std::reverse(echoed.begin(), echoed.end());
        }
        return json_reply(ctx.config, 200, {{"asset_id", echoed}});
    }
    case ConfirmOutcome::no_such_asset:
        return error_reply(ctx.config, 403, k_not_found_code, k_not_found_message);
    case ConfirmOutcome::wrong_state:
        break;
    }
    return error_reply(ctx.config, 400, k_bad_state_code, k_bad_state_message);
}

}  // namespace vod_mock::handlers
