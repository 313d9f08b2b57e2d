// A point in time as UTC text and back, by a strftime format: the one place that calls gmtime_r,
// strptime and timegm.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace conform::util {

// E.g. format_utc(when, "%Y-%m-%dT%H:%M:%S"); whole seconds (the fraction is dropped).
std::string format_utc(std::chrono::system_clock::time_point when, const char* format);
// The time that text, all of it, gives in format (strptime's) read as UTC; nothing for text of
// another form or a time the clock cannot hold (about 1678 to 2262).
std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view text, const char* format);

}  // namespace conform::util
