#include "state.hpp"

#include <algorithm>
#include <array>

#include "util/random_id.hpp"
#include "util/text.hpp"

namespace vod_mock {

namespace {

// yyyymmddhhmmss, UTC, as BaseInfo times are written.
std::string vod_time(std::size_t serial)
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "2026%02zu%02zu%02zu%02zu%02zu", 1 + serial % 12, 1 + serial % 28, serial % 24,
                  serial % 60, (serial * 7) % 60);
    return buffer;
}

nlohmann::json base_info_for(std::size_t serial)
{
    static constexpr std::array<const char*, 6> k_titles = {"Product launch keynote", "Onboarding tutorial",
                                                            "Quarterly town hall",    "Drone footage, coastline",
                                                            "Customer interview",     "Conference highlights"};
    static constexpr std::array<const char*, 4> k_types = {"MP4", "MOV", "FLV", "MKV"};
    static constexpr std::array<int, 3> k_heights = {720, 1080, 2160};
    const auto type = std::string(k_types[serial % k_types.size()]);
    const auto height = k_heights[serial % k_heights.size()];
    const auto extension = conform::util::lower(type);
    return {
        {"title", std::string(k_titles[serial % k_titles.size()]) + " #" + std::to_string(serial)},
        {"video_name", "video_" + std::to_string(serial) + "." + extension},
        {"description", "Seeded by vod-mock"},
        {"category_id", serial % 3 == 0 ? -1 : static_cast<long>(1000 + serial % 5)},
        {"category_name", serial % 3 == 0 ? "其他" : "Training"},
        {"create_time", vod_time(serial)},
        {"last_modified", vod_time(serial + 1)},
        {"video_type", type},
        {"tags", "mock,seed"},
        {"meta_data",
         {{"pack_type", type == "MKV" ? "MP4" : type},
          {"codec", "H.264"},
          {"duration", 30 + static_cast<long>(serial % 600)},
          {"video_size", 1048576L * static_cast<long>(5 + serial % 200)},
          {"width", height * 16 / 9},
          {"height", height},
          {"bit_rate", 2000 + static_cast<long>(serial % 4000)},
          {"frame_rate", 6},
          {"quality", height == 720    ? "HD"
                      : height == 1080 ? "FULL_HD"
                                       : "4K"},
          {"audio_channels", 2}}},
    };
}

}  // namespace

const std::vector<std::pair<Kind, std::string>>& fixture_kinds()
{
    static const std::vector<std::pair<Kind, std::string>> k_kinds = {
        {Kind::uploading, "UPLOADING"},
        {Kind::created, "CREATED"},
        {Kind::published, "PUBLISHED"},
        {Kind::transcode_queued, "TRANSCODE_QUEUED"},
        {Kind::transcoding, "TRANSCODING"},
        {Kind::extract_audio_queued, "EXTRACT_AUDIO_QUEUED"},
        {Kind::extracting_audio, "EXTRACTING_AUDIO"},
        {Kind::reviewing, "REVIEWING"},
        {Kind::snapshotting, "SNAPSHOTTING"},
    };
    return k_kinds;
}

namespace {

// A task's state in one of ListAssetList's status enums: {none, queued, running, succeeded, failed}.
using StepNames = std::array<const char*, 5>;
constexpr StepNames k_transcode_names = {"UN_TRANSCODE", "WAITING_TRANSCODE", "TRANSCODING", "TRANSCODE_SUCCEED",
                                         "TRANSCODE_FAILED"};
constexpr StepNames k_thumbnail_names = {"UN_THUMBNAIL", "THUMBNAILING", "THUMBNAILING", "THUMBNAIL_SUCCEED",
                                         "THUMBNAIL_FAILED"};
constexpr StepNames k_review_names = {"UN_REVIEW", "REVIEWING", "REVIEWING", "REVIEW_PASSED", "REVIEW_FAILED"};

std::string step_name(const StepNames& names, Step step)
{
    return names[static_cast<std::size_t>(step)];
}

// The state a list reports: the true one, or with lie, the one the task started in when it has
// moved on since by itself.
Step reported(const Task& task, bool lie)
{
    return lie && task.origin != Step::none && task.step != task.origin ? task.origin : task.step;
}

}  // namespace

