#include <catch2/catch.hpp>

#include <fstream>

#include "contract/contract.hpp"
#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "contract/lint.hpp"
#include "contract/schema_refs.hpp"
#include "contracts.hpp"
#include "engine/fixtures.hpp"
#include "generate/generator.hpp"

using namespace conform::contract;

namespace {

// Loads the real schemas with a cases folder holding one file; returns the first problem.
// scratch: a folder of the test's own (ctest runs test cases in parallel processes).
std::string first_problem(const std::string& folder, const std::string& text, const std::string& scratch = "broken")
{
    auto root = std::filesystem::path(CONFORM_TEST_OUTPUT) / "bad_cases" / scratch / folder;
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root / "cases" / folder);
    std::ofstream(root / "cases" / folder / "D1-x.json") << text;
    try {
        Contract::load({test_contracts::vod_paths().schemas, root / "cases"});
    } catch (const ContractError& e) {
        return e.problems().front().to_string();
    }
    return "loaded";
}

// A copy of the real schemas and an empty cases folder under the test output, to break in one place.
struct Sandbox {
    std::filesystem::path schemas;
    std::filesystem::path cases;

    explicit Sandbox(const std::string& name)
    {
        const auto root = std::filesystem::path(CONFORM_TEST_OUTPUT) / "contract_sandbox" / name;
        std::filesystem::remove_all(root);
        schemas = root / "schemas";
        cases = root / "cases";
        std::filesystem::create_directories(cases / "delete-assets");
        std::filesystem::copy(test_contracts::vod_paths().schemas, schemas, std::filesystem::copy_options::recursive);
    }

    void write(const std::filesystem::path& file, const std::string& text) const
    {
        std::ofstream(file, std::ios::binary) << text;
    }
    void schema(const std::string& name, const std::string& text) const { write(schemas / name, text); }
    void case_file(const std::string& name, const std::string& text) const
    {
        write(cases / "delete-assets" / name, text);
    }

    // Every problem loading finds, or {"loaded"}.
    std::vector<std::string> problems() const
    {
        try {
            Contract::load({schemas, cases});
        } catch (const ContractError& e) {
            std::vector<std::string> out;
            for (const auto& p : e.problems()) {
                out.push_back(p.to_string());
            }
            return out;
        }
        return {"loaded"};
    }
    std::string first_problem() const { return problems().front(); }
};

const std::string k_case_head =
    R"({"id": "D1-x", "operation": "DeleteAssets", "description": "a case under test here", "level": "MUST", )";
const std::string k_ok_step = R"("steps": [{"request": {"query": {"asset_id": "{{a}}"}}, "expect": {"status": 200}}])";
const std::string k_good_case = k_case_head + R"("rules": ["D1"], "fixtures": {"a": "PUBLISHED"}, )" + k_ok_step + "}";

}  // namespace

TEST_CASE("the contract loads, with at least 50 cases over all five operations", "[contract]")
{
    const auto& c = test_contracts::vod();
    CHECK(c.cases().size() >= 50);
    // The five under test, and those the suite uses: the state query and the provisioning operations.
    CHECK(std::count_if(c.operations().begin(), c.operations().end(), [](const auto& op) { return !op.used; }) == 5);
    CHECK(std::count_if(c.operations().begin(), c.operations().end(), [](const auto& op) { return op.query; }) == 1);
    for (const auto& op : c.operations()) {
        // An operation is under test (it has cases) or one the suite uses (it has none).
        CHECK(op.used !=
              std::any_of(c.cases().begin(), c.cases().end(), [&](const Case& k) { return k.operation == op.id; }));
    }
    REQUIRE(c.premises());
    CHECK(c.operation(c.premises()->query.operation)->query);
}

TEST_CASE("every rule of the contract has at least one case", "[contract]")
{
    auto c = Contract::load(test_contracts::vod_paths());
    c.add_cases(conform::generate::generate_cases(c));  // some rules only generated cases check (U6, D9, T6, E6)
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
    const auto& schemas = test_contracts::vod().schemas();
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
    const auto& schemas = test_contracts::vod().schemas();
    REQUIRE(examples.size() >= 8);
    for (const auto& example : examples) {
        INFO(example["source"].get<std::string>());
        CHECK(schemas.validate(example["schema"].get<std::string>(), example["instance"]).empty());
    }
}

