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

#include "compare/baseline.hpp"
#include "compare/diff.hpp"
#include "compare/drift_text.hpp"
#include "contract/contract.hpp"
#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "engine/fixtures.hpp"
#include "engine/ledger.hpp"
#include "engine/run.hpp"
#include "generate/generator.hpp"
#include "mock_process.hpp"
#include "options.hpp"
#include "plan.hpp"
#include "provision_cmd.hpp"
#include "report/console.hpp"
#include "report/contract_digest.hpp"
#include "report/html.hpp"
#include "report/junit.hpp"
#include "report/markdown.hpp"
#include "report/results_json.hpp"
#include "util/args.hpp"
#include "util/atomic_file.hpp"
#include "util/process.hpp"
#include "util/random_id.hpp"
#include "util/utc_time.hpp"

namespace conform {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_signal(int)
{
    g_interrupted.store(true);
    // A second Ctrl-C ends the run at once.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

using util::UsageError;

contract::ContractPaths contract_paths(const Options& o, const char* argv0)
{
    auto defaults =
        contract::default_contract_paths(util::executable_path(argv0), CONFORM_INSTALL_DATADIR, CONFORM_SOURCE_DIR);
    return {o.schemas_dir.value_or(defaults.schemas), o.cases_dir.value_or(defaults.cases)};
}

}  // namespace

std::vector<const contract::Case*> select_cases(const contract::Contract& contract, const Options& o)
{
    std::vector<const contract::Case*> out;
    std::set<std::string> unknown = o.case_ids;
    const bool generated = o.generated.value_or(o.mock);
    for (const auto& c : contract.cases()) {
        if (c.generated && !generated) {
            continue;
        }
        unknown.erase(c.id);
        if (!o.case_ids.empty() && !o.case_ids.count(c.id)) {
            continue;
        }
        if (!o.tags.empty() &&
            std::none_of(o.tags.begin(), o.tags.end(), [&](const auto& t) { return c.has_tag(t); })) {
            continue;
        }
        if (o.level && c.level != *o.level) {
            continue;
        }
        out.push_back(&c);
    }
    if (!unknown.empty()) {
        throw UsageError("--case: no case with id '" + *unknown.begin() + "' (see conform list" +
                         (generated ? "" : "; generated cases need --generated") + ")");
    }
    return o.shard ? engine::shard_cases(out, *o.shard) : out;
}

namespace {

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
    const auto generated =
        std::count_if(contract.cases().begin(), contract.cases().end(), [](const auto& c) { return c.generated; });
    fmt::print("contract ok: {} cases ({} generated), {} rules, {} operations, {} schemas\n", contract.cases().size(),
               generated, contract.rules().size(), contract.operations().size(), contract.schemas().names().size());
    return k_exit_ok;
}

// What the selected cases cost an endpoint, on stderr so that stdout stays "KIND  COUNT" lines.
void print_cost(const std::vector<const contract::Case*>& selected, std::size_t assets,
                const std::set<std::string>& made_up)
{
    std::size_t requests = 0, consumed = 0;
    for (const auto* c : selected) {
        requests += c->steps.size();
        consumed += std::count_if(c->fixtures.begin(), c->fixtures.end(), [&](const auto& f) {
            return !made_up.count(f.second) && !c->leaves_unchanged(f.first);
        });
    }
    fmt::print(stderr,
               "{} cases: {} requests when every probe holds at once; {} assets, {} of them consumed, {} shared\n",
               selected.size(), requests, assets, consumed, assets - consumed);
}

// Finishes each file report; one that cannot be written does not stop the others.
int finish_reports(const std::vector<std::pair<report::Reporter*, std::filesystem::path>>& reports,
                   const engine::RunResult& run)
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
void add_page_reports(const Options& o, const report::ReportContext& context,
                      std::vector<std::unique_ptr<report::Reporter>>& owned,
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

// conform baseline: the failures of saved results, as known deviations for conform run --baseline.
int write_baseline(const Options& o, const contract::ContractPaths& paths)
{
    report::LoadedResults loaded;
    try {
        loaded = report::load_results(o.from, contract::read_json_file(paths.schemas / "results.schema.json"));
    } catch (const util::FileError& e) {
        fmt::print(stderr, "conform baseline: {}\n", e.what());
        return k_exit_usage;
    }
    const auto reason = !o.reason.empty() ? o.reason
                                          : fmt::format("failed in the run of {} ({})",
                                                        util::format_utc(loaded.run.started, "%Y-%m-%d %H:%M UTC"),
                                                        loaded.context.run_name);
    const auto document = compare::baseline_json(loaded.run, reason);
    const auto text = document.dump(2) + "\n";
    if (!o.output) {
        fmt::print("{}", text);
    } else {
        try {
            util::write_file_atomically(*o.output, text);
        } catch (const util::FileError& e) {
            fmt::print(stderr, "conform baseline: {}\n", e.what());
            return k_exit_environment;
        }
    }
    fmt::print(stderr, "conform baseline: {} known deviation(s){}\n", document["known_deviations"].size(),
               o.output ? " written to " + o.output->string() : "");
    return k_exit_ok;
}

// conform diff: what changed between two runs; exit 1 when a case regressed (or, with
// --fail-on-drift, when anything drifted within the contract).
int compare_runs(const Options& o, const contract::ContractPaths& paths)
{
    report::LoadedResults before, after;
    try {
        const auto schema = contract::read_json_file(paths.schemas / "results.schema.json");
        before = report::load_results({o.compared[0]}, schema);
        after = report::load_results({o.compared[1]}, schema);
    } catch (const util::FileError& e) {
        fmt::print(stderr, "conform diff: {}\n", e.what());
        return k_exit_usage;
    }
    if (before.context.contract_digest != after.context.contract_digest) {
        // Not an error (a case added is the point of some diffs), but outcomes may differ for it.
        fmt::print(stderr, "conform diff: note: the runs used different contracts ({} and {})\n",
                   before.context.contract_digest, after.context.contract_digest);
    }
    const auto drift = compare::diff({before.run, before.context.strict}, {after.run, after.context.strict},
                                     {o.latency_ratio, o.latency_floor});
    fmt::print("{}",
               compare::drift_text(drift, o.compared[0].string(), o.compared[1].string(),
                                   o.drift_markdown ? compare::DriftFormat::markdown : compare::DriftFormat::text));
    return drift.regressed() || (o.fail_on_drift && drift.within_contract()) ? k_exit_failed : k_exit_ok;
}

// --baseline FILE, checked before anything is sent; an empty baseline marks nothing.
std::optional<compare::Baseline> run_baseline(const Options& o, const contract::Contract& contract,
                                              const contract::ContractPaths& paths)
{
    if (!o.baseline) {
        return compare::Baseline{};
    }
    try {
        auto baseline =
            compare::load_baseline(*o.baseline, contract::read_json_file(paths.schemas / "baseline.schema.json"));
        std::vector<std::string> ids;
        for (const auto& c : contract.cases()) {
            ids.push_back(c.id);
        }
        for (const auto& id : compare::unknown_cases(baseline, ids)) {
            fmt::print(stderr, "conform: warning: {} lists case '{}', which the contract does not have\n",
                       o.baseline->string(), id);
        }
        return baseline;
    } catch (const util::FileError& e) {
        fmt::print(stderr, "conform: --baseline: {}\n", e.what());
        return std::nullopt;
    }
}

}  // namespace

int exit_code(const engine::RunResult& result, const Options& o)
{
    if (result.interrupted) {
        return k_exit_interrupted;
    }
    auto any = [&](auto&& predicate) { return std::any_of(result.cases.begin(), result.cases.end(), predicate); };
    // A failed verdict: a deviation the baseline does not list, or (--strict-baseline) one it lists as fixed or
    // expired.
    if (any([&](const engine::CaseResult& r) { return report::verdict(r, o.strict) == report::Verdict::failed; })) {
        return k_exit_failed;
    }
    if (any([](const engine::CaseResult& r) { return r.outcome == engine::Outcome::error; })) {
        return k_exit_not_evaluated;
    }
    std::size_t unrun = 0;
    const engine::CaseResult* first = nullptr;
    for (const auto& r : result.cases) {
        // A case that cannot apply to these credentials is no gap in the run.
        if (r.outcome == engine::Outcome::skipped && r.cause != engine::Cause::not_applicable &&
            (o.strict || r.test_case->level == contract::Level::must)) {
            first = first ? first : &r;
            ++unrun;
        }
    }
    if (unrun == 0 || o.allow_skips) {
        return k_exit_ok;
    }
    fmt::print(stderr,
               "conform: {} selected {} case(s) did not run, e.g. {}: {}\n"
               "conform: exit {}: the run proves nothing about them (--allow-skips accepts this)\n",
               unrun, o.strict ? "MUST or SHOULD" : "MUST", first->test_case->id, first->message, int(k_exit_not_run));
    return k_exit_not_run;
}

namespace {

int run(const contract::Contract& contract, Options o, const contract::ContractPaths& paths)
{
    auto selected = select_cases(contract, o);
    const auto baseline = run_baseline(o, contract, paths);
    if (!baseline) {
        return k_exit_usage;
    }
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
        fixtures_file =
            std::filesystem::temp_directory_path() / ("conform-fixtures-" + std::to_string(::getpid()) + ".json");
        std::vector<std::string> args = {"--host",         "127.0.0.1",
                                         "--port",         "0",
                                         "--seed",         std::to_string(o.provision ? 0 : seed),
                                         "--project-id",   *o.project_id,
                                         "--fixtures-out", fixtures_file.string()};
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
        pool = engine::FixturePool::load(fixtures_file, contract);
        std::filesystem::remove(fixtures_file);
    } else if (o.fixtures) {
        pool = engine::FixturePool::load(*o.fixtures, contract);
    }
    const auto fixture_ids = pool.all_ids();  // the ledger describes the whole file, every shard's ids
    if (o.fixtures && o.shard) {
        pool = pool.slice(o.shard->index, o.shard->count);
    }
    if (pool.run_bindings.count("project_id")) {
        o.project_id = pool.run_bindings["project_id"].get<std::string>();
    }
    if (!o.project_id) {
        throw UsageError(
            "no project id: give --project-id, HUAWEICLOUD_SDK_PROJECT_ID or project_id in the fixtures file");
    }
    if (credentials.mode == engine::Credentials::Mode::none) {
        fmt::print(stderr, "conform: no credentials given: requests go unauthenticated\n");
    }

