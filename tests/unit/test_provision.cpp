// The recipe executor (core/provision) against a scripted endpoint: what it sends to make each
// kind, what it waits for, how it gives up, and how cleanup cancels, deletes in batches and
// checks that each asset is gone.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <mutex>

#include "contracts.hpp"
#include "fake_time.hpp"
#include "provision/provisioner.hpp"
#include "util/bounded_json.hpp"

using namespace conform;

namespace {

// A scripted VOD endpoint: assets with the four states ListAssetList reports. transcode_after
// tells how many reads a queued transcode stays queued; keep_on_delete ids refuse to go.
struct Script {
    std::mutex mutex;
    std::vector<http::Request> sent;
    std::map<std::string, nlohmann::json> assets;
    int serial = 0;
    int queued_reads = 1000;      // reads a queued transcode stays queued
    int throttled_publishes = 0;  // publishes answered 429 (not carried out) before one is
    std::set<std::string> keep_on_delete;
    std::map<std::string, int> reads;

    http::Response json(int status, const nlohmann::json& body)
    {
        http::Response r{status, {}, body.dump()};
        r.headers.set("Content-Type", "application/json");
        return r;
    }

    std::string query(const http::Request& request, const std::string& key)
    {
        for (const auto& [k, v] : request.query) {
            if (k == key) {
                return v;
            }
        }
        return "";
    }

    http::Response answer(const http::Request& request)
    {
        std::lock_guard lock(mutex);
        sent.push_back(request);
        const auto& path = request.path;
        if (request.method == "PUT" && path.starts_with("/upload/")) {
            assets[path.substr(8, path.find('?') - 8)]["uploaded"] = true;
            return {200, {}, ""};
        }
        const auto body = request.body.empty() ? nlohmann::json() : nlohmann::json::parse(request.body);
        if (request.method == "POST" && path == "/v1.0/p/asset") {
            const auto id = "a" + std::to_string(++serial);
            assets[id] = {{"asset_id", id},
                          {"title", body["title"]},
                          {"tags", body["tags"]},
                          {"asset_status", "CREATING"},
                          {"transcode_status", "UN_TRANSCODE"},
                          {"thumbnail_status", "UN_THUMBNAIL"},
                          {"review_status", "UN_REVIEW"}};
            return json(200,
                        {{"asset_id", id}, {"video_upload_url", "http://files.example:9/upload/" + id + "?sig=x"}});
        }
        if (request.method == "POST" && path == "/v1.0/p/asset/status/uploaded") {
            assets[body["asset_id"]]["asset_status"] = "CREATED";
            return json(200, {{"asset_id", body["asset_id"]}});
        }
        if (request.method == "POST" && path == "/v1.0/p/asset/status/publish" && throttled_publishes > 0) {
            --throttled_publishes;
            auto r = json(429, {{"error_code", "APIGW.0308"}, {"error_msg", "throttled"}});
            r.headers.set("Retry-After", "5");
            return r;
        }
        if (request.method == "POST" && path == "/v1.0/p/asset/status/publish") {
            const std::string id = body["asset_id"][0];
            assets[id]["asset_status"] = "PUBLISHED";
            return json(200, {{"asset_info_array", {{{"asset_id", id}, {"status", "PUBLISHED"}}}}});
        }
        if (request.method == "POST" && path == "/v1.0/p/asset/process") {
            assets[body["asset_id"]]["transcode_status"] = "WAITING_TRANSCODE";
            return json(202, {{"asset_id", body["asset_id"]}});
        }
        if (request.method == "DELETE" && path == "/v1.0/p/asset/process") {
            assets[query(request, "asset_id")]["transcode_status"] = "UN_TRANSCODE";
            return {204, {}, ""};
        }
        if (request.method == "GET" && path == "/v1.0/p/asset/list") {
            const auto id = query(request, "asset_id");
            auto list = nlohmann::json::array();
            if (assets.count(id)) {
                auto& a = assets[id];
                if (a["transcode_status"] == "WAITING_TRANSCODE" && ++reads[id] > queued_reads) {
                    a["transcode_status"] = "TRANSCODING";
                }
                list.push_back(a);
            }
            return json(200, {{"total", list.size()}, {"assets", list}});
        }
        if (request.method == "DELETE" && path == "/v1.0/p/asset") {
            auto results = nlohmann::json::array();
            std::string ids = query(request, "asset_id");
            for (const auto& id : util_split(ids)) {
                if (!keep_on_delete.count(id)) {
                    assets.erase(id);
                }
                results.push_back({{"asset_id", id}, {"status", keep_on_delete.count(id) ? "FAILED" : "DELETED"}});
            }
            return json(200, {{"delete_result_array", results}});
        }
        return json(404, {{"error_code", "X"}, {"error_msg", "unscripted " + request.method + " " + path}});
    }