TEST_CASE("responses allow members the documents do not list; requests do not", "[contract]")
{
    const auto& schemas = test_contracts::vod().schemas();
    CHECK(schemas.validate("confirm-asset-upload-response.schema.json", {{"asset_id", "a"}, {"request_id", "r"}})
              .empty());
    auto strict = schemas.validate("confirm-asset-upload-request.schema.json",
                                   {{"asset_id", "a"}, {"status", "CREATED"}, {"x", 1}});
    REQUIRE(strict.size() == 1);
    CHECK(strict[0].keyword == "additionalProperties");
}

TEST_CASE("a broken case file is rejected with its file, JSON pointer and reason", "[contract]")
{
    const std::string head =
        R"({"id": "D1-x", "operation": "DeleteAssets", "description": "a case under test here", "level": "MUST", )";
    const std::string ok_step =
        R"("steps": [{"request": {"query": {"asset_id": "{{a}}"}}, "expect": {"status": 200}}])";

    CHECK_THAT(first_problem("delete-assets", "{\"id\": "),
               Catch::StartsWith("cases/delete-assets/D1-x.json:1:8: invalid JSON"));
    CHECK_THAT(
        first_problem("delete-assets", head + R"("rules": ["D1"], "fixtures": {"a": "PUBLISHED"}, "steps": []})"),
        Catch::StartsWith("cases/delete-assets/D1-x.json: /steps: ") && Catch::Contains("minItems"));
    CHECK(first_problem("delete-assets", head + R"("rules": ["Z9"], "fixtures": {"a": "PUBLISHED"}, )" + ok_step +
                                             "}") == "cases/delete-assets/D1-x.json: /rules/0: unknown rule 'Z9'");
    CHECK(first_problem("delete-assets", head + R"("rules": ["D1"], "fixtures": {"a": "ZOMBIE"}, )" + ok_step + "}") ==
          "cases/delete-assets/D1-x.json: /fixtures/a: unknown fixture kind 'ZOMBIE'");
    CHECK(first_problem("delete-assets",
                        head + R"("rules": ["D1"], "fixtures": {"a": "PUBLISHED", "x/y": "ZOMBIE"}, )" + ok_step +
                            "}") == "cases/delete-assets/D1-x.json: /fixtures/x~1y: unknown fixture kind 'ZOMBIE'");
    CHECK(first_problem("delete-assets", head + R"("rules": ["D1"], )" + ok_step + "}") ==
          "cases/delete-assets/D1-x.json: /steps/0/request: {{a}} is neither a fixture, a capture of an earlier step "
          "nor project_id");
    CHECK(first_problem("unpublish-assets",
                        head + R"("rules": ["D1"], "fixtures": {"a": "PUBLISHED"}, )" + ok_step + "}") ==
          "cases/unpublish-assets/D1-x.json: /operation: a DeleteAssets case belongs in cases/delete-assets/");
    CHECK(
        first_problem(
            "delete-assets",
            R"({"id": "D1-x", "operation": "Nope", "description": "a case under test here", "level": "MUST", "rules": ["D1"], )" +
                ok_step + "}") == "cases/delete-assets/D1-x.json: /operation: unknown operation 'Nope'");
    CHECK_THAT(
        first_problem(
            "delete-assets",
            head +
                R"("rules": ["D1"], "fixtures": {"a": "PUBLISHED"}, "steps": [{"request": {}, "expect": {"status": 200, "schema": "nope.schema.json"}}]})"),
        Catch::Equals("cases/delete-assets/D1-x.json: /steps/0/expect/schema: unknown schema 'nope.schema.json'"));
    CHECK(
        first_problem(
            "delete-assets",
            R"({"id": "D1-y", "operation": "DeleteAssets", "description": "a case under test here", "level": "MUST", "rules": ["D1"], "fixtures": {"a": "PUBLISHED"}, )" +
                ok_step + "}") ==
        "cases/delete-assets/D1-x.json: /id: the file of case 'D1-y' must be named D1-y.json");
    CHECK(
        first_problem(
            "delete-assets",
            R"({"id": "D1-x", "operation": "DeleteAssets", "description": "Should delete the asset", "level": "MUST", "rules": ["D1"], "fixtures": {"a": "PUBLISHED"}, )" +
                ok_step + "}") ==
        "cases/delete-assets/D1-x.json: /description: starts with \"Should \": say what the case shows");
    CHECK_THAT(first_problem("delete-assets", head + R"("rules": ["D1"], "surprise": 1, )" + ok_step + "}"),
               Catch::StartsWith("cases/delete-assets/D1-x.json") && Catch::Contains("additionalProperties"));
}

