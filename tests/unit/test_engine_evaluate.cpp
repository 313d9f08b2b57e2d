#include <catch2/catch.hpp>

#include "contract/contract.hpp"
#include "contracts.hpp"
#include "engine/evaluate.hpp"
#include "util/pattern.hpp"

using namespace conform;
using contract::Predicate;

namespace {

http::Response json_response(int status, std::string body, std::string type = "application/json")
{
    http::Response r;
    r.status = status;
    r.headers.set("Content-Type", std::move(type));
    r.body = std::move(body);
    return r;
}

contract::Step step_expecting(std::vector<int> status, std::vector<Predicate> body = {})
{
    contract::Step s;
    s.name = "step";
    contract::Expectation e;
    e.status = std::move(status);
    e.body = std::move(body);
    s.expect.push_back(e);
    return s;
}

// A predicate as Contract::load makes it: a matches pattern compiled.
Predicate pred(std::string pointer, Predicate::Kind kind, nlohmann::json value)
{
    Predicate p{std::move(pointer), kind, std::move(value), false, std::nullopt, std::nullopt};
    if (kind == Predicate::Kind::matches) {
        p.pattern = util::Pattern(p.value.get<std::string>());
    }
    return p;
}

// The deviations as where: got, expected, to compare whole.
std::vector<std::string> lines(const std::vector<engine::Failure>& failures)
{
    std::vector<std::string> out;
    for (const auto& f : failures) {
        out.push_back(f.where + ": got " + f.got + (f.expected.empty() ? "" : ", expected " + f.expected));
    }
    return out;
}

}  // namespace

TEST_CASE("select follows pointers and [key=value] selectors", "[evaluate]")
{
    auto doc = nlohmann::json::parse(R"({"a":[{"id":"x","s":1},{"id":"y","s":2},{"id":"y","s":3}],"b/c":true})");
    CHECK(*engine::select(doc, "/a/0/s").value == 1);
    CHECK(*engine::select(doc, "/a/[id=x]/s").value == 1);
    CHECK(*engine::select(doc, "/b~1c").value == true);
    CHECK(engine::select(doc, "/a/[id=y]/s").problem == "/a has 2 elements with id=y, expected exactly one");
    CHECK(engine::select(doc, "/a/[id=z]").problem == "/a has 0 elements with id=z, expected exactly one");
    CHECK(engine::select(doc, "/a/7").problem == "/a has no element 7 (size 3)");
    CHECK(engine::select(doc, "/missing").problem == "body has no member \"missing\"");
    CHECK(engine::select(doc, "").value == &doc);
}

TEST_CASE("a response that meets the declared schema and predicates passes", "[evaluate]")
{
    const auto& c = test_contracts::widgets();
    const auto* op = c.operation("ListWidgets");
    auto step = step_expecting({200}, {pred("/widgets/[id={{a}}]/state", Predicate::Kind::equals, "LOCKED")});
    auto verdict =
        engine::evaluate(step, json_response(200, R"({"widgets":[{"id":"id1","state":"LOCKED"}],"extra":1})"), op,
                         c.schemas(), {{"a", "id1"}});
    CHECK(verdict.failures.empty());
}

TEST_CASE("schema deviations name the pointer, the value and the keyword", "[evaluate]")
{
    const auto& c = test_contracts::widgets();
    auto verdict =
        engine::evaluate(step_expecting({200}), json_response(200, R"({"widgets":[{"id":"a","state":"REMOVED"}]})"),
                         c.operation("ListWidgets"), c.schemas(), {});
    REQUIRE(verdict.failures.size() == 1);
    CHECK(verdict.failures[0].where == "/widgets/0/state");
    CHECK(verdict.failures[0].kind == "schema:widget-list.schema.json");
    CHECK_THAT(verdict.failures[0].got, Catch::Contains("\"REMOVED\"") && Catch::Contains("keyword enum"));
}

