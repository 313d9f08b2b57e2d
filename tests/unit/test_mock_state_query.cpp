// The mock's ListAssetList (GET /v1.0/{project_id}/asset/list): the state query the suite checks
// its premises and finds its leftovers with.
#include <catch2/catch.hpp>

#include <set>

#include "mock_requests.hpp"

using namespace vod_mock;

namespace {

nlohmann::json list(Mock& m, const std::string& query)
{
    auto r = m.send("GET", "/v1.0/proj/asset/list?" + query);
    INFO(r.body);
    REQUIRE(r.status == 200);
    REQUIRE(r.headers.get("Content-Type").value_or("").starts_with("application/json"));
    return nlohmann::json::parse(r.body);
}

std::set<std::string> listed_ids(const nlohmann::json& answer)
{
    std::set<std::string> ids;
    for (const auto& a : answer["assets"]) {
        ids.insert(a["asset_id"].get<std::string>());
    }
    return ids;
}

}  // namespace

TEST_CASE("ListAssetList reports each fixture kind in the four statuses of AssetSummary", "[mock][list]")
{
    Mock m;
    struct Row {
        const char* kind;
        const char *asset, *transcode, *thumbnail, *review;
    };
    const std::vector<Row> table = {
        {"UPLOADING", "CREATING", "UN_TRANSCODE", "UN_THUMBNAIL", "UN_REVIEW"},
        {"CREATED", "CREATED", "UN_TRANSCODE", "UN_THUMBNAIL", "UN_REVIEW"},
        {"PUBLISHED", "PUBLISHED", "UN_TRANSCODE", "UN_THUMBNAIL", "UN_REVIEW"},
        {"TRANSCODE_QUEUED", "CREATED", "WAITING_TRANSCODE", "UN_THUMBNAIL", "UN_REVIEW"},
        {"TRANSCODING", "CREATED", "TRANSCODING", "UN_THUMBNAIL", "UN_REVIEW"},
        // No query shows an audio extraction: these look like any transcoded asset.
        {"EXTRACT_AUDIO_QUEUED", "CREATED", "TRANSCODE_SUCCEED", "UN_THUMBNAIL", "UN_REVIEW"},
        {"EXTRACTING_AUDIO", "CREATED", "TRANSCODE_SUCCEED", "UN_THUMBNAIL", "UN_REVIEW"},
        {"REVIEWING", "CREATED", "UN_TRANSCODE", "UN_THUMBNAIL", "REVIEWING"},
        {"SNAPSHOTTING", "CREATED", "UN_TRANSCODE", "THUMBNAILING", "UN_REVIEW"},
    };
    for (const auto& row : table) {
        INFO(row.kind);
        const auto id = m.ids[row.kind][0];
        auto answer = list(m, "asset_id=" + id);
        CHECK(answer["total"] == 1);
        REQUIRE(answer["assets"].size() == 1);
        const auto& a = answer["assets"][0];
        CHECK(a["asset_id"] == id);
        CHECK(a["asset_status"] == row.asset);
        CHECK(a["transcode_status"] == row.transcode);
        CHECK(a["thumbnail_status"] == row.thumbnail);
        CHECK(a["review_status"] == row.review);
        CHECK_FALSE(a.contains("extract_audio_status"));
        // The members AssetSummary requires, with their types.
        CHECK(a["title"].is_string());
        CHECK(a["duration"].is_number_integer());
        CHECK(a["size"].is_number_integer());
        CHECK(a["create_time"].get<std::string>().size() == 14);
    }
    // A state change shows at once: a cancelled transcode is no longer waiting.
    const auto queued = m.ids["TRANSCODE_QUEUED"][1];
    REQUIRE(m.send("DELETE", "/v1.0/proj/asset/process?asset_id=" + queued).status == 204);
    CHECK(list(m, "asset_id=" + queued)["assets"][0]["transcode_status"] == "UN_TRANSCODE");
    // A deleted asset is listed no more.
    const auto created = m.ids["CREATED"][1];
    REQUIRE(m.send("DELETE", "/v1.0/proj/asset?asset_id=" + created).status == 200);
    CHECK(list(m, "asset_id=" + created)["total"] == 0);
}

