#include "util/bounded_json.hpp"

namespace conform::util {
namespace {

// Throws when arrays and objects nest deeper than max_depth; brackets inside strings do not count.
// One pass, no allocation: the check must be cheap for the multi-megabyte bodies it guards.
void check_depth(std::string_view text, std::size_t max_depth)
{
    std::size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        switch (c) {
        case '"':
            in_string = true;
            break;
        case '[':
        case '{':
            if (++depth > max_depth) {
                throw JsonParseError("nesting deeper than " + std::to_string(max_depth) + " levels", i);
            }
            break;
        case ']':
        case '}':
            if (depth > 0) {
                --depth;
            }
            break;
        default:
            break;
        }
    }
}

// nlohmann's messages read "[json.exception.parse_error.101] parse error at line 1, column 2: syntax
// error while parsing value - ..."; the location is given separately, so keep what follows it.
std::string reason_of(const nlohmann::json::exception& e)
{
    std::string what = e.what();
    if (auto syntax = what.find("syntax error"); syntax != std::string::npos) {
        return what.substr(syntax);
    }
    if (auto close = what.find("] "); close != std::string::npos) {
        what.erase(0, close + 2);
    }
    return what;
}

}  // namespace

nlohmann::json parse_bounded_json(std::string_view text, std::size_t max_depth)
{
    check_depth(text, max_depth);
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // e.byte is 1-based and points one past the offending byte.
        throw JsonParseError(reason_of(e), e.byte > 0 ? e.byte - 1 : 0);
    } catch (const nlohmann::json::exception& e) {
        // out_of_range.406: a number beyond a double ("1e999"); the parser gives no offset.
        throw JsonParseError(reason_of(e), JsonParseError::k_no_offset);
    }
}

}  // namespace conform::util
