// Runs cases against an endpoint and returns their results. Endpoint faults never escape as
// exceptions: they end the case as an error and the run goes on.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <vector>

#include "contract/contract.hpp"
#include "engine/fixtures.hpp"
#include "engine/quota.hpp"
#include "engine/result.hpp"
#include "engine/transport.hpp"
#include "http/redact.hpp"
#include "http/signer.hpp"

namespace conform::engine {

struct Credentials {
    enum class Mode { none, token, aksk };
    Mode mode = Mode::none;
    std::string token;
    http::AkSk aksk;
};

// How settle steps (probes of a change an earlier step made) are repeated until they hold: the
// pause starts short and grows to the longest, within the deadline (on RunOptions::time).
struct SettleOptions {
    double deadline_seconds = 10;  // 0: check once, like any step
    std::chrono::milliseconds first_pause{150};
    std::chrono::milliseconds longest_pause{2000};
};

struct RunOptions {
    std::string base_url;
    contract::Bindings run_bindings;  // values of the contract's run placeholders, for every case
    Credentials credentials;
    int jobs = 1;
    std::stop_token stop;  // requested (Ctrl-C): start no more cases, cut off waits and transfers
    // Masks what the exchanges record; the engine adds the contract's credential headers.
    http::Redactor redactor;
    // false: a result's exchanges and details are dropped once the listener has seen them
    // (a streaming reporter has them), so a long run's memory does not grow with them.
    bool keep_exchanges = true;
    QuotaOptions quota;  // pacing, and resending what was throttled
    // The clock of the quota, settle steps and the provisioner's polling, and the signatures' date.
    std::shared_ptr<TimeSource> time = real_time();
    // The pacers of the endpoint's quota when the run shares them with what else it sends there
    // at the same time (the fixtures made for it: make_pacers); none: the run makes its own.
    std::shared_ptr<QuotaCategories> pacers;
    SettleOptions settle;
    // false: take the fixtures' states on trust (a test of how one step meets a raw endpoint,
    // which answers no state query); a run always checks them.
    bool check_premises = true;
    // Called by the worker right before a case runs (e.g. to make transient fixtures just in
    // time): may change its bindings, or say why it cannot run, which skips it.
    std::function<std::optional<std::string>(const contract::Case&, Allocation&)> prepare_case;
};

// Told of each case as it finishes, one call at a time (the engine serialises the calls).
class RunListener {
  public:
    virtual ~RunListener() = default;
    virtual void case_finished(const CaseResult& result) = 0;
};

// cases[i] runs with allocations[i]; a case whose allocation has a skip reason is skipped.
RunResult run_cases(const contract::Contract& contract, const std::vector<const contract::Case*>& cases,
                    const std::vector<Allocation>& allocations, const TransportFactory& transports,
                    const RunOptions& options, RunListener& listener);

// The pacers of the contract's quota categories for requests sent with these options: their
// quota options, with the contract's throttled answers unless those name others; the state
// query apart when no category lists it.
std::shared_ptr<QuotaCategories> make_pacers(const contract::Contract& contract, const RunOptions& options);

// The request a step sends, with its credentials applied (exposed for tests).
http::Request build_request(const contract::Contract& contract, const contract::Step& step,
                            const contract::Bindings& bindings, const RunOptions& options);

}  // namespace conform::engine
