#include "server.hpp"

#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "http/url.hpp"

namespace vod_mock {

using conform::http::Request;
using conform::http::Response;

namespace {

using Clock = std::chrono::steady_clock;

// Request line and headers must fit in this much per connection (MHD answers 414/431 beyond).
constexpr std::size_t k_connection_memory = 32 * 1024;
// Descriptors the process needs besides its connections (stdio, listen socket, epoll, ...).
constexpr rlim_t k_spare_descriptors = 64;

// One request's progress from its request line to its reply (MHD's per-request context).
struct Exchange {
    Request request;
    bool started = false;         // the handler has seen the headers
    bool body_too_large = false;  // the rest of the body is read and dropped, then 413
    std::optional<Response> reply;
};

// Each connection is a descriptor: raise the soft limit to fit `wanted` of them (up to the hard
// limit) and return how many fit.
unsigned fit_descriptor_limit(unsigned wanted)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return wanted;
    }
    const rlim_t needed = wanted + k_spare_descriptors;
    if (limit.rlim_cur < needed) {
        limit.rlim_cur = std::min(needed, limit.rlim_max);
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    return static_cast<unsigned>(
        std::clamp<rlim_t>(limit.rlim_cur - std::min(limit.rlim_cur, k_spare_descriptors), 1, wanted));
}

// Listens on host:port (0: any free port) with a full backlog, so many clients connecting at
// once are not made to retry their SYNs. Returns the socket and the port.
std::pair<int, int> listen_on(const std::string& host, int port)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const auto where = host + ":" + std::to_string(port);
    if (int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0) {
        throw ServerError("cannot listen on " + where + ": " + ::gai_strerror(rc));
    }
    std::string problem = "no address";
    for (auto* a = found; a; a = a->ai_next) {
        int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            continue;
        }
        int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        sockaddr_storage bound{};
        socklen_t length = sizeof bound;
        if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length) == 0) {
            ::freeaddrinfo(found);
            const int bound_port = bound.ss_family == AF_INET6
                                       ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                       : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
            return {fd, bound_port};
        }
        problem = std::strerror(errno);
        ::close(fd);
    }
    ::freeaddrinfo(found);
    throw ServerError("cannot listen on " + where + ": " + problem);
}

// The raw request target (MHD's own URL is decoded and its arguments split from it): the path
// decoded as httplib did, the query parsed by the rules the runner encodes with.
void set_target(Request& request, std::string_view target)
{
    const auto q = target.find('?');
    request.path = conform::http::percent_decode(target.substr(0, q));
    if (q != std::string_view::npos) {
        request.query = conform::http::parse_query(target.substr(q + 1));
    }
}

enum MHD_Result add_header(void* request, enum MHD_ValueKind, const char* name, const char* value)
{
    static_cast<Request*>(request)->headers.add(name, value ? value : "");
    return MHD_YES;
}

// Sends `reply` as it is: Content-Length and the framing are MHD's, and it never applies Range.
// MHD writes status line, headers and body in one sendmsg with TCP_NODELAY set, so there is no
// Nagle stall between them.
enum MHD_Result queue(MHD_Connection* connection, const Response& reply)
{
    auto* response =
        MHD_create_response_from_buffer(reply.body.size(), const_cast<char*>(reply.body.data()), MHD_RESPMEM_MUST_COPY);
    if (!response) {
        return MHD_NO;
    }
    for (const auto& h : reply.headers) {
        MHD_add_response_header(response, h.name.c_str(), h.value.c_str());
    }
    const auto queued = MHD_queue_response(connection, static_cast<unsigned>(reply.status), response);
    MHD_destroy_response(response);
    return queued;
}

}  // namespace

// Holds replies back for --latency-ms without holding a thread: the connection is suspended,
// and resumed when its time comes (MHD then calls the handler again, which sends the reply).
class Delayer {
  public:
    explicit Delayer(std::chrono::milliseconds latency) : m_latency(latency)
    {
        if (latency.count() > 0) {
            m_thread = std::thread([this] { run(); });
        }
    }
    ~Delayer() { release_all(); }

    // Suspends the connection until its reply is due; false when there is no latency or the
    // server is stopping (send at once). Runs on MHD's thread, inside the handler.
    bool hold(MHD_Connection* connection)
    {
        std::lock_guard lock(m_mutex);
        if (m_latency.count() == 0 || m_stopping) {
            return false;
        }
        MHD_suspend_connection(connection);
        m_pending.emplace(Clock::now() + m_latency, connection);
        m_wake.notify_one();
        return true;
    }

    // Resumes every held connection now and ends the timer; MHD refuses to stop otherwise.
    void release_all()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
            for (const auto& [due, connection] : m_pending) {
                MHD_resume_connection(connection);
            }
            m_pending.clear();
        }
        m_wake.notify_one();
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }

  private:
    void run()
    {
        std::unique_lock lock(m_mutex);
        while (!m_stopping) {
            if (m_pending.empty()) {
                m_wake.wait(lock);
            } else if (const auto due = m_pending.begin()->first; due > Clock::now()) {
                m_wake.wait_until(lock, due);  // a copy: the entry may be gone when it wakes
            } else {
                MHD_resume_connection(m_pending.begin()->second);
                m_pending.erase(m_pending.begin());
            }
        }
    }

    std::chrono::milliseconds m_latency;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::multimap<Clock::time_point, MHD_Connection*> m_pending;
    bool m_stopping = false;
    std::thread m_thread;
};

struct Server::Impl {
    Impl(const Service& s, ServerOptions o) : service(s), options(std::move(o)), delayer(options.latency) {}

