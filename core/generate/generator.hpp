// Generated cases: the negative and boundary values core/generate/variants derives from the
// OpenAPI document's query parameters and JSON request bodies, made into ordinary cases by what
// contract.json's "generate" member says (contract::GenerateSpec, read and checked when the
// contract loads). Nothing here names an API.
#pragma once

#include <vector>

#include "contract/contract.hpp"

namespace conform::generate {

// Every generated case carries this tag (conform run --tag generated runs them alone).
inline constexpr const char* k_tag = "generated";

// The cases for the operations spec lists, from the contract's OpenAPI document as loaded; reads
// no file. The same contract gives the same cases in the same order. Throws ContractError naming
// contract.json and the JSON pointer of each mapping the OpenAPI document does not bear out (a
// target member the operation lacks, a case no rule key matches, a key that matches no case).
std::vector<contract::Case> generate_cases(const contract::Contract& contract, const contract::GenerateSpec& spec);
// The same for the contract's own spec; none without "generate".
std::vector<contract::Case> generate_cases(const contract::Contract& contract);

}  // namespace conform::generate
