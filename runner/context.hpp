// One `conform run`, resolved before anything is sent: the flags, the environment, the fixtures
// file and the contract read once into a value. The only place that reads the environment; what
// comes after (the plan, the engine, the judge, the reporters) reads this value only.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "compare/baseline.hpp"
#include "contract/contract.hpp"
#include "engine/fixtures.hpp"
#include "engine/run.hpp"
#include "mock_process.hpp"
#include "options.hpp"

namespace conform {

// Where the project id came from. Documented precedence (conform --help, README): the flag,
// then HUAWEICLOUD_SDK_PROJECT_ID, then the fixtures file's project_id; with --mock and none of
// them, a fresh one the mock is started with.
enum class ProjectIdSource { flag, environment, fixtures_file, generated };

struct ProjectId {
    std::string value;
    ProjectIdSource source = ProjectIdSource::flag;
};

// How standard output shows the run (the console reporter).
struct Console {
    bool colour = false;    // a terminal, and NO_COLOR unset
    bool terminal = false;  // a terminal that is not TERM=dumb: a progress line
};

struct RunContext {
    std::vector<const contract::Case*> selected;
    compare::Baseline baseline;  // empty without --baseline
    std::string base_url;        // --base-url, or the started mock's
    engine::Credentials credentials;
    ProjectId project_id;
    engine::FixturePool pool;           // this shard's ids, and the file's run bindings
    std::set<std::string> fixture_ids;  // the whole file's: the ledger describes every shard's
    // Named ("the token"), so that a too-short one can be pointed at without being shown.
    std::vector<std::pair<std::string, std::string>> secrets;
    std::filesystem::path temp_dir;  // TMPDIR (or /tmp), checked to be a folder
    Console console;
    std::shared_ptr<MockProcess> mock;  // with --mock: running until the last copy goes
};

// Credentials: those on the command line win; CONFORM_TOKEN, HUAWEICLOUD_SDK_AK and
// HUAWEICLOUD_SDK_SK are read only without them. A UsageError when they contradict each other.
engine::Credentials resolve_credentials(const Options& o, const Environment& env);

// The project id by the documented precedence; nullopt when none of them gives one.
std::optional<ProjectId> resolve_project_id(const Options& o, const Environment& env,
                                            const contract::Bindings& fixtures_file);

// TMPDIR, or /tmp; a util::Error (environment) naming it when it is not a folder.
std::filesystem::path resolve_temp_dir(const Environment& env);

Console resolve_console(const Environment& env, bool stdout_is_terminal);

// The secrets the reports mask: the credentials and a password in the base URL.
std::vector<std::pair<std::string, std::string>> run_secrets(const engine::Credentials& credentials,
                                                             const std::string& base_url);

// Everything above, with the cases selected, the baseline loaded and the fixtures read: from
// --fixtures, or from the mock started here with --mock. Throws util::Error (usage, input or
// environment) naming the flag, variable or file.
RunContext resolve_run(const contract::Contract& contract, const Options& o, const contract::ContractPaths& paths,
                       const Environment& env, bool stdout_is_terminal);

}  // namespace conform
