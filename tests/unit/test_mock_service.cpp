#include <catch2/catch.hpp>

#include <functional>
#include <thread>
#include <utility>

#include "engine/transport.hpp"
#include "http/signer.hpp"
#include "http/url.hpp"
#include "mock_requests.hpp"
#include "server.hpp"
#include "service.hpp"

using namespace vod_mock;
using conform::http::Request;

TEST_CASE("every malformed request gets a 4xx with the error envelope", "[mock]")
{
    Mock m;
    const auto pub = m.ids["PUBLISHED"][0];
    struct Bad {
        const char* what;
        std::string method, target, body;
    };
    const std::vector<Bad> table = {
        {"unknown path", "GET", "/v1.0/proj/nothing", ""},
        {"no version prefix", "POST", "/asset/status/unpublish", "{}"},
        {"wrong method", "GET", "/v1.0/proj/asset", ""},
        {"wrong project", "DELETE", "/v1.0/other/asset?asset_id=" + pub, ""},
        {"unpublish: not JSON", "POST", "/v1.0/proj/asset/status/unpublish", "{oops"},
        {"unpublish: empty body", "POST", "/v1.0/proj/asset/status/unpublish", ""},
        {"unpublish: no asset_id", "POST", "/v1.0/proj/asset/status/unpublish", "{}"},
        {"unpublish: asset_id string", "POST", "/v1.0/proj/asset/status/unpublish", R"({"asset_id":"x"})"},
        {"unpublish: asset_id numbers", "POST", "/v1.0/proj/asset/status/unpublish", R"({"asset_id":[1]})"},
        {"unpublish: empty list", "POST", "/v1.0/proj/asset/status/unpublish", R"({"asset_id":[]})"},
        {"unpublish: array body", "POST", "/v1.0/proj/asset/status/unpublish", R"(["x"])"},
        {"delete: no asset_id", "DELETE", "/v1.0/proj/asset", ""},
        {"delete: empty asset_id", "DELETE", "/v1.0/proj/asset?asset_id=", ""},
        {"delete: only commas", "DELETE", "/v1.0/proj/asset?asset_id=,,", ""},
        {"delete: 11 ids", "DELETE", "/v1.0/proj/asset?asset_id=1,2,3,4,5,6,7,8,9,10,11", ""},
        {"cancel transcode: no asset_id", "DELETE", "/v1.0/proj/asset/process", ""},
        {"cancel extract: empty asset_id", "DELETE", "/v1.0/proj/asset/extract_audio?asset_id=", ""},
        {"confirm: not JSON", "POST", "/v1.0/proj/asset/status/uploaded", "\xff\xfe"},
        {"confirm: status lower case", "POST", "/v1.0/proj/asset/status/uploaded",
         R"({"asset_id":"a","status":"created"})"},
        {"confirm: status number", "POST", "/v1.0/proj/asset/status/uploaded", R"({"asset_id":"a","status":1})"},
        {"confirm: asset_id null", "POST", "/v1.0/proj/asset/status/uploaded",
         R"({"asset_id":null,"status":"CREATED"})"},
        {"confirm: deep nesting", "POST", "/v1.0/proj/asset/status/uploaded",
         std::string(5000, '[') + std::string(5000, ']')},
    };
    for (const auto& bad : table) {
        INFO(bad.what);
        auto r = m.send(bad.method, bad.target, bad.body);
        CHECK(r.status >= 400);
        CHECK(r.status < 500);
        CHECK(has_envelope(r));
    }
    // Bytes that are not UTF-8 in an echoed id are answered, not a 5xx.
    auto odd = m.send("DELETE", "/v1.0/proj/asset?asset_id=%FF%FE");
    CHECK(odd.status == 200);
    CHECK(nlohmann::json::parse(odd.body)["delete_result_array"][0]["status"] == "FAILED");
    // None of that changed anything.
    CHECK(m.store.find(pub)->stage == Stage::published);
}

TEST_CASE("authentication: missing or wrong credentials get 401 APIGW.0301 and change nothing", "[mock]")
{
    Mock m;
    const auto id = m.ids["CREATED"][0];
    auto none = m.send("DELETE", "/v1.0/proj/asset?asset_id=" + id, "", {});
    CHECK(none.status == 401);
    CHECK(nlohmann::json::parse(none.body)["error_msg"] ==
          "Incorrect IAM authentication information: x-auth-token not found");
    auto wrong = m.send("DELETE", "/v1.0/proj/asset?asset_id=" + id, "", {{"X-Auth-Token", "nope"}});
    CHECK(wrong.status == 401);
    CHECK(m.store.find(id).has_value());
}