std::string Asset::status() const
{
    switch (stage) {
    case Stage::creating:
        return "CREATING";
    case Stage::upload_failed:
        return "UPLOAD_FAILED";
    case Stage::upload_cancelled:
        return "CANCELLED";
    case Stage::published:
        return "PUBLISHED";
    case Stage::deleting:
        return "DELETING";
    case Stage::created:
        break;
    }
    // Unpublished: the transcode state, "待发布(转码中)" and so on.
    return transcode.step == Step::none ? "CREATED" : step_name(k_transcode_names, transcode.step);
}

bool Asset::processing() const
{
    return stage == Stage::deleting || transcode.step == Step::running || extract_audio.step == Step::running ||
           review.step == Step::running || thumbnail.step == Step::running;
}

nlohmann::json Asset::info() const
{
    std::string description;
    if (stage == Stage::deleting) {
        description = "deleting";
    } else if (transcode.active()) {
        description = transcode.step == Step::queued ? "transcode task queued" : "transcoding";
    } else if (extract_audio.active()) {
        description = extract_audio.step == Step::queued ? "extract audio task queued" : "extracting audio";
    } else if (review.active()) {
        description = "reviewing";
    } else if (thumbnail.active()) {
        description = "taking snapshots";
    }
    return {{"asset_id", id},
            {"status", status()},
            {"description", description},
            {"is_multi_transcode", false},
            {"base_info", base_info},
            {"play_info_array", nlohmann::json::array()}};
}

nlohmann::json Asset::summary(bool lie_about_state) const
{
    static const std::map<Stage, std::pair<const char*, const char*>> k_stages = {
        {Stage::creating, {"CREATING", "uploading"}},
        {Stage::upload_failed, {"FAILED", "upload failed"}},
        {Stage::upload_cancelled, {"FAILED", "upload cancelled"}},
        {Stage::created, {"CREATED", "upload success"}},
        {Stage::published, {"PUBLISHED", "upload success"}},
        {Stage::deleting, {"DELETED", "deleted"}},
    };
    const auto& [asset_status, asset_desc] = k_stages.at(stage);
    const auto transcode_status = step_name(k_transcode_names, reported(transcode, lie_about_state));
    const auto thumbnail_status = step_name(k_thumbnail_names, reported(thumbnail, lie_about_state));
    const auto review_status = step_name(k_review_names, reported(review, lie_about_state));
    const auto& meta = base_info.value("meta_data", nlohmann::json::object());
    const auto size = upload && upload->bytes > 0 ? static_cast<long>(upload->bytes) : meta.value("video_size", 0L);
    return {
        {"asset_id", id},
        {"title", base_info.value("title", "")},
        {"description", base_info.value("description", "")},
        {"duration", meta.value("duration", 0L)},
        {"duration_ms", meta.value("duration", 0L) * 1000},
        {"size", size},
        {"category", base_info.value("category_name", "")},
        {"create_time", base_info.value("create_time", "")},
        {"asset_status", asset_status},
        {"transcode_status", transcode_status},
        {"thumbnail_status", thumbnail_status},
        {"review_status", review_status},
        {"exec_desc", std::string("asset_exec_desc: ") + asset_desc +
                          (transcode.step == Step::succeeded ? ", transcode_exec_desc: transcode success" : "")},
        {"media_type", base_info.value("video_type", "")},
    };
}

bool Asset::has_tag(std::string_view tag) const
{
    const auto tags = base_info.value("tags", "");
    std::size_t start = 0;
    while (start <= tags.size()) {
        const auto comma = std::min(tags.find(',', start), tags.size());
        if (conform::util::trim(std::string_view(tags).substr(start, comma - start)) == tag) {
            return true;
        }
        start = comma + 1;
    }
    return false;
}

AssetStore::AssetStore(Timing timing) : m_timing(std::move(timing)), m_random(m_timing.seed) {}

Clock::duration AssetStore::random_stay()
{
    const auto live = m_timing.live.count();
    std::uniform_int_distribution<long long> ms(live / 2, live + live / 2);
    return std::chrono::milliseconds(ms(m_random));
}

void AssetStore::start(Task& task, Step step)
{
    task.step = step;
    task.origin = step;
    if (m_timing.live.count() > 0) {
        task.moves_at = m_timing.now() + random_stay();
        m_next_move = std::min(m_next_move, task.moves_at);
    }
}

