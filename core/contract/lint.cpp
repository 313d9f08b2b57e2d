#include "contract/lint.hpp"

#include <algorithm>
#include <cctype>

#include "contract/contract.hpp"
#include "contract/template.hpp"
#include "util/text.hpp"

namespace conform::contract {

namespace {

// For messages: "project_id", "a or b".
std::string placeholders_text(const std::set<std::string>& names)
{
    std::string text;
    for (const auto& name : names) {
        text += (text.empty() ? "" : " or ") + name;
    }
    return text.empty() ? "a run placeholder" : text;
}

// "DeleteAssets" -> "delete-assets": the folder a case of that operation lives in.
std::string kebab(const std::string& name)
{
    std::string out;
    for (char c : name) {
        if (std::isupper(static_cast<unsigned char>(c))) {
            if (!out.empty()) {
                out.push_back('-');
            }
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        } else {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace

std::vector<Problem> CaseLint::check(const Case& c, const nlohmann::json& j, const std::filesystem::path& path)
{
    const auto& contract = m_contract;
    const auto& schemas = contract.schemas();
    const auto& shown = c.file;
    std::vector<Problem> problems;
    auto problem = [&](const std::string& pointer, const std::string& reason) {
        problems.push_back({shown, pointer, reason});
    };

    if (auto [at, fresh] = m_files_by_id.emplace(c.id, shown); !fresh) {
        problem("/id", "case id '" + c.id + "' is taken by " + at->second);
    }
    if (path.stem() != c.id) {
        problem("/id", "the file of case '" + c.id + "' must be named " + c.id + ".json");
    }
    // Descriptions say what the case shows, once (the JSON-Schema-Test-Suite's habit).
    if (auto [at, fresh] = m_files_by_description.emplace(c.description, shown); !fresh) {
        problem("/description", "the same as " + at->second + "'s: say what this case shows");
    }
    for (const char* weak : {"Test ", "Tests ", "Should ", "Check that ", "Checks that "}) {
        if (c.description.starts_with(weak)) {
            problem("/description", std::string("starts with \"") + weak + "\": say what the case shows");
        }
    }
    if (!contract.operation(c.operation)) {
        problem("/operation", "unknown operation '" + c.operation + "'");
    } else if (path.parent_path().filename() != kebab(c.operation)) {
        problem("/operation", "a " + c.operation + " case belongs in cases/" + kebab(c.operation) + "/");
    }
    for (std::size_t i = 0; i < c.rules.size(); ++i) {
        if (!contract.rule(c.rules[i])) {
            problem("/rules/" + std::to_string(i), "unknown rule '" + c.rules[i] + "'");
        }
    }
    std::set<std::string> bound = m_contract.run_placeholders();
    for (const auto& [name, kind] : c.fixtures) {
        if (!contract.fixture_kinds().count(kind) && !contract.generated_kinds().count(kind)) {
            problem("/fixtures/" + util::pointer_token(name), "unknown fixture kind '" + kind + "'");
        }
        if (c.leaves_unchanged(name) && contract.generated_kinds().count(kind)) {
            problem("/fixtures/" + util::pointer_token(name) + "/unchanged",
                    "a " + kind + " id is made up afresh for each case: it cannot be shared");
        }
        bound.insert(name);
    }
    for (std::size_t i = 0; i < c.steps.size(); ++i) {
        const auto& step = c.steps[i];
        const auto where = "/steps/" + std::to_string(i);
        const auto& raw = j["steps"][i];
        if (!step.request.operation.empty() && !contract.operation(step.request.operation)) {
            problem(where + "/request/operation", "unknown operation '" + step.request.operation + "'");
        }
        auto check_bound = [&](const nlohmann::json& value, const std::string& pointer) {
            for (const auto& name : placeholders(value)) {
                if (!bound.count(name)) {
                    problem(pointer, "{{" + name + "}} is neither a fixture, a capture of an earlier step nor " +
                                         placeholders_text(m_contract.run_placeholders()));
                }
            }
        };
        check_bound(raw.at("request"), where + "/request");
        // What can be told without knowing what an operation does (the rest is the author's
        // claim, see cases/README.md): a settle step waits for a change an earlier step made.
        if (step.settle) {
            const auto named = placeholders(raw.at("request"));
            const bool only_unchanged = std::all_of(named.begin(), named.end(), [&](const std::string& n) {
                return c.leaves_unchanged(n) || !bound.count(n) || m_contract.run_placeholders().count(n);
            });
            if (i == 0) {
                problem(where + "/settle", "the first step has no earlier change to wait for");
            } else if (only_unchanged) {
                problem(where + "/settle", "waits for a change, but names no fixture or capture that may change");
            }
        }
        const auto expect_key = raw.contains("expect_any") ? "/expect_any" : "/expect";
        for (std::size_t k = 0; k < step.expect.size(); ++k) {
            const auto& raw_expect = raw.contains("expect_any") ? raw["expect_any"][k] : raw["expect"];
            const auto at = where + expect_key + (raw.contains("expect_any") ? "/" + std::to_string(k) : "");
            if (step.expect[k].schema && !schemas.contains(*step.expect[k].schema)) {
                problem(at + "/schema", "unknown schema '" + *step.expect[k].schema + "'");
            }
            check_bound(raw_expect.value("body", nlohmann::json::array()), at + "/body");
            // A failure names the rule it breaks: it must be one the case says it checks.
            auto check_rule = [&](const std::optional<std::string>& rule, const std::string& pointer) {
                if (rule && std::find(c.rules.begin(), c.rules.end(), *rule) == c.rules.end()) {
                    problem(pointer, "rule '" + *rule + "' is not among the case's rules");
                }
            };
            check_rule(step.expect[k].rule, at + "/rule");
            for (std::size_t n = 0; n < step.expect[k].body.size(); ++n) {
                check_rule(step.expect[k].body[n].rule, at + "/body/" + std::to_string(n) + "/rule");
            }
        }
        for (const auto& expect : step.expect) {
            for (const auto& [name, pointer] : expect.capture) {
                bound.insert(name);
            }
        }
    }
    // An answer explained by a lost premise is only for what no query can check: a verifiable
    // premise is checked again after a failure instead.
    for (std::size_t i = 0; i < c.if_premise_lost.size(); ++i) {
        const auto& e = c.if_premise_lost[i];
        const auto where = "/if_premise_lost/" + std::to_string(i);
        auto fixture =
            std::find_if(c.fixtures.begin(), c.fixtures.end(), [&](const auto& f) { return f.first == e.fixture; });
        const auto* premise =
            fixture == c.fixtures.end() || !contract.premises() ? nullptr : contract.premises()->kind(fixture->second);
        if (fixture == c.fixtures.end()) {
            problem(where + "/fixture", "'" + e.fixture + "' is not one of the case's fixtures");
        } else if (!premise || premise->verifiable()) {
            problem(where + "/fixture", "the premise of '" + e.fixture + "' (" + fixture->second +
                                            ") is checked by the contract's state query: only an unverifiable one "
                                            "can explain an answer");
        }
        if (e.step >= c.steps.size()) {
            problem(where + "/step", "the case has " + std::to_string(c.steps.size()) + " steps");
        }
    }
    return problems;
}

}  // namespace conform::contract
