// CreateAssetByFileUpload, POST /v1.0/{project_id}/asset (vod_04_0196): a new asset, CREATING
// until ConfirmAssetUpload, and a presigned video_upload_url for the file. The mock serves that
// URL itself (upload_file): a single PUT of the file, without VOD credentials, with the content
// type the URL was signed for (video/<type> or audio/<type>, lower case), as OBS checks it.
#include <set>

#include "handlers/handlers.hpp"
#include "util/random_id.hpp"
#include "util/text.hpp"
#include "util/utc_time.hpp"

namespace vod_mock::handlers {

namespace {

constexpr std::size_t k_max_title_bytes = 128;
constexpr std::size_t k_max_description_bytes = 1024;
constexpr const char* k_bucket = "vod-mock-bucket";
constexpr const char* k_location = "mock-region";

const std::set<std::string>& video_types()
{
    static const std::set<std::string> k_types = {"MP4", "TS",  "MOV",  "MXF", "MPG", "FLV", "WMV", "AVI",
                                                  "M4V", "F4V", "MPEG", "3GP", "ASF", "MKV", "HLS", "WEBM"};
    return k_types;
}

const std::set<std::string>& audio_types()
{
    static const std::set<std::string> k_types = {"MP3", "OGG", "WAV", "WMA", "APE", "FLAC", "AAC",
                                                  "AC3", "MMF", "AMR", "M4A", "M4R", "WV",   "MP2"};
    return k_types;
}

bool text_within(const nlohmann::json& body, const char* field, std::size_t max_bytes, bool required)
{
    if (!body.contains(field)) {
        return !required;
    }
    const auto& value = body[field];
    return value.is_string() && value.get_ref<const std::string&>().size() <= max_bytes &&
           (!required || !value.get_ref<const std::string&>().empty());
}

bool tags_ok(const std::string& tags)
{
    return within_tag_limits(id_list({tags}));
}

// The first bad member of the request, if any.
std::optional<std::string> create_problem(const nlohmann::json& body)
{
    for (const char* field : {"title", "video_name"}) {
        if (!text_within(body, field, k_max_title_bytes, true)) {
            return field;
        }
    }
    const auto& type = body.value("video_type", nlohmann::json());
    if (!type.is_string() ||
        (!video_types().count(type.get<std::string>()) && !audio_types().count(type.get<std::string>()))) {
        return "video_type";
    }
    if (!text_within(body, "description", k_max_description_bytes, false)) {
        return "description";
    }
    if (body.contains("tags") && (!body["tags"].is_string() || !tags_ok(body["tags"].get<std::string>()))) {
        return "tags";
    }
    if (body.contains("auto_publish") && body["auto_publish"] != 0 && body["auto_publish"] != 1) {
        return "auto_publish";
    }
    if (body.contains("cover_type") && body["cover_type"] != "JPG" && body["cover_type"] != "PNG") {
        return "cover_type";
    }
    return processing_problem(body);
}

// The host this request reached the mock at, for the URL it hands out; a Host that is not a
// plain host[:port] gives the loopback address.
std::string own_host(const conform::http::Request& request)
{
    const auto host = request.headers.get("Host").value_or("");
    const bool plain = !host.empty() && host.size() < 256 && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    });
    return plain ? host : "127.0.0.1";
}

}  // namespace