TEST_CASE("a contract.json of the wrong shape is a problem naming the file and pointer, not a crash",
          "[contract][hostile]")
{
    Sandbox sb("manifest_types");
    const auto manifest = (sb.schemas / "contract.json").string();
    auto original = read_json_file(sb.schemas / "contract.json");
    sb.schema("contract.json", "[]");
    CHECK_THAT(sb.first_problem(), Catch::StartsWith(manifest + ": []: ") && Catch::Contains("keyword type"));
    sb.schema("contract.json", R"("rules")");
    CHECK_THAT(sb.first_problem(), Catch::StartsWith(manifest + ": \"rules\": ") && Catch::Contains("keyword type"));
    for (const auto& [field, value] : std::vector<std::pair<std::string, nlohmann::json>>{
             {"id", 5}, {"level", true}, {"text", nlohmann::json::array()}, {"source", 1}}) {
        INFO(field);
        auto broken = original;
        broken["rules"][0][field] = value;
        sb.schema("contract.json", broken.dump());
        CHECK_THAT(sb.first_problem(), Catch::StartsWith(manifest + ": /rules/0/" + field + ": "));
    }
    auto twice = original;
    twice["rules"].push_back(original["rules"][0]);
    sb.schema("contract.json", twice.dump());
    CHECK(sb.first_problem() ==
          manifest + ": /rules/" + std::to_string(original["rules"].size()) + "/id: rule id 'R1' is listed twice");
}

TEST_CASE("a number beyond a double in any contract file is a problem with its position", "[contract][hostile]")
{
    {
        Sandbox sb("number_case");
        sb.case_file("D1-x.json", "{\n  \"id\": 1e400}");
        CHECK(sb.first_problem() == "cases/delete-assets/D1-x.json:2:9: invalid JSON: number overflow parsing '1e400'");
    }
    {
        Sandbox sb("number_manifest");
        sb.schema("contract.json", R"({"openapi": "vod.openapi.json", "x": [1, -1e400]})");
        CHECK(sb.first_problem() ==
              (sb.schemas / "contract.json").string() + ":1:42: invalid JSON: number overflow parsing '-1e400'");
    }
    {
        Sandbox sb("number_openapi");
        sb.schema("vod.openapi.json", R"({"paths": {}, "x": 1e999})");
        CHECK_THAT(sb.first_problem(), Catch::StartsWith((sb.schemas / "vod.openapi.json").string() +
                                                         ":1:20: invalid JSON: number overflow"));
    }
    {
        Sandbox sb("number_schema");
        sb.schema("x.schema.json", R"({"maximum": 1e400})");
        CHECK_THAT(sb.first_problem(),
                   Catch::StartsWith((sb.schemas / "x.schema.json").string() + ":1:13: invalid JSON: number overflow"));
    }
    Sandbox sb("number_fixtures");
    sb.write(sb.cases / "fixtures.txt", R"({"assets": {"PUBLISHED": ["a"]}, "n": 1e400})");
    try {
        conform::engine::FixturePool::load(sb.cases / "fixtures.txt", test_contracts::vod());
        FAIL("loaded");
    } catch (const ContractError& e) {
        CHECK(e.problems().front().to_string() ==
              (sb.cases / "fixtures.txt").string() + ":1:39: invalid JSON: number overflow parsing '1e400'");
    }
    sb.write(sb.cases / "fixtures.txt", R"({"assets": {"a/b": [""]}})");
    try {
        conform::engine::FixturePool::load(sb.cases / "fixtures.txt", test_contracts::vod());
        FAIL("loaded");
    } catch (const ContractError& e) {
        CHECK(e.problems().front().pointer == "/assets/a~1b/0");
    }
    try {
        conform::engine::FixturePool::load("/dev/zero", test_contracts::vod());
        FAIL("loaded");
    } catch (const ContractError& e) {
        CHECK(e.problems().front().to_string() == "/dev/zero: cannot be read: not a regular file");
    }
}

