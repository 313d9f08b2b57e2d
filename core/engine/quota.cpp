#include "engine/quota.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "contract/json_file.hpp"
#include "util/bounded_json.hpp"
#include "util/text.hpp"
#include "util/utc_time.hpp"

namespace conform::engine {

namespace {

using Steady = TimeSource::Steady;

// Adaptive pace: cut to this share of what was admitted, never below one request a minute;
// grow by k_increase / pace per admitted request (about k_increase req/s each second).
constexpr double k_decrease = 0.9;
constexpr double k_min_rate = 1.0 / 60;
constexpr double k_increase = 1.0;
// One more request in flight after this many admitted in a row.
constexpr std::size_t k_concurrency_step = 8;

class RealTime final : public TimeSource {
  public:
    Steady::time_point now() override { return Steady::now(); }
    std::chrono::system_clock::time_point wall() override { return std::chrono::system_clock::now(); }
    bool sleep_until(Steady::time_point until, std::stop_token stop) override
    {
        // Nothing notifies the condition but the stop: the wait ends at `until` or at the stop.
        std::mutex mutex;
        std::condition_variable_any never;
        std::unique_lock lock(mutex);
        never.wait_until(lock, stop, until, [] { return false; });
        return !stop.stop_requested();
    }
};

double seconds_between(Steady::time_point from, Steady::time_point to)
{
    return std::chrono::duration<double>(to - from).count();
}

Steady::time_point after(Steady::time_point from, double seconds)
{
    return from + std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(seconds));
}

// A positive decimal number filling all of text, or nothing.
std::optional<double> positive_number(std::string_view text)
{
    std::string s(text);
    char* end = nullptr;
    const double n = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0' || !(n > 0) || !std::isfinite(n)) {
        return std::nullopt;
    }
    return n;
}

}  // namespace

std::shared_ptr<TimeSource> real_time()
{
    static const auto instance = std::make_shared<RealTime>();
    return instance;
}

Rate parse_rate(std::string_view text)
{
    const auto slash = text.find('/');
    const auto what =
        fmt::format("'{}' is not N/PERIOD (e.g. 100/min, 30/3s; PERIOD s, sec, min, m, h or seconds)", text);
    if (slash == std::string_view::npos) {
        throw std::invalid_argument(what);
    }
    const auto count = positive_number(text.substr(0, slash));
    auto period = text.substr(slash + 1);
    double unit = 1;
    bool named_unit = false;
    for (const auto& [suffix, seconds] :
         {std::pair<std::string_view, double>{"sec", 1}, {"min", 60}, {"s", 1}, {"m", 60}, {"h", 3600}}) {
        if (period.ends_with(suffix)) {
            period.remove_suffix(suffix.size());
            unit = seconds;
            named_unit = true;
            break;
        }
    }
    // "100/min" means one minute: a bare unit counts once.
    const auto amount = period.empty() && named_unit ? std::optional<double>(1) : positive_number(period);
    if (!count || !amount) {
        throw std::invalid_argument(what);
    }
    return Rate{*count, *amount * unit};
}

std::optional<double> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now)
{
    value = util::trim(value);
    if (value.empty()) {
        return std::nullopt;
    }
    if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return value.size() > 9 ? 1e9 : std::stod(std::string(value));
    }
    // IMF-fixdate, the form RFC 9110 requires senders to use: "Sun, 06 Nov 1994 08:49:37 GMT".
    const auto when = util::parse_utc(value, "%a, %d %b %Y %H:%M:%S GMT");
    if (!when) {
        return std::nullopt;
    }
    return std::max(0.0, std::chrono::duration<double>(*when - now).count());
}

Pacer::Pacer(QuotaOptions options, int jobs, std::shared_ptr<TimeSource> time, std::stop_token stop, std::uint64_t seed)
    : m_options(options), m_jobs(std::max(1, jobs)), m_time(std::move(time)), m_stop(std::move(stop)), m_random(seed),
      m_rate(options.rate ? options.rate->per_second() : 0), m_concurrency(m_jobs)
{
}

void Pacer::watch(std::stop_token stop)
{
    std::lock_guard lock(m_mutex);
    m_stop = std::move(stop);
    m_changed.notify_all();
}