TEST_CASE("ListAssetList takes up to 10 ids, repeated or comma-separated, and pages", "[mock][list]")
{
    Mock m(Timing{}, 4);  // 36 assets
    const auto& c = m.ids["CREATED"];
    const auto& p = m.ids["PUBLISHED"];
    auto answer = list(m, "asset_id=" + c[0] + "&asset_id=" + c[1] + "," + p[0] + ",%20" + p[1] + "&asset_id=nothing");
    CHECK(answer["total"] == 4);
    CHECK(listed_ids(answer) == std::set<std::string>{c[0], c[1], p[0], p[1]});

    std::string ten = "asset_id=" + c[0];
    for (int i = 1; i < 10; ++i) {
        ten += ",x" + std::to_string(i);
    }
    CHECK(list(m, ten)["total"] == 1);
    auto eleven = m.send("GET", "/v1.0/proj/asset/list?" + ten + ",x10");
    CHECK(eleven.status == 400);
    CHECK(nlohmann::json::parse(eleven.body)["error_msg"] ==
          "The request parameter is illegal, illegal field: asset_id.");

    // Without ids: every asset, 10 a page by default, newest first; pages do not overlap.
    auto first = list(m, "");
    CHECK(first["total"] == 36);
    CHECK(first["assets"].size() == 10);
    std::set<std::string> seen;
    std::string previous = "99999999999999";
    for (int page = 0; page < 4; ++page) {
        auto answer_page = list(m, "size=10&page=" + std::to_string(page));
        CHECK(answer_page["assets"].size() == (page < 3 ? 10U : 6U));
        for (const auto& a : answer_page["assets"]) {
            CHECK(a["create_time"].get<std::string>() <= previous);
            previous = a["create_time"];
            CHECK(seen.insert(a["asset_id"].get<std::string>()).second);
        }
    }
    CHECK(seen.size() == 36);
    CHECK(list(m, "size=100")["assets"].size() == 36);
    auto oldest = list(m, "size=1&order=asc")["assets"][0]["create_time"].get<std::string>();
    auto newest = list(m, "size=1&order=desc")["assets"][0]["create_time"].get<std::string>();
    CHECK(oldest < newest);
    CHECK(list(m, "page=7")["assets"].empty());
}

TEST_CASE("ListAssetList filters by status, tags, title, time, category and media type", "[mock][list]")
{
    Mock m(Timing{}, 2);
    // Any of the four statuses, several at once.
    CHECK(listed_ids(list(m, "status=REVIEWING&size=100")) ==
          std::set<std::string>(m.ids["REVIEWING"].begin(), m.ids["REVIEWING"].end()));
    auto busy = list(m, "status=WAITING_TRANSCODE&status=THUMBNAILING&size=100");
    CHECK(busy["total"] == 4);
    CHECK(list(m, "status=PUBLISHED,CREATING&size=100")["total"] == 4);
    // Every tag given; seeded assets are tagged "mock,seed".
    CHECK(list(m, "tags=mock&size=100")["total"] == 18);
    CHECK(list(m, "tags=seed,%20mock&size=100")["total"] == 18);
    CHECK(list(m, "tags=mock,conform&size=100")["total"] == 0);
    // query_string looks into title, description and category name.
    const auto some = list(m, "asset_id=" + m.ids["PUBLISHED"][1])["assets"][0];
    const auto title = some["title"].get<std::string>();
    CHECK(listed_ids(list(m, "query_string=" + conform::http::percent_encode(title))).count(some["asset_id"]) == 1);
    // start_time and end_time bound create_time, both ends included.
    const auto when = some["create_time"].get<std::string>();
    auto window = list(m, "start_time=" + when + "&end_time=" + when + "&size=100");
    CHECK(window["total"].get<int>() >= 1);
    for (const auto& a : window["assets"]) {
        CHECK(a["create_time"] == when);
    }
    CHECK(list(m, "start_time=29990101000000")["total"] == 0);
    CHECK(list(m, "end_time=19990101000000")["total"] == 0);
    CHECK(list(m, "media_type=MP4,MOV&size=100")["total"].get<int>() +
              list(m, "media_type=FLV&media_type=MKV&size=100")["total"].get<int>() ==
          18);
    CHECK(list(m, "category_id=-1&size=100")["total"].get<int>() > 0);
}

