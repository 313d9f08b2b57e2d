#include <catch2/catch.hpp>

#include <algorithm>

#include "contracts.hpp"
#include "in_process_mock.hpp"
#include "judge/judge.hpp"
#include "mutations.hpp"
#include "raw_server.hpp"
#include "state.hpp"

using namespace conform;
using engine::Outcome;
using engine::Verdict;

namespace {

const std::vector<contract::Rule> k_rules = {{"M1", contract::Level::must, "a MUST rule", "", {}},
                                             {"S1", contract::Level::should, "a SHOULD rule", "", {}}};

contract::Case make_case(contract::Level level)
{
    contract::Case c;
    c.id = level == contract::Level::must ? "must-case" : "should-case";
    c.level = level;
    return c;
}

engine::CaseResult failed_on(const contract::Case& c, std::vector<std::string> rules)
{
    engine::CaseResult r;
    r.test_case = c.summary();
    r.outcome = Outcome::failed;
    for (auto& rule : rules) {
        r.failures.push_back({std::move(rule), "predicate", "/x", "1", "2"});
    }
    return r;
}

const judge::Policy k_strict = [] {
    judge::Policy p;
    p.strict = true;
    return p;
}();

engine::Judgement judged(engine::CaseResult r, judge::Policy policy = {})
{
    judge::judge(r, judge::rule_levels(k_rules), policy);
    return r.judgement;
}

struct Recorder final : engine::RunListener {
    std::vector<engine::CaseResult> seen;
    void case_finished(const engine::CaseResult& r) override { seen.push_back(r); }
};

}  // namespace

TEST_CASE("a deviation is judged at the level of the rule it breaks, not the case's", "[judge]")
{
    const auto should = make_case(contract::Level::should);
    const auto must = make_case(contract::Level::must);
    // A MUST rule's deviation seen by a SHOULD case fails the run.
    CHECK(judged(failed_on(should, {"M1"})).verdict == Verdict::failed);
    CHECK(judged(failed_on(should, {"M1"})).level == contract::Level::must);
    CHECK(judged(failed_on(should, {"S1", "M1"})).verdict == Verdict::failed);
    // SHOULD rules only: a warning, whatever the case's level; --strict makes it a failure.
    CHECK(judged(failed_on(should, {"S1"})).verdict == Verdict::warned);
    CHECK(judged(failed_on(must, {"S1"})).verdict == Verdict::warned);
    CHECK(judged(failed_on(must, {"S1"})).level == contract::Level::should);
    CHECK(judged(failed_on(should, {"S1"}), k_strict).verdict == Verdict::failed);
    // A rule the contract does not name counts at the case's level.
    CHECK(judged(failed_on(should, {"X9"})).verdict == Verdict::warned);
    CHECK(judged(failed_on(must, {"X9"})).verdict == Verdict::failed);
}

TEST_CASE("skips, premises lost and inconclusive runs: which leave the run unproven", "[judge]")
{
    const auto must = make_case(contract::Level::must);
    const auto should = make_case(contract::Level::should);
    auto result = [](const contract::Case& c, Outcome outcome, engine::Cause cause) {
        engine::CaseResult r;
        r.test_case = c.summary();
        r.outcome = outcome;
        r.cause = cause;
        return r;
    };
    const auto skipped = judged(result(must, Outcome::skipped, engine::Cause::fixtures));
    CHECK(skipped.verdict == Verdict::skipped);
    CHECK(skipped.unproven);
    CHECK_FALSE(judged(result(should, Outcome::skipped, engine::Cause::fixtures)).unproven);
    CHECK(judged(result(should, Outcome::skipped, engine::Cause::fixtures), k_strict).unproven);
    CHECK_FALSE(judged(result(must, Outcome::skipped, engine::Cause::not_applicable)).unproven);

    const auto lost = judged(result(must, Outcome::skipped, engine::Cause::premise_lost));
    CHECK(lost.verdict == Verdict::premise_lost);
    CHECK(lost.unproven);  // the run proves nothing about it
    const auto unsure = judged(result(must, Outcome::inconclusive, engine::Cause::none));
    CHECK(unsure.verdict == Verdict::inconclusive);
    CHECK(unsure.unproven);
    CHECK_FALSE(judged(result(should, Outcome::inconclusive, engine::Cause::none)).unproven);
    CHECK(judged(result(should, Outcome::inconclusive, engine::Cause::none), k_strict).unproven);
    CHECK(judged(result(must, Outcome::error, engine::Cause::transport)).verdict == Verdict::error);
}

TEST_CASE("a deviation the baseline lists is known, also a MUST rule's; a fixed one gates only when strict", "[judge]")
{
    const auto must = make_case(contract::Level::must);
    judge::Policy policy;
    policy.baseline.entries = {{"must-case", "vendor ticket 7", std::nullopt, std::nullopt, std::nullopt}};
    auto r = failed_on(must, {"M1"});
    judge::judge(r, judge::rule_levels(k_rules), policy);
    CHECK(r.judgement.verdict == Verdict::known);
    REQUIRE(r.baseline);
    CHECK(r.baseline->reason == "vendor ticket 7");

    engine::CaseResult passed;
    passed.test_case = must.summary();
    passed.outcome = Outcome::passed;
    CHECK(judged(passed, policy).verdict == Verdict::passed);
    policy.known.strict = true;
    CHECK(judged(passed, policy).verdict == Verdict::failed);
}

