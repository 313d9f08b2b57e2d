// A deliberately broken HTTP endpoint for tests: accepts connections on loopback and answers
// each with whatever bytes (or silence) the test scripts.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

class RawServer {
  public:
    // reply: given the request bytes read so far, the bytes to send; the connection then closes.
    explicit RawServer(std::function<std::string(const std::string&)> reply, std::chrono::milliseconds delay = {})
        : m_reply(std::move(reply)), m_delay(delay)
    {
        m_socket = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(m_socket, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_socket, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ::listen(m_socket, 16);
        socklen_t len = sizeof addr;
        ::getsockname(m_socket, reinterpret_cast<sockaddr*>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~RawServer()
    {
        m_stop = true;
        ::shutdown(m_socket, SHUT_RDWR);
        ::close(m_socket);
        m_thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

  private:
    void serve()
    {
        while (!m_stop) {
            int client = ::accept(m_socket, nullptr, nullptr);
            if (client < 0) {
                return;
            }
            char buffer[8192];
            auto n = ::recv(client, buffer, sizeof buffer, 0);
            std::string request(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
            auto deadline = std::chrono::steady_clock::now() + m_delay;
            while (!m_stop && std::chrono::steady_clock::now() < deadline) {
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
            auto bytes = m_reply(request);
            ::send(client, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            ::close(client);
        }
    }

    std::function<std::string(const std::string&)> m_reply;
    std::chrono::milliseconds m_delay;
    int m_socket = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};
