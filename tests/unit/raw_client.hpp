// A raw HTTP/1.1 client for tests and benchmarks: sends exactly the bytes it is given (malformed
// ones too) and reads replies with deadlines, so a connection can be held idle or half-sent.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

// Raises the soft limit on open descriptors to at least `needed`; false if the hard limit is lower.
inline bool raise_descriptor_limit(rlim_t needed)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_max < needed) {
        return false;
    }
    if (limit.rlim_cur < needed) {
        limit.rlim_cur = needed;
        return ::setrlimit(RLIMIT_NOFILE, &limit) == 0;
    }
    return true;
}

struct RawReply {
    int status = 0;
    std::string head;  // status line and headers, lower-cased
    std::string body;
};

class RawClient {
  public:
    using Clock = std::chrono::steady_clock;

    explicit RawClient(int port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (m_fd < 0) {
            throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
        }
        int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        if (::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            const std::string problem = std::strerror(errno);
            ::close(m_fd);
            throw std::runtime_error("connect to port " + std::to_string(port) + ": " + problem);
        }
    }
    ~RawClient()
    {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    RawClient(RawClient&& other) noexcept
        : m_fd(std::exchange(other.m_fd, -1)), m_buffer(std::move(other.m_buffer)), m_closed(other.m_closed)
    {
    }
    RawClient& operator=(RawClient&&) = delete;
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    void send(std::string_view bytes)
    {
        while (!bytes.empty()) {
            auto n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) {
                throw std::runtime_error(std::string("send: ") + std::strerror(errno));
            }
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    // The next reply, read to the end of its Content-Length; nothing if it did not come whole
    // within `timeout` (or the server closed first).
    std::optional<RawReply> read_reply(std::chrono::milliseconds timeout)
    {
        const auto deadline = Clock::now() + timeout;
        std::size_t end_of_head;
        while ((end_of_head = m_buffer.find("\r\n\r\n")) == std::string::npos) {
            if (!fill(deadline)) {
                return std::nullopt;
            }
        }
        RawReply reply;
        reply.head = m_buffer.substr(0, end_of_head + 2);
        for (auto& c : reply.head) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (!reply.head.starts_with("http/1.")) {
            return std::nullopt;
        }
        reply.status = std::atoi(reply.head.c_str() + std::strlen("http/1.1 "));
        std::size_t length = 0;
        if (auto at = reply.head.find("\r\ncontent-length:"); at != std::string::npos) {
            length = std::stoul(reply.head.substr(at + std::strlen("\r\ncontent-length:")));
        }
        const auto end = end_of_head + 4 + length;
        while (m_buffer.size() < end) {
            if (!fill(deadline)) {
                return std::nullopt;
            }
        }
        reply.body = m_buffer.substr(end_of_head + 4, length);
        m_buffer.erase(0, end);
        return reply;
    }

    // True when the server closes the connection within `timeout` (bytes before that are kept).
    bool closed_within(std::chrono::milliseconds timeout)
    {
        const auto deadline = Clock::now() + timeout;
        while (fill(deadline)) {
        }
        return m_closed;
    }

  private:
    // Reads what is there into the buffer, waiting until `deadline`; false on timeout or close.
    bool fill(Clock::time_point deadline)
    {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        pollfd p{m_fd, POLLIN, 0};
        if (m_closed || left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) {
            return false;
        }
        char chunk[16384];
        auto n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
            m_closed = true;
            return false;
        }
        m_buffer.append(chunk, static_cast<std::size_t>(n));
        return true;
    }

    int m_fd = -1;
    std::string m_buffer;
    bool m_closed = false;
};
