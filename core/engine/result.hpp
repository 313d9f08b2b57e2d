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
// (connection refused, timeout, garbage where JSON was needed); skipped: not run, with a reason.
enum class Outcome { passed, failed, error, skipped };
std::string to_string(Outcome outcome);

// One request as it was sent and what came back, credentials already masked.
struct Exchange {
    std::string step;
    http::Request request;
    std::optional<http::Response> response;  // none when the transport failed
    double seconds = 0;
};

struct CaseResult {
    const contract::Case* test_case = nullptr;
    Outcome outcome = Outcome::skipped;
    std::string message;  // one line: the first reason
    std::string detail;   // every reason, one a line
    std::vector<Exchange> exchanges;
    double seconds = 0;
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
};

}  // namespace conform::engine
