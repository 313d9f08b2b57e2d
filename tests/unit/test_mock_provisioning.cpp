// The operations the suite makes its fixtures with, in the mock: CreateAssetByFileUpload and the
// upload URL it hands out, ConfirmAssetUpload, PublishAssets, CreateAssetProcessTask,
// CreateExtractAudioTask, CreateAssetReviewTask; and the count of what the API made.
#include <catch2/catch.hpp>

#include "engine/transport.hpp"
#include "mock_requests.hpp"
#include "server.hpp"

using namespace vod_mock;

namespace {

nlohmann::json summary(Mock& m, const std::string& id)
{
    auto r = m.send("GET", "/v1.0/proj/asset/list?asset_id=" + id);
    REQUIRE(r.status == 200);
    auto assets = nlohmann::json::parse(r.body)["assets"];
    REQUIRE(assets.size() == 1);
    return assets[0];
}

nlohmann::json created(Mock& m, const std::string& body)
{
    auto r = m.send("POST", "/v1.0/proj/asset", body, {{"X-Auth-Token", "tok"}, {"Host", "127.0.0.1:8080"}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    return nlohmann::json::parse(r.body);
}

// The path and query of a URL the mock handed out, as a request target.
std::string target_of(const std::string& url)
{
    const auto prefix = std::string("http://127.0.0.1:8080");
    REQUIRE(url.starts_with(prefix));
    return url.substr(prefix.size());
}

conform::http::Response put_file(Mock& m, const std::string& url, const std::string& content_type,
                                 const std::string& file = "....ftypisom")
{
    return m.send("PUT", target_of(url), file, {{"Content-Type", content_type}});
}

int post(Mock& m, const std::string& path, const std::string& body)
{
    return m.send("POST", "/v1.0/proj" + path, body).status;
}

std::string with_id(const std::string& id, const std::string& rest = "")
{
    return R"({"asset_id":")" + id + "\"" + rest + "}";
}

constexpr const char* k_create = R"({"title":"conform run-1 CREATED","video_name":"clip.mp4","video_type":"MP4",)"
                                 R"("tags":"conform,conform-run-1"})";

}  // namespace

TEST_CASE("CreateAssetByFileUpload: CREATING until its file is PUT to the URL it answers and the upload confirmed",
          "[mock][provision]")
{
    Mock m(Timing{}, 0);
    const auto answer = created(m, k_create);
    const auto id = answer["asset_id"].get<std::string>();
    CHECK(id.size() == 32);
    CHECK(answer["target"]["object"].get<std::string>().find(id) != std::string::npos);
    const auto url = answer["video_upload_url"].get<std::string>();
    CHECK(url.starts_with("http://127.0.0.1:8080/mock-obs/"));
    auto before = summary(m, id);
    CHECK(before["asset_status"] == "CREATING");
    CHECK(before["title"] == "conform run-1 CREATED");
    CHECK(before["media_type"] == "MP4");
    CHECK(before["create_time"].get<std::string>().size() == 14);
    // Confirming before the file is there is refused.
    CHECK(post(m, "/asset/status/uploaded", with_id(id, R"(,"status":"CREATED")")) == 400);

    // The PUT needs the URL's signature and the content type it was signed for, not VOD credentials.
    auto unsigned_url = url.substr(0, url.find("&Signature=")) + "&Signature=forged";
    CHECK(put_file(m, unsigned_url, "video/mp4").status == 403);
    auto wrong_type = put_file(m, url, "application/octet-stream");
    CHECK(wrong_type.status == 403);
    CHECK(has_envelope(wrong_type));
    CHECK(put_file(m, url, "video/mp4", "").status == 400);
    CHECK(m.send("GET", target_of(url)).status == 405);
    auto put = put_file(m, url, "video/mp4");
    CHECK(put.status == 200);
    CHECK(put.headers.contains("ETag"));
    CHECK(summary(m, id)["size"] == 12);

    CHECK(post(m, "/asset/status/uploaded", with_id(id, R"(,"status":"CREATED")")) == 200);
    CHECK(summary(m, id)["asset_status"] == "CREATED");
    CHECK(put_file(m, url, "video/mp4").status == 403);  // the upload has ended
    // The run's marker finds it.
    auto tagged = m.send("GET", "/v1.0/proj/asset/list?tags=conform-run-1");
    CHECK(nlohmann::json::parse(tagged.body)["total"] == 1);

    auto publish = m.send("POST", "/v1.0/proj/asset/status/publish", R"({"asset_id":[")" + id + R"(","nothing"]})");
    REQUIRE(publish.status == 200);
    auto infos = nlohmann::json::parse(publish.body)["asset_info_array"];
    CHECK(infos[0]["status"] == "PUBLISHED");
    CHECK(infos[1]["status"] == "NOASSET");
    CHECK(summary(m, id)["asset_status"] == "PUBLISHED");
    CHECK(m.store.made_by_api().created == 1);
    CHECK(m.store.made_by_api().remaining == 1);
    CHECK(m.send("DELETE", "/v1.0/proj/asset?asset_id=" + id).status == 200);
    CHECK(m.store.made_by_api().remaining == 0);
}

TEST_CASE("CreateAssetByFileUpload: what the request asks for starts when the upload is confirmed", "[mock][provision]")
{
    Mock m(Timing{}, 0);
    const auto answer = created(m, R"({"title":"t","video_name":"a.mov","video_type":"MOV","auto_publish":1,)"
                                   R"("template_group_name":"system_template_group"})");
    const auto id = answer["asset_id"].get<std::string>();
    REQUIRE(put_file(m, answer["video_upload_url"], "video/mov").status == 200);
    REQUIRE(post(m, "/asset/status/uploaded", with_id(id, R"(,"status":"CREATED")")) == 200);
    const auto s = summary(m, id);
    CHECK(s["asset_status"] == "PUBLISHED");
    CHECK(s["transcode_status"] == "WAITING_TRANSCODE");
    // An audio file is signed for audio/<type>.
    const auto audio = created(m, R"({"title":"t","video_name":"a.mp3","video_type":"MP3"})");
    CHECK(put_file(m, audio["video_upload_url"], "video/mp3").status == 403);
    CHECK(put_file(m, audio["video_upload_url"], "audio/mp3").status == 200);
    // Confirmed FAILED, nothing starts and the asset is listed FAILED.
    const auto failed =
        created(m, R"({"title":"t","video_name":"b.mp4","video_type":"MP4","review":{"template_id":"r"}})");
    const auto failed_id = failed["asset_id"].get<std::string>();
    REQUIRE(post(m, "/asset/status/uploaded", with_id(failed_id, R"(,"status":"FAILED")")) == 200);
    CHECK(summary(m, failed_id)["asset_status"] == "FAILED");
    CHECK(summary(m, failed_id)["review_status"] == "UN_REVIEW");
}

TEST_CASE("CreateAssetByFileUpload: bad input gets 400 VOD.10053 naming the member; credentials are required",
          "[mock][provision]")
{
    Mock m(Timing{}, 0);
    const std::vector<std::pair<std::string, std::string>> table = {
        {"[]", "body"},
        {R"({"video_name":"a.mp4","video_type":"MP4"})", "title"},
        {R"({"title":"","video_name":"a.mp4","video_type":"MP4"})", "title"},
        {R"({"title":")" + std::string(129, 't') + R"(","video_name":"a.mp4","video_type":"MP4"})", "title"},
        {R"({"title":"t","video_type":"MP4"})", "video_name"},
        {R"({"title":"t","video_name":"a.mp4","video_type":"mp4"})", "video_type"},
        {R"({"title":"t","video_name":"a.mp4"})", "video_type"},
        {R"({"title":"t","video_name":"a.mp4","video_type":"MP4","tags":"a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q"})", "tags"},
        {R"({"title":"t","video_name":"a.mp4","video_type":"MP4","tags":")" + std::string(17, 'x') + "\"}", "tags"},
        {R"({"title":"t","video_name":"a.mp4","video_type":"MP4","auto_publish":2})", "auto_publish"},
        {R"({"title":"t","video_name":"a.mp4","video_type":"MP4","cover_type":"GIF"})", "cover_type"},
        {R"({"title":"t","video_name":"a.mp4","video_type":"MP4","template_group_name":"mine"})",
         "template_group_name"},
        {R"({"title":"t","video_name":"a.mp4","video_type":"MP4","thumbnail":{"type":"dots"}})", "thumbnail.dots"},
        {R"({"title":"t","video_name":"a.mp4","video_type":"MP4","review":{}})", "review.template_id"},
    };
    for (const auto& [body, field] : table) {
        INFO(body);
        auto r = m.send("POST", "/v1.0/proj/asset", body);
        CHECK(r.status == 400);
        CHECK(has_envelope(r));
        CHECK(nlohmann::json::parse(r.body)["error_msg"] ==
              "The request parameter is illegal, illegal field: " + field + ".");
    }
    CHECK(m.send("POST", "/v1.0/proj/asset", k_create, {}).status == 401);
    CHECK(m.store.made_by_api().created == 0);
    CHECK(m.send("PUT", "/mock-obs/vod-mock-bucket/nothing/origin.mp4?Signature=x", "x").status == 403);
    CHECK(m.send("PUT", "/mock-obs/elsewhere/a/b", "x").status == 404);
}