TEST_CASE("ListAssetList: bad input gets 400 VOD.10053 naming the parameter; credentials as for every operation",
          "[mock][list]")
{
    Mock m;
    const std::vector<std::pair<std::string, std::string>> table = {
        {"asset_id=", "asset_id"},
        {"asset_id=,,", "asset_id"},
        {"status=DELETED", "status"},  // listed, but not a filter value
        {"status=reviewing", "status"},
        {"start_time=2026-01-01", "start_time"},
        {"end_time=2026010100000", "end_time"},
        {"tags=" + std::string(17, 't'), "tags"},
        {"tags=,", "tags"},
        {"category_id=abc", "category_id"},
        {"page=-1", "page"},
        {"page=x", "page"},
        {"size=0", "size"},
        {"size=101", "size"},
        {"size=10&size=20", "size"},
        {"page=2000&size=10", "page"},  // (page + 1) * size over 20000
        {"order=up", "order"},
        {"media_type=" + std::string(20, ',') +
             "MP4,MP4,MP4,MP4,MP4,MP4,MP4,MP4,MP4,MP4,MP4,MP4,MP4,MP4,MP4,MP4,MP4,"
             "MP4,MP4,MP4,MP4",
         "media_type"},
    };
    for (const auto& [query, field] : table) {
        INFO(query);
        auto r = m.send("GET", "/v1.0/proj/asset/list?" + query);
        CHECK(r.status == 400);
        CHECK(has_envelope(r));
        CHECK(nlohmann::json::parse(r.body)["error_msg"] ==
              "The request parameter is illegal, illegal field: " + field + ".");
    }
    CHECK(m.send("GET", "/v1.0/proj/asset/list?page=1999&size=10").status == 200);
    auto none = m.send("GET", "/v1.0/proj/asset/list", "", {});
    CHECK(none.status == 401);
    CHECK(has_envelope(none));
    CHECK(m.send("GET", "/v1.0/other/asset/list").status == 403);
    CHECK(m.send("POST", "/v1.0/proj/asset/list").status == 404);
}

TEST_CASE("vod-mock --query-rate-limit: ListAssetList and ConfirmAssetUpload count in their own window",
          "[mock][quota][list]")
{
    using namespace std::chrono_literals;
    Config config{"proj", std::string("tok"), std::nullopt, Mutation::none,
                  Quotas{std::make_shared<RequestQuota>(2, 60s), std::make_shared<RequestQuota>(3, 60s)}};
    Mock m(Timing{}, 2, config);
    const auto& created = m.ids["CREATED"];
    for (int i = 0; i < 3; ++i) {
        CHECK(m.send("GET", "/v1.0/proj/asset/list").status == 200);
    }
    CHECK(m.send("GET", "/v1.0/proj/asset/list").status == 429);
    // The management window is untouched by the queries, and the other way round.
    CHECK(m.send("DELETE", "/v1.0/proj/asset?asset_id=" + created[0]).status == 200);
    CHECK(m.send("DELETE", "/v1.0/proj/asset?asset_id=" + created[1]).status == 200);
    auto refused = m.send("DELETE", "/v1.0/proj/asset?asset_id=" + created[1]);
    CHECK(refused.status == 429);
    CHECK(nlohmann::json::parse(refused.body)["error_msg"] ==
          "The throttling threshold has been reached: policy user over ratelimit, limit:2,time:60 second");
    auto confirm = m.send("POST", "/v1.0/proj/asset/status/uploaded",
                          R"({"asset_id":")" + m.ids["UPLOADING"][0] + R"(","status":"CREATED"})");
    CHECK(confirm.status == 429);
    CHECK(nlohmann::json::parse(confirm.body)["error_msg"] ==
          "The throttling threshold has been reached: policy user over ratelimit, limit:3,time:60 second");

    // Without a query window, every request counts in the one window.
    Config one{"proj", std::string("tok"), std::nullopt, Mutation::none, std::make_shared<RequestQuota>(2, 60s)};
    Mock single(Timing{}, 1, one);
    CHECK(single.send("GET", "/v1.0/proj/asset/list").status == 200);
    CHECK(single.send("DELETE", "/v1.0/proj/asset?asset_id=x").status == 200);
    CHECK(single.send("GET", "/v1.0/proj/asset/list").status == 429);
}

