// vod-mock's Service in this process behind the engine's Transport interface (no HTTP, no
// port), counting requests by method and path.
#pragma once

#include <map>
#include <string>

#include "engine/transport.hpp"
#include "service.hpp"

struct InProcess final : conform::engine::Transport {
    InProcess(const vod_mock::Service& service, std::map<std::string, int>& sent) : m_service(service), m_sent(sent) {}
    conform::http::Response send(const conform::http::Request& request) override
    {
        ++m_sent[request.method + " " + request.path];
        return m_service.handle(request);
    }
    const vod_mock::Service& m_service;
    std::map<std::string, int>& m_sent;
};
