#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "contracts.hpp"
#include "judged.hpp"
#include "report/junit.hpp"
#include "report/xml_writer.hpp"

using namespace conform;

namespace {

const std::string k_secret = "tok-SECRET-0123456789";

contract::Case make_case(std::string id, std::string op, contract::Level level)
{
    contract::Case c;
    c.id = std::move(id);
    c.operation = std::move(op);
    c.level = level;
    c.file = "cases/x/" + c.id + ".json";
    c.rules = {"W2", "W1"};
    c.tags = {"smoke"};
    c.description = "a <case> & \"quotes\"";
    return c;
}

struct Fixture {
    std::vector<contract::Case> cases = {
        make_case("W2-pass", "LockWidget", contract::Level::must),
        make_case("W2-fail", "LockWidget", contract::Level::must),
        make_case("W4-should", "LockWidget", contract::Level::should),
        make_case("W1-error", "GetWidget", contract::Level::must),
        make_case("W1-skip", "GetWidget", contract::Level::must),
    };
    engine::RunResult run;

    Fixture()
    {
        auto result = [&](std::size_t i, engine::Outcome o, std::string message) {
            engine::CaseResult r;
            r.test_case = cases[i].summary();
            r.outcome = o;
            r.message = std::move(message);
            r.seconds = 0.0123456;
            return r;
        };
        run.cases.push_back(result(0, engine::Outcome::passed, ""));
        auto failed = result(1, engine::Outcome::failed, "");
        failed.step = engine::StepRef{0, "POST", "/v2/{tenant}/widgets/{{a}}/lock", ""};
        failed.failures.push_back(
            {"W2", "predicate", "/x", "\"\x01\x1b[31m ]]> bad \xff byte, token " + k_secret + "\"", "\"ok\""});
        engine::Exchange ex;
        ex.step = "delete";
        ex.request.method = "POST";
        ex.request.path = "/v2/t1/widgets/w1/lock";
        ex.request.headers.add("X-Widget-Key", "***");
        http::Response response;
        response.status = 500;
        response.body = "echo " + k_secret;
        ex.response = response;
        failed.exchanges.push_back(ex);
        run.cases.push_back(failed);
        auto should = result(2, engine::Outcome::failed, "");
        should.step = engine::StepRef{0, "POST", "/v2/{tenant}/widgets/{{a}}/lock?also={{b}}", ""};
        should.failures.push_back({"W4", "status", "status", "400", "200"});
        run.cases.push_back(should);
        run.cases.push_back(result(3, engine::Outcome::error, "connection refused"));
        auto skipped = result(4, engine::Outcome::skipped, "needs 1 CREATED fixture(s)");
        skipped.cause = engine::Cause::fixtures;
        run.cases.push_back(skipped);
        run.seconds = 1.23456;
        run.started = std::chrono::system_clock::now();
        judge(false);
    }
    // As the run does before its reporters see the results.
    void judge(bool strict) { test_judged::judge(run, strict); }
};

report::ReportContext context(bool strict)
{
    report::ReportContext c;
    c.endpoint = "http://127.0.0.1:1";
    c.run_name = "127.0.0.1";
    c.hostname = "ci-host";
    c.strict = strict;
    c.names = test_contracts::widgets().report_names();  // the contract's data names the suites
    c.redactor.add_secret(k_secret);
    c.rules = {
        {"W2", contract::Level::must, "Locking an idle widget answers 200.", "widgets.openapi.json (LockWidget)", {}},
        {"W4", contract::Level::should, "A lock names who holds it.", "widgets guide", {}}};
    return c;
}

// xmllint's verdict on xml against the Jenkins XSD: "valid", or what it says is wrong. Without
// xmllint the test fails: a check that cannot run must not pass.
std::string xmllint(const std::string& xml, const std::string& name)
{
    if (std::system("command -v xmllint > /dev/null 2>&1") != 0) {
        FAIL(
            "xmllint is not on PATH: install libxml2-utils (scripts/install-deps.sh); the JUnit XSD checks cannot run");
    }
    auto path = std::string(CONFORM_TEST_OUTPUT) + "/" + name;
    std::ofstream(path) << xml;
    auto command =
        "xmllint --noout --schema " CONFORM_TEST_DATA "/jenkins-junit-10.xsd " + path + " > " + path + ".log 2>&1";
    int status = std::system(command.c_str());
    std::ifstream log(path + ".log");
    std::stringstream text;
    text << log.rdbuf();
    return status == 0 ? "valid" : text.str();
}

}  // namespace