namespace {

// A mock whose transient states move on after 0.5 to 1.5 s, on a clock the test turns.
struct LiveMock {
    Clock::time_point now = Clock::now();
    Mock m{Timing{std::chrono::milliseconds(0), [this] { return now; }, std::chrono::milliseconds(1000), 7}, 12};

    // kind -> the status ListAssetList shows for each of its assets (in the field that tells).
    std::multiset<std::string> states(const std::string& kind, const char* field)
    {
        std::multiset<std::string> out;
        for (const auto& id : m.ids[kind]) {
            out.insert(list(m, "asset_id=" + id)["assets"][0][field].get<std::string>());
        }
        return out;
    }
    std::size_t count(const std::string& kind, const char* field, const std::string& state)
    {
        return states(kind, field).count(state);
    }
};

}  // namespace

TEST_CASE("vod-mock --live-ms: queued tasks start and running ones end after 0.5 to 1.5 times N", "[mock][live]")
{
    using std::chrono::milliseconds;
    LiveMock live;
    const auto started = live.now;
    live.now = started + milliseconds(499);  // nothing moves before 0.5 N
    CHECK(live.count("TRANSCODE_QUEUED", "transcode_status", "WAITING_TRANSCODE") == 12);
    CHECK(live.count("TRANSCODING", "transcode_status", "TRANSCODING") == 12);
    CHECK(live.count("REVIEWING", "review_status", "REVIEWING") == 12);
    CHECK(live.count("SNAPSHOTTING", "thumbnail_status", "THUMBNAILING") == 12);

    live.now = started + milliseconds(1000);  // some moved, some not: the stays are random
    const auto waiting = live.count("TRANSCODE_QUEUED", "transcode_status", "WAITING_TRANSCODE");
    CHECK(waiting > 0);
    CHECK(waiting < 12);
    const auto reviewing = live.count("REVIEWING", "review_status", "REVIEWING");
    CHECK(reviewing > 0);
    CHECK(reviewing < 12);

    live.now = started + milliseconds(1500);  // every state entered at the start has moved on by 1.5 N
    CHECK(live.count("TRANSCODE_QUEUED", "transcode_status", "WAITING_TRANSCODE") == 0);
    CHECK(live.count("TRANSCODING", "transcode_status", "TRANSCODE_SUCCEED") == 12);
    CHECK(live.count("REVIEWING", "review_status", "REVIEW_PASSED") == 12);
    CHECK(live.count("SNAPSHOTTING", "thumbnail_status", "THUMBNAIL_SUCCEED") == 12);
    // A started transcode runs from when it started: some are still running, none ended before 1 N.
    CHECK(live.count("TRANSCODE_QUEUED", "transcode_status", "TRANSCODING") > 0);

    live.now = started + milliseconds(3000);  // queued, then running: at most 1.5 N each
    CHECK(live.count("TRANSCODE_QUEUED", "transcode_status", "TRANSCODE_SUCCEED") == 12);
    // What that means for the operations under test: nothing is left to cancel, and the
    // processing assets may be deleted.
    auto& m = live.m;
    for (const auto* kind : {"TRANSCODE_QUEUED", "TRANSCODING"}) {
        auto r = m.send("DELETE", std::string("/v1.0/proj/asset/process?asset_id=") + m.ids[kind][0]);
        CHECK(r.status == 400);
        CHECK(nlohmann::json::parse(r.body)["error_code"] == "VOD.10083");
    }
    for (const auto* kind : {"EXTRACT_AUDIO_QUEUED", "EXTRACTING_AUDIO"}) {
        CHECK(m.send("DELETE", std::string("/v1.0/proj/asset/extract_audio?asset_id=") + m.ids[kind][0]).status == 400);
    }
    auto deleted =
        m.send("DELETE", "/v1.0/proj/asset?asset_id=" + m.ids["TRANSCODING"][0] + "," + m.ids["REVIEWING"][0] + "," +
                             m.ids["SNAPSHOTTING"][0] + "," + m.ids["EXTRACTING_AUDIO"][0]);
    for (const auto& result : nlohmann::json::parse(deleted.body)["delete_result_array"]) {
        CHECK(result["status"] == "DELETED");
    }
}

