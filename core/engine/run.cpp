#include "engine/run.hpp"

#include <algorithm>
#include <mutex>
#include <numeric>
#include <thread>

#include <fmt/format.h>

#include "contract/template.hpp"
#include "engine/attribute.hpp"
#include "engine/evaluate.hpp"
#include "engine/premise.hpp"
#include "engine/shape.hpp"
#include "http/url.hpp"
#include "util/bounded_json.hpp"
#include "util/random_id.hpp"

namespace conform::engine {

namespace {

using Clock = std::chrono::steady_clock;

// What an exchange keeps of a body: enough to read a failure, not a copy of every byte.
constexpr std::size_t k_recorded_body_bytes = 4096;

std::string recorded(const std::string& body)
{
    if (body.size() <= k_recorded_body_bytes) {
        return body;
    }
    return body.substr(0, k_recorded_body_bytes) + "\n... (" + std::to_string(body.size() - k_recorded_body_bytes) +
           " more bytes)";
}

double seconds_since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The path as the contract names it, for messages: /v1.0/{project_id}/asset.
std::string shown_path(const contract::Contract& contract, const contract::RequestSpec& spec)
{
    if (const auto* op = contract.operation(spec.operation)) {
        return op->path;
    }
    std::string out = spec.path;
    for (auto pos = out.find("{{"); pos != std::string::npos; pos = out.find("{{", pos)) {
        out.erase(pos, 1);
        auto close = out.find("}}", pos);
        if (close != std::string::npos) {
            out.erase(close, 1);
        }
    }
    return out;
}

// The step as the case names it, for reports: placeholders stay names, never the run's ids.
StepRef step_ref(const contract::Contract& contract, const contract::Step& step, std::size_t index)
{
    const auto* operation = contract.operation(step.request.operation);
    StepRef ref{index, operation ? operation->method : step.request.method, shown_path(contract, step.request), ""};
    for (std::size_t k = 0; k < step.request.query.size(); ++k) {
        ref.target += (k == 0 ? "?" : "&") + step.request.query[k].first + "=" + step.request.query[k].second;
    }
    return ref;
}

Shape response_shape(const http::Response& response)
{
    if (http::media_type(response.headers.get("Content-Type").value_or("")) != "application/json") {
        return {};
    }
    // The endpoint's text: parsed with the same limits as evaluation, or no shape at all.
    try {
        return shape_of(util::parse_bounded_json(response.body));
    } catch (const util::JsonParseError&) {
        return {};
    }
}

std::string expand_path_template(const std::string& path, const contract::Bindings& bindings)
{
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        auto close = path[i] == '{' ? path.find('}', i) : std::string::npos;
        if (close == std::string::npos) {
            out.push_back(path[i]);
            continue;
        }
        auto name = path.substr(i + 1, close - i - 1);
        out += http::percent_encode(contract::expand(std::string_view("{{" + name + "}}"), bindings));
        i = close;
    }
    return out;
}

// The tries of one step: one, or for a settle step as many as the deadline allows.
class Settling {
  public:
    Settling(const RunOptions& options, bool settle)
        : m_options(options.settle), m_time(*options.time), m_stop(options.stop),
          m_settle(settle && m_options.deadline_seconds > 0), m_pause(m_options.first_pause), m_start(m_time.now())
    {
    }

    // After a try that did not hold: pauses and says whether to try again.
    bool another_try()
    {
        if (!m_settle || interrupted()) {
            return false;
        }
        const auto deadline = m_start + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(m_options.deadline_seconds));
        const auto at = m_time.now();
        if (at >= deadline) {
            return false;
        }
        const auto pause = std::min<Clock::duration>(m_pause, deadline - at);
        m_pause = std::min<Clock::duration>(m_pause * 3 / 2, m_options.longest_pause);
        ++m_tries;
        return m_time.sleep_until(at + pause, m_stop);
    }

