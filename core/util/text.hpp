// The small text helpers every layer wants: ASCII case, trimmed whitespace, joined lists,
// JSON pointer tokens.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace conform::util {

// ASCII letters only: header names, media types, hex, enum names are ASCII.
std::string lower(std::string_view text);
std::string upper(std::string_view text);
// Without leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r).
std::string_view trim(std::string_view text);
// parts with separator between each two: {"a", "", "b"} and "," give "a,,b".
std::string join(const std::vector<std::string>& parts, std::string_view separator);
// key as one reference token of a JSON pointer (RFC 6901): "~" as "~0", "/" as "~1".
std::string pointer_token(std::string_view key);

}  // namespace conform::util
