// Benchmarks, printed as figures (never asserted): the suite against a local vod-mock, the bare
// libcurl floor, a 50 ms endpoint, growth with 10x and 100x the cases, the mock's own requests
// per second and how fast it answers with 800 idle or half-sent connections open, and a run
// behind a throttling gateway against its quota's floor, and a provisioned run (fixtures made,
// used and removed through the API) behind the real service's quota with live states, against
// the floor its quota windows allow.
// Everything runs on loopback, bounded in count and time.
//
// usage: bench BUILD_BIN_DIR SOURCE_DIR [--quick | --provisioned (that run only)]
#include <curl/curl.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <fmt/format.h>

#include "contract/contract.hpp"
#include "contract/json_file.hpp"
#include "engine/fixtures.hpp"
#include "engine/run.hpp"
#include "raw_client.hpp"
#include "util/process.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const std::string k_token = "bench-token-0123456789";

std::vector<std::string> arguments(const fs::path& bin, std::size_t seed, int latency_ms,
                                   const std::vector<std::string>& extra, const fs::path& fixtures)
{
    std::vector<std::string> args = {(bin / "vod-mock").string(),
                                     "--port",
                                     "0",
                                     "--seed",
                                     std::to_string(seed),
                                     "--token",
                                     k_token,
                                     "--project-id",
                                     "bench",
                                     "--fixtures-out",
                                     fixtures.string(),
                                     "--latency-ms",
                                     std::to_string(latency_ms)};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

// A vod-mock process with fresh fixtures, stopped when this goes out of scope.
struct Mock {
    fs::path fixtures;
    conform::util::Process child;
    std::string url;

    Mock(const fs::path& bin, std::size_t seed, int latency_ms, const std::vector<std::string>& extra = {})
        : fixtures(fs::temp_directory_path() / fmt::format("bench-fixtures-{}.json", ::getpid())),
          child(arguments(bin, seed, latency_ms, extra, fixtures))
    {
        const auto line = child.read_line(std::chrono::seconds(10));
        const auto listening = conform::util::listening_url(line.value_or(""));
        if (!listening) {
            throw std::runtime_error("vod-mock did not start: " + line.value_or("no line"));
        }
        url = *listening;
    }
    // Stops the mock; what it printed after its first line (its closing lines).
    std::string stop()
    {
        child.terminate();
        return child.read_all();
    }
    ~Mock()
    {
        child.terminate();
        fs::remove(fixtures);
        // What conform keeps beside a fixtures file (README: The fixtures ledger).
        fs::remove(fixtures.string() + ".ledger.json");
        fs::remove(fixtures.string() + ".ledger.lock");
    }
};

struct RunFigures {
    double wall = 0;    // the conform process, start to exit
    double engine = 0;  // the run itself, as conform reports it
    std::size_t requests = 0;
    long peak_rss_kb = 0;
    bool passed = false;
    std::size_t throttled = 0;     // 429s resent
    std::size_t false_alarms = 0;  // failures and errors against the faithful mock
    std::string output;            // conform's stdout
};

RunFigures run_conform(const fs::path& bin, const std::vector<std::string>& extra)
{
    std::vector<std::string> args = {(bin / "conform").string(),
                                     "run",
                                     "--token",
                                     k_token,
                                     "--junit",
                                     (fs::temp_directory_path() / "bench-junit.xml").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto start = Clock::now();
    conform::util::Process child(args);
    const auto output = child.read_all();
    rusage usage{};
    const int status = child.wait(&usage);
    RunFigures f;
    f.wall = std::chrono::duration<double>(Clock::now() - start).count();
    f.peak_rss_kb = usage.ru_maxrss;
    f.passed = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    std::smatch m;
    if (std::regex_search(output, m, std::regex(R"(\((\d+) requests, ([0-9.]+) s\))"))) {
        f.requests = std::stoul(m[1]);
        f.engine = std::stod(m[2]);
    }
    if (std::regex_search(output, m, std::regex(R"((\d+) failed, (\d+) errors)"))) {
        f.false_alarms = std::stoul(m[1]) + std::stoul(m[2]);
    }
    if (std::regex_search(output, m, std::regex(R"(quota: (\d+) request)"))) {
        f.throttled = std::stoul(m[1]);
    }
    f.output = output;
    return f;
}

RunFigures median_of(int repeats, const std::function<RunFigures()>& once)
{
    std::vector<RunFigures> runs;
    for (int i = 0; i < repeats; ++i) {
        runs.push_back(once());
    }
    std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.engine < b.engine; });
    auto mid = runs[runs.size() / 2];
    mid.passed = std::all_of(runs.begin(), runs.end(), [](const auto& r) { return r.passed; });
    mid.peak_rss_kb = std::max_element(runs.begin(), runs.end(), [](const auto& a, const auto& b) {
                          return a.peak_rss_kb < b.peak_rss_kb;
                      })->peak_rss_kb;
    return mid;
}

