// The mock's media assets and their states: no HTTP here, so it can be unit-tested directly.
// All access goes through transact(), which holds one lock for a whole read-modify-write, so
// concurrent requests on one asset get one consistent outcome.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace vod_mock {

enum class Kind {
    uploading,  // created for upload, not confirmed
    created,    // confirmed, not published, idle
    published,
    transcode_queued,
    transcoding,
    extract_audio_queued,
    extracting_audio,
    reviewing,
    snapshotting,
    upload_failed,     // confirmed with FAILED
    upload_cancelled,  // confirmed with CANCELLED
    deleting,          // deleted, still visible until the delete settles (--async-delete-ms)
};

// The fixture kinds a seed creates, with their names in fixtures files.
const std::vector<std::pair<Kind, std::string>>& fixture_kinds();

using Clock = std::chrono::steady_clock;

struct Asset {
    std::string id;
    Kind kind = Kind::created;
    nlohmann::json base_info;
    Clock::time_point gone_at;  // Kind::deleting: when the asset disappears

    // AssetInfo.status as the documents spell it.
    std::string status() const;
    // Being processed: the documents forbid deleting it.
    bool processing() const;
    // The AssetInfo object the unpublish response carries.
    nlohmann::json info() const;
};

using Assets = std::unordered_map<std::string, Asset>;

// How deletes settle: at once (the default), or after the asset was DELETING for a while, as
// the real service does. The clock is injectable so tests need not sleep.
struct DeleteSettling {
    std::chrono::milliseconds delay{0};
    std::function<Clock::time_point()> now = [] { return Clock::now(); };
};

class AssetStore {
  public:
    explicit AssetStore(DeleteSettling deleting = {});

    // Creates per_kind assets of every fixture kind with realistic base info; returns the ids
    // by kind name, in the shape of a fixtures file's "assets".
    std::map<std::string, std::vector<std::string>> seed(std::size_t per_kind);

    // f sees the assets with every settled delete gone.
    template <class F> auto transact(F&& f)
    {
        std::lock_guard lock(m_mutex);
        drop_settled_deletes();
        return f(m_assets);
    }

    // Within transact: deletes the asset, at once or by making it DELETING for the delay.
    void erase(Assets& assets, Assets::iterator it);

    std::optional<Asset> find(const std::string& id);
    std::size_t size();

  private:
    void drop_settled_deletes();

    DeleteSettling m_deleting;
    std::mutex m_mutex;
    Assets m_assets;
    std::size_t m_serial = 0;
};

}  // namespace vod_mock
