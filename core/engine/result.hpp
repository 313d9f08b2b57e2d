// What a run produces: plain values that reporters adapt. Nothing here formats output.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "contract/case.hpp"
#include "http/message.hpp"

namespace conform::engine {

// failure: the endpoint deviated from the contract; error: the case could not be evaluated
// (connection refused, timeout, garbage where JSON was needed); skipped: not run, with a reason;
// inconclusive: a step answered what the case says a fixture no query can check would answer
// once it moved on (neither a pass nor a failure; for the exit code, a MUST case not run).
enum class Outcome { passed, failed, error, skipped, inconclusive };
std::string to_string(Outcome outcome);

// Why a case erred or was skipped, so reports can type it: a missing fixture, an interrupted
// run (an error: cut off mid-case, with its step, or not run at all, without one), the
// transport, an unbound placeholder, a bug, a case that cannot apply to this run's credentials
// (it tampers with a signature, and the run signs nothing); premise_lost (skipped): a fixture was
// not in the state the case relies on, before its step or after a failed one; premise_check
// (error): the state query itself failed.
enum class Cause {
    none,
    fixtures,
    interrupted,
    transport,
    placeholder,
    internal,
    not_applicable,
    premise_lost,
    premise_check
};
std::string to_string(Cause cause);

// One deviation, as data: reporters word it. where is "status", "Content-Type", "body" or the
// JSON pointer as the case wrote it (placeholder names, not the run's random ids).
struct Failure {
    std::string rule;  // the rule whose expectation failed
    std::string kind;  // status, content-type, json, schema:<file>, no-body, predicate, capture
    std::string where;
    std::string got;       // what came, briefly (JSON text for values)
    std::string expected;  // what the case expected; empty when got says it all (schema keywords)
};

// The step a failure or error belongs to, as the case names it: method and the path template
// with the case's query templates (DELETE /v1.0/{project_id}/asset?asset_id={{a}}).
struct StepRef {
    std::size_t index = 0;  // 0-based
    std::string method;
    std::string target;
    std::string note;  // how the step was tried, e.g. "did not settle within 1.0 s (4 tries)"
};

// A response's shape: each JSON pointer with array indexes folded to "*" and its type.
using Shape = std::vector<std::pair<std::string, std::string>>;

// One request as it was sent and what came back, credentials already masked.
struct Exchange {
    std::string step;
    std::size_t step_index = 0;
    http::Request request;
    std::optional<http::Response> response;  // none when the transport failed
    double seconds = 0;
    std::optional<std::size_t> matched;  // the expectation alternative that held
    Shape shape;                         // of a JSON response body
};

// A run's baseline lists the case as a known deviation (conform run --baseline): known, its
// failures all matched an entry; expired, they did but an entry's date has passed; fixed, the
// case passed. gates: --strict-baseline makes a fixed or expired entry count against the run.
struct KnownDeviation {
    enum class State { known, expired, fixed };
    State state = State::known;
    std::string reason;
    std::string expires;  // YYYY-MM-DD of the entry that expired or would expire first; empty if none
    bool gates = false;
};
std::string to_string(KnownDeviation::State state);

// A fixture found out of the state its case relies on (contract.json "premises"): which one,
// the state that confirms its kind and the state the query found.
struct PremiseFinding {
    std::string fixture;   // the case's placeholder
    std::string id;        // the fixture's id, from the fixtures file
    std::string kind;      // its kind
    std::string expected;  // "transcode_status WAITING_TRANSCODE"
    std::string found;     // "transcode_status TRANSCODING", or "no asset listed"
};

// The final verdict on a case, which every reporter and the exit code read and only the judge
// (core/judge) decides: a deviation of a SHOULD rule outside --strict is warned; one the run's
// baseline lists is known; premise_lost: skipped because its premise no longer held (no gap);
// inconclusive: ran without proving anything (a gap, like a MUST case not run).
enum class Verdict { passed, failed, warned, error, skipped, known, premise_lost, inconclusive };
std::string to_string(Verdict verdict);

struct Judgement {
    Verdict verdict = Verdict::skipped;
    // The level the verdict was judged at: for a deviation, the highest of the failed rules'
    // levels (a MUST rule's deviation seen by a SHOULD case is MUST); else the case's.
    contract::Level level = contract::Level::must;
    // The run was meant to prove the case and did not: a MUST case (any with --strict) that did
    // not run, or an inconclusive one. Exit 5 unless --allow-skips.
    bool unproven = false;
};

struct CaseResult {
    contract::CaseSummary test_case;  // the case it ran, as reports name it
    Outcome outcome = Outcome::skipped;
    Cause cause = Cause::none;
    std::string message;            // error or skip: the reason, in the engine's words
    std::vector<Failure> failures;  // failed: every deviation of the failing step
    std::optional<StepRef> step;    // the step that failed or erred
    std::vector<Exchange> exchanges;
    std::optional<KnownDeviation> baseline;  // set only when a baseline lists the case
    std::optional<PremiseFinding> premise;   // Cause::premise_lost: the first fixture found drifted
    // Passed, but a fixture it relies on is of a kind no query can check: the pass proves less.
    bool unverified = false;
    Judgement judgement;  // set by the judge before any reporter sees the result
    double started = 0;   // seconds from the run's start
    double seconds = 0;
};

// Fixtures a run made through the API: how many were made, handed to cases and removed, and
// each one that could not be removed with why. (Not nested in RunResult: clang would judge it not
// default-constructible inside the incomplete RunResult and keep that answer.)
struct Provisioned {
    std::size_t made = 0, used = 0, removed = 0;
    std::vector<std::pair<std::string, std::string>> left;  // id, why
};

struct RunResult {
    std::vector<CaseResult> cases;  // in contract order, whatever order they finished in
    std::chrono::system_clock::time_point started;
    double seconds = 0;
    bool interrupted = false;
    std::size_t requests_sent = 0;
    // Requests a gateway refused for its quota (429) and resent, and the time spent waiting
    // for the quota; a throttled request is not a result.
    std::size_t requests_throttled = 0;
    double quota_wait_seconds = 0;
    // Premise checks: the state queries sent (not in requests_sent: another quota category),
    // and every fixture found drifted, with the case that found it (the ledger records them).
    std::size_t premise_queries = 0;
    std::vector<std::pair<std::string, PremiseFinding>> drifted;
    // Fixtures the run made through the API (--provision).
    std::optional<Provisioned> provisioned;
};

}  // namespace conform::engine
