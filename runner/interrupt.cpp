#include "interrupt.hpp"

#include <csignal>

namespace conform::interrupt {

namespace {

std::atomic<bool> g_requested{false};

extern "C" void on_signal(int)
{
    g_requested.store(true);
    // A second Ctrl-C ends the run at once.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

}  // namespace

void install()
{
    struct sigaction action = {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}

void uninstall()
{
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (requested()) {
        std::raise(SIGINT);
    }
}

const std::atomic<bool>* flag()
{
    return &g_requested;
}

bool requested()
{
    return g_requested.load();
}

}  // namespace conform::interrupt
