#include "report/reporter.hpp"

#include <unistd.h>

#include "util/atomic_file.hpp"

namespace conform::report {

std::string local_hostname()
{
    char buffer[256] = {};
    return ::gethostname(buffer, sizeof buffer - 1) == 0 ? buffer : "localhost";
}

void FileReporter::case_finished(const engine::CaseResult& result)
{
    try {
        if (m_error.empty()) {
            keep(result);
        }
    } catch (const std::exception& e) {
        m_error = e.what();
    }
}

void FileReporter::run_finished(const engine::RunResult& run)
{
    if (!m_error.empty()) {
        throw util::FileError(m_error);
    }
    write(run);
}

const contract::Rule* ReportContext::rule(const std::string& id) const
{
    for (const auto& r : rules) {
        if (r.id == id) {
            return &r;
        }
    }
    return nullptr;
}

void Tally::add(Verdict v)
{
    switch (v) {
    case Verdict::passed:
        ++passed;
        break;
    case Verdict::failed:
        ++failed;
        break;
    case Verdict::warned:
        ++warned;
        break;
    case Verdict::error:
        ++errors;
        break;
    case Verdict::skipped:
        ++skipped;
        break;
    case Verdict::known:
        ++known;
        break;
    case Verdict::premise_lost:
        ++premise_lost;
        break;
    case Verdict::inconclusive:
        ++inconclusive;
        break;
    }
}

}  // namespace conform::report
