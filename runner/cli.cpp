#include "cli.hpp"

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
#include "context.hpp"
#include "contract/contract.hpp"
#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "engine/fixtures.hpp"
#include "engine/ledger.hpp"
#include "engine/run.hpp"
#include "generate/generator.hpp"
#include "interrupt.hpp"
#include "judge/judge.hpp"
#include "mock_process.hpp"
#include "options.hpp"
#include "plan.hpp"
#include "preflight.hpp"
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

using util::UsageError;

contract::ContractPaths contract_paths(const Options& o, const char* argv0)
{
    auto defaults = contract::default_contract_paths(util::executable_path(argv0), CONFORM_CONTRACT_FROM_BINDIR,
                                                     CONFORM_SOURCE_DIR);
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
    loaded.context.spool_dir = resolve_temp_dir(process_environment);
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
    const auto text = document.dump(2, ' ', true) + "\n";  // ASCII: endpoint text reaches no terminal raw
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
    const auto drift = compare::diff({before.run}, {after.run}, {o.latency_ratio, o.latency_floor});
    fmt::print("{}",
               compare::drift_text(drift, o.compared[0].string(), o.compared[1].string(),
                                   o.drift_markdown ? compare::DriftFormat::markdown : compare::DriftFormat::text));
    return drift.regressed() || (o.fail_on_drift && drift.within_contract()) ? k_exit_failed : k_exit_ok;
}

}  // namespace

int exit_code(const engine::RunResult& result, bool allow_skips)
{
    auto any = [&](auto verdict) {
        return std::any_of(result.cases.begin(), result.cases.end(),
                           [&](const engine::CaseResult& r) { return r.judgement.verdict == verdict; });
    };
    if (result.interrupted) {
        return k_exit_interrupted;
    }
    if (any(engine::Verdict::failed)) {
        return k_exit_failed;
    }
    if (any(engine::Verdict::error)) {
        return k_exit_not_evaluated;
    }
    const bool unproven = std::any_of(result.cases.begin(), result.cases.end(),
                                      [](const engine::CaseResult& r) { return r.judgement.unproven; });
    return unproven && !allow_skips ? k_exit_not_run : k_exit_ok;
}

namespace {

// The fixtures each selected case gets, recorded in the ledger before the first request: a run
// that dies midway has still used them.
std::vector<engine::Allocation> allocate_fixtures(const contract::Contract& contract, const RunContext& context,
                                                  const Options& o)
{
    std::vector<engine::Allocation> allocations;
    auto allocate = [&](const engine::UsedUp& used_up) {
        engine::FixtureAllocator allocator(context.pool, contract.generated_kinds(), used_up);
        for (const auto* c : context.selected) {
            allocations.push_back(allocator.allocate(*c));
        }
        return allocator.handouts();
    };
    if (!o.fixtures || o.ignore_ledger || interrupt::requested()) {
        allocate({});
        return allocations;
    }
    try {
        engine::Ledger(*o.fixtures).record(context.fixture_ids, allocate);
    } catch (const util::FileError& e) {
        throw util::Error(util::ErrorKind::environment,
                          fmt::format("the fixtures ledger: {} (--ignore-ledger runs without it)", e.what()));
    }
    return allocations;
}

void print_plan(const contract::Contract& contract, const RunContext& context,
                const std::vector<engine::Allocation>& allocations, const Options& o)
{
    PlanInput plan{.selected = context.selected,
                   .allocations = allocations,
                   .fixtures_needed = engine::fixture_demand(context.selected, contract.generated_kinds()),
                   .fixtures_given = {},
                   .rate = o.rate,
                   .jobs = o.jobs,
                   .state_query = contract.premises() ? contract.premises()->query.operation : "",
                   .unverifiable = unverifiable_cases(contract, context.selected)};
    for (const auto& [kind, ids] : context.pool.ids_by_kind) {
        plan.fixtures_given[kind] = ids.size();
    }
    fmt::print("{}\n", plan_text(plan));
    std::fflush(stdout);
}

// Masks the run's secrets; warns of one too short to be masked everywhere.
http::Redactor run_redactor(const RunContext& context)
{
    if (context.credentials.mode == engine::Credentials::Mode::none) {
        fmt::print(stderr, "conform: no credentials given: requests go unauthenticated\n");
    }
    http::Redactor redactor;
    std::set<std::string> warned;
    for (const auto& [what, secret] : context.secrets) {
        if (!redactor.add_secret(secret) && warned.insert(what).second) {
            fmt::print(stderr,
                       "conform: warning: {} is shorter than {} characters: it is masked in credential headers, "
                       "but not where a response or message repeats it\n",
                       what, http::Redactor::k_min_secret_length);
        }
    }
    return redactor;
}

report::ReportContext report_context(const contract::Contract& contract, const RunContext& context, const Options& o,
                                     const contract::ContractPaths& paths, const http::Redactor& redactor)
{
    report::ReportContext out;
    out.endpoint = engine::without_userinfo(context.base_url);
    // The endpoint's host and port: two endpoints on one host have reports that merge apart.
    out.run_name = o.run_name.empty() ? engine::authority_of(context.base_url) : o.run_name;
    out.hostname = report::local_hostname();
    out.strict = o.strict;
    out.redactor = redactor;
    out.rules = contract.rules();
    out.names = contract.report_names();
    out.contract_digest = report::contract_digest(paths.schemas, paths.cases);
    out.spool_dir = context.temp_dir;
    return out;
}

// A run's reporters: the console, and the files (JUnit always), each told of every case.
struct RunReports {
    std::unique_ptr<report::ConsoleReporter> console;
    std::vector<std::unique_ptr<report::Reporter>> owned;
    std::vector<std::pair<report::Reporter*, std::filesystem::path>> files;