    bool settles() const { return m_settle; }
    bool interrupted() const { return m_stop.stop_requested(); }
    int tries() const { return m_tries; }
    double waited() const { return std::chrono::duration<double>(m_time.now() - m_start).count(); }

  private:
    const SettleOptions& m_options;
    TimeSource& m_time;
    std::stop_token m_stop;
    bool m_settle;
    Clock::duration m_pause;
    Clock::time_point m_start;
    int m_tries = 1;
};

const std::string& token_header(const contract::Security& security)
{
    if (!security.token_header) {
        throw std::runtime_error(
            "a token is to be sent, but the OpenAPI document's securitySchemes have no apiKey header for it");
    }
    return *security.token_header;
}

// The signing scheme's headers (set, so signed too), then the signature.
void sign(http::Request& request, const contract::Security& security, const contract::Bindings& bindings,
          const http::AkSk& key, http::Clock::time_point now)
{
    if (!security.signing) {
        throw std::runtime_error(
            "a request is to be signed, but the OpenAPI document's securitySchemes have no x-conform-signing scheme");
    }
    for (const auto& [name, value] : security.signing->headers) {
        request.headers.set(name, contract::expand(std::string_view(value), bindings));
    }
    http::sign(request, key, now);
}

std::string seconds_text(double seconds)
{
    return fmt::format("{:.1f} s", seconds);
}

// Whether a step's request names {{placeholder}} anywhere.
bool mentions(const contract::Step& step, const std::string& placeholder)
{
    const auto marker = "{{" + placeholder + "}}";
    const auto& r = step.request;
    auto in = [&](const std::string& text) { return text.find(marker) != std::string::npos; };
    auto in_pairs = [&](const auto& pairs) {
        return std::any_of(pairs.begin(), pairs.end(), [&](const auto& kv) { return in(kv.second); });
    };
    return in(r.path) || in_pairs(r.query) || in_pairs(r.headers) || (r.body && in(r.body->dump())) ||
           (r.raw_body && in(*r.raw_body)) ||
           (r.tamper && ((r.tamper->body_after_signing && in(r.tamper->body_after_signing->dump())) ||
                         in_pairs(r.tamper->headers_after_signing)));
}

// What a case relies on: the fixtures the contract's query can check, the step before which
// they are checked (the first that names one), and the fixtures no query can check.
struct CasePremises {
    std::vector<Premise> checked;
    std::size_t first_step = 0;
    std::vector<std::pair<std::string, std::string>> unverifiable;  // placeholder, kind
};

CasePremises case_premises(const contract::Contract& contract, const contract::Case& test_case,
                           const contract::Bindings& bindings)
{
    CasePremises out;
    if (!contract.premises()) {
        return out;
    }
    out.first_step = test_case.steps.size();
    for (const auto& [name, kind] : test_case.fixtures) {
        const auto* premise = contract.premises()->kind(kind);
        auto bound = bindings.find(name);
        if (!premise || bound == bindings.end() || !bound->second.is_string()) {
            continue;  // a generated kind: made up for this run, nothing to rely on
        }
        if (!premise->verifiable()) {
            out.unverifiable.emplace_back(name, kind);
            continue;
        }
        out.checked.push_back({name, bound->second.get<std::string>(), kind, premise});
        for (std::size_t i = 0; i < out.first_step; ++i) {
            if (mentions(test_case.steps[i], name)) {
                out.first_step = i;
            }
        }
    }
    return out;
}

std::vector<std::string> ids_of(const std::vector<Premise>& premises)
{
    std::vector<std::string> ids;
    for (const auto& p : premises) {
        ids.push_back(p.id);
    }
    return ids;
}

// The premises of kinds that move on by themselves (drifts_to): what a wait can take away.
std::vector<Premise> transient_premises(const std::vector<Premise>& checked)
{
    std::vector<Premise> out;
    std::copy_if(checked.begin(), checked.end(), std::back_inserter(out),
                 [](const Premise& p) { return !p.premise->drifts_to.empty(); });
    return out;
}

