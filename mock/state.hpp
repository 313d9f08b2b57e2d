// The mock's media assets and their states: no HTTP here, so it can be unit-tested directly.
// All access goes through transact(), which holds one lock for a whole read-modify-write, so
// concurrent requests on one asset get one consistent outcome.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace vod_mock {

enum class Kind {
    uploading,             // created for upload, not confirmed
    created,               // confirmed, not published, idle
    published,
    transcode_queued,
    transcoding,
    extract_audio_queued,
    extracting_audio,
    reviewing,
    snapshotting,
    upload_failed,         // confirmed with FAILED
    upload_cancelled,      // confirmed with CANCELLED
};

// The fixture kinds a seed creates, with their names in fixtures files.
const std::vector<std::pair<Kind, std::string>>& fixture_kinds();

struct Asset {
    std::string id;
    Kind kind = Kind::created;
    nlohmann::json base_info;

    // AssetInfo.status as the documents spell it.
    std::string status() const;
    // Being processed: the documents forbid deleting it.
    bool processing() const;
    // The AssetInfo object the unpublish response carries.
    nlohmann::json info() const;
};

using Assets = std::unordered_map<std::string, Asset>;

class AssetStore {
public:
    // Creates per_kind assets of every fixture kind with realistic base info; returns the ids
    // by kind name, in the shape of a fixtures file's "assets".
    std::map<std::string, std::vector<std::string>> seed(std::size_t per_kind);

    template <class F>
    auto transact(F&& f)
    {
        std::lock_guard lock(m_mutex);
        return f(m_assets);
    }

    std::optional<Asset> find(const std::string& id);
    std::size_t size();

private:
    std::mutex m_mutex;
    Assets m_assets;
    std::size_t m_serial = 0;
};

}  // namespace vod_mock
