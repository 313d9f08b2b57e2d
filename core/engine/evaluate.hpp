// Expectation x Response -> reasons it does not hold. Pure: no I/O, no state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contract/case.hpp"
#include "contract/schema_store.hpp"
#include "contract/template.hpp"
#include "engine/result.hpp"
#include "http/message.hpp"

namespace conform::engine {

// The value a pointer selects. Besides RFC 6901 tokens, a token "[key=value]" selects the one
// element of an array whose member key equals value, so cases need not assume an order.
struct Selection {
    const nlohmann::json* value = nullptr;
    std::string problem;  // why nothing was selected
};
Selection select(const nlohmann::json& document, const std::string& pointer);

// failures carry the rule the data names for them (predicate, then expectation), else none:
// the caller attributes the rest (engine/attribute.hpp).
struct StepVerdict {
    std::vector<Failure> failures;       // empty: the step met an expectation
    std::optional<std::size_t> matched;  // which expectation held
    contract::Bindings captured;
};

// Checks the response against the step's expectations (status, Content-Type, emptiness, the
// schema the OpenAPI document declares for the status or the one the case names, and the
// body predicates), then takes the captures. operation may be null for raw requests.
StepVerdict evaluate(const contract::Step& step, const http::Response& response, const contract::Operation* operation,
                     const contract::SchemaStore& schemas, const contract::Bindings& bindings);

}  // namespace conform::engine