// A transient premise found lost once the quota let its step go: the step is not sent.
struct HeldPastPremise {
    std::vector<PremiseFinding> lost;
    double held_seconds = 0;
};

std::string finding_text(const PremiseFinding& f)
{
    return fmt::format("{} ({}, {}): expected {}, found {}", f.fixture, f.kind, f.id, f.expected, f.found);
}

// The case did not hold on its fixtures' premises: not a verdict on the endpoint.
void premise_lost(CaseResult& result, const std::vector<PremiseFinding>& lost, const std::string& when,
                  std::vector<PremiseFinding>& drifted)
{
    result.outcome = Outcome::skipped;
    result.cause = Cause::premise_lost;
    result.premise = lost.front();
    result.message = "premise lost " + when + ": ";
    for (std::size_t i = 0; i < lost.size(); ++i) {
        result.message += (i == 0 ? "" : "; ") + finding_text(lost[i]);
    }
    drifted.insert(drifted.end(), lost.begin(), lost.end());
}

// The answer the case names as explained by an unverifiable fixture that moved on, if the
// response to step `index` is that answer.
const contract::IfPremiseLost* explained_answer(const contract::Case& test_case, std::size_t index,
                                                const http::Response& response, const contract::Contract& contract,
                                                const contract::Bindings& bindings)
{
    for (const auto& e : test_case.if_premise_lost) {
        if (e.step != index) {
            continue;
        }
        contract::Step answer;
        answer.expect = {e.answer};
        const auto* operation = contract.operation(test_case.steps[index].request.operation);
        if (evaluate(answer, response, operation, contract.schemas(), bindings).failures.empty()) {
            return &e;
        }
    }
    return nullptr;
}

