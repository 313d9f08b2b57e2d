// contract.json "generate", read and checked when the contract loads: per operation, the member
// that carries the fixture and its kind, the statuses a refusal may have and the rule each
// generated case is tied to; per fixture kind, a request that reads its status without changing
// it. core/generate makes the cases from it and the OpenAPI document. Nothing here names an API.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "contract/case.hpp"

namespace conform::contract {

class Contract;

struct GenerateSpec {
    // A request that reads the status of the fixture {{a}} and leaves it as it is.
    struct Probe {
        RequestSpec request;
        int status = 200;
        std::string read;  // JSON pointer to the status in the probe's response
    };
    struct Operation {
        std::string member;  // the query parameter or body member that carries the fixture
        std::string kind;
        std::vector<int> refuse;
        std::map<std::string, std::map<std::string, std::string>> rules;  // polarity -> key -> rule id
        nlohmann::json::json_pointer at;  // /generate/operations/<id>: where problems found later point
        int line = 1;                     // of its key in contract.json, for generated cases' reports
    };
    std::string fill_kind;                        // a generated kind: the made-up ids {{g1}}, {{g2}}, ...
    std::map<std::string, Probe> probes;          // by fixture kind
    std::map<std::string, Operation> operations;  // by operationId
    std::string file;                             // contract.json as generated cases name it: "schemas/contract.json"
    std::string source;                           // contract.json as problems name it
};

// Reads manifest["generate"] (schema-checked) of contract.json, whose text is manifest_text; each
// reference that does not hold (operation, rule, kind, a probe's placeholders) goes to problem
// with its JSON pointer. contract: loaded as far as its rules, kinds, placeholders and operations.
GenerateSpec read_generate_spec(const nlohmann::json& manifest, const std::string& manifest_text,
                                const std::filesystem::path& manifest_file, const Contract& contract,
                                const std::function<void(const std::string&, const std::string&)>& problem);

}  // namespace conform::contract
