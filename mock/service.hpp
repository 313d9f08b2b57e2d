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

namespace handlers {
struct Context;
}

// An operation, named by its handler.
using Operation = conform::http::Response (*)(const handlers::Context&, const conform::http::Request&);

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
    // An error of the HTTP front (server.cpp), bent as the mutation bends every reply.
    conform::http::Response front_error(int status, const std::string& code, const std::string& message) const;
    const Config& config() const { return m_config; }

  private:
    struct Answer {
        conform::http::Response reply;
        // The handler that gave it; nullptr where routing, quota or authentication answered.
        Operation operation = nullptr;
    };
    // The documented answer (with the mutations that change state or a decision).
    Answer faithful_answer(const conform::http::Request& request) const;
    // Why the request's credentials are refused, or nothing.
    std::optional<std::string> authentication_problem(const conform::http::Request& request) const;

    Config m_config;
    AssetStore& m_store;
};

// Replies in the documented shapes (rewrites.hpp bends them where a mutation asks).
conform::http::Response json_reply(int status, const nlohmann::json& body);
conform::http::Response error_reply(int status, const std::string& code, const std::string& message);
conform::http::Response empty_reply(int status);

// The envelope of an invalid request (VOD.10053, 400) naming the field at fault.
conform::http::Response illegal_parameter(const std::string& field);

}  // namespace vod_mock
