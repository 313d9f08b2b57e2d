// Golden files: every reporter's output for one fixed, representative run, normalised and
// compared with its approved copy in tests/golden/ (README there: what is normalised, and how
// to approve a change).
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "contracts.hpp"
#include "golden.hpp"
#include "judged.hpp"
#include "report/console.hpp"
#include "report/html.hpp"
#include "report/junit.hpp"
#include "report/markdown.hpp"
#include "util/random_id.hpp"

using namespace conform;

namespace {

const std::filesystem::path k_golden_dir = CONFORM_GOLDEN_DIR;
const std::string k_token = "golden-token-0123456789";

contract::Case make_case(const char* file, const char* id, const char* operation, contract::Level level,
                         std::vector<std::string> rules, std::vector<std::string> steps, const char* description)
{
    contract::Case c;
    c.id = id;
    c.file = std::string("cases/") + file + "/" + id + ".json";
    c.line = 3;
    c.operation = operation;
    c.level = level;
    c.rules = std::move(rules);
    c.tags = {level == contract::Level::must ? "smoke" : "sdk"};
    c.description = description;
    for (auto& name : steps) {
        contract::Step step;
        step.name = std::move(name);
        c.steps.push_back(std::move(step));
    }
    return c;
}

http::Request request(const char* method, const std::string& path, http::QueryParams query, std::string body)
{
    http::Request r;
    r.method = method;
    r.path = path;
    r.query = std::move(query);
    r.headers.add("Host", "127.0.0.1:38017");
    r.headers.add("User-Agent", "conform/" CONFORM_VERSION);
    r.headers.add("Content-Type", "application/json");
    r.headers.add("X-Auth-Token", "***");  // the engine records requests masked
    r.body = std::move(body);
    return r;
}

http::Response json_response(int status, std::string body)
{
    http::Response r;
    r.status = status;
    r.headers.add("Content-Type", "application/json;charset=UTF-8");
    r.body = std::move(body);
    return r;
}

engine::Exchange exchange(std::string step, std::size_t index, http::Request request,
                          std::optional<http::Response> response, double seconds)
{
    engine::Exchange ex;
    ex.step = std::move(step);
    ex.step_index = index;
    ex.request = std::move(request);
    ex.response = std::move(response);
    ex.seconds = seconds;
    ex.matched = ex.response ? std::optional<std::size_t>(0) : std::nullopt;
    return ex;
}

// One run with every kind of result a report shows: a pass, a MUST failure with two structured
// failures after settling, a SHOULD miss, a transport error, a missing fixture, and an
// interrupted run's cut-off and unrun cases. Asset ids and the start time come fresh, as in a
// real run, so the normalisation is exercised.
struct GoldenRun {
    std::vector<contract::Case> cases = {
        make_case("unpublish-assets", "U1-single-published-asset", "UnpublishAssets", contract::Level::must,
                  {"U1", "R1"}, {"unpublish {{a}}"}, "Unpublishing one PUBLISHED asset answers 200 with its AssetInfo"),
        make_case("delete-assets", "D1-delete-created-asset", "DeleteAssets", contract::Level::must, {"D1", "R1", "R2"},
                  {"delete {{a}}", "probe: {{a}} is gone"},
                  "Deleting a CREATED asset answers DELETED and the asset is gone"),
        make_case("delete-assets", "D8-comma-space-separated-ids", "DeleteAssets", contract::Level::should,
                  {"D8", "R1", "R2"}, {"delete {{a}}, {{b}}"},
                  "asset_id=a, b (comma and space, as the C++ SDK sends it) deletes both"),
        make_case("cancel-asset-transcode-task", "T4-nonexistent-asset", "CancelAssetTranscodeTask",
                  contract::Level::must, {"T4", "R1", "R2"}, {"cancel for {{missing}}"},
                  "Cancelling for a nonexistent asset answers 4xx with the envelope"),
        make_case("confirm-asset-upload", "C1-confirm-created", "ConfirmAssetUpload", contract::Level::must,
                  {"C1", "R1"}, {"confirm {{a}}", "probe: {{a}} exists"},
                  "Confirming an UPLOADING asset with CREATED answers 200 & <echoes> it"),
        make_case("cancel-extract-audio-task", "E1-cancel-queued-extract-audio", "CancelExtractAudioTask",
                  contract::Level::must, {"E1", "R1", "R2"}, {"cancel {{a}}", "cancel {{a}} again"},
                  "A queued extraction is cancelled once"),
        make_case("cancel-extract-audio-task", "E2-running-extract-audio-is-not-cancelled", "CancelExtractAudioTask",
                  contract::Level::must, {"E2", "R1", "R2"}, {"cancel {{a}}"}, "A running extraction is not cancelled"),
        make_case("cancel-asset-transcode-task", "T2-running-transcode-is-not-cancelled", "CancelAssetTranscodeTask",
                  contract::Level::must, {"T2", "R1", "R2"}, {"cancel {{a}}"}, "A running transcode is not cancelled"),
        make_case("cancel-asset-transcode-task", "T1-cancel-queued-transcode", "CancelAssetTranscodeTask",
                  contract::Level::must, {"T1", "R1", "R2"}, {"cancel {{a}}"}, "A queued transcode is cancelled once"),
        make_case("cancel-extract-audio-task", "E1-queued-extract-audio-had-started", "CancelExtractAudioTask",
                  contract::Level::must, {"E1", "R1", "R2"}, {"cancel {{a}}"},
                  "A queued extraction's cancel answered what a started one gets"),
        make_case("cancel-extract-audio-task", "E3-created-asset-has-no-extract-audio-task", "CancelExtractAudioTask",
                  contract::Level::must, {"E3", "R1", "R2"}, {"cancel {{a}}"},
                  "An asset without an extraction task is refused"),
    };
    engine::RunResult run;
    report::ReportContext context;

