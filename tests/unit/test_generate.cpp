#include <catch2/catch.hpp>

#include <fstream>

#include "contract/contract.hpp"
#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "contract/template.hpp"
#include "contracts.hpp"
#include "engine/run.hpp"
#include "generate/generator.hpp"
#include "generate/variants.hpp"
#include "in_process_mock.hpp"
#include "mutations.hpp"

using namespace conform;
using nlohmann::json;

namespace {

const std::vector<contract::Case>& real_generated()
{
    static const auto cases = generate::generate_cases(test_contracts::vod());
    return cases;
}

const contract::Case& generated(const std::string& id)
{
    const auto& cases = real_generated();
    auto it = std::find_if(cases.begin(), cases.end(), [&](const auto& c) { return c.id == id; });
    REQUIRE(it != cases.end());
    return *it;
}

// A case in words: what must not change between two generations of the same contract.
std::string rendering(const contract::Case& c)
{
    auto out = c.id + "|" + c.description + "|" + c.file + ":" + std::to_string(c.line);
    for (const auto& [name, kind] : c.fixtures) {
        out += "|" + name + "=" + kind + (c.leaves_unchanged(name) ? "(unchanged)" : "");
    }
    for (const auto& step : c.steps) {
        out += "|" + step.name + " " + step.request.operation + " " +
               (step.request.body ? step.request.body->dump() : "-") + " " + step.request.raw_body.value_or("-");
        for (const auto& [key, value] : step.request.query) {
            out += " " + key + "=" + value;
        }
    }
    return out;
}

// A contract folder of its own under the test output: the real meta schemas, an invented API.
struct TinyContract {
    std::filesystem::path schemas, cases;

    TinyContract(const std::string& name, const json& generate)
    {
        const auto root = std::filesystem::path(CONFORM_TEST_OUTPUT) / "generate" / name;
        std::filesystem::remove_all(root);
        schemas = root / "schemas";
        cases = root / "cases";
        std::filesystem::create_directories(schemas);
        std::filesystem::create_directories(cases);
        const auto real = test_contracts::vod_paths().schemas;
        for (const char* file : {"contract.schema.json", "case.schema.json"}) {
            std::filesystem::copy_file(real / file, schemas / file);
        }
        json manifest = {
            {"openapi", "tiny.openapi.json"},
            {"fixture_kinds", {{"WIDGET", "a widget"}}},
            {"generated_kinds", {{"FRESH", "a made-up id"}}},
            {"report", {{"suite", "tiny"}, {"classname_prefix", "tiny."}, {"title", "Tiny"}}},
            {"fixtures_file", {{"schema", "contract.schema.json"}, {"ids_by_kind", "widgets"}}},
            {"run_placeholders", {{"project_id", "the tenant"}}},
            {"rules",
             {{{"id", "X1"}, {"level", "MUST"}, {"text", "refuse bad paint"}},
              {{"id", "X2"}, {"level", "SHOULD"}, {"text", "colour names are exact"}},
              {{"id", "R1"}, {"level", "MUST"}, {"text", "JSON is labelled"}, {"covers", {"content-type"}}}}},
            {"generate", generate},
        };
        std::ofstream(schemas / "contract.json") << manifest.dump(2);
        const json openapi = json::parse(R"({
          "openapi": "3.1.0", "info": {"title": "widgets", "version": "1"},
          "paths": {
            "/widgets/paint": {"post": {
              "operationId": "PaintWidget",
              "parameters": [{"name": "dry", "in": "query", "schema": {"type": "boolean"}}],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Paint"}}}},
              "responses": {"204": {"description": "painted"}}}},
            "/widgets": {"get": {
              "operationId": "ReadWidget",
              "parameters": [{"name": "id", "in": "query", "required": true, "schema": {"type": "string"}}],
              "responses": {"200": {"description": "the widget"}}}}
          },
          "components": {"schemas": {"Paint": {"type": "object", "required": ["widget", "colour"],
            "properties": {"widget": {"type": "string", "minLength": 1}, "colour": {"enum": ["red", "green"]},
                           "coats": {"type": "integer"}}}}}
        })");
        std::ofstream(schemas / "tiny.openapi.json") << openapi.dump(2);
    }

    contract::Contract load() const { return contract::Contract::load({schemas, cases}); }
};

json tiny_generate()
{
    return json::parse(R"({
      "fill_kind": "FRESH",
      "probes": [{"kinds": ["WIDGET"], "request": {"operation": "ReadWidget", "query": {"id": "{{a}}"}}, "status": 200, "read": "/state"}],
      "operations": {"PaintWidget": {"target": {"member": "widget", "kind": "WIDGET"}, "refuse": [422],
                                     "rules": {"negative": {"*": "X1", "colour/case-*": "X2"}, "positive": {"*": "X1"}}}}
    })");
}

