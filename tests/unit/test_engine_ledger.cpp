#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <thread>

#include "contract/error.hpp"
#include "contracts.hpp"
#include "engine/ledger.hpp"

using namespace conform;

namespace {

std::filesystem::path fresh_fixtures(const std::string& name, const std::string& text)
{
    auto dir = std::filesystem::path(CONFORM_TEST_OUTPUT) / "ledger" / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "fixtures.json") << text;
    return dir / "fixtures.json";
}

contract::Case changing(const std::string& id)
{
    contract::Case c;
    c.id = id;
    c.fixtures = {{"a", "IDLE"}};
    return c;
}

// One run: allocates the cases against the ledger beside the fixtures file.
std::vector<engine::Allocation> run(const std::filesystem::path& fixtures, const std::vector<contract::Case>& cases)
{
    const auto pool = engine::FixturePool::load(fixtures, test_contracts::widgets());
    std::vector<engine::Allocation> out;
    engine::Ledger(fixtures).record(pool.all_ids(), [&](const engine::UsedUp& used_up) {
        engine::FixtureAllocator allocator(pool, {"MISSING"}, used_up);
        for (const auto& c : cases) {
            out.push_back(allocator.allocate(c));
        }
        return allocator.handouts();
    });
    return out;
}

}  // namespace

TEST_CASE("the ledger records consumed ids, and a later run skips the cases left short, saying why", "[ledger]")
{
    auto fixtures = fresh_fixtures("record", R"({"widgets":{"IDLE":["c1","c2"]}})");
    auto shared = changing("W2-refusal");
    shared.unchanged = {"a"};
    auto first = run(fixtures, {changing("W2-lock"), shared});
    CHECK(first[0].bindings["a"] == "c1");
    CHECK(first[1].bindings["a"] == "c2");

    const engine::Ledger ledger(fixtures);
    CHECK(ledger.file().filename() == "fixtures.json.ledger.json");
    auto consumed = ledger.consumed();
    REQUIRE(consumed.size() == 1);  // the unchanged one is not consumed
    CHECK(consumed["c1"].case_id == "W2-lock");
    CHECK(consumed["c1"].kind == "IDLE");

    auto second = run(fixtures, {changing("W2-lock"), changing("W2-lock-again")});
    CHECK(second[0].bindings["a"] == "c2");
    REQUIRE(second[1].skip_reason);
    CHECK(*second[1].skip_reason ==
          "needs 1 IDLE fixture(s), 0 left in the fixtures (1 used up by earlier runs; see fixtures.json.ledger.json: "
          "list fresh ids in fixtures.json, or delete the ledger once those assets are restored)");
    CHECK(ledger.consumed().size() == 2);
}

TEST_CASE("a new fixtures file starts clean", "[ledger]")
{
    auto fixtures = fresh_fixtures("new-file", R"({"widgets":{"IDLE":["c1"]}})");
    run(fixtures, {changing("W2-lock")});
    REQUIRE(engine::Ledger(fixtures).consumed().count("c1"));
    std::ofstream(fixtures) << R"({"widgets":{"IDLE":["n1","n2"]}})";
    auto next = run(fixtures, {changing("W2-lock")});
    CHECK(next[0].bindings["a"] == "n1");
    auto consumed = engine::Ledger(fixtures).consumed();
    CHECK(consumed.size() == 1);  // c1 is no longer in the file: dropped
    CHECK(consumed.count("n1"));
}

TEST_CASE("runs sharing a ledger never hand out the same id, and every record is kept", "[ledger][concurrency]")
{
    constexpr int k_runs = 8;
    std::string ids;
    for (int i = 0; i < k_runs; ++i) {
        ids += std::string(i ? "," : "") + "\"c" + std::to_string(i) + "\"";
    }
    auto fixtures = fresh_fixtures("shared", R"({"widgets":{"IDLE":[)" + ids + "]}}");
    std::vector<std::string> taken(k_runs);
    std::vector<std::thread> runs;
    for (int i = 0; i < k_runs; ++i) {
        runs.emplace_back([&, i] {
            auto result = run(fixtures, {changing("W2-run" + std::to_string(i))});
            taken[static_cast<std::size_t>(i)] =
                result[0].skip_reason ? "skipped" : result[0].bindings["a"].get<std::string>();
        });
    }
    for (auto& r : runs) {
        r.join();
    }
    CHECK(std::set<std::string>(taken.begin(), taken.end()).size() == k_runs);
    CHECK(engine::Ledger(fixtures).consumed().size() == k_runs);
    CHECK(std::distance(std::filesystem::directory_iterator(fixtures.parent_path()), {}) == 3);  // no temp file left
}

TEST_CASE("a ledger that is not one is refused with its file and pointer", "[ledger]")
{
    auto fixtures = fresh_fixtures("broken", R"({"widgets":{"IDLE":["c1"]}})");
    std::ofstream(fixtures.string() + ".ledger.json") << R"({"consumed": {"c1": 5}})";
    try {
        run(fixtures, {changing("W2-lock")});
        FAIL("no error");
    } catch (const contract::ContractError& e) {
        CHECK(e.problems().front().to_string() ==
              fixtures.string() + ".ledger.json: /consumed/c1: must be an object with a string kind");
    }
    CHECK_THROWS_WITH(engine::Ledger("/proc/forbidden/fixtures.json")
                          .record({}, [](const engine::UsedUp&) { return std::vector<engine::Handout>{}; }),
                      Catch::Contains("/proc/forbidden/fixtures.json.ledger.lock"));
}
