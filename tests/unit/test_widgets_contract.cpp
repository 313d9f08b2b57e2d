// A second API through the same engine: the invented widgets contract of tests/data/widgets
// (its own token header, signing headers, suite names, fixtures file, operations and kinds)
// against a widgets server written here. Nothing VOD is involved, so whatever the engine and
// reporters do with it comes from that contract's data.
#include <catch2/catch.hpp>

#include <map>
#include <mutex>

#include "contract/contract.hpp"
#include "contract/error.hpp"
#include "contracts.hpp"
#include "engine/run.hpp"
#include "judged.hpp"
#include "raw_server.hpp"
#include "report/junit.hpp"
#include "silent_listener.hpp"

using namespace conform;

namespace {

using test_contracts::widgets;

const std::string k_key = "wk";  // shorter than a secret the redactor masks inside text

std::string reply(int status, const std::string& reason, const std::string& body)
{
    return "HTTP/1.1 " + std::to_string(status) + " " + reason +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

// The widgets API as tests/data/widgets documents it; deviant: a locked widget locks again.
class WidgetServer {
  public:
    explicit WidgetServer(bool deviant)
        : m_deviant(deviant), m_server([this](const std::string& request) { return answer(request); })
    {
    }
    std::string url() const { return m_server.url(); }

    std::vector<std::string> requests() const
    {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }

  private:
    std::string answer(const std::string& request)
    {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(request);
        if (request.find("\r\nX-Widget-Key: " + k_key + "\r\n") == std::string::npos) {
            return reply(401, "Unauthorized", R"({"code":"WIDGET.401","message":"no key"})");
        }
        const auto line = request.substr(0, request.find("\r\n"));  // POST /v2/t1/widgets/w1/lock HTTP/1.1
        const auto path = line.substr(line.find(' ') + 1, line.rfind(' ') - line.find(' ') - 1);
        const std::string prefix = "/v2/t1/widgets/";
        if (!path.starts_with(prefix)) {
            return reply(404, "Not Found", R"({"code":"WIDGET.404","message":"no such tenant"})");
        }
        auto id = path.substr(prefix.size());
        const bool locking = id.ends_with("/lock");
        id = id.substr(0, id.size() - (locking ? 5 : 0));
        auto it = m_state.find(id);
        if (it == m_state.end()) {
            return reply(404, "Not Found", R"({"code":"WIDGET.404","message":"no such widget"})");
        }
        if (locking && it->second == "LOCKED" && !m_deviant) {
            return reply(409, "Conflict", R"({"code":"WIDGET.409","message":"held"})");
        }
        if (locking) {
            it->second = "LOCKED";
        }
        return reply(200, "OK", R"({"id":")" + id + R"(","state":")" + it->second + R"("})");
    }

    bool m_deviant;
    mutable std::mutex m_mutex;
    std::vector<std::string> m_requests;
    std::map<std::string, std::string> m_state = {{"w-idle-1", "IDLE"}, {"w-idle-2", "IDLE"}, {"w-locked-1", "LOCKED"}};
    RawServer m_server;  // last: stopped before the state it answers from goes
};

engine::RunResult run_widgets(const std::string& base_url)
{
    const auto& c = widgets();
    const auto pool = engine::FixturePool::load(test_contracts::k_widgets_fixtures, c);
    std::vector<const contract::Case*> cases;
    std::vector<engine::Allocation> allocations;
    engine::FixtureAllocator allocator(pool, c.generated_kinds());
    for (const auto& k : c.cases()) {
        cases.push_back(&k);
        allocations.push_back(allocator.allocate(k));
    }
    engine::RunOptions options;
    options.base_url = base_url;
    options.run_bindings = pool.run_bindings;
    options.credentials = {engine::Credentials::Mode::token, k_key, {}};
    test_listeners::Silent silent;
    engine::TransportOptions transport{base_url, 5, false, "", 1 << 20, {}};
    return engine::run_cases(c, cases, allocations, engine::curl_transport_factory(transport), options, silent);
}

const engine::CaseResult& result_of(const engine::RunResult& run, const std::string& id)
{
    for (const auto& r : run.cases) {
        if (r.test_case.id == id) {
            return r;
        }
    }
    FAIL("no result for " << id);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("the widgets contract loads with its own operations, kinds, names and security", "[widgets]")
{
    const auto& c = widgets();
    CHECK(c.cases().size() == 5);
    CHECK(c.operations().size() == 4);
    CHECK(c.fixture_kinds() == std::set<std::string>{"IDLE", "LOCKED"});
    CHECK(c.run_placeholders() == std::set<std::string>{"tenant"});
    CHECK(c.security().token_header == "X-Widget-Key");
    CHECK(c.security().credential_headers == std::vector<std::string>{"X-Widget-Key", "Authorization"});
    const auto names = c.report_names();
    CHECK(names.suite == "widgets-conformance");
    CHECK(names.classname_prefix == "widgets.");
    CHECK(names.title == "Widgets conformance");
    CHECK(names.token_header == "X-Widget-Key");
}

TEST_CASE("widgets against a faithful server: every case passes, with the contract's token header", "[widgets][run]")
{
    WidgetServer server(false);
    const auto run = run_widgets(server.url());
    for (const auto& r : run.cases) {
        INFO(r.test_case.id << ": " << r.message);
        CHECK(r.outcome == engine::Outcome::passed);
    }
    const auto requests = server.requests();
    CHECK(requests.size() == 6);
    for (const auto& request : requests) {
        CHECK_THAT(request, Catch::Contains("\r\nX-Widget-Key: wk\r\n") &&
                                !Catch::Contains("X-Auth-Token", Catch::CaseSensitive::No) &&
                                !Catch::Contains("X-Project-Id", Catch::CaseSensitive::No));
    }
    // The contract's token header is a credential header: masked though the key is too short
    // to be masked as a secret.
    const auto& exchange = result_of(run, "W1-idle-widget-reads-idle").exchanges.at(0);
    CHECK(exchange.request.headers.get("X-Widget-Key") == "***");
}

TEST_CASE("widgets against a deviant server: the deviation fails its case, and JUnit names come from the contract",
          "[widgets][run][junit]")
{
    WidgetServer server(true);
    const auto run = run_widgets(server.url());
    const auto& refused = result_of(run, "W2-locked-widget-refuses-lock");
    CHECK(refused.outcome == engine::Outcome::failed);
    REQUIRE_FALSE(refused.failures.empty());
    CHECK(refused.failures[0].rule == "W2");
    CHECK_THAT(refused.failures[0].got, Catch::StartsWith("200 with body"));
    for (const auto* id : {"W1-idle-widget-reads-idle", "W3-missing-widget-is-not-found", "W2-lock-idle-widget",
                           "W4-idle-widget-names-no-holder"}) {
        INFO(id);
        CHECK(result_of(run, id).outcome == engine::Outcome::passed);
    }

    report::ReportContext context;
    context.run_name = "widgets-host";
    context.names = widgets().report_names();
    auto judged = run;  // as the runner hands it to the reporters
    test_judged::judge(judged, false, widgets().rules());
    const auto xml = report::junit_xml(judged, context, report::JunitForm::portable);
    CHECK_THAT(xml, Catch::Contains("<testsuites name=\"widgets-conformance\" tests=\"5\" failures=\"1\""));
    CHECK_THAT(xml, Catch::Contains("<testsuite name=\"widgets.GetWidget (widgets-host)\" tests=\"3\" failures=\"0\""));
    CHECK_THAT(xml,
               Catch::Contains("<testsuite name=\"widgets.LockWidget (widgets-host)\" tests=\"2\" failures=\"1\""));
    CHECK_THAT(xml,
               Catch::Contains("<testcase name=\"W2-locked-widget-refuses-lock\" classname=\"widgets.LockWidget\""));
    CHECK_THAT(xml, Catch::Contains("-H \"X-Widget-Key: $CONFORM_TOKEN\""));  // the curl line's header
    CHECK_THAT(xml, !Catch::Contains("vod", Catch::CaseSensitive::No) && !Catch::Contains("X-Auth-Token"));
}

TEST_CASE("AK/SK signing sets and signs the headers the contract's signing scheme names", "[widgets][run][signer]")
{
    const auto& c = widgets();
    const auto& k = c.cases().front();
    engine::RunOptions options;
    options.base_url = "http://127.0.0.1:9";
    options.credentials = {engine::Credentials::Mode::aksk, "", {"MYAK", "MYSK"}};
    const contract::Bindings bindings = {{"widget_id", "w1"}, {"tenant", "t1"}};
    const auto request = engine::build_request(c, k.steps[0], bindings, options);
    CHECK(request.path == "/v2/t1/widgets/w1");
    CHECK(request.headers.get("X-Tenant") == "t1");
    CHECK_FALSE(request.headers.get("X-Project-Id"));
    CHECK_THAT(*request.headers.get("Authorization"),
               Catch::StartsWith(
                   "SDK-HMAC-SHA256 Access=MYAK, SignedHeaders=host;user-agent;x-sdk-date;x-tenant, Signature="));
    // A signing header whose placeholder is unbound is the placeholder error a case reports.
    CHECK_THROWS_AS(engine::build_request(c, k.steps[0], {{"widget_id", "w1"}}, options), contract::UnboundPlaceholder);
}

TEST_CASE("a widgets fixtures file is validated with the contract's schema and kinds", "[widgets][fixtures]")
{
    const auto& c = widgets();
    auto problem = [&](const char* text) {
        try {
            engine::FixturePool::from_json(nlohmann::json::parse(text), "w.json", c);
        } catch (const contract::ContractError& e) {
            return e.problems().front().to_string();
        }
        return std::string("loaded");
    };
    CHECK(problem(R"({"tenant":"t","widgets":{"IDLE":["a"],"LOCKED":["b"]}})") == "loaded");
    CHECK(problem(R"({"widgets":{"BROKEN":["a"]}})") ==
          "w.json: /widgets/BROKEN: unknown fixture kind 'BROKEN' (contract.json fixture_kinds: IDLE, LOCKED)");
    // The VOD shape is not this contract's: its schema refuses it.
    CHECK_THAT(problem(R"({"assets":{"IDLE":["a"]}})"),
               Catch::StartsWith("w.json: ") && Catch::Contains("'assets' (keyword additionalProperties)"));
    const auto pool = engine::FixturePool::load(test_contracts::k_widgets_fixtures, c);
    CHECK(pool.run_bindings == contract::Bindings{{"tenant", "t1"}});
    CHECK(pool.ids_by_kind.at("IDLE").size() == 2);
}