TEST_CASE("CreateAssetProcessTask: a template group queues a transcode, a thumbnail alone starts a snapshot",
          "[mock][provision]")
{
    Mock m(Timing{}, 2);
    const auto& idle = m.ids["CREATED"];
    CHECK(post(m, "/asset/process", with_id(idle[0], R"(,"template_group_name":"system_template_group")")) == 202);
    CHECK(summary(m, idle[0])["transcode_status"] == "WAITING_TRANSCODE");
    // A second task while one is queued or running: the status does not allow it.
    auto again =
        m.send("POST", "/v1.0/proj/asset/process", with_id(idle[0], R"(,"thumbnail":{"type":"time","time":5})"));
    CHECK(again.status == 400);
    CHECK(nlohmann::json::parse(again.body)["error_code"] == "VOD.10083");
    CHECK(post(m, "/asset/process", with_id(idle[1], R"(,"thumbnail":{"type":"dots","dots":[1,2]})")) == 202);
    const auto snap = summary(m, idle[1]);
    CHECK(snap["thumbnail_status"] == "THUMBNAILING");
    CHECK(snap["transcode_status"] == "UN_TRANSCODE");
    // A published asset takes a transcode too, and stays published.
    const auto pub = m.ids["PUBLISHED"][0];
    CHECK(post(m, "/asset/process", with_id(pub, R"(,"template_group_name":"system_template_group")")) == 202);
    CHECK(summary(m, pub)["asset_status"] == "PUBLISHED");
    // The queued transcode is the fixture the cancel cases want: cancelled once.
    CHECK(m.send("DELETE", "/v1.0/proj/asset/process?asset_id=" + idle[0]).status == 204);
    CHECK(summary(m, idle[0])["transcode_status"] == "UN_TRANSCODE");

    CHECK(post(m, "/asset/process", with_id("nothing", R"(,"template_group_name":"system_template_group")")) == 403);
    CHECK(post(m, "/asset/process",
               with_id(m.ids["UPLOADING"][0], R"(,"template_group_name":"system_template_group")")) == 400);
    CHECK(post(m, "/asset/process", with_id(pub, R"(,"template_group_name":7)")) == 400);
    CHECK(post(m, "/asset/process", with_id(pub, R"(,"thumbnail":{"type":"quantity","quantity":11})")) == 400);
    CHECK(post(m, "/asset/process", R"({"template_group_name":"system_template_group"})") == 400);
}

