#include <catch2/catch.hpp>

#include "contract/contract.hpp"
#include "engine/evaluate.hpp"

using namespace conform;
using contract::Predicate;

namespace {

const contract::Contract& real_contract()
{
    static const auto c = contract::Contract::load(contract::default_contract_paths("."));
    return c;
}

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

Predicate pred(std::string pointer, Predicate::Kind kind, nlohmann::json value)
{
    return Predicate{std::move(pointer), kind, std::move(value), false, std::nullopt};
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
    const auto& c = real_contract();
    const auto* op = c.operation("DeleteAssets");
    auto step = step_expecting({200}, {pred("/delete_result_array/[asset_id={{a}}]/status", Predicate::Kind::equals, "DELETED")});
    auto verdict = engine::evaluate(step, json_response(200, R"({"delete_result_array":[{"asset_id":"id1","status":"DELETED"}],"extra":1})"),
                                    op, c.schemas(), {{"a", "id1"}});
    CHECK(verdict.failures.empty());
}

TEST_CASE("schema deviations name the pointer, the value and the keyword", "[evaluate]")
{
    const auto& c = real_contract();
    auto verdict = engine::evaluate(step_expecting({200}),
                                    json_response(200, R"({"delete_result_array":[{"asset_id":"a","status":"REMOVED"}]})"),
                                    c.operation("DeleteAssets"), c.schemas(), {});
    REQUIRE(verdict.failures.size() == 1);
    CHECK(verdict.failures[0].where == "/delete_result_array/0/status");
    CHECK(verdict.failures[0].kind == "schema:delete-assets-response.schema.json");
    CHECK_THAT(verdict.failures[0].got, Catch::Contains("\"REMOVED\"") && Catch::Contains("keyword enum"));
}

TEST_CASE("wrong status, Content-Type, non-JSON and a body on 204 are each reported", "[evaluate]")
{
    const auto& c = real_contract();
    const auto* unpublish = c.operation("UnpublishAssets");
    auto status = engine::evaluate(step_expecting({200}), json_response(500, "oops", "text/plain"), unpublish, c.schemas(), {});
    CHECK(lines(status.failures) == std::vector<std::string>{"status: got 500 with body oops, expected 200"});

    auto type = engine::evaluate(step_expecting({200}), json_response(200, R"({"asset_info_array":[]})", "text/html"),
                                 unpublish, c.schemas(), {});
    CHECK(lines(type.failures) == std::vector<std::string>{"Content-Type: got \"text/html\", expected application/json"});

    auto not_json = engine::evaluate(step_expecting({200}), json_response(200, "{\"asset_info_array\": ["), unpublish, c.schemas(), {});
    REQUIRE(not_json.failures.size() == 1);
    CHECK(not_json.failures[0].kind == "json");
    CHECK_THAT(not_json.failures[0].got, Catch::StartsWith("not JSON at byte offset 22: syntax error"));

    auto body_on_204 = engine::evaluate(step_expecting({204}), json_response(204, "{}"), c.operation("CancelAssetTranscodeTask"),
                                        c.schemas(), {});
    REQUIRE(body_on_204.failures.size() == 1);
    CHECK(lines(body_on_204.failures) == std::vector<std::string>{"body: got 2 bytes: {}, expected no body for 204"});
}

TEST_CASE("an error status needs the error envelope with a non-empty error_code", "[evaluate]")
{
    const auto& c = real_contract();
    const auto* op = c.operation("CancelAssetTranscodeTask");
    CHECK(engine::evaluate(step_expecting({400}), json_response(400, R"({"error_code":"VOD.10083","error_msg":"x"})"), op, c.schemas(), {})
              .failures.empty());
    CHECK_FALSE(engine::evaluate(step_expecting({400}), json_response(400, R"({"code":"VOD.10083","message":"x"})"), op, c.schemas(), {})
                    .failures.empty());
    CHECK_FALSE(engine::evaluate(step_expecting({400}), json_response(400, R"({"error_code":"","error_msg":"x"})"), op, c.schemas(), {})
                    .failures.empty());
}

TEST_CASE("predicates: in, not_in, exists, length, matches, type, optional", "[evaluate]")
{
    const auto& c = real_contract();
    auto body = R"({"asset_info_array":[{"asset_id":"g","status":"NO_ASSET"}]})";
    auto run = [&](Predicate p) {
        return engine::evaluate(step_expecting({200}, {p}), json_response(200, body), c.operation("UnpublishAssets"), c.schemas(), {})
            .failures;
    };
    auto run_lines = [&](Predicate p) { return lines(run(std::move(p))); };
    CHECK(run(pred("/asset_info_array/0/status", Predicate::Kind::in, {"NOASSET", "NO_ASSET"})).empty());
    CHECK(run(pred("/asset_info_array/0/status", Predicate::Kind::not_in, {"NO_ASSET"})).size() == 1);
    CHECK(run(pred("/asset_info_array/0/base_info", Predicate::Kind::exists, false)).empty());
    CHECK(run_lines(pred("/asset_info_array", Predicate::Kind::length, 2))
          == std::vector<std::string>{"/asset_info_array: got length 1, expected length 2"});
    CHECK(run(pred("/asset_info_array/0/status", Predicate::Kind::matches, "^NO_?ASSET$")).empty());
    CHECK(run(pred("/asset_info_array", Predicate::Kind::type, "array")).empty());
    auto optional = pred("/asset_info_array/[asset_id=zz]/status", Predicate::Kind::not_equals, "DELETED");
    CHECK(run(optional).size() == 1);
    optional.optional = true;
    CHECK(run(optional).empty());
}

TEST_CASE("alternatives: the one whose status matches decides, captures come from it", "[evaluate]")
{
    const auto& c = real_contract();
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
    CHECK(engine::evaluate(step, json_response(403, R"({"error_code":"VOD.10062","error_msg":""})"), op, c.schemas(), {})
              .failures.empty());
    CHECK(engine::evaluate(step, json_response(403, R"({"error_code":"VOD.10083","error_msg":""})"), op, c.schemas(), {})
              .failures.size() == 1);
    auto wrong_code = engine::evaluate(step, json_response(403, R"({"error_code":"VOD.10083","error_msg":""})"), op, c.schemas(), {});
    CHECK(lines(wrong_code.failures) == std::vector<std::string>{"/error_code: got \"VOD.10083\", expected \"VOD.10062\""});
    CHECK_FALSE(wrong_code.matched);
    CHECK(engine::evaluate(step, json_response(403, R"({"error_code":"VOD.10062","error_msg":""})"), op, c.schemas(), {}).matched == 1u);
    CHECK(lines(engine::evaluate(step, json_response(404, "{}"), op, c.schemas(), {}).failures)
          == std::vector<std::string>{"status: got 404 with body {}, expected 200 or 400 or 403"});
}
