// Fixture premises (engine/premise.hpp): the state a case relies on is read before its step,
// again when the quota held the step, and again after a failure, against a scripted endpoint whose
// states move on between queries or the mock's live states, on a simulated clock (a throttled
// request's backoff takes no time).
#include <catch2/catch.hpp>

#include <mutex>

#include "contract/contract.hpp"
#include "contracts.hpp"
#include "engine/premise.hpp"
#include "engine/run.hpp"
#include "fake_time.hpp"
#include "in_process_mock.hpp"
#include "judged.hpp"
#include "report/reporter.hpp"
#include "service.hpp"
#include "silent_listener.hpp"
#include "util/bounded_json.hpp"

using namespace conform;

namespace {

using test_time::FakeTime;

http::Response json_reply(int status, const std::string& body)
{
    http::Response r;
    r.status = status;
    r.headers.set("Content-Type", "application/json");
    r.body = body;
    return r;
}

const auto k_refused =
    json_reply(400, R"({"error_code":"VOD.10083","error_msg":"The current status does not allow it."})");
const auto k_cancelled = [] {
    http::Response r;
    r.status = 204;
    return r;
}();

// A VOD endpoint in a script: the n-th state query finds every asset asked for with the n-th
// transcode status (the last repeats), unless query_replies gives the n-th answer whole; the
// cases' own requests get operation_replies in turn (the last repeats).
struct Endpoint {
    std::vector<std::string> transcode = {"TRANSCODING"};
    std::vector<http::Response> query_replies;
    std::vector<http::Response> operation_replies = {k_refused};
    std::vector<http::Request> sent;
    std::size_t queries = 0, operations = 0;
    std::mutex mutex;

    http::Response answer(const http::Request& request)
    {
        std::lock_guard lock(mutex);
        sent.push_back(request);
        if (request.path.ends_with("/asset/list")) {
            const auto n = queries++;
            if (n < query_replies.size()) {
                return query_replies[n];
            }
            nlohmann::json assets = nlohmann::json::array();
            for (const auto& [key, id] : request.query) {
                assets.push_back({{"asset_id", id},
                                  {"asset_status", "CREATED"},
                                  {"transcode_status", transcode[std::min(n, transcode.size() - 1)]},
                                  {"thumbnail_status", "UN_THUMBNAIL"},
                                  {"review_status", "UN_REVIEW"}});
            }
            return json_reply(200, nlohmann::json{{"total", assets.size()}, {"assets", assets}}.dump());
        }
        return operation_replies[std::min(operations++, operation_replies.size() - 1)];
    }
};

struct EndpointTransport final : engine::Transport {
    explicit EndpointTransport(Endpoint& e) : endpoint(e) {}
    http::Response send(const http::Request& request) override { return endpoint.answer(request); }
    Endpoint& endpoint;
};

const contract::Case& case_named(const std::string& id)
{
    const auto& cases = test_contracts::vod().cases();
    auto it = std::find_if(cases.begin(), cases.end(), [&](const contract::Case& c) { return c.id == id; });
    REQUIRE(it != cases.end());
    return *it;
}

engine::RunOptions scripted_options()
{
    engine::RunOptions options;
    options.base_url = "http://127.0.0.1:9";
    options.run_bindings = {{"project_id", "p"}};
    options.credentials = {engine::Credentials::Mode::token, "tok", {}};
    options.time = std::make_shared<FakeTime>();
    return options;
}

// Runs one case with the fixture ids given by kind against the endpoint.
engine::RunResult run_one(const std::string& case_id, Endpoint& endpoint,
                          std::map<std::string, std::vector<std::string>> ids)
{
    const auto& contract = test_contracts::vod();
    const auto& k = case_named(case_id);
    engine::FixturePool pool;
    pool.ids_by_kind = std::move(ids);
    engine::FixtureAllocator allocator(pool, contract.generated_kinds());
    const std::vector<engine::Allocation> allocations = {allocator.allocate(k)};
    REQUIRE_FALSE(allocations[0].skip_reason);
    test_listeners::Silent silent;
    return engine::run_cases(
        contract, {&k}, allocations, [&] { return std::make_unique<EndpointTransport>(endpoint); }, scripted_options(),
        silent);
}

std::size_t operations_sent(const Endpoint& e)
{
    return static_cast<std::size_t>(std::count_if(
        e.sent.begin(), e.sent.end(), [](const http::Request& r) { return !r.path.ends_with("/asset/list"); }));
}

}  // namespace