TEST_CASE("AK/SK mode accepts a valid signature and refuses a bad one", "[mock]")
{
    AssetStore store;
    auto ids = store.seed(1);
    Service service(Config{"proj", std::nullopt, conform::http::AkSk{"AK", "SK"}, Mutation::none, nullptr}, store);
    Request r;
    r.method = "DELETE";
    r.path = "/v1.0/proj/asset";
    r.query = {{"asset_id", ids["CREATED"][0]}};
    r.headers.add("Host", "127.0.0.1:1");
    auto bad = r;
    conform::http::sign(r, {"AK", "SK"});
    CHECK(service.handle(r).status == 200);
    conform::http::sign(bad, {"AK", "not-the-secret"});
    auto refused = service.handle(bad);
    CHECK(refused.status == 401);
    CHECK_THAT(refused.body, Catch::Contains("verify aksk signature fail"));
}

TEST_CASE("the AK/SK verifier's mutations accept what the faithful verifier refuses, and only that", "[mock][mutation]")
{
    auto request = [](const std::string& id) {
        Request r;
        r.method = "POST";
        r.path = "/v1.0/proj/asset/status/unpublish";
        r.headers.add("Host", "127.0.0.1:1");
        r.headers.add("X-Project-Id", "proj");
        r.body = R"({"asset_id":[")" + id + R"("]})";
        return r;
    };
    const conform::http::AkSk key{"AK", "SK"};
    using conform::http::AkSk;
    struct Tampering {
        Mutation mutation;
        std::function<void(Request&, const AkSk&)> sign_and_tamper;
    };
    const std::vector<Tampering> tamperings = {
        {Mutation::aksk_body_not_signed,
         [](Request& r, const AkSk& k) {
             auto body = std::exchange(r.body, "");
             conform::http::sign(r, k);
             r.body = body;
         }},
        {Mutation::aksk_stale_date_accepted,
         [](Request& r, const AkSk& k) {
             conform::http::sign(r, k, conform::http::Clock::now() - std::chrono::minutes(30));
         }},
        {Mutation::aksk_project_header_not_signed,
         [](Request& r, const AkSk& k) {
             conform::http::sign(r, k);
             r.headers.set("X-Project-Id", "other");
         }},
    };
    for (const auto& t : tamperings) {
        CAPTURE(info(t.mutation).name);
        AssetStore store;
        auto published = store.seed(2)["PUBLISHED"];
        Service faithful(Config{"proj", std::nullopt, key, Mutation::none, nullptr}, store);
        Service mutated(Config{"proj", std::nullopt, key, t.mutation, nullptr}, store);
        auto tampered = request(published[0]);
        t.sign_and_tamper(tampered, key);
        CHECK(faithful.handle(tampered).status == 401);
        CHECK(mutated.handle(tampered).status == 200);
        auto wrong_key = request(published[1]);  // the same tampering by another secret stays refused
        t.sign_and_tamper(wrong_key, {"AK", "not-the-secret"});
        CHECK(mutated.handle(wrong_key).status == 401);
    }
}

TEST_CASE("vod-mock --rate-limit: a sliding window over every request, refused ones included, answered 429 APIGW.0308",
          "[mock][quota]")
{
    using namespace std::chrono_literals;
    RequestQuota quota(3, 1s);
    const auto t0 = RequestQuota::Clock::now();
    CHECK(quota.admit(t0));
    CHECK(quota.admit(t0 + 100ms));
    CHECK(quota.admit(t0 + 200ms));
    CHECK_FALSE(quota.admit(t0 + 300ms));   // the fourth within a second
    CHECK_FALSE(quota.admit(t0 + 1050ms));  // the refusal at 0.3 s counts: still 3 in the last second
    CHECK(quota.admit(t0 + 1250ms));        // 0.2, 0.3 and 1.05 are in the window; 0.1 left it
    CHECK(quota.counts().admitted == 4);    // what vod-mock's closing lines report
    CHECK(quota.counts().refused == 2);

    Mock m;
    Service limited(
        Config{"proj", std::string("tok"), std::nullopt, Mutation::none, std::make_shared<RequestQuota>(2, 60s)},
        m.store);
    Request r;
    r.method = "DELETE";
    r.path = "/v1.0/proj/asset";
    r.query = {{"asset_id", m.ids["CREATED"][0]}};
    r.headers.add("X-Auth-Token", "tok");
    CHECK(limited.handle(r).status == 200);
    auto unknown = r;
    unknown.path = "/nowhere";
    CHECK(limited.handle(unknown).status == 404);  // counts too: the quota is checked before routing
    auto refused = limited.handle(r);
    CHECK(refused.status == 429);
    CHECK(has_envelope(refused));
    const auto body = nlohmann::json::parse(refused.body);
    CHECK(body["error_code"] == "APIGW.0308");
    CHECK(body["error_msg"] ==
          "The throttling threshold has been reached: policy user over ratelimit, limit:2,time:60 second");
    CHECK(body["request_id"].get<std::string>().size() == 32);
    CHECK_FALSE(refused.headers.contains("Retry-After"));  // the real gateway documents none
    CHECK(m.store.find(m.ids["CREATED"][1]).has_value());
}

