#include <catch2/catch.hpp>

#include <fstream>

#include "contract/contract.hpp"
#include "contract/error.hpp"
#include "contract/json_file.hpp"

using namespace conform::contract;

namespace {

const Contract& real_contract()
{
    static const auto c = Contract::load(default_contract_paths("."));
    return c;
}

// Loads the real schemas with a cases folder holding one file; returns the first problem.
// (Tests that run at the same time under ctest -j give each their own under.)
std::string first_problem(const std::string& folder, const std::string& text, const std::string& under = "bad_cases")
{
    auto root = std::filesystem::path(CONFORM_TEST_OUTPUT) / under / folder;
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root / "cases" / folder);
    std::ofstream(root / "cases" / folder / "D1-x.json") << text;
    try {
        Contract::load({default_contract_paths(".").schemas, root / "cases"});
    } catch (const ContractError& e) {
        return e.problems().front().to_string();
    }
    return "loaded";
}

}  // namespace

TEST_CASE("the contract loads, with at least 50 cases over all five operations", "[contract]")
{
    const auto& c = real_contract();
    CHECK(c.cases().size() >= 50);
    CHECK(c.operations().size() == 5);
    for (const auto& op : c.operations()) {
        CHECK(std::any_of(c.cases().begin(), c.cases().end(), [&](const Case& k) { return k.operation == op.id; }));
    }
}

TEST_CASE("every rule of the contract has at least one case", "[contract]")
{
    const auto& c = real_contract();
    for (const auto& rule : c.rules()) {
        INFO("rule " << rule.id);
        CHECK(std::any_of(c.cases().begin(), c.cases().end(), [&](const Case& k) {
            return std::find(k.rules.begin(), k.rules.end(), rule.id) != k.rules.end();
        }));
    }
}

TEST_CASE("every schema is itself valid draft-07 JSON Schema", "[contract]")
{
    const auto metaschema = read_json_file(CONFORM_TEST_DATA "/draft-07.schema.json");
    const auto& schemas = real_contract().schemas();
    for (const auto& name : schemas.names()) {
        INFO(name);
        auto violations = SchemaStore::validate_with(metaschema, schemas.document(name));
        CHECK(violations.empty());
    }
}

TEST_CASE("the metaschema check catches an invalid schema", "[contract]")
{
    const auto metaschema = read_json_file(CONFORM_TEST_DATA "/draft-07.schema.json");
    auto bad = nlohmann::json::parse(R"({"type": "strin", "required": "asset_id"})");
    CHECK_FALSE(SchemaStore::validate_with(metaschema, bad).empty());
}

TEST_CASE("the documents' own examples validate against the schemas", "[contract]")
{
    const auto examples = read_json_file(CONFORM_TEST_DATA "/document-examples.json");
    const auto& schemas = real_contract().schemas();
    REQUIRE(examples.size() >= 8);
    for (const auto& example : examples) {
        INFO(example["source"].get<std::string>());
        CHECK(schemas.validate(example["schema"].get<std::string>(), example["instance"]).empty());
    }
}

TEST_CASE("responses allow members the documents do not list; requests do not", "[contract]")
{
    const auto& schemas = real_contract().schemas();
    CHECK(schemas.validate("confirm-asset-upload-response.schema.json", {{"asset_id", "a"}, {"request_id", "r"}}).empty());
    auto strict = schemas.validate("confirm-asset-upload-request.schema.json", {{"asset_id", "a"}, {"status", "CREATED"}, {"x", 1}});
    REQUIRE(strict.size() == 1);
    CHECK(strict[0].keyword == "additionalProperties");
}

