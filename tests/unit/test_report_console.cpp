#include <catch2/catch.hpp>

#include <cstdio>

#include "judged.hpp"
#include "report/console.hpp"
#include "report/junit.hpp"

using namespace conform;

namespace {

std::string read_back(std::FILE* f)
{
    std::fflush(f);
    std::rewind(f);
    std::string out;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) {
        out.append(buffer, n);
    }
    std::fclose(f);
    return out;
}

contract::Case make_case(std::string id, contract::Level level)
{
    contract::Case c;
    c.id = std::move(id);
    c.operation = "LockWidget";
    c.level = level;
    return c;
}

}  // namespace

TEST_CASE("the console prints a line per case, the reason below, a summary, and no secret", "[console]")
{
    auto must = make_case("W2-a", contract::Level::must);
    auto should = make_case("W4-b", contract::Level::should);
    engine::CaseResult passed;
    passed.test_case = must.summary();
    passed.outcome = engine::Outcome::passed;
    passed.seconds = 0.0042;
    engine::CaseResult warned;
    warned.test_case = should.summary();
    warned.outcome = engine::Outcome::failed;
    warned.failures = {{"W4", "predicate", "/echo", "\"token sekrit-0123\"", "\"x\""}};
    warned.step = engine::StepRef{0, "POST", "/v2/{tenant}/widgets/{{a}}/lock", ""};
    warned.seconds = 0.001;
    test_judged::judge(passed);
    test_judged::judge(warned);
    engine::RunResult run;
    run.cases = {passed, warned};
    run.requests_sent = 3;
    run.seconds = 0.5;

    report::ReportContext context;
    context.redactor.add_secret("sekrit-0123");
    std::FILE* plain = std::tmpfile();
    report::ConsoleReporter console(plain, context, false, false);
    console.case_finished(passed);
    console.case_finished(warned);
    console.run_finished(run);
    auto text = read_back(plain);
    CHECK_THAT(text, Catch::Contains("PASS  W2-a MUST 0.004s\n"));
    CHECK_THAT(text, Catch::Contains("WARN  W4-b SHOULD 0.001s\n      [W4] /echo: got \"token ***\", expected \"x\" "
                                     "(step 1, POST /v2/{tenant}/widgets/{{a}}/lock)\n"));
    // A SHOULD miss is a skip in JUnit: the console counts it the same way (issue 13, 2).
    CHECK_THAT(text,
               Catch::Contains("\n1 passed, 0 failed, 0 errors, 1 skipped (1 SHOULD not met) (3 requests, 0.500 s)\n"));
    CHECK(text.find("sekrit") == std::string::npos);
    CHECK(text.find('\x1b') == std::string::npos);

    std::FILE* coloured = std::tmpfile();
    report::ConsoleReporter colour(coloured, context, true, false);
    colour.case_finished(passed);
    CHECK_THAT(read_back(coloured), Catch::StartsWith("\x1b[32mPASS \x1b[0m"));
}

TEST_CASE("the console and JUnit count a run alike", "[console]")
{
    auto must = make_case("W2-a", contract::Level::must);
    auto should = make_case("W4-b", contract::Level::should);
    std::vector<engine::CaseResult> results(4);
    results[0].test_case = must.summary();
    results[0].outcome = engine::Outcome::passed;
    results[1].test_case = should.summary();
    results[1].outcome = engine::Outcome::failed;
    results[2].test_case = must.summary();
    results[2].outcome = engine::Outcome::skipped;
    results[3].test_case = must.summary();
    results[3].outcome = engine::Outcome::error;
    for (bool strict : {false, true}) {
        engine::RunResult run;
        run.cases = results;
        test_judged::judge(run, strict);
        report::ReportContext context;
        context.strict = strict;
        std::FILE* out = std::tmpfile();
        report::ConsoleReporter console(out, context, false, false);
        console.run_finished(run);
        auto text = read_back(out);
        auto xml = report::junit_xml(run, context, report::JunitForm::portable);
        if (strict) {
            CHECK_THAT(text, Catch::Contains("1 passed, 1 failed, 1 errors, 1 skipped ("));
            CHECK_THAT(xml, Catch::Contains("tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\""));
        } else {
            CHECK_THAT(text, Catch::Contains("1 passed, 0 failed, 1 errors, 2 skipped (1 SHOULD not met) ("));
            CHECK_THAT(xml, Catch::Contains("tests=\"4\" failures=\"0\" errors=\"1\" skipped=\"2\""));
        }
    }
}

TEST_CASE("on a terminal a progress line follows the case lines; elsewhere there is none", "[console]")
{
    auto must = make_case("W2-a", contract::Level::must);
    engine::CaseResult passed;
    passed.test_case = must.summary();
    passed.outcome = engine::Outcome::passed;
    passed.exchanges.resize(2);
    test_judged::judge(passed);
    engine::RunResult run;
    run.cases = {passed, passed};

    std::FILE* tty = std::tmpfile();
    report::ConsoleReporter live(tty, {}, false, false, true, 2);
    live.case_finished(passed);
    live.case_finished(passed);
    live.run_finished(run);
    auto text = read_back(tty);
    CHECK_THAT(text, Catch::Contains("[1/2] 2 requests, 0 s, about 0 s left"));
    CHECK_THAT(text, Catch::Contains("\r\x1b[2KPASS  W2-a MUST"));  // the status line is erased before a case line
    CHECK_THAT(text, Catch::Contains("[2/2] 4 requests"));
    CHECK_THAT(text, Catch::Contains("\r\x1b[2K\noperation"));  // and before the summary

    std::FILE* plain = std::tmpfile();
    report::ConsoleReporter lines(plain, {}, false, false, false, 2);
    lines.case_finished(passed);
    lines.run_finished(run);
    auto plain_text = read_back(plain);
    CHECK(plain_text.find('\r') == std::string::npos);
    CHECK(plain_text.find("requests, ") == plain_text.rfind("requests, "));  // only the summary's
}
