// The JSON Schemas of the contract, compiled once and shared by all threads. The only
// translation unit that includes valijson is schema_store.cpp.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace conform::contract {

// One reason a value does not match a schema.
struct Violation {
    std::string pointer;  // where in the value, "" for the root
    std::string keyword;  // the schema keyword at fault: enum, type, required, ...
    std::string message;  // e.g. `"REMOVED" is not one of the enum values`
};

class SchemaStore {
  public:
    // Compiles every *.json file in dir; file names are the schemas' names, and a "$ref" to
    // another file name resolves within dir. Throws ContractError on an unreadable schema.
    explicit SchemaStore(const std::filesystem::path& dir);
    ~SchemaStore();
    SchemaStore(SchemaStore&&) noexcept;
    SchemaStore& operator=(SchemaStore&&) noexcept;

    bool contains(std::string_view name) const;
    std::vector<std::string> names() const;
    const nlohmann::json& document(std::string_view name) const;
    const std::filesystem::path& dir() const;

    // Empty when value matches the schema. Thread-safe.
    std::vector<Violation> validate(std::string_view name, const nlohmann::json& value) const;

    // Validates value against a schema document given in full (e.g. a metaschema).
    static std::vector<Violation> validate_with(const nlohmann::json& schema, const nlohmann::json& value);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace conform::contract
