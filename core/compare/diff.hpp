// Drift between two runs of the same suite against an endpoint (conform diff OLD.json NEW.json):
// outcome changes, and changes within the contract that clients still notice: which documented
// alternative a step matched, the shape of responses per operation and status, the median
// latency per operation. A pure function of two loaded results; knows nothing of any API.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/result.hpp"

namespace conform::compare {

// One run as the diff reads it: its judged results (what gated it is in their verdicts).
struct RunView {
    const engine::RunResult& run;
};

struct DriftOptions {
    // Latency drifts when one median is at least ratio times the other and at least floor
    // seconds apart: the floor keeps a fast endpoint's jitter (0.4 ms against 0.8 ms) quiet.
    double latency_ratio = 1.5;
    double latency_floor = 0.05;
};

struct OutcomeChange {
    // regressed: gates now (failed or error) and did not before, or is new and gates;
    // failing_differently: gated in both runs, on other rules or places; fixed: gated or was a
    // known deviation, passes now; changed: any other change of verdict; added, removed: a case
    // in one run only (added ones that gate are regressed).
    enum class Kind { regressed, failing_differently, fixed, changed, added, removed };
    Kind kind = Kind::changed;
    std::string case_id;
    std::string before, after;  // verdicts ("passed", "failed", ...); empty where the case is absent
    std::string detail;         // the newer run's headline for the case
};

// A step that met a different expect_any alternative (both runs met one).
struct AlternativeChange {
    std::string case_id;
    std::string step;
    std::size_t step_index = 0;
    std::size_t before = 0, after = 0;  // 0-based alternative indexes
    int status_before = 0, status_after = 0;
};

// A response field per operation and status: present in one run only, or of other types.
struct ShapeChange {
    enum class Kind { added, removed, retyped };
    Kind kind = Kind::added;
    std::string operation;
    int status = 0;
    std::string pointer;        // array indexes folded to *
    std::string before, after;  // types, "|"-joined when responses disagree; empty where absent
};

struct LatencyChange {
    std::string operation;
    double before = 0, after = 0;  // median seconds
    std::size_t samples_before = 0, samples_after = 0;
};

struct Drift {
    std::vector<OutcomeChange> outcomes;
    std::vector<AlternativeChange> alternatives;
    std::vector<ShapeChange> shapes;
    std::vector<LatencyChange> latencies;

    // A case gates now that did not before, or fails in another way.
    bool regressed() const;
    // Drift inside the contract: alternatives, shapes, latency (slower only).
    bool within_contract() const;
};

std::string to_string(OutcomeChange::Kind kind);
std::string to_string(ShapeChange::Kind kind);

// Shapes, alternatives and latency are compared over the cases both runs hold, so a run of
// fewer cases (a shard, --tag) does not read as drift.
Drift diff(const RunView& before, const RunView& after, const DriftOptions& options = {});

}  // namespace conform::compare
