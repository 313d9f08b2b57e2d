#include <catch2/catch.hpp>

#include <mutex>
#include <stop_token>
#include <thread>

#include "contract/contract.hpp"
#include "contracts.hpp"
#include "engine/quota.hpp"
#include "engine/run.hpp"
#include "fake_time.hpp"
#include "silent_listener.hpp"

using namespace conform;
using namespace std::chrono_literals;

namespace {

using test_time::FakeTime;

// Answers each request with the next scripted status (the last one repeats) and keeps every
// request it was sent.
struct Script {
    std::vector<http::Response> replies;
    std::vector<http::Request> sent;
};

class ScriptedTransport final : public engine::Transport {
  public:
    explicit ScriptedTransport(Script& script) : m_script(script) {}
    http::Response send(const http::Request& request) override
    {
        m_script.sent.push_back(request);
        return m_script.replies[std::min(m_script.sent.size(), m_script.replies.size()) - 1];
    }

  private:
    Script& m_script;
};

http::Response reply(int status, std::optional<std::string> retry_after = std::nullopt)
{
    http::Response r;
    r.status = status;
    r.headers.set("Content-Type", "application/json");
    r.body = status == 429 ? R"({"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached"})"
                           : R"({"error_code":"VOD.10062","error_msg":"Media asset or resource does not exist."})";
    if (retry_after) {
        r.headers.set("Retry-After", *retry_after);
    }
    return r;
}

// Runs C4-nonexistent-asset (one ConfirmAssetUpload step; 400/403 VOD.10062 passes) against the script.
engine::RunResult run_scripted(Script& script, std::shared_ptr<FakeTime> time, engine::Credentials credentials,
                               double budget = 300)
{
    static const auto contract = contract::Contract::load(test_contracts::vod_paths());
    std::vector<const contract::Case*> cases;
    for (const auto& k : contract.cases()) {
        if (k.id == "C4-nonexistent-asset") {
            cases.push_back(&k);
        }
    }
    REQUIRE(cases.size() == 1);
    engine::FixtureAllocator allocator({}, contract.generated_kinds());
    std::vector<engine::Allocation> allocations = {allocator.allocate(*cases[0])};
    engine::RunOptions options;
    options.base_url = "http://127.0.0.1:9";
    options.run_bindings = {{"project_id", "p"}};
    options.credentials = std::move(credentials);
    options.quota.budget_seconds = budget;
    options.time = std::move(time);
    test_listeners::Silent silent;
    return engine::run_cases(
        contract, cases, allocations, [&] { return std::make_unique<ScriptedTransport>(script); }, options, silent);
}

const engine::Credentials k_token_credentials{engine::Credentials::Mode::token, "tok", {}};

}  // namespace

TEST_CASE("the --rate flag reads N/PERIOD in seconds, minutes or hours and names what is wrong", "[quota]")
{
    auto check = [](const char* text, double requests, double seconds) {
        INFO(text);
        const auto rate = engine::parse_rate(text);
        CHECK(rate.requests == requests);
        CHECK(rate.seconds == Approx(seconds));
    };
    check("100/min", 100, 60);
    check("100/m", 100, 60);
    check("30/3s", 30, 3);
    check("30/3", 30, 3);
    check("5/sec", 5, 1);
    check("5/s", 5, 1);
    check("1000/h", 1000, 3600);
    check("2/1.5min", 2, 90);
    check("20/0.5", 20, 0.5);
    for (const char* bad :
         {"100", "/min", "0/min", "x/min", "10/-1", "10/0", "10/mins", "10/", "10/min/2", "nan/s", "10/3 s"}) {
        INFO(bad);
        CHECK_THROWS_WITH(engine::parse_rate(bad), Catch::Contains(std::string("'") + bad + "' is not N/PERIOD"));
    }
}