std::vector<std::string> problems_of(const TinyContract& tiny)
{
    try {
        generate::generate_cases(tiny.load());
    } catch (const contract::ContractError& e) {
        std::vector<std::string> out;
        for (const auto& p : e.problems()) {
            out.push_back(p.pointer + ": " + p.reason);
        }
        return out;
    }
    return {"generated"};
}

}  // namespace

TEST_CASE("generated cases per operation of the real contract", "[generate]")
{
    std::map<std::string, int> per_operation;
    for (const auto& c : real_generated()) {
        ++per_operation[c.operation];
    }
    CHECK(per_operation == std::map<std::string, int>{{"UnpublishAssets", 23},
                                                      {"DeleteAssets", 9},
                                                      {"CancelAssetTranscodeTask", 3},
                                                      {"CancelExtractAudioTask", 3},
                                                      {"ConfirmAssetUpload", 30}});
    CHECK(real_generated().size() >= 60);
}

TEST_CASE("the same contract gives the same generated cases in the same order", "[generate]")
{
    const auto again = generate::generate_cases(test_contracts::vod());
    REQUIRE(again.size() == real_generated().size());
    for (std::size_t i = 0; i < again.size(); ++i) {
        CHECK(rendering(again[i]) == rendering(real_generated()[i]));
    }
}

TEST_CASE("a refused value targets a shared fixture between two probes of its status", "[generate]")
{
    const auto& c = generated("gen/C3/status/type-array");
    CHECK(c.generated);
    CHECK(c.operation == "ConfirmAssetUpload");
    CHECK(c.level == contract::Level::must);
    CHECK(c.rules == std::vector<std::string>{"C3", "R1", "R2"});
    CHECK(c.file == "schemas/contract.json");
    CHECK(c.has_tag("generated"));
    CHECK(c.has_tag("state"));
    REQUIRE(c.fixtures == std::vector<std::pair<std::string, std::string>>{{"a", "UPLOADING"}});
    CHECK(c.leaves_unchanged("a"));
    REQUIRE(c.steps.size() == 3);
    CHECK(*c.steps[1].request.body == json{{"asset_id", "{{a}}"}, {"status", json::array({"CREATED"})}});
    CHECK(c.steps[1].expect.at(0).status == std::vector<int>{400});
    for (const auto i : {0, 2}) {
        CHECK(c.steps[i].request.operation == "UnpublishAssets");
        CHECK(*c.steps[i].request.body == json{{"asset_id", json::array({"{{a}}"})}});
        CHECK_FALSE(c.steps[i].settle);  // a change would be a deviation: checked once
    }
    CHECK(c.steps[0].expect.at(0).capture ==
          std::vector<std::pair<std::string, std::string>>{{"before", "/asset_info_array/[asset_id={{a}}]/status"}});
    const auto& same = c.steps[2].expect.at(0).body.at(0);
    CHECK(same.kind == contract::Predicate::Kind::equals);
    CHECK(same.value == "{{before}}");
}

TEST_CASE("one over maxItems, with a repeat, under a SHOULD rule takes a fixture of its own", "[generate]")
{
    const auto& c = generated("gen/D7/asset_id/max-items-plus-one-repeated");
    CHECK(c.level == contract::Level::should);
    CHECK_FALSE(c.leaves_unchanged("a"));  // an endpoint let off the SHOULD deletes it
    REQUIRE(c.fixtures.size() == 10);
    CHECK(c.fixtures.front() == std::pair<std::string, std::string>{"a", "CREATED"});
    CHECK(c.fixtures.back() == std::pair<std::string, std::string>{"g9", "NONEXISTENT"});
    const auto& query = c.steps.at(1).request.query;
    REQUIRE(query.size() == 11);
    CHECK(query.front() == std::pair<std::string, std::string>{"asset_id", "{{a}}"});
    CHECK(query.back() == query.front());
    CHECK(generated("gen/D1/asset_id/max-items").steps.at(0).request.query.size() == 10);
    CHECK(generated("gen/D1/asset_id/max-items").steps.at(0).expect.at(0).status == std::vector<int>{200});
}

