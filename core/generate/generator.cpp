#include "generate/generator.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "contract/template.hpp"
#include "generate/variants.hpp"

namespace conform::generate {

namespace {

using contract::Case;
using contract::Problem;
using nlohmann::json;
using Pointer = json::json_pointer;

// The placeholder of the fixture a case targets, and the prefix of the made-up ids that fill
// an array up to its size limit ("{{g1}}", "{{g2}}", ...).
const std::string k_target = "a";
const std::string k_fill = "g";
const std::string k_before = "before";  // the status the first probe reads
constexpr int k_max_ref_depth = 32;

using OperationSpec = contract::GenerateSpec::Operation;

// One request the variants make, before it becomes a case.
struct Draft {
    std::string path;  // "status/type-integer", "body/malformed-json"
    std::string what;
    bool accepted = false;
    contract::RequestSpec request;
};

class Problems {
  public:
    explicit Problems(std::string file) : m_file(std::move(file)) {}
    void add(const Pointer& at, const std::string& reason) { m_list.push_back({m_file, at.to_string(), reason}); }
    void throw_any()
    {
        if (!m_list.empty()) {
            throw contract::ContractError(std::move(m_list));
        }
    }

  private:
    std::string m_file;
    std::vector<Problem> m_list;
};

std::vector<std::pair<std::string, std::string>> query_pairs(const std::vector<std::pair<std::string, json>>& query)
{
    std::vector<std::pair<std::string, std::string>> out;
    auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
    for (const auto& [name, value] : query) {
        if (value.is_array()) {
            for (const auto& item : value) {
                out.emplace_back(name, text(item));
            }
        } else {
            out.emplace_back(name, text(value));
        }
    }
    return out;
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// The OpenAPI document and the schema files its $refs name, read as the generator needs them:
// with every $ref replaced by what it points to.
class Documents {
  public:
    Documents(const json& openapi, const contract::SchemaStore& schemas, Problems& problems)
        : m_openapi(openapi), m_schemas(schemas), m_problems(problems)
    {
    }

    // node, found in document (empty: the OpenAPI document), with its $refs inlined; null
    // and a problem at `at` when one does not resolve.
    json inlined(const json& node, const std::string& document, const Pointer& at, int depth = 0) const
    {
        if (depth > k_max_ref_depth) {
            m_problems.add(at, "$refs nest deeper than " + std::to_string(k_max_ref_depth));
            return nullptr;
        }
        if (node.is_object() && node.contains("$ref") && node["$ref"].is_string()) {
            const auto ref = node["$ref"].get<std::string>();
            const auto hash = ref.find('#');
            const auto file = ref.substr(0, hash);
            const auto pointer = hash == std::string::npos ? std::string() : ref.substr(hash + 1);
            const auto target_document = file.empty() ? document : file;
            const json* root = target_document.empty()               ? &m_openapi
                               : m_schemas.contains(target_document) ? &m_schemas.document(target_document)
                                                                     : nullptr;
            const json* target = root ? contract::find_pointer(*root, pointer) : nullptr;
            if (!target) {
                m_problems.add(at, "the $ref \"" + ref + "\" does not resolve");
                return nullptr;
            }
            return inlined(*target, target_document, at, depth + 1);
        }
        if (node.is_object()) {
            json out = json::object();
            for (const auto& [key, value] : node.items()) {
                out[key] = inlined(value, document, at, depth);
            }
            return out;
        }
        if (node.is_array()) {
            json out = json::array();
            for (const auto& value : node) {
                out.push_back(inlined(value, document, at, depth));
            }
            return out;
        }
        return node;
    }

    const json& openapi() const { return m_openapi; }

  private:
    const json& m_openapi;
    const contract::SchemaStore& m_schemas;
    Problems& m_problems;
};

struct QueryParameter {
    std::string name;
    bool required = false;
    json schema;
};

// What one operation takes besides its path: query parameters (OpenAPI order) and the JSON body.
struct Inputs {
    std::vector<QueryParameter> query;
    std::optional<json> body_schema;
    bool body_required = false;
};

Inputs inputs_of(const Documents& docs, const contract::Operation& op, const Pointer& at)
{
    Inputs in;
    const auto path_item = Pointer("/paths") / op.path;
    const auto* item = contract::find_pointer(docs.openapi(), path_item.to_string());
    const auto* node = item ? contract::find_pointer(*item, "/" + lower(op.method)) : nullptr;
    if (!node) {
        return in;
    }
    // Parameters of the path item, overridden by the operation's own of the same name and place.
    std::vector<json> parameters;
    for (const auto* list : {item, node}) {
        for (const auto& p : list->value("parameters", json::array())) {
            auto resolved = docs.inlined(p, "", at);
            if (!resolved.is_object()) {
                continue;
            }
            std::erase_if(parameters, [&](const json& q) {
                return q.value("name", "") == resolved.value("name", "") &&
                       q.value("in", "") == resolved.value("in", "");
            });
            parameters.push_back(std::move(resolved));
        }
    }
    for (const auto& p : parameters) {
        if (p.value("in", "") == "query" && p.contains("name") && p["name"].is_string()) {
            in.query.push_back(
                {p["name"].get<std::string>(), p.value("required", false), p.value("schema", json::object())});
        }
    }
    if (node->contains("requestBody")) {
        const auto body = docs.inlined((*node)["requestBody"], "", at);
        if (const auto* schema = contract::find_pointer(body, "/content/application~1json/schema")) {
            in.body_schema = *schema;
            in.body_required = body.value("required", false);
        }
    }
    return in;
}

// The rule a generated case is tied to: the longest key that names its path exactly or, ending
// in '*', by its beginning ("*" alone: every case).
std::optional<std::string> rule_for(const std::map<std::string, std::string>& keys, const std::string& path,
                                    std::set<std::string>& used)
{
    const std::string* best = nullptr;
    for (const auto& [key, rule] : keys) {
        const bool match =
            key == path || (key.ends_with('*') && path.starts_with(std::string_view(key).substr(0, key.size() - 1)));
        if (match && (!best || key.size() > best->size())) {
            best = &key;
        }
    }
    if (!best) {
        return std::nullopt;
    }
    used.insert(*best);
    return keys.at(*best);
}

std::vector<std::string> placeholders_of(const contract::RequestSpec& request)
{
    std::vector<std::string> out;
    auto add = [&](const std::vector<std::string>& names) { out.insert(out.end(), names.begin(), names.end()); };
    if (request.body) {
        add(contract::placeholders(*request.body));
    }
    if (request.raw_body) {
        add(contract::placeholders(std::string_view(*request.raw_body)));
    }
    for (const auto& [key, value] : request.query) {
        add(contract::placeholders(std::string_view(value)));
    }
    return out;
}

std::string statuses_text(const std::vector<int>& statuses)
{
    std::string out;
    for (auto s : statuses) {
        out += (out.empty() ? "" : " or ") + std::to_string(s);
    }
    return out;
}

// An expectation of these statuses, with predicates on the body and captures; no rule of its own.
contract::Expectation expecting(std::vector<int> status, std::vector<contract::Predicate> body = {},
                                std::vector<std::pair<std::string, std::string>> capture = {})
{
    return {.status = std::move(status),
            .schema = std::nullopt,
            .body = std::move(body),
            .capture = std::move(capture),
            .rule = std::nullopt};
}

// Makes the cases of one contract and its generate spec; problems found on the way (a target
// member the operation lacks, a path no rule key matches, a key that matches none) go to problems.
class Generator {
  public:
    Generator(const contract::Contract& contract, const contract::GenerateSpec& spec, Problems& problems)
        : m_contract(contract), m_spec(spec), m_problems(problems)
    {
    }

    std::vector<Case> cases(const Documents& docs)
    {
        std::vector<Case> out;
        for (const auto& op : m_contract.operations()) {
            auto it = m_spec.operations.find(op.id);
            if (it != m_spec.operations.end()) {
                for (auto& c : cases_of(docs, op, it->second)) {
                    out.push_back(std::move(c));
                }
            }
        }
        std::set<std::string> ids;
        for (const auto& c : out) {
            if (!ids.insert(c.id).second) {
                m_problems.add(Pointer("/generate/operations") / c.operation,
                               "two generated cases are both " + c.id + ": tie these operations to different rules");
            }
        }
        return out;
    }

  private:
    std::vector<Draft> drafts(const Documents& docs, const contract::Operation& op, const OperationSpec& spec)
    {
        const auto in = inputs_of(docs, op, spec.at);
        // The valid request: required members, the fixture in its member.
        auto target_value = [&](const json& schema) {
            return schema.value("type", json()) == "array" ? json::array({"{{" + k_target + "}}"})
                                                           : json("{{" + k_target + "}}");
        };
        bool target_found = false;
        std::vector<std::pair<std::string, json>> query;
        for (const auto& p : in.query) {
            if (p.name == spec.member) {
                target_found = true;
                query.emplace_back(p.name, target_value(p.schema));
            } else if (p.required) {
                query.emplace_back(p.name, example_value(p.schema));
            }
        }
        std::optional<json> body;
        if (in.body_schema) {
            body = example_value(*in.body_schema);
            const auto* member =
                contract::find_pointer(*in.body_schema, (Pointer("/properties") / spec.member).to_string());
            if (member && body->is_object()) {
                target_found = true;
                (*body)[spec.member] = target_value(*member);
            }
        }
        if (!target_found) {
            m_problems.add(spec.at / "target" / "member",
                           "'" + spec.member + "' is neither a query parameter nor a body member of " + op.id);
            return {};
        }
        const ExtraItem extra = [](const json& first, std::size_t n) {
            return first == "{{" + k_target + "}}" ? json("{{" + k_fill + std::to_string(n) + "}}") : first;
        };
        auto request = [&](const std::vector<std::pair<std::string, json>>& q, std::optional<json> b) {
            contract::RequestSpec r;
            r.operation = op.id;
            r.query = query_pairs(q);
            r.body = std::move(b);
            return r;
        };

        std::vector<Draft> out;
        if (in.body_schema) {
            if (in.body_required) {
                out.push_back({.path = "body/missing",
                               .what = "without a body",
                               .accepted = false,
                               .request = request(query, std::nullopt)});
            }
            for (auto& v : variants(*in.body_schema, *body, Carrier::body, "the body", extra)) {
                const auto path = v.name.find('/') == std::string::npos ? "body/" + v.name : v.name;
                out.push_back({.path = path,
                               .what = v.what,
                               .accepted = v.accepted,
                               .request = request(query, std::move(v.value))});
            }
            auto malformed = request(query, std::nullopt);
            const auto text = body->dump();
            malformed.raw_body = text.substr(0, text.size() - 1);
            out.push_back({.path = "body/malformed-json",
                           .what = "a body of malformed JSON (cut short)",
                           .accepted = false,
                           .request = std::move(malformed)});
        }
        for (const auto& p : in.query) {
            const auto it = std::find_if(query.begin(), query.end(), [&](const auto& q) { return q.first == p.name; });
            auto with = [&](std::optional<json> value) {
                auto q = query;
                auto at = std::find_if(q.begin(), q.end(), [&](const auto& pair) { return pair.first == p.name; });
                if (!value) {
                    if (at != q.end()) {
                        q.erase(at);
                    }
                } else if (at == q.end()) {
                    q.emplace_back(p.name, std::move(*value));
                } else {
                    at->second = std::move(*value);
                }
                return q;
            };
            if (p.required) {
                out.push_back({.path = p.name + "/missing",
                               .what = "without " + p.name,
                               .accepted = false,
                               .request = request(with(std::nullopt), body)});
            }
            const auto valid = it == query.end() ? example_value(p.schema) : it->second;
            for (auto& v : variants(p.schema, valid, Carrier::query, p.name, extra)) {
                out.push_back({.path = p.name + "/" + v.name,
                               .what = v.what,
                               .accepted = v.accepted,
                               .request = request(with(std::move(v.value)), body)});
            }
        }
        return out;
    }

    std::vector<Case> cases_of(const Documents& docs, const contract::Operation& op, const OperationSpec& spec)
    {
        std::vector<int> success;
        for (const auto& r : op.responses) {
            if (r.key.size() == 3 && r.key[0] == '2' &&
                std::all_of(r.key.begin(), r.key.end(), [](unsigned char ch) { return std::isdigit(ch); })) {
                success.push_back(std::stoi(r.key));
            }
        }
        std::set<std::string> used;
        std::vector<Case> out;
        for (auto& d : drafts(docs, op, spec)) {
            const std::string polarity = d.accepted ? "positive" : "negative";
            const auto keys = spec.rules.find(polarity);
            const auto rule = keys == spec.rules.end() ? std::nullopt : rule_for(keys->second, d.path, used);
            if (!rule) {
                m_problems.add(spec.at / "rules" / polarity,
                               "no rule for the generated case " + d.path + " (add a key for it, or \"*\")");
                continue;
            }
            if (d.accepted && success.empty()) {
                m_problems.add(spec.at,
                               op.id + " declares no 2xx response for the boundary case " + d.path + " to expect");
                continue;
            }
            if (const auto* r = m_contract.rule(*rule)) {
                out.push_back(make_case(op, spec, std::move(d), *r, success));
            }
        }
        for (const auto& [polarity, keys] : spec.rules) {
            for (const auto& [key, rule] : keys) {
                if (!used.count(key)) {
                    m_problems.add(spec.at / "rules" / polarity / key, "matches no generated case of " + op.id);
                }
            }
        }
        return out;
    }

    Case make_case(const contract::Operation& op, const OperationSpec& spec, Draft d, const contract::Rule& rule,
                   const std::vector<int>& success)
    {
        Case c{.id = "gen/" + rule.id + "/" + d.path,
               .file = m_spec.file,
               .line = spec.line,
               .operation = op.id,
               .description = {},  // once the steps are known
               .rules = {rule.id},
               .level = rule.level,
               .tags = {k_tag, d.accepted ? "boundary" : "validation"},
               .fixtures = {},
               .unchanged = {},
               .steps = {},
               .if_premise_lost = {},
               .generated = true};

        // Fixtures: the target, then the made-up fill ids in number order.
        std::set<std::string> named;
        for (const auto& n : placeholders_of(d.request)) {
            named.insert(n);
        }
        const bool targets = named.count(k_target) > 0;
        // Shared only when a MUST refusal makes a change this case's failure; a SHOULD refusal
        // an endpoint is let off would change an asset other cases rely on.
        const bool unchanged = targets && !d.accepted && rule.level == contract::Level::must;
        if (targets) {
            c.fixtures.emplace_back(k_target, spec.kind);
            if (unchanged) {
                c.unchanged.insert(k_target);
            }
        }
        for (std::size_t n = 1; named.count(k_fill + std::to_string(n)); ++n) {
            c.fixtures.emplace_back(k_fill + std::to_string(n), m_spec.fill_kind);
        }

        contract::Step step{
            .name = d.what, .request = std::move(d.request), .expect = {expecting(d.accepted ? success : spec.refuse)}};
        const auto probe = targets && !d.accepted ? m_spec.probes.find(spec.kind) : m_spec.probes.end();
        if (probe == m_spec.probes.end()) {
            c.steps.push_back(std::move(step));
        } else {
            c.tags.push_back("state");
            const auto& [request, status, read] = probe->second;
            contract::Step before{.name = "probe: the status of {{" + k_target + "}}",
                                  .request = request,
                                  .expect = {expecting({status}, {}, {{k_before, read}})}};
            const contract::Predicate same{.pointer = read,
                                           .kind = contract::Predicate::Kind::equals,
                                           .value = "{{" + k_before + "}}",
                                           .optional = false,
                                           .pattern = std::nullopt,
                                           .rule = std::nullopt};
            contract::Step after{.name = "probe: {{" + k_target + "}} is as it was",
                                 .request = request,
                                 .expect = {expecting({status}, {same})}};
            c.steps = {std::move(before), std::move(step), std::move(after)};
        }
        c.description = op.id + ": " + d.what +
                        (d.accepted ? " is accepted (" + statuses_text(success) + ")"
                                    : " is refused (" + statuses_text(spec.refuse) + ") with the error envelope" +
                                          (c.steps.size() > 1 ? ", and a probe reads the target as it was" : ""));
        // The rules covers derives (the error envelope, Content-Type), as for a case file.
        for (auto& id : m_contract.covered_rules(c)) {
            if (std::find(c.rules.begin(), c.rules.end(), id) == c.rules.end()) {
                c.rules.push_back(std::move(id));
            }
        }
        return c;
    }

    const contract::Contract& m_contract;
    const contract::GenerateSpec& m_spec;
    Problems& m_problems;
};

}  // namespace

std::vector<Case> generate_cases(const contract::Contract& contract, const contract::GenerateSpec& spec)
{
    Problems problems(spec.source);
    const Documents docs(contract.openapi(), contract.schemas(), problems);
    auto cases = Generator(contract, spec, problems).cases(docs);
    problems.throw_any();
    return cases;
}

std::vector<Case> generate_cases(const contract::Contract& contract)
{
    const auto& spec = contract.generate_spec();
    return spec ? generate_cases(contract, *spec) : std::vector<Case>{};
}

}  // namespace conform::generate
