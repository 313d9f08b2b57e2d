#include <catch2/catch.hpp>

#include <deque>

#include "compare/diff.hpp"
#include "compare/drift_text.hpp"
#include "judge/judge.hpp"

using namespace conform;
using Kind = compare::OutcomeChange::Kind;

namespace {

// Two runs of the same cases, built up by each test.
struct Runs {
    std::deque<contract::Case> cases;
    engine::RunResult before, after;

    const contract::Case* add_case(const std::string& id, const std::string& operation = "LockWidget")
    {
        contract::Case c;
        c.id = id;
        c.operation = operation;
        contract::Step step;
        step.name = "step of " + id;
        step.request.operation = operation;
        c.steps = {step};
        cases.push_back(c);
        return &cases.back();
    }
};

engine::CaseResult result(const contract::Case* c, engine::Outcome outcome, std::vector<engine::Failure> failures = {})
{
    engine::CaseResult r;
    r.test_case = c->summary();
    r.outcome = outcome;
    r.failures = std::move(failures);
    if (!r.failures.empty()) {
        r.step = engine::StepRef{0, "POST", "/x", ""};
    }
    return r;
}

engine::Exchange exchange(int status, std::optional<std::size_t> matched, engine::Shape shape, double seconds = 0.01)
{
    engine::Exchange ex;
    ex.step = "step";
    ex.request.method = "POST";
    ex.request.path = "/v2/t1/widgets/w1/lock";
    ex.response = http::Response{status, {}, "{}"};
    ex.matched = matched;
    ex.shape = std::move(shape);
    ex.seconds = seconds;
    return ex;
}

// The runs as the runner hands them on: judged, with the one known deviation these tests use.
compare::Drift diff(const Runs& runs, compare::DriftOptions options = {})
{
    judge::Policy policy;
    policy.baseline.entries = {{"W2-known", "ticket", std::nullopt, std::nullopt, std::nullopt}};
    auto before = runs.before, after = runs.after;
    for (auto* run : {&before, &after}) {
        for (auto& r : run->cases) {
            judge::judge(r, {}, policy);
        }
    }
    return compare::diff({before}, {after}, options);
}

const engine::Failure k_code_failure{"W2", "predicate", "/code", "\"A\"", "\"B\""};
const engine::Failure k_status_failure{"W2", "status", "status", "200", "409"};

}  // namespace

TEST_CASE("outcome changes: regressions, fixes, other failures, cases added and removed", "[diff]")
{
    Runs runs;
    const auto* regressed = runs.add_case("A1-regressed");
    const auto* fixed = runs.add_case("A2-fixed");
    const auto* other = runs.add_case("A3-other-failure");
    const auto* same = runs.add_case("A4-same-failure");
    const auto* gone = runs.add_case("A5-removed");
    const auto* fresh = runs.add_case("A6-added");
    const auto* fresh_failing = runs.add_case("A7-added-failing");
    const auto* skipped = runs.add_case("A8-now-skipped");
    runs.before.cases = {result(regressed, engine::Outcome::passed),
                         result(fixed, engine::Outcome::failed, {k_code_failure}),
                         result(other, engine::Outcome::failed, {k_code_failure}),
                         result(same, engine::Outcome::failed, {k_code_failure}),
                         result(gone, engine::Outcome::passed),
                         result(skipped, engine::Outcome::passed)};
    runs.after.cases = {result(regressed, engine::Outcome::error),
                        result(fixed, engine::Outcome::passed),
                        result(other, engine::Outcome::failed, {k_status_failure}),
                        result(same, engine::Outcome::failed, {k_code_failure}),
                        result(fresh, engine::Outcome::passed),
                        result(fresh_failing, engine::Outcome::failed, {k_status_failure}),
                        result(skipped, engine::Outcome::skipped)};
    const auto drift = diff(runs);
    std::map<std::string, compare::OutcomeChange> by_id;
    for (const auto& c : drift.outcomes) {
        by_id[c.case_id] = c;
    }
    CHECK(by_id.size() == 7);
    CHECK(by_id["A1-regressed"].kind == Kind::regressed);
    CHECK(by_id["A1-regressed"].before == "passed");
    CHECK(by_id["A1-regressed"].after == "error");
    CHECK(by_id["A2-fixed"].kind == Kind::fixed);
    CHECK(by_id["A3-other-failure"].kind == Kind::failing_differently);
    CHECK_FALSE(by_id.count("A4-same-failure"));
    CHECK(by_id["A5-removed"].kind == Kind::removed);
    CHECK(by_id["A5-removed"].after.empty());
    CHECK(by_id["A6-added"].kind == Kind::added);
    CHECK(by_id["A7-added-failing"].kind == Kind::regressed);
    CHECK(by_id["A8-now-skipped"].kind == Kind::changed);
    CHECK(drift.regressed());
}

TEST_CASE("a known deviation in both runs is no change; one that passes now is fixed", "[diff]")
{
    Runs runs;
    const auto* c = runs.add_case("W2-known");
    auto known = result(c, engine::Outcome::failed, {k_code_failure});  // the baseline lists it (see diff above)
    runs.before.cases = {known};
    runs.after.cases = {known};
    CHECK(diff(runs).outcomes.empty());
    runs.after.cases = {result(c, engine::Outcome::passed)};
    const auto drift = diff(runs);
    REQUIRE(drift.outcomes.size() == 1);
    CHECK(drift.outcomes[0].kind == Kind::fixed);
    CHECK_FALSE(drift.regressed());
}

