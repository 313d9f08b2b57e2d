// JUnit XML. The default form validates against the Jenkins xUnit schema (junit-10.xsd): the
// case file, level, rules and tags go in suite <properties> and the case's <system-out>. The
// extended form adds testcase file/line and testcase <properties>, which GitLab and GitHub
// reporters read but that XSD rejects.
#pragma once

#include <filesystem>

#include "report/reporter.hpp"

namespace conform::report {

enum class JunitForm { portable, extended };

void write_junit(std::ostream& out, const engine::RunResult& run, const ReportContext& context, JunitForm form);
std::string junit_xml(const engine::RunResult& run, const ReportContext& context, JunitForm form);

class JunitReporter final : public Reporter {
public:
    JunitReporter(std::filesystem::path path, ReportContext context, JunitForm form);
    void run_finished(const engine::RunResult& run) override;

private:
    std::filesystem::path m_path;
    ReportContext m_context;
    JunitForm m_form;
};

}  // namespace conform::report
