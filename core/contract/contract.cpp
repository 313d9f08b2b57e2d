#include "contract/contract.hpp"

#include <algorithm>
#include <map>
#include <cctype>

#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "contract/openapi.hpp"
#include "contract/template.hpp"

#ifndef CONFORM_SOURCE_DIR
#define CONFORM_SOURCE_DIR "."
#endif
#ifndef CONFORM_INSTALL_DATADIR
#define CONFORM_INSTALL_DATADIR "share/vod-conformance"
#endif

namespace conform::contract {

namespace {

constexpr const char* k_manifest = "contract.json";
constexpr const char* k_manifest_schema = "contract.schema.json";
constexpr const char* k_case_schema = "case.schema.json";
const std::string k_builtin_project_id = "project_id";

Level parse_level(const std::string& text)
{
    return text == "SHOULD" ? Level::should : Level::must;
}

// "DeleteAssets" -> "delete-assets": the folder a case of that operation lives in.
std::string kebab(const std::string& name)
{
    std::string out;
    for (char c : name) {
        if (std::isupper(static_cast<unsigned char>(c))) {
            if (!out.empty()) {
                out.push_back('-');
            }
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> string_pairs(const nlohmann::json& object)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [key, value] : object.items()) {
        if (value.is_array()) {
            for (const auto& item : value) {
                out.emplace_back(key, item.get<std::string>());
            }
        } else {
            out.emplace_back(key, value.get<std::string>());
        }
    }
    return out;
}

Predicate parse_predicate(const nlohmann::json& j)
{
    static const std::vector<std::pair<std::string, Predicate::Kind>> k_kinds = {
        {"equals", Predicate::Kind::equals}, {"not_equals", Predicate::Kind::not_equals},
        {"in", Predicate::Kind::in},         {"not_in", Predicate::Kind::not_in},
        {"exists", Predicate::Kind::exists}, {"length", Predicate::Kind::length},
        {"matches", Predicate::Kind::matches}, {"type", Predicate::Kind::type},
    };
    Predicate p;
    p.pointer = j.at("pointer").get<std::string>();
    p.optional = j.value("optional", false);
    if (j.contains("rule")) {
        p.rule = j["rule"].get<std::string>();
    }
    for (const auto& [key, kind] : k_kinds) {
        if (j.contains(key)) {
            p.kind = kind;
            p.value = j[key];
        }
    }
    return p;
}

// A matches predicate's pattern is compiled once, here, so a bad one is a contract error and
// the run only matches. Why it cannot be compiled, or nothing.
std::optional<std::string> compile_pattern(Predicate& p)
{
    if (p.kind != Predicate::Kind::matches || !p.value.is_string()) {
        return std::nullopt;
    }
    const auto& expression = p.value.get_ref<const std::string&>();
    if (!placeholders(std::string_view(expression)).empty()) {
        return "a matches pattern cannot hold {{placeholders}}: it is compiled when the contract loads";
    }
    try {
        p.pattern = util::Pattern(expression);
    } catch (const util::PatternError& e) {
        return e.what();
    }
    return std::nullopt;
}

Expectation parse_expectation(const nlohmann::json& e)
{
    Expectation expect;
    const auto& status = e.at("status");
    expect.status = status.is_array() ? status.get<std::vector<int>>() : std::vector<int>{status.get<int>()};
    if (e.contains("schema")) {
        expect.schema = e["schema"].get<std::string>();
    }
    for (const auto& p : e.value("body", nlohmann::json::array())) {
        expect.body.push_back(parse_predicate(p));
    }
    expect.capture = string_pairs(e.value("capture", nlohmann::json::object()));
    if (e.contains("rule")) {
        expect.rule = e["rule"].get<std::string>();
    }
    return expect;
}

Step parse_step(const nlohmann::json& j, const std::string& case_operation, std::size_t index)
{
    Step step;
    step.name = j.value("name", "step " + std::to_string(index + 1));
    const auto& r = j.at("request");
    auto& request = step.request;
    if (r.contains("path")) {
        request.method = r.at("method").get<std::string>();
        request.path = r.at("path").get<std::string>();
    } else {
        request.operation = r.value("operation", case_operation);
    }
    request.query = string_pairs(r.value("query", nlohmann::json::object()));
    request.headers = string_pairs(r.value("headers", nlohmann::json::object()));
    if (r.contains("body")) {
        request.body = r["body"];
    }
    if (r.contains("raw_body")) {
        request.raw_body = r["raw_body"].get<std::string>();
    }
    auto auth = r.value("auth", "run");
    request.auth = auth == "none" ? Auth::none : auth == "wrong_token" ? Auth::wrong_token
                 : auth == "bad_signature" ? Auth::bad_signature : Auth::run;

    auto alternatives = j.contains("expect_any") ? j["expect_any"] : nlohmann::json::array({j.at("expect")});
    for (const auto& e : alternatives) {
        step.expect.push_back(parse_expectation(e));
    }
    step.settle = j.value("settle", false);
    return step;
}

int line_of_id(const std::string& text)
{
    auto pos = text.find("\"id\"");
    return pos == std::string::npos ? 1 : 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
}

}  // namespace

std::string to_string(Level level)
{
    return level == Level::must ? "MUST" : "SHOULD";
}

std::string to_string(Predicate::Kind kind)
{
    switch (kind) {
    case Predicate::Kind::equals: return "equals";
    case Predicate::Kind::not_equals: return "not_equals";
    case Predicate::Kind::in: return "in";
    case Predicate::Kind::not_in: return "not_in";
    case Predicate::Kind::exists: return "exists";
    case Predicate::Kind::length: return "length";
    case Predicate::Kind::matches: return "matches";
    case Predicate::Kind::type: return "type";
    }
    return "?";
}

bool Case::has_tag(const std::string& tag) const
{
    return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

const Operation* Contract::operation(std::string_view id) const
{
    auto it = std::find_if(m_operations.begin(), m_operations.end(), [&](const Operation& o) { return o.id == id; });
    return it == m_operations.end() ? nullptr : &*it;
}

void Contract::add_cases(std::vector<Case> cases)
{
    m_cases.insert(m_cases.end(), std::make_move_iterator(cases.begin()), std::make_move_iterator(cases.end()));
}

const Rule* Contract::rule(std::string_view id) const
{
    auto it = std::find_if(m_rules.begin(), m_rules.end(), [&](const Rule& r) { return r.id == id; });
    return it == m_rules.end() ? nullptr : &*it;
}

Contract Contract::load(const ContractPaths& paths)
{
    Contract contract;
    const auto manifest_file = paths.schemas / k_manifest;
    const auto manifest = read_json_file(manifest_file);
    contract.m_schemas = std::make_shared<SchemaStore>(paths.schemas);
    const auto& schemas = *contract.m_schemas;
    for (const char* needed : {k_manifest_schema, k_case_schema}) {
        if (!schemas.contains(needed)) {
            throw ContractError(Problem{paths.schemas.string(), "", std::string(needed) + " not found"});
        }
    }
    std::vector<Problem> problems;
    auto manifest_problem = [&](const std::string& pointer, const std::string& reason) {
        problems.push_back({manifest_file.string(), pointer, reason});
    };
    // Every field read below has the type the schema gives it.
    for (const auto& v : schemas.validate(k_manifest_schema, manifest)) {
        manifest_problem(v.pointer, v.message);
    }
    if (!problems.empty()) {
        throw ContractError(std::move(problems));
    }

    // Named copies: iterating items() of a temporary would dangle.
    const auto rules = manifest["rules"];
    const auto fixture_kinds = manifest.value("fixture_kinds", nlohmann::json::object());
    const auto generated_kinds = manifest.value("generated_kinds", nlohmann::json::object());
    for (const auto& [i, r] : rules.items()) {
        Rule rule{r["id"].get<std::string>(), parse_level(r["level"].get<std::string>()), r["text"].get<std::string>(),
                  r.value("source", ""), r.value("covers", std::vector<std::string>{})};
        if (contract.rule(rule.id)) {
            manifest_problem("/rules/" + i + "/id", "rule id '" + rule.id + "' is listed twice");
        }
        contract.m_rules.push_back(std::move(rule));
    }
    for (const auto& [kind, description] : fixture_kinds.items()) {
        contract.m_fixture_kinds.insert(kind);
    }
    for (const auto& [kind, description] : generated_kinds.items()) {
        contract.m_generated_kinds.insert(kind);
    }

    const auto openapi_file = paths.schemas / manifest["openapi"].get<std::string>();
    contract.m_operations = read_operations(openapi_file);
    for (const auto& op : contract.m_operations) {
        for (const auto& response : op.responses) {
            if (response.has_body() && !schemas.contains(response.schema)) {
                problems.push_back({openapi_file.string(), "/paths", op.id + " " + response.key + ": unknown schema " + response.schema});
            }
        }
    }

    std::error_code ec;
    if (!std::filesystem::is_directory(paths.cases, ec)) {
        throw ContractError(Problem{paths.cases.string(), "", "cases directory not found"});
    }
    // Case files are named as the user has them: the cases folder's name, then the path below it,
    // symlinks not resolved.
    const auto cases_dir = paths.cases.lexically_normal();
    const auto cases_name = cases_dir.has_filename() ? cases_dir.filename() : cases_dir.parent_path().filename();
    auto shown_of = [&](const std::filesystem::path& path) {
        return (cases_name / path.lexically_relative(paths.cases)).string();
    };
    std::vector<std::filesystem::path> files;
    std::filesystem::recursive_directory_iterator it(paths.cases, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        // Every *.json entry is meant as a case: one that is not a readable file (a dangling or
        // looping symlink, a directory) is reported when it is read, not skipped.
        if (it->path().extension() == ".json") {
            files.push_back(it->path());
            it.disable_recursion_pending();
        }
    }
    if (ec) {
        problems.push_back({paths.cases.string(), "", "cannot be listed: " + ec.message()});
    }
    std::sort(files.begin(), files.end());

    std::map<std::string, std::string> files_by_id, files_by_description;
    for (const auto& path : files) {
        const auto shown = shown_of(path);
        auto problem = [&](const std::string& pointer, const std::string& reason) {
            problems.push_back({shown, pointer, reason});
        };
        nlohmann::json j;
        std::string text;
        try {
            text = read_text_file(path, shown);
            j = parse_json(text, shown);
        } catch (const ContractError& e) {
            problems.insert(problems.end(), e.problems().begin(), e.problems().end());
            continue;
        }
        auto violations = schemas.validate(k_case_schema, j);
        if (!violations.empty()) {
            for (const auto& v : violations) {
                problem(v.pointer, v.message);
            }
            continue;
        }

        Case c;
        c.id = j["id"].get<std::string>();
        c.file = shown;
        c.line = line_of_id(text);
        c.operation = j["operation"].get<std::string>();
        c.description = j["description"].get<std::string>();
        c.rules = j["rules"].get<std::vector<std::string>>();
        c.level = parse_level(j["level"].get<std::string>());
        c.tags = j.value("tags", std::vector<std::string>{});
        const auto fixtures = j.value("fixtures", nlohmann::json::object());
        for (const auto& [name, spec] : fixtures.items()) {
            // "KIND", or {"kind": "KIND", "unchanged": true}
            c.fixtures.emplace_back(name, spec.is_string() ? spec.get<std::string>() : spec.at("kind").get<std::string>());
            if (spec.is_object() && spec.value("unchanged", false)) {
                c.unchanged.insert(name);
            }
        }
        for (std::size_t i = 0; i < j["steps"].size(); ++i) {
            c.steps.push_back(parse_step(j["steps"][i], c.operation, i));
        }

        // What the case schema cannot see: references to the rest of the contract.
        if (auto [at, fresh] = files_by_id.emplace(c.id, shown); !fresh) {
            problem("/id", "case id '" + c.id + "' is taken by " + at->second);
        }
        if (path.stem() != c.id) {
            problem("/id", "the file of case '" + c.id + "' must be named " + c.id + ".json");
        }
        // Descriptions say what the case shows, once (the JSON-Schema-Test-Suite's habit).
        if (auto [at, fresh] = files_by_description.emplace(c.description, shown); !fresh) {
            problem("/description", "the same as " + at->second + "'s: say what this case shows");
        }
        for (const char* weak : {"Test ", "Tests ", "Should ", "Check that ", "Checks that "}) {
            if (c.description.starts_with(weak)) {
                problem("/description", std::string("starts with \"") + weak + "\": say what the case shows");
            }
        }
        if (!contract.operation(c.operation)) {
            problem("/operation", "unknown operation '" + c.operation + "'");
        } else if (path.parent_path().filename() != kebab(c.operation)) {
            problem("/operation", "a " + c.operation + " case belongs in cases/" + kebab(c.operation) + "/");
        }
        for (std::size_t i = 0; i < c.rules.size(); ++i) {
            if (!contract.rule(c.rules[i])) {
                problem("/rules/" + std::to_string(i), "unknown rule '" + c.rules[i] + "'");
            }
        }
        std::set<std::string> bound = {k_builtin_project_id};
        for (const auto& [name, kind] : c.fixtures) {
            if (!contract.m_fixture_kinds.count(kind) && !contract.m_generated_kinds.count(kind)) {
                problem((nlohmann::json::json_pointer("/fixtures") / name).to_string(), "unknown fixture kind '" + kind + "'");
            }
            if (c.leaves_unchanged(name) && contract.m_generated_kinds.count(kind)) {
                problem("/fixtures/" + name + "/unchanged", "a " + kind + " id is made up afresh for each case: it cannot be shared");
            }
            bound.insert(name);
        }
        for (std::size_t i = 0; i < c.steps.size(); ++i) {
            const auto& step = c.steps[i];
            const auto where = "/steps/" + std::to_string(i);
            const auto& raw = j["steps"][i];
            if (!step.request.operation.empty() && !contract.operation(step.request.operation)) {
                problem(where + "/request/operation", "unknown operation '" + step.request.operation + "'");
            }
            auto check_bound = [&](const nlohmann::json& value, const std::string& pointer) {
                for (const auto& name : placeholders(value)) {
                    if (!bound.count(name)) {
                        problem(pointer, "{{" + name + "}} is neither a fixture, a capture of an earlier step nor project_id");
                    }
                }
            };
            check_bound(raw.at("request"), where + "/request");
            // What can be told without knowing what an operation does (the rest is the author's
            // claim, see cases/README.md): a settle step waits for a change an earlier step made.
            if (step.settle) {
                const auto named = placeholders(raw.at("request"));
                const bool only_unchanged = std::all_of(named.begin(), named.end(), [&](const std::string& n) {
                    return c.leaves_unchanged(n) || !bound.count(n) || n == k_builtin_project_id;
                });
                if (i == 0) {
                    problem(where + "/settle", "the first step has no earlier change to wait for");
                } else if (only_unchanged) {
                    problem(where + "/settle", "waits for a change, but names no fixture or capture that may change");
                }
            }
            const auto expect_key = raw.contains("expect_any") ? "/expect_any" : "/expect";
            for (std::size_t k = 0; k < step.expect.size(); ++k) {
                const auto& raw_expect = raw.contains("expect_any") ? raw["expect_any"][k] : raw["expect"];
                const auto at = where + expect_key + (raw.contains("expect_any") ? "/" + std::to_string(k) : "");
                if (step.expect[k].schema && !schemas.contains(*step.expect[k].schema)) {
                    problem(at + "/schema", "unknown schema '" + *step.expect[k].schema + "'");
                }
                check_bound(raw_expect.value("body", nlohmann::json::array()), at + "/body");
                auto& predicates = c.steps[i].expect[k].body;
                for (std::size_t n = 0; n < predicates.size(); ++n) {
                    if (auto reason = compile_pattern(predicates[n])) {
                        problem(at + "/body/" + std::to_string(n) + "/matches", *reason);
                    }
                }
                // A failure names the rule it breaks: it must be one the case says it checks.
                auto check_rule = [&](const std::optional<std::string>& rule, const std::string& pointer) {
                    if (rule && std::find(c.rules.begin(), c.rules.end(), *rule) == c.rules.end()) {
                        problem(pointer, "rule '" + *rule + "' is not among the case's rules");
                    }
                };
                check_rule(step.expect[k].rule, at + "/rule");
                for (std::size_t n = 0; n < step.expect[k].body.size(); ++n) {
                    check_rule(step.expect[k].body[n].rule, at + "/body/" + std::to_string(n) + "/rule");
                }
            }
            for (const auto& expect : step.expect) {
                for (const auto& [name, pointer] : expect.capture) {
                    bound.insert(name);
                }
            }
        }
        contract.m_cases.push_back(std::move(c));
    }
    if (!problems.empty()) {
        throw ContractError(std::move(problems));
    }
    return contract;
}

ContractPaths default_contract_paths(const std::filesystem::path& executable)
{
    std::error_code ec;
    auto installed = executable.parent_path().parent_path() / CONFORM_INSTALL_DATADIR;
    if (std::filesystem::is_regular_file(installed / "schemas" / k_manifest, ec)) {
        return {installed / "schemas", installed / "cases"};
    }
    std::filesystem::path source = CONFORM_SOURCE_DIR;
    return {source / "schemas", source / "cases"};
}

}  // namespace conform::contract
