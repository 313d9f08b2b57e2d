#pragma once

#include <string>

namespace conform::util {

// 32 random hex digits, shaped like a VOD asset id; fresh per call, thread-safe.
std::string random_id();

}  // namespace conform::util
