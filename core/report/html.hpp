// One self-contained HTML page (no scripts, no external styles, fonts or images): the verdict
// and counts first, a matrix of operations x rules, then each case with its description, steps,
// masked exchanges, the failure with its JSON pointer and a curl line; filters by outcome are
// pure CSS. Each case's section is rendered into a spool as it finishes, like the JUnit report.
#pragma once

#include <filesystem>

#include "report/reporter.hpp"
#include "report/spool.hpp"

namespace conform::report {

class HtmlReporter final : public FileReporter {
  public:
    HtmlReporter(std::filesystem::path path, ReportContext context, Spool::Backing backing = Spool::Backing::file);
    // The page, for a finished run whose cases have all been through case_finished (it takes
    // their kept sections: once).
    std::string page(const engine::RunResult& run);

  private:
    void keep(const engine::CaseResult& result) override;
    void write(const engine::RunResult& run) override;

    std::filesystem::path m_path;
    ReportContext m_context;
    Spool m_spool;
};

}  // namespace conform::report
