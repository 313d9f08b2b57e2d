// Makes fixtures by the contract's recipes (contract.json "provision") and removes them: a
// generic executor of request steps, waits and cleanup. Nothing here names an API; the
// recipes are data. Endpoint faults become reasons (a kind that cannot be made, an asset that
// could not be removed), never exceptions that escape.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contract/contract.hpp"
#include "engine/evaluate.hpp"
#include "engine/quota.hpp"
#include "engine/run.hpp"
#include "engine/transport.hpp"

namespace conform::provision {

// One resource a recipe made: its id, the kind it was made for, and the captured name it came
// from ("id" for the fixture itself, e.g. "audio_id" for one its steps made besides).
struct Made {
    std::string id;
    std::string kind;
    std::string role = "id";
    bool fixture() const { return role == "id"; }
};

// Everything made, in order, as soon as an answer names it: what cleanup removes, also after a
// step that failed midway. Thread-safe.
class Inventory {
  public:
    void add(Made made);
    std::vector<Made> all() const;

  private:
    mutable std::mutex m_mutex;
    std::vector<Made> m_made;
};

// A kind that could not be made, and why. lost: the endpoint is not at fault (a transient state
// ended before it could be used), so the cases are skipped, never failed.
struct CannotMake {
    std::string reason;
    bool lost = false;
};

// Requests sent, by quota category (contract.json provision.quota).
using RequestCounts = std::map<std::string, std::size_t>;

struct Left {
    Made made;
    std::string reason;
};

struct CleanupResult {
    std::vector<Made> removed;
    std::vector<Left> left;
};

// How long waits pause between tries; tests shorten them. A fixture made just in time holds its
// case, and its state may last only seconds: its waits read at a steady quick pace, the share of
// the state query's quota category that the quick waits under way take together, divided among
// them (1,500 a minute, half of it, one wait: 80 ms); the other waits pause longer and longer.
struct Polling {
    std::chrono::milliseconds first_pause{150};
    std::chrono::milliseconds longest_pause{2000};
    double timeout_scale = 1;  // multiplies every timeout of the data
    double quick_share = 0.5;  // the rest is left to the run's premise checks
    std::chrono::milliseconds quickest_pause{20};
};

// A transport to the origin (scheme://host[:port]) of an upload URL an answer gave.
using UploadTransport = std::function<std::unique_ptr<engine::Transport>(const std::string& origin)>;

class Provisioner {
  public:
    // options: the endpoint, credentials, run bindings (the run placeholders) and quota; settings:
    // the values of the provision settings given (defaults filled in here).
    Provisioner(const contract::Contract& contract, engine::RunOptions options, engine::TransportFactory transports,
                std::string run_id, std::map<std::string, std::string> settings, UploadTransport upload_transport,
                Polling polling = {});

    const std::string& run_id() const { return m_run_id; }
    const contract::Provision& data() const { return m_data; }
    // Why the kind cannot be made at all (no recipe, a setting not given), or nothing.
    std::optional<std::string> unavailable(const std::string& kind) const;
    // Makes one of kind (its from-chain first) and waits for its state; throws CannotMake.
    std::string make(const std::string& kind);
    // Cancels what is queued, waits (bounded) for what processes, deletes in batches and
    // checks each is gone.
    CleanupResult remove(const std::vector<Made>& made);
    // What the sweep finds: made resources tagged by the suite and created before `before`.
    std::vector<Made> find_left(std::chrono::system_clock::time_point before, std::string& problem);

    Inventory& inventory() { return m_inventory; }
    RequestCounts requests() const;

  private:
    struct Answer {
        engine::StepVerdict verdict;
        http::Response response;
    };
    Answer send(const contract::Step& step, const contract::Bindings& bindings, engine::Transport& transport);
    Answer upload(const contract::RecipeStep& step, const contract::Bindings& bindings);
    // Repeats the wait's request until it holds; the last answer either way.
    std::optional<Answer> wait(const contract::WaitStep& wait, const contract::Bindings& bindings,
                               engine::Transport& transport, std::string& last);
    // Repeats the premise query for id until it confirms kind, or shows a state kind moves on to
    // (its window was missed), or the timeout passes; what it last showed in `last`.
    enum class Reached { yes, moved_past, timed_out };
    Reached wait_premise(const std::string& kind, const std::string& id, const contract::PremiseWait& wait,
                         bool just_in_time, engine::Transport& transport, std::string& last);
    // Tries once, then pauses (first_pause growing to longest_pause; quick: quick_pause() when
    // the quota gives one) until try_once holds or the timeout passes.
    bool poll(double timeout_seconds, bool quick, const std::function<bool()>& try_once);
    // The pause of a just-in-time wait (Polling); nothing when no category counts the query.
    std::optional<std::chrono::steady_clock::duration> quick_pause() const;
    contract::Bindings bindings_for(const std::string& kind) const;
    void count(const std::string& operation);
    bool interrupted() const;

    const contract::Contract& m_contract;
    const contract::Provision& m_data;
    engine::RunOptions m_options;
    engine::TransportFactory m_transports;
    std::string m_run_id;
    std::map<std::string, std::string> m_settings;
    UploadTransport m_upload_transport;
    Polling m_polling;
    std::shared_ptr<engine::QuotaCategories> m_pacers;  // the run's, when it gave them
    std::atomic<std::size_t> m_sent{0};
    std::atomic<std::size_t> m_quick_waits{0};  // just-in-time waits under way
    Inventory m_inventory;
    mutable std::mutex m_counts_mutex;
    RequestCounts m_counts;
};

// scheme://authority of a URL, and the rest (path and query as sent); nothing for a URL
// without a scheme.
std::optional<std::pair<std::string, std::string>> split_url(const std::string& url);

}  // namespace conform::provision
