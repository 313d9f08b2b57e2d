// Shards (conform run --shard K/N): a deterministic part of the selected cases, so N machines
// together run each case exactly once, with about as many requests each.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "contract/case.hpp"

namespace conform::engine {

struct Shard {
    std::size_t index = 1;  // 1-based: 1/3, 2/3, 3/3
    std::size_t count = 1;
};

// "K/N" with 1 <= K <= N <= 1000; throws std::invalid_argument saying what is wrong.
Shard parse_shard(const std::string& text);

// The cases of shard K of N, in the order given. Cases are dealt longest first (by steps, the
// requests a case sends at least; ties by id) to the shard with the fewest steps so far (ties:
// the lowest), so the split depends only on the set of cases, never on their order or the run.
std::vector<const contract::Case*> shard_cases(const std::vector<const contract::Case*>& cases, const Shard& shard);

}  // namespace conform::engine
