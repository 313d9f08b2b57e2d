// `conform run --mock`: starts the bundled vod-mock on a free loopback port and stops it again.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "util/process.hpp"

namespace conform {

class MockError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class MockProcess {
  public:
    // Runs binary with args (which must include --port 0) and waits for its
    // "listening on URL" line. Throws MockError if it does not come.
    MockProcess(const std::filesystem::path& binary, const std::vector<std::string>& args);

    // Stops the mock and passes on what it printed last (its closing line) on stdout.
    ~MockProcess();
    MockProcess(const MockProcess&) = delete;
    MockProcess& operator=(const MockProcess&) = delete;

    const std::string& base_url() const { return m_base_url; }

  private:
    util::Process m_process;  // stopped (SIGTERM) when this goes
    std::string m_base_url;
};

// vod-mock next to the running conform binary.
std::filesystem::path sibling_mock_binary();

}  // namespace conform