    GoldenRun()
    {
        const auto base = "/v1.0/p-golden";
        auto result = [&](std::size_t i, engine::Outcome outcome, double started, double seconds) {
            engine::CaseResult r;
            r.test_case = cases[i].summary();
            r.outcome = outcome;
            r.started = started;
            r.seconds = seconds;
            return r;
        };

        const auto published = util::random_id();
        auto passed = result(0, engine::Outcome::passed, 0.0011, 0.0042);
        passed.exchanges.push_back(exchange(
            "unpublish {{a}}", 0,
            request("POST", base + std::string("/asset/status/unpublish"), {},
                    R"({"asset_id":[")" + published + "\"]}"),
            json_response(200, R"({"asset_info_array":[{"asset_id":")" + published + R"(","status":"UNPUBLISHED"}]})"),
            0.0031));
        run.cases.push_back(passed);

        const auto created = util::random_id();
        auto failed = result(1, engine::Outcome::failed, 0.0013, 10.0207);
        failed.step = engine::StepRef{1, "POST", "/v1.0/{project_id}/asset/status/unpublish",
                                      "did not settle within 10.0 s (11 tries)"};
        failed.failures = {
            {"D1", "predicate", "/asset_info_array/[asset_id={{a}}]/status", "\"DELETING\"",
             "one of [\"NOASSET\",\"NO_ASSET\",\"DELETED\"]"},
            {"R1", "content-type", "Content-Type", "\"text/plain\"", "application/json"},
        };
        failed.exchanges.push_back(exchange(
            "delete {{a}}", 0, request("DELETE", base + std::string("/asset"), {{"asset_id", created}}, ""),
            json_response(200, R"({"delete_result_array":[{"asset_id":")" + created + R"(","status":"DELETED"}]})"),
            0.0029));
        http::Response plain =
            json_response(200, R"({"asset_info_array":[{"asset_id":")" + created + R"(","status":"DELETING"}]})");
        plain.headers.set("Content-Type", "text/plain");
        failed.exchanges.push_back(exchange(
            "probe: {{a}} is gone (11 tries in 10.0 s)", 1,
            request("POST", base + std::string("/asset/status/unpublish"), {}, R"({"asset_id":[")" + created + "\"]}"),
            plain, 0.0024));
        run.cases.push_back(failed);

        auto warned = result(2, engine::Outcome::failed, 0.0012, 0.0057);
        warned.step = engine::StepRef{0, "DELETE", "/v1.0/{project_id}/asset?asset_id={{a}}, {{b}}", ""};
        warned.failures = {{"D8", "status", "status", "400", "200"}};
        // An endpoint that echoes the token: every report masks it.
        warned.exchanges.push_back(
            exchange("delete {{a}}, {{b}}", 0,
                     request("DELETE", base + std::string("/asset"),
                             {{"asset_id", util::random_id() + ", " + util::random_id()}}, ""),
                     json_response(400, R"({"error_code":"VOD.10053","error_msg":"illegal field: asset_id (token )" +
                                            k_token + ")\"}"),
                     0.0018));
        run.cases.push_back(warned);

