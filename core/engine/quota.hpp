// Living under an endpoint's request quota: pacing requests across all workers, and resending
// what a gateway refused for its quota (HTTP 429: the request was not carried out). Nothing
// here knows the API: only HTTP's 429 and Retry-After.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "engine/transport.hpp"
#include "http/message.hpp"

namespace conform::engine {

// Where the quota logic takes its time from: the real clocks in a run, a simulated one in tests
// (so a test of a multi-second backoff takes no time).
class TimeSource {
  public:
    using Steady = std::chrono::steady_clock;
    virtual ~TimeSource() = default;
    virtual Steady::time_point now() = 0;
    virtual std::chrono::system_clock::time_point wall() = 0;  // HTTP dates, request signing
    // Sleeps until `until` or a little past; may return early (callers re-check).
    virtual void sleep_until(Steady::time_point until) = 0;
};

std::shared_ptr<TimeSource> real_time();

// A request rate: `requests` per `seconds`.
struct Rate {
    double requests = 0;
    double seconds = 1;
    double per_second() const { return requests / seconds; }
};

// "100/min", "30/3s", "30/3", "5/sec", "1000/h": N/PERIOD with PERIOD s|sec|min|m|h or a
// number of seconds (with an optional s). Throws std::invalid_argument saying what is wrong.
Rate parse_rate(std::string_view text);

// A Retry-After value (RFC 9110: delay-seconds or an HTTP-date) as seconds from `now`;
// nothing when it is unreadable. A date in the past is 0.
std::optional<double> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now);

struct QuotaOptions {
    std::optional<Rate> rate;     // --rate: a cap across all workers; none: adapt to 429s
    double budget_seconds = 300;  // per request: how long a throttled request may keep trying
    double backoff_base_seconds = 0.5;
    double backoff_cap_seconds = 60;
};

// The quota's figures for a run's summary.
struct QuotaFigures {
    std::size_t throttled = 0;  // 429 answers (each was resent or ended its case)
    double wait_seconds = 0;    // time during which some request was held for the quota
};

// One pacer per run, shared by every worker; thread-safe. Each request first waits for a slot
// (acquire), then says how it went. Paced by --rate when given (requests evenly spaced at the
// rate: a sliding-window quota never sees a burst). Without it the pace is free until a 429;
// then it is cut to below the rate that was admitted so far and the concurrency halves, and both
// grow back slowly (additive increase, multiplicative decrease). A 429 also holds every worker
// for the backoff, so the quota is not spent on attempts that are sure to be refused.
class Pacer {
  public:
    Pacer(QuotaOptions options, int jobs, std::shared_ptr<TimeSource> time = real_time(),
          const std::atomic<bool>* interrupted = nullptr, std::uint64_t seed = std::random_device{}());

    // Blocks until a request may be sent; throws TransportError when the run is interrupted.
    void acquire();
    // The request was answered with something other than 429.
    void admitted();
    // The request (its `tries`-th attempt) was answered 429: how long it must wait before the
    // next try (Retry-After when readable, else exponential backoff with full jitter). Every
    // worker is held that long too.
    double throttled(int tries, std::optional<double> retry_after);
    // The request ended without an answer (transport error): frees its slot.
    void abandoned();

    QuotaFigures figures() const;
    const QuotaOptions& options() const { return m_options; }
    TimeSource& time() const { return *m_time; }
    // Current pace in requests per second (0: unpaced) and concurrency, for tests and messages.
    double pace() const;
    int concurrency() const;

  private:
    using Steady = TimeSource::Steady;
    void release_locked();

    QuotaOptions m_options;
    int m_jobs;
    std::shared_ptr<TimeSource> m_time;
    const std::atomic<bool>* m_interrupted;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::mt19937_64 m_random;
    double m_rate = 0;  // requests per second; 0: unpaced
    int m_concurrency;  // requests in flight allowed at once
    int m_in_flight = 0;
    std::size_t m_admitted = 0;
    std::size_t m_since_throttle = 0;
    std::optional<Steady::time_point> m_first_admitted;
    Steady::time_point m_next_slot{};
    Steady::time_point m_paused_until{};
    // Wait accounting: the union of the intervals during which some request was held.
    int m_waiting = 0;
    Steady::time_point m_waiting_since{};
    QuotaFigures m_figures;
};

// The quota ran out for one request: its try count and how long it kept trying.
class ThrottledOut : public TransportError {
  public:
    ThrottledOut(int tries, double seconds);
    int tries() const { return m_tries; }
    double seconds() const { return m_seconds; }

  private:
    int m_tries;
    double m_seconds;
};

// What a paced send produced: the last answer (never a 429) and the last request sent.
struct PacedExchange {
    http::Request request;
    http::Response response;
    int tries = 0;
};

// Sends request through the pacer, resending on 429 only (each resend built afresh by
// rebuild(): a signature's date must be new) until the per-request budget is spent: then throws
// ThrottledOut. Any other status is returned as it came. `sent` counts every request sent.
PacedExchange send_paced(Pacer& pacer, Transport& transport, http::Request request,
                         const std::function<http::Request()>& rebuild, std::atomic<std::size_t>& sent);

}  // namespace conform::engine