double Pacer::acquire()
{
    std::unique_lock lock(m_mutex);
    bool waiting = false;
    Steady::time_point waiting_from{};
    auto stop_waiting = [&](Steady::time_point now) {
        if (waiting && --m_waiting == 0) {
            m_figures.wait_seconds += seconds_between(m_waiting_since, now);
        }
        return waiting ? seconds_between(waiting_from, now) : 0.0;
    };
    for (;;) {
        const auto now = m_time->now();
        if (m_stop.stop_requested()) {
            stop_waiting(now);
            throw TransportError("interrupted while waiting for the request quota");
        }
        const auto ready_at = std::max(m_paused_until, m_rate > 0 ? m_next_slot : now);
        if (m_in_flight < m_concurrency && now >= ready_at) {
            const double waited = stop_waiting(now);
            ++m_in_flight;
            if (m_rate > 0) {
                m_next_slot = after(std::max(m_next_slot, now), 1 / m_rate);
            }
            return waited;
        }
        if (!waiting) {
            waiting = true;
            waiting_from = now;
            if (m_waiting++ == 0) {
                m_waiting_since = now;
            }
        }
        // Either wait ends early at the stop; the loop then throws.
        if (m_in_flight >= m_concurrency) {
            auto stop = m_stop;
            m_changed.wait(lock, stop, [&] { return m_in_flight < m_concurrency || m_stop != stop; });
        } else {
            auto stop = m_stop;
            lock.unlock();
            m_time->sleep_until(ready_at, stop);
            lock.lock();
        }
    }
}

void Pacer::release_locked()
{
    --m_in_flight;
    m_changed.notify_all();
}

void Pacer::admitted()
{
    std::lock_guard lock(m_mutex);
    release_locked();
    if (!m_first_admitted) {
        m_first_admitted = m_time->now();
    }
    ++m_admitted;
    ++m_since_throttle;
    if (m_rate > 0) {
        const double cap = m_options.rate ? m_options.rate->per_second() : HUGE_VAL;
        m_rate = std::min(cap, m_rate + k_increase / m_rate);
    }
    if (m_concurrency < m_jobs && m_since_throttle % k_concurrency_step == 0) {
        ++m_concurrency;
    }
}

double Pacer::throttled(int tries, std::optional<double> retry_after)
{
    std::lock_guard lock(m_mutex);
    release_locked();
    ++m_figures.throttled;
    m_since_throttle = 0;
    const auto now = m_time->now();
    double delay = 0;
    if (retry_after) {
        delay = *retry_after;
    } else {
        const double ceiling = std::min(m_options.backoff_cap_seconds,
                                        m_options.backoff_base_seconds * std::pow(2.0, std::clamp(tries - 1, 0, 30)));
        delay = std::uniform_real_distribution<double>(0, ceiling)(m_random);
    }
    // Several workers refused at once tell one thing: cut the pace once per pause. The rate
    // admitted so far is what the quota allowed; with nothing admitted yet (the quota was spent
    // before the run) there is no rate to go by, and the backoff alone holds the requests.
    if (now >= m_paused_until) {
        const double elapsed = m_first_admitted ? seconds_between(*m_first_admitted, now) : 0;
        if (m_admitted >= 2 && elapsed > 0) {
            const double admitted_rate = static_cast<double>(m_admitted) / elapsed;
            m_rate = std::max(k_min_rate, (m_rate > 0 ? std::min(m_rate, admitted_rate) : admitted_rate) * k_decrease);
        }
        m_concurrency = std::max(1, m_concurrency / 2);
    }
    // A Retry-After past the budget ends this request; it must not hold the others that long.
    m_paused_until = std::max(m_paused_until, after(now, std::min(delay, m_options.budget_seconds)));
    return delay;
}

void Pacer::abandoned()
{
    std::lock_guard lock(m_mutex);
    release_locked();
}

QuotaFigures Pacer::figures() const
{
    std::lock_guard lock(m_mutex);
    return m_figures;
}

double Pacer::pace() const
{
    std::lock_guard lock(m_mutex);
    return m_rate;
}

int Pacer::concurrency() const
{
    std::lock_guard lock(m_mutex);
    return m_concurrency;
}

