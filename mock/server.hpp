// The mock's HTTP front: adapts libmicrohttpd to Service. The only translation unit that
// includes microhttpd.h is server.cpp.
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "service.hpp"
#include "util/error.hpp"

namespace vod_mock {

class ServerError : public conform::util::Error {
  public:
    explicit ServerError(const std::string& what) : Error(conform::util::ErrorKind::environment, what) {}
};

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 0;                          // 0: any free port
    std::chrono::milliseconds latency{0};  // added before every response, without holding a thread
    std::size_t max_body_bytes = 1 << 20;
    // Connections served at once; more are closed on accept. The process's descriptor limit is
    // raised to fit (up to its hard limit).
    unsigned max_connections = 2000;
    // A connection that sends nothing (between requests, or in the middle of one) for this long
    // is closed.
    std::chrono::seconds idle_timeout{10};
    int threads = 2;  // polling threads, each serving its share of the connections with epoll
};

class Server {
  public:
    Server(const Service& service, ServerOptions options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and returns the port; throws ServerError.
    int bind();
    // Serves on background threads; returns once requests are being accepted. Throws ServerError.
    void start();
    // Stops serving (replies held back by the latency are released at once); safe to call more
    // than once.
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace vod_mock
