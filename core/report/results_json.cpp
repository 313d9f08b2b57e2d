#include "report/results_json.hpp"

#include <cmath>
#include <ctime>

#include "contract/json_file.hpp"
#include "contract/schema_store.hpp"
#include "report/failure_text.hpp"
#include "report/xml_writer.hpp"
#include "util/atomic_file.hpp"
#include "util/utc_time.hpp"

namespace conform::report {

namespace {

using nlohmann::json;

// The file in ASCII, every other character as \uXXXX: the C1 controls and the bidirectional
// overrides an endpoint sent reach no terminal or viewer that shows the file.
std::string ascii(const json& value)
{
    return value.dump(-1, ' ', true);
}

// Every string masked and valid UTF-8, keys included.
json cleaned(const json& value, const http::Redactor& redact)
{
    if (value.is_string()) {
        return utf8_safe(redact(value.get_ref<const std::string&>()));
    }
    if (value.is_object()) {
        json out = json::object();
        for (const auto& [key, member] : value.items()) {
            out[utf8_safe(redact(key))] = cleaned(member, redact);
        }
        return out;
    }
    if (value.is_array()) {
        json out = json::array();
        for (const auto& item : value) {
            out.push_back(cleaned(item, redact));
        }
        return out;
    }
    return value;
}

json pairs(const std::vector<std::pair<std::string, std::string>>& items)
{
    json out = json::array();
    for (const auto& [a, b] : items) {
        out.push_back({a, b});
    }
    return out;
}

json headers_json(const http::Headers& headers)
{
    json out = json::array();
    for (const auto& h : headers) {
        out.push_back({h.name, h.value});
    }
    return out;
}

http::Headers headers_from(const json& j)
{
    http::Headers out;
    for (const auto& h : j) {
        out.add(h[0].get<std::string>(), h[1].get<std::string>());
    }
    return out;
}

std::string auth_name(contract::Auth auth)
{
    switch (auth) {
    case contract::Auth::run:
        return "run";
    case contract::Auth::none:
        return "none";
    case contract::Auth::wrong_token:
        return "wrong_token";
    case contract::Auth::bad_signature:
        return "bad_signature";
    }
    return "run";
}

contract::Auth auth_from(const std::string& name)
{
    return name == "none"            ? contract::Auth::none
           : name == "wrong_token"   ? contract::Auth::wrong_token
           : name == "bad_signature" ? contract::Auth::bad_signature
                                     : contract::Auth::run;
}

template <class Enum> Enum enum_from(const std::string& name, std::initializer_list<Enum> values)
{
    for (auto v : values) {
        if (engine::to_string(v) == name) {
            return v;
        }
    }
    return *values.begin();
}

// ISO 8601 in UTC with milliseconds: 2026-11-30T23:06:00.123Z.
std::string iso_time(std::chrono::system_clock::time_point when)
{
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
    char fraction[8];
    std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(ms % 1000));
    return util::format_utc(when, "%Y-%m-%dT%H:%M:%S") + fraction;
}

std::chrono::system_clock::time_point time_from(const std::string& iso)
{
    std::tm utc{};
    int ms = 0;
    std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &utc.tm_year, &utc.tm_mon, &utc.tm_mday, &utc.tm_hour,
                &utc.tm_min, &utc.tm_sec, &ms);
    utc.tm_year -= 1900;
    utc.tm_mon -= 1;
    return std::chrono::system_clock::from_time_t(timegm(&utc)) + std::chrono::milliseconds(ms);
}

// --provision: what was made, used and removed, and what is left.
json provisioned_json(const engine::RunResult::Provisioned& provisioned)
{
    json left = json::array();
    for (const auto& [id, why] : provisioned.left) {
        left.push_back({{"id", id}, {"reason", why}});
    }
    return {{"made", provisioned.made}, {"used", provisioned.used}, {"removed", provisioned.removed}, {"left", left}};
}