CaseResult run_case(const contract::Contract& contract, const contract::Case& test_case, const Allocation& allocation,
                    Transport& transport, const RunOptions& options, QuotaCategories& pacers, PremiseChecker* checker,
                    std::vector<PremiseFinding>& drifted, std::atomic<std::size_t>& requests_sent,
                    Clock::time_point run_start)
{
    CaseResult result;
    result.test_case = test_case.summary();
    const auto start = Clock::now();
    result.started = std::chrono::duration<double>(start - run_start).count();
    if (allocation.skip_reason) {
        result.outcome = Outcome::skipped;
        result.cause = Cause::fixtures;
        result.message = *allocation.skip_reason;
        return result;
    }
    if (test_case.tampers() && options.credentials.mode != Credentials::Mode::aksk) {
        result.outcome = Outcome::skipped;
        result.cause = Cause::not_applicable;
        result.message =
            "not applicable: the case tampers with a signed request, and this run signs none (run it with AK/SK)";
        return result;
    }
    auto bindings = allocation.bindings;
    for (const auto& [name, value] : options.run_bindings) {
        bindings[name] = value;
    }
    const auto premises = checker ? case_premises(contract, test_case, bindings) : CasePremises{};
    auto check_premises = [&](bool drifted_only) {
        return lost_premises(premises.checked, checker->states(ids_of(premises.checked), transport),
                             contract.premises()->query.operation, drifted_only);
    };
    // A state that held at the check may end while the quota holds the step that relies on it:
    // then the transient premises are read again right before it is sent (after a failure it is
    // too late to tell a state that ended meanwhile from the step's own doing, e.g. a deleted
    // asset). Not for a step of the query's own pacer, whose slot the read would need.
    const auto transient = transient_premises(premises.checked);
    double held_seconds = 0;
    const BeforeSend recheck = [&](double held) {
        held_seconds += held;
        if (held > 0) {
            if (auto lost = lost_premises(transient, checker->states(ids_of(transient), transport),
                                          contract.premises()->query.operation);
                !lost.empty()) {
                throw HeldPastPremise{std::move(lost), held_seconds};
            }
        }
    };
    result.outcome = Outcome::passed;
    for (std::size_t i = 0; i < test_case.steps.size(); ++i) {
        const auto& step = test_case.steps[i];
        const auto* operation = contract.operation(step.request.operation);
        Exchange exchange;
        exchange.step = step.name;
        exchange.step_index = i;
        Settling settling(options, step.settle);
        try {
            if (i == premises.first_step && !premises.checked.empty()) {
                if (const auto lost = check_premises(false); !lost.empty()) {
                    premise_lost(result, lost, "before step " + std::to_string(i + 1) + ", not run", drifted);
                    break;
                }
            }
            auto request = build_request(contract, step, bindings, options);
            const auto rebuild = [&] { return build_request(contract, step, bindings, options); };
            StepVerdict verdict;
            http::Response last_response;
            auto& pacer = pacers.pacer(step.request.operation);
            // Until the step is first answered: a settle step's later tries follow its own change.
            bool first_send = i == premises.first_step && !transient.empty() &&
                              &pacer != &pacers.pacer(contract.premises()->query.operation);
            for (;;) {
                exchange.request = request;
                exchange.request.body = recorded(request.body);
                exchange.response.reset();
                const auto sent = Clock::now();
                auto paced = send_paced(pacer, transport, std::move(request), rebuild, requests_sent,
                                        first_send ? recheck : BeforeSend());
                first_send = false;
                const auto& response = paced.response;
                exchange.seconds = seconds_since(sent);
                exchange.request.headers = options.redactor.headers(paced.request.headers);
                exchange.response = http::Response{response.status, options.redactor.headers(response.headers),
                                                   recorded(response.body)};
                exchange.shape = response_shape(response);
                verdict = evaluate(step, response, operation, contract.schemas(), bindings);
                last_response = response;
                exchange.matched = verdict.matched;
                if (verdict.failures.empty() || !settling.another_try()) {
                    break;
                }
                // Only the last try is kept; a new request, so that a signature is fresh.
                request = rebuild();
            }
            if (settling.tries() > 1) {
                exchange.step +=
                    " (" + std::to_string(settling.tries()) + " tries in " + seconds_text(settling.waited()) + ")";
            }
            result.exchanges.push_back(exchange);
            if (!verdict.failures.empty() && settling.interrupted()) {
                // Cut off mid-case: an error, so an interrupted run never reads green.
                result.outcome = Outcome::error;
                result.cause = Cause::interrupted;
                result.message = "cut off: the run was interrupted during this case";
                result.step = step_ref(contract, step, i);
                break;
            }
            if (!verdict.failures.empty()) {
                const auto why = settling.settles() ? "did not settle within " + seconds_text(settling.waited()) +
                                                          " (" + std::to_string(settling.tries()) + " tries)"
                                                    : std::string();
                result.outcome = Outcome::failed;
                result.step = step_ref(contract, step, i);
                result.step->note = why;
                for (auto& f : verdict.failures) {
                    f.rule = attribute(f, test_case, contract);
                    result.failures.push_back(std::move(f));
                }
                // A failure on a fixture that moved on by itself says nothing of the endpoint: look
                // again. Only a state the kind moves on to counts: a cancelled task or a deleted
                // asset may be the step's own doing, the very deviation.
                if (!premises.checked.empty() && i >= premises.first_step) {
                    if (const auto lost = check_premises(true); !lost.empty()) {
                        premise_lost(result, lost, "after step " + std::to_string(i + 1) + " failed", drifted);
                        break;
                    }
                }
                if (const auto* e = explained_answer(test_case, i, last_response, contract, bindings)) {
                    result.outcome = Outcome::inconclusive;
                    result.message = fmt::format("inconclusive: step {} answered what {} would once it moved on ({})",
                                                 i + 1, e->fixture, e->why);
                }
                break;
            }
            for (auto& [name, value] : verdict.captured) {
                bindings[name] = std::move(value);
            }
        } catch (const HeldPastPremise& e) {
            premise_lost(
                result, e.lost,
                fmt::format("while step {} waited {} for the quota, not sent", i + 1, seconds_text(e.held_seconds)),
                drifted);
            break;
        } catch (const TransportError& e) {
            result.exchanges.push_back(exchange);
            const bool interrupted = options.stop.stop_requested();
            // Cut off mid-case: an error, so an interrupted run never reads green.
            result.outcome = Outcome::error;
            result.cause = interrupted ? Cause::interrupted : Cause::transport;
            result.message = interrupted ? "cut off: the run was interrupted during this case" : e.what();
            result.step = step_ref(contract, step, i);
            break;
        } catch (const contract::UnboundPlaceholder& e) {
            result.outcome = Outcome::error;
            result.cause = Cause::placeholder;
            result.message = e.what();
            result.step = step_ref(contract, step, i);
            break;
        } catch (const PremiseCheckError& e) {
            const bool interrupted = options.stop.stop_requested();
            result.outcome = Outcome::error;
            result.cause = interrupted ? Cause::interrupted : Cause::premise_check;
            result.message = interrupted ? "cut off: the run was interrupted during this case"
                                         : std::string("premise check: ") + e.what();
            result.step = step_ref(contract, step, i);
            break;
        }
    }
    result.unverified = result.outcome == Outcome::passed && !premises.unverifiable.empty();
    result.seconds = seconds_since(start);
    return result;
}

}  // namespace

