// A JSON document's shape: every pointer with array indexes folded to "*", and its type, once
// each, in document order. Results carry it so a reader sees what came without the values.
#pragma once

#include <nlohmann/json.hpp>

#include "engine/result.hpp"

namespace conform::engine {

Shape shape_of(const nlohmann::json& document);

}  // namespace conform::engine
