#include "contract/contract.hpp"

#include <algorithm>
#include <functional>

#include "contract/enum_json.hpp"
#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "contract/lint.hpp"
#include "contract/openapi.hpp"
#include "contract/provision.hpp"
#include "contract/template.hpp"
#include "util/text.hpp"

namespace conform::contract {

namespace {

constexpr const char* k_manifest = "contract.json";
constexpr const char* k_manifest_schema = "contract.schema.json";
constexpr const char* k_case_schema = "case.schema.json";

// Where a parse problem is: a JSON pointer into the case file, and why.
using ProblemAt = std::function<void(const std::string& pointer, const std::string& reason)>;

Predicate parse_predicate(const nlohmann::json& j)
{
    static const std::vector<std::pair<std::string, Predicate::Kind>> k_kinds = {
        {"equals", Predicate::Kind::equals},   {"not_equals", Predicate::Kind::not_equals},
        {"in", Predicate::Kind::in},           {"not_in", Predicate::Kind::not_in},
        {"exists", Predicate::Kind::exists},   {"length", Predicate::Kind::length},
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

// e is at pointer at.
Expectation parse_expectation(const nlohmann::json& e, const std::string& at, const ProblemAt& problem)
{
    Expectation expect;
    const auto& status = e.at("status");
    expect.status = status.is_array() ? status.get<std::vector<int>>() : std::vector<int>{status.get<int>()};
    if (e.contains("schema")) {
        expect.schema = e["schema"].get<std::string>();
    }
    const auto body = e.value("body", nlohmann::json::array());
    for (std::size_t n = 0; n < body.size(); ++n) {
        expect.body.push_back(parse_predicate(body[n]));
        if (auto reason = compile_pattern(expect.body.back())) {
            problem(at + "/body/" + std::to_string(n) + "/matches", *reason);
        }
    }
    expect.capture = string_pairs(e.value("capture", nlohmann::json::object()));
    if (e.contains("rule")) {
        expect.rule = e["rule"].get<std::string>();
    }
    return expect;
}

// A step's expect or expect_any, and settle; j is at pointer where.
void parse_expectations(const nlohmann::json& j, Step& step, const std::string& where, const ProblemAt& problem)
{
    if (j.contains("expect_any")) {
        for (std::size_t k = 0; k < j["expect_any"].size(); ++k) {
            step.expect.push_back(
                parse_expectation(j["expect_any"][k], where + "/expect_any/" + std::to_string(k), problem));
        }
    } else {
        step.expect.push_back(parse_expectation(j.at("expect"), where + "/expect", problem));
    }
    step.settle = j.value("settle", false);
}

// j is at pointer where; unnamed, it is called default_name.
Step parse_step(const nlohmann::json& j, const std::string& case_operation, const std::string& default_name,
                const std::string& where, const ProblemAt& problem)
{
    Step step;
    step.name = j.value("name", default_name);
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
    request.auth = r.value("auth", Auth::run);
    if (r.contains("tamper")) {
        const auto& t = r["tamper"];
        Tamper tamper;
        if (t.contains("body_after_signing")) {
            tamper.body_after_signing = t["body_after_signing"];
        }
        tamper.headers_after_signing = string_pairs(t.value("headers_after_signing", nlohmann::json::object()));
        tamper.signing_time_offset_s = t.value("signing_time_offset_s", 0LL);
        request.tamper = std::move(tamper);
    }

    parse_expectations(j, step, where, problem);
    return step;
}

// contract.json's "report", "fixtures_file" and "run_placeholders" (the schema has checked them).
void read_profile(const nlohmann::json& manifest, ReportNames& names, FixturesFile& fixtures_file,
                  std::set<std::string>& run_placeholders)
{
    const auto& report = manifest["report"];
    names = {report["suite"].get<std::string>(), report["classname_prefix"].get<std::string>(),
             report["title"].get<std::string>(), ""};
    fixtures_file = {manifest["fixtures_file"]["schema"].get<std::string>(),
                     manifest["fixtures_file"]["ids_by_kind"].get<std::string>()};
    const auto declared =
        manifest.value("run_placeholders", nlohmann::json::object());  // named: items() of a temporary dangles
    for (const auto& [name, description] : declared.items()) {
        run_placeholders.insert(name);
    }
}

WaitStep parse_wait(const nlohmann::json& j, const std::string& where, const ProblemAt& problem)
{
    return {parse_step(j, "", "wait", where, problem), j.value("timeout_s", 60.0), j.value("typical_s", 1.0)};
}

// contract.json "provision" (the schema has checked its shape); at is its pointer.
Provision parse_provision(const nlohmann::json& p, const std::filesystem::path& schemas_dir, const ProblemAt& problem)
{
    const std::string at = "/provision";
    Provision out;
    out.tag = p["marker"]["tag"].get<std::string>();
    out.run_tag = p["marker"]["run_tag"].get<std::string>();
    // Named copies: iterating items() of a temporary would dangle.
    const auto settings = p.value("settings", nlohmann::json::object());
    const auto files = p.value("files", nlohmann::json::object());
    const auto& remove = p["remove"];
    const auto cancels = remove.value("cancel", nlohmann::json::array());
    for (const auto& [name, s] : settings.items()) {
        out.settings[name] = {s["flag"].get<std::string>(),
                              s.contains("default") ? std::optional(s["default"].get<std::string>()) : std::nullopt,
                              s["description"].get<std::string>()};
    }
    for (const auto& [name, f] : files.items()) {
        out.files[name] = {schemas_dir / f["path"].get<std::string>(), f["content_type"].get<std::string>()};
        std::error_code ec;
        if (!std::filesystem::is_regular_file(out.files[name].path, ec)) {
            problem(at + "/files/" + name + "/path", out.files[name].path.string() + " not found");
        }
    }
    out.cannot_make = p.value("cannot_make", std::map<std::string, std::string>{});
    for (const auto& [kind, r] : p["kinds"].items()) {
        const auto where = at + "/kinds/" + kind;
        Recipe recipe;
        recipe.kind = kind;
        if (r.contains("from")) {
            recipe.from = r["from"].get<std::string>();
        }
        recipe.just_in_time = r.value("just_in_time", false);
        recipe.needs = r.value("needs", std::vector<std::string>{});
        for (std::size_t i = 0; i < r["make"].size(); ++i) {
            const auto& s = r["make"][i];
            const auto step_at = where + "/make/" + std::to_string(i);
            RecipeStep step;
            if (s.contains("upload")) {
                step.step.name = s.value("name", "upload");
                parse_expectations(s, step.step, step_at, problem);
                step.upload_url = s["upload"]["url"].get<std::string>();
                step.upload_file = s["upload"]["file"].get<std::string>();
                if (!out.files.count(step.upload_file)) {
                    problem(step_at + "/upload/file", "unknown file '" + step.upload_file + "' (provision/files)");
                }
            } else {
                step.step = parse_step(s, "", "step " + std::to_string(i + 1), step_at, problem);
            }
            recipe.make.push_back(std::move(step));
        }
        recipe.also_made = r.value("also_made", std::vector<std::string>{});
        if (r.contains("wait")) {
            recipe.wait = PremiseWait{r["wait"]["timeout_s"].get<double>(), r["wait"].value("typical_s", 1.0)};
        }
        recipe.billed = r.value("billed", std::map<std::string, double>{});
        recipe.lost_when = r.value("lost_when", "");
        for (const auto& need : recipe.needs) {
            if (!out.settings.count(need)) {
                problem(where + "/needs", "unknown setting '" + need + "' (provision/settings)");
            }
        }
        out.recipes[kind] = std::move(recipe);
    }
    for (const auto& [kind, recipe] : out.recipes) {
        // A chain of from must end: at most one step per recipe.
        std::set<std::string> seen{kind};
        for (auto from = recipe.from; from; from = out.recipes.count(*from) ? out.recipes[*from].from : std::nullopt) {
            if (!out.recipes.count(*from)) {
                problem(at + "/kinds/" + kind + "/from", "no recipe for kind '" + *from + "'");
                break;
            }
            if (!seen.insert(*from).second) {
                problem(at + "/kinds/" + kind + "/from", "recipes made from each other in a loop");
                break;
            }
        }
    }
    for (std::size_t i = 0; i < cancels.size(); ++i) {
        const auto& c = cancels[i];
        const auto where = at + "/remove/cancel/" + std::to_string(i);
        CancelStep cancel{parse_step(c, "", "cancel", where, problem), {}, {}};
        for (const auto& kind : c.value("kinds", std::vector<std::string>{})) {
            cancel.kinds.insert(kind);
        }
        if (c.contains("when")) {
            for (const auto& w : c["when"]) {
                cancel.when.push_back(parse_predicate(w));
            }
        }
        out.removal.cancel.push_back(std::move(cancel));
    }
    if (remove.contains("idle")) {
        out.removal.idle = parse_wait(remove["idle"], at + "/remove/idle", problem);
    }
    out.removal.remove = parse_step(remove["delete"], "", "delete", at + "/remove/delete", problem);
    out.removal.batch = remove["delete"]["batch"].get<std::size_t>();
    out.removal.gone = parse_wait(remove["gone"], at + "/remove/gone", problem);
    if (p.contains("sweep")) {
        const auto& s = p["sweep"];
        Sweep sweep;
        sweep.request =
            parse_step({{"request", s["request"]}, {"expect", {{"status", 200}}}}, "", "sweep", at + "/sweep", problem)
                .request;
        sweep.items = s["items"].get<std::string>();
        sweep.id = s["id"].get<std::string>();
        sweep.created = s["created"].get<std::string>();
        sweep.created_format = s["created_format"].get<std::string>();
        sweep.title = s.value("title", "");
        sweep.title_prefix = s.value("title_prefix", "");
        out.sweep = std::move(sweep);
    }
    return out;
}

// What the provision data refers to: operations of the OpenAPI document, the contract's kinds.
void lint_provision(const Contract& contract, const Provision& provision, const ProblemAt& problem)
{
    auto check_operation = [&](const Step& step, const std::string& where) {
        const auto& op = step.request.operation;
        if (step.request.path.empty() && !contract.operation(op)) {
            problem(where + "/request/operation", "unknown operation '" + op + "' (not in the OpenAPI document)");
        }
    };
    for (const auto& [kind, recipe] : provision.recipes) {
        const auto where = "/provision/kinds/" + kind;
        if (!contract.fixture_kinds().count(kind)) {
            problem(where, "not a fixture kind (contract.json fixture_kinds)");
        }
        for (std::size_t i = 0; i < recipe.make.size(); ++i) {
            if (!recipe.make[i].upload_url) {
                check_operation(recipe.make[i].step, where + "/make/" + std::to_string(i));
            }
        }
        if (recipe.wait && (!contract.premises() || !contract.premises()->kind(kind))) {
            problem(where + "/wait", "no premise confirms " + kind + " (contract.json premises)");
        }
    }
    for (std::size_t i = 0; i < provision.removal.cancel.size(); ++i) {
        check_operation(provision.removal.cancel[i].step, "/provision/remove/cancel/" + std::to_string(i));
    }
    check_operation(provision.removal.remove, "/provision/remove/delete");
    check_operation(provision.removal.gone.step, "/provision/remove/gone");
}
// contract.json "premises" (the schema has checked its shape): every fixture kind has an entry,
// every entry is a fixture kind, and the query is an operation marked x-conform-role: query.
std::optional<Premises> read_premises(const nlohmann::json& manifest, const std::set<std::string>& fixture_kinds,
                                      const std::vector<Operation>& operations, const ProblemAt& problem)
{
    if (!manifest.contains("premises")) {
        return std::nullopt;
    }
    const auto& p = manifest["premises"];
    Premises premises;
    const auto& q = p["query"];
    premises.query = {q["operation"].get<std::string>(), q["ids_parameter"].get<std::string>(),
                      q["batch"].get<std::size_t>(), q["items"].get<std::string>(), q["id_member"].get<std::string>()};
    auto op = std::find_if(operations.begin(), operations.end(),
                           [&](const Operation& o) { return o.id == premises.query.operation; });
    if (op == operations.end()) {
        problem("/premises/query/operation", "unknown operation '" + premises.query.operation + "'");
    } else if (!op->query) {
        problem("/premises/query/operation", "'" + premises.query.operation +
                                                 "' is not marked x-conform-role: query in the OpenAPI document "
                                                 "(a state query must change nothing)");
    }
    for (const auto& item : p["kinds"].items()) {
        // Not a structured binding: the lambda below captures spec, which clang refuses of one.
        const auto& kind = item.key();
        const auto& spec = item.value();
        const auto where = "/premises/kinds/" + util::pointer_token(kind);
        if (!fixture_kinds.count(kind)) {
            problem(where, "'" + kind + "' is not a fixture kind of /fixture_kinds");
        }
        KindPremise premise;
        premise.not_verifiable = spec.value("not_verifiable", "");
        auto conditions = [&](const char* member) {
            std::vector<StateCondition> out;
            for (const auto& c : spec.value(member, nlohmann::json::array())) {
                const bool in = c.contains("in");
                out.push_back(
                    {c["pointer"].get<std::string>(), in, c[in ? "in" : "not_in"].get<std::vector<std::string>>()});
            }
            return out;
        };
        premise.state = conditions("state");
        premise.drifts_to = conditions("drifts_to");
        premises.kinds[kind] = std::move(premise);
    }
    for (const auto& kind : fixture_kinds) {
        if (!premises.kinds.count(kind)) {
            problem("/premises/kinds", "fixture kind '" + kind + "' has no entry: give its state, or not_verifiable");
        }
    }
    return premises;
}

// contract.json "quota": every operation named is one of the document's, in one category only.
Quota read_quota(const nlohmann::json& manifest, const std::vector<Operation>& operations, const ProblemAt& problem)
{
    Quota quota;
    if (!manifest.contains("quota")) {
        return quota;
    }
    const auto& q = manifest["quota"];
    if (q.contains("throttled")) {
        quota.throttled.clear();
        for (const auto& a : q["throttled"]) {
            ThrottleAnswer answer{a["status"].get<int>(), std::nullopt, a.value("equals", "")};
            if (a.contains("pointer")) {
                answer.pointer = a["pointer"].get<std::string>();
            }
            quota.throttled.push_back(std::move(answer));
        }
    }
    const auto categories = q.value("categories", nlohmann::json::object());
    for (const auto& [name, c] : categories.items()) {
        QuotaCategory category{name, c["per_minute"].get<double>(), c["operations"].get<std::vector<std::string>>()};
        for (std::size_t i = 0; i < category.operations.size(); ++i) {
            const auto& id = category.operations[i];
            const auto where = "/quota/categories/" + util::pointer_token(name) + "/operations/" + std::to_string(i);
            if (std::none_of(operations.begin(), operations.end(), [&](const Operation& o) { return o.id == id; })) {
                problem(where, "unknown operation '" + id + "'");
            } else if (const auto* other = quota.category_of(id)) {
                problem(where, "'" + id + "' is already in category '" + other->name + "'");
            }
        }
        quota.categories.push_back(std::move(category));
    }
    return quota;
}

int line_of_id(const std::string& text)
{
    auto pos = text.find("\"id\"");
    return pos == std::string::npos
               ? 1
               : 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
}

// A case file that its schema accepts, as a Case; a matches pattern that does not compile is
// a problem.
Case parse_case(const nlohmann::json& j, const std::string& text, const std::string& shown, const ProblemAt& problem)
{
    Case c;
    c.id = j["id"].get<std::string>();
    c.file = shown;
    c.line = line_of_id(text);
    c.operation = j["operation"].get<std::string>();
    c.description = j["description"].get<std::string>();
    c.rules = j["rules"].get<std::vector<std::string>>();
    c.level = j["level"].get<Level>();
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
        c.steps.push_back(parse_step(j["steps"][i], c.operation, "step " + std::to_string(i + 1),
                                     "/steps/" + std::to_string(i), problem));
    }
    const auto explained = j.value("if_premise_lost", nlohmann::json::array());
    for (std::size_t i = 0; i < explained.size(); ++i) {
        const auto& e = explained[i];
        c.if_premise_lost.push_back(
            {e["fixture"].get<std::string>(), e["step"].get<std::size_t>() - 1,
             parse_expectation(e["answer"], "/if_premise_lost/" + std::to_string(i) + "/answer", problem),
             e["why"].get<std::string>()});
    }
    return c;
}

// Every *.json below cases, sorted; a folder that cannot be listed is a problem.
std::vector<std::filesystem::path> case_files(const std::filesystem::path& cases, std::vector<Problem>& problems)
{
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    std::filesystem::recursive_directory_iterator it(cases, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        // Every *.json entry is meant as a case: one that is not a readable file (a dangling or
        // looping symlink, a directory) is reported when it is read, not skipped.
        if (it->path().extension() == ".json") {
            files.push_back(it->path());
            it.disable_recursion_pending();
        }
    }
    if (ec) {
        problems.push_back({cases.string(), "", "cannot be listed: " + ec.message()});
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

std::string to_string(Level level)
{
    return nlohmann::json(level).get<std::string>();
}

std::string to_string(Predicate::Kind kind)
{
    switch (kind) {
    case Predicate::Kind::equals:
        return "equals";
    case Predicate::Kind::not_equals:
        return "not_equals";
    case Predicate::Kind::in:
        return "in";
    case Predicate::Kind::not_in:
        return "not_in";
    case Predicate::Kind::exists:
        return "exists";
    case Predicate::Kind::length:
        return "length";
    case Predicate::Kind::matches:
        return "matches";
    case Predicate::Kind::type:
        return "type";
    }
    return "?";
}

const Recipe* Provision::recipe(const std::string& kind) const
{
    const auto it = recipes.find(kind);
    return it == recipes.end() ? nullptr : &it->second;
}

std::vector<const Recipe*> Provision::chain(const std::string& kind) const
{
    std::vector<const Recipe*> out;
    for (const auto* r = recipe(kind); r && out.size() <= recipes.size(); r = r->from ? recipe(*r->from) : nullptr) {
        out.insert(out.begin(), r);
    }
    return out;
}

bool Case::has_tag(const std::string& tag) const
{
    return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

bool Case::tampers() const
{
    return std::any_of(steps.begin(), steps.end(), [](const Step& s) { return s.request.tamper.has_value(); });
}

CaseSummary Case::summary() const
{
    CaseSummary out{.id = id,
                    .file = file,
                    .line = line,
                    .operation = operation,
                    .description = description,
                    .rules = rules,
                    .level = level,
                    .tags = tags,
                    .steps = {}};
    for (const auto& s : steps) {
        const auto& r = s.request;
        out.steps.push_back(
            {.name = s.name, .auth = r.auth, .operation = r.operation.empty() ? r.method + " " + r.path : r.operation});
    }
    return out;
}

std::vector<std::string> Contract::covered_rules(const Case& c) const
{
    const auto* own = operation(c.operation);
    if (!own) {
        return {};
    }
    // The kinds the case's requests of its own operation can show (probes of others are theirs).
    std::set<std::string> kinds;
    for (const auto& step : c.steps) {
        if (step.request.operation != c.operation) {
            continue;
        }
        for (const auto& expect : step.expect) {
            for (const int status : expect.status) {
                const auto* declared = own->response_for(status);
                const auto schema = expect.schema.value_or(declared ? declared->schema : "");
                if (!schema.empty()) {
                    kinds.insert({"content-type", "schema:" + schema});
                }
            }
        }
    }
    auto shared = [&](const std::string& kind) {
        if (!kind.starts_with("schema:")) {
            return true;
        }
        return std::count_if(m_operations.begin(), m_operations.end(), [&](const Operation& o) {
                   return std::any_of(o.responses.begin(), o.responses.end(),
                                      [&](const ResponseSpec& r) { return "schema:" + r.schema == kind; });
               }) > 1;
    };
    std::vector<std::string> out;
    for (const auto& rule : m_rules) {
        if (std::any_of(rule.covers.begin(), rule.covers.end(),
                        [&](const std::string& kind) { return shared(kind) && kinds.count(kind); })) {
            out.push_back(rule.id);
        }
    }
    return out;
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
    const auto manifest_text = read_text_file(manifest_file);
    const auto manifest = parse_json(manifest_text, manifest_file.string());
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
        Rule rule{r["id"].get<std::string>(), r["level"].get<Level>(), r["text"].get<std::string>(),
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
    read_profile(manifest, contract.m_report_names, contract.m_fixtures_file, contract.m_run_placeholders);
    if (!schemas.contains(contract.m_fixtures_file.schema)) {
        manifest_problem("/fixtures_file/schema", "unknown schema '" + contract.m_fixtures_file.schema + "'");
    }

    const auto openapi_file = paths.schemas / manifest["openapi"].get<std::string>();
    auto openapi = read_openapi(openapi_file);
    contract.m_operations = std::move(openapi.operations);
    contract.m_security = std::move(openapi.security);
    contract.m_openapi = std::move(openapi.document);
    contract.m_premises = read_premises(manifest, contract.m_fixture_kinds, contract.m_operations, manifest_problem);
    contract.m_quota = read_quota(manifest, contract.m_operations, manifest_problem);
    if (const auto& signing = contract.m_security.signing) {
        for (const auto& [header, value] : signing->headers) {
            for (const auto& name : placeholders(std::string_view(value))) {
                if (!contract.m_run_placeholders.count(name)) {
                    problems.push_back({openapi_file.string(), "/components/securitySchemes",
                                        header + ": {{" + name + "}} is not a run placeholder of contract.json"});
                }
            }
        }
    }
    for (const auto& op : contract.m_operations) {
        for (const auto& response : op.responses) {
            if (response.has_body() && !schemas.contains(response.schema)) {
                problems.push_back({openapi_file.string(), "/paths",
                                    op.id + " " + response.key + ": unknown schema " + response.schema});
            }
        }
    }

    if (manifest.contains("provision")) {
        contract.m_provision = parse_provision(manifest["provision"], paths.schemas, manifest_problem);
        lint_provision(contract, *contract.m_provision, manifest_problem);
    }
    if (manifest.contains("generate")) {
        contract.m_generate_spec =
            read_generate_spec(manifest, manifest_text, manifest_file, contract, manifest_problem);
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
    const auto files = case_files(paths.cases, problems);

    CaseLint lint(contract);
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

        auto c = parse_case(j, text, shown, problem);
        auto found = lint.check(c, j, path);
        problems.insert(problems.end(), found.begin(), found.end());
        for (auto& id : contract.covered_rules(c)) {
            if (std::find(c.rules.begin(), c.rules.end(), id) == c.rules.end()) {
                c.rules.push_back(std::move(id));
            }
        }
        contract.m_cases.push_back(std::move(c));
    }
    if (!problems.empty()) {
        throw ContractError(std::move(problems));
    }
    return contract;
}

ReportNames Contract::report_names() const
{
    auto names = m_report_names;
    names.token_header = m_security.token_header.value_or("");
    return names;
}

ContractPaths default_contract_paths(const std::filesystem::path& executable,
                                     const std::filesystem::path& installed_from_bindir,
                                     const std::filesystem::path& source_dir)
{
    std::error_code ec;
    const auto installed = (executable.parent_path() / installed_from_bindir).lexically_normal();
    if (std::filesystem::is_regular_file(installed / "schemas" / k_manifest, ec)) {
        return {installed / "schemas", installed / "cases"};
    }
    return {source_dir / "schemas", source_dir / "cases"};
}

}  // namespace conform::contract
