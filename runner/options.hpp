// conform's command line: the flags of each command, read into one value. Kept apart from the
// commands so that every message a user sees for a wrong flag is unit-tested.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "contract/case.hpp"
#include "engine/quota.hpp"
#include "engine/shard.hpp"
#include "report/junit.hpp"
#include "util/args.hpp"

namespace conform {

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
    // Include the cases generated from the OpenAPI document; unset: with --mock only.
    std::optional<bool> generated;
    std::optional<std::filesystem::path> mock_binary;
    std::vector<std::string> mock_args;
    // Regression checks over time (README "Checking an endpoint over time").
    std::optional<std::filesystem::path> baseline;  // run: known deviations
    bool strict_baseline = false;                   // run: fixed and expired entries gate
    std::optional<engine::Shard> shard;             // run, list: --shard K/N
    std::string reason;                             // baseline: the entries' reason
    std::optional<std::filesystem::path> output;    // baseline: the file (default: stdout)
    std::vector<std::filesystem::path> compared;    // diff: OLD.json NEW.json
    bool drift_markdown = false;                    // diff --markdown
    bool fail_on_drift = false;                     // diff: drift within the contract gates too
    double latency_ratio = 1.5;                     // diff: see compare::DriftOptions
    double latency_floor = 0.05;
    // Fixtures made through the API (README "Running against the real service"): run --provision,
    // provision, cleanup, sweep.
    bool provision = false;                             // run: make the fixtures, clean up after
    bool keep_fixtures = false;                         // run --provision: keep them, write a fixtures file
    std::map<std::string, std::string> settings;        // contract.json provision settings, by name
    std::optional<std::filesystem::path> fixtures_out;  // provision: the fixtures file to write
    std::optional<double> older_than;                   // sweep: seconds
    bool dry_run = false;                               // sweep: list only
};

// Looks up an environment variable; nullopt when unset or empty. Read by resolve_run only
// (runner/context.hpp), injected in tests.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
std::optional<std::string> process_environment(const std::string& name);

// The arguments after the program name, flags only. Throws util::UsageError naming the flag.
Options parse_options(const std::vector<std::string>& args);

// provision, cleanup and sweep: commands that talk to an endpoint, with run's flags.
bool is_provision_command(const std::string& command);
// Their own flags (runner/provision_options.cpp): false when flag is none of them.
bool parse_provision_flag(Options& o, const std::string& flag, util::ArgReader& reader);
// What they need, checked after every flag is read; throws util::UsageError.
void check_provision_options(const Options& o);
// "30s", "15m", "2h", "1d", "0s": seconds; throws util::UsageError naming flag.
double parse_duration(const std::string& text, const std::string& flag);

// conform --help.
const char* usage_text();

}  // namespace conform
