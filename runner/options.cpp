#include "options.hpp"

#include <cstdlib>
#include <stdexcept>

namespace conform {

namespace {

constexpr const char* k_usage = R"(conform - run the Huawei Cloud VOD media-asset contract against an endpoint

usage:
  conform run  (--mock | --base-url URL) [options]
  conform list [--cases DIR] [--schemas DIR] [--tag TAG]... [--level MUST|SHOULD] [--generated] [--fixtures-needed]
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

report options (render reports from saved results, e.g. the shards of one run):
  --from FILE             results written by conform run --json (repeatable)

list options:
  --generated             list the generated cases too (gen/RULE/...)
  --fixtures-needed       print how many asset ids of each kind the selected cases take,
                          instead of the cases (what a fixtures file for a real account needs);
                          the requests and consumed assets go to stderr

exit codes: 0 passed, 1 a case failed, 2 bad invocation or contract, 3 mock or report trouble,
            4 no failure but cases could not be evaluated (errors), 5 no failure or error but
            selected MUST cases did not run, 130 interrupted (the report is still written)
)";

using util::UsageError;



}  // namespace

std::optional<std::string> process_environment(const std::string& name)
{
    const char* value = std::getenv(name.c_str());
    return value && *value ? std::optional<std::string>(value) : std::nullopt;
}

const char* usage_text()
{
    return k_usage;
}

Options parse_options(const std::vector<std::string>& args, const Environment& env)
{
    Options o;
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

}  // namespace conform
