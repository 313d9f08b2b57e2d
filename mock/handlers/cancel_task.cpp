// CancelAssetTranscodeTask (DELETE .../asset/process, vod_04_0192) and CancelExtractAudioTask
// (DELETE .../asset/extract_audio, vod_04_0193): only a queued task can be cancelled; 204.
// The two differ only in the task they look at, so one function serves both.
#include "handlers/handlers.hpp"

namespace vod_mock::handlers {

namespace {

// The mutations that change what one of the two operations does (Mutation::none where none does);
// the ones that only rewrite its reply are in rewrites.cpp.
struct CancelMutations {
    Mutation cancel_running;
    Mutation idle_cancelled;  // an asset without such a task: "cancelled"
    Mutation task_kept = Mutation::none;
    Mutation repeated_id_refused_but_applied = Mutation::none;
};

enum class CancelOutcome { cancelled, no_such_asset, wrong_state };

// A cancelled extraction leaves its audio asset FAILED (the client still deletes it, as it
// would on the real service, where the documents say nothing of its fate).
void cancel_output(Assets& assets, Asset& asset)
{
    if (asset.audio_asset_id.empty()) {
        return;
    }
    auto audio = assets.find(asset.audio_asset_id);
    if (audio != assets.end() && audio->second.stage == Stage::creating) {
        audio->second.stage = Stage::upload_failed;
    }
    asset.audio_asset_id.clear();
}

conform::http::Response cancel_task(const Context& ctx, const conform::http::Request& request, Task Asset::*task,
                                    const CancelMutations& m)
{
    auto ids = query_values(request, "asset_id");
    if (ids.empty() || ids.front().empty()) {
        return illegal_parameter("asset_id");
    }
    const auto& id = ids.front();
    auto cancel = [&] {
        return ctx.store.transact([&](Assets& assets) {
            auto it = assets.find(id);
            if (it == assets.end()) {
                return CancelOutcome::no_such_asset;
            }
            auto& asset = it->second;
            auto& t = asset.*task;
            if (asset.stage == Stage::deleting) {
                return CancelOutcome::wrong_state;
            }
            const bool idle = !t.active() && (asset.stage == Stage::created || asset.stage == Stage::published);
            if (t.step == Step::queued || (t.step == Step::running && ctx.on(m.cancel_running))) {
                if (!ctx.on(m.task_kept)) {
                    t = Task{};
                    cancel_output(assets, asset);
                }
                return CancelOutcome::cancelled;
            }
            return idle && ctx.on(m.idle_cancelled) ? CancelOutcome::cancelled : CancelOutcome::wrong_state;
        });
    };
    // asset_id is one string: given twice, the request is refused.
    if (ids.size() > 1) {
        if (ctx.on(m.repeated_id_refused_but_applied)) {
            cancel();
        }
        return illegal_parameter("asset_id");
    }
    switch (cancel()) {
    case CancelOutcome::cancelled:
        return empty_reply(204);
    case CancelOutcome::no_such_asset:
        return error_reply(403, k_not_found_code, k_not_found_message);
    case CancelOutcome::wrong_state:
        break;
    }
    return error_reply(400, k_bad_state_code, k_bad_state_message);
}

}  // namespace

conform::http::Response cancel_asset_transcode_task(const Context& ctx, const conform::http::Request& request)
{
    return cancel_task(ctx, request, &Asset::transcode,
                       {.cancel_running = Mutation::transcode_cancel_running,
                        .idle_cancelled = Mutation::transcode_cancel_no_task_204,
                        .task_kept = Mutation::transcode_cancel_repeatable});
}

conform::http::Response cancel_extract_audio_task(const Context& ctx, const conform::http::Request& request)
{
    return cancel_task(ctx, request, &Asset::extract_audio,
                       {.cancel_running = Mutation::extract_cancel_running,
                        .idle_cancelled = Mutation::extract_cancel_no_task_204,
                        .repeated_id_refused_but_applied = Mutation::extract_cancel_refusal_still_applies});
}

}  // namespace vod_mock::handlers