TEST_CASE("wrong status, Content-Type, non-JSON and a body on 204 are each reported", "[evaluate]")
{
    const auto& c = test_contracts::widgets();
    const auto* list = c.operation("ListWidgets");
    auto status =
        engine::evaluate(step_expecting({200}), json_response(500, "oops", "text/plain"), list, c.schemas(), {});
    CHECK(lines(status.failures) == std::vector<std::string>{"status: got 500 with body oops, expected 200"});

    auto type = engine::evaluate(step_expecting({200}), json_response(200, R"({"widgets":[]})", "text/html"), list,
                                 c.schemas(), {});
    CHECK(lines(type.failures) ==
          std::vector<std::string>{"Content-Type: got \"text/html\", expected application/json"});

    auto not_json =
        engine::evaluate(step_expecting({200}), json_response(200, "{\"widgets\": ["), list, c.schemas(), {});
    REQUIRE(not_json.failures.size() == 1);
    CHECK(not_json.failures[0].kind == "json");
    CHECK_THAT(not_json.failures[0].got,
               Catch::StartsWith("not acceptable JSON at byte offset 13: syntax error") && Catch::Contains(": {"));

    auto body_on_204 =
        engine::evaluate(step_expecting({204}), json_response(204, "{}"), c.operation("UnlockWidget"), c.schemas(), {});
    REQUIRE(body_on_204.failures.size() == 1);
    CHECK(lines(body_on_204.failures) == std::vector<std::string>{"body: got 2 bytes: {}, expected no body for 204"});
}

TEST_CASE("an error status needs the declared error envelope with a well-formed code", "[evaluate]")
{
    const auto& c = test_contracts::widgets();
    const auto* op = c.operation("UnlockWidget");
    auto refused = [&](const char* body) {
        return engine::evaluate(step_expecting({409}), json_response(409, body), op, c.schemas(), {}).failures;
    };
    CHECK(refused(R"({"code":"WIDGET.409","message":"x"})").empty());
    CHECK_FALSE(refused(R"({"error_code":"WIDGET.409","error_msg":"x"})").empty());
    CHECK_FALSE(refused(R"({"code":"","message":"x"})").empty());
}

TEST_CASE("predicates: in, not_in, exists, length, matches, type, optional", "[evaluate]")
{
    const auto& c = test_contracts::widgets();
    auto body = R"({"widgets":[{"id":"w_1","state":"IDLE"}]})";
    auto run = [&](Predicate p) {
        return engine::evaluate(step_expecting({200}, {p}), json_response(200, body), c.operation("ListWidgets"),
                                c.schemas(), {})
            .failures;
    };
    auto run_lines = [&](Predicate p) { return lines(run(std::move(p))); };
    CHECK(run(pred("/widgets/0/id", Predicate::Kind::in, {"w1", "w_1"})).empty());
    CHECK(run(pred("/widgets/0/id", Predicate::Kind::not_in, {"w_1"})).size() == 1);
    CHECK(run(pred("/widgets/0/holder", Predicate::Kind::exists, false)).empty());
    CHECK(run_lines(pred("/widgets", Predicate::Kind::length, 2)) ==
          std::vector<std::string>{"/widgets: got length 1, expected length 2"});
    CHECK(run(pred("/widgets/0/id", Predicate::Kind::matches, "^w_?1$")).empty());
    CHECK(run_lines(pred("/widgets/0/id", Predicate::Kind::matches, "^w1$")) ==
          std::vector<std::string>{"/widgets/0/id: got \"w_1\", expected a match of /^w1$/"});
    // A string's length is its length, not nlohmann's size() of 1.
    CHECK(run(pred("/widgets/0/id", Predicate::Kind::length, 3)).empty());
    CHECK(run_lines(pred("/widgets/0/id", Predicate::Kind::length, 1)) ==
          std::vector<std::string>{"/widgets/0/id: got length 3, expected length 1"});
    CHECK(run(pred("/widgets", Predicate::Kind::type, "array")).empty());
    auto optional = pred("/widgets/[id=zz]/state", Predicate::Kind::not_equals, "LOCKED");
    CHECK(run(optional).size() == 1);
    optional.optional = true;
    CHECK(run(optional).empty());
}

