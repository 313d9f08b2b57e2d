// The values one member can take that its JSON Schema alone implies: each value the schema
// refuses (a wrong JSON type, a value outside the enum or with its case changed, empty where it
// needs at least one, one item over maxItems) and each boundary value it accepts (every enum
// value, exactly maxItems items). Pure: no file, no contract, nothing of any API.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace conform::generate {

// Where the member travels: a JSON body holds any JSON value, a query string only text (a
// value given twice stands for an array).
enum class Carrier { body, query };

struct Variant {
    std::string name;                     // the last part of a generated case's id: "type-integer", "asset_id/missing"
    std::string what;                     // the value in words, for descriptions: "asset_id as an integer"
    bool accepted = false;                // a boundary value the schema accepts; else one it refuses
    std::optional<nlohmann::json> value;  // nullopt: the member left out
};

// The n-th item (n from 1) added to an array after its valid first item, to fill it up to
// maxItems: distinct from it where that matters (another id), or the same.
using ExtraItem = std::function<nlohmann::json(const nlohmann::json& first_item, std::size_t n)>;

// schema has no $ref left (see inline_refs). valid is a value the schema accepts; name is the
// member's, for words and for the object a wrong-typed value is wrapped in. For an object, the
// variants of its properties come too, named "property/variant", each a whole object. Always
// the same list, in the same order, for the same input.
std::vector<Variant> variants(const nlohmann::json& schema, const nlohmann::json& valid, Carrier carrier,
                              const std::string& name, const ExtraItem& extra);

// A value the schema accepts: its first enum value, example or default, else one of its type
// (objects with their required properties only).
nlohmann::json example_value(const nlohmann::json& schema);

}  // namespace conform::generate
