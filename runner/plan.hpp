// What a run is about to do, printed before anything is sent: the cases, the fixtures they need
// against those given, the requests, the pace and how long it should take.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "contract/case.hpp"
#include "engine/fixtures.hpp"
#include "engine/quota.hpp"

namespace conform {

struct PlanInput {
    std::vector<const contract::Case*> selected;
    std::vector<engine::Allocation> allocations;         // one per selected case
    std::map<std::string, std::size_t> fixtures_needed;  // by kind
    std::map<std::string, std::size_t> fixtures_given;   // by kind
    std::optional<engine::Rate> rate;
    int jobs = 1;
    std::string state_query;                // the contract's, checking premises; empty: none
    std::vector<std::string> unverifiable;  // cases resting on a premise no query can check
};

// A request's round trip when nothing is known of the endpoint: what the estimate assumes.
inline constexpr double k_nominal_latency_seconds = 0.1;

// The plan, a few lines, each ending with '\n'.
std::string plan_text(const PlanInput& input);

}  // namespace conform