TEST_CASE("huge strings in patterned case fields are refused by maxLength, never handed to std::regex",
          "[contract][hostile]")
{
    Sandbox sb("long_strings");
    const std::string huge(100 * 1024, 'a');
    sb.case_file(
        "D1-x.json",
        R"({"id": "D1-)" + huge +
            R"(", "operation": "DeleteAssets", "description": "a case under test here", "level": "MUST", "rules": ["D1"], "fixtures": {"a": "PUBLISHED"}, )" +
            k_ok_step + "}");
    CHECK_THAT(sb.first_problem(),
               Catch::StartsWith("cases/delete-assets/D1-x.json: /id: ") && Catch::Contains("keyword maxLength"));
    sb.case_file("D1-x.json", k_case_head + R"("rules": ["D1"], "tags": [")" + std::string(1024 * 1024, 'a') +
                                  R"("], "fixtures": {"a": "PUBLISHED"}, )" + k_ok_step + "}");
    CHECK_THAT(sb.first_problem(),
               Catch::StartsWith("cases/delete-assets/D1-x.json: /tags/0: ") && Catch::Contains("keyword maxLength"));
    // A string no patterned field may hold: it fails pattern too, on its first 4097 characters.
    sb.case_file(
        "D1-x.json",
        k_case_head +
            R"("rules": ["D1"], "fixtures": {"a": "PUBLISHED"}, "steps": [{"request": {}, "expect": {"status": 200, "body": [{"pointer": "/)" +
            std::string(300 * 1024, 'x') + R"(", "exists": true}]}}]})");
    auto problems = sb.problems();
    CHECK_THAT(problems.front(), Catch::StartsWith("cases/delete-assets/D1-x.json: /steps/0/expect/body/0/pointer: "));
    CHECK(std::any_of(problems.begin(), problems.end(),
                      [](const std::string& p) { return p.find("keyword maxLength") != std::string::npos; }));
}

TEST_CASE("a case nested deeper than 64 levels is refused where the nesting goes too deep", "[contract][hostile]")
{
    Sandbox sb("deep");
    const std::string prefix = k_case_head + R"("rules": ["D1"], "steps": [{"request": {"body": )";
    sb.case_file("D1-x.json",
                 prefix + std::string(100000, '[') + std::string(100000, ']') + R"(}, "expect": {"status": 200}}]})");
    // The 65th bracket: 3 levels (case, steps, step) + request + 61 of the body's.
    CHECK(sb.first_problem() == "cases/delete-assets/D1-x.json:1:" + std::to_string(prefix.size() + 61) +
                                    ": invalid JSON: nesting deeper than 64 levels");
}

