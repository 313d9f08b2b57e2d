#include "http/signer.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

#include "http/url.hpp"
#include "util/text.hpp"
#include "util/utc_time.hpp"

namespace conform::http {

namespace {

std::string to_hex(const unsigned char* data, std::size_t size)
{
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = k_hex[data[i] >> 4];
        out[2 * i + 1] = k_hex[data[i] & 0xF];
    }
    return out;
}

// Constant-time comparison, so a verifier does not leak how much of a signature matched.
bool same_secret(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) {
        return false;
    }
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return diff == 0;
}

}  // namespace

std::string sha256_hex(std::string_view data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
    return to_hex(digest, size);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), digest, &size);
    return to_hex(digest, size);
}

std::string canonical_uri(std::string_view path)
{
    std::string decoded = percent_decode(path);
    std::string out;
    std::size_t start = 0;
    while (start <= decoded.size()) {
        auto slash = decoded.find('/', start);
        auto segment =
            std::string_view(decoded).substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        out += percent_encode(segment);
        if (slash == std::string::npos) {
            break;
        }
        out.push_back('/');
        start = slash + 1;
    }
    if (out.empty() || out.back() != '/') {
        out.push_back('/');
    }
    if (out.front() != '/') {
        out.insert(out.begin(), '/');
    }
    return out;
}

std::string canonical_query(const QueryParams& query)
{
    std::vector<std::pair<std::string, std::string>> encoded;
    encoded.reserve(query.size());
    for (const auto& [key, value] : query) {
        encoded.emplace_back(percent_encode(key), percent_encode(value));
    }
    std::sort(encoded.begin(), encoded.end());
    std::string out;
    for (const auto& [key, value] : encoded) {
        if (!out.empty()) {
            out.push_back('&');
        }
        out += key + "=" + value;
    }
    return out;
}

std::string canonical_request(const Request& request, const std::vector<std::string>& signed_headers)
{
    std::string headers;
    for (const auto& name : signed_headers) {
        headers += name + ":" + std::string(util::trim(request.headers.get(name).value_or(""))) + "\n";
    }
    auto payload_hash = request.headers.get("X-Sdk-Content-Sha256").value_or(sha256_hex(request.body));
    return request.method + "\n" + canonical_uri(request.path) + "\n" + canonical_query(request.query) + "\n" +
           headers + "\n" + util::join(signed_headers, ";") + "\n" + payload_hash;
}

std::string string_to_sign(std::string_view canonical, std::string_view sdk_date)
{
    return std::string(k_sign_algorithm) + "\n" + std::string(sdk_date) + "\n" + sha256_hex(canonical);
}

std::vector<std::string> default_signed_headers(const Headers& headers)
{
    std::vector<std::string> names;
    for (const auto& entry : headers) {
        auto name = util::lower(entry.name);
        if (name.starts_with("content-type") || name.find('_') != std::string::npos) {
            continue;
        }
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            names.push_back(name);
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string format_sdk_date(Clock::time_point when)
{
    return util::format_utc(when, "%Y%m%dT%H%M%SZ");
}

std::optional<Clock::time_point> parse_sdk_date(std::string_view text)
{
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') {
        return std::nullopt;
    }
    return util::parse_utc(text, "%Y%m%dT%H%M%SZ");
}

void sign(Request& request, const AkSk& key, Clock::time_point now)
{
    if (!request.headers.contains("X-Sdk-Date")) {
        request.headers.set("X-Sdk-Date", format_sdk_date(now));
    }
    sign(request, key, default_signed_headers(request.headers), now);
}

void sign(Request& request, const AkSk& key, const std::vector<std::string>& signed_headers, Clock::time_point now)
{
    if (!request.headers.contains("X-Sdk-Date")) {
        request.headers.set("X-Sdk-Date", format_sdk_date(now));
    }
    auto date = *request.headers.get("X-Sdk-Date");
    auto signature = hmac_sha256_hex(key.secret_key, string_to_sign(canonical_request(request, signed_headers), date));
    request.headers.set("Authorization", std::string(k_sign_algorithm) + " Access=" + key.access_key +
                                             ", SignedHeaders=" + util::join(signed_headers, ";") +
                                             ", Signature=" + signature);
}

std::string verify_signature(const Request& request,
                             const std::function<std::optional<std::string>(std::string_view)>& secret_for,
                             Clock::time_point now, std::chrono::seconds max_skew)
{
    auto authorization = request.headers.get("Authorization");
    if (!authorization) {
        throw SignatureError("Authorization header not found");
    }
    std::string_view auth = *authorization;
    if (!auth.starts_with(k_sign_algorithm) || auth.size() <= k_sign_algorithm.size() ||
        auth[k_sign_algorithm.size()] != ' ') {
        throw SignatureError("unsupported signing algorithm");
    }
    auth.remove_prefix(k_sign_algorithm.size() + 1);

    std::string access, signed_list, signature;
    while (!auth.empty()) {
        auto comma = auth.find(',');
        auto field = util::trim(auth.substr(0, comma));
        auth = comma == std::string_view::npos ? std::string_view{} : auth.substr(comma + 1);
        auto eq = field.find('=');
        if (eq == std::string_view::npos) {
            throw SignatureError("malformed Authorization header");
        }
        auto name = field.substr(0, eq);
        auto value = std::string(field.substr(eq + 1));
        if (name == "Access") {
            access = value;
        } else if (name == "SignedHeaders") {
            signed_list = value;
        } else if (name == "Signature") {
            signature = value;
        }
    }
    if (access.empty() || signed_list.empty() || signature.empty()) {
        throw SignatureError("malformed Authorization header");
    }

    std::vector<std::string> signed_headers;
    for (std::size_t start = 0; start <= signed_list.size();) {
        auto semi = signed_list.find(';', start);
        signed_headers.push_back(util::lower(signed_list.substr(start, semi - start)));
        if (semi == std::string::npos) {
            break;
        }
        start = semi + 1;
    }
    if (std::find(signed_headers.begin(), signed_headers.end(), "x-sdk-date") == signed_headers.end()) {
        throw SignatureError("x-sdk-date is not signed");
    }

    auto date_text = request.headers.get("X-Sdk-Date");
    auto date = date_text ? parse_sdk_date(*date_text) : std::nullopt;
    if (!date) {
        throw SignatureError("X-Sdk-Date missing or malformed");
    }
    if (*date > now + max_skew || *date < now - max_skew) {
        throw SignatureError("X-Sdk-Date is too far from the server time");
    }

    auto secret = secret_for(access);
    if (!secret) {
        throw SignatureError("unknown access key");
    }
    auto expected = hmac_sha256_hex(*secret, string_to_sign(canonical_request(request, signed_headers), *date_text));
    if (!same_secret(expected, signature)) {
        throw SignatureError("verify aksk signature fail");
    }
    return access;
}

}  // namespace conform::http
