// What a contract's data says about its API beyond operations and cases: how requests
// authenticate (the OpenAPI document's components.securitySchemes), and from contract.json
// what the reports call the suite, the fixtures file's shape and the placeholders bound for a
// whole run. The engine and the reporters read these values; none of them is compiled in.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace conform::contract {

// The AK/SK scheme (SDK-HMAC-SHA256, the signer in http/signer.hpp).
struct Signing {
    // Set before signing, so signed too; values are templates over the run's bindings,
    // e.g. {"X-Project-Id", "{{project_id}}"}.
    std::vector<std::pair<std::string, std::string>> headers;
};

struct Security {
    std::optional<std::string> token_header;  // the apiKey scheme sent in a header
    std::optional<Signing> signing;           // the scheme with x-conform-signing
    // Every header that carries a credential of a scheme: masked whatever its value.
    std::vector<std::string> credential_headers;
};

// How reports name the run (contract.json "report"), and the header the curl line of a
// failure refers to the run's token by.
struct ReportNames {
    std::string suite;             // JUnit <testsuites name>
    std::string classname_prefix;  // JUnit classname and <testsuite name>: prefix + operation
    std::string title;             // the heading of the Markdown and HTML reports
    std::string token_header;      // empty: the contract has no token scheme
};

// contract.json "fixtures_file": the schema a fixtures file is validated with, and the member
// that holds the ids by kind ({"KIND": ["id", ...]}).
struct FixturesFile {
    std::string schema;
    std::string ids_by_kind;
};

}  // namespace conform::contract