std::size_t seed_for(const conform::contract::Contract& contract, std::size_t copies)
{
    std::vector<const conform::contract::Case*> cases;
    for (const auto& c : contract.cases()) {
        cases.push_back(&c);
    }
    return conform::engine::fixtures_per_kind(cases, contract.generated_kinds()) * copies;
}

// The suite's requests, built as the runner builds them, sent back to back over one reused
// connection with no checking: the floor of what sending them costs.
double floor_seconds_per_request(const conform::contract::Contract& contract, const fs::path& bin, std::size_t* sent)
{
    Mock mock(bin, seed_for(contract, 1), 0);  // contract: already the scaled one
    auto pool = conform::engine::FixturePool::load(mock.fixtures, contract);
    conform::engine::FixtureAllocator allocator(pool, contract.generated_kinds());
    conform::engine::RunOptions options;
    options.base_url = mock.url;
    options.run_bindings = {{"project_id", "bench"}};
    options.credentials = {conform::engine::Credentials::Mode::token, k_token, {}};
    std::vector<conform::http::Request> requests;
    for (const auto& c : contract.cases()) {
        auto allocation = allocator.allocate(c);
        allocation.bindings["project_id"] = "bench";
        for (const auto& step : c.steps) {
            requests.push_back(conform::engine::build_request(contract, step, allocation.bindings, options));
        }
    }
    CURL* curl = curl_easy_init();
    std::string sink;
    auto start = Clock::now();
    for (const auto& r : requests) {
        sink.clear();
        auto url = mock.url + r.target();
        curl_slist* headers = nullptr;
        for (const auto& h : r.headers) {
            headers = curl_slist_append(headers, (h.name + ": " + h.value).c_str());
        }
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, r.method.c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, r.body.empty() ? nullptr : r.body.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body.size()));
        curl_easy_setopt(
            curl, CURLOPT_WRITEFUNCTION, +[](char* d, size_t s, size_t n, void* u) {
                static_cast<std::string*>(u)->append(d, s * n);
                return s * n;
            });
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
        curl_easy_perform(curl);
        curl_slist_free_all(headers);
    }
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    curl_easy_cleanup(curl);
    *sent = requests.size();
    return seconds / static_cast<double>(requests.size());
}

// A copy of the cases folder with every case repeated `copies` times under new ids.
fs::path scaled_cases(const fs::path& cases, std::size_t copies)
{
    auto dir = fs::temp_directory_path() / fmt::format("bench-cases-x{}-{}", copies, ::getpid());
    fs::remove_all(dir);
    for (const auto& entry : fs::recursive_directory_iterator(cases)) {
        if (entry.path().extension() != ".json") {
            continue;
        }
        auto json = conform::contract::read_json_file(entry.path());
        fs::create_directories(dir / entry.path().parent_path().filename());
        for (std::size_t k = 0; k < copies; ++k) {
            json["id"] = entry.path().stem().string() + "-copy" + std::to_string(k);
            json["description"] = conform::contract::read_json_file(entry.path())["description"].get<std::string>() +
                                  " (copy " + std::to_string(k) + ")";
            std::ofstream(dir / entry.path().parent_path().filename() / (json["id"].get<std::string>() + ".json"))
                << json.dump();
        }
    }
    return dir;
}

