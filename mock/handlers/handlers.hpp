// One handler per documented operation. Each gets a request that passed routing and
// authentication, and answers as the documents say. A mutation that changes state or a decision
// bends it at that point (Context::on); one that only rewrites the request or the reply does so
// around the handler (rewrites.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "service.hpp"

namespace vod_mock::handlers {

struct Context {
    const Config& config;
    AssetStore& store;
    // Whether mutation m is active; Mutation::none never is.
    bool on(Mutation m) const { return m != Mutation::none && config.mutation == m; }
};

conform::http::Response unpublish_assets(const Context& ctx, const conform::http::Request& request);
conform::http::Response delete_assets(const Context& ctx, const conform::http::Request& request);
conform::http::Response cancel_asset_transcode_task(const Context& ctx, const conform::http::Request& request);
conform::http::Response cancel_extract_audio_task(const Context& ctx, const conform::http::Request& request);
conform::http::Response confirm_asset_upload(const Context& ctx, const conform::http::Request& request);
// The operations the suite uses rather than tests: the state query and provisioning.
conform::http::Response list_asset_list(const Context& ctx, const conform::http::Request& request);
conform::http::Response create_asset_by_file_upload(const Context& ctx, const conform::http::Request& request);
conform::http::Response publish_assets(const Context& ctx, const conform::http::Request& request);
conform::http::Response create_asset_process_task(const Context& ctx, const conform::http::Request& request);
conform::http::Response create_extract_audio_task(const Context& ctx, const conform::http::Request& request);
conform::http::Response create_asset_review_task(const Context& ctx, const conform::http::Request& request);
// The presigned upload URL CreateAssetByFileUpload hands out, served by the mock in place of OBS:
// no VOD credentials and no VOD quota (its errors keep the mock's JSON envelope).
inline constexpr std::string_view k_upload_prefix = "/mock-obs/";
conform::http::Response upload_file(const Context& ctx, const conform::http::Request& request);

// Shared by the handlers.
// The processing members of a create or process request (template_group_name, thumbnail,
// review, auto_encrypt): the first bad one, if any.
std::optional<std::string> processing_problem(const nlohmann::json& spec);
// Within transact: starts the processing spec asks for (a queued transcode, a snapshot, a review).
void start_processing(AssetStore& store, Asset& asset, const nlohmann::json& spec);
std::vector<std::string> query_values(const conform::http::Request& request, const std::string& key);
std::optional<nlohmann::json> json_object_body(const conform::http::Request& request);
// The ids of a {"asset_id": ["...", ...]} body (PublishAssets, UnpublishAssets): a non-empty array
// of non-empty strings (empty ones too, with empty_ids_accepted); nothing for any other body.
std::optional<std::vector<std::string>> asset_id_array(const std::optional<nlohmann::json>& body,
                                                       bool empty_ids_accepted = false);
// Ids given as repeated keys, comma-separated or both, each trimmed of spaces; empty ones dropped.
struct IdListing {
    bool split_commas = true;
    bool trim = true;
};
std::vector<std::string> id_list(const std::vector<std::string>& values, IdListing how = {});
// The most ids DeleteAssets and ListAssetList take in one call.
inline constexpr std::size_t k_max_ids_per_call = 10;
// Whether tags keep the documented limits (at most 16, each at most 16 bytes), for an asset's
// tags and for a query by tags alike.
bool within_tag_limits(const std::vector<std::string>& tags);

inline const std::string k_not_found_code = "VOD.10062";
inline const std::string k_not_found_message = "Media asset or resource does not exist, please check.";
inline const std::string k_bad_state_code = "VOD.10083";
inline const std::string k_bad_state_message = "The current media asset status does not support this operation.";

}  // namespace vod_mock::handlers
