#include "mock_process.hpp"

#include <cstdio>
#include <unistd.h>

namespace conform {

namespace {

constexpr auto k_start_timeout = std::chrono::seconds(10);

util::Process start(const std::filesystem::path& binary, const std::vector<std::string>& args)
{
    std::error_code ec;
    if (!std::filesystem::exists(binary, ec)) {
        throw MockError("mock binary not found: " + binary.string());
    }
    std::vector<std::string> command = {binary.string()};
    command.insert(command.end(), args.begin(), args.end());
    try {
        return util::Process(command);
    } catch (const util::ProcessError& e) {
        throw MockError(e.what());
    }
}

}  // namespace

MockProcess::MockProcess(const std::filesystem::path& binary, const std::vector<std::string>& args,
                         std::stop_token stop)
    : m_process(start(binary, args))
{
    // In short slices, so that Ctrl-C is seen at once.
    const auto deadline = std::chrono::steady_clock::now() + k_start_timeout;
    std::optional<std::string> line;
    auto stopped = [&] { return stop.stop_requested(); };
    while (!line && !m_process.stdout_ended() && !stopped() && std::chrono::steady_clock::now() < deadline) {
        line = m_process.read_line(std::chrono::milliseconds(20));
    }
    if (stopped()) {
        throw MockInterrupted();
    }
    if (!line && m_process.stdout_ended()) {
        throw MockError("vod-mock exited before it was ready (see its message above)");
    }
    if (!line) {
        throw MockError("vod-mock did not report its address within " + std::to_string(k_start_timeout.count()) + " s");
    }
    const auto url = util::listening_url(*line);
    if (!url) {
        throw MockError("unexpected first line from vod-mock: " + *line);
    }
    m_base_url = *url;
}

MockFixturesFile::MockFixturesFile(const std::filesystem::path& temp_dir)
    : m_path(temp_dir / ("conform-fixtures-" + std::to_string(::getpid()) + ".json"))
{
}

MockFixturesFile::~MockFixturesFile()
{
    std::error_code ignored;
    std::filesystem::remove(m_path, ignored);
}

MockProcess::~MockProcess()
{
    try {
        m_process.terminate();
        const auto rest = m_process.read_all();
        std::fwrite(rest.data(), 1, rest.size(), stdout);
        std::fflush(stdout);
    } catch (const std::exception&) {
        // Stopping is best effort; the Process ends the child in any case.
    }
}

std::filesystem::path sibling_mock_binary()
{
    return util::executable_path().parent_path() / "vod-mock";
}

}  // namespace conform