TEST_CASE("vod-mock --live-ms: a state is timed from when it was entered, also when nobody looked meanwhile",
          "[mock][live]")
{
    using std::chrono::milliseconds;
    LiveMock live;
    const auto started = live.now;
    // First look long after: every queued transcode has run and ended, not just started.
    live.now = started + milliseconds(3000);
    CHECK(live.count("TRANSCODE_QUEUED", "transcode_status", "TRANSCODE_SUCCEED") == 12);
    // A task started later moves on later: a new review on an idle asset is REVIEWING for 0.5 N.
    auto& m = live.m;
    const auto idle = m.ids["CREATED"][0];
    REQUIRE(m.send("POST", "/v1.0/proj/asset/review", R"({"asset_id":")" + idle + R"(","review":{"template_id":"t"}})")
                .status == 200);
    live.now += milliseconds(499);
    CHECK(list(m, "asset_id=" + idle)["assets"][0]["review_status"] == "REVIEWING");
    live.now += milliseconds(1001);
    CHECK(list(m, "asset_id=" + idle)["assets"][0]["review_status"] == "REVIEW_PASSED");
    // Without --live-ms nothing moves, however long.
    Clock::time_point now = Clock::now();
    Mock still(Timing{std::chrono::milliseconds(0), [&] { return now; }}, 1);
    now += std::chrono::hours(24);
    CHECK(list(still, "asset_id=" + still.ids["TRANSCODE_QUEUED"][0])["assets"][0]["transcode_status"] ==
          "WAITING_TRANSCODE");
}

TEST_CASE("mutation list-lies-about-state: ListAssetList shows a task that moved on in the state it started in",
          "[mock][live][mutation]")
{
    using std::chrono::milliseconds;
    Clock::time_point now = Clock::now();
    Config config{"proj", std::string("tok"), std::nullopt, Mutation::list_lies_about_state, nullptr};
    Mock m(Timing{milliseconds(0), [&] { return now; }, milliseconds(1000), 7}, 1, config);
    const auto queued = m.ids["TRANSCODE_QUEUED"][0];
    const auto reviewing = m.ids["REVIEWING"][0];
    now += milliseconds(3000);
    CHECK(list(m, "asset_id=" + queued)["assets"][0]["transcode_status"] == "WAITING_TRANSCODE");  // the lie
    CHECK(list(m, "asset_id=" + reviewing)["assets"][0]["review_status"] == "REVIEWING");
    CHECK(m.send("DELETE", "/v1.0/proj/asset/process?asset_id=" + queued).status == 400);  // the truth
    // A change a request makes is not hidden: a cancelled task is reported gone.
    const auto fresh = m.ids["CREATED"][0];
    REQUIRE(m.send("POST", "/v1.0/proj/asset/process",
                   R"({"asset_id":")" + fresh + R"(","template_group_name":"system_template_group"})")
                .status == 202);
    REQUIRE(m.send("DELETE", "/v1.0/proj/asset/process?asset_id=" + fresh).status == 204);
    CHECK(list(m, "asset_id=" + fresh)["assets"][0]["transcode_status"] == "UN_TRANSCODE");
}
