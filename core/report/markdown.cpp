#include "report/markdown.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "report/failure_text.hpp"
#include "report/safe_text.hpp"
#include "util/atomic_file.hpp"

namespace conform::report {

namespace {

// Enough for a job summary; the JUnit and HTML reports have the rest.
constexpr std::size_t k_max_lines = 50;

// Inline code that holds any text on one line: a fence longer than any run of backticks
// inside, and line breaks as \xHH (a blank line would end the span and let the text be markup).
std::string code(const std::string& multiline)
{
    std::string text;
    for (char c : multiline) {
        text += c == '\n' ? "\\x0a" : c == '\r' ? "\\x0d" : std::string(1, c);
    }
    std::size_t longest = 0, run = 0;
    for (char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    const std::string fence(longest + 1, '`');
    const auto pad = text.starts_with('`') || text.ends_with('`') ? " " : "";
    return fence + pad + text + pad + fence;
}

}  // namespace

std::string run_verdict(const engine::RunResult& run)
{
    if (run.interrupted) {
        return "INTERRUPTED";
    }
    return std::any_of(run.cases.begin(), run.cases.end(),
                       [](const auto& r) {
                           return r.judgement.verdict == Verdict::failed || r.judgement.verdict == Verdict::error;
                       })
               ? "FAILED"
               : "PASSED";
}

std::string markdown_summary(const engine::RunResult& run, const ReportContext& context)
{
    std::vector<std::pair<std::string, Tally>> operations;  // in contract order
    Tally total;
    for (const auto& r : run.cases) {
        auto it = std::find_if(operations.begin(), operations.end(),
                               [&](const auto& o) { return o.first == r.test_case.operation; });
        if (it == operations.end()) {
            it = operations.insert(operations.end(), {r.test_case.operation, {}});
        }
        const auto v = r.judgement.verdict;
        it->second.add(v);
        total.add(v);
    }
    std::string out = fmt::format("## {}: {} ({})\n\n", context.names.title, run_verdict(run), context.run_name);
    out += fmt::format("{} · conform {} · {} cases in {:.1f} s · {} requests", code(context.endpoint),
                       context.conform_version, total.total(), run.seconds, run.requests_sent);
    if (run.requests_throttled) {
        out +=
            fmt::format(" · {} throttled, {:.1f} s waiting for quota", run.requests_throttled, run.quota_wait_seconds);
    }
    // The known column only when a baseline listed a deviation, so other summaries stay as they were.
    const bool known = total.known > 0;
    out += std::string("\n\n| operation | passed | failed | warned (SHOULD) | errors | skipped |") +
           (known ? " known |" : "") + "\n|---|---:|---:|---:|---:|---:|" + (known ? "---:|" : "") + "\n";
    auto row = [&](const std::string& name, const Tally& t) {
        out += fmt::format("| {} | {} | {} | {} | {} | {} |{}\n", name, t.passed, t.failed, t.warned, t.errors,
                           t.skipped, known ? fmt::format(" {} |", t.known) : "");
    };
    for (const auto& [operation, t] : operations) {
        row(operation, t);
    }
    row("**total**", total);
    const auto unverified =
        std::count_if(run.cases.begin(), run.cases.end(), [](const engine::CaseResult& r) { return r.unverified; });
    if (total.premise_lost > 0 || total.inconclusive > 0 || unverified > 0) {
        out += fmt::format("\nNot counted above: {} premise lost (a fixture was not in the state the case relies on), "
                           "{} inconclusive. {} of the passes unverified (a premise no query can check).\n",
                           total.premise_lost, total.inconclusive, unverified);
    }

    std::vector<std::string> lines;
    for (const auto& r : run.cases) {
        const auto v = r.judgement.verdict;
        if (v == Verdict::failed || v == Verdict::error || v == Verdict::warned || v == Verdict::known ||
            v == Verdict::premise_lost || v == Verdict::inconclusive ||
            (v == Verdict::skipped && r.cause == engine::Cause::interrupted)) {
            static const std::map<Verdict, const char*> k_labels = {{Verdict::failed, "FAIL"},
                                                                    {Verdict::error, "ERROR"},
                                                                    {Verdict::warned, "WARN"},
                                                                    {Verdict::skipped, "SKIP"},
                                                                    {Verdict::known, "KNOWN"},
                                                                    {Verdict::premise_lost, "PREMISE LOST"},
                                                                    {Verdict::inconclusive, "INCONCLUSIVE"}};
            const auto text = v == Verdict::known ? baseline_note(r) + ": " + headline(r) : headline(r);
            lines.push_back(
                fmt::format("- **{}** {} {}\n", k_labels.at(v), code(r.test_case.id), code(context.redactor(text))));
        } else if (r.baseline) {
            lines.push_back(
                fmt::format("- **FIXED** {} {}\n", code(r.test_case.id), code(context.redactor(headline(r)))));
        }
    }
    if (!lines.empty()) {
        out += "\n### Not passed\n\n";
        for (std::size_t i = 0; i < std::min(lines.size(), k_max_lines); ++i) {
            out += lines[i];
        }
        if (lines.size() > k_max_lines) {
            out += fmt::format("- ... and {} more (see the JUnit or HTML report)\n", lines.size() - k_max_lines);
        }
    }
    return terminal_safe(without_directives(context.redactor(out)));
}

MarkdownReporter::MarkdownReporter(std::filesystem::path path, ReportContext context)
    : m_path(std::move(path)), m_context(std::move(context))
{
}

void MarkdownReporter::run_finished(const engine::RunResult& run)
{
    util::write_file_atomically(m_path, markdown_summary(run, m_context));
}

}  // namespace conform::report