json run_json(const engine::RunResult& run, const ReportContext& context)
{
    auto out = json{{"conform_version", context.conform_version},
                    {"contract_digest", context.contract_digest},
                    {"run_name", context.run_name},
                    {"endpoint", context.endpoint},
                    {"hostname", context.hostname},
                    {"strict", context.strict},
                    {"names",
                     {{"suite", context.names.suite},
                      {"classname_prefix", context.names.classname_prefix},
                      {"title", context.names.title},
                      {"token_header", context.names.token_header}}},
                    {"started", iso_time(run.started)},
                    {"seconds", run.seconds},
                    {"interrupted", run.interrupted},
                    {"requests_sent", run.requests_sent},
                    {"requests_throttled", run.requests_throttled},
                    {"quota_wait_seconds", run.quota_wait_seconds},
                    {"premise_queries", run.premise_queries}};
    if (run.provisioned) {
        out["provisioned"] = provisioned_json(*run.provisioned);
    }
    return cleaned(out, context.redactor);
}

json rules_json(const ReportContext& context)
{
    json out = json::array();
    for (const auto& r : context.rules) {
        out.push_back({{"id", r.id}, {"level", contract::to_string(r.level)}, {"text", r.text}, {"source", r.source}});
    }
    return out;
}

}  // namespace

json case_json(const engine::CaseResult& r, const ReportContext& context)
{
    const auto& c = *r.test_case;
    json steps = json::array();
    for (const auto& s : c.steps) {
        // The operation keys drift between runs (conform diff): response shapes and latency.
        steps.push_back({{"name", s.name},
                         {"auth", auth_name(s.request.auth)},
                         {"operation", s.request.operation.empty() ? s.request.method + " " + s.request.path
                                                                   : s.request.operation}});
    }
    json failures = json::array();
    for (const auto& f : r.failures) {
        failures.push_back(
            {{"rule", f.rule}, {"kind", f.kind}, {"where", f.where}, {"got", f.got}, {"expected", f.expected}});
    }
    json exchanges = json::array();
    for (const auto& ex : r.exchanges) {
        json shape = json::array();
        for (const auto& [pointer, type] : ex.shape) {
            shape.push_back({{"pointer", pointer}, {"type", type}});
        }
        json response = nullptr;
        if (ex.response) {
            response = {{"status", ex.response->status},
                        {"headers", headers_json(ex.response->headers)},
                        {"body", ex.response->body}};
        }
        exchanges.push_back({{"step", ex.step},
                             {"step_index", ex.step_index},
                             {"matched", ex.matched ? json(*ex.matched) : json(nullptr)},
                             {"seconds", ex.seconds},
                             {"request",
                              {{"method", ex.request.method},
                               {"path", ex.request.path},
                               {"query", pairs(ex.request.query)},
                               {"headers", headers_json(ex.request.headers)},
                               {"body", ex.request.body}}},
                             {"response", response},
                             {"shape", shape}});
    }
    json step = nullptr;
    if (r.step) {
        step = {
            {"index", r.step->index}, {"method", r.step->method}, {"target", r.step->target}, {"note", r.step->note}};
    }
    json out{{"id", c.id},
             {"file", c.file},
             {"line", c.line},
             {"operation", c.operation},
             {"description", c.description},
             {"level", contract::to_string(c.level)},
             {"rules", c.rules},
             {"tags", c.tags},
             {"steps", steps},
             {"outcome", engine::to_string(r.outcome)},
             {"verdict", engine::to_string(r.judgement.verdict)},
             {"judged_level", contract::to_string(r.judgement.level)},
             {"cause", engine::to_string(r.cause)},
             {"message", r.message},
             {"failing_step", step},
             {"failures", failures},
             {"failed_rules", failed_rules(r)},
             {"started", r.started},
             {"seconds", r.seconds},
             {"exchanges", exchanges}};
    if (r.premise) {
        out["premise"] = {{"fixture", r.premise->fixture},
                          {"id", r.premise->id},
                          {"kind", r.premise->kind},
                          {"expected", r.premise->expected},
                          {"found", r.premise->found}};
    }
    if (r.unverified) {
        out["unverified"] = true;
    }
    if (r.baseline) {
        out["baseline"] = {{"state", engine::to_string(r.baseline->state)},
                           {"reason", r.baseline->reason},
                           {"expires", r.baseline->expires},
                           {"gates", r.baseline->gates}};
    }
    return cleaned(out, context.redactor);
}

json results_json(const engine::RunResult& run, const ReportContext& context)
{
    json cases = json::array();
    for (const auto& r : run.cases) {
        cases.push_back(case_json(r, context));
    }
    return {{"format", k_results_format},
            {"run", run_json(run, context)},
            {"rules", rules_json(context)},
            {"cases", cases}};
}