    engine::RunOptions options;
    options.base_url = o.base_url;
    options.run_bindings = pool.run_bindings;  // the fixtures file's, and the project id resolved above
    options.run_bindings["project_id"] = *o.project_id;
    options.credentials = credentials;
    options.jobs = o.jobs;
    options.interrupted = &g_interrupted;
    options.keep_exchanges = false;  // the JUnit reporter spools them as cases finish
    options.quota.rate = o.rate;
    options.quota.budget_seconds = o.throttle_budget;
    options.settle.deadline_seconds = o.settle;
    // Named, so a too-short one can be pointed at without being shown.
    std::vector<std::pair<std::string, std::string>> secrets = {{"the token", credentials.token},
                                                                {"the AK", credentials.aksk.access_key},
                                                                {"the SK", credentials.aksk.secret_key}};
    for (const auto& secret : engine::userinfo_secrets(o.base_url)) {
        secrets.emplace_back("the password in --base-url", secret);
    }
    std::set<std::string> warned;
    for (const auto& [what, secret] : secrets) {
        if (!secret.empty() && !options.redactor.add_secret(secret) && warned.insert(what).second) {
            fmt::print(stderr,
                       "conform: warning: {} is shorter than {} characters: it is masked in credential headers, "
                       "but not where a response or message repeats it\n",
                       what, http::Redactor::k_min_secret_length);
        }
    }