TEST_CASE("the judge judges each case once on its way, and the finished run carries the same judgements", "[judge]")
{
    const auto should = make_case(contract::Level::should);
    Recorder reporters;
    judge::Judge judge(k_rules, {}, reporters);
    judge.case_finished(failed_on(should, {"M1"}));
    REQUIRE(reporters.seen.size() == 1);
    CHECK(reporters.seen[0].judgement.verdict == Verdict::failed);

    // The engine's run result, as it returns it: not yet judged (and its details may be gone).
    engine::RunResult run;
    run.cases.push_back(failed_on(should, {}));
    judge.apply(run);
    CHECK(run.cases[0].judgement.verdict == Verdict::failed);
    CHECK(run.cases[0].judgement.level == contract::Level::must);
}

TEST_CASE("a malformed UnpublishAssets 200 seen by the SHOULD case D7's probe is U1's deviation: it fails",
          "[judge][vod]")
{
    const auto& contract = test_contracts::vod();
    const auto& d7 = *std::find_if(contract.cases().begin(), contract.cases().end(),
                                   [](const auto& c) { return c.id == "D7-more-than-ten-ids"; });
    REQUIRE(d7.level == contract::Level::should);
    vod_mock::AssetStore store;
    engine::FixturePool pool;
    pool.ids_by_kind = store.seed(1);
    const vod_mock::Service service(vod_mock::Config{"p", std::string("tok"), std::nullopt,
                                                     vod_mock::Mutation::unpublish_category_id_string, nullptr},
                                    store);
    engine::FixtureAllocator allocator(pool, contract.generated_kinds());
    engine::RunOptions options;
    options.base_url = "http://127.0.0.1:1";
    options.run_bindings = {{"project_id", "p"}};
    options.credentials = {engine::Credentials::Mode::token, "tok", {}};
    std::map<std::string, int> sent;
    Recorder reporters;
    judge::Judge judge(contract.rules(), {}, reporters);
    auto run = engine::run_cases(
        contract, {&d7}, {allocator.allocate(d7)},
        [&]() -> std::unique_ptr<engine::Transport> { return std::make_unique<InProcess>(service, sent); }, options,
        judge);
    judge.apply(run);
    const auto& r = run.cases.at(0);
    REQUIRE(r.outcome == Outcome::failed);
    REQUIRE_FALSE(r.failures.empty());
    CHECK(std::all_of(r.failures.begin(), r.failures.end(), [](const auto& f) { return f.rule == "U1"; }));
    CHECK(r.judgement.verdict == Verdict::failed);
    CHECK(r.judgement.level == contract::Level::must);
    CHECK(reporters.seen.at(0).judgement.verdict == Verdict::failed);
}

TEST_CASE("a deviation a SHOULD case sees of the schema a MUST rule covers fails at MUST; its own rule's warns",
          "[judge][widgets]")
{
    const auto& contract = test_contracts::widgets();
    const auto& k = test_contracts::widgets_case("W4-idle-widget-names-no-holder");
    REQUIRE(k.level == contract::Level::should);
    const auto judged_against = [&](const std::string& body) {
        RawServer server([&](const std::string&) {
            return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                   std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
        });
        engine::FixturePool pool;
        pool.ids_by_kind["IDLE"] = {"w1"};
        engine::FixtureAllocator allocator(pool, contract.generated_kinds());
        engine::RunOptions options;
        options.base_url = server.url();
        options.run_bindings = {{"tenant", "t1"}};
        options.credentials = {engine::Credentials::Mode::token, "wk", {}};
        Recorder reporters;
        judge::Judge judge(contract.rules(), {}, reporters);
        const engine::TransportOptions transport{server.url(), 5, false, "", 1 << 20, {}};
        auto run = engine::run_cases(contract, {&k}, {allocator.allocate(k)}, engine::curl_transport_factory(transport),
                                     options, judge);
        judge.apply(run);
        REQUIRE(reporters.seen.size() == 1);
        CHECK(reporters.seen[0].judgement.verdict == run.cases.at(0).judgement.verdict);
        return run.cases.at(0);
    };
    // A state widget.schema.json refuses: W1 covers that schema.
    const auto broken = judged_against(R"({"id":"w1","state":"HELD"})");
    REQUIRE(broken.outcome == Outcome::failed);
    REQUIRE_FALSE(broken.failures.empty());
    CHECK(std::all_of(broken.failures.begin(), broken.failures.end(), [](const auto& f) { return f.rule == "W1"; }));
    CHECK(broken.judgement.verdict == Verdict::failed);
    CHECK(broken.judgement.level == contract::Level::must);
    // A holder: the case's own SHOULD rule.
    const auto held = judged_against(R"({"id":"w1","state":"IDLE","holder":"someone"})");
    REQUIRE(held.outcome == Outcome::failed);
    REQUIRE(held.failures.size() == 1);
    CHECK(held.failures[0].rule == "W4");
    CHECK(held.judgement.verdict == Verdict::warned);
    CHECK(held.judgement.level == contract::Level::should);
}