TEST_CASE("Retry-After is read as seconds or as an HTTP date", "[quota]")
{
    const auto now = std::chrono::system_clock::from_time_t(784111767);  // Sun, 06 Nov 1994 08:49:27 GMT
    CHECK(engine::parse_retry_after("3", now) == 3.0);
    CHECK(engine::parse_retry_after(" 120 ", now) == 120.0);
    CHECK(engine::parse_retry_after("0", now) == 0.0);
    CHECK(engine::parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == 10.0);
    CHECK(engine::parse_retry_after("Sun, 06 Nov 1994 08:40:00 GMT", now) == 0.0);  // already past
    // A date past the clock's range (2262) overflowed the conversion to nanoseconds: undefined
    // behaviour, a wait of any length.
    for (const char* bad : {"", "soon", "-1", "1.5", "3s", "Sun, 06 Nov 1994 08:49:37", "06 Nov 1994 08:49:37 GMT",
                            "Sun, 06 Nov 4052 08:49:37 GMT"}) {
        INFO(bad);
        CHECK_FALSE(engine::parse_retry_after(bad, now).has_value());
    }
}

TEST_CASE("pacing at --rate spaces requests evenly: 31 requests at 30/3s take 3 s, and the wait is counted", "[quota]")
{
    auto time = std::make_shared<FakeTime>();
    engine::Pacer pacer({engine::Rate{30, 3}}, 4, time);
    std::vector<double> at;
    for (int i = 0; i < 31; ++i) {
        pacer.acquire();
        at.push_back(time->seconds());
        pacer.admitted();
    }
    for (std::size_t i = 1; i < at.size(); ++i) {
        CHECK(at[i] - at[i - 1] == Approx(0.1).margin(1e-6));
    }
    CHECK(at.back() == Approx(3.0).margin(1e-6));
    CHECK(pacer.figures().wait_seconds == Approx(3.0).margin(1e-6));
    CHECK(pacer.pace() == Approx(10));  // admitted requests never raise it above --rate
}

TEST_CASE("backoff is exponential with full jitter, capped, and Retry-After wins when given", "[quota]")
{
    auto time = std::make_shared<FakeTime>();
    for (int tries = 1; tries <= 12; ++tries) {
        const double ceiling = std::min(60.0, 0.5 * std::pow(2.0, tries - 1));
        double lowest = 1e9, highest = 0;
        for (std::uint64_t seed = 0; seed < 200; ++seed) {
            engine::Pacer pacer({}, 4, time, {}, seed);
            pacer.acquire();
            const double delay = pacer.throttled(tries, std::nullopt);
            lowest = std::min(lowest, delay);
            highest = std::max(highest, delay);
        }
        INFO("tries " << tries);
        CHECK(lowest >= 0);
        CHECK(lowest < 0.1 * ceiling);  // full jitter: from zero...
        CHECK(highest <= ceiling);      // ...to the exponential ceiling, capped at 60 s
        CHECK(highest > 0.9 * ceiling);
    }
    engine::Pacer pacer({}, 4, time);
    pacer.acquire();
    CHECK(pacer.throttled(1, 7.0) == 7.0);
}

TEST_CASE("without --rate, a 429 cuts the pace and the concurrency, which then grow back slowly", "[quota]")
{
    auto time = std::make_shared<FakeTime>();
    engine::Pacer pacer({}, 4, time);
    CHECK(pacer.pace() == 0);  // unpaced until the endpoint says otherwise
    for (int i = 0; i < 20; ++i) {
        pacer.acquire();
        pacer.admitted();
        time->advance(0.1s);  // 10 requests a second admitted
    }
    pacer.acquire();
    pacer.throttled(1, 0.0);
    const double cut = pacer.pace();
    CHECK(cut > 0);
    CHECK(cut < 10);
    CHECK(pacer.concurrency() == 2);
    pacer.acquire();
    pacer.admitted();
    CHECK(pacer.pace() > cut);
    CHECK(pacer.pace() < cut * 1.1);
    // A burst of refusals of requests already under way cuts only once.
    pacer.acquire();
    pacer.acquire();
    pacer.throttled(1, 5.0);
    const double once = pacer.pace();
    pacer.throttled(1, 5.0);
    CHECK(pacer.pace() == once);
    CHECK(pacer.concurrency() == 1);
    CHECK(pacer.figures().throttled == 3);
}

