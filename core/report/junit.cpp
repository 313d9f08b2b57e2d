#include "report/junit.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "report/curl_line.hpp"
#include "report/failure_text.hpp"
#include "report/spool.hpp"
#include "report/xml_writer.hpp"
#include "util/atomic_file.hpp"
#include "util/text.hpp"
#include "util/utc_time.hpp"

namespace conform::report {

namespace {

using engine::CaseResult;
using engine::Outcome;
using Attributes = std::vector<std::pair<std::string, std::string>>;

std::string system_out(const CaseResult& result)
{
    const auto& c = result.test_case;
    return "case: " + c.id + "\nfile: " + c.file + "\nlevel: " + contract::to_string(c.level) +
           "\nrules: " + util::join(c.rules, ",") + "\ntags: " + util::join(c.tags, ",") +
           "\ndescription: " + c.description + "\n" + transcript(result);
}

// The <skipped> type, so "SHOULD not met", "fixture missing", "interrupted" and "not
// applicable" differ by more than their text.
std::string skip_type(const CaseResult& r)
{
    if (r.outcome == Outcome::failed) {
        return "should-not-met";
    }
    switch (r.cause) {
    case engine::Cause::fixtures:
        return "fixture-missing";
    case engine::Cause::interrupted:
        return "interrupted";
    case engine::Cause::not_applicable:
        return "not-applicable";
    case engine::Cause::premise_lost:
        return "premise-lost";
    default:
        return "skipped";
    }
}

// Whether the case was started: not skipped, nor an error of an interrupted run before its
// first step (which has no step).
bool was_run(const CaseResult& r)
{
    return r.outcome != Outcome::skipped && !(r.cause == engine::Cause::interrupted && !r.step);
}

// The time the cases of one suite took, start of the first to end of the last: cases run in
// parallel, so adding their times up would overstate it.
double wall_time(const std::vector<const CaseResult*>& results)
{
    double first = -1, last = 0;
    for (const auto* r : results) {
        if (!was_run(*r)) {
            continue;
        }
        first = first < 0 ? r->started : std::min(first, r->started);
        last = std::max(last, r->started + r->seconds);
    }
    return first < 0 ? 0 : last - first;
}

}  // namespace

// Builds the report one case at a time: each <testcase> is rendered into a spool as the case
// finishes, so a long run does not keep every exchange in memory; finish() then writes the
// suites around the spooled testcases, in contract order.
class JunitBuilder {
  public:
    JunitBuilder(const ReportContext& context, JunitForm form, Spool::Backing backing)
        : m_context(context), m_form(form), m_spool(backing, context.spool_dir)
    {
    }

    void add(const CaseResult& r)
    {
        const auto& c = r.test_case;
        std::ostringstream testcase;
        XmlWriter xml(testcase, 2, false);
        Attributes attributes = {{"name", c.id},
                                 {"classname", m_context.names.classname_prefix + c.operation},
                                 {"time", seconds(r.seconds)}};
        if (m_form == JunitForm::extended) {
            attributes.emplace_back("file", c.file);
            attributes.emplace_back("line", std::to_string(c.line));
        }
        xml.open("testcase", attributes);
        if (m_form == JunitForm::extended) {
            xml.open("properties");
            xml.empty("property", {{"name", "level"}, {"value", contract::to_string(c.level)}});
            xml.empty("property", {{"name", "rules"}, {"value", util::join(c.rules, ",")}});
            xml.empty("property", {{"name", "tags"}, {"value", util::join(c.tags, ",")}});
            xml.empty("property", {{"name", "description"}, {"value", c.description}});
            xml.close();
        }
        const auto& redact = m_context.redactor;
        const auto message = redact(headline(r));
        auto detail = details(r, m_context);
        if (auto curl = curl_line(r, m_context)) {
            detail += "\nreproduce:\n" + *curl + "\n";
        }
        detail = redact(detail);
        switch (r.judgement.verdict) {
        case Verdict::failed:
            // A passed case fails only as a fixed known deviation under --strict-baseline.
            xml.text_element("failure",
                             {{"message", message},
                              {"type", r.outcome == Outcome::passed ? "KnownDeviationFixed" : "ContractDeviation"}},
                             detail);
            break;
        case Verdict::error:
            xml.text_element("error",
                             {{"message", message},
                              {"type", r.cause == engine::Cause::interrupted ? "Interrupted" : "NotEvaluated"}},
                             detail);
            break;
        case Verdict::warned:
            xml.text_element(
                "skipped",
                {{"message", "SHOULD not met (gates only with --strict): " + message}, {"type", skip_type(r)}}, detail);
            break;
        case Verdict::skipped:
            xml.text_element("skipped", {{"message", message}, {"type", skip_type(r)}}, message);
            break;
        case Verdict::known:
            xml.text_element("skipped",
                             {{"message", redact(baseline_note(r)) + ": " + message}, {"type", "known-deviation"}},
                             detail);
            break;
        case Verdict::premise_lost:
            // The transcript of a step that failed before the premise was found gone stays.
            xml.text_element("skipped", {{"message", message}, {"type", "premise-lost"}}, detail);
            break;
        case Verdict::inconclusive:
            xml.text_element("skipped", {{"message", message}, {"type", "inconclusive"}}, detail);
            break;
        case Verdict::passed:
            break;
        }
        xml.text_element("system-out", {}, redact(system_out(r)));
        xml.close();
        m_spool.put(c.id, testcase.str());
    }

