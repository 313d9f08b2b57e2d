#include "util/args.hpp"

#include <cstdlib>

#include <fmt/format.h>

namespace conform::util {

bool ArgReader::next()
{
    if (m_index >= m_args.size()) {
        return false;
    }
    m_flag = m_args[m_index++];
    m_inline.reset();
    if (auto eq = m_flag.find('='); m_flag.starts_with("--") && eq != std::string::npos) {
        m_inline = m_flag.substr(eq + 1);
        m_flag = m_flag.substr(0, eq);
    }
    return true;
}

std::string ArgReader::value()
{
    if (m_inline) {
        return *m_inline;
    }
    if (m_index >= m_args.size()) {
        throw UsageError(m_flag + " needs a value");
    }
    return m_args[m_index++];
}

double ArgReader::number(double low, double high)
{
    auto text = value();
    char* end = nullptr;
    double n = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !(n >= low && n <= high)) {
        throw UsageError(fmt::format("{}: '{}' is not a number from {} to {}", m_flag, text, low, high));
    }
    return n;
}

long ArgReader::whole(long low, long high)
{
    auto text = value();
    char* end = nullptr;
    long n = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || n < low || n > high) {
        throw UsageError(fmt::format("{}: '{}' is not a whole number from {} to {}", m_flag, text, low, high));
    }
    return n;
}

}  // namespace conform::util
