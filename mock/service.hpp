// The documented behaviour of the five operations and the ones the suite uses (the state query), as a function from
// request to response: routing, authentication, project check, then one handler per operation. No HTTP library here
// (server.cpp adapts libmicrohttpd to it), so tests can call it directly.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "http/message.hpp"
#include "http/signer.hpp"
#include "mutations.hpp"
#include "quota.hpp"
#include "state.hpp"

namespace vod_mock {

struct Config {
    std::string project_id = "mock-project";
    std::optional<std::string> token;         // set: requests need this X-Auth-Token
    std::optional<conform::http::AkSk> aksk;  // set: requests need a signature by this key
    Mutation mutation = Mutation::none;
    Quotas quota;  // over a window, requests get 429 APIGW.0308
};

class Service {
  public:
    Service(Config config, AssetStore& store);
    conform::http::Response handle(const conform::http::Request& request) const;
    const Config& config() const { return m_config; }

  private:
    // Why the request's credentials are refused, or nothing.
    std::optional<std::string> authentication_problem(const conform::http::Request& request) const;

    Config m_config;
    AssetStore& m_store;
};

// Replies in the documented shapes; the few mutations that bend every reply live here.
conform::http::Response json_reply(const Config& config, int status, const nlohmann::json& body);
conform::http::Response error_reply(const Config& config, int status, const std::string& code,
                                    const std::string& message);
conform::http::Response empty_reply(int status);

// The envelope of an invalid request (VOD.10053, 400) naming the field at fault.
conform::http::Response illegal_parameter(const Config& config, const std::string& field);

}  // namespace vod_mock
