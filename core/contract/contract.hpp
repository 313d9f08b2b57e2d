// Loads and checks the whole contract: the manifest (rules, fixture kinds), the OpenAPI
// document, the schemas and every case file. Any defect is a ContractError listing every
// problem with its file and JSON pointer; nothing is sent before the contract loads.
#pragma once

#include <filesystem>
#include <memory>
#include <set>

#include "contract/case.hpp"
#include "contract/generate_spec.hpp"
#include "contract/profile.hpp"
#include "contract/provision.hpp"
#include "contract/schema_store.hpp"

namespace conform::contract {

struct ContractPaths {
    std::filesystem::path schemas;  // holds contract.json, the OpenAPI document and *.schema.json
    std::filesystem::path cases;    // one folder per operation, *.json case files
};

class Contract {
  public:
    static Contract load(const ContractPaths& paths);

    const std::vector<Case>& cases() const { return m_cases; }
    const std::vector<Rule>& rules() const { return m_rules; }
    const std::vector<Operation>& operations() const { return m_operations; }
    const std::set<std::string>& fixture_kinds() const { return m_fixture_kinds; }
    // Kinds for which the runner makes up a fresh id per run instead of allocating one.
    const std::set<std::string>& generated_kinds() const { return m_generated_kinds; }
    const SchemaStore& schemas() const { return *m_schemas; }
    const Security& security() const { return m_security; }
    // The names reports give the run, the token header included.
    ReportNames report_names() const;
    const FixturesFile& fixtures_file() const { return m_fixtures_file; }
    // Placeholders every case may use, bound once for the run (the fixtures file or the
    // runner gives their values).
    const std::set<std::string>& run_placeholders() const { return m_run_placeholders; }

    // contract.json "provision": how to make and remove fixtures through the API; null without it.
    const Provision* provision() const { return m_provision ? &*m_provision : nullptr; }
    // How fixture states are confirmed (contract.json "premises"); none: the contract has no query.
    const std::optional<Premises>& premises() const { return m_premises; }
    // Throttled answers and quota categories (contract.json "quota").
    const Quota& quota() const { return m_quota; }
    // contract.json "generate": what core/generate makes cases of; none without it.
    const std::optional<GenerateSpec>& generate_spec() const { return m_generate_spec; }
    // The OpenAPI document as read (core/generate derives cases from its parameters and bodies).
    const nlohmann::json& openapi() const { return m_openapi; }

    // Cases made after loading (core/generate), appended to those of the files.
    void add_cases(std::vector<Case> cases);

    const Operation* operation(std::string_view id) const;
    const Rule* rule(std::string_view id) const;

    // The rules a case checks without listing them: those whose `covers` take a kind of
    // deviation any operation can show (a content type, a schema more than one operation
    // answers with: R1, R2) where the case's requests of its own operation can show it. Load
    // adds them to each case file's rules, and the generator to each case it makes.
    std::vector<std::string> covered_rules(const Case& c) const;

  private:
    std::vector<Case> m_cases;
    std::vector<Rule> m_rules;
    std::vector<Operation> m_operations;
    std::set<std::string> m_fixture_kinds;
    std::set<std::string> m_generated_kinds;
    std::shared_ptr<const SchemaStore> m_schemas;
    Security m_security;
    ReportNames m_report_names;
    FixturesFile m_fixtures_file;
    std::set<std::string> m_run_placeholders;
    std::optional<Provision> m_provision;
    std::optional<Premises> m_premises;
    Quota m_quota;
    std::optional<GenerateSpec> m_generate_spec;
    nlohmann::json m_openapi;
};

// Where the contract is when no flag names it: installed_from_bindir, relative to the executable's
// folder, for an installed executable wherever its tree was moved or unpacked, else the source tree
// it was built from.
ContractPaths default_contract_paths(const std::filesystem::path& executable,
                                     const std::filesystem::path& installed_from_bindir,
                                     const std::filesystem::path& source_dir);

}  // namespace conform::contract
