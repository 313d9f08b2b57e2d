#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace conform::contract {

// No file of the contract comes near this; a bigger one (or /dev/zero) is a mistake, not data.
inline constexpr std::size_t k_max_contract_file_bytes = 4 * 1024 * 1024;

// Reads a regular file of at most k_max_contract_file_bytes; throws ContractError naming the
// file otherwise (missing, a directory or device, a dangling symlink, too big).
// Problems name source (e.g. the path as the user gave it) rather than path.
std::string read_text_file(const std::filesystem::path& path, const std::string& source);
std::string read_text_file(const std::filesystem::path& path);
// Parses text read from source; throws ContractError naming source and line:column.
nlohmann::json parse_json(const std::string& text, const std::string& source);
// Reads and parses a JSON file; throws ContractError naming the file and line:column.
nlohmann::json read_json_file(const std::filesystem::path& path);

// The value at a JSON pointer, or nullptr; never throws.
const nlohmann::json* find_pointer(const nlohmann::json& document, const std::string& pointer);

// A schema-checked object of strings or arrays of strings (a query, headers, captures) as
// name-value pairs in key order, an array as one pair per item.
std::vector<std::pair<std::string, std::string>> string_pairs(const nlohmann::json& object);

// A short single-line rendering of a value for messages (long values are cut).
std::string brief(const nlohmann::json& value, std::size_t max_length = 80);

}  // namespace conform::contract
