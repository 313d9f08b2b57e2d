#include "engine/evaluate.hpp"

#include <algorithm>

#include "contract/json_file.hpp"
#include "util/bounded_json.hpp"
#include "util/text.hpp"

namespace conform::engine {

using contract::brief;
using contract::Expectation;
using contract::Predicate;
using contract::to_string;

namespace {

std::string unescape(std::string token)
{
    std::string out;
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size()) {
            out.push_back(token[i + 1] == '1' ? '/' : '~');
            ++i;
        } else {
            out.push_back(token[i]);
        }
    }
    return out;
}

std::string join_status(const std::vector<int>& statuses)
{
    std::vector<std::string> texts;
    std::transform(statuses.begin(), statuses.end(), std::back_inserter(texts),
                   [](int s) { return std::to_string(s); });
    return util::join(texts, " or ");
}

std::string type_name(const nlohmann::json& value)
{
    if (value.is_number_integer()) {
        return "integer";
    }
    return value.type_name();
}

// A raw excerpt of a body that is not JSON: its own bytes (reporters escape what is not UTF-8).
std::string excerpt(const std::string& body, std::size_t max_length = 80)
{
    return body.size() > max_length ? body.substr(0, max_length) + "..." : body;
}

Failure deviation(std::string kind, std::string where, std::string got, std::string expected,
                  const std::optional<std::string>& rule = std::nullopt)
{
    return {rule.value_or(""), std::move(kind), std::move(where), std::move(got), std::move(expected)};
}

// Text with the run's values put back as the placeholders they came from, so a message names
// {{a}}, not this run's random id, and reads the same across runs. Short values stay: they
// would match ordinary text.
std::string named(std::string text, const contract::Bindings& bindings)
{
    constexpr std::size_t k_min_length = 8;
    for (const auto& [name, value] : bindings) {
        if (!value.is_string() || value.get_ref<const std::string&>().size() < k_min_length) {
            continue;
        }
        const auto& v = value.get_ref<const std::string&>();
        for (auto pos = text.find(v); pos != std::string::npos; pos = text.find(v, pos)) {
            text.replace(pos, v.size(), "{{" + name + "}}");
            pos += name.size() + 4;
        }
    }
    return text;
}

// The deviation a predicate finds, or nothing. where is the pointer as the case wrote it.
std::optional<Failure> check(const Predicate& p, const std::optional<std::string>& expectation_rule,
                             const nlohmann::json& body, const contract::Bindings& bindings)
{
    const auto pointer = contract::expand(std::string_view(p.pointer), bindings);
    const auto expected = contract::expand(p.value, bindings);
    auto selection = select(body, pointer);
    const auto at = p.pointer.empty() ? std::string("body") : p.pointer;
    auto miss = [&](const std::string& got, const std::string& wanted) {
        return deviation("predicate", at, named(got, bindings), named(wanted, bindings),
                         p.rule ? p.rule : expectation_rule);
    };
    if (p.kind == Predicate::Kind::exists) {
        bool present = selection.value != nullptr;
        if (present == expected.get<bool>()) {
            return std::nullopt;
        }
        return present ? miss(brief(*selection.value), "absent")
                       : miss("nothing (" + selection.problem + ")", "present");
    }
    if (!selection.value) {
        if (p.optional) {
            return std::nullopt;
        }
        return miss("nothing (" + selection.problem + ")",
                    p.kind == Predicate::Kind::equals ? brief(expected) : to_string(p.kind) + " " + brief(expected));
    }
    const auto& actual = *selection.value;
    switch (p.kind) {
    case Predicate::Kind::equals:
        if (actual != expected) {
            return miss(brief(actual), brief(expected));
        }
        break;
    case Predicate::Kind::not_equals:
        if (actual == expected) {
            return miss(brief(actual), "anything else");
        }
        break;
    case Predicate::Kind::in:
        if (std::find(expected.begin(), expected.end(), actual) == expected.end()) {
            return miss(brief(actual), "one of " + brief(expected));
        }
        break;
    case Predicate::Kind::not_in:
        if (std::find(expected.begin(), expected.end(), actual) != expected.end()) {
            return miss(brief(actual), "none of " + brief(expected));
        }
        break;
    case Predicate::Kind::length: {
        // nlohmann's size() of a string is 1: a string's length is its size in bytes.
        if (!(actual.is_array() || actual.is_object() || actual.is_string())) {
            return miss(type_name(actual) + " (no length)", "length " + expected.dump());
        }
        auto size = actual.is_string() ? actual.get_ref<const std::string&>().size() : actual.size();
        if (size != expected.get<std::size_t>()) {
            return miss("length " + std::to_string(size), "length " + expected.dump());
        }
        break;
    }
    case Predicate::Kind::matches:
        if (!p.pattern) {
            throw std::logic_error("matches predicate at " + at + " was not compiled when the contract loaded");
        }
        if (!actual.is_string() || !p.pattern->search(actual.get_ref<const std::string&>())) {
            return miss(brief(actual), "a match of /" + p.pattern->expression() + "/");
        }
        break;
    case Predicate::Kind::type:
        if (type_name(actual) != expected.get<std::string>() && !(expected == "number" && actual.is_number())) {
            return miss(type_name(actual), expected.get<std::string>());
        }
        break;
    case Predicate::Kind::exists:
        break;
    }
    return std::nullopt;
}