TEST_CASE("a premise that holds: the state is read once, right before the step, and the case passes", "[premise]")
{
    Endpoint endpoint;
    const auto run = run_one("T2-running-transcode-is-not-cancelled", endpoint, {{"TRANSCODING", {"t1"}}});
    const auto& r = run.cases.at(0);
    CHECK(r.outcome == engine::Outcome::passed);
    CHECK_FALSE(r.unverified);
    REQUIRE(endpoint.sent.size() == 3);
    CHECK(endpoint.sent[0].method == "GET");
    CHECK(endpoint.sent[0].target() == "/v1.0/p/asset/list?asset_id=t1");
    CHECK(endpoint.sent[0].headers.get("X-Auth-Token") == "tok");  // authenticated like the run
    CHECK(endpoint.sent[1].method == "DELETE");
    CHECK(run.premise_queries == 1);
    CHECK(run.requests_sent == 2);  // the queries are counted apart
    CHECK(run.drifted.empty());
}

TEST_CASE("a premise lost before the step: the case is not run, naming fixture, kind, expected and found", "[premise]")
{
    Endpoint endpoint;
    endpoint.transcode = {"TRANSCODE_SUCCEED"};
    const auto run = run_one("T2-running-transcode-is-not-cancelled", endpoint, {{"TRANSCODING", {"t1"}}});
    const auto& r = run.cases.at(0);
    CHECK(r.outcome == engine::Outcome::skipped);
    CHECK(r.cause == engine::Cause::premise_lost);
    REQUIRE(r.premise);
    CHECK(r.premise->fixture == "a");
    CHECK(r.premise->id == "t1");
    CHECK(r.premise->kind == "TRANSCODING");
    CHECK(r.premise->expected == "transcode_status TRANSCODING");
    CHECK(r.premise->found == "transcode_status TRANSCODE_SUCCEED");
    CHECK_THAT(r.message, Catch::Contains("premise lost before step 1, not run") &&
                              Catch::Contains("expected transcode_status TRANSCODING"));
    CHECK(operations_sent(endpoint) == 0);  // nothing sent that relies on it
    REQUIRE(run.drifted.size() == 1);
    CHECK(run.drifted[0].first == "T2-running-transcode-is-not-cancelled");
    auto judged = r;
    test_judged::judge(judged);
    CHECK(judged.judgement.verdict == engine::Verdict::premise_lost);
}

TEST_CASE("an asset the query does not list has lost its premise too", "[premise]")
{
    Endpoint endpoint;
    endpoint.query_replies = {json_reply(200, R"({"total":0,"assets":[]})")};
    const auto run = run_one("T2-running-transcode-is-not-cancelled", endpoint, {{"TRANSCODING", {"t1"}}});
    REQUIRE(run.cases.at(0).premise);
    CHECK(run.cases.at(0).premise->found == "not listed by ListAssetList");
}

TEST_CASE("a step that fails on a fixture that moved on meanwhile is premise lost, its failure kept", "[premise]")
{
    Endpoint endpoint;
    // The endpoint deviates (cancels a running transcode) or the task had started... the second
    // read tells: here the task had finished by then.
    endpoint.operation_replies = {k_cancelled};
    endpoint.transcode = {"TRANSCODING", "TRANSCODE_SUCCEED"};
    const auto run = run_one("T2-running-transcode-is-not-cancelled", endpoint, {{"TRANSCODING", {"t1"}}});
    const auto& r = run.cases.at(0);
    CHECK(r.outcome == engine::Outcome::skipped);
    CHECK(r.cause == engine::Cause::premise_lost);
    CHECK_THAT(r.message, Catch::Contains("after step 1 failed"));
    CHECK_FALSE(r.failures.empty());  // the failed expectation stays in the transcript
    CHECK(r.exchanges.size() == 1);
    CHECK(endpoint.queries == 2);
}

