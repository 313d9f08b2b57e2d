// Which rule a deviation breaks. The data decides: a rule the predicate or expectation names,
// else the first of the case's rules that covers the deviation's kind (contract.json "covers":
// R1 owns Content-Type, R2 the error envelope), else any rule of the contract that covers it
// (U1 owns UnpublishAssets' 200 body, also where a delete case probes with it), else the case's
// first rule. The judge (core/judge) takes the deviation's level from the rule named here.
#pragma once

#include <string>

#include "contract/contract.hpp"
#include "engine/result.hpp"

namespace conform::engine {

std::string attribute(const Failure& failure, const contract::Case& test_case, const contract::Contract& contract);

}  // namespace conform::engine
