#include <catch2/catch.hpp>

#include <set>

#include "contract/error.hpp"
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
        nlohmann::json::parse(R"({"project_id":"p","assets":{"PUBLISHED":["p1","p2","p3","p4"],"CREATED":["c1"]}})"), "f.json");
    CHECK(pool.project_id == "p");
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
            engine::FixturePool::from_json(nlohmann::json::parse(text), "f.json");
        } catch (const contract::ContractError& e) {
            return e.problems().front().to_string();
        }
        return std::string("no error");
    };
    CHECK(problem(R"({"assets":{"PUBLISHED":"p1"}})") == "f.json: /assets/PUBLISHED: must be an array of ids");
    CHECK(problem(R"({"assets":{"PUBLISHED":["p1",""]}})") == "f.json: /assets/PUBLISHED/1: must be a non-empty string");
    CHECK(problem(R"({"assets":{"A":["x"],"B":["x"]}})") == "f.json: /assets/B/0: id listed twice");
    CHECK(problem(R"({"project_id":5,"assets":{}})") == "f.json: /project_id: must be a string");
    CHECK(problem(R"([])") == "f.json: must be an object with \"assets\"");
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
