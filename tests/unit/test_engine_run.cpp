#include <catch2/catch.hpp>

#include "contract/contract.hpp"
#include "engine/run.hpp"
#include "raw_server.hpp"
#include "report/failure_text.hpp"
#include "service.hpp"

using namespace conform;

namespace {

const contract::Contract& real_contract()
{
    static const auto c = contract::Contract::load(contract::default_contract_paths("."));
    return c;
}

struct Collect final : engine::RunListener {
    std::vector<std::string> ids;
    void case_finished(const engine::CaseResult& r) override { ids.push_back(r.test_case->id); }
};

// Runs two cases against base_url with made-up fixtures.
engine::RunResult run_two(const std::string& base_url, double timeout = 5, std::size_t cap = 8 << 20)
{
    const auto& c = real_contract();
    std::vector<const contract::Case*> cases;
    for (const auto& k : c.cases()) {
        if (k.id == "U1-single-published-asset" || k.id == "C4-nonexistent-asset") {
            cases.push_back(&k);
        }
    }
    engine::FixturePool pool;
    pool.ids_by_kind["PUBLISHED"] = {"p1"};
    engine::FixtureAllocator allocator(pool, c.generated_kinds());
    std::vector<engine::Allocation> allocations;
    for (const auto* k : cases) {
        allocations.push_back(allocator.allocate(*k));
    }
    engine::RunOptions options;
    options.base_url = base_url;
    options.project_id = "p";
    options.credentials = {engine::Credentials::Mode::token, "secret-token-value", {}};
    options.redactor.add_secret("secret-token-value");
    engine::TransportOptions transport{base_url, timeout, false, "", cap, nullptr};
    Collect collect;
    auto result = engine::run_cases(c, cases, allocations, engine::curl_transport_factory(transport), options, collect);
    REQUIRE(collect.ids.size() == 2);  // the run went on after the first fault
    return result;
}

std::string http_reply(const std::string& status_line, const std::string& type, const std::string& body)
{
    return "HTTP/1.1 " + status_line + "\r\nContent-Type: " + type + "\r\nContent-Length: " + std::to_string(body.size())
         + "\r\nConnection: close\r\n\r\n" + body;
}

// The mock in this process behind the Transport interface, counting requests by method and path.
struct InProcess final : engine::Transport {
    InProcess(const vod_mock::Service& service, std::map<std::string, int>& sent) : m_service(service), m_sent(sent) {}
    http::Response send(const http::Request& request) override
    {
        ++m_sent[request.method + " " + request.path];
        return m_service.handle(request);
    }
    const vod_mock::Service& m_service;
    std::map<std::string, int>& m_sent;
};

struct SettleRun {
    engine::CaseResult result;
    std::map<std::string, int> sent;
    std::chrono::steady_clock::duration paused{0};
};

// Runs one case against a mock whose deletes settle after delete_delay, on a clock that only
// the engine's pauses move.
SettleRun settle_run(const std::string& case_id, std::chrono::milliseconds delete_delay, double deadline = 10,
                     vod_mock::Mutation mutation = vod_mock::Mutation::none)
{
    const auto& c = real_contract();
    const auto& k = *std::find_if(c.cases().begin(), c.cases().end(), [&](const auto& x) { return x.id == case_id; });
    SettleRun out;
    auto now = std::chrono::steady_clock::now();
    vod_mock::AssetStore store(vod_mock::DeleteSettling{delete_delay, [&] { return now; }});
    engine::FixturePool pool;
    pool.ids_by_kind = store.seed(2);
    const vod_mock::Service service(vod_mock::Config{"p", std::string("tok"), std::nullopt, mutation, nullptr}, store);
    engine::FixtureAllocator allocator(pool, c.generated_kinds());
    const std::vector<engine::Allocation> allocations = {allocator.allocate(k)};
    engine::RunOptions options;
    options.base_url = "http://127.0.0.1:1";
    options.project_id = "p";
    options.credentials = {engine::Credentials::Mode::token, "tok", {}};
    options.settle.deadline_seconds = deadline;
    options.settle.now = [&] { return now; };
    options.settle.pause = [&](std::chrono::steady_clock::duration d) {
        now += d;
        out.paused += d;
    };
    Collect collect;
    auto transports = [&]() -> std::unique_ptr<engine::Transport> { return std::make_unique<InProcess>(service, out.sent); };
    out.result = engine::run_cases(c, {&k}, allocations, transports, options, collect).cases.at(0);
    return out;
}

const std::string k_probe = "POST /v1.0/p/asset/status/unpublish";

}  // namespace

