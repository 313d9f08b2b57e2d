// What the engine reads of an API from the contract's data (contract/profile.hpp): each kind of
// mistake in it is a contract problem naming the file and the JSON pointer.
#include <catch2/catch.hpp>

#include <fstream>

#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "contracts.hpp"

using namespace conform;

namespace {

// A copy of a contract (the widgets one unless told) under the test output, one file of it changed.
class Broken {
  public:
    explicit Broken(const std::string& name, const contract::ContractPaths& source = test_contracts::widgets_paths())
        : m_root(std::filesystem::path(CONFORM_TEST_OUTPUT) / "contract_profile" / name)
    {
        std::filesystem::remove_all(m_root);
        std::filesystem::create_directories(m_root);
        std::filesystem::copy(source.schemas, m_root / "schemas", std::filesystem::copy_options::recursive);
        std::filesystem::copy(source.cases, m_root / "cases", std::filesystem::copy_options::recursive);
    }

    // Applies change to a JSON file of the schemas folder.
    template <class Change> Broken& edit(const std::string& file, Change change)
    {
        auto json = contract::read_json_file(m_root / "schemas" / file);
        change(json);
        std::ofstream(m_root / "schemas" / file) << json.dump(2);
        return *this;
    }

    // Replaces the first `from` in a case file (below the cases folder) by `to`.
    Broken& edit_case(const std::string& relative, const std::string& from, const std::string& to)
    {
        auto text = contract::read_text_file(m_root / "cases" / relative);
        text.replace(text.find(from), from.size(), to);
        std::ofstream(m_root / "cases" / relative) << text;
        return *this;
    }

    std::string file(const std::string& name) const { return (m_root / "schemas" / name).string(); }

    std::vector<std::string> problems() const
    {
        try {
            contract::Contract::load({m_root / "schemas", m_root / "cases"});
        } catch (const contract::ContractError& e) {
            std::vector<std::string> out;
            for (const auto& p : e.problems()) {
                out.push_back(p.to_string());
            }
            return out;
        }
        return {"loaded"};
    }

  private:
    std::filesystem::path m_root;
};

const nlohmann::json::json_pointer k_schemes("/components/securitySchemes");

}  // namespace

TEST_CASE("an unchanged copy of the widgets contract loads", "[contract][profile]")
{
    CHECK(Broken("unchanged").problems() == std::vector<std::string>{"loaded"});
}

TEST_CASE("contract.json must say how reports name the run and what a fixtures file is", "[contract][profile]")
{
    Broken no_report("no_report");
    no_report.edit("contract.json", [](auto& j) { j.erase("report"); });
    CHECK_THAT(no_report.problems().at(0),
               Catch::StartsWith(no_report.file("contract.json") + ": ") && Catch::Contains("report"));

    Broken unknown_schema("unknown_fixtures_schema");
    unknown_schema.edit("contract.json", [](auto& j) { j["fixtures_file"]["schema"] = "nope.schema.json"; });
    CHECK(unknown_schema.problems().at(0) ==
          unknown_schema.file("contract.json") + ": /fixtures_file/schema: unknown schema 'nope.schema.json'");
}

TEST_CASE("a security scheme conform cannot send is a problem at its pointer", "[contract][profile]")
{
    Broken bearer("bearer");
    bearer.edit("widgets.openapi.json", [](auto& j) {
        j[k_schemes]["bearer"] = {{"type", "http"}, {"scheme", "bearer"}};
    });
    CHECK(bearer.problems().at(0) == bearer.file("widgets.openapi.json") +
                                         ": /components/securitySchemes/bearer: conform sends only apiKey "
                                         "schemes in a header (type apiKey, in header, name)");

    Broken two_tokens("two_tokens");
    two_tokens.edit("widgets.openapi.json", [](auto& j) {
        j[k_schemes]["zKey"] = {{"type", "apiKey"}, {"in", "header"}, {"name", "X-Other"}};
    });
    CHECK(two_tokens.problems().at(0) == two_tokens.file("widgets.openapi.json") +
                                             ": /components/securitySchemes/zKey: a second token scheme "
                                             "(X-Widget-Key is one): conform sends one token header");

    Broken algorithm("algorithm");
    algorithm.edit("widgets.openapi.json", [](auto& j) {
        j[k_schemes]["widgetSignature"]["x-conform-signing"]["algorithm"] = "AWS4-HMAC-SHA256";
    });
    CHECK(algorithm.problems().at(0) ==
          algorithm.file("widgets.openapi.json") +
              ": /components/securitySchemes/widgetSignature/x-conform-signing/algorithm: must be SDK-HMAC-SHA256, the "
              "signature conform makes");

    Broken elsewhere("signature_elsewhere");
    elsewhere.edit("widgets.openapi.json", [](auto& j) { j[k_schemes]["widgetSignature"]["name"] = "X-Signature"; });
    CHECK(elsewhere.problems().at(0) ==
          elsewhere.file("widgets.openapi.json") +
              ": /components/securitySchemes/widgetSignature/name: the signature goes in Authorization");
}