namespace {

// The in-process mock with its live states on the simulated clock; its first DELETE is answered
// 429 with Retry-After: 60, so the pacer holds the step a minute before it is sent at all.
struct ThrottledFirstDelete final : engine::Transport {
    ThrottledFirstDelete(const vod_mock::Service& service, std::map<std::string, int>& sent)
        : mock(service, sent), seen(sent)
    {
    }
    http::Response send(const http::Request& request) override
    {
        if (request.method == "DELETE" && request.path == "/v1.0/p/asset" && !throttled) {
            throttled = true;
            ++seen["429 " + request.method + " " + request.path];
            auto r = json_reply(429, R"({"error_code":"APIGW.0308","error_msg":"The throttling threshold"})");
            r.headers.set("Retry-After", "60");
            return r;
        }
        return mock.send(request);
    }
    InProcess mock;
    std::map<std::string, int>& seen;
    bool throttled = false;
};

struct HeldRun {
    engine::RunResult run;
    std::map<std::string, int> sent;
    bool asset_left = false;
};

// D3-transcoding-asset-is-kept (a DELETE of a TRANSCODING asset must fail) on a TRANSCODING
// asset whose transcode ends 0.5 to 1.5 x live after the start (never, for live 0), its DELETE
// held a minute by a 429's backoff.
HeldRun held_delete(std::chrono::milliseconds live, vod_mock::Mutation mutation)
{
    const auto& contract = test_contracts::vod();
    const auto& k = case_named("D3-transcoding-asset-is-kept");
    auto time = std::make_shared<FakeTime>();
    vod_mock::AssetStore store(vod_mock::Timing{std::chrono::milliseconds(0), [time] { return time->now(); }, live, 7});
    engine::FixturePool pool;
    pool.ids_by_kind = store.seed(1);
    const auto id = pool.ids_by_kind.at("TRANSCODING").at(0);
    const vod_mock::Service service(vod_mock::Config{"p", std::string("tok"), std::nullopt, mutation, nullptr}, store);
    engine::FixtureAllocator allocator(pool, contract.generated_kinds());
    const std::vector<engine::Allocation> allocations = {allocator.allocate(k)};
    auto options = scripted_options();
    options.time = time;
    HeldRun out;
    test_listeners::Silent silent;
    out.run = engine::run_cases(
        contract, {&k}, allocations, [&] { return std::make_unique<ThrottledFirstDelete>(service, out.sent); }, options,
        silent);
    out.asset_left = store.find(id).has_value();
    CHECK(time->seconds() >= 60);  // the DELETE did wait out the backoff
    return out;
}

const std::string k_held_delete = "DELETE /v1.0/p/asset";

}  // namespace

TEST_CASE("a step held by the quota past its fixture's transient state is premise lost, not a failure, and not sent",
          "[premise][quota]")
{
    // Transcoding when checked, over (2 to 6 s later) by the time the quota lets the DELETE go: a
    // faithful service would delete it then, which the case must not read as a deviation.
    const auto held = held_delete(std::chrono::milliseconds(4000), vod_mock::Mutation::none);
    const auto& r = held.run.cases.at(0);
    CHECK(r.outcome == engine::Outcome::skipped);
    CHECK(r.cause == engine::Cause::premise_lost);
    CHECK(r.failures.empty());
    CHECK_THAT(r.message, Catch::Contains("premise lost while step 1 waited") &&
                              Catch::Contains("for the quota, not sent") &&
                              Catch::Contains("found transcode_status TRANSCODE_SUCCEED"));
    CHECK(held.sent.count(k_held_delete) == 0);  // only the refused try reached the endpoint
    CHECK(held.sent.at("429 " + k_held_delete) == 1);
    CHECK(held.asset_left);
    CHECK(held.run.premise_queries == 2);  // before the step, and again once the quota let it go
    REQUIRE(held.run.drifted.size() == 1);
    auto judged = r;
    test_judged::judge(judged);
    CHECK(judged.judgement.verdict == engine::Verdict::premise_lost);
}

TEST_CASE("a step held by the quota while its fixture stays transient is sent: a delete of it is still a failure",
          "[premise][quota]")
{
    SECTION("a service that deletes a TRANSCODING asset fails the case")
    {
        const auto held = held_delete(std::chrono::milliseconds(0), vod_mock::Mutation::delete_processing_assets);
        const auto& r = held.run.cases.at(0);
        CHECK(r.outcome == engine::Outcome::failed);
        CHECK_FALSE(r.premise);
        CHECK_FALSE(held.asset_left);
        CHECK(held.sent.at(k_held_delete) == 1);
        CHECK(held.run.premise_queries == 3);  // before, after the hold, and after the failure
        CHECK(held.run.drifted.empty());
    }
    SECTION("a faithful service passes it")
    {
        const auto held = held_delete(std::chrono::milliseconds(0), vod_mock::Mutation::none);
        CHECK(held.run.cases.at(0).outcome == engine::Outcome::passed);
        CHECK(held.asset_left);
        CHECK(held.run.premise_queries == 2);
    }
}

