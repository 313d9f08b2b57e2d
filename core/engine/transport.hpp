// Sending a request: an interface, so the engine can be tested without a network and the
// only translation unit that includes curl is curl_transport.cpp.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace conform::engine {

// The endpoint could not be talked to: refused, reset, timed out, TLS, body over the cap.
class TransportError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class Transport {
  public:
    virtual ~Transport() = default;
    // Sends to the endpoint's base URL + request.target(); throws TransportError.
    virtual http::Response send(const http::Request& request) = 0;
};

struct TransportOptions {
    std::string base_url;  // scheme://host[:port][/prefix]
    double timeout_seconds = 30;
    bool insecure = false;  // skip TLS verification
    std::string ca_file;    // extra CA bundle
    std::size_t max_body_bytes = 8 * 1024 * 1024;
    std::stop_token stop;  // requested: abort transfers under way
};

// One transport per worker thread: each keeps its connection open between requests.
using TransportFactory = std::function<std::unique_ptr<Transport>()>;

TransportFactory curl_transport_factory(TransportOptions options);

// URLs are read by curl's URL parser, the one that sends the requests, so the Host header signed
// and the host connected to cannot differ. Each throws TransportError for a URL curl refuses.

// Why a --base-url cannot be used (not http(s), a query or fragment, no host), or nothing.
std::optional<std::string> base_url_problem(const std::string& base_url);
// Host and port of a base URL as a Host header carries them ("127.0.0.1:8080", "[::1]:8080");
// no port where it is the scheme's default.
std::string authority_of(const std::string& base_url);
// The URL without user:password@, for anything shown or written.
std::string without_userinfo(const std::string& url);
// What user:password@ in a URL makes secret (curl sends it as Authorization: Basic): the
// decoded password and user:password (whose base64 is the Basic credential); none without one.
std::vector<std::string> userinfo_secrets(const std::string& url);

}  // namespace conform::engine
