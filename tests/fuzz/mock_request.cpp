// Fuzz target: the mock's request handling (vod_mock::Service::handle) without a transport.
// Input: an HTTP/1.1 request as on the wire (request line, headers, blank line, body), the
// query decoded as the server does. It is answered by a fresh mock holding one asset of each
// fixture kind (ids fuzz::asset_id(0..8), in fixture_kinds() order), once without
// authentication, once with a token ("fuzz-token") and once with an AK/SK key.
// Properties: no crash, no exception; every answer is a 2xx-5xx, and a body is JSON.
#include <cstdint>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "http/url.hpp"
#include "service.hpp"

using namespace conform;

namespace {

http::Request parse_request(std::string_view text)
{
    http::Request request;
    auto line = fuzz::take_line(text);
    auto space = line.find(' ');
    request.method = std::string(line.substr(0, space));
    auto target = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
    target = target.substr(0, target.find(' '));
    auto question = target.find('?');
    request.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos) {
        request.query = http::parse_query(target.substr(question + 1));
    }
    while (!text.empty()) {
        auto header = fuzz::take_line(text);
        if (header.empty()) {
            break;
        }
        auto colon = header.find(':');
        auto value = colon == std::string_view::npos ? std::string_view{} : header.substr(colon + 1);
        value.remove_prefix(std::min(value.find_first_not_of(' '), value.size()));
        request.headers.add(std::string(header.substr(0, colon)), std::string(value));
    }
    request.body = std::string(text);
    return request;
}

void check_answer(const vod_mock::Config& config, const http::Request& request)
{
    vod_mock::AssetStore store;
    std::size_t i = 0;
    for (const auto& [kind, name] : vod_mock::fixture_kinds()) {
        store.add_fixture(kind, fuzz::asset_id(i++), {{"title", name}, {"video_type", "MP4"}});
    }
    vod_mock::Service service(config, store);
    auto response = service.handle(request);
    if (response.status < 200 || response.status > 599) {
        fuzz::violated("status " + std::to_string(response.status));
    }
    if (!response.body.empty() && !nlohmann::json::accept(response.body)) {
        fuzz::violated("a body that is not JSON: " + response.body.substr(0, 200));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto request = parse_request(std::string_view(reinterpret_cast<const char*>(data), size));
    vod_mock::Config open{fuzz::k_project_id, std::nullopt, std::nullopt, vod_mock::Mutation::none, nullptr};
    vod_mock::Config token{fuzz::k_project_id, std::string("fuzz-token"), std::nullopt, vod_mock::Mutation::none,
                           nullptr};
    vod_mock::Config aksk{fuzz::k_project_id, std::nullopt, fuzz::k_key, vod_mock::Mutation::none, nullptr};
    for (const auto* config : {&open, &token, &aksk}) {
        check_answer(*config, request);
    }
    return 0;
}