TEST_CASE("shapes of a few generated requests", "[generate]")
{
    // No probe reads a PUBLISHED asset without unpublishing it: one step.
    const auto& nested = generated("gen/U4/asset_id/items-type-array");
    REQUIRE(nested.steps.size() == 1);
    CHECK(*nested.steps[0].request.body == json{{"asset_id", json::array({json::array({"{{a}}"})})}});
    CHECK(nested.steps[0].expect.at(0).status == std::vector<int>{400, 403});

    const auto& malformed = generated("gen/U4/body/malformed-json");
    CHECK(malformed.steps.at(0).request.raw_body == R"({"asset_id":["{{a}}"])");

    const auto& missing = generated("gen/T5/asset_id/missing");
    CHECK(missing.fixtures.empty());
    CHECK(missing.steps.size() == 1);
    CHECK(missing.steps[0].request.query.empty());

    const auto& twice = generated("gen/T6/asset_id/repeated");
    CHECK(twice.steps.at(1).request.query ==
          std::vector<std::pair<std::string, std::string>>{{"asset_id", "{{a}}"}, {"asset_id", "{{a}}"}});

    const auto& lower = generated("gen/C3/status/case-CREATED");
    CHECK(lower.steps.at(1).request.body->at("status") == "created");

    const auto& accepted = generated("gen/C1/status/enum-CREATED");
    CHECK(accepted.has_tag("boundary"));
    CHECK_FALSE(accepted.leaves_unchanged("a"));  // a valid request changes it
    CHECK(accepted.steps.size() == 1);
    CHECK(accepted.steps[0].expect.at(0).status == std::vector<int>{200});
}

TEST_CASE("every generated case holds the invariants lint checks on case files", "[generate]")
{
    const auto& contract = test_contracts::vod();
    std::set<std::string> ids;
    for (const auto& c : real_generated()) {
        INFO(c.id);
        CHECK(c.id.starts_with("gen/" + c.rules.front() + "/"));
        CHECK(ids.insert(c.id).second);
        CHECK(contract.operation(c.operation));
        for (const auto& r : c.rules) {
            CHECK(contract.rule(r));
        }
        std::set<std::string> bound = {"project_id"};
        for (const auto& [name, kind] : c.fixtures) {
            CHECK((contract.fixture_kinds().count(kind) || contract.generated_kinds().count(kind)));
            CHECK_FALSE((c.leaves_unchanged(name) && contract.generated_kinds().count(kind)));
            bound.insert(name);
        }
        for (const auto& step : c.steps) {
            std::vector<std::string> named = contract::placeholders(step.request.body.value_or(json()));
            for (const auto& n : contract::placeholders(std::string_view(step.request.raw_body.value_or("")))) {
                named.push_back(n);
            }
            for (const auto& [key, value] : step.request.query) {
                for (const auto& n : contract::placeholders(std::string_view(value))) {
                    named.push_back(n);
                }
            }
            for (const auto& n : named) {
                CHECK(bound.count(n));
            }
            for (const auto& e : step.expect) {
                for (const auto& p : e.body) {
                    for (const auto& n : contract::placeholders(p.value)) {
                        CHECK(bound.count(n));
                    }
                }
                for (const auto& [name, pointer] : e.capture) {
                    bound.insert(name);
                }
            }
        }
    }
}

