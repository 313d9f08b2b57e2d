// The forms in which an endpoint might echo a secret, made independently of http/redact.cpp
// (here by the definitions, there for matching), for tests that check none of them leaks.
#pragma once

#include <cctype>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace encodings {

inline std::string base64(const std::string& bytes, bool url = false, bool pad = true)
{
    const std::string alphabet =
        std::string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") + (url ? "-_" : "+/");
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        unsigned n = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16;
        n |= i + 1 < bytes.size() ? static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8 : 0;
        n |= i + 2 < bytes.size() ? static_cast<unsigned char>(bytes[i + 2]) : 0;
        for (std::size_t k = 0; k < 4; ++k) {
            if (i + k <= bytes.size()) {
                out.push_back(alphabet[(n >> (18 - 6 * k)) & 0x3F]);
            } else if (pad) {
                out.push_back('=');
            }
        }
    }
    return out;
}

inline std::string formatted(const std::string& text, const char* format, bool (*keep)(unsigned char))
{
    std::string out;
    for (unsigned char c : text) {
        if (keep && keep(c)) {
            out.push_back(static_cast<char>(c));
        } else {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, format, c);
            out += buffer;
        }
    }
    return out;
}

inline bool alnum(unsigned char c)
{
    return std::isalnum(c) != 0;
}

// Name -> the secret in that form.
inline std::vector<std::pair<std::string, std::string>> all(const std::string& secret)
{
    std::string form_encoded;
    for (unsigned char c : secret) {
        form_encoded += c == ' ' ? std::string("+") : formatted(std::string(1, static_cast<char>(c)), "%%%02X", alnum);
    }
    auto unquoted = [](const std::string& dumped) { return dumped.substr(1, dumped.size() - 2); };
    auto nlohmann_dump = nlohmann::json(secret).dump();
    std::string slash_escaped;
    for (char c : nlohmann_dump.substr(1, nlohmann_dump.size() - 2)) {
        slash_escaped += c == '/' ? std::string("\\/") : std::string(1, c);
    }
    // A JSON string inside a JSON string (an error message that quotes a JSON body).
    const auto twice = nlohmann::json(unquoted(nlohmann_dump)).dump();
    std::string html_named;  // as an HTML escaper writes text: the five XML names, the rest as is
    for (char c : secret) {
        html_named += c == '&'    ? std::string("&amp;")
                      : c == '<'  ? std::string("&lt;")
                      : c == '>'  ? std::string("&gt;")
                      : c == '"'  ? std::string("&quot;")
                      : c == '\'' ? std::string("&#39;")
                                  : std::string(1, c);
    }
    return {
        {"as is", secret},
        {"URL-encoded, upper hex", formatted(secret, "%%%02X", alnum)},
        {"URL-encoded, lower hex", formatted(secret, "%%%02x", alnum)},
        {"URL-encoded, every byte", formatted(secret, "%%%02X", nullptr)},
        {"form-encoded, + for space", form_encoded},
        {"base64", base64(secret)},
        {"base64 unpadded", base64(secret, false, false)},
        {"base64url", base64(secret, true)},
        {"base64url unpadded", base64(secret, true, false)},
        {"hex lower", formatted(secret, "%02x", nullptr)},
        {"hex upper", formatted(secret, "%02X", nullptr)},
        {"JSON \\u every character", formatted(secret, "\\u%04x", nullptr)},
        {"JSON \\u but letters and digits", formatted(secret, "\\u%04X", alnum)},
        {"JSON as nlohmann dumps it", nlohmann_dump.substr(1, nlohmann_dump.size() - 2)},
        {"JSON with \\/", slash_escaped},
        {"base64, URL-encoded", formatted(base64(secret), "%%%02X", alnum)},
        {"JSON escaped twice", unquoted(twice)},
        {"JSON \\u escaped twice", unquoted(nlohmann::json(formatted(secret, "\\u%04x", nullptr)).dump())},
        {"HTML decimal references", formatted(secret, "&#%d;", nullptr)},
        {"HTML hex references", formatted(secret, "&#x%X;", alnum)},
        {"HTML named references", html_named},
        {"base64, HTML hex references", formatted(base64(secret), "&#x%02x;", nullptr)},
    };
}

}  // namespace encodings
