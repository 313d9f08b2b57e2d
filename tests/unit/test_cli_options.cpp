#include <catch2/catch.hpp>

#include <map>

#include "cli.hpp"
#include "contract/contract.hpp"
#include "contracts.hpp"
#include "generate/generator.hpp"
#include "judged.hpp"
#include "options.hpp"

using namespace conform;

namespace {

std::string usage_error(const std::vector<std::string>& args)
{
    try {
        parse_options(args);
    } catch (const util::UsageError& e) {
        return e.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("each wrong invocation is refused with a message naming the flag", "[cli]")
{
    CHECK(usage_error({}) == "no command given");
    CHECK(usage_error({"fly"}) == "unknown command 'fly'");
    CHECK(usage_error({"run", "--mock", "--level", "MAY"}) == "--level: 'MAY' is neither MUST nor SHOULD");
    CHECK(usage_error({"run", "--mock", "--junit-form", "fancy"}) ==
          "--junit-form: 'fancy' is neither portable nor extended");
    CHECK(usage_error({"run", "--mock", "--jobs", "0"}) == "--jobs: '0' is not a whole number from 1 to 64");
    CHECK(usage_error({"run", "--mock", "--timeout=x"}) == "--timeout: 'x' is not a number from 0.1 to 3600");
    CHECK(usage_error({"run", "--mock", "--rate", "fast"}).starts_with("--rate: "));
    CHECK(usage_error({"run", "--mock", "--junit"}) == "--junit needs a value");
    CHECK(usage_error({"run", "--mock", "--colour"}) == "unknown option --colour");
    CHECK(usage_error({"lint", "--jobs", "2"}) == "unknown option --jobs for 'conform lint'");
    CHECK(usage_error({"list", "--mock"}) == "--mock is an option of 'conform run', not of 'conform list'");
    CHECK(usage_error({"report", "--mock"}) == "unknown option --mock for 'conform report'");
    CHECK(usage_error({"report", "--junit", "r.xml"}) ==
          "conform report needs --from FILE (results of conform run --json)");
    CHECK(usage_error({"run"}) == "give --base-url URL, or --mock to run against the bundled mock");
    CHECK(usage_error({"run", "--base-url", "ftp://h"}) == "--base-url: 'ftp://h' is not an http:// or https:// URL");
    CHECK(usage_error({"run", "--base-url", "http://h:1?u=a@b"}) ==
          "--base-url: has a query or fragment: the suite appends each request's path to the base URL");
    CHECK(usage_error({"run", "--mock", "--base-url", "http://h"}) ==
          "--mock starts its own endpoint and fixtures: drop --base-url and --fixtures");
    CHECK(usage_error({"run", "--mock", "--ak", "a"}) == "--ak and --sk go together");
    CHECK(usage_error({"run", "--mock", "--token", "t", "--ak", "a", "--sk", "s"}) ==
          "give either a token or an AK/SK pair, not both");
    CHECK(usage_error({"run", "--mock", "--cacert", "/nonexistent/ca.pem"}) ==
          "--cacert: /nonexistent/ca.pem not found");
}

TEST_CASE("flags are read into the options, in both spellings", "[cli]")
{
    auto o = parse_options({"run",
                            "--base-url=https://vod.example",
                            "--case",
                            "U1",
                            "--case=U2",
                            "--tag",
                            "state",
                            "--level",
                            "SHOULD",
                            "--jobs",
                            "8",
                            "--rate",
                            "30/3s",
                            "--settle",
                            "0",
                            "--strict",
                            "--junit-form",
                            "extended",
                            "--mock-arg",
                            "--latency-ms=5",
                            "--mock-arg=--x"});
    CHECK(o.command == "run");
    CHECK(o.base_url == "https://vod.example");
    CHECK(o.case_ids == std::set<std::string>{"U1", "U2"});
    CHECK(o.tags == std::set<std::string>{"state"});
    CHECK(o.level == contract::Level::should);
    CHECK(o.jobs == 8);
    REQUIRE(o.rate);
    CHECK(o.settle == 0);
    CHECK(o.strict);
    CHECK(o.junit_form == report::JunitForm::extended);
    CHECK(o.mock_args == std::vector<std::string>{"--latency-ms=5", "--x"});
    CHECK_FALSE(o.token);
}

TEST_CASE("the exit code ranks interrupted over failed over errors over unproven cases, reading verdicts only", "[cli]")
{
    contract::Case must;
    must.id = "M1";
    must.level = contract::Level::must;
    contract::Case should;
    should.id = "S1";
    should.level = contract::Level::should;
    using engine::Cause;
    using engine::Outcome;
    auto result = [](std::vector<std::pair<const contract::Case*, Outcome>> outcomes, bool strict = false,
                     Cause cause = Cause::none) {
        engine::RunResult r;
        for (const auto& [c, outcome] : outcomes) {
            engine::CaseResult cr;
            cr.test_case = c->summary();
            cr.outcome = outcome;
            cr.cause = cause;
            cr.message = "why";
            r.cases.push_back(cr);
        }
        test_judged::judge(r, strict);
        return r;
    };
    CHECK(exit_code(result({{&must, Outcome::passed}, {&should, Outcome::skipped}}), false) == k_exit_ok);
    CHECK(exit_code(result({{&must, Outcome::skipped}}), false) == k_exit_not_run);
    CHECK(exit_code(result({{&must, Outcome::error}, {&should, Outcome::skipped}}), false) == k_exit_not_evaluated);
    CHECK(exit_code(result({{&must, Outcome::failed}, {&should, Outcome::error}}), false) == k_exit_failed);
    // A SHOULD deviation gates only with --strict; so does a SHOULD case not run.
    CHECK(exit_code(result({{&should, Outcome::failed}}), false) == k_exit_ok);
    CHECK(exit_code(result({{&should, Outcome::failed}}, true), false) == k_exit_failed);
    CHECK(exit_code(result({{&should, Outcome::skipped}}, true), false) == k_exit_not_run);
    CHECK(exit_code(result({{&must, Outcome::skipped}}), true) == k_exit_ok);  // --allow-skips
    auto interrupted = result({{&must, Outcome::failed}});
    interrupted.interrupted = true;
    CHECK(exit_code(interrupted, false) == k_exit_interrupted);
    // Not applicable to the credentials: no gap. Its premise lost, or inconclusive: a gap, as a
    // case not run is (MUST, or any with --strict).
    CHECK(exit_code(result({{&must, Outcome::skipped}}, false, Cause::not_applicable), false) == k_exit_ok);
    CHECK(exit_code(result({{&must, Outcome::skipped}}, false, Cause::premise_lost), false) == k_exit_not_run);
    CHECK(exit_code(result({{&should, Outcome::skipped}}, false, Cause::premise_lost), false) == k_exit_ok);
    CHECK(exit_code(result({{&must, Outcome::inconclusive}}), false) == k_exit_not_run);
    CHECK(exit_code(result({{&should, Outcome::inconclusive}}), false) == k_exit_ok);
    CHECK(exit_code(result({{&should, Outcome::inconclusive}}, true), false) == k_exit_not_run);
    CHECK(exit_code(result({{&must, Outcome::inconclusive}}), true) == k_exit_ok);
    // Only the verdict counts: a result whose judgement says passed does not gate, whatever its outcome.
    auto overruled = result({{&must, Outcome::failed}});
    overruled.cases[0].judgement.verdict = engine::Verdict::passed;
    CHECK(exit_code(overruled, false) == k_exit_ok);
}

TEST_CASE("baseline, diff and shard flags: read, and refused with the flag named", "[cli]")
{
    auto run = parse_options({"run", "--mock", "--baseline", "known.json", "--strict-baseline", "--shard=2/4"});
    CHECK(run.baseline == std::filesystem::path("known.json"));
    CHECK(run.strict_baseline);
    REQUIRE(run.shard);
    CHECK(run.shard->index == 2);
    CHECK(run.shard->count == 4);
    CHECK(parse_options({"list", "--shard", "1/2"}).shard->count == 2);
    CHECK(usage_error({"run", "--mock", "--strict-baseline"}) == "--strict-baseline needs --baseline FILE");
    CHECK(usage_error({"run", "--mock", "--shard", "3/2"}) ==
          "--shard: '3/2': K must be from 1 to N, and N from 1 to 1000");
    CHECK(usage_error({"run", "--mock", "--shard", "half"}) == "--shard: 'half' is not K/N (e.g. 2/4)");
    CHECK(usage_error({"report", "--from", "r.json", "--shard", "1/2"}) ==
          "unknown option --shard for 'conform report'");
    CHECK(usage_error({"list", "--baseline", "b.json"}) ==
          "--baseline is an option of 'conform run', not of 'conform list'");

    auto baseline = parse_options(
        {"baseline", "--from", "a.json", "--from=b.json", "--reason", "ticket 7", "--output", "out.json"});
    CHECK(baseline.from == std::vector<std::filesystem::path>{"a.json", "b.json"});
    CHECK(baseline.reason == "ticket 7");
    CHECK(baseline.output == std::filesystem::path("out.json"));
    CHECK(usage_error({"baseline"}) == "conform baseline needs --from FILE (results of conform run --json)");
    CHECK(usage_error({"baseline", "--from", "a.json", "--markdown"}) ==
          "unknown option --markdown for 'conform baseline'");

    auto diff = parse_options({"diff", "old.json", "new.json", "--markdown", "--fail-on-drift", "--latency-ratio", "2",
                               "--latency-floor=0.2"});
    CHECK(diff.compared == std::vector<std::filesystem::path>{"old.json", "new.json"});
    CHECK(diff.drift_markdown);
    CHECK(diff.fail_on_drift);
    CHECK(diff.latency_ratio == 2);
    CHECK(diff.latency_floor == 0.2);
    CHECK(usage_error({"diff", "old.json"}) ==
          "conform diff needs two results files, OLD.json NEW.json (of conform run --json)");
    CHECK(usage_error({"diff", "a", "b", "c"}) ==
          "conform diff needs two results files, OLD.json NEW.json (of conform run --json)");
    CHECK(usage_error({"diff", "a", "b", "--latency-ratio", "0.5"}) ==
          "--latency-ratio: '0.5' is not a number from 1 to 1000");
    CHECK(usage_error({"diff", "a", "b", "--from", "x"}) == "unknown option --from for 'conform diff'");
}

TEST_CASE("generated cases are selected with --mock or --generated, and never with --no-generated", "[cli][generate]")
{
    CHECK(usage_error({"lint", "--generated"}) == "unknown option --generated for 'conform lint'");
    CHECK(usage_error({"report", "--from", "r.json", "--generated"}) ==
          "unknown option --generated for 'conform report'");
    CHECK_FALSE(parse_options({"list"}).generated);
    CHECK(parse_options({"list", "--generated"}).generated == true);
    CHECK(parse_options({"run", "--mock", "--no-generated"}).generated == false);

    auto contract = contract::Contract::load(test_contracts::vod_paths());
    contract.add_cases(generate::generate_cases(contract));
    auto count = [&](const std::vector<std::string>& args) {
        const auto selected = select_cases(contract, parse_options(args));
        return std::count_if(selected.begin(), selected.end(), [](const contract::Case* c) { return c->generated; });
    };
    const auto all =
        std::count_if(contract.cases().begin(), contract.cases().end(), [](const auto& c) { return c.generated; });
    CHECK(all >= 60);
    CHECK(count({"list"}) == 0);
    CHECK(count({"list", "--generated"}) == all);
    CHECK(count({"run", "--base-url", "https://h", "--project-id", "p"}) == 0);
    CHECK(count({"run", "--base-url", "https://h", "--project-id", "p", "--generated"}) == all);
    CHECK(count({"run", "--mock"}) == all);
    CHECK(count({"run", "--mock", "--no-generated"}) == 0);
    CHECK(count({"run", "--mock", "--case", "gen/C3/status/type-array"}) == 1);
    try {
        select_cases(contract, parse_options({"list", "--case", "gen/C3/status/type-array"}));
        FAIL("a generated id was selected without --generated");
    } catch (const util::UsageError& e) {
        CHECK(
            std::string(e.what()) ==
            "--case: no case with id 'gen/C3/status/type-array' (see conform list; generated cases need --generated)");
    }
}
