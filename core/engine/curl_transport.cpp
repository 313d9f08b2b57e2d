#include <curl/curl.h>

#include <mutex>
#include <optional>

#include "engine/transport.hpp"
#include "http/url.hpp"
#include "util/text.hpp"

namespace conform::engine {

namespace {

// A URL as curl parses it; parts absent from it are std::nullopt.
class Url {
  public:
    explicit Url(const std::string& text) : m_url(curl_url())
    {
        if (!m_url) {
            throw TransportError("curl_url failed");
        }
        // The message leaves the URL out: it may hold a password.
        if (const auto code = curl_url_set(m_url, CURLUPART_URL, text.c_str(), 0); code != CURLUE_OK) {
            curl_url_cleanup(m_url);
            throw TransportError(std::string("not a URL curl can use: ") + curl_url_strerror(code));
        }
    }
    ~Url() { curl_url_cleanup(m_url); }
    Url(const Url&) = delete;
    Url& operator=(const Url&) = delete;

    // flags: CURLU_URLDECODE, CURLU_NO_DEFAULT_PORT, ...
    std::optional<std::string> get(CURLUPart part, unsigned int flags = 0) const
    {
        char* value = nullptr;
        if (curl_url_get(m_url, part, &value, flags) != CURLUE_OK || !value) {
            return std::nullopt;
        }
        std::string out(value);
        curl_free(value);
        return out;
    }
    void clear(CURLUPart part) { curl_url_set(m_url, part, nullptr, 0); }

  private:
    CURLU* m_url;
};

bool has_userinfo(const Url& url)
{
    return url.get(CURLUPART_USER) || url.get(CURLUPART_PASSWORD) || url.get(CURLUPART_OPTIONS);
}

void global_init_once()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
    http::Response* response;
    std::size_t max_body_bytes;
    bool too_large = false;
    std::stop_token stop;
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
        t->response->headers.add(line.substr(0, colon),
                                 std::string(util::trim(std::string_view(line).substr(colon + 1))));
    }
    return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    auto* t = static_cast<Transfer*>(user);
    return t->stop.stop_requested() ? 1 : 0;
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
        Transfer transfer{&response, m_options.max_body_bytes, false, m_options.stop};
        CURL* c = m_curl;
        curl_easy_reset(c);  // keeps the connection cache, clears per-request options
        const auto url = m_options.base_url + request.target();
        curl_easy_setopt(c, CURLOPT_URL, url.c_str());
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.timeout_seconds * 1000));
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(std::min(m_options.timeout_seconds, 10.0) * 1000));
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
    // What an error message may show of a request URL: no credentials, no query.
    static std::string url_without_query(const std::string& url)
    {
        Url shown(url);
        for (auto part : {CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS, CURLUPART_QUERY, CURLUPART_FRAGMENT}) {
            shown.clear(part);
        }
        return shown.get(CURLUPART_URL).value_or("");
    }

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
    Url parsed(url);
    if (!has_userinfo(parsed)) {
        return url;
    }
    // Cut the text rather than show curl's form of the URL, which adds a "/" the user did not
    // write. The userinfo ends at the last '@' of the authority, which ends at the first / ? #.
    const auto start = url.find("://");
    const auto end = start == std::string::npos ? start : url.find_first_of("/?#", start + 3);
    const auto at = url.rfind('@', end == std::string::npos ? std::string::npos : end - 1);
    if (start == std::string::npos || at == std::string::npos || at < start) {
        for (auto part : {CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS}) {
            parsed.clear(part);
        }
        return parsed.get(CURLUPART_URL).value_or("");
    }
    return url.substr(0, start + 3) + url.substr(at + 1);
}

std::vector<std::string> userinfo_secrets(const std::string& url)
{
    const Url parsed(url);
    const auto user = parsed.get(CURLUPART_USER, CURLU_URLDECODE);
    const auto password = parsed.get(CURLUPART_PASSWORD, CURLU_URLDECODE);
    if (!password) {
        return {};
    }
    return {*password, user.value_or("") + ":" + *password};
}

std::string authority_of(const std::string& base_url)
{
    const Url url(base_url);
    const auto port = url.get(CURLUPART_PORT, CURLU_NO_DEFAULT_PORT);
    return url.get(CURLUPART_HOST).value_or("") + (port ? ":" + *port : "");
}

std::optional<std::string> base_url_problem(const std::string& base_url)
{
    try {
        const Url url(base_url);
        const auto scheme = url.get(CURLUPART_SCHEME);
        if (scheme != "http" && scheme != "https") {
            return "not an http:// or https:// URL";
        }
        if (url.get(CURLUPART_QUERY) || url.get(CURLUPART_FRAGMENT)) {
            return "has a query or fragment: the suite appends each request's path to the base URL";
        }
        if (url.get(CURLUPART_HOST).value_or("").empty()) {
            return "names no host";
        }
    } catch (const TransportError& e) {
        return e.what();
    }
    return std::nullopt;
}

}  // namespace conform::engine
