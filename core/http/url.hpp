// Percent-encoding as the SDK-HMAC-SHA256 canonical form defines it (unreserved: A-Z a-z 0-9
// - _ . ~; everything else %XX upper-case), used both for the wire and for signing.
#pragma once

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace conform::http {

std::string percent_encode(std::string_view text);
// The value of a hex digit of either case, or -1.
int hex_value(char c);
// Decodes %XX; with plus_as_space, '+' becomes ' ' (form encoding in query strings).
std::string percent_decode(std::string_view text, bool plus_as_space = false);
std::string encode_query(const QueryParams& query);
QueryParams parse_query(std::string_view query_string);

}  // namespace conform::http
