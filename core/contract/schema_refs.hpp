// What the schemas must not hand valijson: it resolves a "$ref" whose chain of $refs never reaches
// a schema ("$ref": "#" at a root, a -> b -> a) without end, and compiles "pattern" with std::regex
// only when it validates, throwing then. Checked once, when the schemas load.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contract/error.hpp"

namespace conform::contract {

// A longer pattern is a mistake; std::regex also compiles nested groups recursively.
inline constexpr std::size_t k_max_pattern_length = 1024;

// The schema file a $ref's URI names: "b.schema.json" for "./b.schema.json#/x".
std::string schema_file_of(const std::string& uri);

// Far more $refs in a chain than any contract needs, far fewer than overflow valijson's parser.
inline constexpr std::size_t k_max_ref_depth = 256;

// documents: schema file name -> its JSON; a $ref names another of them ("b.schema.json#/x") or a
// place in its own ("#/definitions/x"). Each problem names the file holding the broken $ref or
// pattern, and its pointer.
std::vector<Problem> check_schema_documents(const std::map<std::string, nlohmann::json, std::less<>>& documents,
                                            const std::filesystem::path& dir);

}  // namespace conform::contract