TEST_CASE("a $ref that never reaches a schema is a problem of the file that holds it", "[contract][hostile]")
{
    {
        Sandbox sb("ref_self");
        sb.schema("loop.schema.json", R"({"$ref": "#"})");
        sb.schema("user.schema.json", R"({"properties": {"x": {"$ref": "loop.schema.json"}}})");
        auto problems = sb.problems();
        REQUIRE(problems.size() == 1);
        CHECK(problems[0] ==
              (sb.schemas / "loop.schema.json").string() +
                  ": /$ref: $ref cycle loop.schema.json# -> loop.schema.json# checks the same value without end");
    }
    {
        Sandbox sb("ref_cycle");
        sb.schema("a.schema.json", R"({"$ref": "b.schema.json"})");
        sb.schema("b.schema.json", R"({"description": "b", "$ref": "a.schema.json#"})");
        auto problems = sb.problems();
        REQUIRE(problems.size() == 1);
        CHECK(problems[0] == (sb.schemas / "a.schema.json").string() +
                                 ": /$ref: $ref cycle a.schema.json# -> b.schema.json# -> "
                                 "a.schema.json# checks the same value without end");
    }
    {
        Sandbox sb("ref_missing");
        sb.schema("c.schema.json", R"({"$ref": "nope.schema.json"})");
        sb.schema("d.schema.json", R"({"properties": {"y": {"$ref": "#/definitions/absent"}}})");
        auto problems = sb.problems();
        REQUIRE(problems.size() == 2);
        CHECK(problems[0] ==
              (sb.schemas / "c.schema.json").string() +
                  ": /$ref: $ref 'nope.schema.json' names a schema file that does not exist (nope.schema.json)");
        CHECK(problems[1] == (sb.schemas / "d.schema.json").string() +
                                 ": /properties/y/$ref: $ref '#/definitions/absent' leads "
                                 "nowhere: d.schema.json has nothing at '/definitions/absent'");
    }
    {
        Sandbox sb("ref_in_place");
        sb.schema(
            "e.schema.json",
            R"({"definitions": {"x": {"anyOf": [{"type": "null"}, {"not": {"$ref": "#"}}]}}, "allOf": [{"$ref": "#/definitions/x"}]})");
        auto problems = sb.problems();
        REQUIRE(problems.size() == 1);
        CHECK(problems[0] == (sb.schemas / "e.schema.json").string() +
                                 ": /allOf/0/$ref: $ref cycle e.schema.json#/allOf/0 -> e.schema.json#/definitions/x"
                                 " -> e.schema.json#/definitions/x/anyOf/1 -> e.schema.json#/definitions/x/anyOf/1/not "
                                 "-> e.schema.json# -> e.schema.json#/allOf/0"
                                 " checks the same value without end");
    }
    {
        // valijson's parser recurses per $ref of a chain: 5000 through properties overflowed its stack.
        Sandbox sb("ref_chain");
        auto chain = [&](std::size_t refs) {
            nlohmann::json schema = {{"$ref", "#/definitions/d1"}};
            for (std::size_t i = 1; i < refs; ++i) {
                schema["definitions"]["d" + std::to_string(i)]["properties"]["x"]["$ref"] =
                    "#/definitions/d" + std::to_string(i + 1);
            }
            schema["definitions"]["d" + std::to_string(refs)]["type"] = "string";
            sb.schema("chain.schema.json", schema.dump());
            return sb.problems();
        };
        CHECK(chain(k_max_ref_depth) == std::vector<std::string>{"loaded"});
        CHECK(chain(5000) ==
              std::vector<std::string>{
                  (sb.schemas / "chain.schema.json").string() +
                  ": /definitions/d256/properties/x/$ref: the 257th $ref of a chain; at most 256 are allowed"});
    }
    // Recursion through a property reaches a schema at every step: valijson handles it.
    Sandbox sb("ref_recursive");
    sb.schema("tree.schema.json",
              R"({"type": "object", "properties": {"child": {"$ref": "#"}, "name": {"type": "string"}}})");
    REQUIRE(sb.problems() == std::vector<std::string>{"loaded"});
    SchemaStore store(sb.schemas);
    CHECK(store.validate("tree.schema.json", nlohmann::json::parse(R"({"child": {"child": {"name": "x"}}})")).empty());
    auto violations = store.validate("tree.schema.json", nlohmann::json::parse(R"({"child": {"child": {"name": 1}}})"));
    REQUIRE(violations.size() == 1);
    CHECK(violations[0].pointer == "/child/child/name");
}

TEST_CASE("an invalid pattern, a symlink loop, /dev/zero and an oversized file are problems, not crashes",
          "[contract][hostile]")
{
    {
        Sandbox sb("bad_pattern");
        sb.schema("p.schema.json",
                  R"({"properties": {"pattern": {"type": "string", "pattern": "("}}, "enum": [{"pattern": "("}]})");
        auto problems = sb.problems();
        REQUIRE(problems.size() == 1);
        CHECK_THAT(problems[0], Catch::StartsWith((sb.schemas / "p.schema.json").string() +
                                                  ": /properties/pattern/pattern: not a valid RE2 regular expression"));
    }
    {
        Sandbox sb("dev_zero");
        auto manifest = read_json_file(sb.schemas / "contract.json");
        manifest["openapi"] = "/dev/zero";
        sb.schema("contract.json", manifest.dump());
        CHECK(sb.first_problem() == "/dev/zero: cannot be read: not a regular file");
    }
    Sandbox sb("file_kinds");
    std::filesystem::create_symlink("loop.json", sb.cases / "delete-assets" / "loop.json");
    std::filesystem::create_symlink(sb.cases / "nowhere", sb.cases / "delete-assets" / "dangling.json");
    std::filesystem::create_directory(sb.cases / "delete-assets" / "folder.json");
    sb.case_file("D1-x.json", std::string(k_max_contract_file_bytes + 1, ' '));
    auto problems = sb.problems();
    REQUIRE(problems.size() == 4);
    CHECK(problems[0] == "cases/delete-assets/D1-x.json: larger than 4 MiB, the limit for a contract file");
    CHECK_THAT(problems[1], Catch::StartsWith("cases/delete-assets/dangling.json: cannot be read: ") &&
                                Catch::Contains("No such file"));
    CHECK(problems[2] == "cases/delete-assets/folder.json: cannot be read: not a regular file");
    CHECK_THAT(problems[3], Catch::StartsWith("cases/delete-assets/loop.json: cannot be read: ") &&
                                Catch::Contains("symbolic links"));
}

TEST_CASE("repeated rules give one message per broken keyword", "[contract][hostile]")
{
    Sandbox sb("repeated_rules");
    for (std::size_t n : {200, 20000}) {
        INFO(n);
        nlohmann::json rules = nlohmann::json::array();
        for (std::size_t i = 0; i < n; ++i) {
            rules.push_back("U4");
        }
        sb.case_file("D1-x.json", k_case_head + R"("fixtures": {"a": "PUBLISHED"}, "rules": )" + rules.dump() + ", " +
                                      k_ok_step + "}");
        auto problems = sb.problems();
        REQUIRE(problems.size() == 2);
        CHECK_THAT(problems[0],
                   Catch::StartsWith("cases/delete-assets/D1-x.json: /rules: ") && Catch::Contains("keyword maxItems"));
        CHECK_THAT(problems[1], Catch::StartsWith("cases/delete-assets/D1-x.json: /rules: ") &&
                                    Catch::Contains("and other pairs (keyword uniqueItems)"));
    }
}

TEST_CASE("a symlinked case file is named by its link, where the user put it", "[contract][hostile]")
{
    Sandbox sb("symlinked");
    const auto elsewhere = sb.cases.parent_path() / "elsewhere.json";
    sb.write(elsewhere, k_case_head + R"("rules": ["Z9"], "fixtures": {"a": "PUBLISHED"}, )" + k_ok_step + "}");
    std::filesystem::create_symlink(elsewhere, sb.cases / "delete-assets" / "D1-x.json");
    CHECK(sb.problems() == std::vector<std::string>{"cases/delete-assets/D1-x.json: /rules/0: unknown rule 'Z9'"});
    sb.write(elsewhere, k_good_case);
    CHECK(sb.problems() == std::vector<std::string>{"loaded"});
}

TEST_CASE("fixtures marked unchanged and settle steps load, and obviously wrong marks are refused", "[contract]")
{
    const auto& c = test_contracts::vod();
    const auto& d4 =
        *std::find_if(c.cases().begin(), c.cases().end(), [](const Case& k) { return k.id == "D4-mixed-batch"; });
    CHECK(d4.leaves_unchanged("busy"));
    CHECK_FALSE(d4.leaves_unchanged("idle"));
    CHECK(d4.fixtures ==
          std::vector<std::pair<std::string, std::string>>{{"busy", "TRANSCODING"}, {"idle", "PUBLISHED"}});
    CHECK_FALSE(d4.steps[0].settle);
    CHECK(d4.steps[1].settle);        // idle is gone: a change
    CHECK_FALSE(d4.steps[2].settle);  // busy still exists: no change, checked once

    const std::string head =
        R"({"id": "D1-x", "operation": "DeleteAssets", "description": "a case under test here", "level": "MUST", "rules": ["D1"], )";
    const std::string del = R"({"request": {"query": {"asset_id": "{{a}}"}}, "expect": {"status": 200}})";
    const std::string probe =
        R"({"request": {"operation": "UnpublishAssets", "body": {"asset_id": ["{{a}}"]}}, "settle": true, "expect": {"status": 200}})";
    auto marked = [](const std::string& text) { return first_problem("delete-assets", text, "marks"); };
    CHECK(marked(head + R"("fixtures": {"a": "CREATED"}, "steps": [)" + del + "," + probe + "]}") == "loaded");
    CHECK(marked(head + R"("fixtures": {"a": "CREATED"}, "steps": [)" + probe + "]}") ==
          "cases/delete-assets/D1-x.json: /steps/0/settle: the first step has no earlier change to wait for");
    CHECK(marked(head + R"("fixtures": {"a": {"kind": "CREATED", "unchanged": true}}, "steps": [)" + del + "," + probe +
                 "]}") == "cases/delete-assets/D1-x.json: /steps/1/settle: waits for a change, but names no fixture or "
                          "capture that may change");
    CHECK(marked(head + R"("fixtures": {"a": {"kind": "NONEXISTENT", "unchanged": true}}, "steps": [)" + del + "]}") ==
          "cases/delete-assets/D1-x.json: /fixtures/a/unchanged: a NONEXISTENT id is made up afresh for each case: it "
          "cannot be shared");
    // A fixture name is one token of the pointer: its '/' is escaped.
    CHECK(marked(head +
                 R"("fixtures": {"a": "CREATED", "x/y": {"kind": "NONEXISTENT", "unchanged": true}}, "steps": [)" +
                 del + "]}") == "cases/delete-assets/D1-x.json: /fixtures/x~1y/unchanged: a NONEXISTENT id is made up "
                                "afresh for each case: it cannot be shared");
    CHECK_THAT(marked(head + R"("fixtures": {"a": {"kind": "CREATED", "unchanged": false}}, "steps": [)" + del + "]}"),
               Catch::StartsWith("cases/delete-assets/D1-x.json: /fixtures/a"));
}

TEST_CASE("schema validation never hands std::regex a huge string nor collects every equal pair", "[contract][hostile]")
{
    const auto long_pointer = "/" + std::string(1024 * 1024, 'a');
    CHECK(SchemaStore::validate_with({{"pattern", "^(/.*)?$"}}, long_pointer).empty());
    auto too_long = SchemaStore::validate_with({{"pattern", "^(/.*)?$"}, {"maxLength", 512}}, long_pointer);
    REQUIRE(too_long.size() == 1);
    CHECK(too_long[0].keyword == "maxLength");

    auto equal = SchemaStore::validate_with({{"uniqueItems", true}}, nlohmann::json::array({1, 1, 1, 2, 2}));
    REQUIRE(equal.size() == 1);
    CHECK_THAT(equal[0].message, Catch::EndsWith("and other pairs (keyword uniqueItems)"));

    // Messages come from the first 257 items; whether the value is valid, from all of them.
    auto items = nlohmann::json::array();
    for (int i = 0; i < 300; ++i) {
        items.push_back("x");
    }
    items.push_back(5);
    auto late = SchemaStore::validate_with({{"items", {{"type", "string"}}}}, items);
    REQUIRE(late.size() == 1);
    CHECK(late[0].message == "does not match the schema beyond the first 257 items of an array");
}

TEST_CASE("a matches pattern that does not compile is a contract error with file and pointer", "[contract]")
{
    const std::string head =
        R"({"id": "D1-x", "operation": "DeleteAssets", "description": "a case under test here", "level": "MUST", "rules": ["D1"], "fixtures": {"a": "PUBLISHED"}, )";
    auto with_pattern = [&](const std::string& pattern) {
        return first_problem(
            "delete-assets",
            head +
                R"("steps": [{"request": {"query": {"asset_id": "{{a}}"}}, "expect": {"status": 200, "body": [{"pointer": "/x", "exists": true}, {"pointer": "/y", "matches": )" +
                pattern + "}]}}]}",
            "bad_patterns");
    };
    CHECK_THAT(with_pattern(R"("(")"),
               Catch::StartsWith("cases/delete-assets/D1-x.json: /steps/0/expect/body/1/matches: invalid regular "
                                 "expression /(/: missing )"));
    // Backreferences are not RE2: they could make matching exponential.
    CHECK_THAT(
        with_pattern(R"("(a)\\1")"),
        Catch::StartsWith("cases/delete-assets/D1-x.json: /steps/0/expect/body/1/matches: invalid regular expression"));
    CHECK(with_pattern(R"("{{a}}")") == "cases/delete-assets/D1-x.json: /steps/0/expect/body/1/matches: a matches "
                                        "pattern cannot hold {{placeholders}}: it is compiled when the contract loads");
    CHECK(with_pattern(R"("^[0-9a-f]{32}$")") == "loaded");
    // In the second alternative of expect_any, the pointer names that alternative.
    CHECK(
        first_problem(
            "delete-assets",
            head +
                R"("steps": [{"request": {"query": {"asset_id": "{{a}}"}}, "expect_any": [{"status": 200}, {"status": 400, "body": [{"pointer": "/y", "matches": "("}]}]}]})",
            "bad_patterns")
            .starts_with(
                "cases/delete-assets/D1-x.json: /steps/0/expect_any/1/body/0/matches: invalid regular expression"));
}

TEST_CASE("the lint pass checks a loaded case on its own: the file's name and folder, ids and descriptions said once",
          "[contract]")
{
    const auto& c = test_contracts::vod();
    const auto& d4 =
        *std::find_if(c.cases().begin(), c.cases().end(), [](const Case& k) { return k.id == "D4-mixed-batch"; });
    const auto file = test_contracts::vod_paths().cases / "delete-assets" / "D4-mixed-batch.json";
    const auto raw = read_json_file(file);
    CaseLint lint(c);
    CHECK(lint.check(d4, raw, file).empty());
    auto again = lint.check(d4, raw, file);
    REQUIRE(again.size() == 2);
    CHECK(again[0].to_string() == "cases/delete-assets/D4-mixed-batch.json: /id: case id 'D4-mixed-batch' is taken by "
                                  "cases/delete-assets/D4-mixed-batch.json");
    CHECK(again[1].to_string() == "cases/delete-assets/D4-mixed-batch.json: /description: the same as "
                                  "cases/delete-assets/D4-mixed-batch.json's: say what this case shows");
    auto elsewhere =
        CaseLint(c).check(d4, raw, file.parent_path().parent_path() / "cancel-asset-transcode-task" / "D4-x.json");
    REQUIRE(elsewhere.size() == 2);
    CHECK(elsewhere[0].reason == "the file of case 'D4-mixed-batch' must be named D4-mixed-batch.json");
    CHECK(elsewhere[1].reason == "a DeleteAssets case belongs in cases/delete-assets/");
}

TEST_CASE("a tamper option loads, and one that is empty, unknown, zero or on a deliberate auth fault is refused",
          "[contract][tamper]")
{
    const auto& s4 = *std::find_if(test_contracts::vod().cases().begin(), test_contracts::vod().cases().end(),
                                   [](const Case& k) { return k.id == "S4-signature-date-half-an-hour-old"; });
    CHECK(s4.tampers());
    REQUIRE(s4.steps[0].request.tamper);
    CHECK(s4.steps[0].request.tamper->signing_time_offset_s == -1800);
    CHECK_FALSE(s4.steps[1].request.tamper);

    const std::string head =
        R"({"id": "D1-x", "operation": "DeleteAssets", "description": "a case under test here", "level": "MUST", "rules": ["D1"], "fixtures": {"a": "CREATED"}, "steps": [{"request": {"query": {"asset_id": "{{a}}"}, )";
    auto tampered = [&](const std::string& request_tail) {
        return first_problem("delete-assets", head + request_tail + R"(}, "expect": {"status": 401}}]})", "tamper");
    };
    CHECK(
        tampered(
            R"("tamper": {"body_after_signing": {"asset_id": ["{{a}}"]}, "headers_after_signing": {"X-Project-Id": "x{{project_id}}"}})") ==
        "loaded");
    CHECK_THAT(tampered(R"("tamper": {})"),
               Catch::StartsWith("cases/delete-assets/D1-x.json: /steps/0/request/tamper: ") &&
                   Catch::Contains("no fewer than 1 properties"));
    CHECK_THAT(tampered(R"("tamper": {"after_signing": 1})"),
               Catch::StartsWith("cases/delete-assets/D1-x.json: /steps/0/request/tamper") &&
                   Catch::Contains("additionalProperties"));
    CHECK_THAT(tampered(R"("tamper": {"signing_time_offset_s": 0})"),
               Catch::StartsWith("cases/delete-assets/D1-x.json: /steps/0/request/tamper/signing_time_offset_s"));
    CHECK_THAT(tampered(R"("auth": "bad_signature", "tamper": {"signing_time_offset_s": -1800})"),
               Catch::StartsWith("cases/delete-assets/D1-x.json: /steps/0/request/auth: ") && Catch::Contains("const"));
    CHECK(tampered(R"("tamper": {"headers_after_signing": {"X-Project-Id": "{{nope}}"}})") ==
          "cases/delete-assets/D1-x.json: /steps/0/request: {{nope}} is neither a fixture, a capture of an earlier "
          "step nor project_id");
}

TEST_CASE("a case is as binding as the gravest rule it lists; load adds the rules covers derives", "[contract]")
{
    const std::string should_head =
        R"({"id": "D1-x", "operation": "DeleteAssets", "description": "a case under test here", "level": "SHOULD", )";
    CHECK(first_problem("delete-assets",
                        should_head + R"("rules": ["D8", "D1"], "fixtures": {"a": "PUBLISHED"}, )" + k_ok_step + "}",
                        "level") ==
          "cases/delete-assets/D1-x.json: /level: SHOULD, but the gravest rule the case lists is MUST: the level must "
          "be MUST");

    // Loaded, the case checks R1 too (DeleteAssets' 200 is JSON with a schema); R2 (the error
    // envelope) only where it expects an error.
    Sandbox sb("covered");
    sb.case_file("D1-x.json", k_good_case);
    const auto contract = Contract::load({sb.schemas, sb.cases});
    CHECK(contract.cases().at(0).rules == std::vector<std::string>{"D1", "R1"});
    auto refused = contract.cases().at(0);
    refused.steps.at(0).expect.at(0).status = {400};
    CHECK(contract.covered_rules(refused) == std::vector<std::string>{"R1", "R2"});
    // A probe of another operation is that operation's: UnpublishAssets' 200 body is U1's, not derived here.
    refused.steps.at(0).request.operation = "UnpublishAssets";
    CHECK(contract.covered_rules(refused).empty());
}
