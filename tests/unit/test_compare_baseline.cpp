#include <catch2/catch.hpp>

#include <fstream>

#include "compare/baseline.hpp"
#include "contract/json_file.hpp"
#include "judge/judge.hpp"
#include "util/atomic_file.hpp"

using namespace conform;

namespace {

nlohmann::json baseline_schema()
{
    return contract::read_json_file(std::filesystem::path(CONFORM_SOURCE_DIR) / "schemas" / "baseline.schema.json");
}

// 2026-12-01T12:00:00Z
const auto k_now = std::chrono::system_clock::from_time_t(1796126400);

struct Fixture {
    contract::Case c;
    engine::CaseResult failed(std::vector<engine::Failure> failures)
    {
        engine::CaseResult r;
        r.test_case = c.summary();
        r.outcome = engine::Outcome::failed;
        r.failures = std::move(failures);
        return r;
    }
    Fixture() { c.id = "W2-locked"; }
};

const engine::Failure k_code{"W2", "predicate", "/code", "\"WIDGET.404\"", "\"WIDGET.409\""};
const engine::Failure k_status{"W2", "status", "status", "200", "409"};

compare::Baseline entries(std::vector<compare::BaselineEntry> list)
{
    return compare::Baseline{std::move(list)};
}

std::string load_error(const std::string& text)
{
    const auto file = std::filesystem::path(CONFORM_TEST_OUTPUT) / "baseline-under-test.json";
    util::write_file_atomically(file, text);
    try {
        compare::load_baseline(file, baseline_schema());
    } catch (const util::FileError& e) {
        return e.what();
    }
    return "(accepted)";
}

// The judge's verdict on r under a baseline.
engine::Verdict judged(engine::CaseResult r, const compare::Baseline& baseline, compare::BaselinePolicy policy)
{
    judge::judge(r, {}, {.strict = false, .baseline = baseline, .known = policy});
    return r.judgement.verdict;
}

}  // namespace

TEST_CASE("a failure is known when an entry matches its case, rule and place", "[compare]")
{
    Fixture f;
    const compare::BaselinePolicy policy{k_now, false};
    auto r = f.failed({k_code});
    auto any = compare::mark(entries({{"W2-locked", "ticket 1", {}, {}, {}}}), r, policy);
    REQUIRE(any);
    CHECK(any->state == engine::KnownDeviation::State::known);
    CHECK(any->reason == "ticket 1");
    CHECK_FALSE(any->gates);
    CHECK(compare::mark(entries({{"W2-locked", "r", "W2", "/code", {}}}), r, policy));
    CHECK_FALSE(compare::mark(entries({{"W2-locked", "r", "W1", {}, {}}}), r, policy));        // another rule
    CHECK_FALSE(compare::mark(entries({{"W2-locked", "r", {}, "/message", {}}}), r, policy));  // another place
    CHECK_FALSE(compare::mark(entries({{"W2-idle", "r", {}, {}, {}}}), r, policy));            // another case
}

TEST_CASE("a case with one failure the baseline does not list is not known", "[compare]")
{
    Fixture f;
    auto r = f.failed({k_code, k_status});
    const compare::BaselinePolicy policy{k_now, false};
    CHECK_FALSE(compare::mark(entries({{"W2-locked", "r", "W2", "/code", {}}}), r, policy));
    CHECK(compare::mark(entries({{"W2-locked", "r", "W2", "/code", {}}, {"W2-locked", "r", {}, "status", {}}}), r,
                        policy));
    // The judge's verdicts follow: known does not gate, an unmarked failure does.
    CHECK(judged(r, entries({{"W2-locked", "r", {}, {}, {}}}), policy) == engine::Verdict::known);
    CHECK(judged(r, entries({{"W2-locked", "r", "W2", "/code", {}}}), policy) == engine::Verdict::failed);
}

TEST_CASE("an entry holds through its date and expires the next day (UTC)", "[compare]")
{
    Fixture f;
    auto r = f.failed({k_code});
    auto with_date = [](const std::string& date) { return entries({{"W2-locked", "until the fix", {}, {}, date}}); };
    const compare::BaselinePolicy lenient{k_now, false}, strict{k_now, true};
    CHECK(compare::mark(with_date("2026-12-01"), r, lenient)->state == engine::KnownDeviation::State::known);
    const auto lapsed = compare::mark(with_date("2026-11-30"), r, lenient);
    CHECK(lapsed->state == engine::KnownDeviation::State::expired);
    CHECK(lapsed->expires == "2026-11-30");
    CHECK_FALSE(lapsed->gates);
    CHECK(compare::mark(with_date("2026-11-30"), r, strict)->gates);
    CHECK(judged(r, with_date("2026-11-30"), strict) == engine::Verdict::failed);
    CHECK(judged(r, with_date("2026-11-30"), lenient) == engine::Verdict::known);
    // A live entry matching the same failure wins over an expired one.
    auto both = with_date("2026-11-30");
    both.entries.push_back({"W2-locked", "renewed", {}, {}, "2027-01-31"});
    CHECK(compare::mark(both, r, lenient)->state == engine::KnownDeviation::State::known);
}

