#include "plan.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace conform {

std::string plan_text(const PlanInput& in)
{
    std::size_t must = 0, runnable = 0, requests = 0;
    for (std::size_t i = 0; i < in.selected.size(); ++i) {
        must += in.selected[i]->level == contract::Level::must;
        if (!in.allocations[i].skip_reason) {
            ++runnable;
            requests += in.selected[i]->steps.size();
        }
    }
    auto out = fmt::format("plan: {} cases selected ({} MUST, {} SHOULD), {} can run with the fixtures given\n",
                           in.selected.size(), must, in.selected.size() - must, runnable);
    std::string kinds;
    for (const auto& [kind, needed] : in.fixtures_needed) {
        const auto it = in.fixtures_given.find(kind);
        const auto given = it == in.fixtures_given.end() ? 0 : it->second;
        kinds += fmt::format("{}{} {}/{}{}", kinds.empty() ? "" : ", ", kind, needed, given,
                             given < needed ? " (short)" : "");
    }
    if (!kinds.empty()) {
        out += "      fixtures needed/given: " + kinds + "\n";
    }
    // At least one request per step of each runnable case; settling probes may add a few.
    double seconds = 0;
    std::string pace;
    if (in.rate) {
        seconds = static_cast<double>(requests) / in.rate->per_second();
        pace = fmt::format("--rate {}/{} s", in.rate->requests, in.rate->seconds);
    } else {
        seconds = static_cast<double>(requests) * k_nominal_latency_seconds / std::max(1, in.jobs);
        pace = fmt::format("adaptive (as fast as answered at --jobs {}; slower after a 429; --rate N/PERIOD caps it)",
                           in.jobs);
    }
    out += fmt::format("      {} requests expected; pace {}; about {:.0f} s{}\n", requests, pace, std::ceil(seconds),
                       in.rate ? "" : fmt::format(" at {:.0f} ms a request", k_nominal_latency_seconds * 1000));
    if (!in.state_query.empty()) {
        out += fmt::format("      premises: fixture states checked with {} before the steps that rely on them\n",
                           in.state_query);
    }
    if (!in.unverifiable.empty()) {
        out += fmt::format("      {} case(s) rest on a premise no query can check (a pass is marked unverified): {}\n",
                           in.unverifiable.size(), fmt::join(in.unverifiable, ", "));
    }
    return out;
}

}  // namespace conform
