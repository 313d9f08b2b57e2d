// Huawei Cloud API signing, SDK-HMAC-SHA256 (see ../shared/reference/vod-api-facts.md §d).
// The runner signs with it and the mock verifies with it; the unit tests pin it to the
// official SDKs' published vectors, so the two sides cannot agree on a wrong algorithm.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace conform::http {

inline constexpr std::string_view k_sign_algorithm = "SDK-HMAC-SHA256";
inline constexpr std::string_view k_empty_body_sha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct AkSk {
    std::string access_key;
    std::string secret_key;
};

using Clock = std::chrono::system_clock;

std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

std::string canonical_uri(std::string_view path);
std::string canonical_query(const QueryParams& query);
// signed_headers: lower-case names, sorted.
std::string canonical_request(const Request& request, const std::vector<std::string>& signed_headers);
std::string string_to_sign(std::string_view canonical, std::string_view sdk_date);

// The headers the Go SDK signs: every header but Content-Type and names containing '_'.
std::vector<std::string> default_signed_headers(const Headers& headers);

std::string format_sdk_date(Clock::time_point when);
std::optional<Clock::time_point> parse_sdk_date(std::string_view text);

// Sets X-Sdk-Date (unless the request has one) and the Authorization header.
void sign(Request& request, const AkSk& key, Clock::time_point now = Clock::now());
void sign(Request& request, const AkSk& key, const std::vector<std::string>& signed_headers,
          Clock::time_point now = Clock::now());

// Why a request's signature was refused; the message is safe to show (no secret in it).
class SignatureError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Checks Authorization and X-Sdk-Date; returns the access key that signed. secret_for
// returns the secret key of an access key, or nothing for an unknown one.
std::string verify_signature(const Request& request,
                             const std::function<std::optional<std::string>(std::string_view)>& secret_for,
                             Clock::time_point now, std::chrono::seconds max_skew);

}  // namespace conform::http