        auto error = result(3, engine::Outcome::error, 0.0014, 0.0009);
        error.cause = engine::Cause::transport;
        error.message = "Couldn't connect to server: Failed to connect to 127.0.0.1 port 38017: Connection refused";
        error.step = engine::StepRef{0, "DELETE", "/v1.0/{project_id}/asset/process?asset_id={{missing}}", ""};
        error.exchanges.push_back(
            exchange("cancel for {{missing}}", 0,
                     request("DELETE", base + std::string("/asset/process"), {{"asset_id", util::random_id()}}, ""),
                     std::nullopt, 0.0008));
        run.cases.push_back(error);

        auto skipped = result(4, engine::Outcome::skipped, 0, 0);
        skipped.cause = engine::Cause::fixtures;
        skipped.message = "needs 1 UPLOADING fixture(s), 0 left in the fixtures (5 used up by earlier runs; see "
                          "fixtures.json.ledger.json)";
        run.cases.push_back(skipped);

        const auto queued = util::random_id();
        auto cut_off = result(5, engine::Outcome::error, 0.0015, 0.0051);
        cut_off.cause = engine::Cause::interrupted;
        cut_off.message = "cut off: the run was interrupted during this case";
        cut_off.step = engine::StepRef{1, "DELETE", "/v1.0/{project_id}/asset/extract_audio?asset_id={{a}}", ""};
        http::Response no_content;
        no_content.status = 204;
        cut_off.exchanges.push_back(
            exchange("cancel {{a}}", 0,
                     request("DELETE", base + std::string("/asset/extract_audio"), {{"asset_id", queued}}, ""),
                     no_content, 0.0022));
        run.cases.push_back(cut_off);

        auto unrun = result(6, engine::Outcome::error, 0, 0);
        unrun.cause = engine::Cause::interrupted;
        unrun.message = "not run: the run was interrupted";
        run.cases.push_back(unrun);

        // Premises: lost before the step (not run), lost after a failed step (the failure kept),
        // an answer a lost unverifiable premise explains, and a pass on such a premise.
        auto lost = result(7, engine::Outcome::skipped, 0.0016, 0.0011);
        lost.cause = engine::Cause::premise_lost;
        lost.premise = engine::PremiseFinding{"a", "golden-transcoding-1", "TRANSCODING",
                                              "transcode_status TRANSCODING", "transcode_status TRANSCODE_SUCCEED"};
        lost.message = "premise lost before step 1, not run: a (TRANSCODING, golden-transcoding-1): expected "
                       "transcode_status TRANSCODING, found transcode_status TRANSCODE_SUCCEED";
        run.cases.push_back(lost);

        const auto started_task = util::random_id();
        auto lost_after = result(8, engine::Outcome::skipped, 0.0017, 0.0033);
        lost_after.cause = engine::Cause::premise_lost;
        lost_after.premise =
            engine::PremiseFinding{"a", "golden-queued-1", "TRANSCODE_QUEUED", "transcode_status WAITING_TRANSCODE",
                                   "transcode_status TRANSCODING"};
        lost_after.message = "premise lost after step 1 failed: a (TRANSCODE_QUEUED, golden-queued-1): expected "
                             "transcode_status WAITING_TRANSCODE, found transcode_status TRANSCODING";
        lost_after.step = engine::StepRef{0, "DELETE", "/v1.0/{project_id}/asset/process?asset_id={{a}}", ""};
        lost_after.failures = {{"T1", "status", "status", "400", "204"}};
        lost_after.exchanges.push_back(exchange(
            "cancel {{a}}", 0,
            request("DELETE", base + std::string("/asset/process"), {{"asset_id", started_task}}, ""),
            json_response(400, R"({"error_code":"VOD.10083","error_msg":"The status does not allow it."})"), 0.0012));
        run.cases.push_back(lost_after);

        auto inconclusive = result(9, engine::Outcome::inconclusive, 0.0018, 0.0021);
        inconclusive.message = "inconclusive: step 1 answered what a would once it moved on (a queued extraction that "
                               "started before the cancel is refused 400 VOD.10083 too)";
        inconclusive.step = engine::StepRef{0, "DELETE", "/v1.0/{project_id}/asset/extract_audio?asset_id={{a}}", ""};
        inconclusive.failures = {{"E1", "status", "status", "400", "204"}};
        run.cases.push_back(inconclusive);

        auto unverified = result(10, engine::Outcome::passed, 0.0019, 0.0013);
        unverified.unverified = true;
        run.cases.push_back(unverified);
        run.premise_queries = 3;

