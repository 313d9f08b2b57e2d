#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "contract/contract.hpp"
#include "contracts.hpp"
#include "encodings.hpp"
#include "engine/run.hpp"
#include "fake_time.hpp"
#include "in_process_mock.hpp"
#include "judge/judge.hpp"
#include "raw_server.hpp"
#include "report/console.hpp"
#include "report/failure_text.hpp"
#include "report/junit.hpp"
#include "service.hpp"

using namespace conform;

namespace {

struct Collect final : engine::RunListener {
    std::vector<std::string> ids;
    engine::RunListener* also = nullptr;
    void case_finished(const engine::CaseResult& r) override
    {
        ids.push_back(r.test_case.id);
        if (also) {
            also->case_finished(r);
        }
    }
};

const std::string k_token = "secret-token-value";

const std::string k_read = "W1-idle-widget-reads-idle";

// Runs two widgets cases (a read of an idle widget, a read of a missing one) against base_url
// with made-up fixtures.
engine::RunResult run_two(const std::string& base_url, double timeout = 5, std::size_t cap = 8 << 20,
                          const std::string& token = k_token, engine::RunListener* also = nullptr)
{
    const auto& c = test_contracts::widgets();
    const std::vector<const contract::Case*> cases = {&test_contracts::widgets_case(k_read),
                                                      &test_contracts::widgets_case("W3-missing-widget-is-not-found")};
    engine::FixturePool pool;
    pool.ids_by_kind["IDLE"] = {"w1"};
    engine::FixtureAllocator allocator(pool, c.generated_kinds());
    std::vector<engine::Allocation> allocations;
    for (const auto* k : cases) {
        allocations.push_back(allocator.allocate(*k));
    }
    engine::RunOptions options;
    options.base_url = base_url;
    options.run_bindings = {{"tenant", "t1"}};
    options.credentials = {engine::Credentials::Mode::token, token, {}};
    options.redactor.add_secret(token);
    options.check_premises = false;  // the raw servers answer every request alike, state queries too
    engine::TransportOptions transport{base_url, timeout, false, "", cap, {}};
    Collect collect;
    collect.also = also;
    auto result = engine::run_cases(c, cases, allocations, engine::curl_transport_factory(transport), options, collect);
    REQUIRE(collect.ids.size() == 2);  // the run went on after the first fault
    return result;
}

const engine::CaseResult& case_result(const engine::RunResult& run, const std::string& id)
{
    return *std::find_if(run.cases.begin(), run.cases.end(), [&](const auto& x) { return x.test_case.id == id; });
}

std::string http_reply(const std::string& status_line, const std::string& type, const std::string& body)
{
    return "HTTP/1.1 " + status_line + "\r\nContent-Type: " + type +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

struct SettleRun {
    engine::CaseResult result;
    std::map<std::string, int> sent;
    std::chrono::steady_clock::duration paused{0};
};

// Runs one case against a mock whose deletes settle after delete_delay, on a simulated clock
// that only the engine's pauses move.
SettleRun settle_run(const std::string& case_id, std::chrono::milliseconds delete_delay, double deadline = 10,
                     vod_mock::Mutation mutation = vod_mock::Mutation::none)
{
    const auto& c = test_contracts::vod();
    const auto& k = *std::find_if(c.cases().begin(), c.cases().end(), [&](const auto& x) { return x.id == case_id; });
    SettleRun out;
    auto time = std::make_shared<test_time::FakeTime>();
    vod_mock::AssetStore store(vod_mock::Timing{delete_delay, [&] { return time->now(); }});
    engine::FixturePool pool;
    pool.ids_by_kind = store.seed(2);
    const vod_mock::Service service(vod_mock::Config{"p", std::string("tok"), std::nullopt, mutation, nullptr}, store);
    engine::FixtureAllocator allocator(pool, c.generated_kinds());
    const std::vector<engine::Allocation> allocations = {allocator.allocate(k)};
    engine::RunOptions options;
    options.base_url = "http://127.0.0.1:1";
    options.run_bindings = {{"project_id", "p"}};
    options.credentials = {engine::Credentials::Mode::token, "tok", {}};
    options.settle.deadline_seconds = deadline;
    options.time = time;
    Collect collect;
    auto transports = [&]() -> std::unique_ptr<engine::Transport> {
        return std::make_unique<InProcess>(service, out.sent);
    };
    out.result = engine::run_cases(c, {&k}, allocations, transports, options, collect).cases.at(0);
    out.paused = time->now() - test_time::Steady::time_point{};
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
    CHECK_THAT(
        report::headline(r.result),
        Catch::EndsWith(
            "(step 2, POST /v1.0/{project_id}/asset/status/unpublish, did not settle within 10.0 s (11 tries))") &&
            Catch::Contains("\"DELETING\""));
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
    auto r = settle_run("D3-transcoding-asset-is-kept", std::chrono::minutes(1), 10,
                        vod_mock::Mutation::delete_processing_assets);
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
        CHECK_THAT(r.step->method + " " + r.step->target, Catch::StartsWith("GET /v2/{tenant}/widgets/{widget_id}"));
        CHECK(r.cause == engine::Cause::transport);
    }
}

TEST_CASE("a connection closed without an answer, a truncated body and a timeout are errors", "[run]")
{
    RawServer empty([](const std::string&) { return ""; });
    CHECK(run_two(empty.url()).cases[0].outcome == engine::Outcome::error);

    RawServer truncated([](const std::string&) {
        return std::string("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id");
    });
    auto t = run_two(truncated.url());
    CHECK(t.cases[0].outcome == engine::Outcome::error);

    RawServer slow([](const std::string&) { return http_reply("200 OK", "application/json", "{}"); },
                   std::chrono::milliseconds(1500));
    auto s = run_two(slow.url(), 0.3);
    CHECK(s.cases[0].outcome == engine::Outcome::error);
    CHECK_THAT(s.cases[0].message, Catch::Contains("imeout") || Catch::Contains("timed out"));
}

TEST_CASE("a body over the size cap is an error, not a crash", "[run]")
{
    RawServer big(
        [](const std::string&) { return http_reply("200 OK", "application/json", std::string(64 * 1024, ' ')); });
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
    const auto& r = case_result(result, k_read);
    CHECK(r.outcome == engine::Outcome::failed);
    REQUIRE(r.failures.size() == 1);
    CHECK(r.failures[0].kind == "json");
    CHECK(r.failures[0].rule == "W1");  // the case's own rule: no rule covers "json"
    // The parser's words and the byte it stopped at (issue 13: "body is not JSON" said neither).
    CHECK_THAT(r.failures[0].got,
               Catch::StartsWith("not acceptable JSON at byte offset 0: syntax error") && Catch::Contains("<html>"));
    REQUIRE(r.exchanges.size() == 1);
    CHECK(*r.exchanges[0].request.headers.get("X-Widget-Key") == "***");
}

TEST_CASE("user:password in a base URL is never shown", "[run]")
{
    CHECK(engine::without_userinfo("https://me:pw@vod.example.com:8443/prefix") ==
          "https://vod.example.com:8443/prefix");
    CHECK(engine::without_userinfo("http://127.0.0.1:1") == "http://127.0.0.1:1");
    CHECK(engine::authority_of("https://me:pw@vod.example.com:8443/prefix") == "vod.example.com:8443");
    auto result = run_two("http://me:hunter2@127.0.0.1:1");
    CHECK_THAT(result.cases[0].message, !Catch::Contains("hunter2"));
}

TEST_CASE("base URLs are read as curl reads them: userinfo, IPv6 literals, default ports, @ and : after the host",
          "[run][url]")
{
    // Issue 11: "b", the text after the query's '@', became the signed Host header.
    CHECK(engine::authority_of("http://host:1?u=a@b") == "host:1");
    CHECK(engine::authority_of("http://host:1#x@y:2") == "host:1");
    CHECK(engine::authority_of("http://host:1/a@b:c/d") == "host:1");
    CHECK(engine::authority_of("http://u:p%40w@host:1/x?y=z@w") == "host:1");
    CHECK(engine::authority_of("http://[::1]:8080/prefix") == "[::1]:8080");
    CHECK(engine::authority_of("http://[::1]/") == "[::1]");
    // The scheme's default port is not written (as curl and the SDKs send Host).
    CHECK(engine::authority_of("http://host:80/x") == "host");
    CHECK(engine::authority_of("https://host:443") == "host");
    CHECK(engine::authority_of("http://host:443") == "host:443");
    CHECK(engine::authority_of("https://host") == "host");

    CHECK(engine::without_userinfo("http://host:1?u=a@b") == "http://host:1?u=a@b");
    CHECK(engine::without_userinfo("http://me:pw@host:1/a@b?c=d@e") == "http://host:1/a@b?c=d@e");
    CHECK(engine::without_userinfo("http://me:pw@[::1]:8") == "http://[::1]:8");
    CHECK(engine::userinfo_secrets("http://host:1?u=a:b@c").empty());
    CHECK(engine::userinfo_secrets("http://host:1/x:y@z").empty());
    CHECK(engine::userinfo_secrets("http://me:p%3Aw@[::1]:8") == std::vector<std::string>{"p:w", "me:p:w"});

    CHECK_FALSE(engine::base_url_problem("http://127.0.0.1:8080/prefix"));
    CHECK_FALSE(engine::base_url_problem("https://me:pw@[::1]"));
    CHECK(engine::base_url_problem("http://host:1?u=a@b") ==
          "has a query or fragment: the suite appends each request's path to the base URL");
    CHECK(engine::base_url_problem("http://host#x") ==
          "has a query or fragment: the suite appends each request's path to the base URL");
    CHECK(engine::base_url_problem("ftp://host") == "not an http:// or https:// URL");
    CHECK_THAT(engine::base_url_problem("http://ho st/").value_or(""), Catch::StartsWith("not a URL curl can use: "));
    CHECK_THAT(engine::base_url_problem("http://me:secret@[::1/").value_or(""), !Catch::Contains("secret"));
    CHECK_THROWS_AS(engine::authority_of("http://[::1/"), engine::TransportError);
}

TEST_CASE("build_request signs with AK/SK, and deliberate auth faults ignore the run's credentials", "[run]")
{
    const auto& c = test_contracts::vod();
    const auto& k = *std::find_if(c.cases().begin(), c.cases().end(),
                                  [](const auto& x) { return x.id == "S2-delete-with-bad-signature"; });
    engine::RunOptions options;
    options.base_url = "http://127.0.0.1:9";
    options.run_bindings = {{"project_id", "p"}};
    options.credentials = {engine::Credentials::Mode::aksk, "", {"MYAK", "MYSK"}};
    contract::Bindings bindings = {{"a", "id1"}, {"project_id", "p"}};
    auto bad = engine::build_request(c, k.steps[0], bindings, options);
    CHECK_THAT(*bad.headers.get("Authorization"), Catch::StartsWith("SDK-HMAC-SHA256 Access=CONFORMBADSIGNATURE0"));
    auto good = engine::build_request(c, k.steps[1], bindings, options);
    CHECK_THAT(*good.headers.get("Authorization"),
               Catch::StartsWith(
                   "SDK-HMAC-SHA256 Access=MYAK, SignedHeaders=host;user-agent;x-project-id;x-sdk-date, Signature="));
    CHECK(good.path == "/v1.0/p/asset/status/unpublish");
    CHECK(good.body == R"({"asset_id":["id1"]})");
}

const contract::Case& contract_case(const std::string& id)
{
    const auto& cases = test_contracts::vod().cases();
    return *std::find_if(cases.begin(), cases.end(), [&](const auto& x) { return x.id == id; });
}

// Verifies r's signature by MYAK/MYSK as the gateway would (15 minutes of skew).
void verify(const http::Request& r, std::chrono::seconds skew = std::chrono::minutes(15))
{
    http::verify_signature(
        r, [](std::string_view) { return std::optional<std::string>("MYSK"); }, http::Clock::now(), skew);
}

TEST_CASE("a tampering step changes its request after signing it: body, signed header, signing clock", "[run][tamper]")
{
    const auto& c = test_contracts::vod();
    engine::RunOptions options;
    options.base_url = "http://127.0.0.1:9";
    options.run_bindings = {{"project_id", "p"}};
    options.credentials = {engine::Credentials::Mode::aksk, "", {"MYAK", "MYSK"}};
    contract::Bindings bindings = {{"a", "id1"}, {"project_id", "p"}};

    auto body = engine::build_request(c, contract_case("S3-body-added-after-signing").steps[0], bindings, options);
    CHECK(body.body == R"({"asset_id":["id1"]})");
    CHECK_THROWS_WITH(verify(body), "verify aksk signature fail");
    body.body.clear();
    CHECK_NOTHROW(verify(body));  // it was signed without its body

    auto header =
        engine::build_request(c, contract_case("S3-signed-header-changed-after-signing").steps[0], bindings, options);
    CHECK(header.headers.get("X-Project-Id") == "conform-tampered-p");
    CHECK_THROWS_WITH(verify(header), "verify aksk signature fail");
    header.headers.set("X-Project-Id", "p");
    CHECK_NOTHROW(verify(header));  // it was signed with the run's project

    const auto date =
        engine::build_request(c, contract_case("S4-signature-date-half-an-hour-old").steps[0], bindings, options);
    const auto signed_at = http::parse_sdk_date(*date.headers.get("X-Sdk-Date"));
    REQUIRE(signed_at);
    CHECK(std::chrono::abs(http::Clock::now() - std::chrono::minutes(30) - *signed_at) < std::chrono::seconds(5));
    CHECK_THROWS_WITH(verify(date), "X-Sdk-Date is too far from the server time");
    CHECK_NOTHROW(verify(date, std::chrono::hours(1)));  // a valid signature, of another time
}

TEST_CASE("a case that tampers with a signature is not applicable to a run that signs nothing: skipped, typed, unsent",
          "[run][tamper]")
{
    const auto& k = contract_case("S4-signature-date-half-an-hour-old");
    engine::FixturePool pool;
    pool.ids_by_kind["CREATED"] = {"c1"};
    engine::FixtureAllocator allocator(pool, test_contracts::vod().generated_kinds());
    engine::RunOptions options;
    options.base_url = "http://127.0.0.1:1";
    options.run_bindings = {{"project_id", "p"}};
    options.credentials = {engine::Credentials::Mode::token, k_token, {}};
    engine::TransportOptions transport;
    transport.base_url = options.base_url;
    Collect collect;
    const auto run = engine::run_cases(test_contracts::vod(), {&k}, {allocator.allocate(k)},
                                       engine::curl_transport_factory(transport), options, collect);
    REQUIRE(run.cases.size() == 1);
    CHECK(run.cases[0].outcome == engine::Outcome::skipped);
    CHECK(run.cases[0].cause == engine::Cause::not_applicable);
    CHECK_THAT(run.cases[0].message, Catch::Contains("run it with AK/SK"));
    CHECK(run.requests_sent == 0);
    CHECK_THAT(report::junit_xml(run, {}, report::JunitForm::portable), Catch::Contains("type=\"not-applicable\""));
}

// A hostile endpoint (issue 10, defects 1, 2 and 4): the step fails with its request named, the
// run goes on, and the report is written.

TEST_CASE("a million nested arrays in a 200 body fail the step; no stack overflow", "[run][hostile]")
{
    RawServer deep([](const std::string&) {
        return http_reply("200 OK", "application/json", std::string(1000000, '[') + std::string(1000000, ']'));
    });
    auto result = run_two(deep.url());
    const auto& r = case_result(result, k_read);
    CHECK(r.outcome == engine::Outcome::failed);
    REQUIRE(r.failures.size() == 1);
    REQUIRE(r.step);
    CHECK(r.step->index == 0);
    CHECK_THAT(r.failures[0].got,
               Catch::StartsWith("not acceptable JSON at byte offset 64: nesting deeper than 64 levels"));
}

TEST_CASE("a number beyond a double in a response fails the step that got it, not as an internal error",
          "[run][hostile]")
{
    RawServer huge([](const std::string&) {
        return http_reply("200 OK", "application/json", R"({"id":"w1","state":"IDLE","n":1e999})");
    });
    auto result = run_two(huge.url());
    const auto& r = case_result(result, k_read);
    CHECK(r.outcome == engine::Outcome::failed);
    REQUIRE(r.failures.size() == 1);
    REQUIRE(r.step);
    CHECK(r.step->index == 0);
    CHECK_THAT(r.failures[0].got, Catch::StartsWith("not acceptable JSON: ") && Catch::Contains("1e999"));
}

TEST_CASE("a token the endpoint echoes in any encoding reaches neither the JUnit file nor the console",
          "[run][hostile][redact]")
{
    // Header-safe, with the characters encodings treat specially.
    const std::string token = "Tk+/=ab-MIIE/x+y~tok_0123";
    const auto forms = encodings::all(token);
    RawServer echo([&](const std::string& request) {
        // Every form in a state the schema refuses (so messages quote it), and the request itself.
        std::string state;
        for (const auto& [name, form] : forms) {
            state += form + " ";
        }
        return http_reply("200 OK", "application/json",
                          nlohmann::json{{"id", "w1"}, {"state", state}, {"echo", request}}.dump());
    });
    const auto junit_path = std::string(CONFORM_TEST_OUTPUT) + "/hostile-echo.xml";
    std::FILE* console_file = std::tmpfile();
    REQUIRE(console_file);
    report::ReportContext context;
    context.endpoint = echo.url();
    context.names = test_contracts::widgets().report_names();
    context.redactor.add_secret(token);
    report::ConsoleReporter console(console_file, context, false, true);
    report::JunitReporter junit(junit_path, context, report::JunitForm::portable);
    report::Reporters both({&console, &junit});
    judge::Judge judged(test_contracts::widgets().rules(), {}, both);  // as the runner puts it in front of them
    auto result = run_two(echo.url(), 5, 8 << 20, token, &judged);
    judged.apply(result);
    console.run_finished(result);
    junit.run_finished(result);
    CHECK(case_result(result, k_read).outcome == engine::Outcome::failed);

    std::ifstream junit_file(junit_path);
    std::stringstream xml;
    xml << junit_file.rdbuf();
    std::rewind(console_file);
    std::string printed;
    for (int c = std::fgetc(console_file); c != EOF; c = std::fgetc(console_file)) {
        printed.push_back(static_cast<char>(c));
    }
    std::fclose(console_file);
    CHECK_THAT(xml.str(), Catch::Contains("<failure") && Catch::Contains("***"));
    CHECK_THAT(printed, Catch::Contains("***"));
    for (const auto& [name, form] : forms) {
        INFO(name << ": " << form);
        CHECK(xml.str().find(form) == std::string::npos);
        CHECK(printed.find(form) == std::string::npos);
    }
}

TEST_CASE("a password in the base URL is masked wherever the endpoint echoes it, Basic credential included",
          "[run][redact]")
{
    CHECK(engine::userinfo_secrets("https://vod.example.com/x").empty());
    CHECK(engine::userinfo_secrets("https://me@vod.example.com/x").empty());
    const auto secrets = engine::userinfo_secrets("http://me:p%40ss-word1@127.0.0.1:8/x@y");
    CHECK(secrets == std::vector<std::string>{"p@ss-word1", "me:p@ss-word1"});
    http::Redactor redactor;
    for (const auto& s : secrets) {
        CHECK(redactor.add_secret(s));
    }
    // What curl sends for that URL, echoed back in a body.
    const auto basic = encodings::base64("me:p@ss-word1");
    CHECK(redactor("{\"authorization\":\"Basic " + basic + "\",\"pw\":\"p%40ss-word1\"}") ==
          "{\"authorization\":\"Basic ***\",\"pw\":\"***\"}");
}

TEST_CASE("a header value with a line break (spliced from a response) is not sent", "[run][hostile]")
{
    std::atomic<int> requests{0};
    RawServer server([&](const std::string&) {
        ++requests;
        return http_reply("200 OK", "application/json", "{}");
    });
    auto transport = engine::curl_transport_factory({server.url(), 5, false, "", 1024, {}})();
    http::Request request;
    request.method = "GET";
    request.path = "/x";
    request.headers.set("X-Echo", "a\r\nX-Injected: 1");
    CHECK_THROWS_WITH(transport->send(request), "request header X-Echo holds a line break or NUL byte: not sent");
    request.headers.set("X-Echo", std::string("a\0b", 3));
    CHECK_THROWS_AS(transport->send(request), engine::TransportError);
    CHECK(requests == 0);
    request.headers.set("X-Echo", "fine");
    CHECK(transport->send(request).status == 200);
    CHECK(requests == 1);
}