    RunReports(const RunContext& context, const Options& o, const report::ReportContext& report)
        : console(std::make_unique<report::ConsoleReporter>(stdout, report, context.console.colour, o.verbose,
                                                            context.console.terminal, context.selected.size()))
    {
        const auto junit = o.junit.value_or("reports/junit.xml");
        owned.push_back(std::make_unique<report::JunitReporter>(junit, report, o.junit_form));
        files.emplace_back(owned.back().get(), junit);
        if (o.json) {
            owned.push_back(std::make_unique<report::JsonReporter>(*o.json, report));
            files.emplace_back(owned.back().get(), *o.json);
        }
        add_page_reports(o, report, owned, files);
    }
    std::vector<report::Reporter*> all() const
    {
        std::vector<report::Reporter*> out = {console.get()};
        for (const auto& [reporter, path] : files) {
            out.push_back(reporter);
        }
        return out;
    }
};

engine::RunOptions engine_options(const RunContext& context, const Options& o, const http::Redactor& redactor)
{
    engine::RunOptions options;
    options.base_url = context.base_url;
    options.run_bindings = context.pool.run_bindings;  // the fixtures file's, and the project id resolved
    options.run_bindings["project_id"] = context.project_id.value;
    options.credentials = context.credentials;
    options.jobs = o.jobs;
    options.stop = interrupt::token();
    options.keep_exchanges = false;  // the JUnit reporter spools them as cases finish
    options.quota.rate = o.rate;
    options.quota.budget_seconds = o.throttle_budget;
    options.settle.deadline_seconds = o.settle;
    options.redactor = redactor;
    return options;
}

engine::TransportOptions transport_options(const RunContext& context, const Options& o)
{
    return {context.base_url, o.timeout, o.insecure, o.cacert, 8 * 1024 * 1024, interrupt::token()};
}

// What execute needs besides the run context: the flags, the engine's options, how to send, why
// the run's premises refused it (then no case is sent), and the fixtures made for it.
struct Execution {
    const Options& o;
    const engine::RunOptions& options;
    const engine::TransportFactory& transports;
    const std::optional<std::string>& refused;
    ProvisionSession* provisioned;
};

// Sends the cases; each finished case is judged and goes to every reporter. What the run made is
// removed before the mock stops.
engine::RunResult execute(const contract::Contract& contract, RunContext& context,
                          const std::vector<engine::Allocation>& allocations, const Execution& e,
                          const RunReports& reports)
{
    report::Reporters listeners(reports.all());
    judge::Judge judged(contract.rules(),
                        {e.o.strict, context.baseline, {std::chrono::system_clock::now(), e.o.strict_baseline}},
                        listeners);
    auto result = e.refused
                      ? not_run(context.selected, *e.refused)
                      : engine::run_cases(contract, context.selected, allocations, e.transports, e.options, judged);
    if (e.provisioned) {
        result.provisioned = e.provisioned->finish();
    }
    context.mock.reset();
    if (e.refused) {
        for (const auto& r : result.cases) {
            judged.case_finished(r);
        }
    }
    judged.apply(result);
    return result;
}

// A provisioned run: the stable kinds made now into the run's pool, the transient ones made by
// the engine's prepare_case hook right before their case.
std::unique_ptr<ProvisionSession> provision_run(const contract::Contract& contract, RunContext& context,
                                                const Options& o, engine::RunOptions& options)
{
    auto session = std::make_unique<ProvisionSession>(contract, o, options, transport_options(context, o));
    options.pacers = session->pacers();
    context.pool = session->make_up_front(context.selected);
    options.prepare_case = [session = session.get()](const contract::Case& c, engine::Allocation& a) {
        return session->prepare(c, a);
    };
    return session;
}

// The fixtures the run found drifted go into the ledger, so no later run hands them out.
void record_drifted_fixtures(const RunContext& context, const Options& o, const engine::RunResult& result)
{
    if (!o.fixtures || o.ignore_ledger) {
        return;
    }
    try {
        record_drifted(*o.fixtures, context.fixture_ids, result);
    } catch (const util::FileError& e) {
        fmt::print(stderr, "conform: the fixtures ledger: {}\n", e.what());
    }
}

int finish_run(const RunReports& reports, const engine::RunResult& result, const Options& o)
{
    reports.console->run_finished(result);
    if (finish_reports(reports.files, result) != k_exit_ok) {
        return k_exit_environment;
    }
    const auto code = exit_code(result, o.allow_skips);
    if (code == k_exit_not_run) {
        const auto unproven = std::count_if(result.cases.begin(), result.cases.end(),
                                            [](const engine::CaseResult& r) { return r.judgement.unproven; });
        const auto& first = *std::find_if(result.cases.begin(), result.cases.end(),
                                          [](const engine::CaseResult& r) { return r.judgement.unproven; });
        fmt::print(stderr,
                   "conform: {} selected {} case(s) did not run, e.g. {}: {}\n"
                   "conform: exit {}: the run proves nothing about them (--allow-skips accepts this)\n",
                   unproven, o.strict ? "MUST or SHOULD" : "MUST", first.test_case.id, first.message,
                   int(k_exit_not_run));
    }
    return code;
}

// conform run: resolve, check the run's premises, provision, run, report, exit.
int run(const contract::Contract& contract, const Options& o, const contract::ContractPaths& paths)
{
    auto context = resolve_run(contract, o, paths, process_environment, ::isatty(STDOUT_FILENO));
    const auto redactor = run_redactor(context);
    auto options = engine_options(context, o, redactor);
    const auto transports = engine::curl_transport_factory(transport_options(context, o));
    // The run's premises first: nothing recorded, made or sent when the endpoint, the
    // credentials or the project are wrong.
    auto refused = interrupt::requested() ? std::nullopt : preflight(contract, options, transports);
    if (interrupt::requested()) {
        refused.reset();  // cut off by Ctrl-C, not refused: the engine reports every case not run
    }
    // --provision: the fixtures are made now (stable kinds) and right before their cases (transient ones).
    const auto provisioned = refused || !o.provision ? nullptr : provision_run(contract, context, o, options);
    const auto allocations =
        refused ? std::vector<engine::Allocation>(context.selected.size()) : allocate_fixtures(contract, context, o);
    print_plan(contract, context, allocations, o);
    const RunReports reports(context, o, report_context(contract, context, o, paths, redactor));
    auto result =
        execute(contract, context, allocations, {o, options, transports, refused, provisioned.get()}, reports);
    record_drifted_fixtures(context, o, result);
    const auto code = finish_run(reports, result, o);
    if (refused) {
        fmt::print(stderr, "conform: {}\nconform: nothing else was sent and the fixtures ledger is unchanged\n",
                   redactor(*refused));
    }
    if (result.provisioned && !result.provisioned->left.empty() && (code == k_exit_ok || code == k_exit_not_run)) {
        fmt::print(stderr, "conform: fixtures this run made are still on the endpoint (listed above): exit {}\n",
                   int(k_exit_left));
        return k_exit_left;
    }
    return code;
}

}  // namespace

