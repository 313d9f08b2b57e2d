// Mutation testing: runs the whole contract against the faithful mock (must pass) and against
// the mock bent by each mutation (must fail in a case that names a rule the mutation breaks).
// Mock and runner both run in this process, so a full sweep takes seconds.
//
// usage: mutation_test [--mutation NAME]... [--jobs N]     exit 0: faithful clean, all killed
#include <algorithm>
#include <cstring>
#include <iostream>
#include <set>

#include <fmt/format.h>

#include "contract/contract.hpp"
#include "engine/fixtures.hpp"
#include "engine/run.hpp"
#include "mutations.hpp"
#include "report/failure_text.hpp"
#include "server.hpp"
#include "service.hpp"

namespace {

using conform::engine::CaseResult;
using conform::engine::Outcome;

struct Silent final : conform::engine::RunListener {
    void case_finished(const CaseResult&) override {}
};

std::vector<CaseResult> run_against(const conform::contract::Contract& contract, vod_mock::Mutation mutation, int jobs)
{
    std::vector<const conform::contract::Case*> cases;
    for (const auto& c : contract.cases()) {
        cases.push_back(&c);
    }
    const auto per_kind = conform::engine::fixtures_per_kind(cases, contract.generated_kinds());
    vod_mock::AssetStore store;
    conform::engine::FixturePool pool;
    pool.ids_by_kind = store.seed(per_kind);
    vod_mock::Config config;
    config.project_id = "mutation-project";
    config.token = "mutation-token-0123456789";
    config.mutation = mutation;
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
    options.project_id = config.project_id;
    options.credentials = {conform::engine::Credentials::Mode::token, *config.token, {}};
    options.jobs = jobs;
    Silent silent;
    conform::engine::TransportOptions transport;
    transport.base_url = options.base_url;
    transport.timeout_seconds = 10;
    auto result = conform::engine::run_cases(contract, cases, allocations,
                                             conform::engine::curl_transport_factory(transport), options, silent);
    server.stop();
    return std::move(result.cases);
}

// Killed for the right reason: a failure names (or, for an error, the case lists) one of the
// rules the mutation breaks.
bool names_any(const CaseResult& result, const std::vector<std::string>& rules)
{
    const auto named = result.outcome == Outcome::failed ? conform::report::failed_rules(result) : result.test_case->rules;
    return std::any_of(named.begin(), named.end(),
                       [&](const auto& r) { return std::find(rules.begin(), rules.end(), r) != rules.end(); });
}

}  // namespace

int main(int argc, char** argv)
{
    std::set<std::string> only;
    int jobs = 4;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--mutation") == 0 && i + 1 < argc) {
            only.insert(argv[++i]);
        } else if (std::strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) {
            jobs = std::max(1, std::atoi(argv[++i]));
        } else {
            std::cerr << "usage: mutation_test [--mutation NAME]... [--jobs N]\n";
            return 2;
        }
    }
    auto contract = conform::contract::Contract::load(conform::contract::default_contract_paths(argv[0]));

    bool ok = true;
    auto faithful = run_against(contract, vod_mock::Mutation::none, jobs);
    for (const auto& r : faithful) {
        if (r.outcome != Outcome::passed) {
            fmt::print("faithful mock: {} {}: {}\n", conform::engine::to_string(r.outcome), r.test_case->id, conform::report::headline(r));
            ok = false;
        }
    }
    fmt::print("faithful mock: {} cases, {} not passed\n", faithful.size(),
               std::count_if(faithful.begin(), faithful.end(), [](const CaseResult& r) { return r.outcome != Outcome::passed; }));

    std::size_t total = 0, killed = 0;
    for (const auto& m : vod_mock::mutations()) {
        if (!only.empty() && !only.count(m.name)) {
            continue;
        }
        ++total;
        auto results = run_against(contract, m.mutation, jobs);
        std::vector<const CaseResult*> failing, on_target;
        for (const auto& r : results) {
            if (r.outcome == Outcome::failed || r.outcome == Outcome::error) {
                failing.push_back(&r);
                if (names_any(r, m.rules)) {
                    on_target.push_back(&r);
                }
            }
        }
        std::string rules;
        for (const auto& r : m.rules) {
            rules += (rules.empty() ? "" : ",") + r;
        }
        if (!on_target.empty()) {
            ++killed;
            fmt::print("KILLED   {:<36} [{}] by {} case(s), e.g. {}\n", m.name, rules, on_target.size(),
                       on_target.front()->test_case->id);
        } else {
            ok = false;
            fmt::print("SURVIVED {:<36} [{}] {} ({} failing case(s), none failing on its rules)\n", m.name, rules,
                       m.description, failing.size());
        }
    }
    fmt::print("\nmutation score: {}/{} killed\n", killed, total);
    return ok ? 0 : 1;
}
