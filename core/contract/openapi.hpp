#pragma once

#include <filesystem>
#include <vector>

#include "contract/case.hpp"
#include "contract/profile.hpp"

namespace conform::contract {

struct OpenApi {
    std::vector<Operation> operations;
    Security security;
    nlohmann::json document;  // as read, its shape checked
};

// From an OpenAPI 3 document: the operations (method, path and, per response, the schema file
// its application/json body points to) and the security schemes (an apiKey header, and the
// SDK-HMAC-SHA256 scheme marked x-conform-signing). Throws ContractError for what the runner
// cannot use.
OpenApi read_openapi(const std::filesystem::path& openapi_file);

}  // namespace conform::contract