TEST_CASE("a settle probe that holds at the third poll passes, and says how long it took", "[run][settle]")
{
    auto r = settle_run("D1-delete-created-asset", std::chrono::milliseconds(300));
    CHECK(r.result.outcome == engine::Outcome::passed);
    CHECK(r.sent[k_probe] == 3);
    CHECK(r.sent["DELETE /v1.0/p/asset"] == 1);
    REQUIRE(r.result.exchanges.size() == 2);  // the last try of the probe only
    CHECK(r.result.exchanges[1].step == "probe: {{a}} is gone (3 tries in 0.4 s)");
    CHECK(r.paused == std::chrono::milliseconds(150 + 225));  // starts fast, backs off
}

TEST_CASE("a probe that holds at once does not wait", "[run][settle]")
{
    auto r = settle_run("D1-delete-created-asset", std::chrono::milliseconds(0));
    CHECK(r.result.outcome == engine::Outcome::passed);
    CHECK(r.sent[k_probe] == 1);
    CHECK(r.paused.count() == 0);
    CHECK(r.result.exchanges[1].step == "probe: {{a}} is gone");
}

TEST_CASE("a settle probe that never holds fails with the last response and how long it waited", "[run][settle]")
{
    auto r = settle_run("D1-delete-created-asset", std::chrono::minutes(1));
    CHECK(r.result.outcome == engine::Outcome::failed);
    CHECK_THAT(report::headline(r.result), Catch::EndsWith("(step 2, POST /v1.0/{project_id}/asset/status/unpublish, did not settle within 10.0 s (11 tries))")
                                               && Catch::Contains("\"DELETING\""));
    CHECK(r.sent[k_probe] == 11);
    CHECK(r.paused == std::chrono::seconds(10));  // pauses capped at 2 s, the last one cut to the deadline
    CHECK_THAT(r.result.exchanges.back().response->body, Catch::Contains("DELETING"));

    auto once = settle_run("D1-delete-created-asset", std::chrono::minutes(1), 0);  // --settle 0
    CHECK(once.result.outcome == engine::Outcome::failed);
    CHECK(once.sent[k_probe] == 1);
    CHECK_THAT(report::headline(once.result), !Catch::Contains("settle"));
}

TEST_CASE("a failing step not marked settle is sent once", "[run][settle]")
{
    // D3: the delete of a processing asset must be refused; this mock deletes it.
    auto r = settle_run("D3-transcoding-asset-is-kept", std::chrono::minutes(1), 10, vod_mock::Mutation::delete_processing_assets);
    CHECK(r.result.outcome == engine::Outcome::failed);
    CHECK(r.sent["DELETE /v1.0/p/asset"] == 1);
    CHECK(r.paused.count() == 0);
    CHECK_THAT(report::headline(r.result), Catch::Contains("(step 1, DELETE") && !Catch::Contains("settle"));
}

TEST_CASE("a refused connection ends each case as an error, and the run goes on", "[run]")
{
    int port;
    {
        RawServer s([](const std::string&) { return ""; });
        port = std::stoi(s.url().substr(s.url().rfind(':') + 1));
    }  // closed: nothing listens there now
    auto result = run_two("http://127.0.0.1:" + std::to_string(port));
    for (const auto& r : result.cases) {
        CHECK(r.outcome == engine::Outcome::error);
        CHECK_THAT(r.message, Catch::Contains("onnect"));
        REQUIRE(r.step);
        CHECK(r.step->index == 0);
        CHECK_THAT(r.step->method + " " + r.step->target, Catch::StartsWith("POST /v1.0/{project_id}/asset/status/"));
        CHECK(r.cause == engine::Cause::transport);
    }
}

