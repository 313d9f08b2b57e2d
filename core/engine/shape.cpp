#include "engine/shape.hpp"

#include <set>

#include "util/text.hpp"

namespace conform::engine {

namespace {

// A body nests far less than this; the cap keeps a hostile one from exhausting the stack.
constexpr std::size_t k_max_depth = 32;

std::string type_of(const nlohmann::json& value)
{
    return value.is_number_integer() ? "integer" : value.type_name();
}

void walk(const nlohmann::json& value, const std::string& pointer, std::size_t depth, Shape& out,
          std::set<std::pair<std::string, std::string>>& seen)
{
    auto entry = std::make_pair(pointer, type_of(value));
    if (seen.insert(entry).second) {
        out.push_back(std::move(entry));
    }
    if (depth >= k_max_depth) {
        return;
    }
    if (value.is_object()) {
        for (const auto& [key, member] : value.items()) {
            walk(member, pointer + "/" + util::pointer_token(key), depth + 1, out, seen);
        }
    } else if (value.is_array()) {
        for (const auto& item : value) {
            walk(item, pointer + "/*", depth + 1, out, seen);
        }
    }
}

}  // namespace

Shape shape_of(const nlohmann::json& document)
{
    Shape out;
    std::set<std::pair<std::string, std::string>> seen;
    walk(document, "", 0, out, seen);
    return out;
}

}  // namespace conform::engine
