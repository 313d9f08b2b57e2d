#include "report/console.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "report/failure_text.hpp"
#include "report/safe_text.hpp"

namespace conform::report {

namespace {

constexpr const char* k_green = "32";
constexpr const char* k_red = "31";
constexpr const char* k_yellow = "33";
constexpr const char* k_dim = "2";

}  // namespace

// Erases the status line (carriage return, then erase the line).
constexpr const char* k_erase_line = "\r\x1b[2K";

ConsoleReporter::ConsoleReporter(std::FILE* out, ReportContext context, bool colour, bool verbose, bool progress,
                                 std::size_t expected_cases)
    : m_out(out), m_context(std::move(context)), m_colour(colour), m_verbose(verbose), m_progress(progress),
      m_expected(expected_cases)
{
}

std::string ConsoleReporter::paint(const char* code, const std::string& text) const
{
    return m_colour ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : text;
}

void ConsoleReporter::case_finished(const engine::CaseResult& result)
{
    const auto& c = result.test_case;
    ++m_done;
    m_requests += result.exchanges.size();
    if (m_progress) {
        fmt::print(m_out, "{}", k_erase_line);
    }
    std::string label;
    switch (result.judgement.verdict) {
    case Verdict::passed:
        label = paint(k_green, "PASS ");
        break;
    case Verdict::failed:
        label = paint(k_red, "FAIL ");
        break;
    case Verdict::warned:
        label = paint(k_yellow, "WARN ");
        break;
    case Verdict::error:
        label = paint(k_red, "ERROR");
        break;
    case Verdict::skipped:
        label = paint(k_yellow, "SKIP ");
        break;
    case Verdict::known:
        label = paint(k_yellow, "KNOWN");
        break;
    case Verdict::premise_lost:
        label = paint(k_yellow, "LOST ");
        break;
    case Verdict::inconclusive:
        label = paint(k_yellow, "INCON");
        break;
    }
    fmt::print(m_out, "{} {} {} {}{}\n", label, c.id, paint(k_dim, contract::to_string(result.judgement.level)),
               paint(k_dim, fmt::format("{:.3f}s", result.seconds)),
               result.unverified ? paint(k_dim, " (unverified: it rests on a premise no query can check)") : "");
    if (result.outcome != engine::Outcome::passed || result.baseline) {
        // details() leads with the baseline's note; a fixed case's headline is that note.
        const auto note = !m_verbose && result.outcome != engine::Outcome::passed && result.baseline
                              ? baseline_note(result) + "\n"
                              : "";
        const auto text = m_verbose ? details(result, m_context) : note + headline(result) + "\n";
        std::string indented;
        for (std::size_t start = 0; start < text.size();) {
            auto end = text.find('\n', start);
            indented += "      " + text.substr(start, end - start) + "\n";
            start = end == std::string::npos ? text.size() : end + 1;
        }
        // Words an endpoint chose: masked, then shown as bytes, never acted on by the terminal.
        fmt::print(m_out, "{}", terminal_safe(without_directives(m_context.redactor(indented))));
    }
    if (m_progress) {
        // Time left from the pace so far: cases are of similar length, throttling aside.
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
        const auto left = m_done < m_expected
                              ? elapsed / static_cast<double>(m_done) * static_cast<double>(m_expected - m_done)
                              : 0.0;
        fmt::print(m_out, "{}",
                   paint(k_dim, fmt::format("[{}/{}] {} requests, {:.0f} s, about {:.0f} s left", m_done, m_expected,
                                            m_requests, elapsed, left)));
    }
    std::fflush(m_out);
}

void ConsoleReporter::run_finished(const engine::RunResult& run)
{
    if (m_progress) {
        fmt::print(m_out, "{}", k_erase_line);
    }
    std::map<std::string, std::map<contract::Level, Tally>> by_operation;
    Tally total;
    for (const auto& r : run.cases) {
        const auto v = r.judgement.verdict;
        by_operation[r.test_case.operation][r.test_case.level].add(v);
        total.add(v);
    }
    fmt::print(m_out, "\n{:<26} {:>6} {:>21} {:>21}\n", "operation", "level", "passed/failed/errors",
               "skipped (warned)");
    for (const auto& [operation, levels] : by_operation) {
        for (const auto& [level, t] : levels) {
            fmt::print(m_out, "{:<26} {:>6} {:>21} {:>21}\n", operation, contract::to_string(level),
                       fmt::format("{}/{}/{}", t.passed, t.failed, t.errors),
                       fmt::format("{} ({})", t.not_run(), t.warned));
        }
    }
    // The same counts as the JUnit report: a SHOULD miss outside --strict and a known deviation
    // are skips there.
    fmt::print(m_out, "\n{}{} passed, {} failed, {} errors, {} skipped{}{}{}{} ({} requests, {:.3f} s)\n",
               run.interrupted ? "interrupted: " : "", total.passed, total.failed, total.errors, total.not_run(),
               total.warned ? fmt::format(" ({} SHOULD not met)", total.warned) : "",
               total.known ? fmt::format(" ({} known deviations)", total.known) : "",
               total.premise_lost ? fmt::format(" ({} premise lost)", total.premise_lost) : "",
               total.inconclusive ? fmt::format(" ({} inconclusive)", total.inconclusive) : "", run.requests_sent,
               run.seconds);
    const auto unverified =
        std::count_if(run.cases.begin(), run.cases.end(), [](const engine::CaseResult& r) { return r.unverified; });
    if (total.premise_lost > 0 || total.inconclusive > 0 || unverified > 0 || run.premise_queries > 0) {
        fmt::print(m_out,
                   "premises: {} state queries; {} case(s) premise lost (a fixture was not in the state the case "
                   "relies on), {} inconclusive, {} passed unverified (a premise no query can check)\n",
                   run.premise_queries, total.premise_lost, total.inconclusive, unverified);
    }
    const auto fixed = std::count_if(run.cases.begin(), run.cases.end(), [](const engine::CaseResult& r) {
        return r.baseline && r.baseline->state == engine::KnownDeviation::State::fixed;
    });
    if (fixed > 0) {
        fmt::print(m_out, "baseline: {} known deviation(s) fixed: remove them from the baseline\n", fixed);
    }
    if (run.requests_throttled > 0 || run.quota_wait_seconds > 0) {
        fmt::print(m_out,
                   "quota: {} request(s) throttled (HTTP 429: not results, resent), {:.1f} s waiting for the quota\n",
                   run.requests_throttled, run.quota_wait_seconds);
    }
    std::fflush(m_out);
}

}  // namespace conform::report
