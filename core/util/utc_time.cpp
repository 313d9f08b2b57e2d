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

std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view text, const char* format)
{
    std::tm utc{};
    const std::string whole(text);
    const char* end = ::strptime(whole.c_str(), format, &utc);
    if (!end || *end != '\0') {
        return std::nullopt;
    }
    // Beyond the clock's range the conversion to nanoseconds overflows.
    constexpr auto k_limit =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::duration::max()).count();
    const auto seconds = ::timegm(&utc);
    if (seconds > k_limit || seconds < -k_limit) {
        return std::nullopt;
    }
    return std::chrono::system_clock::from_time_t(seconds);
}

}  // namespace conform::util
