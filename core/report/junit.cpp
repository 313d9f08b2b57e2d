#include "report/junit.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <ctime>
#include <map>
#include <sstream>

#include <unistd.h>

#include "report/atomic_file.hpp"
#include "report/xml_writer.hpp"

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

// Builds the report one case at a time: each <testcase> (and, in the portable form, the case's
// suite properties) is rendered into its suite's spool as the case finishes, so a long run does
// not keep every exchange in memory; finish() then writes the suites around the spools.
class JunitBuilder {
public:
    using SpoolFactory = std::function<std::unique_ptr<std::iostream>()>;

    JunitBuilder(const ReportContext& context, JunitForm form, SpoolFactory spools)
        : m_context(context), m_form(form), m_spools(std::move(spools))
    {
    }

    void add(const CaseResult& r)
    {
        const auto& c = *r.test_case;
        auto& suite = m_suites[c.operation];
        if (!suite.cases) {
            suite.cases = m_spools();
            suite.properties = m_spools();
        }
        count(suite.counts, r, m_context.strict);
        count(m_total, r, m_context.strict);
        const auto& redact = m_context.redactor;
        if (m_form == JunitForm::portable) {
            XmlWriter props(*suite.properties, 3, false);
            const auto key = "case." + c.id + ".";
            props.empty("property", {{"name", key + "file"}, {"value", c.file}});
            props.empty("property", {{"name", key + "level"}, {"value", contract::to_string(c.level)}});
            props.empty("property", {{"name", key + "rules"}, {"value", join(c.rules)}});
            props.empty("property", {{"name", key + "tags"}, {"value", join(c.tags)}});
        }
        XmlWriter xml(*suite.cases, 2, false);
        Attributes attributes = {{"name", c.id}, {"classname", "vod." + c.operation}, {"time", seconds(r.seconds)}};
        if (m_form == JunitForm::extended) {
            attributes.emplace_back("file", c.file);
            attributes.emplace_back("line", std::to_string(c.line));
        }
        xml.open("testcase", attributes);
        if (m_form == JunitForm::extended) {
            xml.open("properties");
            xml.empty("property", {{"name", "level"}, {"value", contract::to_string(c.level)}});
            xml.empty("property", {{"name", "rules"}, {"value", join(c.rules)}});
            xml.empty("property", {{"name", "tags"}, {"value", join(c.tags)}});
            xml.empty("property", {{"name", "description"}, {"value", c.description}});
            xml.close();
        }
        const auto message = redact(r.message);
        const auto detail = redact(r.detail.empty() ? r.message : r.detail);
        switch (shown_as(r, m_context.strict)) {
        case Shown::failure:
            xml.text_element("failure", {{"message", message}, {"type", "ContractDeviation"}}, detail);
            break;
        case Shown::error:
            xml.text_element("error", {{"message", message}, {"type", "NotEvaluated"}}, detail);
            break;
        case Shown::skipped: {
            auto why = r.outcome == Outcome::failed ? "SHOULD not met (gates only with --strict): " + message : message;
            xml.text_element("skipped", {{"message", why}}, r.outcome == Outcome::failed ? detail : why);
            break;
        }
        case Shown::passed: break;
        }
        xml.text_element("system-out", {}, redact(system_out(r)));
        xml.close();
    }

    void finish(std::ostream& out, const engine::RunResult& run)
    {
        XmlWriter xml(out);
        xml.open("testsuites", {{"name", "vod-conformance"}, {"tests", std::to_string(m_total.tests)},
                                {"failures", std::to_string(m_total.failures)}, {"errors", std::to_string(m_total.errors)},
                                {"time", seconds(run.seconds)}});
        const auto host = hostname();
        for (auto& [operation, suite] : m_suites) {
            const auto& n = suite.counts;
            xml.open("testsuite", {{"name", "vod." + operation}, {"tests", std::to_string(n.tests)},
                                   {"failures", std::to_string(n.failures)}, {"errors", std::to_string(n.errors)},
                                   {"skipped", std::to_string(n.skipped)}, {"time", seconds(n.time)},
                                   {"timestamp", utc_timestamp(run.started)}, {"hostname", host}});
            xml.open("properties");
            xml.empty("property", {{"name", "conform.version"}, {"value", CONFORM_VERSION}});
            xml.empty("property", {{"name", "endpoint"}, {"value", m_context.redactor(m_context.endpoint)}});
            xml.empty("property", {{"name", "strict"}, {"value", m_context.strict ? "true" : "false"}});
            xml.empty("property", {{"name", "requests.throttled"}, {"value", std::to_string(run.requests_throttled)}});
            xml.empty("property", {{"name", "quota.wait_seconds"}, {"value", seconds(run.quota_wait_seconds)}});
            copy(*suite.properties, out);
            xml.close();
            copy(*suite.cases, out);
            xml.close();
        }
        xml.close();
    }

private:
    struct Suite {
        Counts counts;
        std::unique_ptr<std::iostream> cases;
        std::unique_ptr<std::iostream> properties;
    };

    static void copy(std::iostream& spool, std::ostream& out)
    {
        spool.flush();
        spool.seekg(0);
        // Inserting an empty streambuf sets failbit on out, which would drop the rest.
        if (spool.peek() != std::char_traits<char>::eof()) {
            out << spool.rdbuf();
        }
    }

    const ReportContext& m_context;
    JunitForm m_form;
    SpoolFactory m_spools;
    std::map<std::string, Suite> m_suites;
    Counts m_total;
};

namespace {

// An anonymous file: unlinked at once, so nothing is left behind whatever happens.
std::unique_ptr<std::iostream> spool_file(const std::filesystem::path& dir)
{
    auto name = (dir / "conform-spool-XXXXXX").string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) {
        throw ReportError("cannot create a spool file in " + dir.string());
    }
    auto stream = std::make_unique<std::fstream>(name, std::ios::in | std::ios::out | std::ios::trunc | std::ios::binary);
    ::close(fd);
    std::filesystem::remove(name);
    if (!*stream) {
        throw ReportError("cannot open the spool file " + name);
    }
    return stream;
}

}  // namespace

std::string junit_xml(const engine::RunResult& run, const ReportContext& context, JunitForm form)
{
    JunitBuilder builder(context, form, [] { return std::make_unique<std::stringstream>(); });
    for (const auto& r : run.cases) {
        builder.add(r);
    }
    std::ostringstream out;
    builder.finish(out, run);
    return out.str();
}

JunitReporter::JunitReporter(std::filesystem::path path, ReportContext context, JunitForm form)
    : m_path(std::move(path)), m_context(std::move(context)),
      m_builder(std::make_unique<JunitBuilder>(m_context, form, [] { return spool_file(std::filesystem::temp_directory_path()); }))
{
}

JunitReporter::~JunitReporter() = default;

void JunitReporter::case_finished(const engine::CaseResult& result)
{
    // Called on the engine's worker threads: a spool failure must not escape there.
    try {
        if (m_error.empty()) {
            m_builder->add(result);
        }
    } catch (const std::exception& e) {
        m_error = e.what();
    }
}

void JunitReporter::run_finished(const engine::RunResult& run)
{
    if (!m_error.empty()) {
        throw ReportError(m_error);
    }
    write_file_atomically(m_path, [&](std::ostream& out) { m_builder->finish(out, run); });
}

}  // namespace conform::report
