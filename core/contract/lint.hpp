// The lint pass over case files: what the case schema cannot see. References to the rest of the
// contract (operations, rules, fixture kinds, schemas, placeholders bound before use) and the
// suite's style (file named after the id, case in its operation's folder, descriptions that say
// what the case shows, once). Contract::load runs it on every case it reads.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contract/case.hpp"
#include "contract/error.hpp"

namespace conform::contract {

class Contract;

class CaseLint {
  public:
    // contract: its manifest, operations and schemas loaded (its cases need not be).
    explicit CaseLint(const Contract& contract) : m_contract(contract) {}

    // c as loaded from raw (the file's JSON, for pointers), read from path. Remembers c's id and
    // description, so a later case that repeats either is a problem.
    std::vector<Problem> check(const Case& c, const nlohmann::json& raw, const std::filesystem::path& path);

  private:
    const Contract& m_contract;
    std::map<std::string, std::string> m_files_by_id;
    std::map<std::string, std::string> m_files_by_description;
};

}  // namespace conform::contract
