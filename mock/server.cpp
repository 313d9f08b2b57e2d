#include "server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <thread>
#include <utility>

namespace vod_mock {

namespace {

// Set while Service answered the request on this thread: its replies (a mutation's empty 401
// included) are final, and the error handler below only completes httplib's own refusals.
thread_local bool t_answered_by_service = false;

conform::http::Request to_request(const httplib::Request& in)
{
    conform::http::Request out;
    out.method = in.method;
    out.path = in.path;
    for (const auto& [key, value] : in.params) {
        out.query.emplace_back(key, value);
    }
    for (const auto& [name, value] : in.headers) {
        // httplib adds these for its own bookkeeping; they were not sent.
        if (name != "REMOTE_ADDR" && name != "REMOTE_PORT" && name != "LOCAL_ADDR" && name != "LOCAL_PORT") {
            out.headers.add(name, value);
        }
    }
    out.body = in.body;
    return out;
}

void write_response(const conform::http::Response& in, httplib::Response& out)
{
    out.status = in.status;
    std::string content_type = in.headers.get("Content-Type").value_or("");
    for (const auto& h : in.headers) {
        if (!conform::http::iequals(h.name, "Content-Type")) {
            out.set_header(h.name, h.value);
        }
    }
    if (!in.body.empty() || !content_type.empty()) {
        out.set_content(in.body, content_type.c_str());
    }
}

}  // namespace

struct Server::Impl {
    Impl(const Service& s, ServerOptions o) : service(s), options(std::move(o)) {}

    const Service& service;
    ServerOptions options;
    httplib::Server http;
    int port = 0;
    int listen_socket = -1;
    std::thread thread;

    void envelope(httplib::Response& res, const std::string& code, const std::string& message)
    {
        write_response(error_reply(service.config(), res.status, code, message), res);
    }
};

Server::Server(const Service& service, ServerOptions options) : m_impl(std::make_unique<Impl>(service, options))
{
    auto& impl = *m_impl;
    auto& http = impl.http;
    const int threads = options.threads;
    http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    http.set_payload_max_length(options.max_body_bytes);
    http.set_keep_alive_max_count(10000);
    http.set_tcp_nodelay(true);
    // Remember the listening socket (httplib's default options: SO_REUSEADDR) so bind() can
    // widen its backlog.
    http.set_socket_options([&impl](int socket) {
        int yes = 1;
        ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        impl.listen_socket = socket;
    });  // headers and body go in separate writes: without it, Nagle adds 40 ms
    http.set_read_timeout(10, 0);

    auto handler = [&impl](const httplib::Request& req, httplib::Response& res) {
        if (impl.options.latency.count() > 0) {
            std::this_thread::sleep_for(impl.options.latency);
        }
        write_response(impl.service.handle(to_request(req)), res);
        // httplib runs the error handler for every status >= 400 (and only then), which
        // consumes the flag, so it never outlives this request.
        t_answered_by_service = res.status >= 400;
    };
    const std::string any = ".*";
    http.Get(any, handler);
    http.Post(any, handler);
    http.Put(any, handler);
    http.Patch(any, handler);
    http.Delete(any, handler);
    http.Options(any, handler);

    // Whatever httplib refuses by itself (oversized body, bad request line, unknown method)
    // still gets the documented error envelope.
    http.set_error_handler([&impl](const httplib::Request&, httplib::Response& res) {
        const bool answered = std::exchange(t_answered_by_service, false);
        if (answered || !res.body.empty()) {
            return;
        }
        if (res.status == 413) {
            impl.envelope(res, "APIGW.0201", "Request entity too large.");
        } else if (res.status == 404) {
            impl.envelope(res, "APIGW.0101", "The API does not exist or has not been published in the environment.");
        } else if (res.status >= 400 && res.status < 500) {
            impl.envelope(res, "APIGW.0201", "API request error.");
        }
    });
    http.set_exception_handler([&impl](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        impl.envelope(res, "VOD.10051", "Internal system error.");
    });
}

Server::~Server()
{
    stop();
}

int Server::bind()
{
    auto& impl = *m_impl;
    if (impl.options.port == 0) {
        impl.port = impl.http.bind_to_any_port(impl.options.host.c_str());
    } else {
        impl.port = impl.http.bind_to_port(impl.options.host.c_str(), impl.options.port) ? impl.options.port : -1;
    }
    if (impl.port <= 0) {
        throw ServerError("cannot listen on " + impl.options.host + ":" + std::to_string(impl.options.port));
    }
    // httplib listens with a backlog of 5: sixteen clients connecting at once lose SYNs and
    // wait a second to retry. Calling listen() again on Linux just raises the backlog.
    if (impl.listen_socket >= 0) {
        ::listen(impl.listen_socket, SOMAXCONN);
    }
    return impl.port;
}

void Server::start()
{
    auto& impl = *m_impl;
    impl.thread = std::thread([&impl] { impl.http.listen_after_bind(); });
    // stop() before the loop runs would be lost: wait until it does.
    while (!impl.http.is_running()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

void Server::stop()
{
    auto& impl = *m_impl;
    if (impl.thread.joinable()) {
        impl.http.stop();
        impl.thread.join();
    }
}

}  // namespace vod_mock
