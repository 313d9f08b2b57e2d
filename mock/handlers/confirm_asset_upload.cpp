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

// The mutation confirm-refusal-still-applies: the status upper-cased, applied before the refusal.
void apply_upper_case(AssetStore& store, const std::string& id, std::string status)
{
    std::transform(status.begin(), status.end(), status.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (auto applied = stage_after(status)) {
        store.transact([&](Assets& assets) {
            auto it = assets.find(id);
            if (it != assets.end() && it->second.stage == Stage::creating) {
                it->second.stage = *applied;
            }
        });
    }
}

}  // namespace

conform::http::Response confirm_asset_upload(const Context& ctx, const conform::http::Request& request)
{
    const auto body = json_object_body(request);
    if (!body) {
        return illegal_parameter("body");
    }
    if (!body->contains("asset_id") || !(*body)["asset_id"].is_string() ||
        (*body)["asset_id"].get<std::string>().empty()) {
        return illegal_parameter("asset_id");
    }
    if (!body->contains("status") || !(*body)["status"].is_string()) {
        return illegal_parameter("status");
    }
    const auto id = (*body)["asset_id"].get<std::string>();
    const auto status = (*body)["status"].get<std::string>();
    const auto next = stage_after(status);
    if (!next && ctx.on(Mutation::confirm_refusal_still_applies)) {
        apply_upper_case(ctx.store, id, status);
    }
    if (!next || (status == "FAILED" && ctx.on(Mutation::confirm_rejects_failed_status))) {
        return illegal_parameter("status");
    }
    auto outcome = ctx.store.transact([&](Assets& assets) {
        auto it = assets.find(id);
        if (it == assets.end()) {
            return ConfirmOutcome::no_such_asset;
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
    case ConfirmOutcome::confirmed:
        return json_reply(200, {{"asset_id", id}});
    case ConfirmOutcome::no_such_asset:
        return error_reply(403, k_not_found_code, k_not_found_message);
    case ConfirmOutcome::wrong_state:
        break;
    }
    return error_reply(400, k_bad_state_code, k_bad_state_message);
}

}  // namespace vod_mock::handlers
