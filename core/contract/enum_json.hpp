// The contract's enums as their JSON strings: the one table of each, which to_string, the case
// parser and the results JSON all read. Includes json.hpp: for the few files that need it.
#pragma once

#include <nlohmann/json.hpp>

#include "contract/case.hpp"

namespace conform::contract {

// The first entry is what a string outside the table reads as (files are schema-checked first).
NLOHMANN_JSON_SERIALIZE_ENUM(Level, {{Level::must, "MUST"}, {Level::should, "SHOULD"}})
NLOHMANN_JSON_SERIALIZE_ENUM(Auth, {{Auth::run, "run"},
                                    {Auth::none, "none"},
                                    {Auth::wrong_token, "wrong_token"},
                                    {Auth::bad_signature, "bad_signature"}})

}  // namespace conform::contract