TEST_CASE("a 429 is resent, after Retry-After, and is not a result", "[quota][run]")
{
    auto time = std::make_shared<FakeTime>();
    Script script{{reply(429, "2"), reply(400)}, {}};
    auto run = run_scripted(script, time, k_token_credentials);
    REQUIRE(script.sent.size() == 2);
    CHECK(run.cases[0].outcome == engine::Outcome::passed);
    CHECK(run.requests_sent == 2);
    CHECK(run.requests_throttled == 1);
    CHECK(run.quota_wait_seconds == Approx(2.0).margin(0.01));
    CHECK(time->seconds() >= 2.0);
    CHECK(script.sent[0].body == script.sent[1].body);
    CHECK(script.sent[0].target() == script.sent[1].target());
}

TEST_CASE("an AK/SK request is signed afresh for each resend", "[quota][run]")
{
    auto time = std::make_shared<FakeTime>();
    Script script{{reply(429), reply(429, "3"), reply(400)}, {}};
    run_scripted(script, time, {engine::Credentials::Mode::aksk, "", {"MYAK", "MYSK"}});
    REQUIRE(script.sent.size() == 3);
    const auto date = [](const http::Request& r) { return r.headers.get("X-Sdk-Date").value_or(""); };
    const auto signature = [](const http::Request& r) { return r.headers.get("Authorization").value_or(""); };
    CHECK(date(script.sent[0]) == http::format_sdk_date(FakeTime::k_wall_start));
    CHECK(date(script.sent[2]) != date(script.sent[1]));
    CHECK(signature(script.sent[2]) != signature(script.sent[1]));
    CHECK_THAT(signature(script.sent[2]), Catch::StartsWith("SDK-HMAC-SHA256 Access=MYAK"));
    // The date moved with the wait: the last try went out at least 3 s after the second.
    const auto second = http::parse_sdk_date(date(script.sent[1]));
    const auto third = http::parse_sdk_date(date(script.sent[2]));
    REQUIRE((second && third));
    CHECK(*third - *second >= std::chrono::seconds(3));
}

TEST_CASE("a request throttled past its budget ends its case as an error naming step, tries and time", "[quota][run]")
{
    auto time = std::make_shared<FakeTime>();
    Script script{{reply(429)}, {}};
    auto run = run_scripted(script, time, k_token_credentials, 120);
    const auto& r = run.cases[0];
    CHECK(r.outcome == engine::Outcome::error);
    CHECK_THAT(r.message,
               Catch::StartsWith("throttled: gave up after " + std::to_string(script.sent.size()) + " tries, "));
    REQUIRE(r.step);
    CHECK(r.step->method + " " + r.step->target == "POST /v1.0/{project_id}/asset/status/uploaded");
    CHECK(script.sent.size() >= 5);  // backed off exponentially: not hundreds of tries
    CHECK(script.sent.size() <= 40);
    CHECK(time->seconds() <= 120);
    CHECK(run.requests_throttled == script.sent.size());

    SECTION("the error carries the tries and the seconds")
    {
        engine::Pacer pacer({std::nullopt, 10}, 1, time);
        Script always{{reply(429, "4")}, {}};
        ScriptedTransport transport(always);
        std::atomic<std::size_t> sent{0};
        try {
            engine::send_paced(
                pacer, transport, http::Request{}, [] { return http::Request{}; }, sent);
            FAIL("no ThrottledOut");
        } catch (const engine::ThrottledOut& e) {
            CHECK(e.tries() == 3);  // at 0, 4 and 8 s; a fourth at 12 s is past the 10 s budget
            CHECK(e.seconds() == Approx(8.0).margin(0.01));
            CHECK_THAT(e.what(), Catch::StartsWith("throttled: gave up after 3 tries, 8.0 s"));
        }
        CHECK(sent == 3);
    }
}

TEST_CASE("a Retry-After beyond the budget ends that request at once and holds the others no longer than the budget",
          "[quota]")
{
    auto time = std::make_shared<FakeTime>();
    engine::Pacer pacer({std::nullopt, 30}, 2, time);
    Script script{{reply(429, "86400")}, {}};
    ScriptedTransport transport(script);
    std::atomic<std::size_t> sent{0};
    CHECK_THROWS_WITH(engine::send_paced(
                          pacer, transport, http::Request{}, [] { return http::Request{}; }, sent),
                      Catch::StartsWith("throttled: gave up after 1 try, 0.0 s"));
    pacer.acquire();  // another request
    CHECK(time->seconds() == Approx(30).margin(0.2));
}