    // --provision: the fixtures are made now (stable kinds) and right before their cases (transient ones).
    std::unique_ptr<ProvisionSession> provisioned;
    if (o.provision) {
        std::signal(SIGINT, on_signal);
        std::signal(SIGTERM, on_signal);
        options.interrupted = &g_interrupted;
        provisioned = std::make_unique<ProvisionSession>(
            contract, o, options,
            engine::TransportOptions{o.base_url, o.timeout, o.insecure, o.cacert, 8 * 1024 * 1024, &g_interrupted});
        pool = provisioned->make_up_front(selected);
        options.prepare_case = [&](const contract::Case& c, engine::Allocation& a) {
            return provisioned->prepare(c, a);
        };
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
            engine::Ledger(*o.fixtures).record(fixture_ids, allocate);
        } catch (const util::FileError& e) {
            fmt::print(stderr, "conform: the fixtures ledger: {} (--ignore-ledger runs without it)\n", e.what());
            return k_exit_environment;
        }
    } else {
        allocate({});
    }

    PlanInput plan{selected, allocations, engine::fixture_demand(selected, contract.generated_kinds()),
                   {},       o.rate,      o.jobs};
    for (const auto& [kind, ids] : pool.ids_by_kind) {
        plan.fixtures_given[kind] = ids.size();
    }
    fmt::print("{}\n", plan_text(plan));
    std::fflush(stdout);

