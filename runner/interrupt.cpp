#include "interrupt.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace conform::interrupt {

namespace {

// std::stop_source::request_stop is not async-signal-safe (it locks, runs callbacks, notifies
// waiters), so the handler only counts the signal and writes a byte to a pipe, both safe; a
// bridge thread blocked on the pipe requests the stops. One stop, one way to wait for it.
std::atomic<int> g_signals{0};
int g_pipe[2] = {-1, -1};

std::mutex g_mutex;
std::stop_source g_run;                     // the first signal
std::stop_source g_last{std::nostopstate};  // the signals after rearm()
int g_last_after = 0;                       // the signals counted when rearm() was called

extern "C" void on_signal(int)
{
    const int saved = errno;
    g_signals.fetch_add(1);
    [[maybe_unused]] const auto n = ::write(g_pipe[1], "!", 1);
    // Until rearm(), a second Ctrl-C ends conform at once.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    errno = saved;
}

void bridge()
{
    for (;;) {
        char byte = 0;
        const auto n = ::read(g_pipe[0], &byte, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        std::lock_guard lock(g_mutex);
        if (g_last.stop_possible() && g_signals.load() > g_last_after) {
            g_last.request_stop();
        } else {
            g_run.request_stop();
        }
    }
}

void handle()
{
    struct sigaction action = {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}

}  // namespace

void install()
{
    if (g_pipe[0] < 0) {
        if (::pipe2(g_pipe, O_CLOEXEC) != 0) {
            return;  // no pipe, no bridge: a Ctrl-C then ends conform as if no handler were set
        }
        ::fcntl(g_pipe[1], F_SETFL, O_NONBLOCK);  // the handler never blocks
        // Blocked on the pipe for the life of the process; it holds nothing to release.
        std::thread(bridge).detach();
    }
    handle();
}

void uninstall()
{
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (g_signals.load() > 0) {
        std::raise(SIGINT);
    }
}

std::stop_token token()
{
    std::lock_guard lock(g_mutex);
    return g_run.get_token();
}

bool requested()
{
    return token().stop_requested();
}

std::stop_token rearm()
{
    std::lock_guard lock(g_mutex);
    g_last = std::stop_source();
    g_last_after = g_signals.load();
    handle();
    return g_last.get_token();
}

}  // namespace conform::interrupt
