#include "engine/result.hpp"

#include "engine/enum_json.hpp"

namespace conform::engine {

std::string to_string(Outcome outcome)
{
    return nlohmann::json(outcome).get<std::string>();
}

std::string to_string(Cause cause)
{
    return nlohmann::json(cause).get<std::string>();
}

std::string to_string(Verdict verdict)
{
    return nlohmann::json(verdict).get<std::string>();
}

std::string to_string(KnownDeviation::State state)
{
    return nlohmann::json(state).get<std::string>();
}

}  // namespace conform::engine
