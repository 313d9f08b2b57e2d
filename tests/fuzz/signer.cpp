// Fuzz target: the AK/SK Authorization header parser and verifier (http::verify_signature).
// Input: the Authorization value, then optionally a line with X-Sdk-Date and the body.
// A refusal is a SignatureError; anything else escaping, or a crash, is a finding.
#include <cstdint>

#include "fuzz_support.hpp"
#include "http/url.hpp"

using namespace conform;

namespace {

// The server time the seeds are signed at.
constexpr std::string_view k_now = "20260101T120000Z";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view input(reinterpret_cast<const char*>(data), size);
    http::Request request;
    request.method = "DELETE";
    request.path = "/v1.0/" + fuzz::k_project_id + "/asset";
    request.query = http::parse_query("asset_id=" + fuzz::asset_id(1) + "&asset_id=" + fuzz::asset_id(2));
    request.headers.add("Host", "vod.cn-north-4.myhuaweicloud.com");
    request.headers.add("Content-Type", "application/json");
    request.headers.add("Authorization", std::string(fuzz::take_line(input)));
    request.headers.add("X-Sdk-Date", input.empty() ? std::string(k_now) : std::string(fuzz::take_line(input)));
    request.body = std::string(input);

    const auto now = *http::parse_sdk_date(k_now);
    auto secret_for = [](std::string_view ak) {
        return ak == fuzz::k_key.access_key ? std::optional<std::string>(fuzz::k_key.secret_key) : std::nullopt;
    };
    try {
        auto signer = http::verify_signature(request, secret_for, now, std::chrono::minutes(15));
        if (signer != fuzz::k_key.access_key) {
            fuzz::violated("accepted a signature by '" + signer + "', not the only known key");
        }
    } catch (const http::SignatureError&) {
    }
    return 0;
}