        run.started = std::chrono::system_clock::now();
        run.seconds = 10.0372;
        run.interrupted = true;
        run.requests_sent = 16;
        run.requests_throttled = 2;
        run.quota_wait_seconds = 0.75;

        context.endpoint = "http://127.0.0.1:38017";
        context.run_name = "127.0.0.1";
        context.hostname = "ci-runner-7";
        context.names = test_contracts::vod().report_names();  // suite names and title come from the contract
        context.contract_digest = "sha256:5d41402abc4b2a76b9719d911017c592ae2f7c38e5e6c1e1a5c2b7d6a9e0f3b1";
        context.redactor.add_secret(k_token);
        context.rules = {
            {"R1",
             contract::Level::must,
             "Every JSON response has Content-Type application/json (parameters such as charset allowed).",
             "SPEC produces application/json for every operation",
             {"content-type"}},
            {"R2",
             contract::Level::must,
             "Every response with status 400 or above carries the error envelope {error_code, error_msg}.",
             "SPEC ErrorResponse",
             {"schema:error.schema.json"}},
            {"U1",
             contract::Level::must,
             "Unpublishing existing assets answers 200 with exactly one valid AssetInfo per requested id.",
             "vod_04_0021 (UnpublishAssets)",
             {}},
            {"D1",
             contract::Level::must,
             "Deleting idle assets answers 200 with one DeleteResult per id, DELETED; afterwards the asset is gone.",
             "vod_04_0024 (DeleteAssets)",
             {}},
            {"D8",
             contract::Level::should,
             "asset_id=a, b (comma and space, as the official C++ SDK sends it) is accepted.",
             "huaweicloud-sdk-cpp-v3 VodClient",
             {}},
            {"T4",
             contract::Level::must,
             "A nonexistent asset: 4xx with the envelope (VOD.10062 or VOD.10083).",
             "vod_04_0192",
             {}},
            {"C1",
             contract::Level::must,
             "Confirming an UPLOADING asset with CREATED answers 200 with the request's asset_id.",
             "vod_04_0198",
             {}},
            {"E1",
             contract::Level::must,
             "Cancelling a queued extract-audio task answers 204 with no body.",
             "vod_04_0193",
             {}},
            {"E2",
             contract::Level::must,
             "A running extraction cannot be cancelled: 400 VOD.10083.",
             "vod_04_0193",
             {}},
        };
        test_judged::judge(run, context.strict, context.rules);
    }
};

std::string console_text(const GoldenRun& g, bool verbose)
{
    std::FILE* out = std::tmpfile();
    REQUIRE(out);
    report::ConsoleReporter console(out, g.context, false, verbose);
    for (const auto& r : g.run.cases) {
        console.case_finished(r);
    }
    console.run_finished(g.run);
    std::fflush(out);
    std::rewind(out);
    std::string text;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, out)) > 0;) {
        text.append(buffer, n);
    }
    std::fclose(out);
    return text;
}

// name -> the report as conform writes it.
std::vector<std::pair<std::string, std::string>> reports(const GoldenRun& g)
{
    return {
        {"console.txt", console_text(g, false)},
        {"console-verbose.txt", console_text(g, true)},
        {"junit-portable.xml", report::junit_xml(g.run, g.context, report::JunitForm::portable)},
        {"junit-extended.xml", report::junit_xml(g.run, g.context, report::JunitForm::extended)},
        {"summary.md", report::markdown_summary(g.run, g.context)},
        {"report.html", report::HtmlReporter("unused.html", g.context, report::Spool::Backing::memory).page(g.run)},
    };
}

std::string read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const std::filesystem::path& path, const std::string& text)
{
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

bool approving()
{
    const char* value = std::getenv("CONFORM_APPROVE");
    return value && std::string(value) == "1";
}

// Sets TZ for the scope (a POSIX rule, so no time zone database is needed).
class TimeZone {
  public:
    explicit TimeZone(const char* rule)
        : m_old(std::getenv("TZ") ? std::optional<std::string>(std::getenv("TZ")) : std::nullopt)
    {
        ::setenv("TZ", rule, 1);
        ::tzset();
    }
    ~TimeZone()
    {
        m_old ? ::setenv("TZ", m_old->c_str(), 1) : ::unsetenv("TZ");
        ::tzset();
    }
    TimeZone(const TimeZone&) = delete;
    TimeZone& operator=(const TimeZone&) = delete;

  private:
    std::optional<std::string> m_old;
};

}  // namespace

