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
        nlohmann::json::parse(R"({"tenant":"t1","widgets":{"IDLE":["p1","p2","p3","p4"],"LOCKED":["c1"]}})"), "f.json",
        test_contracts::widgets());
    CHECK(pool.run_bindings.at("tenant") == "t1");
    engine::FixtureAllocator allocator(pool, {"MISSING"});
    auto a = allocator.allocate(case_needing({{"a", "IDLE"}, {"b", "IDLE"}}));
    auto b = allocator.allocate(case_needing({{"a", "IDLE"}, {"c", "LOCKED"}}));
    REQUIRE_FALSE(a.skip_reason);
    REQUIRE_FALSE(b.skip_reason);
    std::set<std::string> ids = {a.bindings["a"], a.bindings["b"], b.bindings["a"], b.bindings["c"]};
    CHECK(ids.size() == 4);

    auto short_case = allocator.allocate(case_needing({{"a", "LOCKED"}, {"b", "IDLE"}}));
    REQUIRE(short_case.skip_reason);
    CHECK(*short_case.skip_reason == "needs 1 LOCKED fixture(s), 0 left in the fixtures");
    // Nothing was taken by the skipped case: the fourth IDLE id is still there.
    CHECK_FALSE(allocator.allocate(case_needing({{"a", "IDLE"}})).skip_reason);
}

TEST_CASE("generated kinds get fresh random ids", "[fixtures]")
{
    engine::FixtureAllocator allocator({}, {"MISSING"});
    auto a = allocator.allocate(case_needing({{"g1", "MISSING"}, {"g2", "MISSING"}}));
    REQUIRE_FALSE(a.skip_reason);
    auto g1 = a.bindings["g1"].get<std::string>();
    CHECK(g1.size() == 32);
    CHECK(g1 != a.bindings["g2"].get<std::string>());
}

TEST_CASE("a malformed fixtures file names the JSON pointer at fault", "[fixtures]")
{
    auto problem = [](const char* text) {
        try {
            engine::FixturePool::from_json(nlohmann::json::parse(text), "f.json", test_contracts::widgets());
        } catch (const contract::ContractError& e) {
            return e.problems().front().to_string();
        }
        return std::string("no error");
    };
    // widgets-fixtures.schema.json's words (the file is validated with it), then the contract's checks.
    CHECK(problem(R"({"widgets":{"IDLE":"p1"}})") ==
          "f.json: /widgets/IDLE: \"p1\": Value type not permitted by 'type' constraint (keyword type)");
    CHECK(problem(R"({"widgets":{"IDLE":["p1",""]}})") ==
          "f.json: /widgets/IDLE/1: \"\": String should be no fewer than 1 characters in length (keyword minLength)");
    CHECK(problem(R"({"widgets":{"IDLE":["x"],"LOCKED":["x"]}})") == "f.json: /widgets/LOCKED/0: id listed twice");
    CHECK(problem(R"({"tenant":5,"widgets":{}})") ==
          "f.json: /tenant: 5: Value type not permitted by 'type' constraint (keyword type)");
    CHECK(problem(R"([])") == "f.json: []: Value type not permitted by 'type' constraint (keyword type)");
}

TEST_CASE("fixture demand counts allocated kinds only", "[fixtures]")
{
    auto a = case_needing({{"a", "IDLE"}, {"g", "MISSING"}});
    auto b = case_needing({{"a", "IDLE"}, {"b", "IDLE"}});
    auto demand = engine::fixture_demand({&a, &b}, {"MISSING"});
    CHECK(demand == std::map<std::string, std::size_t>{{"IDLE", 3}});
    CHECK(engine::fixtures_per_kind({&a, &b}, {"MISSING"}) == 3);
    CHECK(engine::fixtures_per_kind({}, {"MISSING"}) == 1);
}

TEST_CASE("fixtures a case leaves unchanged are shared; those it changes are its own", "[fixtures]")
{
    auto pool = engine::FixturePool::from_json(nlohmann::json::parse(R"({"widgets":{"LOCKED":["c1","c2","c3","c4"]}})"),
                                               "f.json", test_contracts::widgets());
    engine::FixtureAllocator allocator(pool, {"MISSING"});
    auto refusal = case_needing({{"a", "LOCKED"}});
    refusal.unchanged = {"a"};
    auto batch = case_needing({{"a", "LOCKED"}, {"b", "LOCKED"}});
    batch.unchanged = {"a", "b"};
    auto locking = case_needing({{"a", "LOCKED"}});
    locking.id = "W2-lock";

    auto r1 = allocator.allocate(refusal);
    auto d = allocator.allocate(locking);
    auto r2 = allocator.allocate(refusal);
    auto b = allocator.allocate(batch);
    REQUIRE_FALSE(b.skip_reason);
    CHECK(r1.bindings["a"] == r2.bindings["a"]);
    CHECK(b.bindings["a"] == r1.bindings["a"]);
    CHECK(b.bindings["b"] != b.bindings["a"]);  // two slots of one case: two widgets
    CHECK(d.bindings["a"] != r1.bindings["a"]);
    CHECK(d.bindings["a"] != b.bindings["b"]);
    // Only the changed one is consumed.
    REQUIRE(allocator.handouts().size() == 1);
    CHECK(allocator.handouts()[0].id == d.bindings["a"]);
    CHECK(allocator.handouts()[0].case_id == "W2-lock");
    // One id left: a changing case takes it, then none is left for another.
    CHECK_FALSE(allocator.allocate(locking).skip_reason);
    CHECK(*allocator.allocate(locking).skip_reason == "needs 1 LOCKED fixture(s), 0 left in the fixtures");
    CHECK_FALSE(allocator.allocate(refusal).skip_reason);  // the shared one is still there

    CHECK(engine::fixture_demand({&refusal, &locking, &batch, &refusal, &locking}, {"MISSING"}) ==
          std::map<std::string, std::size_t>{{"LOCKED", 4}});  // 2 changed + 2 shared
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