JsonReporter::JsonReporter(std::filesystem::path path, ReportContext context)
    : m_path(std::move(path)), m_context(std::move(context)), m_spool(Spool::Backing::file, m_context.spool_dir)
{
}

void JsonReporter::keep(const engine::CaseResult& result)
{
    m_spool.put(result.test_case, ascii(case_json(result, m_context)));
}

void JsonReporter::write(const engine::RunResult& run)
{
    util::write_file_atomically(m_path, [&](std::ostream& out) {
        out << "{\"format\": \"" << k_results_format << "\",\n\"run\": " << ascii(run_json(run, m_context))
            << ",\n\"rules\": " << ascii(rules_json(m_context)) << ",\n\"cases\": [";
        for (std::size_t i = 0; i < run.cases.size(); ++i) {
            auto text = m_spool.get(run.cases[i].test_case);
            out << (i ? ",\n" : "\n") << (text.empty() ? ascii(case_json(run.cases[i], m_context)) : text);
        }
        out << "\n]}\n";
    });
}

namespace {

void load_one(const nlohmann::json& doc, LoadedResults& out, bool first)
{
    const auto& run = doc["run"];
    const auto started = time_from(run["started"].get<std::string>());
    const double seconds = run["seconds"].get<double>();
    if (first) {
        auto& c = out.context;
        c.conform_version = run["conform_version"].get<std::string>();
        c.contract_digest = run["contract_digest"].get<std::string>();
        c.run_name = run["run_name"].get<std::string>();
        c.endpoint = run["endpoint"].get<std::string>();
        c.hostname = run["hostname"].get<std::string>();
        c.strict = run["strict"].get<bool>();
        const auto& names = run["names"];
        c.names = {names["suite"].get<std::string>(), names["classname_prefix"].get<std::string>(),
                   names["title"].get<std::string>(), names["token_header"].get<std::string>()};
        for (const auto& r : doc["rules"]) {
            c.rules.push_back({r["id"].get<std::string>(),
                               r["level"] == "SHOULD" ? contract::Level::should : contract::Level::must,
                               r["text"].get<std::string>(),
                               r["source"].get<std::string>(),
                               {}});
        }
        out.run.started = started;
        out.run.seconds = seconds;
    } else {
        // Shards: from the earliest start to the latest end.
        const auto end = std::max(out.run.started + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                                        std::chrono::duration<double>(out.run.seconds)),
                                  started + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                                std::chrono::duration<double>(seconds)));
        out.run.started = std::min(out.run.started, started);
        out.run.seconds = std::chrono::duration<double>(end - out.run.started).count();
    }
    out.run.interrupted = out.run.interrupted || run["interrupted"].get<bool>();
    out.run.requests_sent += run["requests_sent"].get<std::size_t>();
    out.run.requests_throttled += run["requests_throttled"].get<std::size_t>();
    out.run.quota_wait_seconds += run["quota_wait_seconds"].get<double>();
    out.run.premise_queries += run.value("premise_queries", std::size_t{0});

    for (const auto& j : doc["cases"]) {
        contract::Case c;
        c.id = j["id"].get<std::string>();
        c.file = j["file"].get<std::string>();
        c.line = j["line"].get<int>();
        c.operation = j["operation"].get<std::string>();
        c.description = j["description"].get<std::string>();
        c.level = j["level"] == "SHOULD" ? contract::Level::should : contract::Level::must;
        c.rules = j["rules"].get<std::vector<std::string>>();
        c.tags = j["tags"].get<std::vector<std::string>>();
        for (const auto& s : j["steps"]) {
            contract::Step step;
            step.name = s["name"].get<std::string>();
            step.request.auth = auth_from(s["auth"].get<std::string>());
            step.request.operation = s.value("operation", "");
            c.steps.push_back(std::move(step));
        }
        out.cases.push_back(std::move(c));

        engine::CaseResult r;
        r.test_case = &out.cases.back();
        r.outcome = enum_from(j["outcome"].get<std::string>(),
                              {engine::Outcome::skipped, engine::Outcome::passed, engine::Outcome::failed,
                               engine::Outcome::error, engine::Outcome::inconclusive});
        r.cause = enum_from(j["cause"].get<std::string>(),
                            {engine::Cause::none, engine::Cause::fixtures, engine::Cause::interrupted,
                             engine::Cause::transport, engine::Cause::placeholder, engine::Cause::internal,
                             engine::Cause::not_applicable, engine::Cause::premise_lost, engine::Cause::premise_check});
        // The verdict as the run's judge gave it: a report renders it, never judges again.
        r.judgement.verdict = enum_from(j["verdict"].get<std::string>(),
                                        {engine::Verdict::skipped, engine::Verdict::passed, engine::Verdict::failed,
                                         engine::Verdict::warned, engine::Verdict::error, engine::Verdict::known,
                                         engine::Verdict::premise_lost, engine::Verdict::inconclusive});
        r.judgement.level = j.value("judged_level", j["level"].get<std::string>()) == "SHOULD" ? contract::Level::should
                                                                                               : contract::Level::must;
        r.message = j["message"].get<std::string>();
        if (j.contains("premise")) {
            const auto& p = j["premise"];
            r.premise = engine::PremiseFinding{p["fixture"].get<std::string>(), p["id"].get<std::string>(),
                                               p["kind"].get<std::string>(), p["expected"].get<std::string>(),
                                               p["found"].get<std::string>()};
        }
        r.unverified = j.value("unverified", false);
        if (j.contains("baseline")) {
            const auto& b = j["baseline"];
            r.baseline = engine::KnownDeviation{
                enum_from(b["state"].get<std::string>(),
                          {engine::KnownDeviation::State::known, engine::KnownDeviation::State::expired,
                           engine::KnownDeviation::State::fixed}),
                b["reason"].get<std::string>(), b["expires"].get<std::string>(), b["gates"].get<bool>()};
        }
        if (!j["failing_step"].is_null()) {
            const auto& s = j["failing_step"];
            r.step = engine::StepRef{s["index"].get<std::size_t>(), s["method"].get<std::string>(),
                                     s["target"].get<std::string>(), s["note"].get<std::string>()};
        }
        for (const auto& f : j["failures"]) {
            r.failures.push_back({f["rule"].get<std::string>(), f["kind"].get<std::string>(),
                                  f["where"].get<std::string>(), f["got"].get<std::string>(),
                                  f["expected"].get<std::string>()});
        }
        r.started = j["started"].get<double>();
        r.seconds = j["seconds"].get<double>();
        for (const auto& e : j["exchanges"]) {
            engine::Exchange ex;
            ex.step = e["step"].get<std::string>();
            ex.step_index = e["step_index"].get<std::size_t>();
            if (!e["matched"].is_null()) {
                ex.matched = e["matched"].get<std::size_t>();
            }
            ex.seconds = e["seconds"].get<double>();
            const auto& q = e["request"];
            ex.request.method = q["method"].get<std::string>();
            ex.request.path = q["path"].get<std::string>();
            for (const auto& p : q["query"]) {
                ex.request.query.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
            }
            ex.request.headers = headers_from(q["headers"]);
            ex.request.body = q["body"].get<std::string>();
            if (!e["response"].is_null()) {
                const auto& a = e["response"];
                ex.response =
                    http::Response{a["status"].get<int>(), headers_from(a["headers"]), a["body"].get<std::string>()};
            }
            for (const auto& s : e["shape"]) {
                ex.shape.emplace_back(s["pointer"].get<std::string>(), s["type"].get<std::string>());
            }
            r.exchanges.push_back(std::move(ex));
        }
        out.run.cases.push_back(std::move(r));
    }
}

}  // namespace

LoadedResults load_results(const std::vector<std::filesystem::path>& files, const nlohmann::json& schema)
{
    LoadedResults out;
    for (std::size_t i = 0; i < files.size(); ++i) {
        nlohmann::json doc;
        try {
            doc = contract::read_json_file(files[i]);
        } catch (const std::exception& e) {
            throw util::FileError(std::string(e.what()));
        }
        const auto violations = contract::SchemaStore::validate_with(schema, doc);
        if (!violations.empty()) {
            const auto& v = violations.front();
            throw util::FileError(files[i].string() + ": " + (v.pointer.empty() ? "/" : v.pointer) + ": " + v.message +
                                  " (not results of conform run --json)");
        }
        load_one(doc, out, i == 0);
    }
    return out;
}

}  // namespace conform::report
