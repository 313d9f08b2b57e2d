// Generated cases: the negative and boundary values core/generate/variants derives from the
// OpenAPI document's query parameters and JSON request bodies, made into ordinary cases by what
// contract.json's "generate" member says: per operation, the member that carries the fixture
// and its kind, the statuses a refusal may have and the rule each case is tied to; per fixture
// kind, a request that reads its status without changing it. Nothing here names an API.
#pragma once

#include <vector>

#include "contract/contract.hpp"

namespace conform::generate {

// Every generated case carries this tag (conform run --tag generated runs them alone).
inline constexpr const char* k_tag = "generated";

// The cases for the operations contract.json's "generate" lists, read with the OpenAPI document
// from the contract's schemas folder; none without "generate". The same contract gives the
// same cases in the same order. Throws ContractError naming contract.json and the JSON pointer
// of every reference that does not hold (rule, kind, member, operation, a mapping key that
// matches no case).
std::vector<contract::Case> generate_cases(const contract::Contract& contract);

}  // namespace conform::generate