TEST_CASE("CreateExtractAudioTask answers a new audio asset, filled when the extraction ends", "[mock][provision]")
{
    using std::chrono::milliseconds;
    Clock::time_point now = Clock::now();
    Mock m(Timing{milliseconds(0), [&] { return now; }, milliseconds(1000), 3}, 1);
    const auto source = m.ids["CREATED"][0];
    auto r = m.send("POST", "/v1.0/proj/asset/extract_audio", with_id(source, R"(,"parameter":{"format":"AAC"})"));
    REQUIRE(r.status == 202);
    const auto answer = nlohmann::json::parse(r.body);
    CHECK(answer["asset_id"] == source);
    const auto audio = answer["audio_asset_id"].get<std::string>();
    CHECK(audio != source);
    CHECK(summary(m, audio)["asset_status"] == "CREATING");
    CHECK(summary(m, audio)["media_type"] == "AAC");
    CHECK(m.send("POST", "/v1.0/proj/asset/extract_audio", with_id(source)).status == 400);  // one at a time
    now += milliseconds(3000);
    CHECK(summary(m, audio)["asset_status"] == "CREATED");
    CHECK(m.store.made_by_api().created == 1);

    // Cancelled while queued, the audio asset is left FAILED, for the client to delete.
    const auto other = m.ids["PUBLISHED"][0];
    auto second =
        nlohmann::json::parse(m.send("POST", "/v1.0/proj/asset/extract_audio", with_id(other)).body)["audio_asset_id"]
            .get<std::string>();
    CHECK(m.send("DELETE", "/v1.0/proj/asset/extract_audio?asset_id=" + other).status == 204);
    CHECK(summary(m, second)["asset_status"] == "FAILED");
    CHECK(m.store.made_by_api().remaining == 2);

    auto unknown = m.send("POST", "/v1.0/proj/asset/extract_audio", with_id("nothing"));
    CHECK(unknown.status == 400);
    CHECK(nlohmann::json::parse(unknown.body)["error_code"] == "VOD.10062");
    CHECK(m.send("POST", "/v1.0/proj/asset/extract_audio", with_id(other, R"(,"parameter":{"format":"WAV"})")).status ==
          400);
}

