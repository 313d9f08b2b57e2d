#include "engine/fixtures.hpp"

#include <algorithm>

#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "util/random_id.hpp"

namespace conform::engine {

using contract::ContractError;
using contract::Problem;

FixturePool FixturePool::from_json(const nlohmann::json& document, const std::string& source)
{
    FixturePool pool;
    if (!document.is_object()) {
        throw ContractError(Problem{source, "", "must be an object with \"assets\""});
    }
    if (document.contains("project_id")) {
        if (!document["project_id"].is_string()) {
            throw ContractError(Problem{source, "/project_id", "must be a string"});
        }
        pool.project_id = document["project_id"].get<std::string>();
    }
    if (!document.contains("assets") || !document["assets"].is_object()) {
        throw ContractError(Problem{source, "/assets", "must be an object of kind -> [ids]"});
    }
    std::set<std::string> seen;
    for (const auto& [kind, ids] : document["assets"].items()) {
        const auto at = nlohmann::json::json_pointer("/assets") / kind;  // escapes "/" and "~" in kind
        if (!ids.is_array()) {
            throw ContractError(Problem{source, at.to_string(), "must be an array of ids"});
        }
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const auto where = (at / i).to_string();
            if (!ids[i].is_string() || ids[i].get_ref<const std::string&>().empty()) {
                throw ContractError(Problem{source, where, "must be a non-empty string"});
            }
            if (!seen.insert(ids[i].get<std::string>()).second) {
                throw ContractError(Problem{source, where, "id listed twice"});
            }
            pool.ids_by_kind[kind].push_back(ids[i].get<std::string>());
        }
    }
    return pool;
}

FixturePool FixturePool::load(const std::filesystem::path& file)
{
    return from_json(contract::read_json_file(file), file.string());
}

FixtureAllocator::FixtureAllocator(FixturePool pool, std::set<std::string> generated_kinds)
    : m_pool(std::move(pool)), m_generated_kinds(std::move(generated_kinds))
{
}

Allocation FixtureAllocator::allocate(const contract::Case& test_case)
{
    std::map<std::string, std::size_t> wanted;
    for (const auto& [name, kind] : test_case.fixtures) {
        if (!m_generated_kinds.count(kind)) {
            ++wanted[kind];
        }
    }
    for (const auto& [kind, count] : wanted) {
        auto it = m_pool.ids_by_kind.find(kind);
        std::size_t available = it == m_pool.ids_by_kind.end() ? 0 : it->second.size() - m_next[kind];
        if (available < count) {
            return {{}, "needs " + std::to_string(count) + " " + kind + " fixture(s), "
                            + std::to_string(available) + " left in the fixtures"};
        }
    }
    Allocation out;
    for (const auto& [name, kind] : test_case.fixtures) {
        out.bindings[name] = m_generated_kinds.count(kind) ? util::random_id() : m_pool.ids_by_kind[kind][m_next[kind]++];
    }
    return out;
}

std::map<std::string, std::size_t> fixture_demand(const std::vector<const contract::Case*>& cases,
                                                  const std::set<std::string>& generated_kinds)
{
    std::map<std::string, std::size_t> demand;
    for (const auto* c : cases) {
        for (const auto& [name, kind] : c->fixtures) {
            if (!generated_kinds.count(kind)) {
                ++demand[kind];
            }
        }
    }
    return demand;
}

std::size_t fixtures_per_kind(const std::vector<const contract::Case*>& cases, const std::set<std::string>& generated_kinds)
{
    std::size_t most = 1;
    for (const auto& [kind, count] : fixture_demand(cases, generated_kinds)) {
        most = std::max(most, count);
    }
    return most;
}

}  // namespace conform::engine