TEST_CASE("every report matches its approved golden file, normalised (CONFORM_APPROVE=1 re-approves)", "[golden]")
{
    GoldenRun g;
    for (const auto& [name, text] : reports(g)) {
        CAPTURE(name);
        CHECK(text.find(k_token) == std::string::npos);
        const auto golden = k_golden_dir / name;
        const auto actual = golden::normalise(text);
        if (approving()) {
            write_file(golden, actual);
            WARN("approved: wrote " << golden.string());
            continue;
        }
        const auto approved = std::filesystem::exists(golden) ? read_file(golden) : std::string();
        const auto diff = golden::unified_diff(approved, actual, "tests/golden/" + name);
        if (!diff.empty()) {
            const auto unapproved = std::filesystem::path(CONFORM_TEST_OUTPUT) / "golden" / name;
            write_file(unapproved, actual);
            FAIL_CHECK(name << " differs from its approved copy" << (approved.empty() ? " (there is none yet)" : "")
                            << ":\n"
                            << diff << "\nThe report as it is now: " << unapproved.string()
                            << "\nIf the change is intended, re-approve and commit the golden file with it:\n"
                               "  CONFORM_APPROVE=1 build/bin/unit_tests '[golden]'   (see tests/golden/README.md)");
        }
    }
}

TEST_CASE("the reports do not depend on the time zone", "[golden]")
{
    GoldenRun g;
    const auto in_utc = [&] {
        TimeZone utc("UTC0");
        return reports(g);
    }();
    TimeZone chatham("CHAST-12:45");  // UTC+12:45: a local time would show in the dates
    std::time_t now = std::time(nullptr);
    std::tm local{}, utc{};
    localtime_r(&now, &local);
    gmtime_r(&now, &utc);
    REQUIRE(local.tm_min != utc.tm_min);  // the zone took effect
    const auto elsewhere = reports(g);
    REQUIRE(in_utc.size() == elsewhere.size());
    for (std::size_t i = 0; i < in_utc.size(); ++i) {
        CAPTURE(in_utc[i].first);
        CHECK(golden::unified_diff(in_utc[i].second, elsewhere[i].second, in_utc[i].first).empty());
    }
}

TEST_CASE("normalising replaces what changes between runs, and nothing else", "[golden]")
{
    using golden::normalise;
    CHECK(normalise("timestamp=\"2026-12-01T03:20:00\" at 2026-12-01 03:20:00 UTC, 2026-11-30T00:53:20.123Z") ==
          "timestamp=\"{date}\" at {date} UTC, {date}");
    CHECK(
        normalise("PASS  D1-a MUST 0.004s; (3 requests, 0.500 s) time=\"0.012\" <property name=\"quota.wait_seconds\" "
                  "value=\"0.750\"/>") ==
        "PASS  D1-a MUST {s}s; (3 requests, {s} s) time=\"{s}\" <property name=\"quota.wait_seconds\" value=\"{s}\"/>");
    CHECK(normalise("'http://127.0.0.1:38017/v1.0/p' https://user@host:443/x; to 127.0.0.1 port 38017: refused\n> "
                    "Host: 127.0.0.1:38017") == "'http://127.0.0.1:{port}/v1.0/p' https://user@host:{port}/x; to "
                                                "127.0.0.1 port {port}: refused\n> Host: 127.0.0.1:{port}");
    CHECK(normalise("asset_id=0123456789abcdef0123456789abcdef%2C%200123456789abcdef0123456789abcdef&x="
                    "0123456789abcdef0123456789abcdef00") ==
          "asset_id={id}%2C%20{id}&x=0123456789abcdef0123456789abcdef00");
    CHECK(normalise("conform " CONFORM_VERSION ", User-Agent: conform/" CONFORM_VERSION) ==
          "conform {version}, User-Agent: conform/{version}");
    // What is the same in every run stays: rule ids, counts, statuses, addresses, error codes.
    const std::string stable =
        "[D8] status: got 400, expected 200 (step 1, DELETE /v1.0/{project_id}/asset) 127.0.0.1 VOD.10053 10 cases";
    CHECK(normalise(stable) == stable);
}

TEST_CASE("a golden mismatch shows a unified diff with context", "[golden]")
{
    CHECK(golden::unified_diff("a\nb\n", "a\nb\n", "x").empty());
    CHECK(golden::unified_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n", "x.txt") ==
          "--- x.txt (approved)\n+++ x.txt (now)\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
    CHECK(golden::unified_diff("", "new\n", "x") == "--- x (approved)\n+++ x (now)\n@@ -1,0 +1,1 @@\n+new\n");
}
