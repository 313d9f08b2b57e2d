// `conform run --mock`: starts the bundled vod-mock on a free loopback port and stops it again.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <vector>

#include "util/error.hpp"
#include "util/process.hpp"

namespace conform {

class MockError : public util::Error {
  public:
    explicit MockError(const std::string& what) : util::Error(util::ErrorKind::environment, what) {}
};

// The run was interrupted while the mock was starting: the mock is stopped again.
class MockInterrupted : public MockError {
  public:
    MockInterrupted() : MockError("interrupted while vod-mock was starting") {}
};

class MockProcess {
  public:
    // Runs binary with args (which must include --port 0) and waits for its
    // "listening on URL" line. Throws MockError if it does not come, MockInterrupted when
    // stop is requested first (or the mock died of the same Ctrl-C).
    MockProcess(const std::filesystem::path& binary, const std::vector<std::string>& args, std::stop_token stop = {});

    // Stops the mock and passes on what it printed last (its closing line) on stdout.
    ~MockProcess();
    MockProcess(const MockProcess&) = delete;
    MockProcess& operator=(const MockProcess&) = delete;

    const std::string& base_url() const { return m_base_url; }

  private:
    util::Process m_process;  // stopped (SIGTERM) when this goes
    std::string m_base_url;
};

// The fixtures file the mock writes (--fixtures-out): conform-fixtures-PID.json in the run's
// temporary folder, removed when this goes, however the run ends.
class MockFixturesFile {
  public:
    explicit MockFixturesFile(const std::filesystem::path& temp_dir);
    ~MockFixturesFile();
    MockFixturesFile(const MockFixturesFile&) = delete;
    MockFixturesFile& operator=(const MockFixturesFile&) = delete;
    const std::filesystem::path& path() const { return m_path; }

  private:
    std::filesystem::path m_path;
};

// vod-mock next to the running conform binary.
std::filesystem::path sibling_mock_binary();

}  // namespace conform