    static std::vector<std::string> util_split(const std::string& text)
    {
        std::vector<std::string> out;
        std::size_t from = 0;
        for (auto comma = text.find(','); comma != std::string::npos; comma = text.find(',', from)) {
            out.push_back(text.substr(from, comma - from));
            from = comma + 1;
        }
        out.push_back(text.substr(from));
        return out;
    }

    std::vector<std::string> sent_lines()
    {
        std::lock_guard lock(mutex);
        std::vector<std::string> out;
        for (const auto& r : sent) {
            out.push_back(r.method + " " + r.path);
        }
        return out;
    }
};

struct ScriptTransport final : engine::Transport {
    Script& script;
    explicit ScriptTransport(Script& s) : script(s) {}
    http::Response send(const http::Request& request) override { return script.answer(request); }
};

provision::Provisioner provisioner(Script& script, std::map<std::string, std::string> settings = {})
{
    engine::RunOptions options;
    options.base_url = "http://vod.example";
    options.run_bindings = {{"project_id", "p"}};
    options.credentials = {engine::Credentials::Mode::token, "secret-token-value", {}};
    provision::Polling fast{std::chrono::milliseconds(1), std::chrono::milliseconds(1), 0.01};
    return provision::Provisioner(
        test_contracts::vod(), options, [&script] { return std::make_unique<ScriptTransport>(script); }, "run1",
        std::move(settings), [&script](const std::string&) { return std::make_unique<ScriptTransport>(script); }, fast);
}

// The script behind a simulated clock: the time of each state read is kept.
struct TimedScript final : engine::Transport {
    Script& script;
    test_time::FakeTime& time;
    std::vector<double>& reads;
    TimedScript(Script& s, test_time::FakeTime& t, std::vector<double>& r) : script(s), time(t), reads(r) {}
    http::Response send(const http::Request& request) override
    {
        if (request.path == "/v1.0/p/asset/list") {
            reads.push_back(time.seconds());
        }
        return script.answer(request);
    }
};

// A provisioner with the default pauses on a simulated clock, sending through `pacers` if given.
provision::Provisioner timed_provisioner(Script& script, std::shared_ptr<test_time::FakeTime> time,
                                         std::vector<double>& reads,
                                         std::shared_ptr<engine::QuotaCategories> pacers = nullptr)
{
    engine::RunOptions options;
    options.base_url = "http://vod.example";
    options.run_bindings = {{"project_id", "p"}};
    options.credentials = {engine::Credentials::Mode::token, "secret-token-value", {}};
    options.time = time;
    options.pacers = std::move(pacers);
    auto transports = [&script, time, &reads] { return std::make_unique<TimedScript>(script, *time, reads); };
    return provision::Provisioner(test_contracts::vod(), options, transports, "run1", {},
                                  [transports](const std::string&) { return transports(); });
}

}  // namespace

TEST_CASE("a fixture made just in time is read as often as its query's quota allows, not ever more slowly",
          "[provision][quota]")
{
    Script script;
    script.queued_reads = 6;  // queued for six reads, then transcoding
    auto time = std::make_shared<test_time::FakeTime>();
    std::vector<double> reads;
    auto p = timed_provisioner(script, time, reads);
    p.make("TRANSCODING");
    // One read confirms CREATED; then six find the transcode queued and the seventh running.
    REQUIRE(reads.size() == 8);
    for (std::size_t i = 2; i < reads.size(); ++i) {
        INFO(i);
        // ListAssetList's category, 1,500 a minute, half of it for one wait: a read every 80 ms
        // (the waits of fixtures made up front start at 150 ms and grow to 2 s).
        CHECK(reads[i] - reads[i - 1] == Approx(0.08).margin(0.001));
    }
}

TEST_CASE("provisioning sends through the run's pacers when it is given them: one quota for both", "[provision][quota]")
{
    Script script;
    auto time = std::make_shared<test_time::FakeTime>();
    engine::RunOptions run;
    run.time = time;
    const auto pacers = engine::make_pacers(test_contracts::vod(), run);
    // A run's delete was refused for the quota: its category is held 30 s, the publish included.
    pacers->pacer("DeleteAssets").acquire();
    pacers->pacer("DeleteAssets").throttled(1, 30.0);
    std::vector<double> reads;
    auto p = timed_provisioner(script, time, reads, pacers);
    p.make("PUBLISHED");
    REQUIRE(reads.size() == 2);
    CHECK(reads[0] < 1);    // the upload and query categories were not held
    CHECK(reads[1] >= 30);  // read after the publish, which waited
    SECTION("and the other way round")
    {
        script.throttled_publishes = 1;
        p.make("PUBLISHED");
        CHECK(pacers->figures().throttled == 2);
    }
}

