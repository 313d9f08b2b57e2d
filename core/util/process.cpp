#include "util/process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace conform::util {

namespace {

constexpr std::string_view k_listening = "listening on ";

}  // namespace

Process::Process(const std::vector<std::string>& args)
{
    if (args.empty()) {
        throw ProcessError("no program to start");
    }
    int fds[2];
    // Close-on-exec: the child gets the write end only as its stdout, no other child inherits it.
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        throw ProcessError(std::string("pipe: ") + std::strerror(errno));
    }
    std::vector<char*> argv;
    for (const auto& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    const int error = ::posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (error != 0) {
        ::close(fds[0]);
        m_pid = -1;
        throw ProcessError("cannot start " + args[0] + ": " + std::strerror(error));
    }
    m_stdout = fds[0];
}

Process::Process(Process&& other) noexcept
    : m_pid(std::exchange(other.m_pid, -1)), m_stdout(std::exchange(other.m_stdout, -1)),
      m_pending(std::move(other.m_pending)), m_ended(other.m_ended)
{
}

Process::~Process()
{
    if (m_pid > 0) {
        terminate();
    }
    if (m_stdout >= 0) {
        ::close(m_stdout);
    }
}

std::optional<std::string> Process::read_line(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (m_pending.find('\n') == std::string::npos) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        pollfd pfd{m_stdout, POLLIN, 0};
        if (left <= 0 || ::poll(&pfd, 1, static_cast<int>(left)) <= 0) {
            return std::nullopt;
        }
        char buffer[256];
        const auto n = ::read(m_stdout, buffer, sizeof buffer);
        if (n <= 0) {
            m_ended = true;
            return std::nullopt;
        }
        m_pending.append(buffer, static_cast<std::size_t>(n));
    }
    const auto end = m_pending.find('\n');
    auto line = m_pending.substr(0, end);
    m_pending.erase(0, end + 1);
    return line;
}

std::string Process::read_all()
{
    auto out = std::move(m_pending);
    m_pending.clear();
    char buffer[4096];
    for (ssize_t n; (n = ::read(m_stdout, buffer, sizeof buffer)) > 0;) {
        out.append(buffer, static_cast<std::size_t>(n));
    }
    m_ended = true;
    return out;
}

int Process::wait(rusage* usage)
{
    int status = 0;
    while (m_pid > 0 && ::wait4(m_pid, &status, 0, usage) < 0 && errno == EINTR) {
    }
    m_pid = -1;
    return status;
}

int Process::terminate(std::chrono::milliseconds grace)
{
    if (m_pid <= 0) {
        return 0;
    }
    ::kill(m_pid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return status;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(m_pid, SIGKILL);
    return wait();
}

std::filesystem::path executable_path(const std::filesystem::path& fallback)
{
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? fallback : self;
}

std::string listening_line(std::string_view url)
{
    return std::string(k_listening) + std::string(url);
}

std::optional<std::string> listening_url(std::string_view line)
{
    if (!line.starts_with(k_listening)) {
        return std::nullopt;
    }
    return std::string(line.substr(k_listening.size()));
}

}  // namespace conform::util