TEST_CASE("alternative drift: a step's last try met another expect_any alternative", "[diff]")
{
    Runs runs;
    const auto* c = runs.add_case("W3-missing", "GetWidget");
    auto before = result(c, engine::Outcome::passed);
    before.exchanges = {exchange(200, 0, {})};
    auto after = result(c, engine::Outcome::passed);
    after.exchanges = {exchange(200, 0, {}), exchange(404, 1, {})};  // a settled probe: the last try counts
    runs.before.cases = {before};
    runs.after.cases = {after};
    const auto drift = diff(runs);
    REQUIRE(drift.alternatives.size() == 1);
    CHECK(drift.alternatives[0].before == 0);
    CHECK(drift.alternatives[0].after == 1);
    CHECK(drift.alternatives[0].status_before == 200);
    CHECK(drift.alternatives[0].status_after == 404);
    CHECK(drift.within_contract());
    CHECK_FALSE(drift.regressed());
    CHECK_THAT(compare::drift_text(drift, "old.json", "new.json", compare::DriftFormat::text),
               Catch::Contains("W3-missing step 1 (step): alternative 1 (status 200) -> alternative 2 (status 404)"));
}

TEST_CASE("shape drift per operation and status: fields added, removed, retyped", "[diff]")
{
    Runs runs;
    const auto* a = runs.add_case("W1-a", "GetWidget");
    const auto* b = runs.add_case("W1-b", "GetWidget");
    auto before_a = result(a, engine::Outcome::passed);
    before_a.exchanges = {
        exchange(200, 0, {{"", "object"}, {"/items/*/description", "string"}, {"/count", "integer"}})};
    auto before_b = result(b, engine::Outcome::passed);
    before_b.exchanges = {exchange(200, 0, {{"", "object"}, {"/items/*/description", "string"}})};
    auto after_a = result(a, engine::Outcome::passed);
    after_a.exchanges = {exchange(200, 0, {{"", "object"}, {"/count", "string"}, {"/extra", "boolean"}})};
    auto after_b = result(b, engine::Outcome::passed);
    after_b.exchanges = {exchange(200, 0, {{"", "object"}})};
    runs.before.cases = {before_a, before_b};
    runs.after.cases = {after_a, after_b};
    const auto drift = diff(runs);
    std::map<std::string, compare::ShapeChange> by_pointer;
    for (const auto& s : drift.shapes) {
        CHECK(s.operation == "GetWidget");
        CHECK(s.status == 200);
        by_pointer[s.pointer] = s;
    }
    REQUIRE(by_pointer.size() == 3);
    CHECK(by_pointer["/items/*/description"].kind == compare::ShapeChange::Kind::removed);
    CHECK(by_pointer["/count"].kind == compare::ShapeChange::Kind::retyped);
    CHECK(by_pointer["/count"].before == "integer");
    CHECK(by_pointer["/count"].after == "string");
    CHECK(by_pointer["/extra"].kind == compare::ShapeChange::Kind::added);
    CHECK_THAT(compare::drift_text(drift, "old.json", "new.json", compare::DriftFormat::markdown),
               Catch::Contains("- GetWidget 200: `/items/*/description` removed (string)"));
}

TEST_CASE("shapes are compared over the cases both runs hold, and statuses both saw", "[diff]")
{
    Runs runs;
    const auto* a = runs.add_case("W1-a", "GetWidget");
    const auto* only_new = runs.add_case("W1-new", "GetWidget");
    auto before_a = result(a, engine::Outcome::passed);
    before_a.exchanges = {exchange(200, 0, {{"", "object"}})};
    auto after_a = result(a, engine::Outcome::passed);
    after_a.exchanges = {exchange(200, 0, {{"", "object"}}), exchange(400, 1, {{"/code", "string"}})};
    auto added = result(only_new, engine::Outcome::passed);
    added.exchanges = {exchange(200, 0, {{"", "object"}, {"/new", "string"}})};
    runs.before.cases = {before_a};
    runs.after.cases = {after_a, added};
    CHECK(diff(runs).shapes.empty());
}

TEST_CASE("latency drift: medians per operation, beyond both the ratio and the floor", "[diff]")
{
    Runs runs;
    const auto* a = runs.add_case("W2-a");
    auto before = result(a, engine::Outcome::passed);
    before.exchanges = {exchange(200, 0, {}, 0.010), exchange(200, 0, {}, 0.020), exchange(200, 0, {}, 5.0)};
    auto after = result(a, engine::Outcome::passed);
    after.exchanges = {exchange(200, 0, {}, 0.030), exchange(200, 0, {}, 0.040), exchange(200, 0, {}, 0.050)};
    runs.before.cases = {before};
    runs.after.cases = {after};
    // Medians 20 ms -> 40 ms: twice as slow, but within the default 50 ms floor.
    CHECK(diff(runs).latencies.empty());
    const auto drift = diff(runs, {1.5, 0.01});
    REQUIRE(drift.latencies.size() == 1);
    CHECK(drift.latencies[0].operation == "LockWidget");
    CHECK(drift.latencies[0].before == Approx(0.020));
    CHECK(drift.latencies[0].after == Approx(0.040));
    CHECK(drift.within_contract());
    CHECK(diff(runs, {3.0, 0.01}).latencies.empty());  // under the ratio
}

TEST_CASE("two equal runs have no drift", "[diff]")
{
    Runs runs;
    const auto* a = runs.add_case("W2-a");
    auto r = result(a, engine::Outcome::passed);
    r.exchanges = {exchange(200, 0, {{"", "object"}})};
    runs.before.cases = {r};
    runs.after.cases = {r};
    const auto drift = diff(runs);
    CHECK_FALSE(drift.regressed());
    CHECK_FALSE(drift.within_contract());
    CHECK_THAT(compare::drift_text(drift, "a", "b", compare::DriftFormat::text), Catch::Contains("no change"));
}
