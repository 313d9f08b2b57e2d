#include "mock_process.hpp"

#include <cstdio>

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

MockProcess::MockProcess(const std::filesystem::path& binary, const std::vector<std::string>& args)
    : m_process(start(binary, args))
{
    const auto line = m_process.read_line(k_start_timeout);
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