TEST_CASE("a broken case file is rejected with its file, JSON pointer and reason", "[contract]")
{
    const std::string head = R"({"id": "D1-x", "operation": "DeleteAssets", "description": "a case under test here", "level": "MUST", )";
    const std::string ok_step = R"("steps": [{"request": {"query": {"asset_id": "{{a}}"}}, "expect": {"status": 200}}])";

    CHECK_THAT(first_problem("delete-assets", "{\"id\": "), Catch::StartsWith("cases/delete-assets/D1-x.json:1:8: invalid JSON"));
    CHECK_THAT(first_problem("delete-assets", head + R"("rules": ["D1"], "fixtures": {"a": "PUBLISHED"}, "steps": []})"),
               Catch::StartsWith("cases/delete-assets/D1-x.json: /steps: ") && Catch::Contains("minItems"));
    CHECK(first_problem("delete-assets", head + R"("rules": ["Z9"], "fixtures": {"a": "PUBLISHED"}, )" + ok_step + "}")
          == "cases/delete-assets/D1-x.json: /rules/0: unknown rule 'Z9'");
    CHECK(first_problem("delete-assets", head + R"("rules": ["D1"], "fixtures": {"a": "ZOMBIE"}, )" + ok_step + "}")
          == "cases/delete-assets/D1-x.json: /fixtures/a: unknown fixture kind 'ZOMBIE'");
    CHECK(first_problem("delete-assets", head + R"("rules": ["D1"], )" + ok_step + "}")
          == "cases/delete-assets/D1-x.json: /steps/0/request: {{a}} is neither a fixture, a capture of an earlier step nor project_id");
    CHECK(first_problem("unpublish-assets", head + R"("rules": ["D1"], "fixtures": {"a": "PUBLISHED"}, )" + ok_step + "}")
          == "cases/unpublish-assets/D1-x.json: /operation: a DeleteAssets case belongs in cases/delete-assets/");
    CHECK(first_problem("delete-assets",
                        R"({"id": "D1-x", "operation": "Nope", "description": "a case under test here", "level": "MUST", "rules": ["D1"], )" + ok_step + "}")
          == "cases/delete-assets/D1-x.json: /operation: unknown operation 'Nope'");
    CHECK_THAT(first_problem("delete-assets", head + R"("rules": ["D1"], "fixtures": {"a": "PUBLISHED"}, "steps": [{"request": {}, "expect": {"status": 200, "schema": "nope.schema.json"}}]})"),
               Catch::Equals("cases/delete-assets/D1-x.json: /steps/0/expect/schema: unknown schema 'nope.schema.json'"));
    CHECK(first_problem("delete-assets", R"({"id": "D1-y", "operation": "DeleteAssets", "description": "a case under test here", "level": "MUST", "rules": ["D1"], "fixtures": {"a": "PUBLISHED"}, )" + ok_step + "}")
          == "cases/delete-assets/D1-x.json: /id: the file of case 'D1-y' must be named D1-y.json");
    CHECK(first_problem("delete-assets", R"({"id": "D1-x", "operation": "DeleteAssets", "description": "Should delete the asset", "level": "MUST", "rules": ["D1"], "fixtures": {"a": "PUBLISHED"}, )" + ok_step + "}")
          == "cases/delete-assets/D1-x.json: /description: starts with \"Should \": say what the case shows");
    CHECK_THAT(first_problem("delete-assets", head + R"("rules": ["D1"], "surprise": 1, )" + ok_step + "}"),
               Catch::StartsWith("cases/delete-assets/D1-x.json") && Catch::Contains("additionalProperties"));
}

TEST_CASE("a matches pattern that does not compile is a contract error with file and pointer", "[contract]")
{
    const std::string head = R"({"id": "D1-x", "operation": "DeleteAssets", "description": "a case under test here", "level": "MUST", "rules": ["D1"], "fixtures": {"a": "PUBLISHED"}, )";
    auto with_pattern = [&](const std::string& pattern) {
        return first_problem("delete-assets", head + R"("steps": [{"request": {"query": {"asset_id": "{{a}}"}}, "expect": {"status": 200, "body": [{"pointer": "/x", "exists": true}, {"pointer": "/y", "matches": )" + pattern + "}]}}]}",
                             "bad_patterns");
    };
    CHECK_THAT(with_pattern(R"("(")"), Catch::StartsWith("cases/delete-assets/D1-x.json: /steps/0/expect/body/1/matches: invalid regular expression /(/: missing )"));
    // Backreferences are not RE2: they could make matching exponential.
    CHECK_THAT(with_pattern(R"("(a)\\1")"), Catch::StartsWith("cases/delete-assets/D1-x.json: /steps/0/expect/body/1/matches: invalid regular expression"));
    CHECK(with_pattern(R"("{{a}}")")
          == "cases/delete-assets/D1-x.json: /steps/0/expect/body/1/matches: a matches pattern cannot hold {{placeholders}}: it is compiled when the contract loads");
    CHECK(with_pattern(R"("^[0-9a-f]{32}$")") == "loaded");
}
