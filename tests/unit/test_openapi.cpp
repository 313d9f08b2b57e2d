// The OpenAPI document as tools other than conform read it: examples for Prism, Dredd and
// other example-driven tools, parameter schemas for Schemathesis.
#include <catch2/catch.hpp>

#include "contract/json_file.hpp"
#include "contract/schema_store.hpp"

using namespace conform::contract;

namespace {

const std::filesystem::path k_schemas = CONFORM_SOURCE_DIR "/schemas";

const nlohmann::json& openapi()
{
    static const auto document = read_json_file(k_schemas / "vod.openapi.json");
    return document;
}

const SchemaStore& schemas()
{
    static const SchemaStore store(k_schemas);
    return store;
}

// An example in the document: where it is, and what it must be valid against.
struct Example {
    std::string pointer;
    std::string schema_file;  // a media type's schema file, or empty
    nlohmann::json schema;    // a parameter's inline schema, when schema_file is empty
    nlohmann::json value;
};

std::string escape(const std::string& token)
{
    std::string out;
    for (char c : token) {
        out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    }
    return out;
}

// Every media type example (examples/<name>/value or example) and every parameter example.
void collect_examples(const nlohmann::json& node, const std::string& pointer, std::vector<Example>& out)
{
    if (node.is_object() && node.contains("schema")) {
        const auto& schema = node["schema"];
        const bool is_file = schema.contains("$ref") && !schema["$ref"].get<std::string>().starts_with("#");
        auto add = [&](const std::string& at, const nlohmann::json& value) {
            out.push_back(
                {at, is_file ? schema["$ref"].get<std::string>() : "", is_file ? nlohmann::json() : schema, value});
        };
        if (node.contains("example")) {
            add(pointer + "/example", node["example"]);
        }
        const auto named = node.value("examples", nlohmann::json::object());  // a named copy: items() would dangle
        for (const auto& [name, example] : named.items()) {
            add(pointer + "/examples/" + name, example.at("value"));
        }
    }
    if (node.is_structured()) {
        for (const auto& [key, child] : node.items()) {
            collect_examples(child, pointer + "/" + escape(key), out);
        }
    }
}

std::vector<Example> examples()
{
    std::vector<Example> out;
    collect_examples(openapi(), "", out);
    return out;
}

const nlohmann::json& operation(const std::string& path, const std::string& method)
{
    return openapi().at("paths").at(path).at(method);
}

// A parameter with its local $ref (#/components/parameters/x) resolved.
const nlohmann::json& resolved(const nlohmann::json& parameter)
{
    return parameter.contains("$ref")
               ? openapi().at(nlohmann::json::json_pointer(parameter["$ref"].get<std::string>().substr(1)))
               : parameter;
}

const nlohmann::json* parameter(const nlohmann::json& op, const std::string& name)
{
    for (const auto& p : op.at("parameters")) {
        if (resolved(p).at("name") == name) {
            return &resolved(p);
        }
    }
    return nullptr;
}

// Pointers to every string in a schema (following $refs to schema files) that admits "".
void strings_admitting_empty(const nlohmann::json& schema, const std::string& where, std::vector<std::string>& out)
{
    if (schema.contains("$ref")) {
        const auto file = schema["$ref"].get<std::string>();
        strings_admitting_empty(schemas().document(file), file, out);
        return;
    }
    if (schema.value("type", "") == "string" && !schema.contains("enum") && schema.value("minLength", 0) < 1) {
        out.push_back(where);
    }
    if (schema.contains("items")) {
        strings_admitting_empty(schema["items"], where + "/items", out);
    }
    const auto properties = schema.value("properties", nlohmann::json::object());
    for (const auto& [name, member] : properties.items()) {
        strings_admitting_empty(member, where + "/properties/" + name, out);
    }
}

}  // namespace

TEST_CASE("DeleteAssets asset_id refuses an empty id, as the documents (D6) and the mock do", "[openapi]")
{
    const auto* asset_id = parameter(operation("/v1.0/{project_id}/asset", "delete"), "asset_id");
    REQUIRE(asset_id);
    const auto& schema = asset_id->at("schema");
    CHECK(SchemaStore::validate_with(schema, {"f488337c31c8e4622f1590735b134c65"}).empty());
    CHECK_FALSE(SchemaStore::validate_with(schema, {""}).empty());
    CHECK_FALSE(SchemaStore::validate_with(schema, {"f488337c31c8e4622f1590735b134c65", ""}).empty());
}

TEST_CASE("no parameter or request body member of the OpenAPI document admits an empty string", "[openapi]")
{
    std::vector<std::string> admitting;
    std::size_t checked = 0;
    for (const auto& [path, item] : openapi().at("paths").items()) {
        for (const auto& [method, op] : item.items()) {
            if (op.contains("x-conform-role")) {
                continue;  // the suite sends these itself; the documents' rule is about operations under test
            }
            for (const auto& p : op.value("parameters", nlohmann::json::array())) {
                const auto& param = resolved(p);
                strings_admitting_empty(param.at("schema"),
                                        method + " " + path + " " + param["name"].get<std::string>(), admitting);
                ++checked;
            }
            if (const auto* body = find_pointer(op, "/requestBody/content/application~1json/schema")) {
                strings_admitting_empty(*body, method + " " + path + " body", admitting);
                ++checked;
            }
        }
    }
    CHECK(checked >= 10);
    CHECK(admitting == std::vector<std::string>{});
}

TEST_CASE("every example in the OpenAPI document is valid against its schema", "[openapi]")
{
    const auto all = examples();
    CHECK(all.size() >= 13);  // 9 of bodies (the 8 the documents give, one twice) and 4 of parameters
    for (const auto& example : all) {
        INFO(example.pointer);
        const auto violations = example.schema_file.empty() ? SchemaStore::validate_with(example.schema, example.value)
                                                            : schemas().validate(example.schema_file, example.value);
        CHECK(violations.empty());
    }
}

TEST_CASE("the OpenAPI document carries every example the documents give", "[openapi]")
{
    const auto all = examples();
    for (const auto& given : read_json_file(CONFORM_TEST_DATA "/document-examples.json")) {
        INFO(given["source"].get<std::string>());
        CHECK(std::any_of(all.begin(), all.end(), [&](const Example& e) {
            return e.schema_file == given["schema"] && e.value == given["instance"];
        }));
    }
}

TEST_CASE("every operation of the OpenAPI document has examples of its request and a response", "[openapi]")
{
    const auto all = examples();
    for (const auto& [path, item] : openapi().at("paths").items()) {
        for (const auto& [method, op] : item.items()) {
            if (op.contains("x-conform-role")) {
                continue;  // used by the suite, not under test: the documents' examples are of those
            }
            const auto where = "/paths/" + escape(path) + "/" + method;
            INFO(where);
            auto has = [&](const std::string& under) {
                return std::any_of(all.begin(), all.end(),
                                   [&](const Example& e) { return e.pointer.starts_with(where + under); });
            };
            CHECK(has("/responses/"));
            if (op.contains("requestBody")) {
                CHECK(has("/requestBody/"));
            }
            // Dredd cannot send a request whose required parameters have no example.
            for (const auto& p : op.at("parameters")) {
                const auto& param = resolved(p);
                if (param.value("required", false)) {
                    INFO(param["name"]);
                    CHECK(param.contains("example"));
                }
            }
        }
    }
}
