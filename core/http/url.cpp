#include "http/url.hpp"

#include <cctype>

namespace conform::http {

namespace {

bool is_unreserved(unsigned char c)
{
    return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

}  // namespace

int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::string percent_encode(std::string_view text)
{
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        if (is_unreserved(c)) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(k_hex[c >> 4]);
            out.push_back(k_hex[c & 0xF]);
        }
    }
    return out;
}

std::string percent_decode(std::string_view text, bool plus_as_space)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%' && i + 2 < text.size()) {
            int hi = hex_value(text[i + 1]);
            int lo = hex_value(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 2;
                continue;
            }
        }
        out.push_back(plus_as_space && c == '+' ? ' ' : c);
    }
    return out;
}

std::string encode_query(const QueryParams& query)
{
    std::string out;
    for (const auto& [key, value] : query) {
        if (!out.empty()) {
            out.push_back('&');
        }
        out += percent_encode(key);
        out.push_back('=');
        out += percent_encode(value);
    }
    return out;
}

QueryParams parse_query(std::string_view query_string)
{
    QueryParams out;
    while (!query_string.empty()) {
        auto amp = query_string.find('&');
        auto pair = query_string.substr(0, amp);
        query_string = amp == std::string_view::npos ? std::string_view{} : query_string.substr(amp + 1);
        if (pair.empty()) {
            continue;
        }
        auto eq = pair.find('=');
        auto key = pair.substr(0, eq);
        auto value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
        out.emplace_back(percent_decode(key, true), percent_decode(value, true));
    }
    return out;
}

}  // namespace conform::http
