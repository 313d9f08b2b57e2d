// The console: one line per case as it finishes, then a summary by operation and level.
#pragma once

#include <chrono>
#include <cstdio>

#include "report/reporter.hpp"

namespace conform::report {

class ConsoleReporter final : public Reporter {
  public:
    // colour: ANSI colours (the caller decides: a terminal, and NO_COLOR unset). progress: a
    // status line under the case lines, rewritten as cases finish (a terminal only: plain
    // lines otherwise); expected_cases is what it counts towards.
    ConsoleReporter(std::FILE* out, ReportContext context, bool colour, bool verbose, bool progress = false,
                    std::size_t expected_cases = 0);
    void case_finished(const engine::CaseResult& result) override;
    void run_finished(const engine::RunResult& run) override;

  private:
    std::string paint(const char* code, const std::string& text) const;

    std::FILE* m_out;
    ReportContext m_context;
    bool m_colour;
    bool m_verbose;
    bool m_progress;
    std::size_t m_expected;
    std::size_t m_done = 0;
    std::size_t m_requests = 0;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

}  // namespace conform::report
