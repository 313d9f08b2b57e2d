#include "cli.hpp"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <unistd.h>

#include "contract/contract.hpp"
#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "engine/fixtures.hpp"
#include "engine/ledger.hpp"
#include "engine/run.hpp"
#include "mock_process.hpp"
#include "plan.hpp"
#include "util/atomic_file.hpp"
#include "report/console.hpp"
#include "report/contract_digest.hpp"
#include "report/html.hpp"
#include "report/markdown.hpp"
#include "report/results_json.hpp"
#include "report/junit.hpp"
#include "util/args.hpp"
#include "util/atomic_file.hpp"
#include "util/random_id.hpp"

namespace conform {

namespace {

constexpr const char* k_usage = R"(conform - run the Huawei Cloud VOD media-asset contract against an endpoint

usage:
  conform run  (--mock | --base-url URL) [options]
  conform list [--cases DIR] [--schemas DIR] [--tag TAG]... [--level MUST|SHOULD] [--fixtures-needed]
  conform lint [--cases DIR] [--schemas DIR]
  conform report --from FILE... [--junit FILE] [--junit-form FORM] [--html FILE] [--markdown FILE]
  conform --help | --version

run options:
  --mock                  start the bundled vod-mock on a free loopback port and run against it
  --base-url URL          the endpoint, e.g. https://vod.cn-north-4.myhuaweicloud.com
  --project-id ID         project id in the paths (or HUAWEICLOUD_SDK_PROJECT_ID, or the fixtures file)
  --token TOKEN           IAM token, sent as X-Auth-Token (or CONFORM_TOKEN)
  --ak AK --sk SK         sign requests with SDK-HMAC-SHA256 (or HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK)
  --fixtures FILE         asset ids by kind: {"project_id": "...", "assets": {"PUBLISHED": ["id", ...]}}
  --junit FILE            JUnit XML report (default reports/junit.xml)
  --junit-form FORM       portable (default; valid against the Jenkins xUnit XSD) or extended
                          (adds testcase file/line and properties, read by GitLab and GitHub reporters)
  --json FILE             results as JSON (schemas/results.schema.json), for conform report
  --html FILE             one self-contained HTML page: verdict, operations x rules, each case
  --markdown FILE         a short summary for a CI job summary or a merge-request note
  --cases DIR             case files (default: the installed or source tree's cases/)
  --schemas DIR           schemas and contract.json (default: the installed or source tree's schemas/)
  --case ID               run only this case (repeatable)
  --tag TAG               run only cases with this tag (repeatable: any of them)
  --level MUST|SHOULD     run only cases of this level
  --jobs N                cases run concurrently (default 4; steps within a case stay in order)
  --timeout SECONDS       per request (default 30)
  --rate N/PERIOD         send at most N requests per PERIOD across all jobs (s, sec, min, m, h or
                          seconds: 100/min, 30/3s); without it the pace adapts to the endpoint's 429s
  --throttle-budget SECONDS  how long one request may keep being throttled (429) and resent before
                          its case ends as an error (default 300)
  --allow-skips           exit 0 even when selected MUST cases could not run (fixtures missing)
  --settle SECONDS        how long a probe of a change is repeated until it holds (default 10; 0: once)
  --ignore-ledger         hand out fixtures the ledger (<fixtures>.ledger.json) lists as used up,
                          and do not record this run in it
  --insecure              do not verify TLS certificates
  --cacert FILE           extra CA certificates (PEM)
  --strict                SHOULD deviations fail the run too
  --run-name NAME         names this run in the reports, so merged reports stay apart
                          (default: the endpoint's host)
  --verbose               print every reason, not only the first
  --mock-binary PATH      vod-mock to start with --mock (default: next to conform)
  --mock-arg ARG          extra argument for vod-mock (repeatable), e.g. --mock-arg=--latency-ms=50

report options (render reports from saved results, e.g. the shards of one run):
  --from FILE             results written by conform run --json (repeatable)

list options:
  --fixtures-needed       print how many asset ids of each kind the selected cases take,
                          instead of the cases (what a fixtures file for a real account needs)

exit codes: 0 passed, 1 a case failed, 2 bad invocation or contract, 3 mock or report trouble,
            4 no failure but cases could not be evaluated (errors), 5 no failure or error but
            selected MUST cases did not run, 130 interrupted (the report is still written)
)";

std::atomic<bool> g_interrupted{false};

extern "C" void on_signal(int)
{
    g_interrupted.store(true);
    // A second Ctrl-C ends the run at once.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

using util::UsageError;

struct Options {
    std::string command;
    bool mock = false;
    std::string base_url;
    std::optional<std::string> project_id;
    std::optional<std::string> token, ak, sk;
    std::optional<std::filesystem::path> fixtures;
    std::optional<std::filesystem::path> junit;  // run: default reports/junit.xml
    std::optional<std::filesystem::path> json, html, markdown;
    std::vector<std::filesystem::path> from;
    report::JunitForm junit_form = report::JunitForm::portable;
    std::optional<std::filesystem::path> cases_dir, schemas_dir;
    std::set<std::string> case_ids, tags;
    std::optional<contract::Level> level;
    int jobs = 4;
    double timeout = 30;
    std::optional<engine::Rate> rate;
    double throttle_budget = 300;
    bool allow_skips = false;
    double settle = 10;
    bool ignore_ledger = false;
    bool insecure = false;
    std::string cacert;
    bool strict = false;
    std::string run_name;
    bool verbose = false;
    bool fixtures_needed = false;
    std::optional<std::filesystem::path> mock_binary;
    std::vector<std::string> mock_args;
};

std::optional<std::string> env(const char* name)
{
    const char* value = std::getenv(name);
    return value && *value ? std::optional<std::string>(value) : std::nullopt;
}

Options parse(int argc, char** argv)
{
    Options o;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        throw UsageError("no command given");
    }
    o.command = args[0];
    if (o.command != "run" && o.command != "list" && o.command != "lint" && o.command != "report") {
        throw UsageError("unknown command '" + o.command + "'");
    }
    util::ArgReader reader(std::vector<std::string>(args.begin() + 1, args.end()));
    while (reader.next()) {
        const auto& flag = reader.flag();
        auto only_for_run = [&] {
            if (o.command != "run" && o.command != "report") {
                throw UsageError(flag + " is an option of 'conform run', not of 'conform " + o.command + "'");
            }
        };
        if (flag == "--cases") {
            o.cases_dir = reader.value();
        } else if (flag == "--schemas") {
            o.schemas_dir = reader.value();
        } else if (flag == "--tag") {
            o.tags.insert(reader.value());
        } else if (flag == "--level") {
            auto v = reader.value();
            if (v != "MUST" && v != "SHOULD") {
                throw UsageError("--level: '" + v + "' is neither MUST nor SHOULD");
            }
            o.level = v == "MUST" ? contract::Level::must : contract::Level::should;
        } else if (o.command == "lint") {
            throw UsageError("unknown option " + flag + " for 'conform lint'");
        } else if (o.command == "report" && flag == "--from") {
            o.from.emplace_back(reader.value());
        } else if (o.command == "report" && flag != "--junit" && flag != "--junit-form" && flag != "--html" && flag != "--markdown") {
            throw UsageError("unknown option " + flag + " for 'conform report'");
        } else if (flag == "--fixtures-needed" && o.command == "list") {
            o.fixtures_needed = true;
        } else if (flag == "--case") {
            o.case_ids.insert(reader.value());
        } else {
            only_for_run();
            if (flag == "--mock") {
                o.mock = true;
            } else if (flag == "--base-url") {
                o.base_url = reader.value();
            } else if (flag == "--project-id") {
                o.project_id = reader.value();
            } else if (flag == "--token") {
                o.token = reader.value();
            } else if (flag == "--ak") {
                o.ak = reader.value();
            } else if (flag == "--sk") {
                o.sk = reader.value();
            } else if (flag == "--fixtures") {
                o.fixtures = reader.value();
            } else if (flag == "--junit") {
                o.junit = reader.value();
            } else if (flag == "--json") {
                o.json = reader.value();
            } else if (flag == "--html") {
                o.html = reader.value();
            } else if (flag == "--markdown") {
                o.markdown = reader.value();
            } else if (flag == "--junit-form") {
                auto v = reader.value();
                if (v != "portable" && v != "extended") {
                    throw UsageError("--junit-form: '" + v + "' is neither portable nor extended");
                }
                o.junit_form = v == "portable" ? report::JunitForm::portable : report::JunitForm::extended;
            } else if (flag == "--jobs") {
                o.jobs = static_cast<int>(reader.whole(1, 64));
            } else if (flag == "--timeout") {
                o.timeout = reader.number(0.1, 3600);
            } else if (flag == "--rate") {
                try {
                    o.rate = engine::parse_rate(reader.value());
                } catch (const std::invalid_argument& e) {
                    throw UsageError(std::string("--rate: ") + e.what());
                }
            } else if (flag == "--throttle-budget") {
                o.throttle_budget = reader.number(0, 86400);
            } else if (flag == "--allow-skips") {
                o.allow_skips = true;
            } else if (flag == "--settle") {
                o.settle = reader.number(0, 3600);
            } else if (flag == "--ignore-ledger") {
                o.ignore_ledger = true;
            } else if (flag == "--insecure") {
                o.insecure = true;
            } else if (flag == "--cacert") {
                o.cacert = reader.value();
            } else if (flag == "--strict") {
                o.strict = true;
            } else if (flag == "--run-name") {
                o.run_name = reader.value();
            } else if (flag == "--verbose") {
                o.verbose = true;
            } else if (flag == "--mock-binary") {
                o.mock_binary = reader.value();
            } else if (flag == "--mock-arg") {
                o.mock_args.push_back(reader.value());
            } else {
                throw UsageError("unknown option " + flag);
            }
        }
    }
    if (o.command == "report" && o.from.empty()) {
        throw UsageError("conform report needs --from FILE (results of conform run --json)");
    }
    if (o.command != "run") {
        return o;
    }
    // Credentials on the command line win; the environment is read only without them.
    if (!o.token && !o.ak && !o.sk) {
        o.token = env("CONFORM_TOKEN");
        o.ak = env("HUAWEICLOUD_SDK_AK");
        o.sk = env("HUAWEICLOUD_SDK_SK");
    }
    o.project_id = o.project_id ? o.project_id : env("HUAWEICLOUD_SDK_PROJECT_ID");
    if (o.ak.has_value() != o.sk.has_value()) {
        throw UsageError("--ak and --sk go together");
    }
    if (o.token && o.ak) {
        throw UsageError("give either a token or an AK/SK pair, not both");
    }
    if (o.mock && (!o.base_url.empty() || o.fixtures)) {
        throw UsageError("--mock starts its own endpoint and fixtures: drop --base-url and --fixtures");
    }
    if (!o.mock && o.base_url.empty()) {
        throw UsageError("give --base-url URL, or --mock to run against the bundled mock");
    }
    if (!o.mock && !o.base_url.starts_with("http://") && !o.base_url.starts_with("https://")) {
        throw UsageError("--base-url: '" + o.base_url + "' is not an http:// or https:// URL");
    }
    if (!o.cacert.empty() && !std::filesystem::exists(o.cacert)) {
        throw UsageError("--cacert: " + o.cacert + " not found");
    }
    return o;
}

// The endpoint's host without its port: the default run name, stable across mock ports.
std::string host_of(const std::string& base_url)
{
    const auto authority = engine::authority_of(base_url);
    const auto colon = authority.rfind(':');
    const auto bracket = authority.rfind(']');
    return colon == std::string::npos || (bracket != std::string::npos && colon < bracket) ? authority : authority.substr(0, colon);
}

contract::ContractPaths contract_paths(const Options& o, const char* argv0)
{
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    auto defaults = contract::default_contract_paths(ec ? std::filesystem::path(argv0) : self);
    return {o.schemas_dir.value_or(defaults.schemas), o.cases_dir.value_or(defaults.cases)};
}

std::vector<const contract::Case*> select_cases(const contract::Contract& contract, const Options& o)
{
    std::vector<const contract::Case*> out;
    std::set<std::string> unknown = o.case_ids;
    for (const auto& c : contract.cases()) {
        unknown.erase(c.id);
        if (!o.case_ids.empty() && !o.case_ids.count(c.id)) {
            continue;
        }
        if (!o.tags.empty() && std::none_of(o.tags.begin(), o.tags.end(), [&](const auto& t) { return c.has_tag(t); })) {
            continue;
        }
        if (o.level && c.level != *o.level) {
            continue;
        }
        out.push_back(&c);
    }
    if (!unknown.empty()) {
        throw UsageError("--case: no case with id '" + *unknown.begin() + "' (see conform list)");
    }
    return out;
}

int lint(const contract::Contract& contract)
{
    std::vector<std::string> uncovered;
    for (const auto& rule : contract.rules()) {
        if (std::none_of(contract.cases().begin(), contract.cases().end(), [&](const contract::Case& c) {
                return std::find(c.rules.begin(), c.rules.end(), rule.id) != c.rules.end();
            })) {
            uncovered.push_back(rule.id);
        }
    }
    for (const auto& id : uncovered) {
        fmt::print(stderr, "conform lint: rule {} has no case\n", id);
    }
    if (!uncovered.empty()) {
        return k_exit_usage;
    }
    fmt::print("contract ok: {} cases, {} rules, {} operations, {} schemas\n", contract.cases().size(),
               contract.rules().size(), contract.operations().size(), contract.schemas().names().size());
    return k_exit_ok;
}

// Finishes each file report; one that cannot be written does not stop the others.
int finish_reports(const std::vector<std::pair<report::Reporter*, std::filesystem::path>>& reports, const engine::RunResult& run)
{
    int code = k_exit_ok;
    for (const auto& [reporter, path] : reports) {
        try {
            reporter->run_finished(run);
            fmt::print("report: {}\n", path.string());
        } catch (const util::FileError& e) {
            fmt::print(stderr, "conform: {}\n", e.what());
            code = k_exit_environment;
        }
    }
    return code;
}

// The reports both run and report write besides JUnit and JSON.
void add_page_reports(const Options& o, const report::ReportContext& context, std::vector<std::unique_ptr<report::Reporter>>& owned,
                      std::vector<std::pair<report::Reporter*, std::filesystem::path>>& files)
{
    if (o.html) {
        owned.push_back(std::make_unique<report::HtmlReporter>(*o.html, context));
        files.emplace_back(owned.back().get(), *o.html);
    }
    if (o.markdown) {
        owned.push_back(std::make_unique<report::MarkdownReporter>(*o.markdown, context));
        files.emplace_back(owned.back().get(), *o.markdown);
    }
}

// conform report: the reports of saved results, rendered as the run would have.
int render(const Options& o, const contract::ContractPaths& paths)
{
    report::LoadedResults loaded;
    try {
        loaded = report::load_results(o.from, contract::read_json_file(paths.schemas / "results.schema.json"));
    } catch (const util::FileError& e) {
        fmt::print(stderr, "conform report: {}\n", e.what());
        return k_exit_usage;
    }
    std::vector<std::unique_ptr<report::Reporter>> owned;
    std::vector<std::pair<report::Reporter*, std::filesystem::path>> reports;
    if (o.junit) {
        owned.push_back(std::make_unique<report::JunitReporter>(*o.junit, loaded.context, o.junit_form));
        reports.emplace_back(owned.back().get(), *o.junit);
    }
    add_page_reports(o, loaded.context, owned, reports);
    if (reports.empty()) {
        fmt::print(stderr, "conform report: nothing to write: give --junit, --html or --markdown\n");
        return k_exit_usage;
    }
    for (auto& [reporter, path] : reports) {
        for (const auto& r : loaded.run.cases) {
            reporter->case_finished(r);
        }
    }
    return finish_reports(reports, loaded.run);
}

// 130 > 1 (a deviation) > 4 (could not evaluate) > 5 (MUST cases not run) > 0.
int exit_code(const engine::RunResult& result, const Options& o)
{
    if (result.interrupted) {
        return k_exit_interrupted;
    }
    auto any = [&](auto&& predicate) { return std::any_of(result.cases.begin(), result.cases.end(), predicate); };
    if (any([&](const engine::CaseResult& r) { return r.outcome == engine::Outcome::failed && report::gates(r, o.strict); })) {
        return k_exit_failed;
    }
    if (any([](const engine::CaseResult& r) { return r.outcome == engine::Outcome::error; })) {
        return k_exit_not_evaluated;
    }
    std::size_t unrun = 0;
    const engine::CaseResult* first = nullptr;
    for (const auto& r : result.cases) {
        // A case that cannot apply to these credentials is no gap in the run.
        if (r.outcome == engine::Outcome::skipped && r.cause != engine::Cause::not_applicable
            && (o.strict || r.test_case->level == contract::Level::must)) {
            first = first ? first : &r;
            ++unrun;
        }
    }
    if (unrun == 0 || o.allow_skips) {
        return k_exit_ok;
    }
    fmt::print(stderr, "conform: {} selected {} case(s) did not run, e.g. {}: {}\n"
                       "conform: exit {}: the run proves nothing about them (--allow-skips accepts this)\n",
               unrun, o.strict ? "MUST or SHOULD" : "MUST", first->test_case->id, first->message, int(k_exit_not_run));
    return k_exit_not_run;
}

int run(const contract::Contract& contract, Options o, const contract::ContractPaths& paths)
{
    auto selected = select_cases(contract, o);
    std::unique_ptr<MockProcess> mock;
    engine::FixturePool pool;
    engine::Credentials credentials;
    if (o.ak) {
        credentials = {engine::Credentials::Mode::aksk, "", {*o.ak, *o.sk}};
    } else if (o.token) {
        credentials = {engine::Credentials::Mode::token, *o.token, {}};
    }

    std::filesystem::path fixtures_file;
    if (o.mock) {
        if (credentials.mode == engine::Credentials::Mode::none) {
            credentials = {engine::Credentials::Mode::token, "mock-token-" + util::random_id(), {}};
        }
        o.project_id = o.project_id.value_or("conform" + util::random_id().substr(0, 25));
        const auto seed = engine::fixtures_per_kind(selected, contract.generated_kinds());
        fixtures_file = std::filesystem::temp_directory_path() / ("conform-fixtures-" + std::to_string(::getpid()) + ".json");
        std::vector<std::string> args = {"--host", "127.0.0.1", "--port", "0", "--seed", std::to_string(seed),
                                         "--project-id", *o.project_id, "--fixtures-out", fixtures_file.string()};
        if (credentials.mode == engine::Credentials::Mode::token) {
            args.insert(args.end(), {"--token", credentials.token});
        } else {
            args.insert(args.end(), {"--ak", credentials.aksk.access_key, "--sk", credentials.aksk.secret_key});
        }
        args.insert(args.end(), o.mock_args.begin(), o.mock_args.end());
        try {
            mock = std::make_unique<MockProcess>(o.mock_binary.value_or(sibling_mock_binary()), args);
        } catch (const MockError& e) {
            fmt::print(stderr, "conform: {}\n", e.what());
            return k_exit_environment;
        }
        o.base_url = mock->base_url();
        pool = engine::FixturePool::load(fixtures_file);
        std::filesystem::remove(fixtures_file);
    } else if (o.fixtures) {
        pool = engine::FixturePool::load(*o.fixtures);
    }
    if (pool.project_id) {
        o.project_id = pool.project_id;
    }
    if (!o.project_id) {
        throw UsageError("no project id: give --project-id, HUAWEICLOUD_SDK_PROJECT_ID or project_id in the fixtures file");
    }
    if (credentials.mode == engine::Credentials::Mode::none) {
        fmt::print(stderr, "conform: no credentials given: requests go unauthenticated\n");
    }

    engine::RunOptions options;
    options.base_url = o.base_url;
    options.project_id = *o.project_id;
    options.credentials = credentials;
    options.jobs = o.jobs;
    options.interrupted = &g_interrupted;
    options.keep_exchanges = false;  // the JUnit reporter spools them as cases finish
    options.quota.rate = o.rate;
    options.quota.budget_seconds = o.throttle_budget;
    options.settle.deadline_seconds = o.settle;
    // Named, so a too-short one can be pointed at without being shown.
    std::vector<std::pair<std::string, std::string>> secrets = {
        {"the token", credentials.token}, {"the AK", credentials.aksk.access_key}, {"the SK", credentials.aksk.secret_key}};
    for (const auto& secret : engine::userinfo_secrets(o.base_url)) {
        secrets.emplace_back("the password in --base-url", secret);
    }
    std::set<std::string> warned;
    for (const auto& [what, secret] : secrets) {
        if (!secret.empty() && !options.redactor.add_secret(secret) && warned.insert(what).second) {
            fmt::print(stderr, "conform: warning: {} is shorter than {} characters: it is masked in credential headers, "
                               "but not where a response or message repeats it\n",
                       what, http::Redactor::k_min_secret_length);
        }
    }

    std::vector<engine::Allocation> allocations;
    auto allocate = [&](const engine::UsedUp& used_up) {
        engine::FixtureAllocator allocator(pool, contract.generated_kinds(), used_up);
        for (const auto* c : selected) {
            allocations.push_back(allocator.allocate(*c));
        }
        return allocator.handouts();
    };
    if (o.fixtures && !o.ignore_ledger) {
        // Recorded before the first request: a run that dies midway has still used them.
        try {
            engine::Ledger(*o.fixtures).record(pool.all_ids(), allocate);
        } catch (const util::FileError& e) {
            fmt::print(stderr, "conform: the fixtures ledger: {} (--ignore-ledger runs without it)\n", e.what());
            return k_exit_environment;
        }
    } else {
        allocate({});
    }

    PlanInput plan{selected, allocations, engine::fixture_demand(selected, contract.generated_kinds()), {}, o.rate, o.jobs};
    for (const auto& [kind, ids] : pool.ids_by_kind) {
        plan.fixtures_given[kind] = ids.size();
    }
    fmt::print("{}\n", plan_text(plan));
    std::fflush(stdout);

    report::ReportContext context;
    context.endpoint = engine::without_userinfo(o.base_url);
    context.run_name = o.run_name.empty() ? host_of(o.base_url) : o.run_name;
    context.hostname = report::local_hostname();
    context.strict = o.strict;
    context.redactor = options.redactor;
    context.rules = contract.rules();
    context.contract_digest = report::contract_digest(paths.schemas, paths.cases);
    const bool colour = ::isatty(STDOUT_FILENO) && !env("NO_COLOR");
    const bool terminal = ::isatty(STDOUT_FILENO) && env("TERM").value_or("dumb") != "dumb";
    report::ConsoleReporter console(stdout, context, colour, o.verbose, terminal, selected.size());
    const auto junit_path = o.junit.value_or("reports/junit.xml");
    report::JunitReporter junit(junit_path, context, o.junit_form);
    std::vector<std::pair<report::Reporter*, std::filesystem::path>> files = {{&junit, junit_path}};
    std::vector<std::unique_ptr<report::Reporter>> owned;
    if (o.json) {
        owned.push_back(std::make_unique<report::JsonReporter>(*o.json, context));
        files.emplace_back(owned.back().get(), *o.json);
    }
    add_page_reports(o, context, owned, files);
    std::vector<report::Reporter*> all = {&console};
    for (const auto& [reporter, path] : files) {
        all.push_back(reporter);
    }
    report::Reporters reporters(all);

    engine::TransportOptions transport{o.base_url, o.timeout, o.insecure, o.cacert, 8 * 1024 * 1024, &g_interrupted};
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    auto result = engine::run_cases(contract, selected, allocations, engine::curl_transport_factory(transport), options, reporters);
    mock.reset();

    console.run_finished(result);
    if (finish_reports(files, result) != k_exit_ok) {
        return k_exit_environment;
    }
    return exit_code(result, o);
}

}  // namespace

int cli_main(int argc, char** argv)
{
    if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
        fmt::print("{}", k_usage);
        return k_exit_ok;
    }
    if (argc == 2 && std::string(argv[1]) == "--version") {
        fmt::print("conform {}\n", CONFORM_VERSION);
        return k_exit_ok;
    }
    try {
        auto options = parse(argc, argv);
        const auto paths = contract_paths(options, argv[0]);
        if (options.command == "report") {
            return render(options, paths);
        }
        auto contract = contract::Contract::load(paths);
        if (options.command == "lint") {
            return lint(contract);
        }
        if (options.command == "list") {
            const auto selected = select_cases(contract, options);
            if (options.fixtures_needed) {
                for (const auto& [kind, count] : engine::fixture_demand(selected, contract.generated_kinds())) {
                    fmt::print("{}  {}\n", kind, count);
                }
                return k_exit_ok;
            }
            for (const auto* c : selected) {
                fmt::print("{}  {}  {}\n", c->id, c->operation, contract::to_string(c->level));
            }
            return k_exit_ok;
        }
        return run(contract, std::move(options), paths);
    } catch (const UsageError& e) {
        fmt::print(stderr, "conform: {}\nsee 'conform --help'\n", e.what());
        return k_exit_usage;
    } catch (const contract::ContractError& e) {
        for (const auto& p : e.problems()) {
            fmt::print(stderr, "conform: {}\n", p.to_string());
        }
        return k_exit_usage;
    }
}

}  // namespace conform