TEST_CASE("a step that fails and changed the fixture itself (a running task cancelled) stays a failure", "[premise]")
{
    Endpoint endpoint;
    endpoint.operation_replies = {k_cancelled};
    endpoint.transcode = {"TRANSCODING", "UN_TRANSCODE"};  // the cancel took: the deviation, not a drift
    const auto run = run_one("T2-running-transcode-is-not-cancelled", endpoint, {{"TRANSCODING", {"t1"}}});
    CHECK(run.cases.at(0).outcome == engine::Outcome::failed);
    CHECK(endpoint.queries == 2);
    CHECK(run.drifted.empty());
}

TEST_CASE("a step that fails while the premise still holds is a failure, as ever", "[premise]")
{
    Endpoint endpoint;
    endpoint.operation_replies = {k_cancelled};
    const auto run = run_one("T2-running-transcode-is-not-cancelled", endpoint, {{"TRANSCODING", {"t1"}}});
    const auto& r = run.cases.at(0);
    CHECK(r.outcome == engine::Outcome::failed);
    CHECK_FALSE(r.premise);
    CHECK(endpoint.queries == 2);  // before, and again after the failure
    CHECK(run.drifted.empty());
}

TEST_CASE("an unverifiable premise: no query; the answer a moved-on task explains is inconclusive", "[premise]")
{
    Endpoint endpoint;
    endpoint.operation_replies = {k_refused};  // a queued extraction's cancel refused: started, or a deviation
    const auto run = run_one("E1-cancel-queued-extract-audio", endpoint, {{"EXTRACT_AUDIO_QUEUED", {"x1"}}});
    const auto& r = run.cases.at(0);
    CHECK(r.outcome == engine::Outcome::inconclusive);
    CHECK_THAT(r.message, Catch::Contains("inconclusive: step 1"));
    CHECK(endpoint.queries == 0);
    auto judged = r;
    test_judged::judge(judged);
    CHECK(judged.judgement.verdict == engine::Verdict::inconclusive);
}

TEST_CASE("an unverifiable premise: a pass is marked unverified, any other deviation still fails", "[premise]")
{
    SECTION("pass")
    {
        Endpoint endpoint;
        endpoint.operation_replies = {k_cancelled, k_refused};
        const auto run = run_one("E1-cancel-queued-extract-audio", endpoint, {{"EXTRACT_AUDIO_QUEUED", {"x1"}}});
        CHECK(run.cases.at(0).outcome == engine::Outcome::passed);
        CHECK(run.cases.at(0).unverified);
    }
    SECTION("another answer")
    {
        Endpoint endpoint;
        endpoint.operation_replies = {json_reply(500, R"({"error_code":"VOD.10001","error_msg":"x"})")};
        const auto run = run_one("E1-cancel-queued-extract-audio", endpoint, {{"EXTRACT_AUDIO_QUEUED", {"x1"}}});
        CHECK(run.cases.at(0).outcome == engine::Outcome::failed);
        CHECK_FALSE(run.cases.at(0).unverified);
    }
}

TEST_CASE("a state query whose answer is not of its schema is an error of the premise check, named as such",
          "[premise]")
{
    Endpoint endpoint;
    endpoint.query_replies = {json_reply(
        200,
        R"({"total":1,"assets":[{"asset_id":"t1","asset_status":"BUSY","transcode_status":"TRANSCODING","thumbnail_status":"UN_THUMBNAIL","review_status":"UN_REVIEW"}]})")};
    const auto run = run_one("T2-running-transcode-is-not-cancelled", endpoint, {{"TRANSCODING", {"t1"}}});
    const auto& r = run.cases.at(0);
    CHECK(r.outcome == engine::Outcome::error);
    CHECK(r.cause == engine::Cause::premise_check);
    CHECK_THAT(r.message, Catch::Contains("premise check: the state query (ListAssetList)") &&
                              Catch::Contains("list-asset-list-response.schema.json") &&
                              Catch::Contains("/assets/0/asset_status"));
    CHECK(operations_sent(endpoint) == 0);
}