TEST_CASE("the portable report validates against the Jenkins xUnit XSD, hostile text included", "[junit]")
{
    Fixture f;
    auto xml = report::junit_xml(f.run, context(false), report::JunitForm::portable);
    CHECK(xmllint(xml, "portable.xml") == "valid");
    CHECK(xml.find(k_secret) == std::string::npos);
    CHECK(xml.find("]]>") == std::string::npos);
    CHECK_THAT(xml, Catch::Contains("<testsuite name=\"widgets.LockWidget (127.0.0.1)\" tests=\"3\" failures=\"1\" "
                                    "errors=\"0\" skipped=\"1\""));
    CHECK_THAT(xml, Catch::Contains("time=\"0.012\""));
    CHECK_THAT(xml,
               Catch::Contains(
                   "<skipped message=\"SHOULD not met (gates only with --strict): [W4] status: got 400, expected 200 "
                   "(step 1, POST /v2/{tenant}/widgets/{{a}}/lock?also={{b}})\" type=\"should-not-met\""));
    CHECK_THAT(xml, Catch::Contains("<error message=\"connection refused\" type=\"NotEvaluated\""));
}

TEST_CASE("strict mode reports SHOULD deviations as failures", "[junit]")
{
    Fixture f;
    f.judge(true);
    auto xml = report::junit_xml(f.run, context(true), report::JunitForm::portable);
    CHECK_THAT(xml, Catch::Contains("failures=\"2\""));
    CHECK(xmllint(xml, "strict.xml") == "valid");
}

TEST_CASE("the extended report adds testcase file, line and properties", "[junit]")
{
    Fixture f;
    auto xml = report::junit_xml(f.run, context(false), report::JunitForm::extended);
    CHECK_THAT(xml, Catch::Contains("file=\"cases/x/W2-pass.json\" line=\"1\""));
    CHECK_THAT(xml, Catch::Contains("<property name=\"rules\" value=\"W2,W1\"/>"));
    CHECK_THAT(xml, Catch::Contains("hostname=\"ci-host\""));
    CHECK(xml.find(k_secret) == std::string::npos);
    // By design: the XSD allows neither, which is why this form is opt-in.
    const auto verdict = xmllint(xml, "extended.xml");
    CHECK_THAT(verdict, Catch::Contains("attribute 'file'") && Catch::Contains("fails to validate"));
}

