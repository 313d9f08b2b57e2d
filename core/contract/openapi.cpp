#include "contract/openapi.hpp"

#include <algorithm>

#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "contract/schema_store.hpp"
#include "http/message.hpp"
#include "http/signer.hpp"
#include "util/text.hpp"

namespace conform::contract {

const ResponseSpec* Operation::response_for(int status) const
{
    auto find = [this](const std::string& key) -> const ResponseSpec* {
        auto it = std::find_if(responses.begin(), responses.end(), [&](const ResponseSpec& r) { return r.key == key; });
        return it == responses.end() ? nullptr : &*it;
    };
    if (auto* exact = find(std::to_string(status))) {
        return exact;
    }
    if (auto* range = find(std::to_string(status / 100) + "XX")) {
        return range;
    }
    return find("default");
}

namespace {

// The members of an OpenAPI document this library reads, with the types it reads them as:
// checked before anything is read, so that a document of another shape is a problem naming the
// file and pointer (a parameter's "required": 1), never an exception from deep in a reader.
const nlohmann::json& openapi_shape()
{
    static const auto shape = nlohmann::json::parse(R"({
      "type": "object",
      "properties": {
        "paths": {"type": "object", "additionalProperties": {"$ref": "#/definitions/path_item"}},
        "components": {
          "type": "object",
          "properties": {
            "parameters": {"type": "object", "additionalProperties": {"$ref": "#/definitions/parameter"}},
            "requestBodies": {"type": "object", "additionalProperties": {"$ref": "#/definitions/request_body"}},
            "securitySchemes": {"type": "object"}
          }
        }
      },
      "definitions": {
        "path_item": {
          "type": "object",
          "properties": {"parameters": {"$ref": "#/definitions/parameters"}},
          "patternProperties": {"^(get|put|post|delete|patch|head|options)$": {"$ref": "#/definitions/operation"}}
        },
        "operation": {
          "type": "object",
          "properties": {
            "parameters": {"$ref": "#/definitions/parameters"},
            "requestBody": {"$ref": "#/definitions/request_body"},
            "responses": {"type": "object", "additionalProperties": {"type": "object"}}
          }
        },
        "parameters": {"type": "array", "items": {"$ref": "#/definitions/parameter"}},
        "parameter": {
          "type": "object",
          "properties": {
            "$ref": {"type": "string"},
            "name": {"type": "string"},
            "in": {"type": "string"},
            "required": {"type": "boolean"},
            "schema": {"type": ["object", "boolean"]}
          }
        },
        "request_body": {
          "type": "object",
          "properties": {"$ref": {"type": "string"}, "required": {"type": "boolean"}, "content": {"type": "object"}}
        }
      }
    })");
    return shape;
}

std::vector<Operation> read_operations(const nlohmann::json& doc, const std::string& file,
                                       std::vector<Problem>& problems)
{
    std::vector<Operation> out;
    if (!doc.contains("paths") || !doc["paths"].is_object()) {
        throw ContractError(Problem{file, "/paths", "missing"});
    }
    static const std::vector<std::string> k_methods = {"get", "put", "post", "delete", "patch", "head", "options"};
    for (const auto& [path, item] : doc["paths"].items()) {
        for (const auto& method : k_methods) {
            if (!item.contains(method)) {
                continue;
            }
            const auto& op = item[method];
            const auto where = "/paths/" + util::pointer_token(path) + "/" + method;
            if (!op.contains("operationId") || !op["operationId"].is_string()) {
                problems.push_back({file, where + "/operationId", "missing"});
                continue;
            }
            Operation operation{op["operationId"].get<std::string>(), util::upper(method), path, {}};
            operation.query = op.value("x-conform-role", nlohmann::json()) == "query";
            operation.used = op.contains("x-conform-role");
            const auto responses = op.value("responses", nlohmann::json::object());
            for (const auto& [key, response] : responses.items()) {
                ResponseSpec spec{key, ""};
                if (response.contains("content")) {
                    const auto* ref = find_pointer(response, "/content/application~1json/schema/$ref");
                    if (!ref || !ref->is_string()) {
                        problems.push_back({file, where + "/responses/" + key + "/content",
                                            "needs application/json with a schema $ref to a schema file"});
                        continue;
                    }
                    spec.schema = ref->get<std::string>();
                }
                operation.responses.push_back(std::move(spec));
            }
            out.push_back(std::move(operation));
        }
    }
    return out;
}

// A string array member of an object, or a problem at its pointer.
std::vector<std::string> strings_at(const nlohmann::json& object, const std::string& member, const std::string& file,
                                    const std::string& where, std::vector<Problem>& problems)
{
    std::vector<std::string> out;
    const auto* value = find_pointer(object, "/" + util::pointer_token(member));
    if (!value) {
        return out;
    }
    if (!value->is_array() || !std::all_of(value->begin(), value->end(), [](const auto& v) { return v.is_string(); })) {
        problems.push_back({file, where + "/" + util::pointer_token(member), "must be an array of header names"});
        return out;
    }
    return value->get<std::vector<std::string>>();
}

// x-conform-signing: {"algorithm": "SDK-HMAC-SHA256", "headers": {"Name": "template"}}.
Signing read_signing(const nlohmann::json& signing, const std::string& file, const std::string& where,
                     std::vector<Problem>& problems)
{
    Signing out;
    if (!signing.is_object() || signing.value("algorithm", "") != http::k_sign_algorithm) {
        problems.push_back({file, where + "/algorithm",
                            "must be " + std::string(http::k_sign_algorithm) + ", the signature conform makes"});
        return out;
    }
    const auto headers = signing.value("headers", nlohmann::json::object());  // named: items() of a temporary dangles
    for (const auto& [name, value] : headers.items()) {
        if (!value.is_string()) {
            problems.push_back({file, where + "/headers/" + util::pointer_token(name),
                                "must be a string (a template such as {{name}})"});
            continue;
        }
        out.headers.emplace_back(name, value.get<std::string>());
    }
    return out;
}

// Each scheme is an apiKey header: the token's, or the signature's when it has x-conform-signing.
Security read_security(const nlohmann::json& doc, const std::string& file, std::vector<Problem>& problems)
{
    Security out;
    const auto* schemes = find_pointer(doc, "/components/securitySchemes");
    if (!schemes) {
        return out;
    }
    if (!schemes->is_object()) {
        problems.push_back({file, "/components/securitySchemes", "must be an object"});
        return out;
    }
    for (const auto& [id, scheme] : schemes->items()) {
        const auto where = "/components/securitySchemes/" + util::pointer_token(id);
        const bool header_key =
            scheme.is_object() && scheme.value("type", "") == "apiKey" && scheme.value("in", "") == "header";
        const auto* name = header_key ? find_pointer(scheme, "/name") : nullptr;
        if (!name || !name->is_string() || name->get_ref<const std::string&>().empty()) {
            problems.push_back(
                {file, where, "conform sends only apiKey schemes in a header (type apiKey, in header, name)"});
            continue;
        }
        const auto header = name->get<std::string>();
        if (const auto* signing = find_pointer(scheme, "/x-conform-signing")) {
            if (out.signing) {
                problems.push_back(
                    {file, where + "/x-conform-signing", "a second signing scheme: conform signs one way"});
            } else if (!http::iequals(header, "Authorization")) {
                problems.push_back({file, where + "/name", "the signature goes in Authorization"});
            } else {
                out.signing = read_signing(*signing, file, where + "/x-conform-signing", problems);
            }
        } else if (out.token_header) {
            problems.push_back(
                {file, where,
                 "a second token scheme (" + *out.token_header + " is one): conform sends one token header"});
        } else {
            out.token_header = header;
        }
        out.credential_headers.push_back(header);
        for (auto& also : strings_at(scheme, "x-conform-credential-headers", file, where, problems)) {
            out.credential_headers.push_back(std::move(also));
        }
    }
    return out;
}

}  // namespace

OpenApi read_openapi(const std::filesystem::path& openapi_file)
{
    const auto doc = read_json_file(openapi_file);
    const auto file = openapi_file.string();
    std::vector<Problem> problems;
    // The deepest violations only: a member of the wrong type, not each object around it.
    const auto violations = SchemaStore::validate_with(openapi_shape(), doc);
    for (const auto& v : violations) {
        if (std::none_of(violations.begin(), violations.end(), [&](const Violation& deeper) {
                return deeper.pointer.size() > v.pointer.size() && deeper.pointer.starts_with(v.pointer + "/");
            })) {
            problems.push_back({file, v.pointer, v.message});
        }
    }
    if (!problems.empty()) {
        throw ContractError(std::move(problems));
    }
    OpenApi out{.operations = read_operations(doc, file, problems),
                .security = read_security(doc, file, problems),
                .document = doc};
    if (!problems.empty()) {
        throw ContractError(std::move(problems));
    }
    return out;
}

}  // namespace conform::contract
