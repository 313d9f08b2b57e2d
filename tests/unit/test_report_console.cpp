#include <catch2/catch.hpp>

#include <cstdio>

#include "report/console.hpp"

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
    c.operation = "DeleteAssets";
    c.level = level;
    return c;
}

}  // namespace

TEST_CASE("the console prints a line per case, the reason below, a summary, and no secret", "[console]")
{
    auto must = make_case("D1-a", contract::Level::must);
    auto should = make_case("D8-b", contract::Level::should);
    engine::CaseResult passed{&must, engine::Outcome::passed, "", "", {}, 0.0042};
    engine::CaseResult warned{&should, engine::Outcome::failed, "step 1: token sekrit-0123 echoed", "", {}, 0.001};
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
    CHECK_THAT(text, Catch::Contains("PASS  D1-a MUST 0.004s\n"));
    CHECK_THAT(text, Catch::Contains("WARN  D8-b SHOULD 0.001s\n      step 1: token *** echoed\n"));
    CHECK_THAT(text, Catch::Contains("\n1 passed, 1 failed, 0 errors, 0 skipped (3 requests, 0.500 s)\n"));
    CHECK(text.find("sekrit") == std::string::npos);
    CHECK(text.find('\x1b') == std::string::npos);

    std::FILE* coloured = std::tmpfile();
    report::ConsoleReporter colour(coloured, context, true, false);
    colour.case_finished(passed);
    CHECK_THAT(read_back(coloured), Catch::StartsWith("\x1b[32mPASS \x1b[0m"));
}
