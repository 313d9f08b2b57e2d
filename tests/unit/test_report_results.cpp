#include <catch2/catch.hpp>

#include <fstream>

#include "contract/json_file.hpp"
#include "contract/schema_store.hpp"
#include "judged.hpp"
#include "report/junit.hpp"
#include "report/results_json.hpp"

using namespace conform;

namespace {

const std::string k_secret = "tok-SECRET-0123456789";

nlohmann::json results_schema()
{
    return contract::read_json_file(std::filesystem::path(CONFORM_SOURCE_DIR) / "schemas" / "results.schema.json");
}

// A run with every outcome, a failure, an exchange with hostile bytes and a secret, a shape.
struct Run {
    std::vector<contract::Case> cases;
    engine::RunResult run;
    report::ReportContext context;

    Run()
    {
        for (auto [id, level] : {std::pair{"W2-fail", contract::Level::must},
                                 {"W4-warn", contract::Level::should},
                                 {"W1-error", contract::Level::must},
                                 {"W1-skip", contract::Level::must},
                                 {"W1-pass", contract::Level::must}}) {
            contract::Case c;
            c.id = id;
            c.operation = c.id.starts_with("W1") ? "GetWidget" : "LockWidget";
            c.level = level;
            c.file = "cases/x/" + c.id + ".json";
            c.line = 3;
            c.rules = {c.id.substr(0, 2)};
            c.description = "what " + c.id + " shows";
            contract::Step step;
            step.name = "lock {{a}}";
            c.steps = {step, step};
            cases.push_back(c);
        }
        auto result = [&](std::size_t i, engine::Outcome o) {
            engine::CaseResult r;
            r.test_case = cases[i].summary();
            r.outcome = o;
            r.started = 0.25 * static_cast<double>(i);
            r.seconds = 0.0123456789;
            return r;
        };
        auto failed = result(0, engine::Outcome::failed);
        failed.step = engine::StepRef{1, "POST", "/v2/{tenant}/widgets/{{a}}/lock", ""};
        failed.failures = {{"W2", "predicate", "/state", "\"IDLE\"", "\"LOCKED\""}};
        engine::Exchange ex;
        ex.step = "lock";
        ex.step_index = 1;
        ex.request.method = "POST";
        ex.request.path = "/v2/t1/widgets/w1/lock";
        ex.request.query = {{"note", "a b"}};
        ex.request.headers.add("X-Widget-Key", "***");
        ex.seconds = 0.004;
        ex.response = http::Response{200, {}, "{\"x\": \"\xff\xfe bytes \x01 and " + k_secret + "\"}"};
        ex.shape = {{"", "object"}, {"/x", "string"}};
        ex.matched = 1;
        failed.exchanges.push_back(ex);
        run.cases.push_back(failed);
        auto warned = result(1, engine::Outcome::failed);
        warned.step = engine::StepRef{0, "POST", "/v2/{tenant}/widgets/{{a}}/lock?also={{b}}", ""};
        warned.failures = {{"W4", "status", "status", "400", "200"}};
        run.cases.push_back(warned);
        auto error = result(2, engine::Outcome::error);
        error.cause = engine::Cause::transport;
        error.message = "connection refused";
        error.step = engine::StepRef{0, "GET", "/v2/{tenant}/widgets/{widget_id}", ""};
        run.cases.push_back(error);
        auto skipped = result(3, engine::Outcome::skipped);
        skipped.cause = engine::Cause::fixtures;
        skipped.message = "needs 1 IDLE fixture(s)";
        run.cases.push_back(skipped);
        run.cases.push_back(result(4, engine::Outcome::passed));
        run.started = std::chrono::system_clock::time_point(std::chrono::milliseconds(1796000000123));
        run.seconds = 1.5;
        run.requests_sent = 7;
        run.requests_throttled = 2;
        run.quota_wait_seconds = 0.75;
        context.endpoint = "https://widgets.example.com";
        context.run_name = "widgets.example.com";
        context.hostname = "ci";
        context.names = {"widgets-conformance", "widgets.", "Widgets conformance", "X-Widget-Key"};
        context.contract_digest = "sha256:" + std::string(64, 'a');
        context.redactor.add_secret(k_secret);
        context.rules = {
            {"W2", contract::Level::must, "Locking an idle widget answers 200.", "widgets.openapi.json", {}}};
        test_judged::judge(run, false, context.rules);
    }
};

}  // namespace

