// The processing tasks the suite starts to make its fixtures: CreateAssetProcessTask (POST
// .../asset/process, vod_04_0206: template_group_name queues a transcode, thumbnail starts a
// snapshot; 202), CreateExtractAudioTask (POST .../asset/extract_audio, vod_04_0208: a new
// audio asset, filled when the extraction ends; 202) and CreateAssetReviewTask (POST
// .../asset/review, vod_04_0102: review.template_id; 200). An asset takes a task once it is
// uploaded and while no other task of it is queued or running (the FAQ: wait for the previous
// processing to end); otherwise 400 VOD.10083.
#include <set>

#include "handlers/handlers.hpp"
#include "util/random_id.hpp"
#include "util/text.hpp"

namespace vod_mock::handlers {

namespace {

// The service's built-in template groups (FAQ "视频点播是否有内置系统模板?"); the mock knows no others.
const std::set<std::string>& template_groups()
{
    static const std::set<std::string> k_groups = {"system_template_group", "non_transcoding_template_group",
                                                   "original_template_group"};
    return k_groups;
}

bool whole_in(const nlohmann::json& value, long low, long high)
{
    return value.is_number_integer() && value.get<long>() >= low && value.get<long>() <= high;
}

std::optional<std::string> thumbnail_problem(const nlohmann::json& thumbnail)
{
    if (!thumbnail.is_object() || !thumbnail.contains("type") || !thumbnail["type"].is_string()) {
        return "thumbnail.type";
    }
    const auto type = thumbnail["type"].get<std::string>();
    if (type == "time") {
        return !thumbnail.contains("time") || whole_in(thumbnail["time"], 0, 100)
                   ? std::nullopt
                   : std::optional<std::string>("thumbnail.time");
    }
    if (type == "dots") {
        const auto& dots = thumbnail.value("dots", nlohmann::json());
        const bool ok = dots.is_array() && !dots.empty() &&
                        std::all_of(dots.begin(), dots.end(), [](const auto& d) { return whole_in(d, 0, 1L << 30); });
        return ok ? std::nullopt : std::optional<std::string>("thumbnail.dots");
    }
    if (type == "quantity") {
        return whole_in(thumbnail.value("quantity", nlohmann::json()), 1, 10)
                   ? std::nullopt
                   : std::optional<std::string>("thumbnail.quantity");
    }
    return "thumbnail.type";
}

// Whether the asset may take a new task: uploaded, and nothing else in progress.
bool takes_task(const Asset& asset)
{
    return (asset.stage == Stage::created || asset.stage == Stage::published) && !asset.transcode.active() &&
           !asset.extract_audio.active() && !asset.review.active() && !asset.thumbnail.active();
}

enum class StartOutcome { started, no_such_asset, wrong_state };

// The asset_id of a JSON body, or the reply refusing the request.
std::variant<std::pair<nlohmann::json, std::string>, conform::http::Response>
body_with_asset(const conform::http::Request& request)
{
    auto body = json_object_body(request);
    if (!body) {
        return illegal_parameter("body");
    }
    const auto& id = body->value("asset_id", nlohmann::json());
    if (!id.is_string() || id.get<std::string>().empty()) {
        return illegal_parameter("asset_id");
    }
    return std::pair{*body, id.get<std::string>()};
}

// Starts a task on the asset, with start, if it takes one.
template <class Start> StartOutcome start_task(const Context& ctx, const std::string& id, Start&& start)
{
    return ctx.store.transact([&](Assets& assets) {
        auto it = assets.find(id);
        if (it == assets.end()) {
            return StartOutcome::no_such_asset;
        }
        if (!takes_task(it->second)) {
            return StartOutcome::wrong_state;
        }
        start(assets, it->second);
        return StartOutcome::started;
    });
}

conform::http::Response refusal(StartOutcome outcome, int not_found_status)
{
    return outcome == StartOutcome::no_such_asset ? error_reply(not_found_status, k_not_found_code, k_not_found_message)
                                                  : error_reply(400, k_bad_state_code, k_bad_state_message);
}

}  // namespace

std::optional<std::string> processing_problem(const nlohmann::json& spec)
{
    if (spec.contains("template_group_name")) {
        const auto& group = spec["template_group_name"];
        if (!group.is_string() ||
            (!group.get<std::string>().empty() && !template_groups().count(group.get<std::string>()))) {
            return "template_group_name";
        }
    }
    if (spec.contains("thumbnail")) {
        if (auto problem = thumbnail_problem(spec["thumbnail"])) {
            return problem;
        }
    }
    if (spec.contains("review")) {
        const auto& review = spec["review"];
        const auto& id = review.is_object() ? review.value("template_id", nlohmann::json()) : nlohmann::json();
        if (!id.is_string() || id.get<std::string>().empty()) {
            return "review.template_id";
        }
    }
    if (spec.contains("auto_encrypt") && !whole_in(spec["auto_encrypt"], 0, 1)) {
        return "auto_encrypt";
    }
    return std::nullopt;
}

void start_processing(AssetStore& store, Asset& asset, const nlohmann::json& spec)
{
    if (!spec.value("template_group_name", "").empty()) {
        store.start(asset.transcode, Step::queued);
    }
    if (spec.contains("thumbnail")) {
        store.start(asset.thumbnail, Step::running);
    }
    if (spec.contains("review")) {
        store.start(asset.review, Step::running);
    }
}

conform::http::Response create_asset_process_task(const Context& ctx, const conform::http::Request& request)
{
    auto read = body_with_asset(request);
    if (auto* refused = std::get_if<conform::http::Response>(&read)) {
        return *refused;
    }
    auto& [body, id] = std::get<0>(read);
    body.erase("review");  // not a member of this request
    if (auto problem = processing_problem(body)) {
        return illegal_parameter(*problem);
    }
    // Captured by name: clang refuses a lambda capturing a structured binding.
    const auto& request_body = body;
    const auto outcome =
        start_task(ctx, id, [&](Assets&, Asset& asset) { start_processing(ctx.store, asset, request_body); });
    return outcome == StartOutcome::started ? json_reply(202, {{"asset_id", id}}) : refusal(outcome, 403);
}

conform::http::Response create_extract_audio_task(const Context& ctx, const conform::http::Request& request)
{
    auto read = body_with_asset(request);
    if (auto* refused = std::get_if<conform::http::Response>(&read)) {
        return *refused;
    }
    const auto& [body, id] = std::get<0>(read);
    std::string format = "MP3";
    if (body.contains("parameter")) {
        const auto& parameter = body["parameter"];
        const auto& f = parameter.is_object() ? parameter.value("format", nlohmann::json("MP3")) : nlohmann::json();
        if (!f.is_string() || (f != "MP3" && f != "AAC")) {
            return illegal_parameter("parameter.format");
        }
        format = f.get<std::string>();
    }
    std::string audio_id;
    const auto outcome = start_task(ctx, id, [&](Assets& assets, Asset& source) {
        // The audio is an asset of its own from now on, uploading until the extraction ends.
        Asset audio;
        audio.id = audio_id = conform::util::random_id();
        audio.stage = Stage::creating;
        audio.base_info = {{"title", source.base_info.value("title", "")},
                           {"video_name", source.id + "." + conform::util::lower(format)},
                           {"description", "audio extracted from " + source.id},
                           {"category_id", -1},
                           {"category_name", "其他"},
                           {"create_time", source.base_info.value("create_time", "")},
                           {"video_type", format},
                           {"tags", ""}};
        source.audio_asset_id = audio_id;
        ctx.store.start(source.extract_audio, Step::queued);
        ctx.store.add_made_by_api(assets, std::move(audio));
    });
    return outcome == StartOutcome::started ? json_reply(202, {{"asset_id", id}, {"audio_asset_id", audio_id}})
                                            : refusal(outcome, 400);
}

conform::http::Response create_asset_review_task(const Context& ctx, const conform::http::Request& request)
{
    auto read = body_with_asset(request);
    if (auto* refused = std::get_if<conform::http::Response>(&read)) {
        return *refused;
    }
    const auto& [body, id] = std::get<0>(read);
    const nlohmann::json spec = {{"review", body.value("review", nlohmann::json())}};
    if (auto problem = processing_problem(spec)) {
        return illegal_parameter(*problem);
    }
    const auto outcome = start_task(ctx, id, [&](Assets&, Asset& asset) { start_processing(ctx.store, asset, spec); });
    return outcome == StartOutcome::started
               ? json_reply(200, {{"asset_id", id}, {"review", {{"template_id", spec["review"]["template_id"]}}}})
               : refusal(outcome, 403);
}

}  // namespace vod_mock::handlers