TEST_CASE("placeholders outside a case must be run placeholders, and cases are told which there are",
          "[contract][profile]")
{
    Broken signing("signing_placeholder");
    signing.edit("widgets.openapi.json", [](auto& j) {
        j[k_schemes]["widgetSignature"]["x-conform-signing"]["headers"]["X-Tenant"] = "{{project_id}}";
    });
    CHECK(signing.problems().at(0) ==
          signing.file("widgets.openapi.json") +
              ": /components/securitySchemes: X-Tenant: {{project_id}} is not a run placeholder of contract.json");

    // The VOD built-in is no built-in here: a widgets case naming it is told this contract's.
    Broken in_case("case_placeholder");
    in_case.edit_case("get-widget/W1-idle-widget-reads-idle.json", R"("request": {})",
                      R"("request": {"headers": {"X-Trace": "{{project_id}}"}})");
    CHECK(in_case.problems().at(0) == "cases/get-widget/W1-idle-widget-reads-idle.json: /steps/0/request: "
                                      "{{project_id}} is neither a fixture, a capture of an earlier step nor tenant");
}

TEST_CASE("premises and quota in contract.json are checked at load, with pointers", "[contract][profile][premise]")
{
    const auto vod = test_contracts::vod_paths();
    Broken missing("premise_kind_missing", vod);
    missing.edit("contract.json", [](auto& j) { j["premises"]["kinds"].erase("REVIEWING"); });
    CHECK(missing.problems().at(0) == missing.file("contract.json") +
                                          ": /premises/kinds: fixture kind 'REVIEWING' has no entry: give its state, "
                                          "or not_verifiable");

    Broken unknown("premise_kind_unknown", vod);
    unknown.edit("contract.json", [](auto& j) {
        j["premises"]["kinds"]["ASLEEP"] = {{"not_verifiable", "no query shows it"}};
    });
    CHECK(unknown.problems().at(0) ==
          unknown.file("contract.json") + ": /premises/kinds/ASLEEP: 'ASLEEP' is not a fixture kind of /fixture_kinds");

    Broken not_query("premise_query_not_marked", vod);
    not_query.edit("contract.json", [](auto& j) { j["premises"]["query"]["operation"] = "DeleteAssets"; });
    CHECK_THAT(not_query.problems().at(0),
               Catch::StartsWith(not_query.file("contract.json") + ": /premises/query/operation: 'DeleteAssets' is not "
                                                                   "marked x-conform-role: query"));

    Broken both("premise_state_and_not_verifiable", vod);
    both.edit("contract.json", [](auto& j) { j["premises"]["kinds"]["CREATED"]["not_verifiable"] = "it cannot be"; });
    CHECK_THAT(both.problems().at(0), Catch::Contains("/premises/kinds/CREATED"));

    Broken category("quota_unknown_operation", vod);
    category.edit("contract.json",
                  [](auto& j) { j["quota"]["categories"]["asset-query"]["operations"].push_back("Nope"); });
    CHECK(category.problems().at(0) ==
          category.file("contract.json") + ": /quota/categories/asset-query/operations/1: unknown operation 'Nope'");

    Broken twice("quota_operation_twice", vod);
    twice.edit("contract.json",
               [](auto& j) { j["quota"]["categories"]["asset-query"]["operations"].push_back("DeleteAssets"); });
    CHECK_THAT(twice.problems().at(0), Catch::Contains("'DeleteAssets' is already in category 'asset-management'"));

    Broken verifiable("if_premise_lost_on_verifiable", vod);
    verifiable.edit_case("cancel-extract-audio-task/E1-cancel-queued-extract-audio.json",
                         "\"a\": \"EXTRACT_AUDIO_QUEUED\"", "\"a\": \"TRANSCODE_QUEUED\"");
    CHECK_THAT(verifiable.problems().at(0),
               Catch::Contains("/if_premise_lost/0/fixture: the premise of 'a' (TRANSCODE_QUEUED) is checked"));
}
