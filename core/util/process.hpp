// Child processes (the runner's --mock, the benchmarks, the tests): started with posix_spawn,
// their stdout a pipe to the parent, stopped when the handle goes. And the one line a server
// child prints once it accepts connections, written and read here only.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

#include <sys/types.h>

struct rusage;

namespace conform::util {

class ProcessError : public Error {
  public:
    explicit ProcessError(const std::string& what) : Error(ErrorKind::environment, what) {}
};

class Process {
  public:
    // Runs args[0] (a path, not looked up on PATH) with args; stdin and stderr are the parent's,
    // stdout a pipe this reads. Throws ProcessError when it cannot be started.
    explicit Process(const std::vector<std::string>& args);
    // terminate() for a child not yet waited for.
    ~Process();
    Process(Process&& other) noexcept;
    Process& operator=(Process&&) = delete;
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return m_pid; }
    // The next line of the child's stdout without its '\n'; nothing when stdout closes first or
    // timeout passes first.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout);
    // Whether the child's stdout has ended (it closed it, or exited).
    bool stdout_ended() const { return m_ended; }
    // The rest of the child's stdout, up to its end.
    std::string read_all();
    // Waits for the child to end; its wait status (see waitpid), and what it used when usage is
    // given.
    int wait(rusage* usage = nullptr);
    // SIGTERM, then wait(); SIGKILL when the child has not ended after grace (so a child that
    // ignores SIGTERM cannot hang its parent).
    int terminate(std::chrono::milliseconds grace = std::chrono::seconds(5));

  private:
    pid_t m_pid = -1;
    int m_stdout = -1;
    std::string m_pending;  // read past the last line returned
    bool m_ended = false;
};

// The running program's file (/proc/self/exe), or fallback where that cannot be read.
std::filesystem::path executable_path(const std::filesystem::path& fallback = {});

// "listening on URL": the first line a server child prints on stdout when it accepts connections.
std::string listening_line(std::string_view url);
// The URL of a listening line; nothing for any other line.
std::optional<std::string> listening_url(std::string_view line);

}  // namespace conform::util
