// Fixture ids: each case gets resources of the kinds it declares, none handed to two cases.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contract/case.hpp"
#include "contract/template.hpp"

namespace conform::engine {

struct FixturePool {
    std::optional<std::string> project_id;
    std::map<std::string, std::vector<std::string>> ids_by_kind;

    // {"project_id": "...", "assets": {"KIND": ["id", ...]}}; throws ContractError naming the
    // file and pointer when the shape is wrong.
    static FixturePool from_json(const nlohmann::json& document, const std::string& source);
    static FixturePool load(const std::filesystem::path& file);
};

// A case's bindings, or why it cannot run.
struct Allocation {
    contract::Bindings bindings;
    std::optional<std::string> skip_reason;
};

class FixtureAllocator {
public:
    FixtureAllocator(FixturePool pool, std::set<std::string> generated_kinds);
    // Takes ids for every slot of the case, or none at all when a kind is missing or used up.
    Allocation allocate(const contract::Case& test_case);

private:
    FixturePool m_pool;
    std::map<std::string, std::size_t> m_next;
    std::set<std::string> m_generated_kinds;
};

// How many ids of each allocated kind a set of cases needs.
std::map<std::string, std::size_t> fixture_demand(const std::vector<const contract::Case*>& cases,
                                                  const std::set<std::string>& generated_kinds);

// The most ids of any one kind the cases need: what a mock must seed per kind.
std::size_t fixtures_per_kind(const std::vector<const contract::Case*>& cases, const std::set<std::string>& generated_kinds);

}  // namespace conform::engine
