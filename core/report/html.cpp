#include "report/html.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "report/curl_line.hpp"
#include "report/failure_text.hpp"
#include "report/markdown.hpp"
#include "report/xml_writer.hpp"
#include "util/atomic_file.hpp"
#include "util/text.hpp"
#include "util/utc_time.hpp"

namespace conform::report {

namespace {

// The page's look: readable on screen and on paper, light and dark, nothing fetched.
constexpr const char* k_style = R"(
:root { --pass:#1a7f37; --fail:#cf222e; --warn:#9a6700; --err:#8250df; --skip:#6e7781; --bg:#fff; --fg:#1f2328; --mute:#656d76; --line:#d0d7de; --code:#f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --bg:#0d1117; --fg:#e6edf3; --mute:#8d96a0; --line:#30363d; --code:#161b22; } }
body { font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem; }
h1 { margin: .2rem 0; } h1 .passed { color: var(--pass); } h1 .failed, h1 .interrupted { color: var(--fail); }
.meta { color: var(--mute); margin: 0 0 1rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.matrix { width: 100%; } .matrix td, .matrix th { padding: .1rem .4rem; } .matrix th.op { font-size: 12px; width: 7rem; }
.matrix td { text-align: center; white-space: nowrap; } .matrix td.text { text-align: left; white-space: normal; font-size: 12px; line-height: 1.3; }
.matrix small { color: var(--mute); } .scroll { overflow-x: auto; }
.passed .mark, td.passed { color: var(--pass); } .failed .mark, td.failed { color: var(--fail); font-weight: 600; }
.warned .mark, td.warned { color: var(--warn); } .error .mark, td.error { color: var(--err); } .skipped .mark, td.skipped { color: var(--skip); }
.premise_lost .mark, td.premise_lost, .inconclusive .mark, td.inconclusive { color: var(--warn); }
.case.premise_lost, .case.inconclusive { border-left-color: var(--warn); border-left-style: dashed; }
.unverified, .premise { color: var(--warn); }
.filters { display: inline; margin-right: .5rem; } input.filter { margin-left: .8rem; }
.case { border: 1px solid var(--line); border-left: .4rem solid var(--skip); border-radius: 4px; padding: .5rem 1rem; margin: .8rem 0; }
.case.passed { border-left-color: var(--pass); } .case.failed { border-left-color: var(--fail); }
.case.warned { border-left-color: var(--warn); } .case.error { border-left-color: var(--err); }
.case h3 { margin: .2rem 0; font-size: 1.05rem; } .case h3 small { color: var(--mute); font-weight: normal; }
.failure { background: var(--code); padding: .5rem .8rem; border-radius: 4px; }
.failure mark { background: none; color: var(--fail); font-weight: 600; }
pre, code { font: 13px/1.4 ui-monospace, monospace; } pre { background: var(--code); padding: .5rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.rule { color: var(--mute); }
#f-failed:checked ~ main .case:not(.failed), #f-warned:checked ~ main .case:not(.warned),
#f-error:checked ~ main .case:not(.error), #f-skipped:checked ~ main .case:not(.skipped),
#f-passed:checked ~ main .case:not(.passed), #f-notpassed:checked ~ main .case.passed { display: none; }
@media print { .filters, .filter { display: none; } .case { break-inside: avoid; } body { max-width: none; font-size: 11pt; } }
)";

std::string text(const std::string& value)
{
    return escape_text(value);
}

std::string attr(const std::string& value)
{
    return escape_attribute(value);
}

const char* mark(Verdict v)
{
    switch (v) {
    case Verdict::passed:
        return "&#10004;";
    case Verdict::failed:
        return "&#10008;";
    case Verdict::warned:
        return "&#9888;";
    case Verdict::error:
        return "&#9889;";
    case Verdict::skipped:
        return "&#8856;";
    case Verdict::known:
        return "&#8776;";
    case Verdict::premise_lost:
        return "&#8634;";
    case Verdict::inconclusive:
        return "&#63;";
    }
    return "?";
}

std::string anchor(const std::string& id)
{
    return "case-" + id;
}

// A failure line with its pointer highlighted.
std::string failure_html(const engine::Failure& f)
{
    return "<li><code>[" + text(f.rule) + "] <mark>" + text(f.where) +
           "</mark>: " + (f.expected.empty() ? text(f.got) : "got " + text(f.got) + ", expected " + text(f.expected)) +
           "</code></li>\n";
}

std::string case_section(const engine::CaseResult& r, const ReportContext& context)
{
    const auto& c = r.test_case;
    const auto v = r.judgement.verdict;
    std::string out = fmt::format("<article class=\"case {}\" id=\"{}\">\n<h3><span class=\"mark\">{}</span> {} {} "
                                  "<small>{} &middot; {} &middot; {} &middot; {} s</small></h3>\n",
                                  to_string(v), attr(anchor(c.id)), mark(v), to_string(v), text(c.id),
                                  contract::to_string(c.level), text(c.operation), text(c.file), seconds(r.seconds));
    out += "<p>" + text(c.description) +
           "</p>\n<p class=\"rule\">rules: " + text(fmt::format("{}", fmt::join(c.rules, ", "))) + "</p>\n";
    if (r.baseline) {
        out += "<p class=\"baseline\"><strong>" + text(baseline_note(r)) + "</strong></p>\n";
    }
    if (r.unverified) {
        out += "<p class=\"unverified\"><strong>unverified</strong>: passed, but it rests on a fixture state no "
               "read-only query can check</p>\n";
    }
    if (r.premise) {
        out += "<p class=\"premise\"><strong>premise lost</strong>: fixture " + text(r.premise->fixture) + " (" +
               text(r.premise->kind) + ", <code>" + text(r.premise->id) + "</code>): expected " +
               text(r.premise->expected) + ", found " + text(r.premise->found) + "</p>\n";
    }
    out += "<ol class=\"steps\">\n";
    for (std::size_t i = 0; i < c.steps.size(); ++i) {
        out += "<li>" + text(c.steps[i].name) +
               (r.step && r.step->index == i ? " <strong>&larr; " + to_string(v) + " here</strong>" : "") + "</li>\n";
    }
    out += "</ol>\n";
    if (!r.failures.empty() && r.step) {
        out += "<div class=\"failure\">\n<p><strong>" + text(step_text(*r.step)) + "</strong></p>\n<ul>\n";
        for (const auto& f : r.failures) {
            out += failure_html(f);
        }
        out += "</ul>\n";
        for (const auto& id : failed_rules(r)) {
            if (const auto* rule = context.rule(id)) {
                out += "<p class=\"rule\"><strong>" + text(id) + "</strong> (" + contract::to_string(rule->level) +
                       "): " + text(rule->text) + "<br>source: " + text(rule->source) + "</p>\n";
            }
        }
        out += "</div>\n";
    } else if (v != Verdict::passed) {
        out += "<div class=\"failure\"><p>" + text(headline(r)) + "</p></div>\n";
    }
    if (auto curl = curl_line(r, context)) {
        out += "<p>reproduce:</p>\n<pre class=\"curl\">" + text(*curl) + "</pre>\n";
    }
    if (!r.exchanges.empty()) {
        out += std::string("<details") + (v == Verdict::passed ? "" : " open") + "><summary>exchanges (" +
               std::to_string(r.exchanges.size()) + ")</summary>\n<pre>" + text(transcript(r)) + "</pre>\n</details>\n";
    }
    return context.redactor(out + "</article>\n");
}

// Worst first: a cell shows the gravest verdict of the cases behind it.
int gravity(Verdict v)
{
    switch (v) {
    case Verdict::failed:
        return 4;
    case Verdict::error:
        return 3;
    case Verdict::warned:
        return 2;
    case Verdict::known:
        return 2;
    case Verdict::passed:
        return 1;
    case Verdict::inconclusive:
    case Verdict::skipped:
    case Verdict::premise_lost:
        return 0;
    }
    return 0;
}

// Rules x operations: for each pair, the cases of that operation that check that rule. A case
// that failed on another rule says nothing of this one, so it is not counted here.
std::string matrix(const engine::RunResult& run, const ReportContext& context)
{
    std::vector<std::string> operations;
    std::vector<std::string> rules;
    for (const auto& r : run.cases) {
        if (std::find(operations.begin(), operations.end(), r.test_case.operation) == operations.end()) {
            operations.push_back(r.test_case.operation);
        }
        for (const auto& id : r.test_case.rules) {
            if (std::find(rules.begin(), rules.end(), id) == rules.end()) {
                rules.push_back(id);
            }
        }
    }
    // Rules in the contract's order where the contract names them.
    std::stable_sort(rules.begin(), rules.end(), [&](const auto& a, const auto& b) {
        auto index = [&](const std::string& id) {
            auto it =
                std::find_if(context.rules.begin(), context.rules.end(), [&](const auto& r) { return r.id == id; });
            return it - context.rules.begin();
        };
        return index(a) < index(b);
    });
    std::map<std::pair<std::string, std::string>, std::map<Verdict, std::size_t>> cells;
    for (const auto& r : run.cases) {
        const auto v = r.judgement.verdict;
        const auto failed = failed_rules(r);
        for (const auto& id : r.test_case.rules) {
            const bool this_rule = std::find(failed.begin(), failed.end(), id) != failed.end();
            if ((v == Verdict::failed || v == Verdict::warned || v == Verdict::known) && !this_rule) {
                continue;
            }
            ++cells[{r.test_case.operation, id}][v];
        }
    }
    // One row a rule (with its text and source), one column an operation: 31 rules read down a
    // page; across, they would not fit.
    std::string out =
        "<div class=\"scroll\"><table class=\"matrix\">\n<thead><tr><th>rule</th><th>what it says, and where</th>";
    for (const auto& operation : operations) {
        // Break CamelCase names so narrow columns can wrap them.
        std::string name;
        for (std::size_t i = 0; i < operation.size(); ++i) {
            name += (i > 0 && std::isupper(static_cast<unsigned char>(operation[i])) ? "<wbr>" : "") +
                    text(operation.substr(i, 1));
        }
        out += "<th class=\"op\">" + name + "</th>";
    }
    out += "</tr></thead>\n<tbody>\n";
    for (const auto& id : rules) {
        const auto* rule = context.rule(id);
        out += "<tr><th title=\"" + attr(rule ? rule->text : id) + "\">" + text(id) + "</th>";
        out += rule ? "<td class=\"text\">" + contract::to_string(rule->level) + ": " + text(rule->text) +
                          "<br><small>" + text(rule->source) + "</small></td>"
                    : "<td class=\"text\"></td>";
        for (const auto& operation : operations) {
            auto it = cells.find({operation, id});
            if (it == cells.end()) {
                out += "<td class=\"none\"></td>";
                continue;
            }
            Verdict worst = Verdict::skipped;
            std::string content;
            for (const auto& [v, n] : it->second) {
                worst = gravity(v) > gravity(worst) ? v : worst;
                content += fmt::format("<span class=\"{}\" title=\"{} {}\">{}&nbsp;{}</span> ", to_string(v), n,
                                       to_string(v), mark(v), n);
            }
            out += "<td class=\"" + to_string(worst) + "\">" + content + "</td>";
        }
        out += "</tr>\n";
    }
    return out + "</tbody></table></div>\n";
}

}  // namespace

HtmlReporter::HtmlReporter(std::filesystem::path path, ReportContext context, Spool::Backing backing)
    : m_path(std::move(path)), m_context(std::move(context)), m_spool(backing, m_context.spool_dir)
{
}

void HtmlReporter::keep(const engine::CaseResult& result)
{
    m_spool.put(result.test_case.id, case_section(result, m_context));
}

std::string HtmlReporter::page(const engine::RunResult& run)
{
    Tally total;
    for (const auto& r : run.cases) {
        total.add(r.judgement.verdict);
    }
    const auto overall = run_verdict(run);
    const auto lower = util::lower(overall);
    // The policy forbids every fetch: the page is whole, and a browser proves it by refusing.
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>" +
        text(m_context.names.title) + ": " + overall + " (" + text(m_context.run_name) + ")</title>\n<style>" +
        k_style + "</style>\n</head>\n<body>\n";
    out += "<header>\n<h1>" + text(m_context.names.title) + ": <span class=\"" + lower + "\">" + overall +
           "</span></h1>\n";
    out += "<p class=\"meta\">" + text(m_context.run_name) + " &middot; <code>" + text(m_context.endpoint) +
           "</code> &middot; conform " + text(m_context.conform_version) + " &middot; " +
           util::format_utc(run.started, "%Y-%m-%d %H:%M:%S UTC") + " &middot; " + seconds(run.seconds) +
           " s &middot; " + std::to_string(run.requests_sent) + " requests";
    if (run.requests_throttled) {
        out += " &middot; " + std::to_string(run.requests_throttled) + " throttled, " +
               seconds(run.quota_wait_seconds) + " s waiting for quota";
    }
    out += "</p>\n<table class=\"counts\"><tr><th>cases</th><th class=\"passed\">passed</th><th "
           "class=\"failed\">failed</th>"
           "<th class=\"warned\">warned (SHOULD)</th><th class=\"error\">errors</th><th "
           "class=\"skipped\">skipped</th></tr>\n";
    out += fmt::format("<tr><td class=\"n\">{}</td><td class=\"n passed\">{}</td><td class=\"n failed\">{}</td><td "
                       "class=\"n warned\">{}</td>"
                       "<td class=\"n error\">{}</td><td class=\"n skipped\">{}</td></tr></table>\n</header>\n",
                       total.total(), total.passed, total.failed, total.warned, total.errors, total.skipped);
    if (total.known > 0) {
        out +=
            fmt::format("<p class=\"meta\">and {} known deviation(s) the baseline lists (not counted as failed)</p>\n",
                        total.known);
    }
    const auto unverified =
        std::count_if(run.cases.begin(), run.cases.end(), [](const engine::CaseResult& r) { return r.unverified; });
    if (total.premise_lost > 0 || total.inconclusive > 0 || unverified > 0) {
        out += fmt::format("<p class=\"meta\">and {} premise lost (a fixture was not in the state the case relies "
                           "on), {} inconclusive; {} of the passes unverified (a premise no query can check)</p>\n",
                           total.premise_lost, total.inconclusive, unverified);
    }
    out += "<section id=\"matrix\">\n<h2>Rules &times; operations</h2>\n" + matrix(run, m_context) + "</section>\n";
    // The radios are <main>'s preceding siblings, so CSS alone can filter the cases.
    out += "<h2>Cases</h2>\n<p class=\"filters\">show:</p>\n";
    for (const auto& [id, label] : std::vector<std::pair<std::string, std::string>>{{"all", "all"},
                                                                                    {"notpassed", "not passed"},
                                                                                    {"failed", "failed"},
                                                                                    {"warned", "warned"},
                                                                                    {"error", "errors"},
                                                                                    {"skipped", "skipped"},
                                                                                    {"passed", "passed"}}) {
        out += "<input type=\"radio\" name=\"filter\" class=\"filter\" id=\"f-" + id + "\"" +
               (id == "all" ? " checked" : "") + "><label class=\"filter\" for=\"f-" + id + "\">" + label +
               "</label>\n";
    }
    out += "\n<main>\n";
    for (const auto& r : run.cases) {
        auto section = m_spool.take(r.test_case.id);
        out += section.empty() ? case_section(r, m_context) : section;
    }
    return out + "</main>\n</body>\n</html>\n";
}

void HtmlReporter::write(const engine::RunResult& run)
{
    util::write_file_atomically(m_path, page(run));
}

}  // namespace conform::report