TEST_CASE("the results of --json validate against results.schema.json, masked and valid UTF-8", "[results]")
{
    Run r;
    auto doc = report::results_json(r.run, r.context);
    const auto violations = contract::SchemaStore::validate_with(results_schema(), doc);
    for (const auto& v : violations) {
        FAIL_CHECK(v.pointer << ": " << v.message);
    }
    const auto text = doc.dump();  // throws on invalid UTF-8
    CHECK(text.find(k_secret) == std::string::npos);
    CHECK_THAT(text, Catch::Contains("\\\\xff\\\\xfe bytes \\u0001 and ***"));
    const auto& failed = doc["cases"][0];
    CHECK(failed["failed_rules"] == nlohmann::json::array({"W2"}));
    CHECK(failed["exchanges"][0]["matched"] == 1);
    CHECK(failed["exchanges"][0]["shape"][1] == nlohmann::json({{"pointer", "/x"}, {"type", "string"}}));
    CHECK(doc["cases"][1]["verdict"] == "warned");
    CHECK(doc["run"]["started"] == "2026-11-30T00:53:20.123Z");
    CHECK(doc["run"]["requests_throttled"] == 2);
}

TEST_CASE("results read back render the same JUnit, byte for byte, times included", "[results]")
{
    Run r;
    const auto path = std::filesystem::path(CONFORM_TEST_OUTPUT) / "results" / "run.json";
    report::JsonReporter writer(path, r.context);
    for (auto it = r.run.cases.rbegin(); it != r.run.cases.rend(); ++it) {
        writer.case_finished(*it);  // finishing order is not contract order
    }
    writer.run_finished(r.run);
    auto loaded = report::load_results({path}, results_schema());
    REQUIRE(loaded.run.cases.size() == r.run.cases.size());
    CHECK(loaded.run.cases[0].test_case.id == "W2-fail");
    CHECK(loaded.context.names.token_header == "X-Widget-Key");  // the curl line's header
    CHECK_THAT(report::junit_xml(loaded.run, loaded.context, report::JunitForm::portable),
               Catch::Contains("<testsuites name=\"widgets-conformance\"") &&
                   Catch::Contains("classname=\"widgets.LockWidget\""));
    for (auto form : {report::JunitForm::portable, report::JunitForm::extended}) {
        CHECK(report::junit_xml(loaded.run, loaded.context, form) == report::junit_xml(r.run, r.context, form));
    }
}

TEST_CASE("results that are not conform's are refused with the file and the pointer", "[results]")
{
    const auto path = std::filesystem::path(CONFORM_TEST_OUTPUT) / "results" / "bogus.json";
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << R"({"format": "conform-results/1", "run": {}, "rules": [], "cases": []})";
    CHECK_THROWS_WITH(report::load_results({path}, results_schema()),
                      Catch::Contains("bogus.json: /run: ") && Catch::Contains("required"));
    CHECK_THROWS_WITH(report::load_results({path.parent_path() / "missing.json"}, results_schema()),
                      Catch::Contains("missing.json"));
}

TEST_CASE("shards of one run merge: all cases, the whole span, counts added", "[results]")
{
    Run a;
    Run b;
    b.run.started += std::chrono::seconds(1);
    const auto dir = std::filesystem::path(CONFORM_TEST_OUTPUT) / "results";
    report::JsonReporter(dir / "a.json", a.context).run_finished(a.run);
    report::JsonReporter(dir / "b.json", b.context).run_finished(b.run);
    auto loaded = report::load_results({dir / "a.json", dir / "b.json"}, results_schema());
    CHECK(loaded.run.cases.size() == 10);
    CHECK(loaded.run.requests_sent == 14);
    CHECK(loaded.run.seconds == Approx(2.5));
}

