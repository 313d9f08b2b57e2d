#include <curl/curl.h>

#include <mutex>

#include "engine/transport.hpp"
#include "http/url.hpp"

namespace conform::engine {

namespace {

void global_init_once()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
    http::Response* response;
    std::size_t max_body_bytes;
    bool too_large = false;
    const std::atomic<bool>* cancel;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    std::size_t n = size * count;
    if (t->response->body.size() + n > t->max_body_bytes) {
        t->too_large = true;
        return 0;  // makes curl abort with CURLE_WRITE_ERROR
    }
    t->response->body.append(data, n);
    return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    std::size_t n = size * count;
    std::string line(data, n);
    if (line.starts_with("HTTP/")) {
        // A new response (after a 100 Continue or a redirect): forget the previous headers.
        t->response->headers = {};
        return n;
    }
    auto colon = line.find(':');
    if (colon != std::string::npos) {
        auto value = line.substr(colon + 1);
        auto first = value.find_first_not_of(" \t");
        auto last = value.find_last_not_of(" \t\r\n");
        t->response->headers.add(line.substr(0, colon),
                                 first == std::string::npos ? "" : value.substr(first, last - first + 1));
    }
    return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    auto* t = static_cast<Transfer*>(user);
    return t->cancel && t->cancel->load() ? 1 : 0;
}

class CurlTransport final : public Transport {
public:
    explicit CurlTransport(const TransportOptions& options) : m_options(options), m_curl(curl_easy_init())
    {
        if (!m_curl) {
            throw TransportError("curl_easy_init failed");
        }
        while (!m_options.base_url.empty() && m_options.base_url.back() == '/') {
            m_options.base_url.pop_back();
        }
    }
    ~CurlTransport() override { curl_easy_cleanup(m_curl); }
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    http::Response send(const http::Request& request) override
    {
        http::Response response;
        Transfer transfer{&response, m_options.max_body_bytes, false, m_options.cancel};
        CURL* c = m_curl;
        curl_easy_reset(c);  // keeps the connection cache, clears per-request options
        const auto url = m_options.base_url + request.target();
        curl_easy_setopt(c, CURLOPT_URL, url.c_str());
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.timeout_seconds * 1000));
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(m_options.timeout_seconds, 10.0) * 1000));
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, &transfer);
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
        if (m_options.insecure) {
            curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
            curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
        }
        if (!m_options.ca_file.empty()) {
            curl_easy_setopt(c, CURLOPT_CAINFO, m_options.ca_file.c_str());
        }
        if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        }
        // A value spliced from an earlier response could carry a line break: curl would send it
        // as is, and the endpoint would read headers nobody wrote.
        for (const auto& h : request.headers) {
            if ((h.name + h.value).find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
                throw TransportError("request header " + h.name + " holds a line break or NUL byte: not sent");
            }
        }
        curl_slist* headers = nullptr;
        for (const auto& h : request.headers) {
            headers = curl_slist_append(headers, (h.name + ": " + h.value).c_str());
        }
        headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

        CURLcode code = curl_easy_perform(c);
        curl_slist_free_all(headers);
        if (transfer.too_large) {
            throw TransportError("response body larger than " + std::to_string(m_options.max_body_bytes) + " bytes");
        }
        if (code == CURLE_ABORTED_BY_CALLBACK) {
            throw TransportError("interrupted");
        }
        if (code != CURLE_OK) {
            throw TransportError(std::string(curl_easy_strerror(code)) + " (" + url_without_query(url) + ")");
        }
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        response.status = static_cast<int>(status);
        return response;
    }

private:
    static std::string url_without_query(const std::string& url) { return without_userinfo(url.substr(0, url.find('?'))); }

    TransportOptions m_options;
    CURL* m_curl;
};

}  // namespace

TransportFactory curl_transport_factory(TransportOptions options)
{
    global_init_once();
    return [options]() -> std::unique_ptr<Transport> { return std::make_unique<CurlTransport>(options); };
}

std::string without_userinfo(const std::string& url)
{
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    auto end = url.find('/', start);
    auto at = url.rfind('@', end == std::string::npos ? std::string::npos : end);
    if (at == std::string::npos || at < start) {
        return url;
    }
    return url.substr(0, start) + url.substr(at + 1);
}

std::vector<std::string> userinfo_secrets(const std::string& url)
{
    const auto without = without_userinfo(url);
    if (without == url) {
        return {};
    }
    const auto start = url.find("://") == std::string::npos ? 0 : url.find("://") + 3;
    const auto userinfo = url.substr(start, url.size() - without.size());  // user:password@
    const auto colon = userinfo.find(':');
    if (colon == std::string::npos) {
        return {};
    }
    const auto user = http::percent_decode(userinfo.substr(0, colon));
    const auto password = http::percent_decode(userinfo.substr(colon + 1, userinfo.size() - colon - 2));
    return {password, user + ":" + password};
}

std::string authority_of(const std::string& base_url)
{
    const auto url = without_userinfo(base_url);
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    auto end = url.find('/', start);
    return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace conform::engine
