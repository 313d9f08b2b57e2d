// The contracts the unit tests load: the VOD contract of this tree, and the invented widgets
// contract of tests/data/widgets (a second API through the same engine).
#pragma once

#include "contract/contract.hpp"

namespace test_contracts {

inline conform::contract::ContractPaths vod_paths()
{
    return {CONFORM_SOURCE_DIR "/schemas", CONFORM_SOURCE_DIR "/cases"};
}

inline conform::contract::ContractPaths widgets_paths()
{
    return {CONFORM_TEST_DATA "/widgets/schemas", CONFORM_TEST_DATA "/widgets/cases"};
}

// Loaded once per test process.
inline const conform::contract::Contract& vod()
{
    static const auto contract = conform::contract::Contract::load(vod_paths());
    return contract;
}

}  // namespace test_contracts
