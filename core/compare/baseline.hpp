// Known deviations (conform run --baseline FILE, schemas/baseline.schema.json): which failures
// of an endpoint are accepted for now, so that only new ones gate. Matches failures to entries
// by case id, rule and place; knows nothing of any API.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/run.hpp"

namespace conform::compare {

inline constexpr const char* k_baseline_format = "conform-baseline/1";

struct BaselineEntry {
    std::string case_id;
    std::string reason;
    std::optional<std::string> rule;     // only failures of this rule
    std::optional<std::string> pointer;  // only failures at this place (a Failure's where)
    std::optional<std::string> expires;  // YYYY-MM-DD, the last day the entry holds

    bool matches(const engine::Failure& failure) const;
};

struct Baseline {
    std::vector<BaselineEntry> entries;
};

// Reads and checks a baseline file against its schema; anything wrong (unreadable, not JSON, a
// schema violation, a date that does not exist) is a util::FileError naming the file and the
// JSON pointer.
Baseline load_baseline(const std::filesystem::path& file, const nlohmann::json& schema);
// The same from a parsed document already valid against the schema; source names it in errors.
Baseline baseline_from_json(const nlohmann::json& document, const std::string& source);

struct BaselinePolicy {
    std::chrono::system_clock::time_point now;  // for expiry, injectable for tests
    bool strict = false;                        // --strict-baseline: fixed and expired entries count against the run
};

// What the baseline says of one result: a failed case whose every failure an entry matches is
// known (expired when only entries past their date match one of them); a passed case with an
// entry is fixed; anything else (an unmatched failure, an error, a skip) has no mark. The judge
// (core/judge) calls it, once per case.
std::optional<engine::KnownDeviation> mark(const Baseline& baseline, const engine::CaseResult& result,
                                           const BaselinePolicy& policy);

// Ids the baseline names that are not among known_ids (a renamed or removed case).
std::vector<std::string> unknown_cases(const Baseline& baseline, const std::vector<std::string>& known_ids);

// A baseline of a run's failures: one entry per failed case, rule and place, with reason.
nlohmann::json baseline_json(const engine::RunResult& run, const std::string& reason);

}  // namespace conform::compare
