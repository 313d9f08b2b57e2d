// Fuzz target: evaluating a response against a step of the real cases (engine::evaluate,
// schema validation and body predicates included).
// Input: a line "<case id> <step number from 1> <status>", then the response body. An unknown
// case id picks a case by its hash, so mutated headers still reach every step. Placeholders are
// bound in the order the case names them: project_id to fuzz::k_project_id, then the fixtures
// and the captures of every step to fuzz::asset_id(0), (1), ...
// Properties: no crash, no exception escapes (endpoint faults are failures, not exceptions).
#include <cstdint>
#include <functional>

#include "contract/contract.hpp"
#include "engine/evaluate.hpp"
#include "fuzz_support.hpp"

using namespace conform;

namespace {

const contract::Contract& the_contract()
{
    static const auto contract = contract::Contract::load({CONFORM_FUZZ_SCHEMAS, CONFORM_FUZZ_CASES});
    return contract;
}

contract::Bindings bindings_for(const contract::Case& c)
{
    contract::Bindings bindings{{"project_id", fuzz::k_project_id}};
    std::size_t next = 0;
    auto bind = [&](const std::string& name) {
        if (!bindings.count(name)) {
            bindings[name] = fuzz::asset_id(next++);
        }
    };
    for (const auto& [name, kind] : c.fixtures) {
        bind(name);
    }
    for (const auto& step : c.steps) {
        for (const auto& expect : step.expect) {
            for (const auto& [name, pointer] : expect.capture) {
                bind(name);
            }
        }
    }
    return bindings;
}

const contract::Case& case_named(std::string_view id)
{
    const auto& cases = the_contract().cases();
    for (const auto& c : cases) {
        if (c.id == id) {
            return c;
        }
    }
    return cases[std::hash<std::string_view>{}(id) % cases.size()];
}

long number(std::string_view text)
{
    return std::strtol(std::string(text).c_str(), nullptr, 10);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    the_contract();  // a broken contract stops the fuzzer before the first input
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view input(reinterpret_cast<const char*>(data), size);
    auto header = fuzz::take_line(input);
    auto take_word = [&header] {
        auto space = header.find(' ');
        auto word = header.substr(0, space);
        header.remove_prefix(space == std::string_view::npos ? header.size() : space + 1);
        return word;
    };
    const auto& c = case_named(take_word());
    // Unsigned, so any number (0, negative, LONG_MIN) wraps to some step.
    const auto& step = c.steps[(static_cast<std::size_t>(number(take_word())) - 1) % c.steps.size()];

    http::Response response;
    response.status = static_cast<int>(number(take_word()));
    response.headers.add("Content-Type", "application/json;charset=UTF-8");
    response.body = std::string(input);

    const auto& contract = the_contract();
    const auto* operation = step.request.operation.empty() ? nullptr : contract.operation(step.request.operation);
    engine::evaluate(step, response, operation, contract.schemas(), bindings_for(c));
    return 0;
}
