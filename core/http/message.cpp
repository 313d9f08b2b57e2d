#include "http/message.hpp"

#include <algorithm>
#include <cctype>

#include "http/url.hpp"
#include "util/text.hpp"

namespace conform::http {

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

void Headers::add(std::string name, std::string value)
{
    m_entries.push_back({std::move(name), std::move(value)});
}

void Headers::set(std::string name, std::string value)
{
    remove(name);
    add(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name)
{
    std::erase_if(m_entries, [&](const Entry& e) { return iequals(e.name, name); });
}

std::optional<std::string> Headers::get(std::string_view name) const
{
    for (const auto& e : m_entries) {
        if (iequals(e.name, name)) {
            return e.value;
        }
    }
    return std::nullopt;
}

std::string Request::target() const
{
    if (query.empty()) {
        return path;
    }
    return path + "?" + encode_query(query);
}

std::string media_type(std::string_view content_type)
{
    return util::lower(util::trim(content_type.substr(0, content_type.find(';'))));
}

}  // namespace conform::http
