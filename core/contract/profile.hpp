// What a contract's data says about its API beyond operations and cases: how requests
// authenticate (the OpenAPI document's components.securitySchemes), and from contract.json
// what the reports call the suite, the fixtures file's shape and the placeholders bound for a
// whole run. The engine and the reporters read these values; none of them is compiled in.
#pragma once

#include <cstddef>
#include <map>
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

// contract.json "premises": the state a case relies on, read without changing anything.
// A condition on one item of the query's answer: the value at pointer is (in) or is not (!in)
// one of values.
struct StateCondition {
    std::string pointer;  // into one item, e.g. /transcode_status
    bool in = true;
    std::vector<std::string> values;
};

// What confirms a fixture kind: every condition holds for the asset's item; or why no query
// can show it (not_verifiable, then state is empty).
struct KindPremise {
    std::vector<StateCondition> state;
    std::string not_verifiable;
    bool verifiable() const { return not_verifiable.empty(); }
};

// The read-only query that answers for a batch of ids: an operation of the OpenAPI document
// marked x-conform-role: query (used, not under test).
struct StateQuery {
    std::string operation;
    std::string ids_parameter;  // query parameter taking the ids, one key per id
    std::size_t batch = 10;     // most ids one query takes
    std::string items;          // JSON pointer to the array of items in its 200 answer
    std::string id_member;      // the member of an item that holds its id
};

struct Premises {
    StateQuery query;
    std::map<std::string, KindPremise> kinds;  // every fixture kind
    const KindPremise* kind(const std::string& name) const
    {
        auto it = kinds.find(name);
        return it == kinds.end() ? nullptr : &it->second;
    }
};

// contract.json "quota": the answers that mean "throttled, not carried out" (resent, never a
// result), and the categories an endpoint counts calls in, each paced on its own.
struct ThrottleAnswer {
    int status = 429;
    std::optional<std::string> pointer;  // with equals: a member of the body that must have that value
    std::string equals;
};

struct QuotaCategory {
    std::string name;
    double per_minute = 0;  // the documented quota per tenant
    std::vector<std::string> operations;
};

struct Quota {
    std::vector<ThrottleAnswer> throttled{ThrottleAnswer{}};  // HTTP's 429 when the contract says nothing
    std::vector<QuotaCategory> categories;
    // The category of an operation; nullptr when none lists it.
    const QuotaCategory* category_of(const std::string& operation) const
    {
        for (const auto& c : categories) {
            for (const auto& op : c.operations) {
                if (op == operation) {
                    return &c;
                }
            }
        }
        return nullptr;
    }
};

}  // namespace conform::contract
