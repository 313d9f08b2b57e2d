#include "context.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include "cli.hpp"
#include "contract/json_file.hpp"
#include "interrupt.hpp"
#include "util/atomic_file.hpp"
#include "util/random_id.hpp"

namespace conform {

namespace {

using util::UsageError;

compare::Baseline load_run_baseline(const contract::Contract& contract, const Options& o,
                                    const contract::ContractPaths& paths)
{
    if (!o.baseline) {
        return {};
    }
    compare::Baseline baseline;
    try {
        baseline =
            compare::load_baseline(*o.baseline, contract::read_json_file(paths.schemas / "baseline.schema.json"));
    } catch (const util::FileError& e) {
        throw util::Error(util::ErrorKind::input, std::string("--baseline: ") + e.what());
    }
    std::vector<std::string> ids;
    for (const auto& c : contract.cases()) {
        ids.push_back(c.id);
    }
    for (const auto& id : compare::unknown_cases(baseline, ids)) {
        fmt::print(stderr, "conform: warning: {} lists case '{}', which the contract does not have\n",
                   o.baseline->string(), id);
    }
    return baseline;
}

// --mock: the bundled mock, seeded with enough assets of every kind for the selected cases and
// started with this run's credentials and project id; its fixtures file is read and removed.
void start_mock(RunContext& context, const contract::Contract& contract, const Options& o)
{
    const auto seed = engine::fixtures_per_kind(context.selected, contract.generated_kinds());
    const MockFixturesFile fixtures_file(context.temp_dir);  // removed whatever happens next
    std::vector<std::string> args = {"--host",         "127.0.0.1",
                                     "--port",         "0",
                                     "--seed",         std::to_string(o.provision ? 0 : seed),
                                     "--project-id",   context.project_id.value,
                                     "--fixtures-out", fixtures_file.path().string()};
    const auto& credentials = context.credentials;
    if (credentials.mode == engine::Credentials::Mode::token) {
        args.insert(args.end(), {"--token", credentials.token});
    } else {
        args.insert(args.end(), {"--ak", credentials.aksk.access_key, "--sk", credentials.aksk.secret_key});
    }
    args.insert(args.end(), o.mock_args.begin(), o.mock_args.end());
    // Interrupted before or while the mock starts: no mock, and every case not run.
    try {
        if (!interrupt::requested()) {
            context.mock =
                std::make_shared<MockProcess>(o.mock_binary.value_or(sibling_mock_binary()), args, interrupt::token());
        }
    } catch (const MockError&) {
        if (!interrupt::requested()) {
            throw;
        }
    }
    if (!context.mock) {
        context.base_url = "http://127.0.0.1";  // the host the mock would have had
        return;
    }
    context.base_url = context.mock->base_url();
    context.pool = engine::FixturePool::load(fixtures_file.path(), contract);
}

}  // namespace

engine::Credentials resolve_credentials(const Options& o, const Environment& env)
{
    auto token = o.token, ak = o.ak, sk = o.sk;
    if (!token && !ak && !sk) {
        token = env("CONFORM_TOKEN");
        ak = env("HUAWEICLOUD_SDK_AK");
        sk = env("HUAWEICLOUD_SDK_SK");
    }
    if (ak.has_value() != sk.has_value()) {
        throw UsageError("--ak and --sk go together (or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK)");
    }
    if (token && ak) {
        throw UsageError("give either a token or an AK/SK pair, not both");
    }
    if (ak) {
        return {engine::Credentials::Mode::aksk, "", {*ak, *sk}};
    }
    if (token) {
        return {engine::Credentials::Mode::token, *token, {}};
    }
    return {};
}

std::optional<ProjectId> resolve_project_id(const Options& o, const Environment& env,
                                            const contract::Bindings& fixtures_file)
{
    if (o.project_id) {
        return ProjectId{*o.project_id, ProjectIdSource::flag};
    }
    if (auto value = env("HUAWEICLOUD_SDK_PROJECT_ID")) {
        return ProjectId{*value, ProjectIdSource::environment};
    }
    const auto it = fixtures_file.find("project_id");
    if (it != fixtures_file.end() && it->second.is_string()) {
        return ProjectId{it->second.get<std::string>(), ProjectIdSource::fixtures_file};
    }
    return std::nullopt;
}

std::filesystem::path resolve_temp_dir(const Environment& env)
{
    const auto value = env("TMPDIR");
    const std::filesystem::path dir = value.value_or("/tmp");
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) {
        throw util::Error(util::ErrorKind::environment,
                          fmt::format("the temporary folder {}{} is not a folder{}", dir.string(),
                                      value ? " (TMPDIR)" : "", value ? ": set TMPDIR to one, or unset it" : ""));
    }
    return dir;
}

Console resolve_console(const Environment& env, bool stdout_is_terminal)
{
    return {stdout_is_terminal && !env("NO_COLOR"), stdout_is_terminal && env("TERM").value_or("dumb") != "dumb"};
}

std::vector<std::pair<std::string, std::string>> run_secrets(const engine::Credentials& credentials,
                                                             const std::string& base_url)
{
    std::vector<std::pair<std::string, std::string>> secrets = {{"the token", credentials.token},
                                                                {"the AK", credentials.aksk.access_key},
                                                                {"the SK", credentials.aksk.secret_key}};
    std::erase_if(secrets, [](const auto& named) { return named.second.empty(); });
    for (const auto& secret : engine::userinfo_secrets(base_url)) {
        secrets.emplace_back("the password in --base-url", secret);
    }
    return secrets;
}

RunContext resolve_run(const contract::Contract& contract, const Options& o, const contract::ContractPaths& paths,
                       const Environment& env, bool stdout_is_terminal)
{
    RunContext context;
    context.selected = select_cases(contract, o);
    context.baseline = load_run_baseline(contract, o, paths);
    context.credentials = resolve_credentials(o, env);
    context.temp_dir = resolve_temp_dir(env);
    context.console = resolve_console(env, stdout_is_terminal);
    context.base_url = o.base_url;
    if (o.mock) {
        if (context.credentials.mode == engine::Credentials::Mode::none) {
            context.credentials = {engine::Credentials::Mode::token, "mock-token-" + util::random_id(), {}};
        }
        context.project_id =
            resolve_project_id(o, env, {})
                .value_or(ProjectId{"conform" + util::random_id().substr(0, 25), ProjectIdSource::generated});
        start_mock(context, contract, o);
    } else {
        if (o.fixtures) {
            context.pool = engine::FixturePool::load(*o.fixtures, contract);
        }
        const auto project_id = resolve_project_id(o, env, context.pool.run_bindings);
        if (!project_id) {
            throw UsageError(
                "no project id: give --project-id, HUAWEICLOUD_SDK_PROJECT_ID or project_id in the fixtures file");
        }
        context.project_id = *project_id;
    }
    context.fixture_ids = context.pool.all_ids();
    if (o.fixtures && o.shard) {
        context.pool = context.pool.slice(o.shard->index, o.shard->count);
    }
    context.secrets = run_secrets(context.credentials, context.base_url);
    return context;
}

}  // namespace conform