TEST_CASE("a listed case that passes is fixed, and gates only with --strict-baseline", "[compare]")
{
    Fixture f;
    engine::CaseResult r;
    r.test_case = f.c.summary();
    r.outcome = engine::Outcome::passed;
    const auto b = entries({{"W2-locked", "ticket 1", {}, {}, {}}});
    auto fixed = compare::mark(b, r, {k_now, false});
    CHECK(fixed->state == engine::KnownDeviation::State::fixed);
    CHECK(judged(r, b, {k_now, false}) == engine::Verdict::passed);
    CHECK(judged(r, b, {k_now, true}) == engine::Verdict::failed);
    // Errors and skips say nothing of the deviation: no mark.
    r.outcome = engine::Outcome::error;
    CHECK_FALSE(compare::mark(b, r, {k_now, true}));
    r.outcome = engine::Outcome::skipped;
    CHECK_FALSE(compare::mark(b, r, {k_now, true}));
}

TEST_CASE("a baseline made from a run lists each failed case's rules and places once", "[compare]")
{
    Fixture f;
    contract::Case other;
    other.id = "W1-pass";
    engine::RunResult run;
    run.cases.push_back(f.failed({k_code, k_code, k_status}));
    engine::CaseResult passed;
    passed.test_case = other.summary();
    passed.outcome = engine::Outcome::passed;
    run.cases.push_back(passed);
    const auto doc = compare::baseline_json(run, "accepted");
    CHECK(doc["format"] == "conform-baseline/1");
    REQUIRE(doc["known_deviations"].size() == 2);
    CHECK(doc["known_deviations"][0] ==
          nlohmann::json{{"case", "W2-locked"}, {"reason", "accepted"}, {"rule", "W2"}, {"pointer", "/code"}});
    CHECK(doc["known_deviations"][1]["pointer"] == "status");
    // It is a valid baseline, and read back it marks the run's failures known.
    const auto file = std::filesystem::path(CONFORM_TEST_OUTPUT) / "baseline-made.json";
    util::write_file_atomically(file, doc.dump());
    const auto loaded = compare::load_baseline(file, baseline_schema());
    for (auto& r : run.cases) {
        judge::judge(r, {}, {.strict = false, .baseline = loaded, .known = {k_now, false}});
    }
    CHECK(run.cases[0].baseline->state == engine::KnownDeviation::State::known);
    CHECK_FALSE(run.cases[1].baseline);
}

TEST_CASE("a malformed baseline names the file and the JSON pointer", "[compare]")
{
    CHECK_THAT(load_error(R"({"format": "conform-baseline/1", "known_deviations": [{"case": "W1"}]})"),
               Catch::Contains("baseline-under-test.json: /known_deviations/0: ") && Catch::Contains("reason"));
    CHECK_THAT(
        load_error(
            R"({"format": "conform-baseline/1", "known_deviations": [{"case": "W1", "reason": "r", "expires": "1 May"}]})"),
        Catch::Contains("/known_deviations/0/expires: "));
    CHECK_THAT(
        load_error(
            R"({"format": "conform-baseline/1", "known_deviations": [{"case": "W1", "reason": "r", "expires": "2026-02-29"}]})"),
        Catch::Contains("/known_deviations/0/expires: '2026-02-29' is not a date"));
    CHECK(
        load_error(
            R"({"format": "conform-baseline/1", "known_deviations": [{"case": "W1", "reason": "r", "expires": "2028-02-29"}]})") ==
        "(accepted)");
    CHECK_THAT(load_error(R"({"format": "conform-results/1", "known_deviations": []})"),
               Catch::Contains(": /format: "));
    CHECK_THAT(load_error("{\"format\": "), Catch::Contains("baseline-under-test.json"));
}

TEST_CASE("entries naming cases the contract lacks are found", "[compare]")
{
    const auto b =
        entries({{"W2-locked", "r", {}, {}, {}}, {"X9-gone", "r", {}, {}, {}}, {"X9-gone", "again", {}, {}, {}}});
    CHECK(compare::unknown_cases(b, {"W2-locked", "W2-idle"}) == std::vector<std::string>{"X9-gone"});
}
