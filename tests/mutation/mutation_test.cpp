// Mutation testing: runs the whole contract against the faithful mock (must pass) and against
// the mock bent by each mutation (must fail on a rule the mutation breaks). A kill is read from
// the results `conform run --json` writes: a case that failed (an error or a skip proves
// nothing), with a failure whose rule is one of the mutation's. The faithful mock passes with
// token and with AK/SK credentials; a mutation that survives the token sweep is tried with AK/SK
// (the verifier's mutations act on signatures only). Mock and runner both run in this process,
// so a full sweep takes seconds. Then the faithful mock and a sample of mutations, one per
// operation, again behind a request quota that throttles (429): pacing and resending must
// neither raise a false alarm nor hide a deviation. Last, live states (see live_sweep).
//
// usage: mutation_test [--mutation NAME]... [--jobs N] [--settle SECONDS] [--async-delete-ms N]
//        exit 0: faithful clean, all killed. With --async-delete-ms the mock's deletes settle
//        late, so the kills show that settling probes never hide a deviation.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <set>
#include <string_view>
#include <thread>

#include <fmt/format.h>

#include "contract/contract.hpp"
#include "engine/fixtures.hpp"
#include "engine/run.hpp"
#include "generate/generator.hpp"
#include "judge/judge.hpp"
#include "kill.hpp"
#include "mutations.hpp"
#include "report/failure_text.hpp"
#include "report/results_json.hpp"
#include "server.hpp"
#include "service.hpp"

