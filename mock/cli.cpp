#include "cli.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/quota.hpp"
#include "server.hpp"
#include "util/args.hpp"
#include "util/atomic_file.hpp"
#include "util/process.hpp"
#include "util/text.hpp"

namespace vod_mock {

namespace {

constexpr const char* k_usage = R"(vod-mock - reference mock of the Huawei Cloud VOD media-asset API

usage:
  vod-mock [--host 127.0.0.1] [--port N|0] [--project-id ID] [--token TOKEN | --ak AK --sk SK]
           [--seed N] [--fixtures-out FILE] [--latency-ms N] [--mutation NAME]
           [--rate-limit N/SECONDS] [--query-rate-limit N/SECONDS] [--async-delete-ms N]
           [--live-ms N]
  vod-mock --list-mutations | --help | --version

  --port 0 picks a free port; the first line on stdout is "listening on http://HOST:PORT".
  --seed N creates N assets of every fixture kind (default 1; 0 starts empty); --fixtures-out
  writes them as a fixtures file for conform. Without --token or --ak/--sk, requests need no
  credentials.
  --mutation NAME deviates from the documents in one named way (see --list-mutations).
  --rate-limit N/SECONDS admits N requests in any SECONDS (a sliding window; refused requests
  count too) and answers the rest 429 APIGW.0308, like the real gateway (100/60 for VOD).
  --query-rate-limit N/SECONDS gives the upload and query operations (CreateAssetByFileUpload,
  ConfirmAssetUpload, ListAssetList) a window of their own, as the gateway does (1500/60);
  without it they count in --rate-limit's.
  --async-delete-ms N: a deleted asset stays DELETING for N ms (neither deletable nor cancellable),
  as on the real service, before it is gone.
  --live-ms N: transient states move on by themselves, as on the real service: a queued task
  starts, and a running transcode, extraction, review or snapshot ends, each after a random 0.5N
  to 1.5N ms from when it entered that state (seeded fixtures included).

  On SIGINT/SIGTERM it prints a closing line on stdout:
  "vod-mock: created N assets through the API, M still there", and one per quota window given:
  "vod-mock: --rate-limit N/SECONDS: A requests admitted, R refused with 429".

exit codes: 0 stopped by SIGINT/SIGTERM, 2 bad invocation, 3 cannot listen (the port is taken), serve
            or write fixtures, 70 a bug in vod-mock
)";

struct Options {
    ServerOptions server;
    Config config;
    std::size_t seed = 1;
    std::optional<std::string> fixtures_out;
    Timing timing;
};

using conform::util::UsageError;

std::shared_ptr<RequestQuota> parse_rate_limit(const std::string& flag, const std::string& text)
{
    constexpr double k_max_requests = 1e6;
    try {
        const auto rate = conform::engine::parse_rate(text);
        if (rate.requests != static_cast<double>(static_cast<std::size_t>(rate.requests)) ||
            rate.requests > k_max_requests) {
            throw std::invalid_argument("'" + text + "': N is not a whole number of requests up to 1000000");
        }
        return std::make_shared<RequestQuota>(static_cast<std::size_t>(rate.requests),
                                              std::chrono::duration<double>(rate.seconds));
    } catch (const std::invalid_argument& e) {
        throw UsageError(flag + ": " + e.what());
    }
}

Options parse(const std::vector<std::string>& args)
{
    Options o;
    std::optional<std::string> ak, sk;
    conform::util::ArgReader reader(args);
    while (reader.next()) {
        const auto& flag = reader.flag();
        if (flag == "--host") {
            o.server.host = reader.value();
        } else if (flag == "--port") {
            o.server.port = static_cast<int>(reader.whole(0, 65535));
        } else if (flag == "--project-id") {
            o.config.project_id = reader.value();
        } else if (flag == "--token") {
            o.config.token = reader.value();
        } else if (flag == "--ak") {
            ak = reader.value();
        } else if (flag == "--sk") {
            sk = reader.value();
        } else if (flag == "--seed") {
            o.seed = static_cast<std::size_t>(reader.whole(0, 100000));
        } else if (flag == "--fixtures-out") {
            o.fixtures_out = reader.value();
        } else if (flag == "--latency-ms") {
            o.server.latency = std::chrono::milliseconds(reader.whole(0, 60000));
        } else if (flag == "--rate-limit") {
            o.config.quota.every = parse_rate_limit(flag, reader.value());
        } else if (flag == "--query-rate-limit") {
            o.config.quota.upload_or_query = parse_rate_limit(flag, reader.value());
        } else if (flag == "--live-ms") {
            o.timing.live = std::chrono::milliseconds(reader.whole(0, 3600000));
        } else if (flag == "--async-delete-ms") {
            o.timing.delete_delay = std::chrono::milliseconds(reader.whole(0, 600000));
        } else if (flag == "--mutation") {
            auto name = reader.value();
            auto mutation = find_mutation(name);
            if (!mutation) {
                throw UsageError("--mutation: no mutation '" + name + "' (see --list-mutations)");
            }
            o.config.mutation = *mutation;
        } else {
            throw UsageError("unknown option " + flag);
        }
    }
    if (ak.has_value() != sk.has_value()) {
        throw UsageError("--ak and --sk go together");
    }
    if (ak && o.config.token) {
        throw UsageError("give either --token or --ak/--sk, not both");
    }
    if (ak) {
        o.config.aksk = conform::http::AkSk{*ak, *sk};
    }
    return o;
}

}  // namespace

