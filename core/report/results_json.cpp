#include "report/results_json.hpp"

#include <ctime>
#include <sstream>

#include <nlohmann/json.hpp>

#include "contract/enum_json.hpp"
#include "contract/json_file.hpp"
#include "contract/schema_store.hpp"
#include "engine/enum_json.hpp"
#include "report/failure_text.hpp"
#include "report/xml_writer.hpp"
#include "util/atomic_file.hpp"
#include "util/utc_time.hpp"

// Each value of results.schema.json, written and read back in one place: to_json and from_json
// beside each other. Defined in this file alone, which keeps json.hpp out of the types' headers.

// An optional as its value or null (nlohmann 3.11.2 has no serializer of its own for it).
NLOHMANN_JSON_NAMESPACE_BEGIN
template <class T> struct adl_serializer<std::optional<T>> {
    static void to_json(json& j, const std::optional<T>& value) { j = value ? json(*value) : json(nullptr); }
    static void from_json(const json& j, std::optional<T>& value)
    {
        value = j.is_null() ? std::nullopt : std::optional<T>(j.get<T>());
    }
};
NLOHMANN_JSON_NAMESPACE_END

namespace conform::http {

void to_json(nlohmann::json& j, const Headers& headers)
{
    j = nlohmann::json::array();
    for (const auto& h : headers) {
        j.push_back({h.name, h.value});
    }
}

void from_json(const nlohmann::json& j, Headers& headers)
{
    for (const auto& h : j) {
        headers.add(h.at(0).get<std::string>(), h.at(1).get<std::string>());
    }
}

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Request, method, path, query, headers, body)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Response, status, headers, body)

}  // namespace conform::http

namespace conform::contract {

// A step's operation is missing from results written before it was added.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CaseSummary::Step, name, auth, operation)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CaseSummary, id, file, line, operation, description, level, rules, tags, steps)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ReportNames, suite, classname_prefix, title, token_header)

// A rule as reports cite it; what it covers is the contract's business.
void to_json(nlohmann::json& j, const Rule& r)
{
    j = {{"id", r.id}, {"level", r.level}, {"text", r.text}, {"source", r.source}};
}

void from_json(const nlohmann::json& j, Rule& r)
{
    j.at("id").get_to(r.id);
    j.at("level").get_to(r.level);
    j.at("text").get_to(r.text);
    j.at("source").get_to(r.source);
}

}  // namespace conform::contract

namespace conform::engine {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Failure, rule, kind, where, got, expected)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StepRef, index, method, target, note)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PremiseFinding, fixture, id, kind, expected, found)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(KnownDeviation, state, reason, expires, gates)

namespace {

// Pairs as objects with names: a shape's pointer and type, a fixture left behind and why.
nlohmann::json named_pairs(const std::vector<std::pair<std::string, std::string>>& pairs, const char* first,
                           const char* second)
{
    auto out = nlohmann::json::array();
    for (const auto& [a, b] : pairs) {
        out.push_back({{first, a}, {second, b}});
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> named_pairs_from(const nlohmann::json& j, const char* first,
                                                                  const char* second)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& item : j) {
        out.emplace_back(item.at(first).get<std::string>(), item.at(second).get<std::string>());
    }
    return out;
}

}  // namespace

void to_json(nlohmann::json& j, const Exchange& e)
{
    j = {{"step", e.step},
         {"step_index", e.step_index},
         {"matched", e.matched},
         {"seconds", e.seconds},
         {"request", e.request},
         {"response", e.response},
         {"shape", named_pairs(e.shape, "pointer", "type")}};
}

void from_json(const nlohmann::json& j, Exchange& e)
{
    j.at("step").get_to(e.step);
    j.at("step_index").get_to(e.step_index);
    j.at("matched").get_to(e.matched);
    j.at("seconds").get_to(e.seconds);
    j.at("request").get_to(e.request);
    j.at("response").get_to(e.response);
    e.shape = named_pairs_from(j.at("shape"), "pointer", "type");
}

void to_json(nlohmann::json& j, const Provisioned& p)
{
    j = {{"made", p.made}, {"used", p.used}, {"removed", p.removed}, {"left", named_pairs(p.left, "id", "reason")}};
}

void from_json(const nlohmann::json& j, Provisioned& p)
{
    j.at("made").get_to(p.made);
    j.at("used").get_to(p.used);
    j.at("removed").get_to(p.removed);
    p.left = named_pairs_from(j.at("left"), "id", "reason");
}

// A case's object: the case as the result names it, then what became of it. failed_rules is
// written for readers of the file; the failures hold it.
void to_json(nlohmann::json& j, const CaseResult& r)
{
    j = r.test_case;
    j.update({{"outcome", r.outcome},
              {"verdict", r.judgement.verdict},
              {"judged_level", r.judgement.level},
              {"cause", r.cause},
              {"message", r.message},
              {"failing_step", r.step},
              {"failures", r.failures},
              {"failed_rules", report::failed_rules(r)},
              {"started", r.started},
              {"seconds", r.seconds},
              {"exchanges", r.exchanges}});
    if (r.premise) {
        j["premise"] = *r.premise;
    }
    if (r.unverified) {
        j["unverified"] = true;
    }
    if (r.baseline) {
        j["baseline"] = *r.baseline;
    }
}