TEST_CASE("the generator reads only the OpenAPI document and contract.json: an invented API", "[generate]")
{
    const TinyContract tiny("invented", tiny_generate());
    const auto cases = generate::generate_cases(tiny.load());
    std::vector<std::string> ids;
    for (const auto& c : cases) {
        ids.push_back(c.id);
        CHECK(c.operation == "PaintWidget");
        CHECK(c.description.find("asset") == std::string::npos);
    }
    CHECK(ids == std::vector<std::string>{
                     "gen/X1/body/missing",        "gen/X1/body/type-string",    "gen/X1/body/type-integer",
                     "gen/X1/body/type-number",    "gen/X1/body/type-boolean",   "gen/X1/body/type-null",
                     "gen/X1/body/type-array",     "gen/X1/coats/type-string",   "gen/X1/coats/type-number",
                     "gen/X1/coats/type-boolean",  "gen/X1/coats/type-null",     "gen/X1/coats/type-array",
                     "gen/X1/coats/type-object",   "gen/X1/colour/missing",      "gen/X1/colour/type-integer",
                     "gen/X1/colour/type-number",  "gen/X1/colour/type-boolean", "gen/X1/colour/type-null",
                     "gen/X1/colour/type-array",   "gen/X1/colour/type-object",  "gen/X1/colour/not-in-enum",
                     "gen/X2/colour/case-red",     "gen/X2/colour/case-green",   "gen/X1/colour/enum-red",
                     "gen/X1/colour/enum-green",   "gen/X1/widget/missing",      "gen/X1/widget/type-integer",
                     "gen/X1/widget/type-number",  "gen/X1/widget/type-boolean", "gen/X1/widget/type-null",
                     "gen/X1/widget/type-array",   "gen/X1/widget/type-object",  "gen/X1/widget/empty",
                     "gen/X1/body/malformed-json", "gen/X1/dry/repeated",        "gen/X1/dry/type-string"});

    const auto find = [&](const std::string& id) -> const contract::Case& {
        return *std::find_if(cases.begin(), cases.end(), [&](const auto& c) { return c.id == id; });
    };
    const auto& upper = find("gen/X2/colour/case-red");
    CHECK(upper.level == contract::Level::should);
    // PaintWidget declares no JSON answer to refusals: no Content-Type to check, so R1 is not its.
    CHECK(upper.rules == std::vector<std::string>{"X2"});
    REQUIRE(upper.steps.size() == 3);
    CHECK(upper.steps[0].request.operation == "ReadWidget");
    CHECK(upper.steps[0].request.query == std::vector<std::pair<std::string, std::string>>{{"id", "{{a}}"}});
    CHECK(*upper.steps[1].request.body == json{{"widget", "{{a}}"}, {"colour", "RED"}});
    CHECK(upper.steps[1].expect.at(0).status == std::vector<int>{422});
    CHECK(find("gen/X1/colour/enum-green").steps.at(0).expect.at(0).status == std::vector<int>{204});
    CHECK(find("gen/X1/coats/type-string").steps.at(1).request.body->at("coats") == "1");
    CHECK(find("gen/X1/dry/repeated").steps.at(1).request.query ==
          std::vector<std::pair<std::string, std::string>>{{"dry", "true"}, {"dry", "true"}});
}

TEST_CASE("the generate spec is read when the contract loads; generating reads no file", "[generate]")
{
    const TinyContract tiny("spec-at-load", tiny_generate());
    const auto contract = tiny.load();
    REQUIRE(contract.generate_spec());
    const auto& spec = *contract.generate_spec();
    CHECK(spec.fill_kind == "FRESH");
    CHECK(spec.file == "schemas/contract.json");
    REQUIRE(spec.operations.count("PaintWidget"));
    const auto& paint = spec.operations.at("PaintWidget");
    CHECK(paint.member == "widget");
    CHECK(paint.refuse == std::vector<int>{422});
    CHECK(paint.rules.at("negative").at("colour/case-*") == "X2");
    CHECK(paint.line > 1);
    REQUIRE(spec.probes.count("WIDGET"));
    CHECK(spec.probes.at("WIDGET").request.query == std::vector<std::pair<std::string, std::string>>{{"id", "{{a}}"}});

    const auto before = generate::generate_cases(contract, spec);
    std::filesystem::remove(tiny.schemas / "contract.json");
    std::filesystem::remove(tiny.schemas / "tiny.openapi.json");
    const auto after = generate::generate_cases(contract, spec);
    REQUIRE(after.size() == before.size());
    CHECK(after.size() == 36);
    for (std::size_t i = 0; i < after.size(); ++i) {
        CHECK(rendering(after[i]) == rendering(before[i]));
    }
}

TEST_CASE("a contract without generate has no spec and no generated cases", "[generate]")
{
    const TinyContract tiny("no-generate", tiny_generate());
    auto manifest = contract::read_json_file(tiny.schemas / "contract.json");
    manifest.erase("generate");
    std::ofstream(tiny.schemas / "contract.json") << manifest.dump(2);
    const auto contract = tiny.load();
    CHECK_FALSE(contract.generate_spec());
    CHECK(generate::generate_cases(contract).empty());
}

