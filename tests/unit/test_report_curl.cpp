#include <catch2/catch.hpp>

#include "contracts.hpp"
#include "report/curl_line.hpp"

using namespace conform;

namespace {

struct Failed {
    contract::Case c;
    engine::CaseResult r;
    report::ReportContext context;

    explicit Failed(contract::Auth auth)
    {
        c.id = "W2-x";
        contract::Step step;
        step.request.auth = auth;
        c.steps = {step};
        r.test_case = c.summary();
        r.outcome = engine::Outcome::failed;
        r.step = engine::StepRef{0, "POST", "/v2/{tenant}/widgets/{{a}}/lock?note={{n}}", ""};
        engine::Exchange ex;
        ex.request.method = "POST";
        ex.request.path = "/v2/t1/widgets/w1/lock";
        ex.request.query = {{"note", "it's"}};
        ex.request.headers.add("Host", "widgets.example.com");
        ex.request.headers.add("Content-Type", "application/json");
        ex.request.body = R"({"a":"b'c"})";
        r.exchanges = {ex};
        context.endpoint = "https://widgets.example.com";
        context.names = test_contracts::widgets().report_names();  // the token header comes from the data
    }
};

}  // namespace

TEST_CASE("the curl line resends the failing request with the token by reference", "[curl]")
{
    Failed f(contract::Auth::run);
    f.r.exchanges[0].request.headers.add("X-Widget-Key", "***");
    auto line = report::curl_line(f.r, f.context);
    REQUIRE(line);
    CHECK(*line ==
          "curl -sS -i -X POST 'https://widgets.example.com/v2/t1/widgets/w1/lock?note=it%27s' -H 'Content-Type: "
          "application/json' "
          "-H \"X-Widget-Key: $CONFORM_TOKEN\" --data-binary '{\"a\":\"b'\\''c\"}'");
}

TEST_CASE("with AK/SK the curl line says the signature must be made afresh", "[curl]")
{
    Failed f(contract::Auth::run);
    f.r.exchanges[0].request.headers.add("X-Sdk-Date", "20261130T000000Z");
    f.r.exchanges[0].request.headers.add("Authorization", "***");
    auto line = report::curl_line(f.r, f.context);
    REQUIRE(line);
    CHECK_THAT(*line, Catch::StartsWith("# AK/SK: sign this request afresh") && !Catch::Contains("Authorization: ") &&
                          !Catch::Contains("X-Sdk-Date: "));
    Failed bad(contract::Auth::bad_signature);
    bad.r.exchanges[0].request.headers.add("Authorization", "***");
    CHECK_THAT(*report::curl_line(bad.r, bad.context),
               Catch::StartsWith("# the step sent a signature by a made-up access key"));
}

TEST_CASE("no curl line without a failing step's exchange", "[curl]")
{
    Failed f(contract::Auth::run);
    f.r.step.reset();
    CHECK_FALSE(report::curl_line(f.r, f.context));
    Failed g(contract::Auth::run);
    g.r.exchanges.clear();
    CHECK_FALSE(report::curl_line(g.r, g.context));
}
