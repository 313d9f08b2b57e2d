// One handler per documented operation. Each gets a request that passed routing and
// authentication, and answers as the documents say (or as the configured mutation bends it).
#pragma once

#include <optional>
#include <string>
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

// Shared by the handlers.
std::vector<std::string> query_values(const conform::http::Request& request, const std::string& key);
std::optional<nlohmann::json> json_object_body(const conform::http::Request& request);

inline const std::string k_not_found_code = "VOD.10062";
inline const std::string k_not_found_message = "Media asset or resource does not exist, please check.";
inline const std::string k_bad_state_code = "VOD.10083";
inline const std::string k_bad_state_message = "The current media asset status does not support this operation.";

}  // namespace vod_mock::handlers