// Requests per second the mock answers: `threads` keep-alive clients, `total` requests.
double mock_requests_per_second(const conform::contract::Contract& contract, const fs::path& bin, int threads,
                                int total)
{
    Mock mock(bin, 1, 0);
    auto pool = conform::engine::FixturePool::load(mock.fixtures, contract);
    const auto id = pool.ids_by_kind.at("CREATED").front();
    const auto url = mock.url + "/v1.0/bench/asset/status/unpublish";
    const auto body = R"({"asset_id":[")" + id + R"("]})";
    auto start = Clock::now();
    std::vector<std::thread> clients;
    for (int t = 0; t < threads; ++t) {
        clients.emplace_back([&] {
            CURL* curl = curl_easy_init();
            curl_slist* headers = curl_slist_append(nullptr, ("X-Auth-Token: " + k_token).c_str());
            headers = curl_slist_append(headers, "Content-Type: application/json");
            std::string sink;
            curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
            curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
            curl_easy_setopt(
                curl, CURLOPT_WRITEFUNCTION, +[](char*, size_t s, size_t n, void*) { return s * n; });
            for (int i = 0; i < total / threads; ++i) {
                curl_easy_perform(curl);
            }
            curl_slist_free_all(headers);
            curl_easy_cleanup(curl);
        });
    }
    for (auto& c : clients) {
        c.join();
    }
    return total / std::chrono::duration<double>(Clock::now() - start).count();
}

