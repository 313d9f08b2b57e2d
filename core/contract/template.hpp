// {{name}} placeholders in case files: fixture ids, the project id and values captured by
// earlier steps. A string that is exactly one placeholder takes the bound JSON value (so a
// captured number stays a number); elsewhere the value is spliced in as text.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace conform::contract {

using Bindings = std::map<std::string, nlohmann::json, std::less<>>;

class UnboundPlaceholder : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

std::vector<std::string> placeholders(std::string_view text);
// Every placeholder in every string of a JSON value, keys included.
std::vector<std::string> placeholders(const nlohmann::json& value);

std::string expand(std::string_view text, const Bindings& bindings);
nlohmann::json expand(const nlohmann::json& value, const Bindings& bindings);

}  // namespace conform::contract
