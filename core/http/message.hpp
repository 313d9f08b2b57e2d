// HTTP request and response values shared by the runner (which sends them) and the mock
// (which answers them). No transport here: see engine/transport.hpp and mock/server.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace conform::http {

// Decoded query parameters in wire order; a key may repeat (asset_id=a&asset_id=b).
using QueryParams = std::vector<std::pair<std::string, std::string>>;

bool iequals(std::string_view a, std::string_view b);

// Header list with case-insensitive lookup; keeps insertion order and duplicates.
class Headers {
  public:
    struct Entry {
        std::string name;
        std::string value;
    };

    void add(std::string name, std::string value);
    // Replaces every header of that name by one.
    void set(std::string name, std::string value);
    void remove(std::string_view name);
    std::optional<std::string> get(std::string_view name) const;
    bool contains(std::string_view name) const { return get(name).has_value(); }

    auto begin() const { return m_entries.begin(); }
    auto end() const { return m_entries.end(); }
    bool empty() const { return m_entries.empty(); }

  private:
    std::vector<Entry> m_entries;
};

struct Request {
    std::string method;
    std::string path;  // as sent on the wire (percent-encoded where needed)
    QueryParams query;
    Headers headers;
    std::string body;

    // path plus the encoded query string, e.g. /v1.0/p/asset?asset_id=a
    std::string target() const;
};

struct Response {
    int status = 0;
    Headers headers;
    std::string body;
};

// The media type of a Content-Type value, lower-cased, without parameters ("application/json").
std::string media_type(std::string_view content_type);

}  // namespace conform::http