// Milliseconds the mock takes to answer a request while `each` idle and `each` half-sent
// connections are open (median of 5 requests, each on a new connection).
double mock_milliseconds_with_open_connections(const fs::path& bin, int each)
{
    if (!raise_descriptor_limit(static_cast<rlim_t>(2 * each + 100))) {
        throw std::runtime_error(
            fmt::format("{} open files needed; the hard limit is lower (ulimit -Hn)", 2 * each + 100));
    }
    Mock mock(bin, 1, 0);
    const int port = std::stoi(mock.url.substr(mock.url.rfind(':') + 1));
    const std::string head =
        "POST /v1.0/bench/asset/status/unpublish HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: " + k_token;
    const std::string request =
        "DELETE /v1.0/bench/asset?asset_id=nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: " + k_token +
        "\r\n\r\n";
    std::vector<RawClient> open;
    for (int i = 0; i < each; ++i) {
        open.emplace_back(port);
        open.emplace_back(port).send(head);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::vector<double> times;
    for (int i = 0; i < 5; ++i) {
        RawClient client(port);
        auto start = Clock::now();
        client.send(request);
        if (!client.read_reply(std::chrono::seconds(30))) {
            throw std::runtime_error("the mock did not answer within 30 s");
        }
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

// Redaction runs over every recorded body and message: its speed over JSON text full of the
// bytes that can start an escaped or encoded secret (digits, letters, %, \), with the secrets
// of an AK/SK run plus a token the size of an IAM token.
std::string redaction_figure()
{
    conform::http::Redactor redactor;
    redactor.add_secret(std::string(6000, 'M') + "IIE-token-tail");
    redactor.add_secret("CONFORMBENCHAK000001");
    redactor.add_secret("conform-bench-secret-key-0123456789abcdef");
    std::string body;
    while (body.size() < 4 * 1024 * 1024) {
        body += R"({"asset_id":"0a1b2c3d4e5f60718293a4b5c6d7e8f9","url":"https:\/\/x%2Fy%3D","status":"PUBLISHED"},)";
    }
    const auto start = std::chrono::steady_clock::now();
    const int rounds = 5;
    std::size_t out_bytes = 0;
    for (int i = 0; i < rounds; ++i) {
        out_bytes += redactor(body).size();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return fmt::format(
        "redaction: {:.0f} MB/s over JSON text with 3 secrets in all their forms ({} x {:.1f} MB in, {:.1f} MB out)",
        static_cast<double>(rounds * body.size()) / seconds / 1e6, rounds, static_cast<double>(body.size()) / 1e6,
        static_cast<double>(out_bytes) / 1e6);
}

// A provisioned run (conform run --provision, the generated cases included, as with --mock) against
// vod-mock with the real service's quota (--rate-limit 100/60: management and processing, in one
// window where the service gives each its own; --query-rate-limit 1500/60: upload and queries) and
// live states (--live-ms 4000). Its wall time against the floor of each quota window, from the
// requests the mock admitted: at the window's rate (N / rate), and with the sliding window's
// first burst ((ceil(N / quota) - 1) x window: the first `quota` go at once).
void provisioned_figures(const fs::path& bin)
{
    struct Window {
        std::string flag;
        double quota = 0, seconds = 0;
        std::size_t admitted = 0, refused = 0;
    };
    Mock mock(bin, 0, 0, {"--live-ms", "4000", "--rate-limit", "100/60", "--query-rate-limit", "1500/60"});
    const auto f = run_conform(bin, {"--base-url", mock.url, "--project-id", "bench", "--provision",
                                     "--review-template", "bench-review-template", "--generated"});
    const auto closing = mock.stop();
    std::vector<Window> windows;
    const std::regex window_line(R"(vod-mock: (\S+) (\d+)/([0-9.]+): (\d+) requests admitted, (\d+) refused)");
    for (std::sregex_iterator it(closing.begin(), closing.end(), window_line), end; it != end; ++it) {
        windows.push_back(
            {(*it)[1], std::stod((*it)[2]), std::stod((*it)[3]), std::stoul((*it)[4]), std::stoul((*it)[5])});
    }
    std::smatch m;
    const auto line = [&](const std::string& text, const char* pattern) {
        return std::regex_search(text, m, std::regex(pattern)) ? m.str(1) : std::string("(not printed)");
    };
    fmt::print("\nprovisioned run (conform run --provision --generated; vod-mock --seed 0 --live-ms 4000 --rate-limit "
               "100/60 --query-rate-limit 1500/60):\n");
    fmt::print("  {} in {:.1f} s (the run itself {:.1f} s); {} case requests, {} throttled (429) and resent\n",
               f.false_alarms == 0 ? "no false alarm" : fmt::format("{} FALSE ALARMS", f.false_alarms), f.wall,
               f.engine, f.requests, f.throttled);
    fmt::print("  the plan's estimate for the real service: {}\n", line(f.output, R"(      (about \d+ s: [^\n]*))"));
    fmt::print("  made, by quota category: {}\n",
               line(f.output, R"(provision: requests to make them, by quota category: ([^\n]*))"));
    fmt::print("  removed, by quota category: {}\n",
               line(f.output, R"(provision: requests to remove them, by quota category: ([^\n]*))"));
    fmt::print("  the mock's closing line: {}\n", line(closing, R"((vod-mock: created [^\n]*))"));
    double floor_rate = 0, floor_burst = 0;
    for (const auto& w : windows) {
        const double at_rate = static_cast<double>(w.admitted) * w.seconds / w.quota;
        const double with_burst = std::max(0.0, std::ceil(static_cast<double>(w.admitted) / w.quota) - 1) * w.seconds;
        floor_rate = std::max(floor_rate, at_rate);
        floor_burst = std::max(floor_burst, with_burst);
        fmt::print("  {} {:g}/{:g}: {} requests admitted, {} refused; floor {:.1f} s at its rate, {:.1f} s with its "
                   "first burst\n",
                   w.flag, w.quota, w.seconds, w.admitted, w.refused, at_rate, with_burst);
    }
    fmt::print("  wall time {:.1f} s = {:.2f}x the floor at the quota's rate ({:.1f} s), {:.2f}x the floor with the "
               "first burst ({:.1f} s)\n",
               f.wall, f.wall / std::max(floor_rate, 1e-9), floor_rate, f.wall / std::max(floor_burst, 1e-9),
               floor_burst);
}

std::string row(const std::string& what, const RunFigures& f)
{
    return fmt::format("| {:<44} | {:>8.3f} s | {:>8.3f} s | {:>6} | {:>9.0f} | {:>7.1f} MB | {} |", what, f.engine,
                       f.wall, f.requests, f.requests / std::max(f.engine, 1e-9), f.peak_rss_kb / 1024.0,
                       f.passed ? "yes" : "NO");
}

}  // namespace

int run_bench(int argc, char** argv);

int main(int argc, char** argv)
{
    try {
        return run_bench(argc, argv);
    } catch (const std::exception& e) {
        fmt::print(stderr, "bench: {}\n", e.what());
        return 1;
    }
}

int run_bench(int argc, char** argv)
{
    if (argc < 3) {
        fmt::print(stderr, "usage: bench BUILD_BIN_DIR SOURCE_DIR [--quick | --provisioned]\n");
        return 2;
    }
    const fs::path bin = argv[1], source = argv[2];
    const bool quick = argc > 3 && std::string(argv[3]) == "--quick";
    if (argc > 3 && std::string(argv[3]) == "--provisioned") {
        provisioned_figures(bin);
        return 0;
    }
    const int repeats = quick ? 1 : 5;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    auto contract = conform::contract::Contract::load({source / "schemas", source / "cases"});
    std::size_t longest_chain = 0;
    for (const auto& c : contract.cases()) {
        longest_chain = std::max(longest_chain, c.steps.size());
    }

    fmt::print("bench: {} cases, {} rules; median of {} run(s); {} cores\n\n", contract.cases().size(),
               contract.rules().size(), repeats, std::thread::hardware_concurrency());
    fmt::print("| {:<44} | {:>10} | {:>10} | {:>6} | {:>9} | {:>10} | {} |\n", "run", "run time", "process", "reqs",
               "req/s", "peak RSS", "passed");
    fmt::print("|{:-<46}|{:-<12}|{:-<12}|{:-<8}|{:-<11}|{:-<12}|{:-<8}|\n", "", "", "", "", "", "", "");

    for (int jobs : {1, 4}) {
        auto f = median_of(repeats, [&] {
            Mock mock(bin, seed_for(contract, 1), 0);
            return run_conform(
                bin, {"--base-url", mock.url, "--fixtures", mock.fixtures.string(), "--jobs", std::to_string(jobs)});
        });
        fmt::print("{}\n", row(fmt::format("suite, local vod-mock, --jobs {}", jobs), f));
    }

    std::vector<RunFigures> distant;
    for (int jobs : {1, 16}) {
        auto f = median_of(quick ? 1 : 3, [&] {
            Mock mock(bin, seed_for(contract, 1), 50);
            return run_conform(
                bin, {"--base-url", mock.url, "--fixtures", mock.fixtures.string(), "--jobs", std::to_string(jobs)});
        });
        distant.push_back(f);
        fmt::print("{}\n", row(fmt::format("suite, vod-mock --latency-ms 50, --jobs {}", jobs), f));
    }

    std::vector<std::pair<std::size_t, RunFigures>> scaled;
    for (std::size_t copies : {std::size_t{1}, std::size_t{10}, std::size_t{100}}) {
        auto dir = copies == 1 ? source / "cases" : scaled_cases(source / "cases", copies);
        auto f = median_of(copies == 100 || quick ? 1 : 3, [&] {
            Mock mock(bin, seed_for(contract, copies), 0);
            return run_conform(bin, {"--base-url", mock.url, "--fixtures", mock.fixtures.string(), "--jobs", "4",
                                     "--cases", dir.string()});
        });
        scaled.emplace_back(copies, f);
        fmt::print("{}\n",
                   row(fmt::format("{}x the cases ({}), --jobs 4", copies, contract.cases().size() * copies), f));
        if (copies != 1) {
            fs::remove_all(dir);
        }
    }

    // Per-request cost on the 10x contract (850 requests), where timer noise no longer dominates.
    const auto dir10 = scaled_cases(source / "cases", 10);
    const auto contract10 = conform::contract::Contract::load({source / "schemas", dir10});
    std::size_t floor_requests = 0;
    std::vector<double> floors;
    for (int i = 0; i < repeats; ++i) {
        floors.push_back(floor_seconds_per_request(contract10, bin, &floor_requests));
    }
    std::sort(floors.begin(), floors.end());
    const double floor = floors[floors.size() / 2];
    auto suite10 = median_of(repeats, [&] {
        Mock mock(bin, seed_for(contract10, 1), 0);
        return run_conform(bin, {"--base-url", mock.url, "--fixtures", mock.fixtures.string(), "--jobs", "1", "--cases",
                                 dir10.string()});
    });
    fs::remove_all(dir10);
    const double suite = suite10.engine / static_cast<double>(std::max<std::size_t>(suite10.requests, 1));
    const double ideal = static_cast<double>(longest_chain) * 0.050;
    const double bound16 = std::max<double>(static_cast<double>(longest_chain),
                                            std::ceil(static_cast<double>(distant[1].requests) / 16.0)) *
                           0.050;

    fmt::print("\nper request, 10x the cases at --jobs 1 (medians): suite {:.1f} us, bare libcurl loop {:.1f} us ({} "
               "requests): suite/floor {:.2f}x\n",
               suite * 1e6, floor * 1e6, floor_requests, suite / floor);
    fmt::print(
        "50 ms endpoint: ideal (longest chain, {} round trips x 50 ms) {:.3f} s; --jobs 1 {:.3f} s; --jobs 16 {:.3f} s "
        "= {:.2f}x the ideal ({:.2f}x the bound of {} requests on 16 connections, {:.3f} s)\n",
        longest_chain, ideal, distant[0].engine, distant[1].engine, distant[1].engine / ideal,
        distant[1].engine / bound16, distant[1].requests, bound16);
    fmt::print("growth: run time per case {:.1f} us (1x), {:.1f} us (10x), {:.1f} us (100x); peak RSS {:.1f} / {:.1f} "
               "/ {:.1f} MB\n",
               scaled[0].second.engine / static_cast<double>(contract.cases().size()) * 1e6,
               scaled[1].second.engine / static_cast<double>(contract.cases().size() * 10) * 1e6,
               scaled[2].second.engine / static_cast<double>(contract.cases().size() * 100) * 1e6,
               scaled[0].second.peak_rss_kb / 1024.0, scaled[1].second.peak_rss_kb / 1024.0,
               scaled[2].second.peak_rss_kb / 1024.0);
    // Behind a gateway that admits 30 requests in any 3 s (vod-mock --rate-limit 30/3): the
    // quota's floor is the suite's requests (settling probes included) at 10 a second.
    struct Throttled {
        std::string what;
        std::vector<std::string> flags, mock_flags;
    };
    const std::vector<Throttled> throttled_runs = {
        {"default flags (adaptive)", {}, {"--rate-limit", "30/3"}},
        {"--rate 30/3s", {"--rate", "30/3s"}, {"--rate-limit", "30/3"}},
        {"default flags, --async-delete-ms 1500", {}, {"--rate-limit", "30/3", "--async-delete-ms", "1500"}},
    };
    for (const auto& [what, flags, mock_flags] : throttled_runs) {
        auto f = median_of(quick ? 1 : 3, [&] {
            Mock mock(bin, seed_for(contract, 1), 0, mock_flags);
            std::vector<std::string> args = {"--base-url", mock.url, "--fixtures", mock.fixtures.string()};
            args.insert(args.end(), flags.begin(), flags.end());
            return run_conform(bin, args);
        });
        const auto admitted = f.requests - f.throttled;
        const double quota_floor = static_cast<double>(admitted) / 30.0 * 3.0;
        fmt::print(
            "throttled gateway (vod-mock --rate-limit 30/3), {}: {:.2f} s for {} requests = {:.2f}x the quota's floor "
            "({:.2f} s); {} throttled (429) and resent; {} false alarms\n",
            what, f.engine, admitted, f.engine / quota_floor, quota_floor, f.throttled, f.false_alarms);
    }
    const int total = quick ? 4000 : 40000;
    fmt::print("vod-mock: {:.0f} requests/s (UnpublishAssets, 4 keep-alive clients, {} requests)\n",
               mock_requests_per_second(contract, bin, 4, total), total);
    fmt::print(
        "vod-mock: a request answered in {:.1f} ms with 400 idle and 400 half-sent connections open (target: 100 ms)\n",
        mock_milliseconds_with_open_connections(bin, 400));
    fmt::print("{}\n", redaction_figure());
    provisioned_figures(bin);
    curl_global_cleanup();
    return 0;
}