namespace {

// Serves until SIGINT or SIGTERM. Throws conform::util::Error when the environment refuses.
int serve(const Options& options)
{
    AssetStore store(options.timing);
    auto ids = store.seed(options.seed);
    if (options.fixtures_out) {
        nlohmann::json fixtures = {{"project_id", options.config.project_id}, {"assets", ids}};
        conform::util::write_file_atomically(*options.fixtures_out, fixtures.dump(2) + "\n");
    }

    // Block the stop signals in every thread (the server's inherit the mask); this thread
    // takes them with sigwait.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    Service service(options.config, store);
    Server server(service, options.server);
    const int port = server.bind();
    server.start();
    fmt::print("{}\n", conform::util::listening_line(fmt::format("http://{}:{}", options.server.host, port)));
    std::fflush(stdout);
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.stop();
    // What the API made and what is left of it, so a test can check that a run cleaned up.
    const auto made = store.made_by_api();
    // Written as plain bytes: a reader that has gone (a closed pipe) must not turn a clean stop
    // into a crash.
    std::fputs(
        fmt::format("vod-mock: created {} assets through the API, {} still there\n", made.created, made.remaining)
            .c_str(),
        stdout);
    for (const auto& [flag, window] : {std::pair{"--rate-limit", options.config.quota.every.get()},
                                       std::pair{"--query-rate-limit", options.config.quota.upload_or_query.get()}}) {
        if (window) {
            const auto counts = window->counts();
            std::fputs(fmt::format("vod-mock: {} {}/{:g}: {} requests admitted, {} refused with 429\n", flag,
                                   window->requests(), window->window_seconds(), counts.admitted, counts.refused)
                           .c_str(),
                       stdout);
        }
    }
    std::fflush(stdout);
    return 0;
}

}  // namespace

// The error boundary: every exception becomes a message and a documented exit code (2 usage,
// 3 environment, 70 a bug), never terminate.
int mock_main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
        fmt::print("{}", k_usage);
        return 0;
    }
    if (args.size() == 1 && args[0] == "--version") {
        fmt::print("vod-mock {}\n", CONFORM_VERSION);
        return 0;
    }
    if (args.size() == 1 && args[0] == "--list-mutations") {
        for (const auto& m : mutations()) {
            fmt::print("{:<36} {:<10} {}\n", m.name, conform::util::join(m.rules, ","), m.description);
        }
        return 0;
    }
    try {
        return serve(parse(args));
    } catch (const UsageError& e) {
        fmt::print(stderr, "vod-mock: {}\nsee 'vod-mock --help'\n", e.what());
        return 2;
    } catch (const conform::util::Error& e) {
        fmt::print(stderr, "vod-mock: {}\n", e.what());
        return e.kind() == conform::util::ErrorKind::environment ? 3 : 2;
    } catch (const std::system_error& e) {  // a thread or a lock the system refused
        fmt::print(stderr, "vod-mock: {}\n", e.what());
        return 3;
    } catch (const std::exception& e) {
        fmt::print(stderr, "vod-mock: internal error (a bug; please report it): {}\n", e.what());
        return 70;
    }
}

}  // namespace vod_mock