std::shared_ptr<QuotaCategories> make_pacers(const contract::Contract& contract, const RunOptions& options)
{
    auto quota = options.quota;
    if (!quota.throttled) {
        quota.throttled = throttled_answers(contract.quota().throttled);
    }
    const auto& premises = contract.premises();
    return std::make_shared<QuotaCategories>(contract.quota(), quota, options.jobs, options.time, options.stop,
                                             premises ? premises->query.operation : "");
}

http::Request build_request(const contract::Contract& contract, const contract::Step& step,
                            const contract::Bindings& bindings, const RunOptions& options)
{
    const auto& spec = step.request;
    http::Request request;
    if (const auto* op = contract.operation(spec.operation)) {
        request.method = op->method;
        request.path = expand_path_template(op->path, bindings);
    } else {
        request.method = spec.method;
        request.path = contract::expand(std::string_view(spec.path), bindings);
    }
    for (const auto& [key, value] : spec.query) {
        request.query.emplace_back(key, contract::expand(std::string_view(value), bindings));
    }
    if (spec.body) {
        request.body = contract::expand(*spec.body, bindings).dump();
    } else if (spec.raw_body) {
        request.body = contract::expand(std::string_view(*spec.raw_body), bindings);
    }
    request.headers.set("Host", authority_of(options.base_url));
    request.headers.set("User-Agent", "conform/" CONFORM_VERSION);
    // Every official SDK sends it, bodiless DELETEs included.
    request.headers.set("Content-Type", "application/json");
    for (const auto& [name, value] : spec.headers) {
        request.headers.set(name, contract::expand(std::string_view(value), bindings));
    }

    const auto& creds = options.credentials;
    const auto& security = contract.security();
    const auto signing_time =
        options.time->wall() + std::chrono::seconds(spec.tamper ? spec.tamper->signing_time_offset_s : 0);
    switch (spec.auth) {
    case contract::Auth::run:
        if (creds.mode == Credentials::Mode::token) {
            request.headers.set(token_header(security), creds.token);
        } else if (creds.mode == Credentials::Mode::aksk) {
            sign(request, security, bindings, creds.aksk, signing_time);
        }
        break;
    case contract::Auth::none:
        break;
    case contract::Auth::wrong_token:
        request.headers.set(token_header(security), "conform-wrong-token-" + util::random_id());
        break;
    case contract::Auth::bad_signature:
        // A made-up access key: the gateway locks a real AK after five bad signatures.
        sign(request, security, bindings, http::AkSk{"CONFORMBADSIGNATURE0", util::random_id()}, http::Clock::now());
        break;
    }
    if (spec.tamper) {
        if (spec.tamper->body_after_signing) {
            request.body = contract::expand(*spec.tamper->body_after_signing, bindings).dump();
        }
        for (const auto& [name, value] : spec.tamper->headers_after_signing) {
            request.headers.set(name, contract::expand(std::string_view(value), bindings));
        }
    }
    return request;
}