// The verdict as the run's judge gave it: a report renders it, never judges again.
void from_json(const nlohmann::json& j, CaseResult& r)
{
    j.get_to(r.test_case);
    j.at("outcome").get_to(r.outcome);
    j.at("verdict").get_to(r.judgement.verdict);
    r.judgement.level = j.value("judged_level", r.test_case.level);
    j.at("cause").get_to(r.cause);
    j.at("message").get_to(r.message);
    j.at("failing_step").get_to(r.step);
    j.at("failures").get_to(r.failures);
    j.at("started").get_to(r.started);
    j.at("seconds").get_to(r.seconds);
    j.at("exchanges").get_to(r.exchanges);
    r.premise = j.value("premise", std::optional<PremiseFinding>());
    r.unverified = j.value("unverified", false);
    r.baseline = j.value("baseline", std::optional<KnownDeviation>());
}

}  // namespace conform::engine

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

// The "run" object: the report context the run had, and the run's figures.
json run_json(const engine::RunResult& run, const ReportContext& context)
{
    json out{{"conform_version", context.conform_version},
             {"contract_digest", context.contract_digest},
             {"run_name", context.run_name},
             {"endpoint", context.endpoint},
             {"hostname", context.hostname},
             {"strict", context.strict},
             {"names", context.names},
             {"started", iso_time(run.started)},
             {"seconds", run.seconds},
             {"interrupted", run.interrupted},
             {"requests_sent", run.requests_sent},
             {"requests_throttled", run.requests_throttled},
             {"quota_wait_seconds", run.quota_wait_seconds},
             {"premise_queries", run.premise_queries}};
    if (run.provisioned) {
        out["provisioned"] = *run.provisioned;
    }
    return cleaned(out, context.redactor);
}

ReportContext context_from(const json& doc)
{
    ReportContext c;
    const auto& run = doc.at("run");
    run.at("conform_version").get_to(c.conform_version);
    run.at("contract_digest").get_to(c.contract_digest);
    run.at("run_name").get_to(c.run_name);
    run.at("endpoint").get_to(c.endpoint);
    run.at("hostname").get_to(c.hostname);
    run.at("strict").get_to(c.strict);
    run.at("names").get_to(c.names);
    doc.at("rules").get_to(c.rules);
    return c;
}

engine::RunResult run_from(const json& doc)
{
    engine::RunResult out;
    const auto& run = doc.at("run");
    out.started = time_from(run.at("started").get<std::string>());
    run.at("seconds").get_to(out.seconds);
    run.at("interrupted").get_to(out.interrupted);
    run.at("requests_sent").get_to(out.requests_sent);
    run.at("requests_throttled").get_to(out.requests_throttled);
    run.at("quota_wait_seconds").get_to(out.quota_wait_seconds);
    out.premise_queries = run.value("premise_queries", std::size_t{0});
    out.provisioned = run.value("provisioned", std::optional<engine::Provisioned>());
    doc.at("cases").get_to(out.cases);
    return out;
}

std::chrono::system_clock::time_point end_of(const engine::RunResult& run)
{
    return run.started +
           std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::duration<double>(run.seconds));
}

// Shards of one run: the cases in file order, from the earliest start to the latest end, the
// counts added up.
void merge(engine::RunResult& into, engine::RunResult part)
{
    const auto end = std::max(end_of(into), end_of(part));
    into.started = std::min(into.started, part.started);
    into.seconds = std::chrono::duration<double>(end - into.started).count();
    into.interrupted = into.interrupted || part.interrupted;
    into.requests_sent += part.requests_sent;
    into.requests_throttled += part.requests_throttled;
    into.quota_wait_seconds += part.quota_wait_seconds;
    into.premise_queries += part.premise_queries;
    if (part.provisioned && !into.provisioned) {
        into.provisioned = std::move(part.provisioned);
    } else if (part.provisioned) {
        into.provisioned->made += part.provisioned->made;
        into.provisioned->used += part.provisioned->used;
        into.provisioned->removed += part.provisioned->removed;
        auto& left = into.provisioned->left;
        left.insert(left.end(), part.provisioned->left.begin(), part.provisioned->left.end());
    }
    std::move(part.cases.begin(), part.cases.end(), std::back_inserter(into.cases));
}

std::string case_text(const engine::CaseResult& result, const ReportContext& context)
{
    return ascii(cleaned(json(result), context.redactor));
}

// The one writer of results, for the file and in memory alike: the run, the rules, then each
// case, as kept when it finished where it was (kept), else rendered now.
void write_results(std::ostream& out, const engine::RunResult& run, const ReportContext& context, Spool* kept)
{
    out << "{\"format\": \"" << k_results_format << "\",\n\"run\": " << ascii(run_json(run, context))
        << ",\n\"rules\": " << ascii(json(context.rules)) << ",\n\"cases\": [";
    for (std::size_t i = 0; i < run.cases.size(); ++i) {
        const auto& r = run.cases[i];
        const auto text = kept ? kept->take(r.test_case.id) : std::string();
        out << (i ? ",\n" : "\n") << (text.empty() ? case_text(r, context) : text);
    }
    out << "\n]}\n";
}

}  // namespace

nlohmann::json results_json(const engine::RunResult& run, const ReportContext& context)
{
    std::ostringstream text;
    write_results(text, run, context, nullptr);
    return json::parse(text.str());
}

JsonReporter::JsonReporter(std::filesystem::path path, ReportContext context)
    : m_path(std::move(path)), m_context(std::move(context)), m_spool(Spool::Backing::file, m_context.spool_dir)
{
}

void JsonReporter::keep(const engine::CaseResult& result)
{
    m_spool.put(result.test_case.id, case_text(result, m_context));
}

void JsonReporter::write(const engine::RunResult& run)
{
    util::write_file_atomically(m_path, [&](std::ostream& out) { write_results(out, run, m_context, &m_spool); });
}

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
        if (i == 0) {
            out = LoadedResults{.run = run_from(doc), .context = context_from(doc)};
        } else {
            merge(out.run, run_from(doc));
        }
    }
    return out;
}

}  // namespace conform::report
