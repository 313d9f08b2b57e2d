// The mock's HTTP front: adapts cpp-httplib to Service. The only translation unit that
// includes httplib is server.cpp.
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "service.hpp"

namespace vod_mock {

class ServerError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 0;                          // 0: any free port
    std::chrono::milliseconds latency{0};  // added before every response
    std::size_t max_body_bytes = 1 << 20;
    int threads = 64;
};

class Server {
public:
    Server(const Service& service, ServerOptions options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and returns the port; throws ServerError.
    int bind();
    // Serves on a background thread; returns once requests are being accepted.
    void start();
    // Stops serving and joins the background thread; safe to call more than once.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace vod_mock
