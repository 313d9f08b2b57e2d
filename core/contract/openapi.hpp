#pragma once

#include <filesystem>
#include <vector>

#include "contract/case.hpp"

namespace conform::contract {

// The operations of an OpenAPI 3 document: method, path and, per response, the schema file
// its application/json body points to. Throws ContractError for what the runner cannot use.
std::vector<Operation> read_operations(const std::filesystem::path& openapi_file);

}  // namespace conform::contract