TEST_CASE("CreateAssetReviewTask needs review.template_id and makes the asset REVIEWING", "[mock][provision]")
{
    Mock m(Timing{}, 1);
    const auto id = m.ids["CREATED"][0];
    auto r = m.send("POST", "/v1.0/proj/asset/review", with_id(id, R"(,"review":{"template_id":"tpl-1"})"));
    REQUIRE(r.status == 200);
    CHECK(nlohmann::json::parse(r.body)["review"]["template_id"] == "tpl-1");
    CHECK(summary(m, id)["review_status"] == "REVIEWING");
    // Being processed, it cannot be deleted.
    auto del = m.send("DELETE", "/v1.0/proj/asset?asset_id=" + id);
    CHECK(nlohmann::json::parse(del.body)["delete_result_array"][0]["status"] == "FAILED");
    CHECK(post(m, "/asset/review", with_id(m.ids["PUBLISHED"][0])) == 400);
    CHECK(post(m, "/asset/review", with_id(m.ids["PUBLISHED"][0], R"(,"review":{"template_id":""})")) == 400);
    CHECK(post(m, "/asset/review", with_id("nothing", R"(,"review":{"template_id":"t"})")) == 403);
}

TEST_CASE("over HTTP, the upload URL CreateAssetByFileUpload answers is served by the mock", "[mock][provision][http]")
{
    AssetStore store;
    Service service(Config{"proj", std::string("tok"), std::nullopt, Mutation::none, nullptr}, store);
    Server server(service, ServerOptions{});
    const int port = server.bind();
    server.start();
    conform::engine::TransportOptions transport;
    transport.base_url = "http://127.0.0.1:" + std::to_string(port);
    auto client = conform::engine::curl_transport_factory(transport)();
    conform::http::Request create;
    create.method = "POST";
    create.path = "/v1.0/proj/asset";
    create.headers.add("X-Auth-Token", "tok");
    create.headers.add("Content-Type", "application/json");
    create.body = k_create;
    auto answer = client->send(create);
    REQUIRE(answer.status == 200);
    const auto url = nlohmann::json::parse(answer.body)["video_upload_url"].get<std::string>();
    CHECK(url.starts_with(transport.base_url + "/mock-obs/"));

    conform::engine::TransportOptions obs;
    obs.base_url = transport.base_url;
    auto uploader = conform::engine::curl_transport_factory(obs)();
    conform::http::Request put;
    put.method = "PUT";
    const auto target = url.substr(transport.base_url.size());
    put.path = target.substr(0, target.find('?'));
    put.query = conform::http::parse_query(target.substr(target.find('?') + 1));
    put.headers.add("Content-Type", "video/mp4");
    put.body = std::string(4096, 'v');
    CHECK(uploader->send(put).status == 200);
    server.stop();
    CHECK(store.made_by_api().created == 1);
}
