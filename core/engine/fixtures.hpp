// Fixture ids: each case gets resources of the kinds it declares. A fixture a case changes is
// handed to that case only; fixtures cases leave unchanged are shared among such cases.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contract/contract.hpp"
#include "contract/template.hpp"

namespace conform::engine {

struct FixturePool {
    // Values the file gives for the contract's run placeholders, e.g. {"project_id": "..."}.
    contract::Bindings run_bindings;
    std::map<std::string, std::vector<std::string>> ids_by_kind;

    // A fixtures file as the contract describes it (contract.json "fixtures_file"): valid
    // against its schema, ids by kind under its member, every kind one of the contract's and
    // no id listed twice. Throws ContractError naming the file and the pointer of each problem.
    static FixturePool from_json(const nlohmann::json& document, const std::string& source,
                                 const contract::Contract& contract);
    static FixturePool load(const std::filesystem::path& file, const contract::Contract& contract);
    std::set<std::string> all_ids() const;
    // Shard index (1-based) of count: every count-th id of each kind from the index-th, so
    // that the shards of one run share a fixtures file without sharing an id.
    FixturePool slice(std::size_t index, std::size_t count) const;
};

// A case's bindings, or why it cannot run.
struct Allocation {
    contract::Bindings bindings;
    std::optional<std::string> skip_reason;
};

// An id handed to a case that changes it: what a ledger records.
struct Handout {
    std::string id;
    std::string kind;
    std::string case_id;
};

// Ids earlier runs consumed: never handed out again. refresh says how to get fresh ones, for
// the skip reasons of cases left short.
struct UsedUp {
    std::set<std::string> ids;
    std::string refresh;
};

class FixtureAllocator {
  public:
    FixtureAllocator(FixturePool pool, std::set<std::string> generated_kinds, const UsedUp& used_up = {});
    // Takes ids for every slot of the case, or none at all when a kind is missing or used up.
    // The n-th unchanged slot of a kind gets the same id in every case.
    Allocation allocate(const contract::Case& test_case);
    // What allocate handed to slots that change their fixture, in order.
    const std::vector<Handout>& handouts() const { return m_handouts; }

  private:
    std::string take(const std::string& kind);

    FixturePool m_pool;  // without the used-up ids
    std::map<std::string, std::size_t> m_next;
    std::map<std::string, std::vector<std::string>> m_shared;  // kind -> ids of unchanged slots
    std::map<std::string, std::size_t> m_used_up;              // kind -> ids left out as used up
    std::string m_refresh;
    std::set<std::string> m_generated_kinds;
    std::vector<Handout> m_handouts;
};

// How many ids of each allocated kind a set of cases needs: one per slot a case changes, plus
// the most unchanged slots of the kind in any one case (those are shared).
std::map<std::string, std::size_t> fixture_demand(const std::vector<const contract::Case*>& cases,
                                                  const std::set<std::string>& generated_kinds);

// The most ids of any one kind the cases need: what a mock must seed per kind.
std::size_t fixtures_per_kind(const std::vector<const contract::Case*>& cases,
                              const std::set<std::string>& generated_kinds);

}  // namespace conform::engine
