#include "report/junit.hpp"

#include <cstdio>
#include <ctime>
#include <map>
#include <sstream>

#include <unistd.h>

#include "report/atomic_file.hpp"
#include "report/xml_writer.hpp"

#ifndef CONFORM_VERSION
#define CONFORM_VERSION "0"
#endif

namespace conform::report {

namespace {

using engine::CaseResult;
using engine::Outcome;
using Attributes = std::vector<std::pair<std::string, std::string>>;

// Seconds with '.' and at most 3 decimals, whatever the locale (junit-10.xsd's pattern).
std::string seconds(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3f", value < 0 ? 0.0 : value);
    return buffer;
}

std::string utc_timestamp(std::chrono::system_clock::time_point when)
{
    std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
    return buffer;
}

std::string hostname()
{
    char buffer[256] = {};
    return ::gethostname(buffer, sizeof buffer - 1) == 0 ? buffer : "localhost";
}

std::string join(const std::vector<std::string>& items, const char* separator = ",")
{
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : separator) + item;
    }
    return out;
}

std::string system_out(const CaseResult& result)
{
    const auto& c = *result.test_case;
    std::string out = "case: " + c.id + "\nfile: " + c.file + "\nlevel: " + contract::to_string(c.level)
                    + "\nrules: " + join(c.rules) + "\ntags: " + join(c.tags) + "\ndescription: " + c.description + "\n";
    for (const auto& ex : result.exchanges) {
        out += "\n--- " + ex.step + "\n> " + ex.request.method + " " + ex.request.target() + "\n";
        for (const auto& h : ex.request.headers) {
            out += "> " + h.name + ": " + h.value + "\n";
        }
        if (!ex.request.body.empty()) {
            out += ex.request.body + "\n";
        }
        if (ex.response) {
            out += "< " + std::to_string(ex.response->status) + " (" + seconds(ex.seconds) + " s)\n";
            for (const auto& h : ex.response->headers) {
                out += "< " + h.name + ": " + h.value + "\n";
            }
            if (!ex.response->body.empty()) {
                out += ex.response->body + "\n";
            }
        } else {
            out += "< (no response)\n";
        }
    }
    return out;
}

struct Counts {
    std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    double time = 0;
};

// How a result appears in JUnit: a SHOULD deviation outside strict mode is reported as
// skipped (like pytest's xfail), so CI systems that go red on <failure> do not gate on it.
enum class Shown { passed, failure, error, skipped };

Shown shown_as(const CaseResult& r, bool strict)
{
    switch (r.outcome) {
    case Outcome::passed: return Shown::passed;
    case Outcome::skipped: return Shown::skipped;
    case Outcome::error: return Shown::error;
    case Outcome::failed: return gates(r, strict) ? Shown::failure : Shown::skipped;
    }
    return Shown::error;
}

void count(Counts& counts, const CaseResult& r, bool strict)
{
    ++counts.tests;
    counts.time += r.seconds;
    switch (shown_as(r, strict)) {
    case Shown::failure: ++counts.failures; break;
    case Shown::error: ++counts.errors; break;
    case Shown::skipped: ++counts.skipped; break;
    case Shown::passed: break;
    }
}

}  // namespace

std::string junit_xml(const engine::RunResult& run, const ReportContext& context, JunitForm form)
{
    std::ostringstream out;
    write_junit(out, run, context, form);
    return out.str();
}

void write_junit(std::ostream& out, const engine::RunResult& run, const ReportContext& context, JunitForm form)
{
    const auto& redact = context.redactor;
    std::map<std::string, std::vector<const CaseResult*>> by_operation;
    Counts total;
    for (const auto& r : run.cases) {
        by_operation[r.test_case->operation].push_back(&r);
        count(total, r, context.strict);
    }
    XmlWriter xml(out);
    xml.open("testsuites", {{"name", "vod-conformance"}, {"tests", std::to_string(total.tests)},
                            {"failures", std::to_string(total.failures)}, {"errors", std::to_string(total.errors)},
                            {"time", seconds(run.seconds)}});
    const auto host = hostname();
    for (const auto& [operation, results] : by_operation) {
        Counts counts;
        for (const auto* r : results) {
            count(counts, *r, context.strict);
        }
        const auto classname = "vod." + operation;
        xml.open("testsuite", {{"name", classname}, {"tests", std::to_string(counts.tests)},
                               {"failures", std::to_string(counts.failures)}, {"errors", std::to_string(counts.errors)},
                               {"skipped", std::to_string(counts.skipped)}, {"time", seconds(counts.time)},
                               {"timestamp", utc_timestamp(run.started)}, {"hostname", host}});
        xml.open("properties");
        xml.empty("property", {{"name", "conform.version"}, {"value", CONFORM_VERSION}});
        xml.empty("property", {{"name", "endpoint"}, {"value", redact(context.endpoint)}});
        xml.empty("property", {{"name", "strict"}, {"value", context.strict ? "true" : "false"}});
        if (form == JunitForm::portable) {
            for (const auto* r : results) {
                const auto& c = *r->test_case;
                const auto key = "case." + c.id + ".";
                xml.empty("property", {{"name", key + "file"}, {"value", c.file}});
                xml.empty("property", {{"name", key + "level"}, {"value", contract::to_string(c.level)}});
                xml.empty("property", {{"name", key + "rules"}, {"value", join(c.rules)}});
                xml.empty("property", {{"name", key + "tags"}, {"value", join(c.tags)}});
            }
        }
        xml.close();
        for (const auto* r : results) {
            const auto& c = *r->test_case;
            Attributes attributes = {{"name", c.id}, {"classname", classname}, {"time", seconds(r->seconds)}};
            if (form == JunitForm::extended) {
                attributes.emplace_back("file", c.file);
                attributes.emplace_back("line", std::to_string(c.line));
            }
            xml.open("testcase", attributes);
            if (form == JunitForm::extended) {
                xml.open("properties");
                xml.empty("property", {{"name", "level"}, {"value", contract::to_string(c.level)}});
                xml.empty("property", {{"name", "rules"}, {"value", join(c.rules)}});
                xml.empty("property", {{"name", "tags"}, {"value", join(c.tags)}});
                xml.empty("property", {{"name", "description"}, {"value", c.description}});
                xml.close();
            }
            const auto message = redact(r->message);
            const auto detail = redact(r->detail.empty() ? r->message : r->detail);
            switch (shown_as(*r, context.strict)) {
            case Shown::failure:
                xml.text_element("failure", {{"message", message}, {"type", "ContractDeviation"}}, detail);
                break;
            case Shown::error:
                xml.text_element("error", {{"message", message}, {"type", "NotEvaluated"}}, detail);
                break;
            case Shown::skipped: {
                auto why = r->outcome == Outcome::failed ? "SHOULD not met (gates only with --strict): " + message : message;
                xml.text_element("skipped", {{"message", why}}, r->outcome == Outcome::failed ? detail : why);
                break;
            }
            case Shown::passed: break;
            }
            xml.text_element("system-out", {}, redact(system_out(*r)));
            xml.close();
        }
        xml.close();
    }
    xml.close();
}

JunitReporter::JunitReporter(std::filesystem::path path, ReportContext context, JunitForm form)
    : m_path(std::move(path)), m_context(std::move(context)), m_form(form)
{
}

void JunitReporter::run_finished(const engine::RunResult& run)
{
    write_file_atomically(m_path, [&](std::ostream& out) { write_junit(out, run, m_context, m_form); });
}

}  // namespace conform::report
