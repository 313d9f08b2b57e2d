#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

namespace conform::contract {

std::string read_text_file(const std::filesystem::path& path);
// Parses text read from source; throws ContractError naming source and line:column.
nlohmann::json parse_json(const std::string& text, const std::string& source);
// Reads and parses a JSON file; throws ContractError naming the file and line:column.
nlohmann::json read_json_file(const std::filesystem::path& path);

// The value at a JSON pointer, or nullptr; never throws.
const nlohmann::json* find_pointer(const nlohmann::json& document, const std::string& pointer);

// A short single-line rendering of a value for messages (long values are cut).
std::string brief(const nlohmann::json& value, std::size_t max_length = 80);

}  // namespace conform::contract