TEST_CASE("a refused state query is an error of the premise check with the answer's code", "[premise]")
{
    Endpoint endpoint;
    endpoint.query_replies = {json_reply(401, R"({"error_code":"APIGW.0301","error_msg":"Incorrect IAM"})")};
    const auto run = run_one("T2-running-transcode-is-not-cancelled", endpoint, {{"TRANSCODING", {"t1"}}});
    CHECK(run.cases.at(0).cause == engine::Cause::premise_check);
    CHECK_THAT(run.cases.at(0).message, Catch::Contains("answered 401: APIGW.0301 Incorrect IAM"));
}

TEST_CASE("a throttled state query is resent (429, and 403 VOD.10127 as the contract lists it), never a result",
          "[premise][quota]")
{
    Endpoint endpoint;
    endpoint.query_replies = {json_reply(429, R"({"error_code":"APIGW.0308","error_msg":"throttled"})"),
                              json_reply(403, R"({"error_code":"VOD.10127","error_msg":"The throttling threshold"})")};
    const auto run = run_one("T2-running-transcode-is-not-cancelled", endpoint, {{"TRANSCODING", {"t1"}}});
    CHECK(run.cases.at(0).outcome == engine::Outcome::passed);
    CHECK(endpoint.queries == 3);
    CHECK(run.premise_queries == 3);
    CHECK(run.requests_throttled == 2);
}

TEST_CASE("the checker asks for up to the query's batch of ids at once", "[premise]")
{
    const auto& contract = test_contracts::vod();
    Endpoint endpoint;
    auto options = scripted_options();
    engine::Pacer pacer({}, 1, options.time);
    engine::PremiseChecker checker(contract, options, pacer);
    std::vector<std::string> ids;
    for (int i = 0; i < 12; ++i) {
        ids.push_back("id" + std::to_string(i));
    }
    EndpointTransport transport(endpoint);
    const auto states = checker.states(ids, transport);
    CHECK(states.size() == 12);
    REQUIRE(endpoint.sent.size() == 2);
    CHECK(endpoint.sent[0].query.size() == 10);
    CHECK(endpoint.sent[1].query.size() == 2);
    CHECK(checker.queries_sent() == 2);
}

TEST_CASE("a kind's predicate and its words come from the contract", "[premise]")
{
    const auto& premises = *test_contracts::vod().premises();
    const auto& created = *premises.kind("CREATED");
    const nlohmann::json idle = {{"asset_id", "a"},
                                 {"asset_status", "CREATED"},
                                 {"transcode_status", "TRANSCODE_SUCCEED"},
                                 {"thumbnail_status", "UN_THUMBNAIL"},
                                 {"review_status", "UN_REVIEW"}};
    auto busy = idle;
    busy["review_status"] = "REVIEWING";
    CHECK(engine::premise_holds(created, &idle));
    CHECK_FALSE(engine::premise_holds(created, &busy));
    CHECK_FALSE(engine::premise_holds(created, nullptr));
    CHECK(engine::expected_state(created) == "asset_status CREATED, transcode_status not WAITING_TRANSCODE or "
                                             "TRANSCODING, thumbnail_status not THUMBNAILING, review_status not "
                                             "REVIEWING");
    CHECK(engine::found_state(created, &busy, "ListAssetList") ==
          "asset_status CREATED, transcode_status TRANSCODE_SUCCEED, thumbnail_status UN_THUMBNAIL, review_status "
          "REVIEWING");
    CHECK_FALSE(premises.kind("EXTRACTING_AUDIO")->verifiable());
    CHECK(premises.query.batch == 10);
}

TEST_CASE("the state query request carries each id as a value, never as a template", "[premise]")
{
    const auto options = scripted_options();
    const auto request = engine::state_query_request(test_contracts::vod(), {"a", "{{project_id}}"}, options);
    CHECK(request.target() == "/v1.0/p/asset/list?asset_id=a&asset_id=%7B%7Bproject_id%7D%7D");
    CHECK_THROWS_AS(engine::state_query_request(test_contracts::vod(), std::vector<std::string>(11, "x"), options),
                    std::logic_error);
}