conform::http::Response create_asset_by_file_upload(const Context& ctx, const conform::http::Request& request)
{
    auto body = json_object_body(request);
    if (!body) {
        return illegal_parameter("body");
    }
    if (auto problem = create_problem(*body)) {
        return illegal_parameter(*problem);
    }
    const auto type = (*body)["video_type"].get<std::string>();
    const auto extension = conform::util::lower(type);
    Asset asset;
    asset.id = conform::util::random_id();
    asset.stage = Stage::creating;
    const auto now = conform::util::format_utc(std::chrono::system_clock::now(), "%Y%m%d%H%M%S");
    asset.base_info = {{"title", (*body)["title"]},
                       {"video_name", (*body)["video_name"]},
                       {"description", body->value("description", "")},
                       {"category_id", -1},
                       {"category_name", "其他"},
                       {"create_time", now},
                       {"last_modified", now},
                       {"video_type", type},
                       {"tags", body->value("tags", "")},
                       {"meta_data", {{"duration", 0}, {"video_size", 0}}}};
    Upload upload;
    upload.secret = conform::util::random_id();
    upload.content_type = (audio_types().count(type) ? "audio/" : "video/") + extension;
    for (const char* key : {"template_group_name", "thumbnail", "review"}) {
        if (body->contains(key)) {
            upload.on_confirm[key] = (*body)[key];
        }
    }
    upload.on_confirm["auto_publish"] = body->value("auto_publish", 0);
    asset.upload = std::move(upload);
    const auto object = asset.id + "/origin." + extension;
    const auto url = "http://" + own_host(request) + std::string(k_upload_prefix) + k_bucket + "/" + object +
                     "?AccessKeyId=VODMOCKOBS&Expires=" +
                     std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch() + std::chrono::hours(24))
                                        .count()) +
                     "&Signature=" + asset.upload->secret;
    nlohmann::json answer = {{"asset_id", asset.id},
                             {"video_upload_url", url},
                             {"target", {{"bucket", k_bucket}, {"location", k_location}, {"object", object}}}};
    if (body->contains("cover_type")) {
        answer["cover_upload_url"] = url + "&cover=1";  // accepted like the video's, and kept nowhere
    }
    ctx.store.transact([&](Assets& assets) { ctx.store.add_made_by_api(assets, std::move(asset)); });
    return json_reply(200, answer);
}

conform::http::Response upload_file(const Context& ctx, const conform::http::Request& request)
{
    // {k_upload_prefix}{bucket}/{asset_id}/origin.{ext}
    std::vector<std::string> parts;
    std::string_view rest(request.path);
    rest.remove_prefix(std::min(rest.size(), k_upload_prefix.size()));
    for (auto slash = rest.find('/'); parts.size() < 3; slash = rest.find('/')) {
        parts.emplace_back(rest.substr(0, slash));
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
        if (slash == std::string_view::npos) {
            break;
        }
    }
    if (parts.size() != 3 || !rest.empty() || parts[0] != k_bucket) {
        return error_reply(404, "NoSuchBucket", "The specified bucket does not exist.");
    }
    if (request.method != "PUT") {
        return error_reply(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    }
    std::string signature;
    for (const auto& [key, value] : request.query) {
        signature = key == "Signature" ? value : signature;
    }
    const auto id = parts[1];
    const auto content_type = request.headers.get("Content-Type").value_or("");
    auto answer = ctx.store.transact([&](Assets& assets) -> std::optional<conform::http::Response> {
        auto it = assets.find(id);
        if (it == assets.end() || !it->second.upload || signature != it->second.upload->secret) {
            return error_reply(403, "SignatureDoesNotMatch",
                               "The request signature we calculated does not match the signature you provided.");
        }
        auto& upload = *it->second.upload;
        // The content type is part of what the URL signs.
        if (conform::util::lower(content_type) != upload.content_type) {
            return error_reply(403, "SignatureDoesNotMatch",
                               "The request signature we calculated does not match the signature you provided "
                               "(Content-Type must be " +
                                   upload.content_type + ").");
        }
        if (it->second.stage != Stage::creating) {
            return error_reply(403, "AccessDenied", "The upload of this asset has ended.");
        }
        if (request.body.empty()) {
            return error_reply(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum size.");
        }
        upload.bytes = request.body.size();
        it->second.base_info["meta_data"]["video_size"] = upload.bytes;
        return std::nullopt;
    });
    if (answer) {
        return *answer;
    }
    auto r = empty_reply(200);
    r.headers.set("ETag", "\"" + conform::util::random_id() + "\"");
    return r;
}

}  // namespace vod_mock::handlers