RunResult run_cases(const contract::Contract& contract, const std::vector<const contract::Case*>& cases,
                    const std::vector<Allocation>& allocations, const TransportFactory& transports,
                    const RunOptions& options, RunListener& listener)
{
    RunResult run;
    run.started = std::chrono::system_clock::now();
    run.cases.resize(cases.size());
    const auto start = Clock::now();
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> requests_sent{0};
    std::mutex listener_mutex;
    const auto pacers = options.pacers ? options.pacers : make_pacers(contract, options);
    // What the shared pacers saw before this run is not this run's.
    const auto marks = pacers->marks();
    const auto& premises = contract.premises();
    // The options' redactor knows the run's secrets; the contract knows which headers carry them.
    auto case_options = options;
    for (const auto& header : contract.security().credential_headers) {
        case_options.redactor.add_credential_header(header);
    }
    std::optional<PremiseChecker> checker;
    if (premises && options.check_premises) {
        checker.emplace(contract, case_options, pacers->pacer(premises->query.operation));
    }
    // Longest chains of steps first: against a distant endpoint the run then ends with short
    // cases filling the gaps, not with one long case started last.
    std::vector<std::size_t> order(cases.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return cases[a]->steps.size() > cases[b]->steps.size(); });

    auto worker = [&] {
        std::unique_ptr<Transport> transport;
        for (auto n = next++; n < cases.size(); n = next++) {
            const auto i = order[n];
            CaseResult result;
            std::vector<PremiseFinding> drifted;
            if (options.stop.stop_requested()) {
                // An error, not a skip: readers show a suite of skips as passed, and an
                // interrupted run must read red in each of them (README, "Reading the report").
                result.test_case = cases[i]->summary();
                result.outcome = Outcome::error;
                result.cause = Cause::interrupted;
                result.message = "not run: the run was interrupted";
            } else {
                try {
                    if (!transport) {
                        transport = transports();
                    }
                    auto allocation = allocations[i];
                    if (options.prepare_case && !allocation.skip_reason) {
                        allocation.skip_reason = options.prepare_case(*cases[i], allocation);
                    }
                    result = run_case(contract, *cases[i], allocation, *transport, case_options, *pacers,
                                      checker ? &*checker : nullptr, drifted, requests_sent, start);
                } catch (const std::exception& e) {
                    result.test_case = cases[i]->summary();
                    result.outcome = Outcome::error;
                    result.cause = Cause::internal;
                    result.message = std::string("internal error: ") + e.what();
                }
            }
            std::lock_guard lock(listener_mutex);
            for (auto& d : drifted) {
                run.drifted.emplace_back(cases[i]->id, std::move(d));
            }
            run.cases[i] = std::move(result);
            listener.case_finished(run.cases[i]);
            if (!options.keep_exchanges) {
                run.cases[i].exchanges = {};
            }
        }
    };
    const auto jobs = static_cast<std::size_t>(std::max(1, options.jobs));
    std::vector<std::thread> threads;
    for (std::size_t j = 1; j < std::min(jobs, cases.size()); ++j) {
        threads.emplace_back(worker);
    }
    worker();
    for (auto& t : threads) {
        t.join();
    }
    run.seconds = seconds_since(start);
    run.interrupted = options.stop.stop_requested();
    run.requests_sent = requests_sent;
    const auto figures = pacers->figures(marks);
    run.requests_throttled = figures.throttled;
    run.quota_wait_seconds = figures.wait_seconds;
    run.premise_queries = checker ? checker->queries_sent() : 0;
    return run;
}

}  // namespace conform::engine