TEST_CASE("alternatives: the one whose status matches decides, captures come from it", "[evaluate]")
{
    const auto& c = test_contracts::widgets();
    contract::Step step;
    contract::Expectation ok;
    ok.status = {200};
    ok.capture = {{"echo", "/id"}};
    contract::Expectation refused;
    refused.status = {404, 409};
    refused.body = {pred("/code", Predicate::Kind::equals, "WIDGET.404")};
    step.expect = {ok, refused};
    const auto* op = c.operation("LockWidget");

    auto passed = engine::evaluate(step, json_response(200, R"({"id":"a1","state":"LOCKED"})"), op, c.schemas(), {});
    CHECK(passed.failures.empty());
    CHECK(passed.captured.at("echo") == "a1");
    const auto refused_with = [&](const char* code) {
        return engine::evaluate(step, json_response(409, R"({"code":")" + std::string(code) + R"(","message":""})"), op,
                                c.schemas(), {});
    };
    CHECK(refused_with("WIDGET.404").failures.empty());
    CHECK(refused_with("WIDGET.404").matched == 1u);
    auto wrong_code = refused_with("WIDGET.409");
    CHECK(lines(wrong_code.failures) == std::vector<std::string>{"/code: got \"WIDGET.409\", expected \"WIDGET.404\""});
    CHECK_FALSE(wrong_code.matched);
    CHECK(lines(engine::evaluate(step, json_response(400, "{}"), op, c.schemas(), {}).failures) ==
          std::vector<std::string>{"status: got 400 with body {}, expected 200 or 404 or 409"});
}

// A hostile endpoint: each of these crashed the runner or took it over (issue 10, defects 1 to 3).

TEST_CASE("a body nested a million levels deep is a failure of the step, not a stack overflow", "[evaluate][hostile]")
{
    const auto& c = test_contracts::widgets();
    auto verdict = engine::evaluate(step_expecting({200}),
                                    json_response(200, std::string(1000000, '[') + std::string(1000000, ']')),
                                    c.operation("GetWidget"), c.schemas(), {});
    REQUIRE(verdict.failures.size() == 1);
    CHECK(verdict.failures[0].kind == "json");
    CHECK_THAT(verdict.failures[0].got,
               Catch::StartsWith("not acceptable JSON at byte offset 64: nesting deeper than 64 levels: [[["));
    CHECK(verdict.failures[0].got.size() < 400);
}

TEST_CASE("a number beyond the range of a double is a failure of the step, not an internal error",
          "[evaluate][hostile]")
{
    const auto& c = test_contracts::widgets();
    const auto* op = c.operation("GetWidget");
    auto verdict = engine::evaluate(step_expecting({200}),
                                    json_response(200, R"({"id":"w1","state":"IDLE","x":1e999})"), op, c.schemas(), {});
    REQUIRE(verdict.failures.size() == 1);
    CHECK_THAT(verdict.failures[0].got, Catch::StartsWith("not acceptable JSON: ") && Catch::Contains("1e999"));

    // Without a schema to check, a predicate's parse meets it the same way.
    auto raw = engine::evaluate(step_expecting({200}, {pred("/x", Predicate::Kind::exists, true)}),
                                json_response(200, R"({"x":-1e999})"), nullptr, c.schemas(), {});
    REQUIRE(raw.failures.size() == 1);
    CHECK_THAT(raw.failures[0].got, Catch::StartsWith("not acceptable JSON: "));
}

TEST_CASE("a 300 KB string under a schema pattern is checked in linear time, without recursion", "[evaluate][hostile]")
{
    const auto& c = test_contracts::widgets();
    const auto* op = c.operation("GetWidget");
    // created has "pattern": "^[0-9]{14}$"; std::regex recursed once per character.
    auto body = [](const std::string& created) {
        return R"({"id":"a","state":"IDLE","created":")" + created + R"("})";
    };
    auto hostile = engine::evaluate(step_expecting({200}), json_response(200, body(std::string(300 * 1024, '7'))), op,
                                    c.schemas(), {});
    REQUIRE(hostile.failures.size() == 1);
    CHECK(hostile.failures[0].where == "/created");
    CHECK_THAT(hostile.failures[0].got, Catch::StartsWith("\"7777") && Catch::Contains("keyword pattern"));
    CHECK(engine::evaluate(step_expecting({200}), json_response(200, body("20260101120000")), op, c.schemas(), {})
              .failures.empty());

    // A pattern with a repetition is where std::regex recursed per character, and crashed.
    const nlohmann::json schema = {{"type", "string"}, {"pattern", "^[0-9a-f]+$"}};
    CHECK(contract::SchemaStore::validate_with(schema, std::string(300 * 1024, 'f')).empty());
    auto refused = contract::SchemaStore::validate_with(schema, std::string(300 * 1024, 'f') + "g");
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].keyword == "pattern");
}

