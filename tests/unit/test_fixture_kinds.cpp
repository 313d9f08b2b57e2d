// One source for fixture kinds: contract.json's fixture_kinds. fixtures.schema.json describes
// the file's shape only, the loader checks kinds against the contract, and the mock seeds
// exactly those kinds.
#include <catch2/catch.hpp>

#include <fstream>

#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "contracts.hpp"
#include "engine/fixtures.hpp"
#include "state.hpp"

using namespace conform;

TEST_CASE("the mock seeds exactly the fixture kinds of contract.json", "[fixtures][mock]")
{
    const auto manifest = contract::read_json_file(test_contracts::vod_paths().schemas / "contract.json");
    std::set<std::string> listed;
    for (const auto& [kind, description] : manifest.at("fixture_kinds").items()) {
        listed.insert(kind);
    }
    vod_mock::AssetStore store;
    std::set<std::string> seeded;
    for (const auto& [kind, ids] : store.seed(1)) {
        CHECK(ids.size() == 1);
        seeded.insert(kind);
    }
    CHECK(seeded == listed);
    CHECK(test_contracts::vod().fixture_kinds() == listed);
}

TEST_CASE("fixtures.schema.json does not list the kinds: contract.json is their one source", "[fixtures]")
{
    const auto schema = contract::read_json_file(test_contracts::vod_paths().schemas / "fixtures.schema.json");
    const auto text = schema.dump();
    for (const auto& kind : test_contracts::vod().fixture_kinds()) {
        INFO(kind);
        CHECK(text.find('"' + kind + '"') == std::string::npos);
    }
}

TEST_CASE("a fixtures file is validated with its schema, then its kinds against the contract", "[fixtures]")
{
    auto problems = [](const char* text) {
        try {
            engine::FixturePool::from_json(nlohmann::json::parse(text), "f.json", test_contracts::vod());
        } catch (const contract::ContractError& e) {
            std::vector<std::string> out;
            for (const auto& p : e.problems()) {
                out.push_back(p.to_string());
            }
            return out;
        }
        return std::vector<std::string>{"loaded"};
    };
    // The schema's: shape and types, each with its pointer.
    CHECK_THAT(problems(R"({"project_id":"","assets":{}})").at(0), Catch::StartsWith("f.json: /project_id: "));
    CHECK_THAT(problems(R"({"assets":{"CREATED":["a","a"]}})").at(0),
               Catch::StartsWith("f.json: /assets/CREATED: ") && Catch::Contains("uniqueItems"));
    CHECK_THAT(problems(R"({"project_id":"p"})").at(0), Catch::StartsWith("f.json: ") && Catch::Contains("assets"));
    // The contract's: every unknown kind named, with the kinds there are.
    CHECK(
        problems(R"({"assets":{"CREATED":["a"],"DRAFT":["b"],"a/b":["c"]}})") ==
        std::vector<std::string>{
            "f.json: /assets/DRAFT: unknown fixture kind 'DRAFT' (contract.json fixture_kinds: CREATED, "
            "EXTRACTING_AUDIO, "
            "EXTRACT_AUDIO_QUEUED, PUBLISHED, REVIEWING, SNAPSHOTTING, TRANSCODE_QUEUED, TRANSCODING, UPLOADING)",
            "f.json: /assets/a~1b: unknown fixture kind 'a/b' (contract.json fixture_kinds: CREATED, EXTRACTING_AUDIO, "
            "EXTRACT_AUDIO_QUEUED, PUBLISHED, REVIEWING, SNAPSHOTTING, TRANSCODE_QUEUED, TRANSCODING, UPLOADING)"});
    // A generated kind is made up per run, never listed.
    CHECK_THAT(problems(R"({"assets":{"NONEXISTENT":["a"]}})").at(0),
               Catch::Contains("unknown fixture kind 'NONEXISTENT'"));
}

TEST_CASE("a kind added to contract.json is accepted in a fixtures file without touching its schema", "[fixtures]")
{
    const auto root = std::filesystem::path(CONFORM_TEST_OUTPUT) / "fixture_kinds" / "added";
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root / "cases");
    std::filesystem::copy(test_contracts::vod_paths().schemas, root / "schemas",
                          std::filesystem::copy_options::recursive);
    auto manifest = contract::read_json_file(root / "schemas" / "contract.json");
    manifest["fixture_kinds"]["ARCHIVED"] = "moved to cold storage";
    manifest["premises"]["kinds"]["ARCHIVED"] = {{"state", {{{"pointer", "/asset_status"}, {"in", {"ARCHIVED"}}}}}};
    std::ofstream(root / "schemas" / "contract.json") << manifest.dump(2);
    const auto contract = contract::Contract::load({root / "schemas", root / "cases"});
    const auto pool =
        engine::FixturePool::from_json(nlohmann::json::parse(R"({"assets":{"ARCHIVED":["x"]}})"), "f.json", contract);
    CHECK(pool.ids_by_kind.at("ARCHIVED") == std::vector<std::string>{"x"});
}
