#include <catch2/catch.hpp>

#include <fstream>
#include <map>

#include "cli.hpp"
#include "context.hpp"
#include "contracts.hpp"
#include "options.hpp"

using namespace conform;

namespace {

Environment environment(std::map<std::string, std::string> values)
{
    return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
        auto it = values.find(name);
        return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

const Environment k_no_environment = environment({});

std::string usage_error(const std::function<void()>& resolve)
{
    try {
        resolve();
    } catch (const util::UsageError& e) {
        return e.what();
    }
    return "(accepted)";
}

// A fixtures file of the VOD contract with its own project id.
std::filesystem::path fixtures_file(const std::string& project_id)
{
    const auto path = std::filesystem::path(CONFORM_TEST_OUTPUT) / "context-fixtures.json";
    std::ofstream(path) << R"({"project_id": ")" << project_id << R"(", "assets": {"CREATED": ["asset-1"]}})";
    return path;
}

}  // namespace

TEST_CASE("credentials on the command line win over the environment, which is read only without them", "[context]")
{
    const auto env = environment(
        {{"CONFORM_TOKEN", "env-token"}, {"HUAWEICLOUD_SDK_AK", "env-ak"}, {"HUAWEICLOUD_SDK_SK", "env-sk"}});
    // Both kinds in the environment is ambiguous, and said so.
    CHECK(usage_error([&] {
              resolve_credentials(parse_options({"run", "--mock"}), env);
          }) == "give either a token or an AK/SK pair, not both");

    const auto flagged = resolve_credentials(parse_options({"run", "--mock", "--token", "flag-token"}), env);
    CHECK(flagged.mode == engine::Credentials::Mode::token);
    CHECK(flagged.token == "flag-token");
    CHECK(flagged.aksk.access_key.empty());

    const auto from_env =
        resolve_credentials(parse_options({"run", "--mock"}), environment({{"CONFORM_TOKEN", "env-token"}}));
    CHECK(from_env.token == "env-token");

    const auto signed_by = resolve_credentials(parse_options({"run", "--mock"}),
                                               environment({{"HUAWEICLOUD_SDK_AK", "a"}, {"HUAWEICLOUD_SDK_SK", "s"}}));
    CHECK(signed_by.mode == engine::Credentials::Mode::aksk);
    CHECK(usage_error([&] {
              resolve_credentials(parse_options({"run", "--mock"}), environment({{"HUAWEICLOUD_SDK_AK", "a"}}));
          }) == "--ak and --sk go together (or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK)");
    CHECK(resolve_credentials(parse_options({"run", "--mock"}), k_no_environment).mode ==
          engine::Credentials::Mode::none);
}

TEST_CASE("the project id: the flag wins over the environment, which wins over the fixtures file", "[context]")
{
    const contract::Bindings file = {{"project_id", "file-project"}};
    const auto env = environment({{"HUAWEICLOUD_SDK_PROJECT_ID", "env-project"}});
    const auto flag = parse_options({"run", "--mock", "--project-id", "flag-project"});
    const auto none = parse_options({"run", "--mock"});

    CHECK(resolve_project_id(flag, env, file)->value == "flag-project");
    CHECK(resolve_project_id(flag, env, file)->source == ProjectIdSource::flag);
    CHECK(resolve_project_id(none, env, file)->value == "env-project");
    CHECK(resolve_project_id(none, env, file)->source == ProjectIdSource::environment);
    CHECK(resolve_project_id(none, k_no_environment, file)->value == "file-project");
    CHECK(resolve_project_id(none, k_no_environment, file)->source == ProjectIdSource::fixtures_file);
    CHECK_FALSE(resolve_project_id(none, k_no_environment, {}));
}

TEST_CASE("a run resolved from a fixtures file keeps the --project-id given, and reads the file once", "[context]")
{
    const auto& contract = test_contracts::vod();
    const auto file = fixtures_file("file-project");
    const auto o = parse_options({"run", "--base-url", "http://127.0.0.1:9", "--fixtures", file.string(),
                                  "--project-id", "flag-project", "--case", "U1-single-published-asset"});
    const auto context = resolve_run(contract, o, test_contracts::vod_paths(),
                                     environment({{"CONFORM_TOKEN", "a-token-long-enough"}}), false);
    CHECK(context.project_id.value == "flag-project");
    CHECK(context.base_url == "http://127.0.0.1:9");
    CHECK(context.selected.size() == 1);
    CHECK(context.fixture_ids == std::set<std::string>{"asset-1"});
    CHECK(context.secrets == std::vector<std::pair<std::string, std::string>>{{"the token", "a-token-long-enough"}});
    CHECK_FALSE(context.mock);
    // The Options given are read, never changed.
    CHECK(o.token == std::nullopt);

    // Without the flag the file's id is used; without either (and no variable) the run is refused.
    const auto unflagged = parse_options(
        {"run", "--base-url", "http://127.0.0.1:9", "--fixtures", file.string(), "--case", "D5-nonexistent-id"});
    CHECK(resolve_run(contract, unflagged, test_contracts::vod_paths(), k_no_environment, false).project_id.value ==
          "file-project");
    const auto bare = parse_options({"run", "--base-url", "http://127.0.0.1:9", "--case", "D5-nonexistent-id"});
    CHECK(usage_error([&] { resolve_run(contract, bare, test_contracts::vod_paths(), k_no_environment, false); }) ==
          "no project id: give --project-id, HUAWEICLOUD_SDK_PROJECT_ID or project_id in the fixtures file");
}

TEST_CASE("the environment's temporary folder and console settings are read once and checked", "[context]")
{
    CHECK(resolve_temp_dir(k_no_environment) == "/tmp");
    CHECK(resolve_temp_dir(environment({{"TMPDIR", CONFORM_TEST_OUTPUT}})) == CONFORM_TEST_OUTPUT);
    try {
        resolve_temp_dir(environment({{"TMPDIR", "/nonexistent"}}));
        FAIL("accepted a TMPDIR that does not exist");
    } catch (const util::Error& e) {
        CHECK(e.kind() == util::ErrorKind::environment);
        CHECK(exit_code_for(e) == k_exit_environment);
        CHECK(std::string(e.what()) ==
              "the temporary folder /nonexistent (TMPDIR) is not a folder: set TMPDIR to one, or unset it");
    }

    CHECK_FALSE(resolve_console(k_no_environment, false).colour);
    CHECK_FALSE(resolve_console(k_no_environment, true).terminal);  // TERM unset: dumb
    const auto terminal = resolve_console(environment({{"TERM", "xterm"}}), true);
    CHECK(terminal.colour);
    CHECK(terminal.terminal);
    CHECK_FALSE(resolve_console(environment({{"TERM", "xterm"}, {"NO_COLOR", "1"}}), true).colour);
}

TEST_CASE("the secrets a run masks: the credentials and a password in the base URL, each named", "[context]")
{
    const engine::Credentials aksk{engine::Credentials::Mode::aksk, "", {"access", "secret"}};
    const auto secrets = run_secrets(aksk, "https://user:hunter22@vod.example");
    REQUIRE(secrets.size() == 4);
    CHECK(secrets[0] == std::pair<std::string, std::string>{"the AK", "access"});
    CHECK(secrets[1] == std::pair<std::string, std::string>{"the SK", "secret"});
    CHECK(secrets[2] == std::pair<std::string, std::string>{"the password in --base-url", "hunter22"});
    CHECK(secrets[3] == std::pair<std::string, std::string>{"the password in --base-url", "user:hunter22"});
    CHECK(run_secrets({}, "https://vod.example").empty());
}
