// vod-mock's Service driven in this process with requests written as text (method, target, body,
// headers), for the mock's unit tests.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/url.hpp"
#include "service.hpp"

struct Mock {
    explicit Mock(vod_mock::Timing timing = {}, std::size_t per_kind = 4,
                  vod_mock::Config config = {"proj", std::string("tok"), std::nullopt, vod_mock::Mutation::none,
                                             nullptr})
        : store(std::move(timing)), ids(store.seed(per_kind)), service(std::move(config), store)
    {
    }

    vod_mock::AssetStore store;
    std::map<std::string, std::vector<std::string>> ids;
    vod_mock::Service service;

    conform::http::Response send(std::string method, std::string target, std::string body = "",
                                 std::vector<std::pair<std::string, std::string>> headers = {{"X-Auth-Token", "tok"}})
    {
        conform::http::Request r;
        r.method = std::move(method);
        auto q = target.find('?');
        r.path = target.substr(0, q);
        if (q != std::string::npos) {
            r.query = conform::http::parse_query(target.substr(q + 1));
        }
        for (auto& [n, v] : headers) {
            r.headers.add(n, v);
        }
        r.body = std::move(body);
        return service.handle(r);
    }
};

// A 4xx/5xx answer in the documented error envelope, as JSON.
inline bool has_envelope(const conform::http::Response& r)
{
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    return body.is_object() && body.contains("error_code") && body["error_code"].is_string() &&
           !body["error_code"].get<std::string>().empty() && body.contains("error_msg") &&
           r.headers.get("Content-Type").value_or("").starts_with("application/json");
}
