#include "rewrites.hpp"

#include <algorithm>
#include <utility>

namespace vod_mock {

namespace {

using conform::http::Request;
using conform::http::Response;
using nlohmann::json;
using M = Mutation;

struct Rewrite {
    Mutation mutation;
    Operation operation = nullptr;  // nullptr: every reply, the front's included
    Request (*request)(Request) = nullptr;
    Response (*reply)(const Request&, Response) = nullptr;
};

json parsed(const std::string& text)
{
    return json::parse(text, nullptr, false);
}

// The error envelope of a reply ({error_code, error_msg} and nothing else); nothing for another.
std::optional<json> error_envelope(const Response& reply)
{
    auto body = parsed(reply.body);
    const bool envelope =
        body.is_object() && body.size() == 2 && body.contains("error_code") && body.contains("error_msg");
    return envelope ? std::optional(std::move(body)) : std::nullopt;
}

bool refused_with(const Response& reply, int status, const std::string& code)
{
    const auto envelope = error_envelope(reply);
    return reply.status == status && envelope && (*envelope)["error_code"] == code;
}

// A 200 reply with each entry of its array member edited; entries edit returns false for are dropped.
template <class Edit> Response entries_edited(Response reply, const char* array, Edit edit)
{
    if (reply.status != 200) {
        return reply;
    }
    auto body = parsed(reply.body);
    auto kept = json::array();
    for (auto& entry : body[array]) {
        if (edit(entry)) {
            kept.push_back(std::move(entry));
        }
    }
    body[array] = std::move(kept);
    return json_reply(200, body);
}

// A 200 reply whose entries with status from say to instead.
Response status_renamed(Response reply, const char* array, const char* from, const char* to)
{
    return entries_edited(std::move(reply), array, [&](json& entry) {
        if (entry["status"] == from) {
            entry["status"] = to;
        }
        return true;
    });
}

// The request with only the first of its asset_id query parameters.
Request first_asset_id_only(Request request)
{
    bool seen = false;
    std::erase_if(request.query, [&](const auto& parameter) {
        if (parameter.first != "asset_id") {
            return false;
        }
        return std::exchange(seen, true);
    });
    return request;
}

// The request with its JSON body edited; other bodies pass unchanged.
template <class Edit> Request body_edited(Request request, Edit edit)
{
    auto body = parsed(request.body);
    if (!body.is_discarded() && edit(body)) {
        request.body = body.dump();
    }
    return request;
}

// Whether a cancel request names no asset (asset_id absent, or empty the first time).
bool names_no_asset(const Request& request)
{
    const auto ids = handlers::query_values(request, "asset_id");
    return ids.empty() || ids.front().empty();
}

// A cancelled task answered 200 with the asset_id instead of 204.
Response cancelled_with_body(const Request& request, Response reply)
{
    return reply.status == 204 ? json_reply(200, {{"asset_id", handlers::query_values(request, "asset_id").front()}})
                               : reply;
}

const std::vector<Rewrite>& rewrites()
{
    using handlers::k_bad_state_code;
    using handlers::k_not_found_code;
    static const std::vector<Rewrite> k_all = {
        // Every reply.
        {.mutation = M::content_type_text_plain,
         .reply =
             [](const Request&, Response reply) {
                 if (reply.headers.get("Content-Type") == "application/json;charset=UTF-8") {
                     reply.headers.set("Content-Type", "text/plain");
                 }
                 return reply;
             }},
        {.mutation = M::error_envelope_renamed,
         .reply =
             [](const Request&, Response reply) {
                 auto envelope = error_envelope(reply);
                 return envelope ? json_reply(reply.status, {{"code", (*envelope)["error_code"]},
                                                             {"message", (*envelope)["error_msg"]}})
                                 : reply;
             }},
        {.mutation = M::error_code_empty,
         .reply =
             [](const Request&, Response reply) {
                 auto envelope = error_envelope(reply);
                 return envelope ? error_reply(reply.status, "", (*envelope)["error_msg"].get<std::string>()) : reply;
             }},
        {.mutation = M::auth_401_without_envelope,
         .reply = [](const Request&, Response reply) { return reply.status == 401 ? empty_reply(401) : reply; }},
        // UnpublishAssets.
        {.mutation = M::unpublish_status_201,
         .operation = handlers::unpublish_assets,
         .reply =
             [](const Request&, Response reply) {
                 reply.status = reply.status == 200 ? 201 : reply.status;
                 return reply;
             }},
        {.mutation = M::unpublish_drops_unknown_ids,
         .operation = handlers::unpublish_assets,
         .reply =
             [](const Request&, Response reply) {
                 return entries_edited(std::move(reply), "asset_info_array",
                                       [](json& entry) { return entry["status"] != "NOASSET"; });
             }},
        {.mutation = M::unpublish_category_id_string,
         .operation = handlers::unpublish_assets,
         .reply =
             [](const Request&, Response reply) {
                 return entries_edited(std::move(reply), "asset_info_array", [](json& entry) {
                     if (entry.contains("base_info")) {
                         entry["base_info"]["category_id"] = entry["base_info"]["category_id"].dump();
                     }
                     return true;
                 });
             }},
        {.mutation = M::unpublish_malformed_body_500,
         .operation = handlers::unpublish_assets,
         .reply =
             [](const Request&, Response reply) {
                 return reply.status == 400 ? error_reply(500, "VOD.10051", "Internal system error.") : reply;
             }},
        {.mutation = M::unpublish_unknown_status_value,
         .operation = handlers::unpublish_assets,
         .reply =
             [](const Request&, Response reply) {
                 return status_renamed(std::move(reply), "asset_info_array", "NOASSET", "NOT_EXIST");
             }},
        {.mutation = M::unpublish_missing_asset_id_200,
         .operation = handlers::unpublish_assets,
         .reply =
             [](const Request& request, Response reply) {
                 const auto body = handlers::json_object_body(request);
                 return reply.status == 400 && body && !body->contains("asset_id")
                            ? json_reply(200, {{"asset_info_array", json::array()}})
                            : reply;
             }},
        {.mutation = M::unpublish_unknown_ids_403,
         .operation = handlers::unpublish_assets,
         .reply =
             [](const Request&, Response reply) {
                 const auto infos = reply.status == 200 ? parsed(reply.body)["asset_info_array"] : json::array();
                 const bool none_exist = !infos.empty() && std::all_of(infos.begin(), infos.end(), [](const json& e) {
                     return e["status"] == "NOASSET";
                 });
                 return none_exist ? error_reply(403, k_not_found_code, handlers::k_not_found_message) : reply;
             }},
        {.mutation = M::unpublish_drops_description,
         .operation = handlers::unpublish_assets,
         .reply =
             [](const Request&, Response reply) {
                 return entries_edited(std::move(reply), "asset_info_array", [](json& entry) {
                     entry.erase("description");  // optional in AssetInfo
                     return true;
                 });
             }},
        {.mutation = M::unpublish_nested_ids_flattened,
         .operation = handlers::unpublish_assets,
         .request =
             [](Request request) {
                 return body_edited(std::move(request), [](json& body) {
                     if (!body.is_object() || !body.contains("asset_id") || !body["asset_id"].is_array()) {
                         return false;
                     }
                     auto flat = json::array();
                     for (const auto& id : body["asset_id"]) {
                         for (const auto& inner : id.is_array() ? id : json::array({id})) {
                             flat.push_back(inner);
                         }
                     }
                     body["asset_id"] = flat;
                     return true;
                 });
             }},
        // DeleteAssets.
        {.mutation = M::delete_repeated_keys_first_only,
         .operation = handlers::delete_assets,
         .request = first_asset_id_only},
        {.mutation = M::delete_status_removed,
         .operation = handlers::delete_assets,
         .reply =
             [](const Request&, Response reply) {
                 return status_renamed(std::move(reply), "delete_result_array", "DELETED", "REMOVED");
             }},
        {.mutation = M::delete_missing_asset_id_200,
         .operation = handlers::delete_assets,
         .reply =
             [](const Request& request, Response reply) {
                 return handlers::id_list(handlers::query_values(request, "asset_id")).empty()
                            ? json_reply(200, {{"delete_result_array", json::array()}})
                            : reply;
             }},
        // CancelAssetTranscodeTask.
        {.mutation = M::transcode_cancel_200_with_body,
         .operation = handlers::cancel_asset_transcode_task,
         .reply = cancelled_with_body},
        {.mutation = M::transcode_wrong_error_code,
         .operation = handlers::cancel_asset_transcode_task,
         .reply =
             [](const Request&, Response reply) {
                 return refused_with(reply, 400, k_bad_state_code)
                            ? error_reply(400, "VOD.10053", handlers::k_bad_state_message)
                            : reply;
             }},
        {.mutation = M::transcode_unknown_asset_404_plain,
         .operation = handlers::cancel_asset_transcode_task,
         .reply =
             [](const Request&, Response reply) {
                 if (!refused_with(reply, 403, k_not_found_code)) {
                     return reply;
                 }
                 auto plain = empty_reply(404);
                 plain.headers.set("Content-Type", "text/plain");
                 plain.body = "not found";
                 return plain;
             }},
        {.mutation = M::transcode_missing_param_500,
         .operation = handlers::cancel_asset_transcode_task,
         .reply =
             [](const Request& request, Response reply) {
                 return names_no_asset(request) ? error_reply(500, "VOD.10051", "Internal system error.") : reply;
             }},
        {.mutation = M::transcode_cancel_repeated_id,
         .operation = handlers::cancel_asset_transcode_task,
         .request = first_asset_id_only},
        // CancelExtractAudioTask.
        {.mutation = M::extract_cancel_200_with_body,
         .operation = handlers::cancel_extract_audio_task,
         .reply = cancelled_with_body},
        {.mutation = M::extract_unknown_asset_204,
         .operation = handlers::cancel_extract_audio_task,
         .reply = [](const Request&,
                     Response reply) { return refused_with(reply, 403, k_not_found_code) ? empty_reply(204) : reply; }},
        {.mutation = M::extract_missing_param_404,
         .operation = handlers::cancel_extract_audio_task,
         .reply =
             [](const Request& request, Response reply) {
                 return names_no_asset(request) ? error_reply(404, "APIGW.0101", "The API does not exist.") : reply;
             }},
        // ConfirmAssetUpload.
        {.mutation = M::confirm_echoes_wrong_id,
         .operation = handlers::confirm_asset_upload,
         .reply =
             [](const Request&, Response reply) {
                 if (reply.status != 200) {
                     return reply;
                 }
                 auto id = parsed(reply.body)["asset_id"].get<std::string>();
                 std::reverse(id.begin(), id.end());
                 return json_reply(200, {{"asset_id", id}});
             }},
        {.mutation = M::confirm_unknown_asset_200,
         .operation = handlers::confirm_asset_upload,
         .reply =
             [](const Request& request, Response reply) {
                 return refused_with(reply, 403, k_not_found_code)
                            ? json_reply(200, {{"asset_id", (*handlers::json_object_body(request))["asset_id"]}})
                            : reply;
             }},
        {.mutation = M::confirm_accepts_any_status,
         .operation = handlers::confirm_asset_upload,
         .request =
             [](Request request) {
                 return body_edited(std::move(request), [](json& body) {
                     const auto& status = body.is_object() ? body.value("status", json()) : json();
                     if (!status.is_string() || status == "CREATED" || status == "FAILED" || status == "CANCELLED") {
                         return false;
                     }
                     body["status"] = "CREATED";
                     return true;
                 });
             }},
        {.mutation = M::confirm_status_array_accepted,
         .operation = handlers::confirm_asset_upload,
         .request =
             [](Request request) {
                 return body_edited(std::move(request), [](json& body) {
                     if (!body.is_object() || !body.contains("status") || !body["status"].is_array() ||
                         body["status"].empty()) {
                         return false;
                     }
                     body["status"] = json(body["status"][0]);
                     return true;
                 });
             }},
        {.mutation = M::confirm_body_array_accepted,
         .operation = handlers::confirm_asset_upload,
         .request =
             [](Request request) {
                 return body_edited(std::move(request), [](json& body) {
                     if (!body.is_array() || body.empty() || !body[0].is_object()) {
                         return false;
                     }
                     body = json(body[0]);
                     return true;
                 });
             }},
    };
    return k_all;
}

const Rewrite* rewrite_of(Mutation mutation, Operation operation)
{
    const auto& all = rewrites();
    auto it = std::find_if(all.begin(), all.end(), [&](const Rewrite& r) {
        return r.mutation == mutation && (r.operation == nullptr || r.operation == operation);
    });
    return it == all.end() ? nullptr : &*it;
}

}  // namespace

Request rewritten_request(Mutation mutation, Operation operation, Request request)
{
    const auto* rewrite = rewrite_of(mutation, operation);
    return rewrite && rewrite->request ? rewrite->request(std::move(request)) : request;
}

Response rewritten_reply(Mutation mutation, Operation operation, const Request& request, Response faithful)
{
    const auto* rewrite = rewrite_of(mutation, operation);
    return rewrite && rewrite->reply ? rewrite->reply(request, std::move(faithful)) : faithful;
}

}  // namespace vod_mock
