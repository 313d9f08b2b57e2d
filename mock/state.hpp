// The mock's media assets and their states: no HTTP here, so it can be unit-tested directly.
// All access goes through transact(), which holds one lock for a whole read-modify-write, so
// concurrent requests on one asset get one consistent outcome.
//
// An asset has an upload stage and four tasks (transcode, audio extraction, review, snapshot),
// each with its own state, as ListAssetList reports them (vod_04_0203): a published asset may
// be transcoding. With live states (--live-ms) a queued task starts, and a running one ends, by
// itself; every change of state happens inside transact(), at the injected clock's time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace vod_mock {

// The fixture kinds a seed creates (their names in fixtures files: fixture_kinds()).
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
};

const std::vector<std::pair<Kind, std::string>>& fixture_kinds();

// The upload stage of an asset (asset_status, plus what AssetInfo.status adds).
enum class Stage {
    creating,          // created for upload, not confirmed (CREATING)
    upload_failed,     // confirmed with FAILED
    upload_cancelled,  // confirmed with CANCELLED
    created,           // confirmed, not published
    published,
    deleting,  // deleted, still visible until the delete settles (--async-delete-ms)
};

// The state of one task of an asset.
enum class Step { none, queued, running, succeeded, failed };

using Clock = std::chrono::steady_clock;

struct Task {
    Step step = Step::none;
    Step origin = Step::none;      // the state the task was started in (list-lies-about-state reports it)
    Clock::time_point moves_at{};  // live states: when a queued task starts or a running one ends

    bool active() const { return step == Step::queued || step == Step::running; }
};

// What an asset made through CreateAssetByFileUpload carries besides its state.
struct Upload {
    std::string secret;                                    // the presigned URL's signature
    std::string content_type;                              // what the PUT must send
    std::size_t bytes = 0;                                 // of the file PUT so far (0: none)
    nlohmann::json on_confirm = nlohmann::json::object();  // processing asked for at creation
};

struct Asset {
    std::string id;
    Stage stage = Stage::created;
    Task transcode, extract_audio, review, thumbnail;
    nlohmann::json base_info;
    Clock::time_point gone_at;  // Stage::deleting: when the asset disappears
    bool made_by_api = false;   // created by CreateAssetByFileUpload or CreateExtractAudioTask
    std::optional<Upload> upload;
    std::string audio_asset_id;  // the asset a running or queued extraction fills

    // AssetInfo.status as the documents spell it (one combined value).
    std::string status() const;
    // Being processed: the documents forbid deleting it.
    bool processing() const;
    // The AssetInfo object the unpublish and publish responses carry.
    nlohmann::json info() const;
    // The AssetSummary object ListAssetList answers (four separate statuses); with
    // lie_about_state, a task that moved on by itself is reported in the state it started in.
    nlohmann::json summary(bool lie_about_state = false) const;
    bool has_tag(std::string_view tag) const;
};

using Assets = std::unordered_map<std::string, Asset>;

// How state changes over time: deletes settle at once (the default) or after the asset was
// DELETING for delete_delay, as the real service does; with live set, a queued task starts and a
// running one ends after a random 0.5 to 1.5 times live from when it entered that state. The
// clock and the random seed are injectable so tests need not sleep.
struct Timing {
    std::chrono::milliseconds delete_delay{0};
    std::function<Clock::time_point()> now = [] { return Clock::now(); };
    std::chrono::milliseconds live{0};
    std::uint32_t seed = std::random_device{}();
};

class AssetStore {
  public:
    explicit AssetStore(Timing timing = {});

    // Creates per_kind assets of every fixture kind with realistic base info; returns the ids
    // by kind name, in the shape of a fixtures file's "assets".
    std::map<std::string, std::vector<std::string>> seed(std::size_t per_kind);
    // Adds one asset of a fixture kind, as seed() makes them.
    void add_fixture(Kind kind, std::string id, nlohmann::json base_info);

    // f sees the assets with every settled delete gone and every live state moved on.
    template <class F> auto transact(F&& f)
    {
        std::lock_guard lock(m_mutex);
        settle();
        return f(m_assets);
    }

    // Within transact: deletes the asset, at once or by making it DELETING for the delay.
    void erase(Assets& assets, Assets::iterator it);
    // Within transact: puts the task in step (queued or running), from now.
    void start(Task& task, Step step);
    // Within transact: adds an asset made through the API (counted for the closing line).
    Asset& add_made_by_api(Assets& assets, Asset asset);

    std::optional<Asset> find(const std::string& id);
    std::size_t size();

    // For the closing line: assets the API created, and how many of them are still there
    // (DELETING ones included).
    struct MadeByApi {
        std::size_t created = 0;
        std::size_t remaining = 0;
    };
    MadeByApi made_by_api();

  private:
    void settle();
    Asset fixture(Kind kind, std::string id, nlohmann::json base_info);
    void move_on(Asset& asset, Task& task, Step done);
    Clock::duration random_stay();

    Timing m_timing;
    std::mutex m_mutex;
    Assets m_assets;
    std::size_t m_serial = 0;
    std::size_t m_made_by_api = 0;
    std::mt19937 m_random;
    // Live states: no task moves on before this (a scan of every asset is skipped until then).
    Clock::time_point m_next_move = Clock::time_point::max();
};

}  // namespace vod_mock