TEST_CASE("xml_safe writes what XML 1.0 forbids as \\xHH, losslessly, and keeps valid UTF-8", "[junit]")
{
    // Issue 13 (3): these became U+FFFD, which lost the bytes and crashed xunit-viewer.
    CHECK(report::xml_safe("ok \xe4\xb8\x80") == "ok \xe4\xb8\x80");
    CHECK(report::xml_safe("a\x01z") == "a\\x01z");
    CHECK(report::xml_safe("\xff") == "\\xff");
    CHECK(report::xml_safe("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a UTF-16 surrogate
    CHECK(report::xml_safe("\xef\xbf\xbe") == "\\xef\\xbf\\xbe");  // U+FFFE: UTF-8, not an XML character
    CHECK(report::escape_attribute("a\"b\nc") == "a&quot;b&#10;c");
    CHECK(report::escape_text("x]]>y") == "x]]&gt;y");
    // Issue 20 (1): C1 controls (U+0085, U+009B) and DEL went into the XML raw.
    const std::string c1 = "a\xc2\x85"
                           "b \xc2\x9b"
                           "31m \x7f \xc2\xa0";  // U+00A0 is no control
    CHECK(report::xml_safe(c1) == R"(a\xc2\x85b \xc2\x9b31m \x7f )"
                                  "\xc2\xa0");
}

TEST_CASE("no text an endpoint sent spells a reader's directive, in any XML the reports write", "[junit][hostile]")
{
    // Issue 20 (1): test-results-parser and Jenkins read [[ATTACHMENT|path]] in <system-out>.
    CHECK(report::without_directives("[[ATTACHMENT|/etc/hostname]]") == "[\\x5bATTACHMENT|/etc/hostname]]");
    CHECK(report::without_directives("[[[PROPERTY|a=b]]") == "[\\x5b\\x5bPROPERTY|a=b]]");
    CHECK(report::without_directives("[a] [ [] ]]") == "[a] [ [] ]]");
    for (const auto* text : {"[[ATTACHMENT|/etc/hostname]]", "x[[[[y", "[\n[ [[\x1b"}) {
        const auto escaped = report::escape_text(text) + report::escape_attribute(text);
        INFO(text);
        CHECK(escaped.find("[[") == std::string::npos);
    }
}

TEST_CASE("terminal_safe leaves no control character but newline and tab, nor a bidi override", "[console][hostile]")
{
    // Issue 20 (2): ESC, BEL and C1 from a body that was not JSON reached the FAIL line raw.
    CHECK(report::terminal_safe("\x1b[2J\x1b]0;t\x07 \xc2\x9b"
                                "31m \x9b\r\b\tx\n") == "\\x1b[2J\\x1b]0;t\\x07 \\xc2\\x9b"
                                                        "31m \\x9b\\x0d\\x08\tx\n");
    CHECK(report::terminal_safe("\xe2\x80\xae"
                                "abc") == "\\xe2\\x80\\xae"
                                          "abc");  // U+202E
    CHECK(report::terminal_safe("ok \xe4\xb8\x80 \xc3\xa9") == "ok \xe4\xb8\x80 \xc3\xa9");
}

TEST_CASE("the report file is written atomically and a failed write names the path", "[junit]")
{
    Fixture f;
    auto path = std::filesystem::path(CONFORM_TEST_OUTPUT) / "nested" / "junit.xml";
    report::JunitReporter reporter(path, context(false), report::JunitForm::portable);
    for (const auto& r : f.run.cases) {
        reporter.case_finished(r);
    }
    reporter.run_finished(f.run);
    CHECK(report::junit_xml(f.run, context(false), report::JunitForm::portable) == [&] {
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }());  // streamed through spool files or built in memory: the same report
    CHECK(std::filesystem::file_size(path) > 0);
    CHECK(std::distance(std::filesystem::directory_iterator(path.parent_path()), {}) == 1);  // no temp file left
    CHECK_THROWS_WITH(report::JunitReporter("/proc/forbidden/junit.xml", context(false), report::JunitForm::portable)
                          .run_finished(f.run),
                      Catch::Contains("/proc/forbidden"));
}

// Issue 13: each of the JUnit defects it lists, one test each.

TEST_CASE("an interrupted run: cut-off and unrun cases are errors, and each suite says so", "[junit]")
{
    // Issue 20 (3): unrun cases were skips, and readers showed a suite of skips as passed.
    Fixture f;
    f.run.interrupted = true;
    auto& cut = f.run.cases[0];
    cut.outcome = engine::Outcome::error;
    cut.cause = engine::Cause::interrupted;
    cut.message = "cut off: the run was interrupted during this case";
    cut.step = engine::StepRef{0, "POST", "/x", ""};
    auto& unrun = f.run.cases[4];
    unrun.outcome = engine::Outcome::error;  // as the engine marks a case it did not start
    unrun.cause = engine::Cause::interrupted;
    unrun.message = "not run: the run was interrupted";
    f.judge(false);
    auto xml = report::junit_xml(f.run, context(false), report::JunitForm::portable);
    CHECK_THAT(xml, Catch::Contains("<error message=\"cut off: the run was interrupted during this case (step 1, POST "
                                    "/x)\" type=\"Interrupted\">"));
    CHECK_THAT(xml, Catch::Contains("<error message=\"not run: the run was interrupted\" type=\"Interrupted\">"));
    CHECK_THAT(xml, !Catch::Contains("<skipped message=\"not run"));
    CHECK_THAT(xml, Catch::Contains("<property name=\"interrupted\" value=\"true\"/>"));
    CHECK_THAT(xml, Catch::Contains("of this suite not run, 1 cut off"));
    CHECK_THAT(xml, Catch::Contains("the run was interrupted: 1 case(s) of this suite not run"));
    CHECK_THAT(xml,
               Catch::Contains("<testsuites name=\"widgets-conformance\" tests=\"5\" failures=\"1\" errors=\"3\""));
    CHECK(xmllint(xml, "interrupted.xml") == "valid");
}

TEST_CASE("a failure leads with the rule and the deviation, then gives the rule's text and source", "[junit]")
{
    Fixture f;
    auto xml = report::junit_xml(f.run, context(false), report::JunitForm::portable);
    CHECK_THAT(xml, Catch::Contains(
                        "<failure message=\"[W2] /x: got &quot;\\x01\\x1b[31m ]]&gt; bad \\xff byte, token ***&quot;, "
                        "expected &quot;ok&quot; (step 1, POST /v2/{tenant}/widgets/{{a}}/lock)\""));
    CHECK_THAT(xml, Catch::Contains(
                        "W2 (MUST): Locking an idle widget answers 200.\n  source: widgets.openapi.json (LockWidget)"));
    CHECK(xml.find("\xEF\xBF\xBD") == std::string::npos);
}

TEST_CASE("the portable form keeps suite properties lean: no per-case properties", "[junit]")
{
    Fixture f;
    auto xml = report::junit_xml(f.run, context(false), report::JunitForm::portable);
    CHECK(xml.find("name=\"case.") == std::string::npos);
    CHECK_THAT(xml, Catch::Contains("<property name=\"run.name\" value=\"127.0.0.1\"/>"));
    // The case's file, level, rules and tags stay in its system-out.
    CHECK_THAT(xml, Catch::Contains("file: cases/x/W2-fail.json\nlevel: MUST\nrules: W2,W1\ntags: smoke"));
}

TEST_CASE("testcases come in contract order whatever order cases finished in", "[junit]")
{
    Fixture f;
    auto path = std::filesystem::path(CONFORM_TEST_OUTPUT) / "order" / "junit.xml";
    report::JunitReporter reporter(path, context(false), report::JunitForm::portable);
    for (auto it = f.run.cases.rbegin(); it != f.run.cases.rend(); ++it) {
        reporter.case_finished(*it);
    }
    reporter.run_finished(f.run);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    const auto xml = text.str();
    CHECK(xml == report::junit_xml(f.run, context(false), report::JunitForm::portable));
    CHECK(xml.find("name=\"W2-pass\"") < xml.find("name=\"W2-fail\""));
    CHECK(xml.find("name=\"W2-fail\"") < xml.find("name=\"W4-should\""));
    CHECK(xml.find("name=\"W4-should\"") < xml.find("name=\"W1-error\""));
}

TEST_CASE("skips are typed: SHOULD not met, fixture missing, interrupted", "[junit]")
{
    Fixture f;
    auto xml = report::junit_xml(f.run, context(false), report::JunitForm::portable);
    CHECK_THAT(xml, Catch::Contains("type=\"should-not-met\""));
    CHECK_THAT(xml, Catch::Contains("<skipped message=\"needs 1 CREATED fixture(s)\" type=\"fixture-missing\">"));
}

TEST_CASE("suite time is wall time, not the sum of cases that ran in parallel", "[junit]")
{
    Fixture f;
    for (auto& r : f.run.cases) {
        r.started = 0.5;  // all at once, on parallel workers
        r.seconds = 2;
    }
    f.run.seconds = 2.6;
    auto xml = report::junit_xml(f.run, context(false), report::JunitForm::portable);
    // LockWidget: three cases of 2 s side by side took 2 s, not 6.
    CHECK_THAT(xml, Catch::Contains("<testsuite name=\"widgets.LockWidget (127.0.0.1)\" tests=\"3\" failures=\"1\" "
                                    "errors=\"0\" skipped=\"1\" time=\"2.000\""));
    CHECK_THAT(xml,
               Catch::Contains(
                   "<testsuites name=\"widgets-conformance\" tests=\"5\" failures=\"1\" errors=\"1\" time=\"2.600\""));
}

TEST_CASE("the run name tells merged reports apart", "[junit]")
{
    Fixture f;
    auto a = context(false);
    a.run_name = "staging";
    auto xml = report::junit_xml(f.run, a, report::JunitForm::portable);
    CHECK_THAT(xml, Catch::Contains("<testsuite name=\"widgets.LockWidget (staging)\""));
    CHECK_THAT(xml, Catch::Contains("<property name=\"run.name\" value=\"staging\"/>"));
}

TEST_CASE("closing an element when none is open is an error, not undefined behaviour", "[junit]")
{
    std::ostringstream out;
    report::XmlWriter xml(out, 0, false);
    CHECK_THROWS_WITH(xml.close(), "XmlWriter::close: no element is open");
    xml.open("a");
    xml.close();
    CHECK_THROWS_AS(xml.close(), std::logic_error);
    CHECK(out.str() == "<a>\n</a>\n");
}