TEST_CASE("a 500, a 503 or any status but 429 is a result: never resent", "[quota][run]")
{
    for (int status : {500, 503, 502, 408, 403}) {
        INFO(status);
        auto time = std::make_shared<FakeTime>();
        Script script{{reply(status, "1"), reply(400)}, {}};
        auto run = run_scripted(script, time, k_token_credentials);
        CHECK(script.sent.size() == 1);
        CHECK(run.requests_throttled == 0);
        if (status != 403) {
            CHECK(run.cases[0].outcome == engine::Outcome::failed);
        }
    }
}

TEST_CASE("a request the pacer held says how long; the hook before its send sees it, and what it throws frees the slot",
          "[quota]")
{
    auto time = std::make_shared<FakeTime>();
    engine::Pacer pacer({}, 1, time);
    CHECK(pacer.acquire() == 0);  // let go at once
    pacer.throttled(1, 5.0);
    CHECK(pacer.acquire() == Approx(5.0).margin(0.01));  // held for the backoff
    pacer.admitted();

    Script script{{reply(429, "3"), reply(400)}, {}};
    ScriptedTransport transport(script);
    std::atomic<std::size_t> sent{0};
    std::vector<double> held;
    engine::send_paced(
        pacer, transport, http::Request{}, [] { return http::Request{}; }, sent,
        [&](double seconds) { held.push_back(seconds); });
    REQUIRE(held.size() == 2);
    CHECK(held[0] == 0);
    CHECK(held[1] == Approx(3.0).margin(0.01));

    // Thrown before the send: nothing sent, and the slot is free for the next request.
    CHECK_THROWS_AS(engine::send_paced(
                        pacer, transport, http::Request{}, [] { return http::Request{}; }, sent,
                        [](double) { throw std::runtime_error("premise lost"); }),
                    std::runtime_error);
    CHECK(script.sent.size() == 2);
    CHECK(pacer.acquire() == 0);
}

TEST_CASE("pacers shared by a run and the fixtures made for it: one quota, each run counting its own 429s", "[quota]")
{
    const auto& contract = test_contracts::vod();
    engine::RunOptions options;
    options.time = std::make_shared<FakeTime>();
    const auto pacers = engine::make_pacers(contract, options);
    // One category, one pacer: what provisioning's publish meets, the run's deletes wait for.
    CHECK(&pacers->pacer("PublishAssets") == &pacers->pacer("DeleteAssets"));
    CHECK(&pacers->pacer("ListAssetList") != &pacers->pacer("DeleteAssets"));
    pacers->pacer("PublishAssets").acquire();
    pacers->pacer("PublishAssets").throttled(1, 10.0);
    CHECK(pacers->pacer("DeleteAssets").acquire() == Approx(10.0).margin(0.01));
    const auto marks = pacers->marks();
    CHECK(pacers->figures().throttled == 1);
    CHECK(pacers->figures(marks).throttled == 0);
    CHECK(pacers->figures(marks).wait_seconds == 0);

    // Cleanup after an interrupted run keeps the pacers and answers to its own stop.
    std::stop_source run_stop, cleanup_cut;
    run_stop.request_stop();
    engine::Pacer pacer({}, 1, options.time, run_stop.get_token());
    CHECK_THROWS_AS(pacer.acquire(), engine::TransportError);
    pacer.watch(cleanup_cut.get_token());
    CHECK(pacer.acquire() == 0);
}

TEST_CASE("the real clock's sleep ends when its stop is requested, not at its end", "[quota][time]")
{
    auto time = engine::real_time();
    std::stop_source stop;
    CHECK(time->sleep_until(time->now() + std::chrono::milliseconds(1), stop.get_token()));
    const auto start = time->now();
    std::thread ctrl_c([&] { stop.request_stop(); });
    // An hour's sleep: only the stop can end it within the test's time.
    CHECK_FALSE(time->sleep_until(start + std::chrono::hours(1), stop.get_token()));
    ctrl_c.join();
    CHECK(time->now() - start < std::chrono::minutes(5));
}