TEST_CASE("state rules: queued tasks cancel once, processing assets are kept, uploads confirm once", "[mock]")
{
    Mock m;
    const auto queued = m.ids["TRANSCODE_QUEUED"][0];
    CHECK(m.send("DELETE", "/v1.0/proj/asset/process?asset_id=" + queued).status == 204);
    CHECK(m.send("DELETE", "/v1.0/proj/asset/process?asset_id=" + queued).status == 400);
    CHECK(m.send("DELETE", "/v1.0/proj/asset/extract_audio?asset_id=" + m.ids["EXTRACTING_AUDIO"][0]).status == 400);

    const auto busy = m.ids["SNAPSHOTTING"][0];
    auto del = m.send("DELETE", "/v1.0/proj/asset?asset_id=" + busy + ",%20" + m.ids["CREATED"][0]);
    auto results = nlohmann::json::parse(del.body)["delete_result_array"];
    CHECK(results[0]["status"] == "FAILED");
    CHECK(results[1]["status"] == "DELETED");
    CHECK(m.store.find(busy).has_value());

    const auto up = m.ids["UPLOADING"][0];
    auto confirm =
        m.send("POST", "/v1.0/proj/asset/status/uploaded", R"({"asset_id":")" + up + R"(","status":"CREATED"})");
    CHECK(confirm.status == 200);
    CHECK(m.store.find(up)->stage == Stage::created);
    CHECK(m.send("POST", "/v1.0/proj/asset/status/uploaded", R"({"asset_id":")" + up + R"(","status":"CREATED"})")
              .status == 400);
}