    void finish(std::ostream& out, const engine::RunResult& run)
    {
        // Suites in the order their operations first appear in the contract; cases likewise.
        std::vector<std::pair<std::string, std::vector<const CaseResult*>>> suites;
        Tally total;
        for (const auto& r : run.cases) {
            auto it = std::find_if(suites.begin(), suites.end(),
                                   [&](const auto& s) { return s.first == r.test_case.operation; });
            if (it == suites.end()) {
                it = suites.insert(suites.end(), {r.test_case.operation, {}});
            }
            it->second.push_back(&r);
            total.add(r.judgement.verdict);
        }
        XmlWriter xml(out);
        Attributes totals = {{"name", m_context.names.suite},
                             {"tests", std::to_string(total.total())},
                             {"failures", std::to_string(total.failed)},
                             {"errors", std::to_string(total.errors)}};
        if (m_form == JunitForm::extended) {
            // Readers that take their totals from here (test-results-parser) count skips only so;
            // the Jenkins XSD has no such attribute.
            totals.emplace_back("skipped", std::to_string(total.skipped + total.warned + total.known));
        }
        totals.emplace_back("time", seconds(run.seconds));
        xml.open("testsuites", totals);
        for (const auto& [operation, results] : suites) {
            Tally n;
            std::size_t unrun = 0, cut_off = 0;
            for (const auto* r : results) {
                n.add(r->judgement.verdict);
                if (r->cause == engine::Cause::interrupted) {
                    ++(was_run(*r) ? cut_off : unrun);
                }
            }
            const auto suffix = m_context.run_name.empty() ? std::string() : " (" + m_context.run_name + ")";
            xml.open("testsuite", {{"name", m_context.names.classname_prefix + operation + suffix},
                                   {"tests", std::to_string(n.total())},
                                   {"failures", std::to_string(n.failed)},
                                   {"errors", std::to_string(n.errors)},
                                   {"skipped", std::to_string(n.not_run())},
                                   {"time", seconds(wall_time(results))},
                                   {"timestamp", util::format_utc(run.started, "%Y-%m-%dT%H:%M:%S")},
                                   {"hostname", m_context.hostname}});
            xml.open("properties");
            xml.empty("property", {{"name", "conform.version"}, {"value", m_context.conform_version}});
            xml.empty("property", {{"name", "contract.digest"}, {"value", m_context.contract_digest}});
            xml.empty("property", {{"name", "run.name"}, {"value", m_context.run_name}});
            xml.empty("property", {{"name", "endpoint"}, {"value", m_context.redactor(m_context.endpoint)}});
            xml.empty("property", {{"name", "strict"}, {"value", m_context.strict ? "true" : "false"}});
            xml.empty("property", {{"name", "requests.throttled"}, {"value", std::to_string(run.requests_throttled)}});
            xml.empty("property", {{"name", "quota.wait_seconds"}, {"value", seconds(run.quota_wait_seconds)}});
            if (run.interrupted) {
                xml.empty("property", {{"name", "interrupted"}, {"value", "true"}});
            }
            xml.close();
            for (const auto* r : results) {
                out << m_spool.take(r->test_case.id);
            }
            if (run.interrupted) {
                xml.text_element("system-err", {},
                                 "the run was interrupted: " + std::to_string(unrun) +
                                     " case(s) of this suite not run, " + std::to_string(cut_off) + " cut off\n");
            }
            xml.close();
        }
        xml.close();
    }

  private:
    const ReportContext& m_context;
    JunitForm m_form;
    Spool m_spool;
};

std::string junit_xml(const engine::RunResult& run, const ReportContext& context, JunitForm form)
{
    JunitBuilder builder(context, form, Spool::Backing::memory);
    for (const auto& r : run.cases) {
        builder.add(r);
    }
    std::ostringstream out;
    builder.finish(out, run);
    return out.str();
}

JunitReporter::JunitReporter(std::filesystem::path path, ReportContext context, JunitForm form)
    : m_path(std::move(path)), m_context(std::move(context)),
      m_builder(std::make_unique<JunitBuilder>(m_context, form, Spool::Backing::file))
{
}

JunitReporter::~JunitReporter() = default;

void JunitReporter::keep(const engine::CaseResult& result)
{
    m_builder->add(result);
}

void JunitReporter::write(const engine::RunResult& run)
{
    util::write_file_atomically(m_path, [&](std::ostream& out) { m_builder->finish(out, run); });
}

}  // namespace conform::report