TEST_CASE("a connection closed without an answer, a truncated body and a timeout are errors", "[run]")
{
    RawServer empty([](const std::string&) { return ""; });
    CHECK(run_two(empty.url()).cases[0].outcome == engine::Outcome::error);

    RawServer truncated([](const std::string&) {
        return std::string("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"asset_");
    });
    auto t = run_two(truncated.url());
    CHECK(t.cases[0].outcome == engine::Outcome::error);

    RawServer slow([](const std::string&) { return http_reply("200 OK", "application/json", "{}"); }, std::chrono::milliseconds(1500));
    auto s = run_two(slow.url(), 0.3);
    CHECK(s.cases[0].outcome == engine::Outcome::error);
    CHECK_THAT(s.cases[0].message, Catch::Contains("imeout") || Catch::Contains("timed out"));
}

TEST_CASE("a body over the size cap is an error, not a crash", "[run]")
{
    RawServer big([](const std::string&) { return http_reply("200 OK", "application/json", std::string(64 * 1024, ' ')); });
    auto result = run_two(big.url(), 5, 1024);
    CHECK(result.cases[0].outcome == engine::Outcome::error);
    CHECK_THAT(result.cases[0].message, Catch::Contains("larger than 1024 bytes"));
}

TEST_CASE("garbage where JSON is declared is a failure that quotes it, with secrets redacted", "[run]")
{
    RawServer garbage([](const std::string& request) {
        // Echo the request back, credentials included, as a hostile endpoint might.
        return http_reply("200 OK", "application/json", "<html>" + request + "</html>");
    });
    auto result = run_two(garbage.url());
    const auto& r = *std::find_if(result.cases.begin(), result.cases.end(),
                                  [](const auto& x) { return x.test_case->id == "U1-single-published-asset"; });
    CHECK(r.outcome == engine::Outcome::failed);
    REQUIRE(r.failures.size() == 1);
    CHECK(r.failures[0].kind == "json");
    CHECK(r.failures[0].rule == "U1");  // the case's own rule: no rule covers "json"
    // The parser's words and the byte it stopped at (issue 13: "body is not JSON" said neither).
    CHECK_THAT(r.failures[0].got, Catch::StartsWith("not JSON at byte offset 0: syntax error") && Catch::Contains("<html>"));
    REQUIRE(r.exchanges.size() == 1);
    CHECK(*r.exchanges[0].request.headers.get("X-Auth-Token") == "***");
}

TEST_CASE("user:password in a base URL is never shown", "[run]")
{
    CHECK(engine::without_userinfo("https://me:pw@vod.example.com:8443/prefix") == "https://vod.example.com:8443/prefix");
    CHECK(engine::without_userinfo("http://127.0.0.1:1") == "http://127.0.0.1:1");
    CHECK(engine::authority_of("https://me:pw@vod.example.com:8443/prefix") == "vod.example.com:8443");
    auto result = run_two("http://me:hunter2@127.0.0.1:1");
    CHECK_THAT(result.cases[0].message, !Catch::Contains("hunter2"));
}

TEST_CASE("build_request signs with AK/SK, and deliberate auth faults ignore the run's credentials", "[run]")
{
    const auto& c = real_contract();
    const auto& k = *std::find_if(c.cases().begin(), c.cases().end(), [](const auto& x) { return x.id == "S2-delete-with-bad-signature"; });
    engine::RunOptions options;
    options.base_url = "http://127.0.0.1:9";
    options.project_id = "p";
    options.credentials = {engine::Credentials::Mode::aksk, "", {"MYAK", "MYSK"}};
    contract::Bindings bindings = {{"a", "id1"}, {"project_id", "p"}};
    auto bad = engine::build_request(c, k.steps[0], bindings, options);
    CHECK_THAT(*bad.headers.get("Authorization"), Catch::StartsWith("SDK-HMAC-SHA256 Access=CONFORMBADSIGNATURE0"));
    auto good = engine::build_request(c, k.steps[1], bindings, options);
    CHECK_THAT(*good.headers.get("Authorization"), Catch::StartsWith("SDK-HMAC-SHA256 Access=MYAK, SignedHeaders=host;user-agent;x-project-id;x-sdk-date, Signature="));
    CHECK(good.path == "/v1.0/p/asset/status/unpublish");
    CHECK(good.body == R"({"asset_id":["id1"]})");
}
