#include "contract/generate_spec.hpp"

#include <algorithm>

#include "contract/contract.hpp"
#include "contract/json_file.hpp"
#include "contract/template.hpp"

namespace conform::contract {

namespace {

using nlohmann::json;
using Pointer = json::json_pointer;
using ProblemAt = std::function<void(const std::string& pointer, const std::string& reason)>;

// The fixture a probe reads: the only placeholder besides the run's it may name.
const std::string k_target = "a";

void read_probes(const json& probes, const Contract& contract, GenerateSpec& spec, const ProblemAt& problem)
{
    for (std::size_t i = 0; i < probes.size(); ++i) {
        const auto at = Pointer("/generate/probes") / i;
        const auto& p = probes[i];
        const auto& r = p["request"];
        GenerateSpec::Probe probe{
            .request = {}, .status = p["status"].get<int>(), .read = p["read"].get<std::string>()};
        probe.request.operation = r["operation"].get<std::string>();
        if (r.contains("body")) {
            probe.request.body = r["body"];
        }
        probe.request.query = string_pairs(r.value("query", json::object()));
        if (!contract.operation(probe.request.operation)) {
            problem((at / "request" / "operation").to_string(), "unknown operation '" + probe.request.operation + "'");
        }
        auto named = placeholders(r);
        for (const auto& n : placeholders(std::string_view(probe.read))) {
            named.push_back(n);
        }
        for (const auto& n : named) {
            if (n != k_target && !contract.run_placeholders().count(n)) {
                problem(at.to_string(), "{{" + n + "}}: a probe names only {{" + k_target +
                                            "}} (the fixture it reads) and the run placeholders");
            }
        }
        for (std::size_t k = 0; k < p["kinds"].size(); ++k) {
            const auto kind = p["kinds"][k].get<std::string>();
            if (!contract.fixture_kinds().count(kind)) {
                problem((at / "kinds" / k).to_string(), "unknown fixture kind '" + kind + "'");
            } else if (!spec.probes.emplace(kind, probe).second) {
                problem((at / "kinds" / k).to_string(), "a second probe for " + kind);
            }
        }
    }
}

GenerateSpec::Operation read_operation(const std::string& op, const json& entry, const Contract& contract,
                                       const ProblemAt& problem)
{
    GenerateSpec::Operation spec{.member = entry["target"]["member"].get<std::string>(),
                                 .kind = entry["target"]["kind"].get<std::string>(),
                                 .refuse = entry["refuse"].get<std::vector<int>>(),
                                 .rules = {},
                                 .at = Pointer("/generate/operations") / op,
                                 .line = 1};
    if (!contract.operation(op)) {
        problem(spec.at.to_string(), "unknown operation '" + op + "'");
    }
    if (!contract.fixture_kinds().count(spec.kind)) {
        problem((spec.at / "target" / "kind").to_string(), "unknown fixture kind '" + spec.kind + "'");
    }
    for (const auto& [polarity, keys] : entry["rules"].items()) {
        for (const auto& [key, rule] : keys.items()) {
            const auto id = rule.get<std::string>();
            if (!contract.rule(id)) {
                problem((spec.at / "rules" / polarity / key).to_string(), "unknown rule '" + id + "'");
            }
            spec.rules[polarity][key] = id;
        }
    }
    return spec;
}

// The line of an operation's key below "generate", for the reports of the cases made for it.
int line_of(const std::string& op, const std::string& text)
{
    const auto generate_at = text.find("\"generate\"");
    const auto key_at = generate_at == std::string::npos ? std::string::npos : text.find("\"" + op + "\"", generate_at);
    return key_at == std::string::npos
               ? 1
               : 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(key_at), '\n'));
}

}  // namespace

GenerateSpec read_generate_spec(const json& manifest, const std::string& manifest_text,
                                const std::filesystem::path& manifest_file, const Contract& contract,
                                const ProblemAt& problem)
{
    const auto& generate = manifest["generate"];
    // The files' folder name, as case files are shown: "schemas/contract.json".
    const auto dir = manifest_file.parent_path().lexically_normal();
    GenerateSpec spec{
        .fill_kind = generate["fill_kind"].get<std::string>(),
        .probes = {},
        .operations = {},
        .file =
            ((dir.has_filename() ? dir.filename() : dir.parent_path().filename()) / manifest_file.filename()).string(),
        .source = manifest_file.string()};
    if (!contract.generated_kinds().count(spec.fill_kind)) {
        problem("/generate/fill_kind",
                "'" + spec.fill_kind + "' is not one of generated_kinds: its ids must be made up afresh");
    }
    read_probes(generate.value("probes", json::array()), contract, spec, problem);
    for (const auto& [op, entry] : generate["operations"].items()) {
        auto operation = read_operation(op, entry, contract, problem);
        operation.line = line_of(op, manifest_text);
        spec.operations.emplace(op, std::move(operation));
    }
    return spec;
}

}  // namespace conform::contract
