#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "engine/fixtures.hpp"
#include "engine/shard.hpp"

using namespace conform;

namespace {

// Cases of 1 to 4 steps, as the suite has them.
std::deque<contract::Case> make_cases(std::size_t n)
{
    std::deque<contract::Case> out;
    for (std::size_t i = 0; i < n; ++i) {
        contract::Case c;
        c.id = "C" + std::to_string(i);
        c.steps.resize(1 + (i * 7) % 4);
        out.push_back(c);
    }
    return out;
}

std::vector<const contract::Case*> pointers(const std::deque<contract::Case>& cases)
{
    std::vector<const contract::Case*> out;
    for (const auto& c : cases) {
        out.push_back(&c);
    }
    return out;
}

std::size_t steps(const std::vector<const contract::Case*>& cases)
{
    std::size_t n = 0;
    for (const auto* c : cases) {
        n += c->steps.size();
    }
    return n;
}

}  // namespace

TEST_CASE("N shards hold every case exactly once, in the given order", "[shard]")
{
    const auto cases = make_cases(61);
    const auto all = pointers(cases);
    for (std::size_t n : {1u, 2u, 3u, 7u, 61u, 100u}) {
        std::map<const contract::Case*, int> seen;
        for (std::size_t k = 1; k <= n; ++k) {
            const auto part = engine::shard_cases(all, {k, n});
            CHECK(std::is_sorted(part.begin(), part.end(), [&](auto a, auto b) {
                return std::find(all.begin(), all.end(), a) < std::find(all.begin(), all.end(), b);
            }));
            for (const auto* c : part) {
                ++seen[c];
            }
        }
        CHECK(seen.size() == all.size());
        CHECK(std::all_of(seen.begin(), seen.end(), [](const auto& s) { return s.second == 1; }));
    }
}

TEST_CASE("shards are balanced by requests: no two differ by more than the longest case", "[shard]")
{
    const auto cases = make_cases(61);
    const auto all = pointers(cases);
    for (std::size_t n : {2u, 3u, 4u, 8u}) {
        std::vector<std::size_t> loads;
        for (std::size_t k = 1; k <= n; ++k) {
            loads.push_back(steps(engine::shard_cases(all, {k, n})));
        }
        const auto [low, high] = std::minmax_element(loads.begin(), loads.end());
        CHECK(*high - *low <= 4);
    }
}

TEST_CASE("the split depends on the cases only, not on their order", "[shard]")
{
    const auto cases = make_cases(40);
    auto all = pointers(cases);
    auto reversed = all;
    std::reverse(reversed.begin(), reversed.end());
    for (std::size_t k = 1; k <= 3; ++k) {
        const auto a = engine::shard_cases(all, {k, 3});
        const auto b = engine::shard_cases(reversed, {k, 3});
        CHECK(std::set<const contract::Case*>(a.begin(), a.end()) ==
              std::set<const contract::Case*>(b.begin(), b.end()));
        CHECK(a == engine::shard_cases(all, {k, 3}));
    }
}

TEST_CASE("a shard K/N is read strictly", "[shard]")
{
    CHECK(engine::parse_shard("2/3").index == 2);
    CHECK(engine::parse_shard("2/3").count == 3);
    for (const auto* bad : {"", "3", "0/3", "4/3", "1/0", "a/3", "1/3/4", "-1/3", "1/1001", "1 /3"}) {
        CHECK_THROWS_AS(engine::parse_shard(bad), std::invalid_argument);
    }
}

TEST_CASE("fixtures: each shard takes its own slice of every kind", "[shard]")
{
    engine::FixturePool pool{{{"project_id", "p"}},
                             {{"CREATED", {"c0", "c1", "c2", "c3", "c4"}}, {"REVIEWING", {"r0"}}}};
    std::multiset<std::string> taken;
    for (std::size_t k = 1; k <= 3; ++k) {
        const auto slice = pool.slice(k, 3);
        CHECK(slice.run_bindings == pool.run_bindings);
        for (const auto& id : slice.all_ids()) {
            taken.insert(id);
        }
    }
    CHECK(taken == std::multiset<std::string>{"c0", "c1", "c2", "c3", "c4", "r0"});
    CHECK(pool.slice(2, 3).ids_by_kind.at("CREATED") == std::vector<std::string>{"c1", "c4"});
    CHECK(pool.slice(2, 3).ids_by_kind.at("REVIEWING").empty());
}