TEST_CASE("concurrent requests on the same assets have one consistent outcome", "[mock][concurrency]")
{
    Mock m;
    const auto targets = m.ids["PUBLISHED"];            // 4 assets
    const auto queued = m.ids["EXTRACT_AUDIO_QUEUED"];  // 4 tasks
    constexpr int k_threads = 16;
    std::atomic<int> deleted{0}, cancelled{0}, other{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < k_threads; ++t) {
        threads.emplace_back([&] {
            for (int round = 0; round < 25; ++round) {
                for (const auto& id : targets) {
                    auto r = m.send("DELETE", "/v1.0/proj/asset?asset_id=" + id);
                    auto status = nlohmann::json::parse(r.body)["delete_result_array"][0]["status"];
                    (status == "DELETED" ? deleted : other)++;
                }
                for (const auto& id : queued) {
                    auto r = m.send("DELETE", "/v1.0/proj/asset/extract_audio?asset_id=" + id);
                    (r.status == 204 ? cancelled : other)++;
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    CHECK(deleted == static_cast<int>(targets.size()));
    CHECK(cancelled == static_cast<int>(queued.size()));
    CHECK(other == k_threads * 25 * 8 - deleted - cancelled);
    for (const auto& id : targets) {
        CHECK_FALSE(m.store.find(id).has_value());
    }
}

TEST_CASE("over HTTP, what the transport refuses by itself still gets the envelope", "[mock][http]")
{
    AssetStore store;
    store.seed(1);
    Service service(Config{"proj", std::string("tok"), std::nullopt, Mutation::none, nullptr}, store);
    ServerOptions options;
    options.max_body_bytes = 1024;
    Server server(service, options);
    const int port = server.bind();
    server.start();
    conform::engine::TransportOptions transport;
    transport.base_url = "http://127.0.0.1:" + std::to_string(port);
    auto client = conform::engine::curl_transport_factory(transport)();

    Request big;
    big.method = "POST";
    big.path = "/v1.0/proj/asset/status/unpublish";
    big.headers.add("X-Auth-Token", "tok");
    big.headers.add("Content-Type", "application/json");
    big.body = R"({"asset_id":[")" + std::string(4096, 'a') + R"("]})";
    auto too_large = client->send(big);
    CHECK(too_large.status == 413);
    CHECK(has_envelope(too_large));

    Request brew;
    brew.method = "BREW";
    brew.path = "/v1.0/proj/asset";
    auto unknown = client->send(brew);
    CHECK(unknown.status >= 400);
    CHECK(unknown.status < 500);
    CHECK(has_envelope(unknown));

    Request ok;
    ok.method = "DELETE";
    ok.path = "/v1.0/proj/asset";
    ok.query = {{"asset_id", "nothing-here"}};
    ok.headers.add("X-Auth-Token", "tok");
    auto answered = client->send(ok);
    CHECK(answered.status == 200);
    server.stop();
}

TEST_CASE("over HTTP, concurrent deletes of the same assets delete each exactly once", "[mock][http][concurrency]")
{
    AssetStore store;
    auto ids = store.seed(6);
    Service service(Config{"proj", std::string("tok"), std::nullopt, Mutation::none, nullptr}, store);
    Server server(service, ServerOptions{});
    const int port = server.bind();
    server.start();
    conform::engine::TransportOptions transport;
    transport.base_url = "http://127.0.0.1:" + std::to_string(port);
    auto factory = conform::engine::curl_transport_factory(transport);

    const auto& targets = ids["CREATED"];
    std::atomic<int> deleted{0}, failed{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 8; ++t) {
        clients.emplace_back([&] {
            auto client = factory();
            for (int round = 0; round < 10; ++round) {
                for (const auto& id : targets) {
                    Request r;
                    r.method = "DELETE";
                    r.path = "/v1.0/proj/asset";
                    r.query = {{"asset_id", id}};
                    r.headers.add("X-Auth-Token", "tok");
                    auto status = nlohmann::json::parse(client->send(r).body)["delete_result_array"][0]["status"];
                    (status == "DELETED" ? deleted : failed)++;
                }
            }
        });
    }
    for (auto& c : clients) {
        c.join();
    }
    server.stop();
    CHECK(deleted == static_cast<int>(targets.size()));
    CHECK(failed == 8 * 10 * static_cast<int>(targets.size()) - deleted);
    CHECK(store.size() == 9 * 6 - targets.size());
}

TEST_CASE("with a delete delay, a deleted asset is DELETING, neither deletable nor cancellable, then gone", "[mock]")
{
    auto now = Clock::now();
    AssetStore store(Timing{std::chrono::milliseconds(1500), [&] { return now; }});
    auto ids = store.seed(1);
    Service service(Config{"proj", std::string("tok"), std::nullopt, Mutation::none, nullptr}, store);
    auto send = [&](std::string method, std::string path, std::vector<std::pair<std::string, std::string>> query,
                    std::string body = "") {
        Request r;
        r.method = std::move(method);
        r.path = std::move(path);
        r.query = std::move(query);
        r.headers.add("X-Auth-Token", "tok");
        r.body = std::move(body);
        return service.handle(r);
    };
    auto probe = [&](const std::string& id) {
        auto r = send("POST", "/v1.0/proj/asset/status/unpublish", {}, R"({"asset_id":[")" + id + R"("]})");
        REQUIRE(r.status == 200);
        return nlohmann::json::parse(r.body)["asset_info_array"][0]["status"].get<std::string>();
    };
    auto delete_status = [&](const std::string& id) {
        auto r = send("DELETE", "/v1.0/proj/asset", {{"asset_id", id}});
        return nlohmann::json::parse(r.body)["delete_result_array"][0]["status"].get<std::string>();
    };

    const auto id = ids["TRANSCODE_QUEUED"][0];
    CHECK(delete_status(id) == "DELETED");
    CHECK(probe(id) == "DELETING");
    CHECK(delete_status(id) == "FAILED");  // being processed: the documents forbid deleting it
    auto cancel = send("DELETE", "/v1.0/proj/asset/process", {{"asset_id", id}});
    CHECK(cancel.status == 400);
    CHECK(nlohmann::json::parse(cancel.body)["error_code"] == "VOD.10083");

    now += std::chrono::milliseconds(1499);
    CHECK(probe(id) == "DELETING");
    now += std::chrono::milliseconds(1);
    CHECK(probe(id) == "NOASSET");
    CHECK_FALSE(store.find(id).has_value());
    // Without a delay (the default) a delete is gone at once.
    AssetStore instant;
    auto other = instant.seed(1)["CREATED"][0];
    instant.transact([&](Assets& assets) { instant.erase(assets, assets.find(other)); });
    CHECK_FALSE(instant.find(other).has_value());
}