// The response body as JSON, parsed once on first need whatever the number of alternatives.
// It is the endpoint's text: parsed with limits (depth, number range), so a hostile body is a
// failure of the step, not a crash in a later recursive walk.
class ParsedBody {
  public:
    explicit ParsedBody(const std::string& text) : m_text(text) {}

    // nullptr when the text is not acceptable JSON; problem() then says why and where.
    const nlohmann::json* get()
    {
        if (!m_parsed) {
            m_parsed = true;
            try {
                m_value = util::parse_bounded_json(m_text);
            } catch (const util::JsonParseError& e) {
                // The parser's reason quotes the token it stopped at, which can be the whole body.
                std::string reason = e.what();
                if (reason.size() > k_reason_bytes) {
                    reason = reason.substr(0, k_reason_bytes) + "...";
                }
                m_problem = "not acceptable JSON";
                if (e.byte_offset() != util::JsonParseError::k_no_offset) {
                    m_problem += " at byte offset " + std::to_string(e.byte_offset());
                }
                m_problem += ": " + reason + ": " + excerpt(m_text);
            }
        }
        return m_value ? &*m_value : nullptr;
    }
    const std::string& problem() const { return m_problem; }

  private:
    static constexpr std::size_t k_reason_bytes = 160;
    const std::string& m_text;
    bool m_parsed = false;
    std::optional<nlohmann::json> m_value;
    std::string m_problem;
};

// Everything wrong with the response measured against one expectation whose status matched.
std::vector<Failure> failures_against(const Expectation& expect, const http::Response& response,
                                      const contract::Operation* operation, const contract::SchemaStore& schemas,
                                      const contract::Bindings& bindings, ParsedBody& parsed)
{
    static const nlohmann::json k_no_body;
    const nlohmann::json* body = &k_no_body;
    std::vector<Failure> failures;
    // A status the OpenAPI document does not declare, which the case expects all the same,
    // has no schema to check its body against (unless the case names one).
    const auto* declared = operation ? operation->response_for(response.status) : nullptr;
    const std::string schema = expect.schema.value_or(declared ? declared->schema : "");
    const auto content_type = response.headers.get("Content-Type").value_or("");
    const bool is_json = http::media_type(content_type) == "application/json";
    auto parse = [&] {
        body = parsed.get();
        if (!body) {
            failures.push_back(deviation("json", "body", parsed.problem(), "JSON", expect.rule));
            body = &k_no_body;
            return false;
        }
        return true;
    };

    if (!schema.empty()) {
        if (!is_json) {
            failures.push_back(deviation("content-type", "Content-Type",
                                         content_type.empty() ? std::string("(none)") : brief(content_type),
                                         "application/json", expect.rule));
        }
        if (!parse()) {
            return failures;
        }
        for (const auto& v : schemas.validate(schema, *body)) {
            failures.push_back(deviation("schema:" + schema, v.pointer.empty() ? std::string("body") : v.pointer,
                                         v.message + " [" + schema + "]", "", expect.rule));
        }
    } else if (declared && !declared->has_body() && !response.body.empty()) {
        failures.push_back(deviation("no-body", "body",
                                     std::to_string(response.body.size()) + " bytes: " + excerpt(response.body),
                                     "no body for " + std::to_string(response.status), expect.rule));
    } else if ((!expect.body.empty() || !expect.capture.empty()) && !parse()) {
        return failures;
    }
    for (const auto& p : expect.body) {
        if (auto failure = check(p, expect.rule, *body, bindings)) {
            failures.push_back(std::move(*failure));
        }
    }
    return failures;
}

}  // namespace

