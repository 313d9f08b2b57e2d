#include "engine/fixtures.hpp"

#include <algorithm>

#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "util/random_id.hpp"
#include "util/text.hpp"

namespace conform::engine {

using contract::ContractError;
using contract::Problem;

FixturePool FixturePool::from_json(const nlohmann::json& document, const std::string& source,
                                   const contract::Contract& contract)
{
    const auto& shape = contract.fixtures_file();
    std::vector<Problem> problems;
    for (const auto& v : contract.schemas().validate(shape.schema, document)) {
        problems.push_back({source, v.pointer, v.message});
    }
    if (!problems.empty()) {
        throw ContractError(std::move(problems));
    }
    // What the schema leaves to the contract: the kinds, and ids unique across kinds. The
    // types are checked again since a contract's schema may be looser than this reading.
    const auto at = nlohmann::json::json_pointer("/" + shape.ids_by_kind);
    if (!document.is_object() || !document.contains(shape.ids_by_kind) || !document[shape.ids_by_kind].is_object()) {
        throw ContractError(Problem{source, at.to_string(), "must be an object of kind -> [ids]"});
    }
    FixturePool pool;
    for (const auto& name : contract.run_placeholders()) {
        if (const auto it = document.find(name); it != document.end()) {
            if (!it->is_string()) {
                problems.push_back({source, (nlohmann::json::json_pointer() / name).to_string(), "must be a string"});
                continue;
            }
            pool.run_bindings[name] = *it;
        }
    }
    std::set<std::string> seen;
    for (const auto& [kind, ids] : document[shape.ids_by_kind].items()) {
        const auto where = at / kind;  // escapes "/" and "~" in kind
        if (!contract.fixture_kinds().count(kind)) {
            const auto& kinds = contract.fixture_kinds();
            const auto known = util::join(std::vector<std::string>(kinds.begin(), kinds.end()), ", ");
            problems.push_back({source, where.to_string(),
                                "unknown fixture kind '" + kind + "' (contract.json fixture_kinds: " + known + ")"});
            continue;
        }
        if (!ids.is_array()) {
            problems.push_back({source, where.to_string(), "must be an array of ids"});
            continue;
        }
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (!ids[i].is_string() || ids[i].get_ref<const std::string&>().empty()) {
                problems.push_back({source, (where / i).to_string(), "must be a non-empty string"});
            } else if (!seen.insert(ids[i].get<std::string>()).second) {
                problems.push_back({source, (where / i).to_string(), "id listed twice"});
            } else {
                pool.ids_by_kind[kind].push_back(ids[i].get<std::string>());
            }
        }
    }
    if (!problems.empty()) {
        throw ContractError(std::move(problems));
    }
    return pool;
}

FixturePool FixturePool::load(const std::filesystem::path& file, const contract::Contract& contract)
{
    return from_json(contract::read_json_file(file), file.string(), contract);
}

std::set<std::string> FixturePool::all_ids() const
{
    std::set<std::string> ids;
    for (const auto& [kind, list] : ids_by_kind) {
        ids.insert(list.begin(), list.end());
    }
    return ids;
}

FixturePool FixturePool::slice(std::size_t index, std::size_t count) const
{
    FixturePool out{run_bindings, {}};
    for (const auto& [kind, ids] : ids_by_kind) {
        auto& mine = out.ids_by_kind[kind];
        for (std::size_t i = index - 1; i < ids.size(); i += count) {
            mine.push_back(ids[i]);
        }
    }
    return out;
}

namespace {

// Per kind: the slots the case changes, and those it leaves unchanged (shared).
struct SlotCounts {
    std::size_t changed = 0;
    std::size_t unchanged = 0;
};

std::map<std::string, SlotCounts> slot_counts(const contract::Case& test_case,
                                              const std::set<std::string>& generated_kinds)
{
    std::map<std::string, SlotCounts> counts;
    for (const auto& [name, kind] : test_case.fixtures) {
        if (!generated_kinds.count(kind)) {
            ++(test_case.leaves_unchanged(name) ? counts[kind].unchanged : counts[kind].changed);
        }
    }
    return counts;
}

}  // namespace

FixtureAllocator::FixtureAllocator(FixturePool pool, std::set<std::string> generated_kinds, const UsedUp& used_up)
    : m_pool(std::move(pool)), m_refresh(used_up.refresh), m_generated_kinds(std::move(generated_kinds))
{
    for (auto& [kind, ids] : m_pool.ids_by_kind) {
        m_used_up[kind] = std::erase_if(ids, [&](const std::string& id) { return used_up.ids.count(id) > 0; });
    }
}

std::string FixtureAllocator::take(const std::string& kind)
{
    return m_pool.ids_by_kind[kind][m_next[kind]++];
}

Allocation FixtureAllocator::allocate(const contract::Case& test_case)
{
    for (const auto& [kind, count] : slot_counts(test_case, m_generated_kinds)) {
        const auto shared = m_shared[kind].size();
        const auto wanted = count.changed + (count.unchanged > shared ? count.unchanged - shared : 0);
        auto it = m_pool.ids_by_kind.find(kind);
        std::size_t available = it == m_pool.ids_by_kind.end() ? 0 : it->second.size() - m_next[kind];
        if (available < wanted) {
            std::string reason = "needs " + std::to_string(wanted) + " " + kind + " fixture(s), " +
                                 std::to_string(available) + " left in the fixtures";
            if (m_used_up[kind] > 0) {
                reason += " (" + std::to_string(m_used_up[kind]) + " used up by earlier runs; " + m_refresh + ")";
            }
            return {{}, reason};
        }
    }
    Allocation out;
    std::map<std::string, std::size_t> unchanged_seen;
    for (const auto& [name, kind] : test_case.fixtures) {
        if (m_generated_kinds.count(kind)) {
            out.bindings[name] = util::random_id();
        } else if (test_case.leaves_unchanged(name)) {
            auto& shared = m_shared[kind];
            const auto n = unchanged_seen[kind]++;
            if (n == shared.size()) {
                shared.push_back(take(kind));
            }
            out.bindings[name] = shared[n];
        } else {
            auto id = take(kind);
            m_handouts.push_back({id, kind, test_case.id});
            out.bindings[name] = std::move(id);
        }
    }
    return out;
}

std::map<std::string, std::size_t> fixture_demand(const std::vector<const contract::Case*>& cases,
                                                  const std::set<std::string>& generated_kinds)
{
    std::map<std::string, std::size_t> changed, shared;
    for (const auto* c : cases) {
        for (const auto& [kind, count] : slot_counts(*c, generated_kinds)) {
            changed[kind] += count.changed;
            shared[kind] = std::max(shared[kind], count.unchanged);
        }
    }
    std::map<std::string, std::size_t> demand;
    for (const auto& [kind, count] : changed) {
        if (count + shared[kind] > 0) {
            demand[kind] = count + shared[kind];
        }
    }
    return demand;
}

std::size_t fixtures_per_kind(const std::vector<const contract::Case*>& cases,
                              const std::set<std::string>& generated_kinds)
{
    std::size_t most = 1;
    for (const auto& [kind, count] : fixture_demand(cases, generated_kinds)) {
        most = std::max(most, count);
    }
    return most;
}

}  // namespace conform::engine
