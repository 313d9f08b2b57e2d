#include <catch2/catch.hpp>

#include <map>

#include "cli.hpp"
#include "contract/contract.hpp"
#include "contracts.hpp"
#include "generate/generator.hpp"
#include "options.hpp"

using namespace conform;

namespace {

Environment environment(std::map<std::string, std::string> values)
{
    return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
        auto it = values.find(name);
        return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

const Environment k_empty = environment({});

std::string usage_error(const std::vector<std::string>& args, const Environment& env = k_empty)
{
    try {
        parse_options(args, env);
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
                            "--mock-arg=--x"},
                           k_empty);
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

TEST_CASE("credentials on the command line win over the environment, which is read only without them", "[cli]")
{
    const auto env = environment({{"CONFORM_TOKEN", "env-token"},
                                  {"HUAWEICLOUD_SDK_AK", "env-ak"},
                                  {"HUAWEICLOUD_SDK_SK", "env-sk"},
                                  {"HUAWEICLOUD_SDK_PROJECT_ID", "env-project"}});
    // Both kinds in the environment is ambiguous, and said so.
    CHECK(usage_error({"run", "--mock"}, env) == "give either a token or an AK/SK pair, not both");

    auto flagged = parse_options({"run", "--mock", "--token", "flag-token"}, env);
    CHECK(flagged.token == "flag-token");
    CHECK_FALSE(flagged.ak);
    CHECK(flagged.project_id == "env-project");

    auto from_env =
        parse_options({"run", "--mock", "--project-id", "p"}, environment({{"CONFORM_TOKEN", "env-token"}}));
    CHECK(from_env.token == "env-token");
    CHECK(from_env.project_id == "p");

    // The environment is not read for commands that send nothing.
    CHECK_FALSE(parse_options({"list"}, env).token);
}

TEST_CASE("the exit code ranks interrupted over failed over errors over unrun MUST cases", "[cli]")
{
    contract::Case must;
    must.id = "M1";
    must.level = contract::Level::must;
    contract::Case should;
    should.id = "S1";
    should.level = contract::Level::should;
    auto result = [](std::vector<std::pair<const contract::Case*, engine::Outcome>> outcomes) {
        engine::RunResult r;
        for (const auto& [c, outcome] : outcomes) {
            engine::CaseResult cr;
            cr.test_case = c;
            cr.outcome = outcome;
            cr.message = "why";
            r.cases.push_back(cr);
        }
        return r;
    };
    Options o;
    using engine::Outcome;
    CHECK(exit_code(result({{&must, Outcome::passed}, {&should, Outcome::skipped}}), o) == k_exit_ok);
    CHECK(exit_code(result({{&must, Outcome::skipped}}), o) == k_exit_not_run);
    CHECK(exit_code(result({{&must, Outcome::error}, {&should, Outcome::skipped}}), o) == k_exit_not_evaluated);
    CHECK(exit_code(result({{&must, Outcome::failed}, {&should, Outcome::error}}), o) == k_exit_failed);
    // A SHOULD deviation gates only with --strict.
    CHECK(exit_code(result({{&should, Outcome::failed}}), o) == k_exit_ok);
    o.strict = true;
    CHECK(exit_code(result({{&should, Outcome::failed}}), o) == k_exit_failed);
    o.strict = false;
    o.allow_skips = true;
    CHECK(exit_code(result({{&must, Outcome::skipped}}), o) == k_exit_ok);
    auto interrupted = result({{&must, Outcome::failed}});
    interrupted.interrupted = true;
    CHECK(exit_code(interrupted, o) == k_exit_interrupted);
}

TEST_CASE("baseline, diff and shard flags: read, and refused with the flag named", "[cli]")
{
    auto run =
        parse_options({"run", "--mock", "--baseline", "known.json", "--strict-baseline", "--shard=2/4"}, k_empty);
    CHECK(run.baseline == std::filesystem::path("known.json"));
    CHECK(run.strict_baseline);
    REQUIRE(run.shard);
    CHECK(run.shard->index == 2);
    CHECK(run.shard->count == 4);
    CHECK(parse_options({"list", "--shard", "1/2"}, k_empty).shard->count == 2);
    CHECK(usage_error({"run", "--mock", "--strict-baseline"}) == "--strict-baseline needs --baseline FILE");
    CHECK(usage_error({"run", "--mock", "--shard", "3/2"}) ==
          "--shard: '3/2': K must be from 1 to N, and N from 1 to 1000");
    CHECK(usage_error({"run", "--mock", "--shard", "half"}) == "--shard: 'half' is not K/N (e.g. 2/4)");
    CHECK(usage_error({"report", "--from", "r.json", "--shard", "1/2"}) ==
          "unknown option --shard for 'conform report'");
    CHECK(usage_error({"list", "--baseline", "b.json"}) ==
          "--baseline is an option of 'conform run', not of 'conform list'");

    auto baseline = parse_options(
        {"baseline", "--from", "a.json", "--from=b.json", "--reason", "ticket 7", "--output", "out.json"}, k_empty);
    CHECK(baseline.from == std::vector<std::filesystem::path>{"a.json", "b.json"});
    CHECK(baseline.reason == "ticket 7");
    CHECK(baseline.output == std::filesystem::path("out.json"));
    CHECK(usage_error({"baseline"}) == "conform baseline needs --from FILE (results of conform run --json)");
    CHECK(usage_error({"baseline", "--from", "a.json", "--markdown"}) ==
          "unknown option --markdown for 'conform baseline'");

    auto diff = parse_options({"diff", "old.json", "new.json", "--markdown", "--fail-on-drift", "--latency-ratio", "2",
                               "--latency-floor=0.2"},
                              k_empty);
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

TEST_CASE("known deviations do not gate; fixed or expired ones do with --strict-baseline", "[cli]")
{
    contract::Case must;
    must.id = "M1";
    engine::CaseResult r;
    r.test_case = &must;
    r.outcome = engine::Outcome::failed;
    r.baseline = engine::KnownDeviation{engine::KnownDeviation::State::known, "ticket", "", false};
    engine::RunResult run;
    run.cases = {r};
    Options o;
    CHECK(exit_code(run, o) == k_exit_ok);
    run.cases[0].baseline =
        engine::KnownDeviation{engine::KnownDeviation::State::expired, "ticket", "2020-01-01", true};
    CHECK(exit_code(run, o) == k_exit_failed);
    run.cases[0].outcome = engine::Outcome::passed;
    run.cases[0].baseline = engine::KnownDeviation{engine::KnownDeviation::State::fixed, "ticket", "", true};
    CHECK(exit_code(run, o) == k_exit_failed);
    run.cases[0].baseline->gates = false;
    CHECK(exit_code(run, o) == k_exit_ok);
}

TEST_CASE("generated cases are selected with --mock or --generated, and never with --no-generated", "[cli][generate]")
{
    CHECK(usage_error({"lint", "--generated"}) == "unknown option --generated for 'conform lint'");
    CHECK(usage_error({"report", "--from", "r.json", "--generated"}) ==
          "unknown option --generated for 'conform report'");
    CHECK_FALSE(parse_options({"list"}, k_empty).generated);
    CHECK(parse_options({"list", "--generated"}, k_empty).generated == true);
    CHECK(parse_options({"run", "--mock", "--no-generated"}, k_empty).generated == false);

    auto contract = contract::Contract::load(test_contracts::vod_paths());
    contract.add_cases(generate::generate_cases(contract));
    auto count = [&](const std::vector<std::string>& args) {
        const auto selected = select_cases(contract, parse_options(args, k_empty));
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
        select_cases(contract, parse_options({"list", "--case", "gen/C3/status/type-array"}, k_empty));
        FAIL("a generated id was selected without --generated");
    } catch (const util::UsageError& e) {
        CHECK(
            std::string(e.what()) ==
            "--case: no case with id 'gen/C3/status/type-array' (see conform list; generated cases need --generated)");
    }
}