namespace {

int list(const contract::Contract& contract, const Options& options)
{
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

int command(const Options& options, const char* argv0)
{
    if (options.command != "run") {
        interrupt::uninstall();  // the other commands write nothing that Ctrl-C should wait for
    }
    const auto paths = contract_paths(options, argv0);
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
        return list(contract, options);
    }
    if (is_provision_command(options.command)) {
        return provision_command(contract, options, select_cases(contract, options));
    }
    return run(contract, options, paths);
}

}  // namespace

int exit_code_for(const util::Error& error)
{
    switch (error.kind()) {
    case util::ErrorKind::usage:
    case util::ErrorKind::input:
        return k_exit_usage;
    case util::ErrorKind::environment:
        return k_exit_environment;
    }
    return k_exit_internal;
}

// The error boundary: every exception becomes a message and a documented exit code.
int cli_main(int argc, char** argv)
{
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
        fmt::print("{}", usage_text());
        return k_exit_ok;
    }
    if (args.size() == 1 && args[0] == "--version") {
        fmt::print("conform {}\n", CONFORM_VERSION);
        return k_exit_ok;
    }
    interrupt::install();  // before anything else: a run interrupted at once still writes its reports
    try {
        return command(parse_options(args), argv[0]);
    } catch (const UsageError& e) {
        fmt::print(stderr, "conform: {}\nsee 'conform --help'\n", e.what());
        return k_exit_usage;
    } catch (const contract::ContractError& e) {
        for (const auto& p : e.problems()) {
            fmt::print(stderr, "conform: {}\n", p.to_string());
        }
        return k_exit_usage;
    } catch (const util::Error& e) {
        fmt::print(stderr, "conform: {}\n", e.what());
        return exit_code_for(e);
    } catch (const std::filesystem::filesystem_error& e) {
        fmt::print(stderr, "conform: {}\n", e.what());
        return k_exit_environment;
    } catch (const std::bad_alloc&) {
        fmt::print(stderr, "conform: out of memory\n");
        return k_exit_environment;
    } catch (const std::exception& e) {
        fmt::print(stderr, "conform: internal error (a bug; please report it): {}\n", e.what());
        return k_exit_internal;
    }
}

}  // namespace conform
