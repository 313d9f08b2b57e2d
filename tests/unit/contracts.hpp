// The contracts the unit tests load: the VOD contract of this tree, and the invented widgets
// contract of tests/data/widgets (a second API through the same engine).
#pragma once

#include <stdexcept>
#include <string>

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

inline constexpr const char* k_widgets_fixtures = CONFORM_TEST_DATA "/widgets/fixtures.json";

// Loaded once per test process.
inline const conform::contract::Contract& vod()
{
    static const auto contract = conform::contract::Contract::load(vod_paths());
    return contract;
}

// The contract of the tests of the engine, the reporters and compare: what they do with it comes
// from its data, never from anything VOD.
inline const conform::contract::Contract& widgets()
{
    static const auto contract = conform::contract::Contract::load(widgets_paths());
    return contract;
}

// One of its cases, by id.
inline const conform::contract::Case& widgets_case(const std::string& id)
{
    for (const auto& c : widgets().cases()) {
        if (c.id == id) {
            return c;
        }
    }
    throw std::out_of_range("no widgets case " + id);
}

}  // namespace test_contracts