    const Service& service;
    ServerOptions options;
    Delayer delayer;
    int listen_socket = -1;
    int port = 0;
    MHD_Daemon* daemon = nullptr;

    Response envelope(int status, const std::string& code, const std::string& message) const
    {
        return service.front_error(status, code, message);
    }

    Response too_large() const { return envelope(413, "APIGW.0201", "Request entity too large."); }

    // What to refuse from the headers alone, before any body is read: a Content-Length over the
    // limit (413 at once, not after reading it), or a Transfer-Encoding MHD cannot frame (it
    // would read the body until the client closes).
    std::optional<Response> refusal(const Request& request) const
    {
        if (auto coding = request.headers.get("Transfer-Encoding");
            coding && !conform::http::iequals(*coding, "chunked")) {
            return envelope(400, "APIGW.0201", "API request error.");
        }
        // MHD has refused a Content-Length that is not a number or overflows; what is left parses.
        if (auto length = request.headers.get("Content-Length")) {
            std::uint64_t bytes = 0;
            auto [end, error] = std::from_chars(length->data(), length->data() + length->size(), bytes);
            if (error != std::errc{} || bytes > options.max_body_bytes) {
                return too_large();
            }
        }
        return std::nullopt;
    }

    Response answer(const Exchange& exchange) const
    {
        if (exchange.body_too_large) {
            return too_large();
        }
        try {
            return service.handle(exchange.request);
        } catch (const std::exception&) {
            return envelope(500, "VOD.10051", "Internal system error.");
        }
    }

    // MHD calls this once the headers are in, once per piece of body, once when the request is
    // complete, and again after a resume. Every body is read whatever the method, so nothing of
    // it is left to be taken for the next request on the connection.
    enum MHD_Result handle(MHD_Connection* connection, const char* upload, std::size_t* upload_size, Exchange& exchange)
    {
        if (exchange.reply) {
            return queue(connection, *exchange.reply);
        }
        if (!exchange.started) {
            exchange.started = true;
            MHD_get_connection_values(connection, MHD_HEADER_KIND, add_header, &exchange.request);
            // Queued now, a reply makes MHD close the connection after it, body unread.
            if (auto refused = refusal(exchange.request)) {
                return queue(connection, *refused);
            }
            return MHD_YES;
        }
        if (*upload_size > 0) {
            auto& body = exchange.request.body;
            exchange.body_too_large = exchange.body_too_large || body.size() + *upload_size > options.max_body_bytes;
            if (exchange.body_too_large) {
                body.clear();
            } else {
                body.append(upload, *upload_size);
            }
            *upload_size = 0;
            return MHD_YES;
        }
        exchange.reply = answer(exchange);
        if (delayer.hold(connection)) {
            return MHD_YES;
        }
        return queue(connection, *exchange.reply);
    }
};

Server::Server(const Service& service, ServerOptions options)
    : m_impl(std::make_unique<Impl>(service, std::move(options)))
{
}

Server::~Server()
{
    stop();
    if (m_impl->listen_socket >= 0 && !m_impl->daemon) {
        ::close(m_impl->listen_socket);
    }
}

int Server::bind()
{
    auto& impl = *m_impl;
    std::tie(impl.listen_socket, impl.port) = listen_on(impl.options.host, impl.options.port);
    return impl.port;
}

void Server::start()
{
    auto& impl = *m_impl;
    if (impl.listen_socket < 0) {
        throw ServerError("start() before bind()");
    }
    auto on_request = [](void* self, MHD_Connection* connection, const char*, const char* method, const char*,
                         const char* upload, std::size_t* upload_size, void** context) {
        if (!*context) {
            return MHD_NO;  // cannot happen: the request line made one
        }
        auto& exchange = *static_cast<Exchange*>(*context);
        if (!exchange.started) {
            exchange.request.method = method;
        }
        return static_cast<Impl*>(self)->handle(connection, upload, upload_size, exchange);
    };
    // Called with the request line as sent, before MHD decodes it; what it returns is the
    // request's context.
    auto on_request_line = [](void*, const char* target, MHD_Connection*) -> void* {
        auto exchange = std::make_unique<Exchange>();
        set_target(exchange->request, target);
        return exchange.release();
    };
    auto on_completed = [](void*, MHD_Connection*, void** context, MHD_RequestTerminationCode) {
        delete static_cast<Exchange*>(*context);
        *context = nullptr;
    };
    const unsigned connections = fit_descriptor_limit(impl.options.max_connections);
    impl.daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME, 0, nullptr, nullptr, +on_request,
        &impl, MHD_OPTION_LISTEN_SOCKET, impl.listen_socket, MHD_OPTION_THREAD_POOL_SIZE,
        static_cast<unsigned>(std::max(impl.options.threads, 1)), MHD_OPTION_CONNECTION_LIMIT, connections,
        MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(impl.options.idle_timeout.count()),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, k_connection_memory, MHD_OPTION_URI_LOG_CALLBACK, +on_request_line, nullptr,
        MHD_OPTION_NOTIFY_COMPLETED, +on_completed, nullptr, MHD_OPTION_END);
    if (!impl.daemon) {
        throw ServerError("cannot serve on " + impl.options.host + ":" + std::to_string(impl.port));
    }
}

void Server::stop()
{
    auto& impl = *m_impl;
    if (impl.daemon) {
        impl.delayer.release_all();
        MHD_stop_daemon(impl.daemon);  // closes the listening socket too
        impl.daemon = nullptr;
        impl.listen_socket = -1;
    }
}

}  // namespace vod_mock