Selection select(const nlohmann::json& document, const std::string& pointer)
{
    const nlohmann::json* node = &document;
    std::string walked;
    std::size_t pos = 0;
    if (!pointer.empty() && pointer.front() != '/') {
        return {nullptr, "pointer must start with /"};
    }
    while (pos < pointer.size()) {
        auto next = pointer.find('/', pos + 1);
        auto token = unescape(pointer.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1));
        pos = next == std::string::npos ? pointer.size() : next;
        const auto here = walked.empty() ? std::string("body") : walked;
        if (token.size() > 2 && token.front() == '[' && token.back() == ']' && token.find('=') != std::string::npos) {
            auto eq = token.find('=');
            auto key = token.substr(1, eq - 1);
            auto value = token.substr(eq + 1, token.size() - eq - 2);
            if (!node->is_array()) {
                return {nullptr, here + " is not an array"};
            }
            const nlohmann::json* found = nullptr;
            std::size_t count = 0;
            for (const auto& item : *node) {
                if (item.is_object() && item.contains(key) &&
                    (item[key] == value || (!item[key].is_string() && item[key].dump() == value))) {
                    found = &item;
                    ++count;
                }
            }
            if (count != 1) {
                return {nullptr, here + " has " + std::to_string(count) + " elements with " + key + "=" + value +
                                     ", expected exactly one"};
            }
            node = found;
        } else if (node->is_object()) {
            auto it = node->find(token);
            if (it == node->end()) {
                return {nullptr, here + " has no member \"" + token + "\""};
            }
            node = &*it;
        } else if (node->is_array()) {
            char* end = nullptr;
            auto index = std::strtoul(token.c_str(), &end, 10);
            if (token.empty() || *end != '\0' || index >= node->size()) {
                return {nullptr, here + " has no element " + token + " (size " + std::to_string(node->size()) + ")"};
            }
            node = &(*node)[index];
        } else {
            return {nullptr, here + " is " + type_name(*node) + ", not an object or array"};
        }
        walked += "/" + token;
    }
    return {node, ""};
}

StepVerdict evaluate(const contract::Step& step, const http::Response& response, const contract::Operation* operation,
                     const contract::SchemaStore& schemas, const contract::Bindings& bindings)
{
    StepVerdict verdict;
    std::vector<int> all_statuses;
    std::optional<std::vector<Failure>> first_failures;
    ParsedBody parsed(response.body);
    for (std::size_t k = 0; k < step.expect.size(); ++k) {
        const auto& expect = step.expect[k];
        all_statuses.insert(all_statuses.end(), expect.status.begin(), expect.status.end());
        if (std::find(expect.status.begin(), expect.status.end(), response.status) == expect.status.end()) {
            continue;
        }
        auto failures = failures_against(expect, response, operation, schemas, bindings, parsed);
        if (failures.empty()) {
            // No failures with captures to take: failures_against has parsed the body.
            for (const auto& [name, pointer] : expect.capture) {
                auto selection = select(*parsed.get(), contract::expand(std::string_view(pointer), bindings));
                if (!selection.value) {
                    failures.push_back(deviation("capture", pointer.empty() ? std::string("body") : pointer,
                                                 named("nothing (" + selection.problem + ")", bindings),
                                                 "a value to capture as " + name, expect.rule));
                } else {
                    verdict.captured[name] = *selection.value;
                }
            }
        }
        if (failures.empty()) {
            verdict.matched = k;
            return verdict;
        }
        if (!first_failures) {
            first_failures = std::move(failures);
        }
    }
    if (first_failures) {
        verdict.failures = std::move(*first_failures);
        return verdict;
    }
    std::string seen = std::to_string(response.status);
    if (!response.body.empty()) {
        seen += " with body " + excerpt(response.body, 160);
    }
    verdict.failures.push_back(
        deviation("status", "status", seen, join_status(all_statuses), step.expect.front().rule));
    return verdict;
}

}  // namespace conform::engine
