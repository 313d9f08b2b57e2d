// The console: one line per case as it finishes, then a summary by operation and level.
#pragma once

#include <cstdio>

#include "report/reporter.hpp"

namespace conform::report {

class ConsoleReporter final : public Reporter {
public:
    // colour: ANSI colours (the caller decides: a terminal, and NO_COLOR unset).
    ConsoleReporter(std::FILE* out, ReportContext context, bool colour, bool verbose);
    void case_finished(const engine::CaseResult& result) override;
    void run_finished(const engine::RunResult& run) override;

private:
    std::string paint(const char* code, const std::string& text) const;

    std::FILE* m_out;
    ReportContext m_context;
    bool m_colour;
    bool m_verbose;
};

}  // namespace conform::report