TEST_CASE("a generate mapping that does not hold is named with its JSON pointer", "[generate]")
{
    auto broken = [](const std::string& name, const std::function<void(json&)>& edit) {
        auto g = tiny_generate();
        edit(g);
        return problems_of(TinyContract(name, g));
    };
    CHECK(broken("unknown-rule", [](json& g) {
              g["operations"]["PaintWidget"]["rules"]["negative"]["*"] = "X9";
          }).front() == "/generate/operations/PaintWidget/rules/negative/*: unknown rule 'X9'");
    CHECK(broken("stale-key", [](json& g) { g["operations"]["PaintWidget"]["rules"]["negative"]["size/*"] = "X1"; })
              .front() ==
          "/generate/operations/PaintWidget/rules/negative/size~1*: matches no generated case of PaintWidget");
    CHECK(broken("no-rule", [](json& g) { g["operations"]["PaintWidget"]["rules"].erase("positive"); }).front() ==
          "/generate/operations/PaintWidget/rules/positive: no rule for the generated case colour/enum-red (add a key "
          "for it, or \"*\")");
    CHECK(broken("member", [](json& g) { g["operations"]["PaintWidget"]["target"]["member"] = "gadget"; }).front() ==
          "/generate/operations/PaintWidget/target/member: 'gadget' is neither a query parameter nor a body member of "
          "PaintWidget");
    CHECK(broken("kind", [](json& g) { g["probes"][0]["kinds"][0] = "GADGET"; }).front() ==
          "/generate/probes/0/kinds/0: unknown fixture kind 'GADGET'");
    CHECK(broken("fill", [](json& g) { g["fill_kind"] = "WIDGET"; }).front() ==
          "/generate/fill_kind: 'WIDGET' is not one of generated_kinds: its ids must be made up afresh");
    CHECK(broken("probe-placeholder", [](json& g) { g["probes"][0]["read"] = "/{{b}}"; }).front() ==
          "/generate/probes/0: {{b}}: a probe names only {{a}} (the fixture it reads) and the run placeholders");
}

namespace {

// Runs the cases against the in-process mock bent by mutation; the ids that did not pass, with
// the rules their failures name.
std::map<std::string, std::vector<std::string>> not_passing(const contract::Contract& contract,
                                                            const std::vector<const contract::Case*>& cases,
                                                            vod_mock::Mutation mutation)
{
    vod_mock::AssetStore store;
    engine::FixturePool pool;
    pool.ids_by_kind = store.seed(engine::fixtures_per_kind(cases, contract.generated_kinds()));
    const vod_mock::Service service(vod_mock::Config{"p", std::string("tok"), std::nullopt, mutation, nullptr}, store);
    engine::FixtureAllocator allocator(pool, contract.generated_kinds());
    std::vector<engine::Allocation> allocations;
    for (const auto* c : cases) {
        allocations.push_back(allocator.allocate(*c));
    }
    engine::RunOptions options;
    options.base_url = "http://127.0.0.1:1";
    options.run_bindings = {{"project_id", "p"}};
    options.credentials = {engine::Credentials::Mode::token, "tok", {}};
    options.settle.deadline_seconds = 0;
    std::map<std::string, int> sent;
    struct : engine::RunListener {
        void case_finished(const engine::CaseResult&) override {}
    } silent;
    auto transports = [&]() -> std::unique_ptr<engine::Transport> {
        return std::make_unique<InProcess>(service, sent);
    };
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& r : engine::run_cases(contract, cases, allocations, transports, options, silent).cases) {
        // A case that tampers with a signature does not apply to this token run; one whose shared
        // fixture the mutation changed is premise lost: neither is a verdict on the endpoint.
        if (r.outcome != engine::Outcome::passed && r.cause != engine::Cause::not_applicable &&
            r.cause != engine::Cause::premise_lost) {
            auto& rules = out[r.test_case.id];
            for (const auto& f : r.failures) {
                rules.push_back(f.rule);
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("the new mock mutations are caught by generated cases only, on their rules", "[generate][mutation]")
{
    auto contract = contract::Contract::load(test_contracts::vod_paths());
    contract.add_cases(generate::generate_cases(contract));
    std::vector<const contract::Case*> hand_written, generated_cases;
    for (const auto& c : contract.cases()) {
        (c.generated ? generated_cases : hand_written).push_back(&c);
    }
    CHECK(not_passing(contract, hand_written, vod_mock::Mutation::none).empty());
    CHECK(not_passing(contract, generated_cases, vod_mock::Mutation::none).empty());
    for (const auto* name :
         {"confirm-status-array-accepted", "confirm-body-array-accepted", "confirm-refusal-still-applies",
          "unpublish-nested-ids-flattened", "unpublish-empty-id-accepted", "delete-limit-counts-distinct",
          "delete-type-unchecked", "transcode-cancel-repeated-id", "extract-cancel-refusal-still-applies"}) {
        INFO(name);
        const auto mutation = vod_mock::find_mutation(name);
        REQUIRE(mutation);
        const auto& rules = vod_mock::info(*mutation).rules;
        CHECK(not_passing(contract, hand_written, *mutation).empty());
        const auto caught = not_passing(contract, generated_cases, *mutation);
        CHECK(std::any_of(caught.begin(), caught.end(), [&](const auto& entry) {
            return std::any_of(entry.second.begin(), entry.second.end(), [&](const std::string& r) {
                return std::find(rules.begin(), rules.end(), r) != rules.end();
            });
        }));
    }
}
