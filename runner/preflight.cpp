#include "preflight.hpp"

#include <fmt/format.h>

#include "engine/ledger.hpp"
#include "engine/premise.hpp"
#include "engine/quota.hpp"
#include "util/bounded_json.hpp"
#include "util/random_id.hpp"
#include "util/text.hpp"

namespace conform {

namespace {

// "401 APIGW.0301: Incorrect IAM authentication information" from an error envelope, else the
// status and the body's start.
std::string answer_text(const http::Response& response)
{
    try {
        const auto body = util::parse_bounded_json(response.body);
        if (body.is_object() && body.value("error_code", nlohmann::json()).is_string()) {
            const auto message = body.value("error_msg", nlohmann::json());
            return fmt::format("{} {}: {}", response.status, body["error_code"].get<std::string>(),
                               message.is_string() ? message.get<std::string>() : message.dump());
        }
    } catch (const util::JsonParseError&) {
    }
    return fmt::format("{} {}", response.status, util::trim(response.body.substr(0, 200)));
}

}  // namespace

std::optional<std::string> preflight(const contract::Contract& contract, const engine::RunOptions& options,
                                     const engine::TransportFactory& transports)
{
    if (!contract.premises()) {
        return std::nullopt;
    }
    const auto& operation = contract.premises()->query.operation;
    const auto project = options.run_bindings.count("project_id")
                             ? options.run_bindings.at("project_id").get<std::string>()
                             : std::string();
    auto quota = options.quota;
    quota.throttled = engine::throttled_answers(contract.quota().throttled);
    engine::Pacer pacer(quota, 1, options.time, options.stop);
    std::atomic<std::size_t> sent{0};
    // An id no asset has: the answer lists nothing, and nothing can change.
    const std::vector<std::string> ids = {util::random_id()};
    const auto rebuild = [&] { return engine::state_query_request(contract, ids, options); };
    http::Response response;
    try {
        auto transport = transports();
        response = engine::send_paced(pacer, *transport, rebuild(), rebuild, sent).response;
    } catch (const engine::TransportError& e) {
        const std::string why = e.what();
        const bool tls = why.find("SSL") != std::string::npos || why.find("certificate") != std::string::npos;
        return fmt::format("{}: {}", tls ? "TLS failed" : "the endpoint is unreachable", why);
    }
    if (response.status == 401) {
        return fmt::format("credentials refused: {} answered {}", operation, answer_text(response));
    }
    if (response.status == 403 || response.status == 404) {
        return fmt::format("project unknown or not accessible with these credentials (project id '{}'): {} answered {}",
                           project, operation, answer_text(response));
    }
    try {
        engine::parse_states(contract, response);
    } catch (const engine::PremiseCheckError& e) {
        return fmt::format("the endpoint's answer to the state query cannot be used: {}", e.what());
    }
    return std::nullopt;
}

std::vector<std::string> unverifiable_cases(const contract::Contract& contract,
                                            const std::vector<const contract::Case*>& cases)
{
    std::vector<std::string> out;
    if (!contract.premises()) {
        return out;
    }
    for (const auto* c : cases) {
        for (const auto& [name, kind] : c->fixtures) {
            if (const auto* p = contract.premises()->kind(kind); p && !p->verifiable()) {
                out.push_back(c->id);
                break;
            }
        }
    }
    return out;
}

engine::RunResult not_run(const std::vector<const contract::Case*>& cases, const std::string& why)
{
    engine::RunResult run;
    run.started = std::chrono::system_clock::now();
    for (const auto* c : cases) {
        engine::CaseResult r;
        r.test_case = c->summary();
        r.outcome = engine::Outcome::error;
        r.cause = engine::Cause::premise_check;
        r.message = "not run: the run's premise failed: " + why;
        run.cases.push_back(std::move(r));
    }
    return run;
}

void record_drifted(const std::filesystem::path& fixtures_file, const std::set<std::string>& known_ids,
                    const engine::RunResult& result)
{
    std::vector<std::pair<engine::Handout, std::string>> drifted;
    for (const auto& [case_id, finding] : result.drifted) {
        drifted.push_back({{finding.id, finding.kind, case_id}, finding.found});
    }
    if (!drifted.empty()) {
        engine::Ledger(fixtures_file).record_drifted(known_ids, drifted);
    }
}

}  // namespace conform