namespace {

using conform::engine::CaseResult;
using conform::engine::Outcome;

struct Silent final : conform::engine::RunListener {
    void case_finished(const CaseResult&) override {}
};

// Small enough that the suite's ~90 requests are throttled, large enough to take about a second.
constexpr std::size_t k_quota_requests = 40;
constexpr double k_quota_seconds = 0.25;

using Mode = conform::engine::Credentials::Mode;

std::string to_string(Mode mode)
{
    return mode == Mode::aksk ? "AK/SK" : "token";
}

struct Sweep {
    std::vector<CaseResult> cases;
    std::size_t throttled = 0;
    nlohmann::json results;  // as `conform run --json` writes them
};

struct Setup {
    int jobs = 4;
    double settle = 1;  // the faithful mock settles at once; a mutation's probe fails after this
    std::chrono::milliseconds async_delete{0};
    std::chrono::milliseconds live{0};  // vod-mock --live-ms: transient states move on by themselves
    std::chrono::milliseconds age{0};   // how long before the run the fixtures were made
};

Sweep run_against(const conform::contract::Contract& contract, vod_mock::Mutation mutation, const Setup& setup,
                  bool throttling, Mode mode)
{
    std::vector<const conform::contract::Case*> cases;
    for (const auto& c : contract.cases()) {
        cases.push_back(&c);
    }
    const auto per_kind = conform::engine::fixtures_per_kind(cases, contract.generated_kinds());
    vod_mock::Timing timing;
    timing.delete_delay = setup.async_delete;
    timing.live = setup.live;
    vod_mock::AssetStore store(timing);
    conform::engine::FixturePool pool;
    pool.ids_by_kind = store.seed(per_kind);
    std::this_thread::sleep_for(setup.age);
    vod_mock::Config config;
    config.project_id = "mutation-project";
    const conform::http::AkSk key{"MUTATIONTESTAK000000", "mutation-secret-key-0123456789"};
    if (mode == Mode::aksk) {
        config.aksk = key;
    } else {
        config.token = "mutation-token-0123456789";
    }
    config.mutation = mutation;
    if (throttling) {
        config.quota =
            std::make_shared<vod_mock::RequestQuota>(k_quota_requests, std::chrono::duration<double>(k_quota_seconds));
    }
    vod_mock::Service service(config, store);
    vod_mock::Server server(service, vod_mock::ServerOptions{});
    int port = server.bind();
    server.start();

    conform::engine::FixtureAllocator allocator(pool, contract.generated_kinds());
    std::vector<conform::engine::Allocation> allocations;
    for (const auto* c : cases) {
        allocations.push_back(allocator.allocate(*c));
    }
    conform::engine::RunOptions options;
    options.base_url = fmt::format("http://127.0.0.1:{}", port);
    options.run_bindings = {{"project_id", config.project_id}};
    options.credentials = mode == Mode::aksk ? conform::engine::Credentials{mode, "", key}
                                             : conform::engine::Credentials{mode, *config.token, {}};
    options.jobs = setup.jobs;
    options.settle.deadline_seconds = setup.settle;
    Silent silent;
    conform::engine::TransportOptions transport;
    transport.base_url = options.base_url;
    transport.timeout_seconds = 10;
    auto result = conform::engine::run_cases(contract, cases, allocations,
                                             conform::engine::curl_transport_factory(transport), options, silent);
    server.stop();
    // Judged as a run is, so that the results carry the verdicts the sweeps read.
    const auto levels = conform::judge::rule_levels(contract.rules());
    for (auto& r : result.cases) {
        conform::judge::judge(r, levels, conform::judge::Policy{});
    }
    auto results = conform::report::results_json(result, conform::report::ReportContext{});
    return {std::move(result.cases), result.requests_throttled, std::move(results)};
}

std::string behind(const Sweep& sweep, bool throttling)
{
    return throttling ? fmt::format(" (behind --rate-limit {}/{}: {} requests throttled)", k_quota_requests,
                                    k_quota_seconds, sweep.throttled)
                      : "";
}

// The faithful mock, or a mutation within the contract: every case passes, but those that tamper
// with a signature when the run signs nothing (skipped as not applicable).
bool faithful_passes(const conform::contract::Contract& contract, const Setup& setup, bool throttling, Mode mode,
                     vod_mock::Mutation mutation = vod_mock::Mutation::none)
{
    const auto sweep = run_against(contract, mutation, setup, throttling, mode);
    bool ok = !throttling || sweep.throttled > 0;  // a throttled pass that saw no 429 proves nothing
    std::size_t not_applicable = 0;
    for (const auto& r : sweep.cases) {
        if (r.outcome == Outcome::skipped && r.cause == conform::engine::Cause::not_applicable && mode == Mode::token) {
            ++not_applicable;
        } else if (r.outcome != Outcome::passed) {
            fmt::print("faithful mock: {} {}: {}\n", conform::engine::to_string(r.outcome), r.test_case.id,
                       conform::report::headline(r));
            ok = false;
        }
    }
    fmt::print("faithful mock, {} credentials: {} cases, {} not passed ({} of them not applicable){}\n",
               to_string(mode), sweep.cases.size(),
               std::count_if(sweep.cases.begin(), sweep.cases.end(),
                             [](const CaseResult& r) { return r.outcome != Outcome::passed; }),
               not_applicable, behind(sweep, throttling));
    return ok;
}

// A mutation is killed when a case fails on one of the rules it breaks: with token credentials,
// else with AK/SK.
bool killed(const conform::contract::Contract& contract, const vod_mock::MutationInfo& m, const Setup& setup,
            bool throttling)
{
    std::string rules;
    for (const auto& r : m.rules) {
        rules += (rules.empty() ? "" : ",") + r;
    }
    std::vector<std::string> tried;
    for (const auto mode : {Mode::token, Mode::aksk}) {
        const auto sweep = run_against(contract, m.mutation, setup, throttling, mode);
        std::size_t failing = 0;
        std::vector<std::string> on_target;
        for (const auto& r : sweep.results["cases"]) {
            failing += r["outcome"] == "failed" || r["outcome"] == "error" ? 1 : 0;
            if (conform::mutation::fails_on_any(r, m.rules)) {
                on_target.push_back(r["id"]);
            }
        }
        if (!on_target.empty() && (!throttling || sweep.throttled > 0)) {
            fmt::print("KILLED   {:<36} [{}] by {} case(s), e.g. {} ({} credentials){}\n", m.name, rules,
                       on_target.size(), on_target.front(), to_string(mode), behind(sweep, throttling));
            return true;
        }
        tried.push_back(fmt::format("{}: {} failed or erred, none failed on its rules", to_string(mode), failing));
    }
    fmt::print("SURVIVED {:<36} [{}] {} ({}){}\n", m.name, rules, m.description, fmt::join(tried, "; "),
               throttling ? " (behind the quota)" : "");
    return false;
}

// Live states (vod-mock --live-ms 2000, fixtures fresh or made 8 s before): against the faithful
// mock no case fails or errs (a fixture that moved on is premise lost or inconclusive); against a
// mutation that breaks a rule about a transient state, a case on that rule is killed when its
// premise holds and premise lost (or inconclusive) when it does not, and never passes, but as
// unverified where no query can check its premise (counted apart).
constexpr std::chrono::milliseconds k_live{2000};

// A state query that lies (reports a task that moved on in the state it started in) defeats the
// premise checks: against it the live sweep with aged fixtures must not be clean, which shows
// that the faithful sweep is clean because the checks work, not because nothing drifted.
bool lie_shows(const conform::contract::Contract& contract, const Setup& base, const vod_mock::MutationInfo& m)
{
    auto setup = base;
    setup.live = k_live;
    setup.age = std::chrono::milliseconds(8000);
    const auto sweep = run_against(contract, m.mutation, setup, false, Mode::token);
    const auto alarms = std::count_if(sweep.results["cases"].begin(), sweep.results["cases"].end(),
                                      [](const auto& r) { return r["verdict"] == "failed"; });
    fmt::print("{} {:<36} {} false alarm(s) once the query lies\n", alarms > 0 ? "LIVE ok " : "LIVE BAD", m.name,
               alarms);
    return alarms > 0;
}

bool live_sweep(const conform::contract::Contract& contract, const Setup& base, std::chrono::milliseconds age,
                const vod_mock::MutationInfo* m)
{
    auto setup = base;
    setup.live = k_live;
    setup.age = age;
    const auto sweep = run_against(contract, m ? m->mutation : vod_mock::Mutation::none, setup, false, Mode::token);
    std::map<std::string, std::size_t> n;
    bool ok = true;
    for (const auto& r : sweep.results["cases"]) {
        const auto rules = r["rules"].get<std::vector<std::string>>();
        const bool on_target = m && std::any_of(rules.begin(), rules.end(), [&](const std::string& id) {
                                   return std::find(m->rules.begin(), m->rules.end(), id) != m->rules.end();
                               });
        const auto verdict = r["verdict"].get<std::string>();
        if (!m && (verdict == "failed" || verdict == "error")) {
            fmt::print("  live, faithful: {} {}: {}\n", verdict, r["id"].get<std::string>(),
                       r["message"].get<std::string>());
            ok = false;
        }
        if (!on_target) {
            ++n[verdict];
            continue;
        }
        if (conform::mutation::fails_on_any(r, m->rules)) {
            ++n["killed"];
        } else if (verdict == "premise_lost" || verdict == "inconclusive") {
            ++n[verdict];
        } else if (verdict == "passed" && r.value("unverified", false)) {
            ++n["passed unverified"];
        } else {
            fmt::print("  live, {}: {} {} on its rules\n", m->name, r["id"].get<std::string>(), verdict);
            ok = false;
        }
    }
    std::string counts;
    for (const auto& [what, count] : n) {
        counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", count, what);
    }
    fmt::print("{} {:<36} fixtures {} ms old: {}\n", ok ? "LIVE ok " : "LIVE BAD", m ? m->name : "faithful mock",
               age.count(), counts);
    return ok;
}

}  // namespace

