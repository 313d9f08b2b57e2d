#include "mock_process.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace conform {

namespace {

constexpr int k_start_timeout_ms = 10000;
constexpr std::string_view k_ready_prefix = "listening on ";

}  // namespace

MockProcess::MockProcess(const std::filesystem::path& binary, const std::vector<std::string>& args)
{
    std::error_code ec;
    if (!std::filesystem::exists(binary, ec)) {
        throw MockError("mock binary not found: " + binary.string());
    }
    int fds[2];
    if (::pipe(fds) != 0) {
        throw MockError(std::string("pipe: ") + std::strerror(errno));
    }
    std::vector<std::string> argv_storage = {binary.string()};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_storage) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);

    m_pid = ::fork();
    if (m_pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        throw MockError(std::string("fork: ") + std::strerror(errno));
    }
    if (m_pid == 0) {
        ::dup2(fds[1], STDOUT_FILENO);
        ::close(fds[0]);
        ::close(fds[1]);
        ::execv(argv[0], argv.data());
        std::_Exit(127);
    }
    ::close(fds[1]);
    m_stdout = fds[0];

    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(k_start_timeout_ms);
    while (line.find('\n') == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        pollfd pfd{m_stdout, POLLIN, 0};
        if (left <= 0 || ::poll(&pfd, 1, static_cast<int>(left)) <= 0) {
            stop();
            throw MockError("vod-mock did not report its address within " + std::to_string(k_start_timeout_ms / 1000) + " s");
        }
        char buffer[256];
        auto n = ::read(m_stdout, buffer, sizeof buffer);
        if (n <= 0) {
            stop();
            throw MockError("vod-mock exited before it was ready (see its message above)");
        }
        line.append(buffer, static_cast<std::size_t>(n));
    }
    line = line.substr(0, line.find('\n'));
    if (!line.starts_with(k_ready_prefix)) {
        stop();
        throw MockError("unexpected first line from vod-mock: " + line);
    }
    m_base_url = line.substr(k_ready_prefix.size());
}

MockProcess::~MockProcess()
{
    stop();
}

void MockProcess::stop()
{
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
    }
    if (m_stdout >= 0) {
        ::close(m_stdout);
        m_stdout = -1;
    }
}

std::filesystem::path sibling_mock_binary()
{
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return self.parent_path() / "vod-mock";
}

}  // namespace conform
