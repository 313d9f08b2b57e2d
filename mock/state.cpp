#include "state.hpp"

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

std::string Asset::status() const
{
    switch (kind) {
    case Kind::uploading:
        return "CREATING";
    case Kind::created:
        return "CREATED";
    case Kind::published:
        return "PUBLISHED";
    case Kind::transcode_queued:
        return "WAITING_TRANSCODE";
    case Kind::transcoding:
        return "TRANSCODING";
    case Kind::extract_audio_queued:
    case Kind::extracting_audio:
        return "TRANSCODE_SUCCEED";
    case Kind::reviewing:
    case Kind::snapshotting:
        return "CREATED";
    case Kind::upload_failed:
        return "UPLOAD_FAILED";
    case Kind::upload_cancelled:
        return "CANCELLED";
    case Kind::deleting:
        return "DELETING";
    }
    return "CREATED";
}

bool Asset::processing() const
{
    return kind == Kind::transcoding || kind == Kind::reviewing || kind == Kind::snapshotting ||
           kind == Kind::extracting_audio || kind == Kind::deleting;
}

nlohmann::json Asset::info() const
{
    static const std::map<Kind, std::string> k_descriptions = {
        {Kind::transcode_queued, "transcode task queued"},
        {Kind::transcoding, "transcoding"},
        {Kind::extract_audio_queued, "extract audio task queued"},
        {Kind::extracting_audio, "extracting audio"},
        {Kind::reviewing, "reviewing"},
        {Kind::snapshotting, "taking snapshots"},
        {Kind::deleting, "deleting"}};
    auto it = k_descriptions.find(kind);
    return {{"asset_id", id},
            {"status", status()},
            {"description", it == k_descriptions.end() ? "" : it->second},
            {"is_multi_transcode", false},
            {"base_info", base_info},
            {"play_info_array", nlohmann::json::array()}};
}

AssetStore::AssetStore(DeleteSettling deleting) : m_deleting(std::move(deleting)) {}

void AssetStore::erase(Assets& assets, Assets::iterator it)
{
    if (m_deleting.delay.count() == 0) {
        assets.erase(it);
        return;
    }
    it->second.kind = Kind::deleting;
    it->second.gone_at = m_deleting.now() + m_deleting.delay;
}

void AssetStore::drop_settled_deletes()
{
    if (m_deleting.delay.count() == 0) {
        return;
    }
    const auto now = m_deleting.now();
    std::erase_if(m_assets, [&](const auto& entry) {
        return entry.second.kind == Kind::deleting && entry.second.gone_at <= now;
    });
}

std::map<std::string, std::vector<std::string>> AssetStore::seed(std::size_t per_kind)
{
    std::map<std::string, std::vector<std::string>> ids;
    std::lock_guard lock(m_mutex);
    for (const auto& [kind, name] : fixture_kinds()) {
        for (std::size_t i = 0; i < per_kind; ++i) {
            Asset asset{conform::util::random_id(), kind, base_info_for(++m_serial), {}};
            ids[name].push_back(asset.id);
            m_assets.emplace(asset.id, std::move(asset));
        }
    }
    return ids;
}

std::optional<Asset> AssetStore::find(const std::string& id)
{
    std::lock_guard lock(m_mutex);
    drop_settled_deletes();
    auto it = m_assets.find(id);
    return it == m_assets.end() ? std::nullopt : std::optional<Asset>(it->second);
}

std::size_t AssetStore::size()
{
    std::lock_guard lock(m_mutex);
    drop_settled_deletes();
    return m_assets.size();
}

}  // namespace vod_mock