TEST_CASE("a PUBLISHED fixture is created, uploaded, confirmed, published and read back, marked with the run",
          "[provision]")
{
    Script script;
    auto p = provisioner(script);
    const auto id = p.make("PUBLISHED");
    CHECK(id == "a1");
    CHECK(script.assets["a1"]["asset_status"] == "PUBLISHED");
    CHECK(script.assets["a1"]["title"] == "conform run1 PUBLISHED");
    CHECK(script.assets["a1"]["tags"] == "conform,conform-run1");
    CHECK(script.sent_lines() == std::vector<std::string>{"POST /v1.0/p/asset", "PUT /upload/a1?sig=x",
                                                          "POST /v1.0/p/asset/status/uploaded",
                                                          "GET /v1.0/p/asset/list", "POST /v1.0/p/asset/status/publish",
                                                          "GET /v1.0/p/asset/list"});
    const auto& upload = script.sent[1];
    CHECK(upload.headers.get("Content-Type") == "video/mp4");
    CHECK_FALSE(upload.headers.contains("X-Auth-Token"));  // a presigned URL: no VOD credentials
    CHECK(upload.body.size() > 1000);
    CHECK(upload.body.substr(4, 4) == "ftyp");  // the MP4 file itself
    CHECK(script.sent[0].headers.get("X-Auth-Token") == "secret-token-value");
    const auto made = p.inventory().all();
    REQUIRE(made.size() == 1);
    CHECK(made[0].id == "a1");
    CHECK(made[0].kind == "PUBLISHED");
    CHECK(p.requests().at("asset-upload") == 2);
    CHECK(p.requests().at("asset-management") == 1);
    CHECK(p.requests().at("asset-query") == 2);
    CHECK(p.requests().at("object storage") == 1);
}

TEST_CASE("a transient fixture whose state passes before it is seen is lost, not an endpoint fault", "[provision]")
{
    Script script;
    script.queued_reads = 0;  // the transcode starts before the first read
    auto p = provisioner(script);
    try {
        p.make("TRANSCODE_QUEUED");
        FAIL("made");
    } catch (const provision::CannotMake& e) {
        CHECK(e.lost);
        CHECK_THAT(e.reason, Catch::Contains("started before the case could use it"));
        CHECK_THAT(e.reason, Catch::Contains("moved past before it was seen"));
        CHECK_THAT(e.reason,
                   Catch::Contains("transcode_status TRANSCODING, expected transcode_status WAITING_TRANSCODE"));
    }
    // A state the kind moves on to ends the wait at once: one read for CREATED, one for the queue
    // (a run once waited out the 300 s timeout of a transcode that had already ended).
    const auto lines = script.sent_lines();
    CHECK(std::count(lines.begin(), lines.end(), "GET /v1.0/p/asset/list") == 2);
    // Made all the same: cleanup must know it.
    CHECK(p.inventory().all().size() == 1);
}

TEST_CASE("a kind that needs a setting not given cannot be made, naming the flag", "[provision]")
{
    Script script;
    auto p = provisioner(script);
    REQUIRE(p.unavailable("REVIEWING"));
    CHECK_THAT(*p.unavailable("REVIEWING"), Catch::Contains("--review-template"));
    CHECK_FALSE(provisioner(script, {{"review_template", "t1"}}).unavailable("REVIEWING"));
    CHECK_FALSE(p.unavailable("CREATED"));
    CHECK(script.sent.empty());
}

TEST_CASE("cleanup cancels what is queued, deletes in batches of 10 and checks each is gone", "[provision]")
{
    Script script;
    auto p = provisioner(script);
    std::vector<provision::Made> made;
    for (int i = 0; i < 11; ++i) {
        made.push_back({p.make("CREATED"), "CREATED", "id"});
    }
    made.push_back({p.make("TRANSCODE_QUEUED"), "TRANSCODE_QUEUED", "id"});
    script.keep_on_delete.insert(made[3].id);
    script.sent.clear();
    const auto result = p.remove(made);
    CHECK(result.removed.size() == 11);
    REQUIRE(result.left.size() == 1);
    CHECK(result.left[0].made.id == made[3].id);
    CHECK_THAT(result.left[0].reason, Catch::Contains("still there after 3 deletes"));
    std::size_t deletes = 0, cancels = 0;
    for (const auto& r : script.sent) {
        deletes += r.method == "DELETE" && r.path == "/v1.0/p/asset";
        cancels += r.method == "DELETE" && r.path == "/v1.0/p/asset/process";
    }
    CHECK(deletes == 4);  // two batches, then the one that stayed, twice more
    CHECK(cancels == 1);
    CHECK(script.assets.size() == 1);
}
