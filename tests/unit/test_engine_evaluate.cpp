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
    const auto& c = test_contracts::vod();
    const auto* op = c.operation("DeleteAssets");
    auto step = step_expecting(
        {200}, {pred("/delete_result_array/[asset_id={{a}}]/status", Predicate::Kind::equals, "DELETED")});
    auto verdict = engine::evaluate(
        step, json_response(200, R"({"delete_result_array":[{"asset_id":"id1","status":"DELETED"}],"extra":1})"), op,
        c.schemas(), {{"a", "id1"}});
    CHECK(verdict.failures.empty());
}

TEST_CASE("schema deviations name the pointer, the value and the keyword", "[evaluate]")
{
    const auto& c = test_contracts::vod();
    auto verdict = engine::evaluate(
        step_expecting({200}), json_response(200, R"({"delete_result_array":[{"asset_id":"a","status":"REMOVED"}]})"),
        c.operation("DeleteAssets"), c.schemas(), {});
    REQUIRE(verdict.failures.size() == 1);
    CHECK(verdict.failures[0].where == "/delete_result_array/0/status");
    CHECK(verdict.failures[0].kind == "schema:delete-assets-response.schema.json");
    CHECK_THAT(verdict.failures[0].got, Catch::Contains("\"REMOVED\"") && Catch::Contains("keyword enum"));
}

TEST_CASE("wrong status, Content-Type, non-JSON and a body on 204 are each reported", "[evaluate]")
{
    const auto& c = test_contracts::vod();
    const auto* unpublish = c.operation("UnpublishAssets");
    auto status =
        engine::evaluate(step_expecting({200}), json_response(500, "oops", "text/plain"), unpublish, c.schemas(), {});
    CHECK(lines(status.failures) == std::vector<std::string>{"status: got 500 with body oops, expected 200"});

    auto type = engine::evaluate(step_expecting({200}), json_response(200, R"({"asset_info_array":[]})", "text/html"),
                                 unpublish, c.schemas(), {});
    CHECK(lines(type.failures) ==
          std::vector<std::string>{"Content-Type: got \"text/html\", expected application/json"});

    auto not_json = engine::evaluate(step_expecting({200}), json_response(200, "{\"asset_info_array\": ["), unpublish,
                                     c.schemas(), {});
    REQUIRE(not_json.failures.size() == 1);
    CHECK(not_json.failures[0].kind == "json");
    CHECK_THAT(not_json.failures[0].got,
               Catch::StartsWith("not acceptable JSON at byte offset 22: syntax error") && Catch::Contains(": {"));

    auto body_on_204 = engine::evaluate(step_expecting({204}), json_response(204, "{}"),
                                        c.operation("CancelAssetTranscodeTask"), c.schemas(), {});
    REQUIRE(body_on_204.failures.size() == 1);
    CHECK(lines(body_on_204.failures) == std::vector<std::string>{"body: got 2 bytes: {}, expected no body for 204"});
}

TEST_CASE("an error status needs the error envelope with a non-empty error_code", "[evaluate]")
{
    const auto& c = test_contracts::vod();
    const auto* op = c.operation("CancelAssetTranscodeTask");
    CHECK(engine::evaluate(step_expecting({400}), json_response(400, R"({"error_code":"VOD.10083","error_msg":"x"})"),
                           op, c.schemas(), {})
              .failures.empty());
    CHECK_FALSE(engine::evaluate(step_expecting({400}), json_response(400, R"({"code":"VOD.10083","message":"x"})"), op,
                                 c.schemas(), {})
                    .failures.empty());
    CHECK_FALSE(engine::evaluate(step_expecting({400}), json_response(400, R"({"error_code":"","error_msg":"x"})"), op,
                                 c.schemas(), {})
                    .failures.empty());
}

TEST_CASE("predicates: in, not_in, exists, length, matches, type, optional", "[evaluate]")
{
    const auto& c = test_contracts::vod();
    auto body = R"({"asset_info_array":[{"asset_id":"g","status":"NO_ASSET"}]})";
    auto run = [&](Predicate p) {
        return engine::evaluate(step_expecting({200}, {p}), json_response(200, body), c.operation("UnpublishAssets"),
                                c.schemas(), {})
            .failures;
    };
    auto run_lines = [&](Predicate p) { return lines(run(std::move(p))); };
    CHECK(run(pred("/asset_info_array/0/status", Predicate::Kind::in, {"NOASSET", "NO_ASSET"})).empty());
    CHECK(run(pred("/asset_info_array/0/status", Predicate::Kind::not_in, {"NO_ASSET"})).size() == 1);
    CHECK(run(pred("/asset_info_array/0/base_info", Predicate::Kind::exists, false)).empty());
    CHECK(run_lines(pred("/asset_info_array", Predicate::Kind::length, 2)) ==
          std::vector<std::string>{"/asset_info_array: got length 1, expected length 2"});
    CHECK(run(pred("/asset_info_array/0/status", Predicate::Kind::matches, "^NO_?ASSET$")).empty());
    CHECK(run_lines(pred("/asset_info_array/0/status", Predicate::Kind::matches, "^NOASSET$")) ==
          std::vector<std::string>{"/asset_info_array/0/status: got \"NO_ASSET\", expected a match of /^NOASSET$/"});
    // A string's length is its length, not nlohmann's size() of 1.
    CHECK(run(pred("/asset_info_array/0/status", Predicate::Kind::length, 8)).empty());
    CHECK(run_lines(pred("/asset_info_array/0/status", Predicate::Kind::length, 1)) ==
          std::vector<std::string>{"/asset_info_array/0/status: got length 8, expected length 1"});
    CHECK(run(pred("/asset_info_array", Predicate::Kind::type, "array")).empty());
    auto optional = pred("/asset_info_array/[asset_id=zz]/status", Predicate::Kind::not_equals, "DELETED");
    CHECK(run(optional).size() == 1);
    optional.optional = true;
    CHECK(run(optional).empty());
}