void AssetStore::move_on(Asset& asset, Task& task, Step done)
{
    // From the moment the task entered its state, so a late look sees the same history.
    while (task.active() && task.moves_at <= m_timing.now()) {
        if (task.step == Step::queued) {
            task.step = Step::running;
            task.moves_at += random_stay();
            continue;
        }
        task.step = done;
        if (&task == &asset.extract_audio && !asset.audio_asset_id.empty()) {
            auto audio = m_assets.find(asset.audio_asset_id);
            if (audio != m_assets.end() && audio->second.stage == Stage::creating) {
                audio->second.stage = Stage::created;
            }
            asset.audio_asset_id.clear();
        }
    }
    if (task.active()) {
        m_next_move = std::min(m_next_move, task.moves_at);
    }
}

void AssetStore::settle()
{
    const bool deletes = m_timing.delete_delay.count() > 0;
    const bool live = m_timing.live.count() > 0 && m_timing.now() >= m_next_move;
    if (!deletes && !live) {
        return;
    }
    const auto now = m_timing.now();
    if (live) {
        m_next_move = Clock::time_point::max();
        for (auto& [id, asset] : m_assets) {
            move_on(asset, asset.transcode, Step::succeeded);
            move_on(asset, asset.extract_audio, Step::succeeded);
            move_on(asset, asset.review, Step::succeeded);
            move_on(asset, asset.thumbnail, Step::succeeded);
        }
    }
    if (deletes) {
        std::erase_if(m_assets, [&](const auto& entry) {
            return entry.second.stage == Stage::deleting && entry.second.gone_at <= now;
        });
    }
}

void AssetStore::erase(Assets& assets, Assets::iterator it)
{
    if (m_timing.delete_delay.count() == 0) {
        assets.erase(it);
        return;
    }
    it->second.stage = Stage::deleting;
    it->second.gone_at = m_timing.now() + m_timing.delete_delay;
}

Asset& AssetStore::add_made_by_api(Assets& assets, Asset asset)
{
    ++m_made_by_api;
    asset.made_by_api = true;
    auto id = asset.id;
    return assets.insert_or_assign(std::move(id), std::move(asset)).first->second;
}

Asset AssetStore::fixture(Kind kind, std::string id, nlohmann::json base_info)
{
    Asset asset;
    asset.id = std::move(id);
    asset.base_info = std::move(base_info);
    switch (kind) {
    case Kind::uploading:
        asset.stage = Stage::creating;
        break;
    case Kind::created:
        break;
    case Kind::published:
        asset.stage = Stage::published;
        break;
    case Kind::transcode_queued:
        start(asset.transcode, Step::queued);
        break;
    case Kind::transcoding:
        start(asset.transcode, Step::running);
        break;
    case Kind::extract_audio_queued:
    case Kind::extracting_audio:
        // Audio is extracted from a transcoded asset.
        asset.transcode.step = Step::succeeded;
        start(asset.extract_audio, kind == Kind::extract_audio_queued ? Step::queued : Step::running);
        break;
    case Kind::reviewing:
        start(asset.review, Step::running);
        break;
    case Kind::snapshotting:
        start(asset.thumbnail, Step::running);
        break;
    }
    return asset;
}

void AssetStore::add_fixture(Kind kind, std::string id, nlohmann::json base_info)
{
    std::lock_guard lock(m_mutex);
    auto asset = fixture(kind, std::move(id), std::move(base_info));
    auto key = asset.id;
    m_assets.insert_or_assign(std::move(key), std::move(asset));
}

std::map<std::string, std::vector<std::string>> AssetStore::seed(std::size_t per_kind)
{
    std::map<std::string, std::vector<std::string>> ids;
    std::lock_guard lock(m_mutex);
    for (const auto& [kind, name] : fixture_kinds()) {
        for (std::size_t i = 0; i < per_kind; ++i) {
            auto asset = fixture(kind, conform::util::random_id(), base_info_for(++m_serial));
            ids[name].push_back(asset.id);
            m_assets.emplace(asset.id, std::move(asset));
        }
    }
    return ids;
}

std::optional<Asset> AssetStore::find(const std::string& id)
{
    return transact([&](Assets& assets) {
        auto it = assets.find(id);
        return it == assets.end() ? std::nullopt : std::optional<Asset>(it->second);
    });
}

std::size_t AssetStore::size()
{
    return transact([](Assets& assets) { return assets.size(); });
}

AssetStore::MadeByApi AssetStore::made_by_api()
{
    return transact([this](Assets& assets) {
        return MadeByApi{m_made_by_api,
                         static_cast<std::size_t>(std::count_if(assets.begin(), assets.end(), [](const auto& entry) {
                             return entry.second.made_by_api;
                         }))};
    });
}

}  // namespace vod_mock
