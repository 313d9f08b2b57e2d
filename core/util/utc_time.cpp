#include "util/utc_time.hpp"

#include <ctime>

namespace conform::util {

std::string format_utc(std::chrono::system_clock::time_point when, const char* format)
{
    const std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buffer[64];
    const auto length = std::strftime(buffer, sizeof buffer, format, &utc);
    return std::string(buffer, length);
}

}  // namespace conform::util
