// The one exception family of both programs. Each error says what kind of trouble it is, so
// that the edge (conform's cli_main, vod-mock's mock_main) maps it to a documented exit code
// with one message; nothing in between needs to know the codes.
#pragma once

#include <stdexcept>
#include <string>

namespace conform::util {

// usage: a wrong flag or invocation; input: a file the user gave is wrong (contract, fixtures,
// baseline, results); environment: the machine refused (a folder, a port, a child process).
enum class ErrorKind { usage, input, environment };

class Error : public std::runtime_error {
  public:
    Error(ErrorKind kind, const std::string& what) : std::runtime_error(what), m_kind(kind) {}
    ErrorKind kind() const { return m_kind; }

  private:
    ErrorKind m_kind;
};

}  // namespace conform::util