    report::ReportContext context;
    context.endpoint = engine::without_userinfo(o.base_url);
    // The endpoint's host without its port: the default run name, stable across mock ports.
    context.run_name = o.run_name.empty() ? engine::host_of(o.base_url) : o.run_name;
    context.hostname = report::local_hostname();
    context.strict = o.strict;
    context.redactor = options.redactor;
    context.rules = contract.rules();
    context.names = contract.report_names();
    context.contract_digest = report::contract_digest(paths.schemas, paths.cases);
    const bool colour = ::isatty(STDOUT_FILENO) && !process_environment("NO_COLOR");
    const bool terminal = ::isatty(STDOUT_FILENO) && process_environment("TERM").value_or("dumb") != "dumb";
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
    const compare::BaselinePolicy baseline_policy{std::chrono::system_clock::now(), o.strict_baseline};
    compare::BaselineMarker marked(*baseline, baseline_policy, reporters);

    engine::TransportOptions transport{o.base_url, o.timeout, o.insecure, o.cacert, 8 * 1024 * 1024, &g_interrupted};
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    auto result =
        engine::run_cases(contract, selected, allocations, engine::curl_transport_factory(transport), options, marked);
    if (provisioned) {
        result.provisioned = provisioned->finish();
    }
    const bool clean = !result.provisioned || result.provisioned->left.empty();
    mock.reset();
    compare::mark_all(*baseline, result, baseline_policy);

    console.run_finished(result);
    if (finish_reports(files, result) != k_exit_ok) {
        return k_exit_environment;
    }
    const auto code = exit_code(result, o);
    if (!clean) {
        fmt::print(stderr, "conform: fixtures this run made are still on the endpoint (listed above): exit {}\n",
                   code == k_exit_ok || code == k_exit_not_run ? int(k_exit_left) : code);
        return code == k_exit_ok || code == k_exit_not_run ? k_exit_left : code;
    }
    return code;
}

}  // namespace

int cli_main(int argc, char** argv)
{
    if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
        fmt::print("{}", usage_text());
        return k_exit_ok;
    }
    if (argc == 2 && std::string(argv[1]) == "--version") {
        fmt::print("conform {}\n", CONFORM_VERSION);
        return k_exit_ok;
    }
    try {
        auto options = parse_options(std::vector<std::string>(argv + 1, argv + argc));
        const auto paths = contract_paths(options, argv[0]);
        if (options.command == "report") {
            return render(options, paths);
        }
        if (options.command == "baseline") {
            return write_baseline(options, paths);
        }
        if (options.command == "diff") {
            return compare_runs(options, paths);
        }
        auto contract = contract::Contract::load(paths);
        contract.add_cases(generate::generate_cases(contract));
        if (options.command == "lint") {
            return lint(contract);
        }
        if (options.command == "list") {
            const auto selected = select_cases(contract, options);
            if (options.fixtures_needed) {
                std::size_t assets = 0;
                for (const auto& [kind, count] : engine::fixture_demand(selected, contract.generated_kinds())) {
                    fmt::print("{}  {}\n", kind, count);
                    assets += count;
                }
                print_cost(selected, assets, contract.generated_kinds());
                return k_exit_ok;
            }
            for (const auto* c : selected) {
                fmt::print("{}  {}  {}\n", c->id, c->operation, contract::to_string(c->level));
            }
            return k_exit_ok;
        }
        if (is_provision_command(options.command)) {
            return provision_command(contract, options, select_cases(contract, options));
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
