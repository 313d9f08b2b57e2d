// JUnit XML. The default form validates against the Jenkins xUnit schema (junit-10.xsd): the
// case file, level, rules and tags go in suite <properties> and the case's <system-out>. The
// extended form adds testcase file/line and testcase <properties>, which GitLab and GitHub
// reporters read but that XSD rejects.
#pragma once

#include <filesystem>
#include <memory>

#include "report/reporter.hpp"

namespace conform::report {

enum class JunitForm { portable, extended };

class JunitBuilder;

// The whole report for a finished run, in memory (tests, small runs).
std::string junit_xml(const engine::RunResult& run, const ReportContext& context, JunitForm form);

// Streams each case into spool files as it finishes (so results need not keep their exchanges),
// then writes the report atomically when the run ends.
class JunitReporter final : public FileReporter {
  public:
    JunitReporter(std::filesystem::path path, ReportContext context, JunitForm form);
    ~JunitReporter() override;

  private:
    void keep(const engine::CaseResult& result) override;
    void write(const engine::RunResult& run) override;

    std::filesystem::path m_path;
    ReportContext m_context;
    std::unique_ptr<JunitBuilder> m_builder;
};

}  // namespace conform::report