ThrottledOut::ThrottledOut(int tries, double seconds)
    : TransportError(fmt::format(
          "throttled: gave up after {} {}, {:.1f} s (each answered as throttled: the throttle budget is spent)", tries,
          tries == 1 ? "try" : "tries", seconds)),
      m_tries(tries), m_seconds(seconds)
{
}

PacedExchange send_paced(Pacer& pacer, Transport& transport, http::Request request,
                         const std::function<http::Request()>& rebuild, std::atomic<std::size_t>& sent,
                         const BeforeSend& before_send)
{
    auto& time = pacer.time();
    const auto first = time.now();
    PacedExchange out;
    out.request = std::move(request);
    for (;;) {
        const double held = pacer.acquire();
        try {
            if (before_send) {
                before_send(held);
            }
            if (out.tries++ > 0) {
                out.request = rebuild();
            }
            ++sent;
            out.response = transport.send(out.request);
        } catch (...) {
            pacer.abandoned();
            throw;
        }
        const auto& throttled = pacer.options().throttled;
        if (throttled ? !throttled(out.response) : out.response.status != 429) {
            pacer.admitted();
            return out;
        }
        const auto retry_after = out.response.headers.get("Retry-After");
        const double delay =
            pacer.throttled(out.tries, retry_after ? parse_retry_after(*retry_after, time.wall()) : std::nullopt);
        const double spent = seconds_between(first, time.now());
        if (spent + delay > pacer.options().budget_seconds) {
            throw ThrottledOut(out.tries, spent);
        }
    }
}

ThrottledAnswer throttled_answers(std::vector<contract::ThrottleAnswer> answers)
{
    return [answers = std::move(answers)](const http::Response& response) {
        std::optional<nlohmann::json> body;
        for (const auto& a : answers) {
            if (a.status != response.status) {
                continue;
            }
            if (!a.pointer) {
                return true;
            }
            if (!body) {
                try {
                    body = util::parse_bounded_json(response.body);
                } catch (const util::JsonParseError&) {
                    body = nlohmann::json();
                }
            }
            const auto* value = contract::find_pointer(*body, *a.pointer);
            if (value && value->is_string() && value->get<std::string>() == a.equals) {
                return true;
            }
        }
        return false;
    };
}

QuotaCategories::QuotaCategories(const contract::Quota& quota, const QuotaOptions& options, int jobs,
                                 std::shared_ptr<TimeSource> time, std::stop_token stop, const std::string& separate)
    : m_quota(quota), m_separate(separate)
{
    double smallest = 0;
    for (const auto& c : quota.categories) {
        smallest = smallest > 0 ? std::min(smallest, c.per_minute) : c.per_minute;
    }
    auto make = [&](double share) {
        auto o = options;
        if (o.rate) {
            o.rate->requests *= share;
        }
        return std::make_unique<Pacer>(o, jobs, time, stop);
    };
    for (const auto& c : quota.categories) {
        m_pacers[c.name] = make(c.per_minute / smallest);
    }
    m_pacers[""] = make(1);
    if (!separate.empty() && !quota.category_of(separate)) {
        m_pacers["\n" + separate] = make(1);  // a name no category can have
    }
}

Pacer& QuotaCategories::pacer(const std::string& operation)
{
    if (const auto* c = m_quota.category_of(operation)) {
        return *m_pacers.at(c->name);
    }
    if (!m_separate.empty() && operation == m_separate) {
        return *m_pacers.at("\n" + m_separate);
    }
    return *m_pacers.at("");
}

void QuotaCategories::watch(std::stop_token stop)
{
    for (auto& [name, pacer] : m_pacers) {
        pacer->watch(stop);
    }
}

QuotaCategories::Marks QuotaCategories::marks() const
{
    Marks out;
    for (const auto& [name, pacer] : m_pacers) {
        out[name] = pacer->figures();
    }
    return out;
}

QuotaFigures QuotaCategories::figures(const Marks& since) const
{
    QuotaFigures all;
    for (const auto& [name, pacer] : m_pacers) {
        auto f = pacer->figures();
        if (const auto it = since.find(name); it != since.end()) {
            f.throttled -= it->second.throttled;
            f.wait_seconds -= it->second.wait_seconds;
        }
        all.throttled += f.throttled;
        all.wait_seconds = std::max(all.wait_seconds, f.wait_seconds);
    }
    return all;
}

}  // namespace conform::engine
