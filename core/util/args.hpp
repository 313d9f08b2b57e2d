// Command-line flags for conform and vod-mock: "--flag value" or "--flag=value", with
// messages that name the flag.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace conform::util {

class UsageError : public Error {
  public:
    explicit UsageError(const std::string& what) : Error(ErrorKind::usage, what) {}
};

class ArgReader {
  public:
    explicit ArgReader(std::vector<std::string> args) : m_args(std::move(args)) {}

    // Moves to the next flag; false at the end.
    bool next();
    const std::string& flag() const { return m_flag; }
    // The current flag's value; throws UsageError when there is none.
    std::string value();
    double number(double low, double high);
    long whole(long low, long high);

  private:
    std::vector<std::string> m_args;
    std::size_t m_index = 0;
    std::string m_flag;
    std::optional<std::string> m_inline;
};

}  // namespace conform::util
