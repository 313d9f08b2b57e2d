#include "report/curl_line.hpp"

#include "http/redact.hpp"

namespace conform::report {

namespace {

std::string quoted(const std::string& text)
{
    std::string out = "'";
    for (char c : text) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

}  // namespace

std::optional<std::string> curl_line(const engine::CaseResult& result, const ReportContext& context)
{
    if (!result.step || result.test_case.steps.size() <= result.step->index) {
        return std::nullopt;
    }
    const engine::Exchange* exchange = nullptr;
    for (const auto& ex : result.exchanges) {
        if (ex.step_index == result.step->index) {
            exchange = &ex;
        }
    }
    if (!exchange) {
        return std::nullopt;
    }
    const auto auth = result.test_case.steps[result.step->index].auth;
    const auto& request = exchange->request;
    std::string out;
    bool signed_request = false;
    std::string line = "curl -sS -i -X " + request.method + " " + quoted(context.endpoint + request.target());
    for (const auto& h : request.headers) {
        if (http::iequals(h.name, "Host") || http::iequals(h.name, "Content-Length")) {
            continue;
        }
        if (http::iequals(h.name, "Authorization") || http::iequals(h.name, "X-Sdk-Date")) {
            signed_request = true;
            continue;
        }
        if (const auto& token = context.names.token_header; !token.empty() && http::iequals(h.name, token)) {
            // The run's token by reference; a deliberately wrong one is any wrong value.
            line += auth == contract::Auth::run ? " -H \"" + token + ": $CONFORM_TOKEN\""
                                                : " -H " + quoted(token + ": conform-wrong-token");
            continue;
        }
        line += " -H " + quoted(h.name + ": " + h.value);
    }
    if (!request.body.empty()) {
        line += " --data-binary " + quoted(request.body);
    }
    if (signed_request) {
        out =
            auth == contract::Auth::bad_signature
                ? "# the step sent a signature by a made-up access key (SDK-HMAC-SHA256): add any Authorization header "
                  "that does not verify\n"
                : "# AK/SK: sign this request afresh (SDK-HMAC-SHA256 with $HUAWEICLOUD_SDK_AK / $HUAWEICLOUD_SDK_SK: "
                  "X-Sdk-Date and Authorization); the recorded signature has expired\n";
    }
    return out + line;
}

}  // namespace conform::report
