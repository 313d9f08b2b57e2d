// The engine's result enums as their JSON strings: the one table of each, which to_string and
// the results JSON both read. Includes json.hpp: for the few files that need it.
#pragma once

#include <nlohmann/json.hpp>

#include "engine/result.hpp"

namespace conform::engine {

// The first entry is what a string outside the table reads as (results are schema-checked first).
NLOHMANN_JSON_SERIALIZE_ENUM(Outcome, {{Outcome::skipped, "skipped"},
                                       {Outcome::passed, "passed"},
                                       {Outcome::failed, "failed"},
                                       {Outcome::error, "error"},
                                       {Outcome::inconclusive, "inconclusive"}})
NLOHMANN_JSON_SERIALIZE_ENUM(Cause, {{Cause::none, "none"},
                                     {Cause::fixtures, "fixtures"},
                                     {Cause::interrupted, "interrupted"},
                                     {Cause::transport, "transport"},
                                     {Cause::placeholder, "placeholder"},
                                     {Cause::internal, "internal"},
                                     {Cause::not_applicable, "not_applicable"},
                                     {Cause::premise_lost, "premise_lost"},
                                     {Cause::premise_check, "premise_check"}})
NLOHMANN_JSON_SERIALIZE_ENUM(Verdict, {{Verdict::skipped, "skipped"},
                                       {Verdict::passed, "passed"},
                                       {Verdict::failed, "failed"},
                                       {Verdict::warned, "warned"},
                                       {Verdict::error, "error"},
                                       {Verdict::known, "known"},
                                       {Verdict::premise_lost, "premise_lost"},
                                       {Verdict::inconclusive, "inconclusive"}})
NLOHMANN_JSON_SERIALIZE_ENUM(KnownDeviation::State, {{KnownDeviation::State::known, "known"},
                                                     {KnownDeviation::State::expired, "expired"},
                                                     {KnownDeviation::State::fixed, "fixed"}})

}  // namespace conform::engine
