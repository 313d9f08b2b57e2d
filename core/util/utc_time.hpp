// A point in time as UTC text, by a strftime format: the one place that calls gmtime_r.
#pragma once

#include <chrono>
#include <string>

namespace conform::util {

// E.g. format_utc(when, "%Y-%m-%dT%H:%M:%S"); whole seconds (the fraction is dropped).
std::string format_utc(std::chrono::system_clock::time_point when, const char* format);

}  // namespace conform::util