TEST_CASE("two runs of the same cases merge: each result keeps its own report", "[results]")
{
    Run a;
    Run b;
    a.run.cases[2].message = "refused at the first endpoint";
    b.run.cases[2].message = "refused at the second endpoint";
    const auto dir = std::filesystem::path(CONFORM_TEST_OUTPUT) / "results";
    report::JsonReporter(dir / "first.json", a.context).run_finished(a.run);
    report::JsonReporter(dir / "second.json", b.context).run_finished(b.run);
    auto loaded = report::load_results({dir / "first.json", dir / "second.json"}, results_schema());
    REQUIRE(loaded.run.cases.size() == 10);
    const auto junit = report::junit_xml(loaded.run, loaded.context, report::JunitForm::portable);
    const auto first = junit.find("refused at the first endpoint");
    const auto second = junit.find("refused at the second endpoint");
    CHECK(first != std::string::npos);
    CHECK(second != std::string::npos);
    CHECK(first < second);
}

TEST_CASE("a known deviation is written as such, validates, and reads back", "[results]")
{
    Run r;
    judge::Policy policy;
    policy.baseline.entries = {{"W2-fail", "vendor ticket 42", std::nullopt, std::nullopt, "2027-01-31"}};
    judge::judge(r.run.cases[0], judge::rule_levels(r.context.rules), policy);
    REQUIRE(r.run.cases[0].baseline);
    r.run.cases[0].test_case.steps[0].operation = "LockWidget";
    auto doc = report::results_json(r.run, r.context);
    for (const auto& v : contract::SchemaStore::validate_with(results_schema(), doc)) {
        FAIL_CHECK(v.pointer << ": " << v.message);
    }
    CHECK(doc["cases"][0]["verdict"] == "known");
    CHECK(doc["cases"][0]["baseline"]["reason"] == "vendor ticket 42");
    CHECK(doc["cases"][0]["steps"][0]["operation"] == "LockWidget");
    CHECK_FALSE(doc["cases"][1].contains("baseline"));
    const auto path = std::filesystem::path(CONFORM_TEST_OUTPUT) / "results" / "known.json";
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << doc.dump();
    auto loaded = report::load_results({path}, results_schema());
    REQUIRE(loaded.run.cases[0].baseline);
    CHECK(loaded.run.cases[0].baseline->expires == "2027-01-31");
    CHECK(loaded.run.cases[0].test_case.steps[0].operation == "LockWidget");
    CHECK(report::junit_xml(loaded.run, loaded.context, report::JunitForm::portable) ==
          report::junit_xml(r.run, r.context, report::JunitForm::portable));
    CHECK_THAT(report::junit_xml(r.run, r.context, report::JunitForm::portable),
               Catch::Contains("<skipped message=\"known deviation: vendor ticket 42: [W2]") &&
                   Catch::Contains("type=\"known-deviation\""));
}

TEST_CASE("results an earlier conform wrote load, and write back as they were", "[results]")
{
    // Written by conform at 5c60180 (before to_json/from_json): a mutated mock, a baseline, a
    // known deviation, a case not applicable to the run's token.
    const auto path = std::filesystem::path(CONFORM_TEST_DATA) / "results-5c60180.json";
    const auto loaded = report::load_results({path}, results_schema());
    REQUIRE(loaded.run.cases.size() == 3);
    CHECK(loaded.context.run_name == "base-small");
    CHECK(loaded.context.names.token_header == "X-Auth-Token");
    CHECK(loaded.context.rule("U2") != nullptr);
    const auto& known = loaded.run.cases[2];
    CHECK(known.test_case.id == "U2-published-asset-becomes-unpublished");
    CHECK(known.test_case.steps.at(0).operation == "UnpublishAssets");
    CHECK(known.outcome == engine::Outcome::failed);
    CHECK(known.judgement.verdict == engine::Verdict::known);
    REQUIRE(known.baseline);
    CHECK(known.baseline->reason == "vendor ticket 7");
    REQUIRE(known.step);
    CHECK(known.step->target == "/v1.0/{project_id}/asset/status/unpublish");
    REQUIRE(known.failures.size() == 1);
    CHECK(known.failures[0].rule == "U2");
    REQUIRE(known.exchanges.at(0).response);
    CHECK(known.exchanges[0].response->status == 200);
    const auto& skipped = loaded.run.cases[0];
    CHECK(skipped.cause == engine::Cause::not_applicable);
    CHECK(skipped.test_case.steps.at(0).auth == contract::Auth::run);
    // Read and written again, the document is the one the earlier conform wrote.
    CHECK(report::results_json(loaded.run, loaded.context) == contract::read_json_file(path));
}
