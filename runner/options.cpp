#include "options.hpp"

#include <cstdlib>
#include <stdexcept>

#include "engine/transport.hpp"

namespace conform {

namespace {

constexpr const char* k_usage = R"(conform - run the Huawei Cloud VOD media-asset contract against an endpoint

usage:
  conform run  (--mock | --base-url URL) [options]
  conform list [--cases DIR] [--schemas DIR] [--tag TAG]... [--level MUST|SHOULD] [--generated] [--fixtures-needed] [--shard K/N]
  conform lint [--cases DIR] [--schemas DIR]
  conform report --from FILE... [--junit FILE] [--junit-form FORM] [--html FILE] [--markdown FILE]
  conform baseline --from FILE... [--reason TEXT] [--output FILE]
  conform diff OLD.json NEW.json [--markdown] [--fail-on-drift] [--latency-ratio R] [--latency-floor SECONDS]
  conform provision (--base-url URL) --fixtures-out FILE [run options]
  conform cleanup (--base-url URL) --fixtures FILE [run options]
  conform sweep (--base-url URL) --older-than DURATION [--dry-run] [run options]
  conform --help | --version

run options:
  --mock                  start the bundled vod-mock on a free loopback port and run against it
  --base-url URL          the endpoint, e.g. https://vod.cn-north-4.myhuaweicloud.com
  --project-id ID         project id in the paths; without it HUAWEICLOUD_SDK_PROJECT_ID, then the
                          fixtures file's project_id (the flag wins over both)
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
  --generated             include the cases generated from the OpenAPI document (gen/RULE/...;
                          default with --mock only: against an endpoint they cost requests and fixtures)
  --no-generated          leave them out, also with --mock
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
  --baseline FILE         known deviations (schemas/baseline.schema.json): the failures it lists do not
                          gate and are reported as known; a listed case that passes is reported fixed
  --strict-baseline       fixed and expired baseline entries fail the run too
  --shard K/N             run part K of N of the selected cases (balanced by requests; with --fixtures,
                          shard K takes every N-th id of each kind, so N shards share one file)

fixtures made through the API (contract.json provision; README "Running against the real service"):
  --provision             run: make the fixtures the selected cases need (stable kinds up front,
                          transient ones right before their case), run, then remove them
  --keep-fixtures         run --provision: keep them and write them as a fixtures file
                          (reports/provisioned-fixtures.json, or --fixtures-out FILE)
  --fixtures-out FILE     provision: write the fixtures made there, and what was made to
                          FILE.provisioned.json (for conform cleanup)
  --template-group NAME   the transcoding template group (default system_template_group)
  --review-template ID    a review template set up in the console (regions with review only);
                          without it REVIEWING cases are skipped
  --older-than DURATION   sweep: remove what runs left that is older than this (30s, 15m, 2h, 1d)
  --dry-run               sweep: list what would be removed, remove nothing
  cleanup --fixtures FILE removes what conform provision (or run --provision --keep-fixtures) made

report options (render reports from saved results, e.g. the shards of one run):
  --from FILE             results written by conform run --json (repeatable)

list options:
  --generated             list the generated cases too (gen/RULE/...)
  --fixtures-needed       print how many asset ids of each kind the selected cases take,
                          instead of the cases (what a fixtures file for a real account needs);
                          the requests and consumed assets go to stderr
  --shard K/N             list part K of N, as conform run --shard K/N runs it

baseline options (a baseline of a run's failures, for conform run --baseline):
  --from FILE             results written by conform run --json (repeatable: shards)
  --reason TEXT           why they are accepted (default: where they come from)
  --output FILE           write it there (default: standard output)

diff options (what changed between two runs' --json results; exit 1 when a case regressed):
  --markdown              Markdown instead of text, e.g. for $GITHUB_STEP_SUMMARY
  --fail-on-drift         exit 1 on drift within the contract too (alternatives, shapes, latency)
  --latency-ratio R       median latency drifts when R times the other run's (default 1.5) ...
  --latency-floor SECONDS ... and at least this far from it (default 0.05)

exit codes: 0 passed, 1 a case failed (or regressed, for diff), 2 bad invocation, contract, fixtures
            or baseline, 3 the environment refused (a temporary or report folder, the mock, the ledger),
            4 no failure but cases could not be evaluated (errors), 5 no failure or error but
            selected MUST cases did not run, 70 a bug in conform, 130 interrupted (the report is still written)
)";

using util::UsageError;

// conform baseline and conform diff: flags of their own, and diff's two files.
void parse_compare_options(Options& o, util::ArgReader& reader)
{
    while (reader.next()) {
        const auto& flag = reader.flag();
        if (flag == "--schemas") {
            o.schemas_dir = reader.value();
        } else if (o.command == "baseline" && flag == "--from") {
            o.from.emplace_back(reader.value());
        } else if (o.command == "baseline" && flag == "--reason") {
            o.reason = reader.value();
        } else if (o.command == "baseline" && flag == "--output") {
            o.output = reader.value();
        } else if (o.command == "diff" && flag == "--markdown") {
            o.drift_markdown = true;
        } else if (o.command == "diff" && flag == "--fail-on-drift") {
            o.fail_on_drift = true;
        } else if (o.command == "diff" && flag == "--latency-ratio") {
            o.latency_ratio = reader.number(1, 1000);
        } else if (o.command == "diff" && flag == "--latency-floor") {
            o.latency_floor = reader.number(0, 3600);
        } else if (o.command == "diff" && !flag.starts_with("-")) {
            o.compared.emplace_back(flag);
        } else {
            throw UsageError("unknown option " + flag + " for 'conform " + o.command + "'");
        }
    }
    if (o.command == "baseline" && o.from.empty()) {
        throw UsageError("conform baseline needs --from FILE (results of conform run --json)");
    }
    if (o.command == "diff" && o.compared.size() != 2) {
        throw UsageError("conform diff needs two results files, OLD.json NEW.json (of conform run --json)");
    }
}

engine::Shard shard_flag(util::ArgReader& reader)
{
    try {
        return engine::parse_shard(reader.value());
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--shard: ") + e.what());
    }
}

}  // namespace

bool is_provision_command(const std::string& command)
{
    return command == "provision" || command == "cleanup" || command == "sweep";
}

std::optional<std::string> process_environment(const std::string& name)
{
    const char* value = std::getenv(name.c_str());
    return value && *value ? std::optional<std::string>(value) : std::nullopt;
}

const char* usage_text()
{
    return k_usage;
}

Options parse_options(const std::vector<std::string>& args)
{
    Options o;
    if (args.empty()) {
        throw UsageError("no command given");
    }
    o.command = args[0];
    const bool endpoint_command = o.command == "run" || is_provision_command(o.command);
    if (!endpoint_command && o.command != "list" && o.command != "lint" && o.command != "report" &&
        o.command != "baseline" && o.command != "diff") {
        throw UsageError("unknown command '" + o.command + "'");
    }
    util::ArgReader reader(std::vector<std::string>(args.begin() + 1, args.end()));
    if (o.command == "baseline" || o.command == "diff") {
        parse_compare_options(o, reader);
        return o;
    }
    while (reader.next()) {
        const auto& flag = reader.flag();
        auto only_for_run = [&] {
            if (!endpoint_command && o.command != "report") {
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
        } else if (o.command == "report" && flag != "--junit" && flag != "--junit-form" && flag != "--html" &&
                   flag != "--markdown") {
            throw UsageError("unknown option " + flag + " for 'conform report'");
        } else if (flag == "--fixtures-needed" && o.command == "list") {
            o.fixtures_needed = true;
        } else if (flag == "--shard" && (o.command == "list" || o.command == "run")) {
            o.shard = shard_flag(reader);
        } else if (flag == "--case") {
            o.case_ids.insert(reader.value());
        } else if ((flag == "--generated" || flag == "--no-generated") && o.command != "report") {
            o.generated = flag == "--generated";
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
            } else if (flag == "--baseline") {
                o.baseline = reader.value();
            } else if (flag == "--strict-baseline") {
                o.strict_baseline = true;
            } else if (!parse_provision_flag(o, flag, reader)) {
                throw UsageError("unknown option " + flag);
            }
        }
    }
    if (o.command == "report" && o.from.empty()) {
        throw UsageError("conform report needs --from FILE (results of conform run --json)");
    }
    if (!endpoint_command) {
        return o;
    }
    // The flags only: the environment is read once, with the fixtures file, by resolve_run.
    if (o.ak.has_value() != o.sk.has_value()) {
        throw UsageError("--ak and --sk go together");
    }
    if (o.token && o.ak) {
        throw UsageError("give either a token or an AK/SK pair, not both");
    }
    check_provision_options(o);
    if (o.mock && (!o.base_url.empty() || o.fixtures)) {
        throw UsageError("--mock starts its own endpoint and fixtures: drop --base-url and --fixtures");
    }
    if (!o.mock && o.base_url.empty()) {
        throw UsageError("give --base-url URL, or --mock to run against the bundled mock");
    }
    if (!o.mock && !o.base_url.starts_with("http://") && !o.base_url.starts_with("https://")) {
        throw UsageError("--base-url: '" + o.base_url + "' is not an http:// or https:// URL");
    }
    if (const auto problem = o.mock ? std::nullopt : engine::base_url_problem(o.base_url)) {
        throw UsageError("--base-url: " + *problem);
    }
    if (o.strict_baseline && !o.baseline) {
        throw UsageError("--strict-baseline needs --baseline FILE");
    }
    if (!o.cacert.empty() && !std::filesystem::exists(o.cacert)) {
        throw UsageError("--cacert: " + o.cacert + " not found");
    }
    return o;
}

}  // namespace conform
