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
#include "generate/generator.hpp"
#include "mock_process.hpp"
#include "options.hpp"
#include "plan.hpp"
#include "report/console.hpp"
#include "report/contract_digest.hpp"
#include "report/html.hpp"
#include "report/junit.hpp"
#include "report/markdown.hpp"
#include "report/results_json.hpp"
#include "util/args.hpp"
#include "util/atomic_file.hpp"
#include "util/random_id.hpp"

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
        if (!o.tags.empty() && std::none_of(o.tags.begin(), o.tags.end(), [&](const auto& t) { return c.has_tag(t); })) {
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
    return out;
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

}  // namespace

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
        if (r.outcome == engine::Outcome::skipped && (o.strict || r.test_case->level == contract::Level::must)) {
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

namespace {

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
