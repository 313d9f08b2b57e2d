// A Markdown summary short enough for a CI job summary ($GITHUB_STEP_SUMMARY, a merge-request
// note): the verdict, counts per operation, and each failure in one line.
#pragma once

#include <filesystem>

#include "report/reporter.hpp"

namespace conform::report {

std::string markdown_summary(const engine::RunResult& run, const ReportContext& context);

class MarkdownReporter final : public Reporter {
  public:
    MarkdownReporter(std::filesystem::path path, ReportContext context);
    void run_finished(const engine::RunResult& run) override;

  private:
    std::filesystem::path m_path;
    ReportContext m_context;
};

// The run's verdict in one word, from its cases' verdicts: PASSED, FAILED (a failed or error
// verdict) or INTERRUPTED (an interrupted run never passes).
std::string run_verdict(const engine::RunResult& run);

}  // namespace conform::report
