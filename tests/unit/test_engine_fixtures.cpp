#include <catch2/catch.hpp>

#include <set>

#include "contract/contract.hpp"
#include "contract/error.hpp"
#include "contracts.hpp"
#include "engine/fixtures.hpp"

using namespace conform;

namespace {

contract::Case case_needing(std::vector<std::pair<std::string, std::string>> slots)
{
    contract::Case c;
    c.id = "X1-test";
    c.fixtures = std::move(slots);
    return c;
}

}  // namespace

TEST_CASE("no id is handed to two cases, and a case short of ids is skipped whole", "[fixtures]")
{
    auto pool = engine::FixturePool::from_json(
        nlohmann::json::parse(R"({"project_id":"p","assets":{"PUBLISHED":["p1","p2","p3","p4"],"CREATED":["c1"]}})"),
        "f.json", test_contracts::vod());
    CHECK(pool.run_bindings.at("project_id") == "p");
    engine::FixtureAllocator allocator(pool, {"NONEXISTENT"});
    auto a = allocator.allocate(case_needing({{"a", "PUBLISHED"}, {"b", "PUBLISHED"}}));
    auto b = allocator.allocate(case_needing({{"a", "PUBLISHED"}, {"c", "CREATED"}}));
    REQUIRE_FALSE(a.skip_reason);
    REQUIRE_FALSE(b.skip_reason);
    std::set<std::string> ids = {a.bindings["a"], a.bindings["b"], b.bindings["a"], b.bindings["c"]};
    CHECK(ids.size() == 4);

    auto short_case = allocator.allocate(case_needing({{"a", "CREATED"}, {"b", "PUBLISHED"}}));
    REQUIRE(short_case.skip_reason);
    CHECK(*short_case.skip_reason == "needs 1 CREATED fixture(s), 0 left in the fixtures");
    // Nothing was taken by the skipped case: the fourth PUBLISHED id is still there.
    CHECK_FALSE(allocator.allocate(case_needing({{"a", "PUBLISHED"}})).skip_reason);
}

TEST_CASE("generated kinds get fresh random ids", "[fixtures]")
{
    engine::FixtureAllocator allocator({}, {"NONEXISTENT"});
    auto a = allocator.allocate(case_needing({{"g1", "NONEXISTENT"}, {"g2", "NONEXISTENT"}}));
    REQUIRE_FALSE(a.skip_reason);
    auto g1 = a.bindings["g1"].get<std::string>();
    CHECK(g1.size() == 32);
    CHECK(g1 != a.bindings["g2"].get<std::string>());
}

TEST_CASE("a malformed fixtures file names the JSON pointer at fault", "[fixtures]")
{
    auto problem = [](const char* text) {
        try {
            engine::FixturePool::from_json(nlohmann::json::parse(text), "f.json", test_contracts::vod());
        } catch (const contract::ContractError& e) {
            return e.problems().front().to_string();
        }
        return std::string("no error");
    };
    // fixtures.schema.json's words (the file is validated with it), then the contract's checks.
    CHECK(problem(R"({"assets":{"PUBLISHED":"p1"}})") ==
          "f.json: /assets/PUBLISHED: \"p1\": Value type not permitted by 'type' constraint (keyword type)");
    CHECK(
        problem(R"({"assets":{"PUBLISHED":["p1",""]}})") ==
        "f.json: /assets/PUBLISHED/1: \"\": String should be no fewer than 1 characters in length (keyword minLength)");
    CHECK(problem(R"({"assets":{"CREATED":["x"],"PUBLISHED":["x"]}})") ==
          "f.json: /assets/PUBLISHED/0: id listed twice");
    CHECK(problem(R"({"project_id":5,"assets":{}})") ==
          "f.json: /project_id: 5: Value type not permitted by 'type' constraint (keyword type)");
    CHECK(problem(R"([])") == "f.json: []: Value type not permitted by 'type' constraint (keyword type)");
}

TEST_CASE("fixture demand counts allocated kinds only", "[fixtures]")
{
    auto a = case_needing({{"a", "PUBLISHED"}, {"g", "NONEXISTENT"}});
    auto b = case_needing({{"a", "PUBLISHED"}, {"b", "PUBLISHED"}});
    auto demand = engine::fixture_demand({&a, &b}, {"NONEXISTENT"});
    CHECK(demand == std::map<std::string, std::size_t>{{"PUBLISHED", 3}});
    CHECK(engine::fixtures_per_kind({&a, &b}, {"NONEXISTENT"}) == 3);
    CHECK(engine::fixtures_per_kind({}, {"NONEXISTENT"}) == 1);
}

TEST_CASE("fixtures a case leaves unchanged are shared; those it changes are its own", "[fixtures]")
{
    auto pool = engine::FixturePool::from_json(nlohmann::json::parse(R"({"assets":{"CREATED":["c1","c2","c3","c4"]}})"),
                                               "f.json", test_contracts::vod());
    engine::FixtureAllocator allocator(pool, {"NONEXISTENT"});
    auto refusal = case_needing({{"a", "CREATED"}});
    refusal.unchanged = {"a"};
    auto batch = case_needing({{"a", "CREATED"}, {"b", "CREATED"}});
    batch.unchanged = {"a", "b"};
    auto deletion = case_needing({{"a", "CREATED"}});
    deletion.id = "D1-delete";

    auto r1 = allocator.allocate(refusal);
    auto d = allocator.allocate(deletion);
    auto r2 = allocator.allocate(refusal);
    auto b = allocator.allocate(batch);
    REQUIRE_FALSE(b.skip_reason);
    CHECK(r1.bindings["a"] == r2.bindings["a"]);
    CHECK(b.bindings["a"] == r1.bindings["a"]);
    CHECK(b.bindings["b"] != b.bindings["a"]);  // two slots of one case: two assets
    CHECK(d.bindings["a"] != r1.bindings["a"]);
    CHECK(d.bindings["a"] != b.bindings["b"]);
    // Only the changed one is consumed.
    REQUIRE(allocator.handouts().size() == 1);
    CHECK(allocator.handouts()[0].id == d.bindings["a"]);
    CHECK(allocator.handouts()[0].case_id == "D1-delete");
    // One id left: a changing case takes it, then none is left for another.
    CHECK_FALSE(allocator.allocate(deletion).skip_reason);
    CHECK(*allocator.allocate(deletion).skip_reason == "needs 1 CREATED fixture(s), 0 left in the fixtures");
    CHECK_FALSE(allocator.allocate(refusal).skip_reason);  // the shared one is still there

    CHECK(engine::fixture_demand({&refusal, &deletion, &batch, &refusal, &deletion}, {"NONEXISTENT"}) ==
          std::map<std::string, std::size_t>{{"CREATED", 4}});  // 2 changed + 2 shared
}

TEST_CASE("the whole suite needs at most 40 assets, no kind above 15", "[fixtures]")
{
    static const auto contract = contract::Contract::load(test_contracts::vod_paths());
    std::vector<const contract::Case*> cases;
    for (const auto& c : contract.cases()) {
        cases.push_back(&c);
    }
    std::size_t total = 0;
    for (const auto& [kind, count] : engine::fixture_demand(cases, contract.generated_kinds())) {
        INFO(kind);
        CHECK(count <= 15);
        total += count;
    }
    CHECK(total <= 40);
}
