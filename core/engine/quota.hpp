// Living under an endpoint's request quota: pacing requests, and resending what was refused for
// the quota (not carried out): HTTP 429 unless the contract lists other answers (contract.json
// "quota": throttled). Nothing here knows the API: only HTTP, Retry-After and that data.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stop_token>
#include <string>
#include <string_view>

#include "contract/profile.hpp"
#include "engine/transport.hpp"
#include "http/message.hpp"

namespace conform::engine {

// Where a run takes its time from (the quota, settle steps, the provisioner's polling): the real
// clocks in a run, a simulated one in tests (so a test of a multi-second backoff takes no time).
// Every wait of a run is a sleep_until here, so that one stop (Ctrl-C) ends each of them at once.
class TimeSource {
  public:
    using Steady = std::chrono::steady_clock;
    virtual ~TimeSource() = default;
    virtual Steady::time_point now() = 0;
    virtual std::chrono::system_clock::time_point wall() = 0;  // HTTP dates, request signing
    // Sleeps until `until` (or a little past), or until stop is requested; false: stopped.
    virtual bool sleep_until(Steady::time_point until, std::stop_token stop) = 0;
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

// Whether an answer means "throttled, not carried out"; empty: a 429.
using ThrottledAnswer = std::function<bool(const http::Response&)>;
// The contract's list of such answers as a test: a status, and where given a body member's value.
ThrottledAnswer throttled_answers(std::vector<contract::ThrottleAnswer> answers);

struct QuotaOptions {
    std::optional<Rate> rate;     // --rate: a cap across all workers; none: adapt to 429s
    double budget_seconds = 300;  // per request: how long a throttled request may keep trying
    double backoff_base_seconds = 0.5;
    double backoff_cap_seconds = 60;
    ThrottledAnswer throttled = {};  // which answers are resent
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
    Pacer(QuotaOptions options, int jobs, std::shared_ptr<TimeSource> time = real_time(), std::stop_token stop = {},
          std::uint64_t seed = std::random_device{}());

    // Blocks until a request may be sent and says how long it waited (0: let go at once); throws
    // TransportError when the watched stop is requested.
    double acquire();
    // The request was answered with something other than 429.
    void admitted();
    // The request (its `tries`-th attempt) was answered 429: how long it must wait before the
    // next try (Retry-After when readable, else exponential backoff with full jitter). Every
    // worker is held that long too.
    double throttled(int tries, std::optional<double> retry_after);
    // The request ended without an answer (transport error), or was not sent after all: frees
    // its slot.
    void abandoned();
    // From now on acquire answers to this stop (cleanup after a run keeps the run's pacers, and
    // stops at its own Ctrl-C).
    void watch(std::stop_token stop);

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

    mutable std::mutex m_mutex;
    std::stop_token m_stop;
    std::condition_variable_any m_changed;
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

// Called once the pacer let a try go, right before it is sent, with the seconds the pacer held
// it (0: at once): a request that relies on a state read before the wait can read it again. What
// it throws ends the exchange unsent, its slot freed.
using BeforeSend = std::function<void(double held_seconds)>;

// Sends request through the pacer, resending throttled answers only (429 by default) (each resend built afresh by
// rebuild(): a signature's date must be new) until the per-request budget is spent: then throws
// ThrottledOut. Any other status is returned as it came. `sent` counts every request sent.
PacedExchange send_paced(Pacer& pacer, Transport& transport, http::Request request,
                         const std::function<http::Request()>& rebuild, std::atomic<std::size_t>& sent,
                         const BeforeSend& before_send = {});

// The pacers of an endpoint: one per quota category of the contract (each paced and adapted on
// its own, so that a category's 429s do not slow the others), one for operations no category
// lists, and one of its own for `separate` (the state query) when no category lists it. --rate
// gives the pace of the category with the smallest quota; the others are paced in proportion to
// theirs. One set serves everything sent to the endpoint at once (a run and the fixtures made for
// it), so that together they keep to the quota.
class QuotaCategories {
  public:
    QuotaCategories(const contract::Quota& quota, const QuotaOptions& options, int jobs,
                    std::shared_ptr<TimeSource> time, std::stop_token stop, const std::string& separate = "");
    Pacer& pacer(const std::string& operation);
    // Each pacer's figures so far, by category: where a later count starts.
    using Marks = std::map<std::string, QuotaFigures>;
    Marks marks() const;
    // All pacers together (the 429s summed, the longest wait: they wait side by side), counted
    // from the marks given.
    QuotaFigures figures(const Marks& since = {}) const;
    void watch(std::stop_token stop);  // every pacer's Pacer::watch

  private:
    const contract::Quota& m_quota;
    std::map<std::string, std::unique_ptr<Pacer>> m_pacers;  // by category; "" for the uncategorised
    std::string m_separate;
};

}  // namespace conform::engine
