#include <catch2/catch.hpp>

#include <csignal>

#include <sys/wait.h>

#include "util/process.hpp"

using namespace conform;
using namespace std::chrono_literals;

TEST_CASE("a child's stdout is read line by line, then to its end, and its exit status kept", "[process]")
{
    util::Process child({"/bin/sh", "-c", "echo first; printf 'second\\nrest'; exit 3"});
    CHECK(child.read_line(5s) == "first");
    CHECK(child.read_line(5s) == "second");
    CHECK(child.read_all() == "rest");
    CHECK(child.stdout_ended());
    const int status = child.wait();
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 3));
}

TEST_CASE("a child that says nothing in time, or ends first, gives no line, and the handle stops it", "[process]")
{
    util::Process silent({"/bin/sleep", "30"});
    CHECK_FALSE(silent.read_line(100ms));
    CHECK_FALSE(silent.stdout_ended());
    const int status = silent.terminate();
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM));

    util::Process quiet({"/bin/true"});
    CHECK_FALSE(quiet.read_line(5s));
    CHECK(quiet.stdout_ended());
}

TEST_CASE("a child that ignores SIGTERM is killed once the grace period is over", "[process]")
{
    util::Process stubborn({"/bin/sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done"});
    REQUIRE(stubborn.read_line(5s) == "ready");
    const auto start = std::chrono::steady_clock::now();
    const int status = stubborn.terminate(200ms);
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
    CHECK(std::chrono::steady_clock::now() - start < 5s);
}

TEST_CASE("a program that cannot be started is an error naming it", "[process]")
{
    CHECK_THROWS_WITH(util::Process({"/nonexistent/vod-mock", "--port", "0"}),
                      "cannot start /nonexistent/vod-mock: No such file or directory");
    CHECK_THROWS_AS(util::Process({}), util::ProcessError);
}

TEST_CASE("the listening line is written and read by one pair of functions", "[process]")
{
    const auto line = util::listening_line("http://127.0.0.1:8080");
    CHECK(line == "listening on http://127.0.0.1:8080");
    CHECK(util::listening_url(line) == "http://127.0.0.1:8080");
    CHECK_FALSE(util::listening_url("vod-mock: cannot listen on 127.0.0.1:1: Address in use"));
    CHECK_FALSE(util::listening_url("listening"));
}

TEST_CASE("the running program's path comes from /proc/self/exe", "[process]")
{
    CHECK(util::executable_path("fallback").filename() == "unit_tests");
}
