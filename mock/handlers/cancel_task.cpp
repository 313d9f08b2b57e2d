// CancelAssetTranscodeTask (DELETE .../asset/process, vod_04_0192) and CancelExtractAudioTask
// (DELETE .../asset/extract_audio, vod_04_0193): only a queued task can be cancelled; 204.
// The two differ only in the task they look at, so one function serves both.
#include "handlers/handlers.hpp"

namespace vod_mock::handlers {

namespace {

// The mutations that bend one of the two operations (Mutation::none where none applies).
struct CancelMutations {
    Mutation cancel_running;
    Mutation answer_200_with_body;
    Mutation no_task_204;
    Mutation repeatable = Mutation::none;
    Mutation wrong_error_code = Mutation::none;
    Mutation unknown_404_plain = Mutation::none;
    Mutation unknown_204 = Mutation::none;
    Mutation missing_param_500 = Mutation::none;
    Mutation missing_param_404 = Mutation::none;
    Mutation repeated_id_accepted = Mutation::none;
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
        if (ctx.on(m.missing_param_500)) {
            return error_reply(ctx.config, 500, "VOD.10051", "Internal system error.");
        }
        if (ctx.on(m.missing_param_404)) {
            return error_reply(ctx.config, 404, "APIGW.0101", "The API does not exist.");
        }
        return illegal_parameter(ctx.config, "asset_id");
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
                if (!ctx.on(m.repeatable)) {
                    t = Task{};
                    cancel_output(assets, asset);
                }
                return CancelOutcome::cancelled;
            }
            return idle && ctx.on(m.no_task_204) ? CancelOutcome::cancelled : CancelOutcome::wrong_state;
        });
    };
    // asset_id is one string: given twice, the request is refused.
    if (ids.size() > 1 && !ctx.on(m.repeated_id_accepted)) {
        if (ctx.on(m.repeated_id_refused_but_applied)) {
            cancel();
        }
        return illegal_parameter(ctx.config, "asset_id");
    }
    switch (cancel()) {
    case CancelOutcome::cancelled:
        return ctx.on(m.answer_200_with_body) ? json_reply(ctx.config, 200, {{"asset_id", id}}) : empty_reply(204);
    case CancelOutcome::no_such_asset:
        if (ctx.on(m.unknown_404_plain)) {
            auto r = empty_reply(404);
            r.headers.set("Content-Type", "text/plain");
            r.body = "not found";
            return r;
        }
        if (ctx.on(m.unknown_204)) {
            return empty_reply(204);
        }
        return error_reply(ctx.config, 403, k_not_found_code, k_not_found_message);
    case CancelOutcome::wrong_state:
        break;
    }
    return error_reply(ctx.config, 400, ctx.on(m.wrong_error_code) ? "VOD.10053" : k_bad_state_code,
                       k_bad_state_message);
}

}  // namespace

conform::http::Response cancel_asset_transcode_task(const Context& ctx, const conform::http::Request& request)
{
    CancelMutations m{Mutation::transcode_cancel_running, Mutation::transcode_cancel_200_with_body,
                      Mutation::transcode_cancel_no_task_204};
    m.repeatable = Mutation::transcode_cancel_repeatable;
    m.wrong_error_code = Mutation::transcode_wrong_error_code;
    m.unknown_404_plain = Mutation::transcode_unknown_asset_404_plain;
    m.missing_param_500 = Mutation::transcode_missing_param_500;
    m.repeated_id_accepted = Mutation::transcode_cancel_repeated_id;
    return cancel_task(ctx, request, &Asset::transcode, m);
}

conform::http::Response cancel_extract_audio_task(const Context& ctx, const conform::http::Request& request)
{
    CancelMutations m{Mutation::extract_cancel_running, Mutation::extract_cancel_200_with_body,
                      Mutation::extract_cancel_no_task_204};
    m.unknown_204 = Mutation::extract_unknown_asset_204;
    m.missing_param_404 = Mutation::extract_missing_param_404;
    m.repeated_id_refused_but_applied = Mutation::extract_cancel_refusal_still_applies;
    return cancel_task(ctx, request, &Asset::extract_audio, m);
}

}  // namespace vod_mock::handlers