int main(int argc, char** argv)
{
    std::set<std::string> only;
    Setup setup;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--mutation") == 0 && i + 1 < argc) {
            only.insert(argv[++i]);
        } else if (std::strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) {
            setup.jobs = std::max(1, std::atoi(argv[++i]));
        } else if (std::strcmp(argv[i], "--settle") == 0 && i + 1 < argc) {
            setup.settle = std::max(0.0, std::atof(argv[++i]));
        } else if (std::strcmp(argv[i], "--async-delete-ms") == 0 && i + 1 < argc) {
            setup.async_delete = std::chrono::milliseconds(std::max(0, std::atoi(argv[++i])));
        } else {
            std::cerr
                << "usage: mutation_test [--mutation NAME]... [--jobs N] [--settle SECONDS] [--async-delete-ms N]\n";
            return 2;
        }
    }
    for (const auto& name : only) {
        if (!vod_mock::find_mutation(name)) {
            std::cerr << "mutation_test: no mutation '" << name << "'\n";  // a sample must not shrink silently
            return 2;
        }
    }
    auto contract = conform::contract::Contract::load({CONFORM_SOURCE_DIR "/schemas", CONFORM_SOURCE_DIR "/cases"});
    contract.add_cases(conform::generate::generate_cases(contract));  // some mutations only they catch

    bool ok = faithful_passes(contract, setup, false, Mode::token);
    ok = faithful_passes(contract, setup, false, Mode::aksk) && ok;
    std::size_t total = 0, killed_count = 0;
    // One mutation per operation (the first of each rule letter) for the throttled sample.
    std::set<char> sampled_letters;
    std::vector<const vod_mock::MutationInfo*> sample;
    for (const auto& m : vod_mock::mutations()) {
        if (!only.empty() && !only.count(m.name)) {
            continue;
        }
        if (m.within_contract) {
            // Not a deviation to kill (conform diff reports it as drift): a failure would be a false alarm.
            fmt::print("within the contract: {}\n", m.name);
            ok = faithful_passes(contract, setup, false, Mode::token, m.mutation) && ok;
            continue;
        }
        if (m.premise_query) {
            // No rule to break: the premise sweeps check it. Without live states the lie is never
            // told, so nothing may fail.
            fmt::print("state query: {}\n", m.name);
            ok = faithful_passes(contract, setup, false, Mode::token, m.mutation) && ok;
            continue;
        }
        ++total;
        killed_count += killed(contract, m, setup, false) ? 1 : 0;
        const char letter = m.rules.front().front();
        if (std::string_view("UDTEC").find(letter) != std::string_view::npos && sampled_letters.insert(letter).second) {
            sample.push_back(&m);
        }
    }
    ok = ok && killed_count == total;
    fmt::print("\nbehind a request quota:\n");
    ok = faithful_passes(contract, setup, true, Mode::token) && ok;
    std::size_t sample_killed = 0;
    for (const auto* m : sample) {
        sample_killed += killed(contract, *m, setup, true) ? 1 : 0;
    }
    ok = ok && sample_killed == sample.size();
    fmt::print("\nlive states (--live-ms {}):\n", k_live.count());
    for (const auto age : {std::chrono::milliseconds(0), std::chrono::milliseconds(8000)}) {
        ok = live_sweep(contract, setup, age, nullptr) && ok;
        for (const auto& m : vod_mock::mutations()) {
            const auto& transient_names = conform::mutation::transient_state_mutations();
            const bool transient =
                std::find(transient_names.begin(), transient_names.end(), m.name) != transient_names.end();
            if (transient && (only.empty() || only.count(m.name))) {
                ok = live_sweep(contract, setup, age, &m) && ok;
            }
        }
    }
    for (const auto& m : vod_mock::mutations()) {
        if (m.premise_query && (only.empty() || only.count(m.name))) {
            ok = lie_shows(contract, setup, m) && ok;
        }
    }
    fmt::print("\nmutation score: {}/{} killed; behind the quota {}/{}\n", killed_count, total, sample_killed,
               sample.size());
    return ok ? 0 : 1;
}