TEST_CASE("matches runs RE2 on endpoint strings: no recursion per character, no exponential backtracking",
          "[evaluate][hostile]")
{
    const auto& c = test_contracts::widgets();
    auto run = [&](const std::string& value, const std::string& pattern) {
        return engine::evaluate(step_expecting({200}, {pred("/v", Predicate::Kind::matches, pattern)}),
                                json_response(200, nlohmann::json{{"v", value}}.dump()), nullptr, c.schemas(), {})
            .failures;
    };
    CHECK(run(std::string(300 * 1024, 'f'), "^[0-9a-f]+$").empty());
    CHECK(run(std::string(300 * 1024, 'f') + "g", "^[0-9a-f]+$").size() == 1);
    // std::regex took 47 s on 31 characters, doubling with each one more: 64 never ended.
    auto backtracking = run(std::string(64, 'a') + "!", "^(a+)+$");
    REQUIRE(backtracking.size() == 1);
    CHECK(backtracking[0].expected == "a match of /^(a+)+$/");
}

TEST_CASE("endpoint values of unexpected types make failures with context, never exceptions", "[evaluate][hostile]")
{
    const auto& c = test_contracts::widgets();
    auto body = R"({"a":[1,"x",null,{"k":{"n":1}},{"k":[2]}],"s":"str","o":{"k":1}})";
    auto run = [&](Predicate p) {
        return engine::evaluate(step_expecting({200}, {p}), json_response(200, body), nullptr, c.schemas(), {})
            .failures;
    };
    CHECK(lines(run(pred("/s/[k=1]", Predicate::Kind::exists, true))) ==
          std::vector<std::string>{"/s/[k=1]: got nothing (/s is not an array), expected present"});
    CHECK(lines(run(pred("/a/[k=1]", Predicate::Kind::exists, true))) ==
          std::vector<std::string>{
              "/a/[k=1]: got nothing (/a has 0 elements with k=1, expected exactly one), expected present"});
    CHECK(run(pred("/a/[k={\"n\":1}]", Predicate::Kind::type, "object")).empty());
    CHECK(lines(run(pred("/a/3/k", Predicate::Kind::matches, "x"))) ==
          std::vector<std::string>{"/a/3/k: got {\"n\":1}, expected a match of /x/"});
    CHECK(lines(run(pred("/a/0", Predicate::Kind::length, 1))) ==
          std::vector<std::string>{"/a/0: got integer (no length), expected length 1"});
    CHECK(lines(run(pred("/a/2", Predicate::Kind::equals, "null"))) ==
          std::vector<std::string>{"/a/2: got null, expected \"null\""});
    CHECK(lines(run(pred("/s/0", Predicate::Kind::exists, true))) ==
          std::vector<std::string>{"/s/0: got nothing (/s is string, not an object or array), expected present"});
    CHECK(run(pred("/o", Predicate::Kind::in, {1, "x", nlohmann::json::object({{"k", 1}})})).empty());

    // Captures take any JSON value; later steps splice it in as text.
    contract::Step step = step_expecting({200});
    step.expect[0].capture = {{"whole", ""}, {"obj", "/o"}, {"nothing", "/a/9"}};
    auto verdict = engine::evaluate(step, json_response(200, body), nullptr, c.schemas(), {});
    CHECK(lines(verdict.failures) ==
          std::vector<std::string>{
              "/a/9: got nothing (/a has no element 9 (size 5)), expected a value to capture as nothing"});
    step.expect[0].capture.pop_back();
    verdict = engine::evaluate(step, json_response(200, body), nullptr, c.schemas(), {});
    REQUIRE(verdict.failures.empty());
    CHECK(contract::expand(std::string_view("{{obj}}"), verdict.captured) == R"({"k":1})");
}

TEST_CASE("headers with bytes that are not UTF-8 or are control characters make readable failures",
          "[evaluate][hostile]")
{
    const auto& c = test_contracts::widgets();
    auto verdict =
        engine::evaluate(step_expecting({200}), json_response(200, "\xff\x01{", std::string("text/\xff\x00x", 8)),
                         c.operation("GetWidget"), c.schemas(), {});
    REQUIRE(verdict.failures.size() == 2);
    CHECK_THAT(lines(verdict.failures)[0], Catch::StartsWith("Content-Type: got \"text/"));
    CHECK_THAT(verdict.failures[1].got, Catch::StartsWith("not acceptable JSON at byte offset 0: "));
}
