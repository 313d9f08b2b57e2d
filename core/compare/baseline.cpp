#include "compare/baseline.hpp"

#include <algorithm>
#include <set>

#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "contract/schema_store.hpp"
#include "util/atomic_file.hpp"
#include "util/utc_time.hpp"

namespace conform::compare {

namespace {

// The pattern in the schema guarantees the digits; this refuses 2026-02-30.
bool real_date(const std::string& text)
{
    const int y = std::stoi(text.substr(0, 4));
    const unsigned m = static_cast<unsigned>(std::stoi(text.substr(5, 2)));
    const unsigned d = static_cast<unsigned>(std::stoi(text.substr(8, 2)));
    return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}.ok();
}

std::optional<std::string> optional_string(const nlohmann::json& entry, const char* key)
{
    return entry.contains(key) ? std::optional<std::string>(entry[key].get<std::string>()) : std::nullopt;
}

}  // namespace

bool BaselineEntry::matches(const engine::Failure& failure) const
{
    return (!rule || *rule == failure.rule) && (!pointer || *pointer == failure.where);
}

Baseline baseline_from_json(const nlohmann::json& document, const std::string& source)
{
    Baseline out;
    const auto& entries = document["known_deviations"];
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        BaselineEntry entry{e["case"].get<std::string>(), e["reason"].get<std::string>(), optional_string(e, "rule"),
                            optional_string(e, "pointer"), optional_string(e, "expires")};
        if (entry.expires && !real_date(*entry.expires)) {
            throw util::FileError(source + ": /known_deviations/" + std::to_string(i) + "/expires: '" + *entry.expires +
                                  "' is not a date (YYYY-MM-DD)");
        }
        out.entries.push_back(std::move(entry));
    }
    return out;
}

Baseline load_baseline(const std::filesystem::path& file, const nlohmann::json& schema)
{
    nlohmann::json document;
    try {
        document = contract::read_json_file(file);
    } catch (const contract::ContractError& e) {
        throw util::FileError(std::string(e.what()));
    }
    const auto violations = contract::SchemaStore::validate_with(schema, document);
    if (!violations.empty()) {
        const auto& v = violations.front();
        throw util::FileError(file.string() + ": " + (v.pointer.empty() ? "/" : v.pointer) + ": " + v.message +
                              " (not a baseline: see schemas/baseline.schema.json)");
    }
    return baseline_from_json(document, file.string());
}

std::optional<engine::KnownDeviation> mark(const Baseline& baseline, const engine::CaseResult& result,
                                           const BaselinePolicy& policy)
{
    std::vector<const BaselineEntry*> entries;
    for (const auto& e : baseline.entries) {
        if (e.case_id == result.test_case.id) {
            entries.push_back(&e);
        }
    }
    if (entries.empty()) {
        return std::nullopt;
    }
    using State = engine::KnownDeviation::State;
    if (result.outcome == engine::Outcome::passed) {
        return engine::KnownDeviation{State::fixed, entries.front()->reason, entries.front()->expires.value_or(""),
                                      policy.strict};
    }
    if (result.outcome != engine::Outcome::failed || result.failures.empty()) {
        return std::nullopt;
    }
    // The entry date is the last day it holds: expired from the next day on (UTC).
    const auto today = util::format_utc(policy.now, "%Y-%m-%d");
    auto expired = [&](const BaselineEntry* e) { return e->expires && *e->expires < today; };
    const BaselineEntry* first = nullptr;
    const BaselineEntry* lapsed = nullptr;
    for (const auto& failure : result.failures) {
        const BaselineEntry* live = nullptr;
        const BaselineEntry* dead = nullptr;
        for (const auto* e : entries) {
            if (e->matches(failure)) {
                auto& slot = expired(e) ? dead : live;
                slot = slot ? slot : e;
            }
        }
        if (!live && !dead) {
            return std::nullopt;  // a failure the baseline does not list: a regression
        }
        first = first ? first : (live ? live : dead);
        lapsed = lapsed ? lapsed : (live ? nullptr : dead);
    }
    if (lapsed) {
        return engine::KnownDeviation{State::expired, lapsed->reason, *lapsed->expires, policy.strict};
    }
    return engine::KnownDeviation{State::known, first->reason, first->expires.value_or(""), false};
}

std::vector<std::string> unknown_cases(const Baseline& baseline, const std::vector<std::string>& known_ids)
{
    std::set<std::string> known(known_ids.begin(), known_ids.end());
    std::set<std::string> out;
    for (const auto& e : baseline.entries) {
        if (!known.count(e.case_id)) {
            out.insert(e.case_id);
        }
    }
    return {out.begin(), out.end()};
}

nlohmann::json baseline_json(const engine::RunResult& run, const std::string& reason)
{
    auto entries = nlohmann::json::array();
    for (const auto& r : run.cases) {
        if (r.outcome != engine::Outcome::failed) {
            continue;
        }
        std::set<std::pair<std::string, std::string>> seen;
        for (const auto& f : r.failures) {
            if (seen.insert({f.rule, f.where}).second) {
                entries.push_back(
                    {{"case", r.test_case.id}, {"reason", reason}, {"rule", f.rule}, {"pointer", f.where}});
            }
        }
    }
    return {{"format", k_baseline_format}, {"known_deviations", entries}};
}

}  // namespace conform::compare
