// Mutation testing with fixtures made just in time (issue 19): `conform run --provision` against
// `vod-mock --seed 0 --live-ms N`, as a user runs it. The mutations of transient states (a running
// transcode cancelled, a transcoding, reviewing or snapshotting asset deleted) must each be killed
// on the cases that test their rule on a fixture made just in time, every one of them: a failure
// on one of the mutation's rules (kill.hpp), so its premise held when the step ran (a premise
// lost is a skip, never a failure). The faithful mock passes the same run, those cases included.
// Last a control: each mutation again with states that are over before its case can use them, and
// the same reading must count no kill, so a kill above is not a lost premise misread.
// Every run must leave nothing on the mock (its closing line).
//
// usage: jit_mutation_test CONFORM VOD_MOCK WORK_DIR [--live-ms N]
//        exit 0: the faithful mock passes, every target killed, the control kills nothing.
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>

#include <fmt/format.h>

#include "contract/contract.hpp"
#include "contract/json_file.hpp"
#include "kill.hpp"
#include "mutations.hpp"
#include "util/process.hpp"

namespace {

namespace fs = std::filesystem;

struct Paths {
    fs::path conform, mock, work;
};

// A transient fixture on the real service is only worth making right before its case.
bool made_just_in_time(const conform::contract::Contract& contract, const std::string& kind)
{
    const auto* recipe = contract.provision()->recipe(kind);
    return recipe && recipe->just_in_time;
}

// The cases a transient mutation must be killed on: those that list one of its rules and hold a
// fixture made just in time. Kinds the contract cannot make are named in `unmade`.
std::vector<std::string> targets(const conform::contract::Contract& contract, const vod_mock::MutationInfo& m,
                                 std::vector<std::string>& unmade)
{
    std::vector<std::string> out;
    for (const auto& c : contract.cases()) {
        if (std::none_of(c.rules.begin(), c.rules.end(), [&](const std::string& rule) {
                return std::find(m.rules.begin(), m.rules.end(), rule) != m.rules.end();
            })) {
            continue;
        }
        for (const auto& [placeholder, kind] : c.fixtures) {
            if (made_just_in_time(contract, kind)) {
                out.push_back(c.id);
                break;
            }
            if (contract.provision()->cannot_make.count(kind)) {
                unmade.push_back(fmt::format("{} ({})", c.id, kind));
            }
        }
    }
    return out;
}

struct Run {
    std::map<std::string, nlohmann::json> cases;  // by id, as `conform run --json` wrote them
    std::string output;                           // stdout and stderr
    bool ok = true;                               // exit 0-5, results written, nothing left on the mock
};

// The mock's timing: its --live-ms, and the --latency-ms of every answer.
struct Timing {
    int live_ms = 0;
    int latency_ms = 0;
};

// A provisioned run of the hand-written cases, or of `only`.
Run provisioned_run(const Paths& paths, const std::string& name, Timing timing, const std::string& mutation,
                    const std::vector<std::string>& only = {})
{
    const auto results = paths.work / (name + ".json");
    fs::remove(results);
    std::vector<std::string> args = {"/bin/sh",
                                     "-c",
                                     "exec \"$0\" \"$@\" 2>&1",
                                     paths.conform.string(),
                                     "run",
                                     "--mock",
                                     "--mock-binary",
                                     paths.mock.string(),
                                     "--mock-arg=--seed=0",
                                     fmt::format("--mock-arg=--live-ms={}", timing.live_ms),
                                     fmt::format("--mock-arg=--latency-ms={}", timing.latency_ms),
                                     "--provision",
                                     "--review-template",
                                     "conform-review-template",  // the mock takes any; REVIEWING needs one
                                     "--no-generated",
                                     "--json",
                                     results.string()};
    if (!mutation.empty()) {
        args.push_back("--mock-arg=--mutation=" + mutation);
    }
    for (const auto& id : only) {
        args.insert(args.end(), {"--case", id});
    }
    const auto start = std::chrono::steady_clock::now();
    conform::util::Process child(args);
    Run run;
    run.output = child.read_all();
    const int status = child.wait();
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    // 0-5: passed, failed, or not all run; anything else (usage, a crash, 6: left assets) is the harness's problem.
    const bool ran = code == 0 || code == 1 || code == 5;
    std::smatch left;
    const bool clean =
        std::regex_search(run.output, left, std::regex(R"(created (\d+) assets through the API, 0 still there)"));
    fmt::print("  {} (--live-ms {} --latency-ms {}): exit {} in {:.1f} s; {}\n", name, timing.live_ms,
               timing.latency_ms, code, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
               clean ? left.str(0) : "ASSETS LEFT or no closing line");
    if (!ran || !clean || !fs::exists(results)) {
        fmt::print("{}\n", run.output);
        run.ok = false;
        return run;
    }
    auto written = conform::contract::read_json_file(results);
    for (auto& c : written["cases"]) {
        const auto id = c["id"].get<std::string>();
        run.cases[id] = std::move(c);
    }
    return run;
}

// A member of a case's results that may be null (a passed case has no message).
std::string member(const nlohmann::json& c, const char* name)
{
    const auto it = c.find(name);
    return it != c.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string verdict_of(const Run& run, const std::string& id)
{
    const auto it = run.cases.find(id);
    return it == run.cases.end() ? "not in the results" : member(it->second, "verdict");
}

std::string message_of(const Run& run, const std::string& id)
{
    const auto it = run.cases.find(id);
    return it == run.cases.end() ? "" : member(it->second, "message");
}

// A provisioned run, repeated (three runs at most) while one of the targets did not run because
// its fixture's state ended first: that proves nothing either way, and a loaded machine makes it
// happen. A faithful run in which any case failed or erred is never repeated (a failure there is
// the finding); against a mutation, the failures are what the run looks for.
Run run_proving(const Paths& paths, const std::string& name, Timing timing, const std::string& mutation,
                const std::vector<std::string>& targets)
{
    const auto unproven = [](const std::string& verdict) {
        return verdict == "skipped" || verdict == "premise_lost" || verdict == "inconclusive";
    };
    for (int attempt = 1;; ++attempt) {
        auto run = provisioned_run(paths, name, timing, mutation);
        const bool failed = mutation.empty() && std::any_of(run.cases.begin(), run.cases.end(), [](const auto& c) {
                                const auto verdict = member(c.second, "verdict");
                                return verdict == "failed" || verdict == "error";
                            });
        const auto lost = std::find_if(targets.begin(), targets.end(),
                                       [&](const std::string& id) { return unproven(verdict_of(run, id)); });
        if (attempt == 3 || !run.ok || failed || lost == targets.end()) {
            return run;
        }
        fmt::print("  {} {} ({}): run again\n", *lost, verdict_of(run, *lost), message_of(run, *lost));
    }
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 4) {
        std::cerr << "usage: jit_mutation_test CONFORM VOD_MOCK WORK_DIR [--live-ms N]\n";
        return 2;
    }
    const Paths paths{argv[1], argv[2], argv[3]};
    // Long enough that the provisioner's longest pause between state reads (2 s) cannot skip a
    // whole running window (0.5N to 1.5N ms), short enough to keep the test near half a minute.
    Timing live{5000, 0};
    for (int i = 4; i < argc; ++i) {
        if (std::strcmp(argv[i], "--live-ms") == 0 && i + 1 < argc) {
            live.live_ms = std::max(1, std::atoi(argv[++i]));
        } else {
            std::cerr << "jit_mutation_test: unknown argument " << argv[i] << "\n";
            return 2;
        }
    }
    fs::create_directories(paths.work);
    const auto contract =
        conform::contract::Contract::load({CONFORM_SOURCE_DIR "/schemas", CONFORM_SOURCE_DIR "/cases"});

    std::vector<std::pair<const vod_mock::MutationInfo*, std::vector<std::string>>> plan;
    bool ok = true;
    for (const auto& name : conform::mutation::transient_state_mutations()) {
        const auto* m = &vod_mock::info(*vod_mock::find_mutation(name));
        std::vector<std::string> unmade;
        auto ids = targets(contract, *m, unmade);
        if (ids.empty()) {
            // Only a kind the contract says cannot be made excuses a mutation; its case runs on a
            // fixtures file (mutation_test's live sweeps).
            fmt::print("{:<28} no case of its rules has a fixture made just in time; {}\n", name,
                       unmade.empty() ? "and nothing says why: FAIL"
                                      : "the API cannot make one for " + fmt::format("{}", fmt::join(unmade, ", ")));
            ok = ok && !unmade.empty();
            continue;
        }
        fmt::print("{:<28} [{}] must be killed on {}\n", name, fmt::join(m->rules, ","), fmt::join(ids, ", "));
        plan.emplace_back(m, std::move(ids));
    }

    fmt::print("\nfaithful mock:\n");
    std::vector<std::string> all_targets;
    for (const auto& [m, ids] : plan) {
        all_targets.insert(all_targets.end(), ids.begin(), ids.end());
    }
    const auto faithful = run_proving(paths, "faithful", live, "", all_targets);
    ok = ok && faithful.ok;
    for (const auto& [id, c] : faithful.cases) {
        const auto verdict = member(c, "verdict");
        if (verdict == "failed" || verdict == "error") {
            fmt::print("  faithful mock: {} {}: {}\n", verdict, id, member(c, "message"));
            ok = false;
        }
    }
    for (const auto& [m, ids] : plan) {
        for (const auto& id : ids) {
            // A target that did not pass here proves nothing when it fails against the mutation.
            if (verdict_of(faithful, id) != "passed") {
                fmt::print("  faithful mock: {} {}, expected passed: {}\n", verdict_of(faithful, id), id,
                           message_of(faithful, id));
                ok = false;
            }
        }
    }

    std::size_t killed_total = 0, targets_total = 0;
    for (const auto& [m, ids] : plan) {
        fmt::print("\n{}:\n", m->name);
        const auto run = run_proving(paths, m->name, live, m->name, ids);
        ok = ok && run.ok;
        for (const auto& id : ids) {
            ++targets_total;
            const auto it = run.cases.find(id);
            const bool killed = it != run.cases.end() && conform::mutation::fails_on_any(it->second, m->rules);
            killed_total += killed ? 1 : 0;
            fmt::print("  {} {} ({})\n", killed ? "KILLED  " : "SURVIVED", id,
                       killed ? "failed on its rule" : verdict_of(run, id) + ": " + message_of(run, id));
            ok = ok && killed;
        }
        for (const auto& [id, c] : run.cases) {
            if (member(c, "verdict") == "failed" && std::find(ids.begin(), ids.end(), id) == ids.end()) {
                fmt::print("  also failed: {} ({})\n", id, member(c, "message"));
            }
        }
    }

    // The control: every answer 40 ms late, each transient state (a queued task's running included)
    // over 10 to 30 ms after it began. Whenever the provisioner's read sees a state, the engine's
    // premise check arrives at least 40 ms later, past that state's end: each target is either not
    // made in time or premise lost, and its step, when it runs at all, finds the state over. (With
    // states of 25 to 75 ms, a check could land inside the window and the step after it: a kill
    // that was not one, seen once on a loaded machine.)
    const Timing moved_on{20, 40};
    fmt::print("\ncontrol, states over before their case (--live-ms {} --latency-ms {}):\n", moved_on.live_ms,
               moved_on.latency_ms);
    std::size_t control_kills = 0;
    for (const auto& [m, ids] : plan) {
        const auto run = provisioned_run(paths, m->name + "-moved-on", moved_on, m->name, ids);
        ok = ok && run.ok;
        for (const auto& id : ids) {
            const auto it = run.cases.find(id);
            const bool killed = it != run.cases.end() && conform::mutation::fails_on_any(it->second, m->rules);
            const auto verdict = verdict_of(run, id);
            // Skipped (not made in time) or premise lost: anything else means the control did not
            // take the premise away, and then it shows nothing.
            const bool lost = verdict == "skipped" || verdict == "premise_lost" || verdict == "inconclusive";
            control_kills += killed ? 1 : 0;
            fmt::print("  {} {} {}: {}\n", killed || !lost ? "BAD" : "ok ", id, verdict, message_of(run, id));
            ok = ok && !killed && lost;
        }
    }
    fmt::print("\njust in time: {}/{} target cases killed; control: {} counted as killed with the states moved on\n",
               killed_total, targets_total, control_kills);
    return ok ? 0 : 1;
}