TEST_CASE("alternatives: the one whose status matches decides, captures come from it", "[evaluate]")
{
    const auto& c = test_contracts::vod();
    contract::Step step;
    contract::Expectation ok;
    ok.status = {200};
    ok.capture = {{"echo", "/asset_id"}};
    contract::Expectation refused;
    refused.status = {400, 403};
    refused.body = {pred("/error_code", Predicate::Kind::equals, "VOD.10062")};
    step.expect = {ok, refused};
    const auto* op = c.operation("ConfirmAssetUpload");

    auto passed = engine::evaluate(step, json_response(200, R"({"asset_id":"a1"})"), op, c.schemas(), {});
    CHECK(passed.failures.empty());
    CHECK(passed.captured.at("echo") == "a1");
    CHECK(
        engine::evaluate(step, json_response(403, R"({"error_code":"VOD.10062","error_msg":""})"), op, c.schemas(), {})
            .failures.empty());
    CHECK(
        engine::evaluate(step, json_response(403, R"({"error_code":"VOD.10083","error_msg":""})"), op, c.schemas(), {})
            .failures.size() == 1);
    auto wrong_code =
        engine::evaluate(step, json_response(403, R"({"error_code":"VOD.10083","error_msg":""})"), op, c.schemas(), {});
    CHECK(lines(wrong_code.failures) ==
          std::vector<std::string>{"/error_code: got \"VOD.10083\", expected \"VOD.10062\""});
    CHECK_FALSE(wrong_code.matched);
    CHECK(
        engine::evaluate(step, json_response(403, R"({"error_code":"VOD.10062","error_msg":""})"), op, c.schemas(), {})
            .matched == 1u);
    CHECK(lines(engine::evaluate(step, json_response(404, "{}"), op, c.schemas(), {}).failures) ==
          std::vector<std::string>{"status: got 404 with body {}, expected 200 or 400 or 403"});
}

// A hostile endpoint: each of these crashed the runner or took it over (issue 10, defects 1 to 3).

TEST_CASE("a body nested a million levels deep is a failure of the step, not a stack overflow", "[evaluate][hostile]")
{
    const auto& c = test_contracts::vod();
    auto verdict = engine::evaluate(step_expecting({200}),
                                    json_response(200, std::string(1000000, '[') + std::string(1000000, ']')),
                                    c.operation("UnpublishAssets"), c.schemas(), {});
    REQUIRE(verdict.failures.size() == 1);
    CHECK(verdict.failures[0].kind == "json");
    CHECK_THAT(verdict.failures[0].got,
               Catch::StartsWith("not acceptable JSON at byte offset 64: nesting deeper than 64 levels: [[["));
    CHECK(verdict.failures[0].got.size() < 400);
}

TEST_CASE("a number beyond the range of a double is a failure of the step, not an internal error",
          "[evaluate][hostile]")
{
    const auto& c = test_contracts::vod();
    const auto* op = c.operation("UnpublishAssets");
    auto verdict = engine::evaluate(step_expecting({200}), json_response(200, R"({"asset_info_array":[],"x":1e999})"),
                                    op, c.schemas(), {});
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
    const auto& c = test_contracts::vod();
    const auto* op = c.operation("UnpublishAssets");
    // base_info.create_time has "pattern": "^[0-9]{14}$"; std::regex recursed once per character.
    auto body = [](const std::string& create_time) {
        return R"({"asset_info_array":[{"asset_id":"a","status":"CREATED","base_info":{"create_time":")" + create_time +
               R"("}}]})";
    };
    auto hostile = engine::evaluate(step_expecting({200}), json_response(200, body(std::string(300 * 1024, '7'))), op,
                                    c.schemas(), {});
    REQUIRE(hostile.failures.size() == 1);
    CHECK(hostile.failures[0].where == "/asset_info_array/0/base_info/create_time");
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
    const auto& c = test_contracts::vod();
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
    const auto& c = test_contracts::vod();
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
    const auto& c = test_contracts::vod();
    auto verdict =
        engine::evaluate(step_expecting({200}), json_response(200, "\xff\x01{", std::string("text/\xff\x00x", 8)),
                         c.operation("UnpublishAssets"), c.schemas(), {});
    REQUIRE(verdict.failures.size() == 2);
    CHECK_THAT(lines(verdict.failures)[0], Catch::StartsWith("Content-Type: got \"text/"));
    CHECK_THAT(verdict.failures[1].got, Catch::StartsWith("not acceptable JSON at byte offset 0: "));
}
