#include "contract/schema_store.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "contract/schema_refs.hpp"
#include "util/pattern.hpp"
#include "util/text.hpp"

// valijson 1.0 checks "pattern" with std::regex, which recurses once per character of the
// value (a 300 KB string from an endpoint overflows the stack) and backtracks without bound.
// For the value types validated here, the check goes through util::Pattern (RE2, linear time)
// instead: explicit specializations of the visitor's member, seen before anything instantiates it.
namespace valijson {
namespace {

template <class Target>
bool matches_pattern(const Target& target, bool strict_types, const std::vector<std::string>& context,
                     ValidationResults* results, const constraints::PatternConstraint& constraint)
{
    if ((strict_types && !target.isString()) || !target.maybeString()) {
        return true;
    }
    // Compiled once per thread and pattern, as valijson caches its std::regex objects.
    thread_local std::map<std::string, std::optional<conform::util::Pattern>, std::less<>> cache;
    const auto expression = constraint.getPattern<std::string::allocator_type>();
    auto it = cache.find(expression);
    if (it == cache.end()) {
        std::optional<conform::util::Pattern> compiled;
        try {
            compiled.emplace(expression);
        } catch (const conform::util::PatternError&) {
        }
        it = cache.emplace(expression, std::move(compiled)).first;
    }
    if (!it->second) {
        if (results) {
            results->pushError(context, "The 'pattern' /" + expression + "/ is not a valid RE2 regular expression.");
        }
        return false;
    }
    if (!it->second->search(target.asString())) {
        if (results) {
            results->pushError(context, "Failed to match regex specified by 'pattern' constraint.");
        }
        return false;
    }
    return true;
}

}  // namespace

template <>
bool ValidationVisitor<adapters::NlohmannJsonAdapter>::visit(const constraints::PatternConstraint& constraint)
{
    return matches_pattern(m_target, m_strictTypes, m_context, m_results, constraint);
}

template <> bool ValidationVisitor<adapters::StdStringAdapter>::visit(const constraints::PatternConstraint& constraint)
{
    return matches_pattern(m_target, m_strictTypes, m_context, m_results, constraint);
}

}  // namespace valijson

namespace conform::contract {

namespace {

using Adapter = valijson::adapters::NlohmannJsonAdapter;

// valijson reports the instance path as "[name]" segments and a plain description;
// rebuild the JSON pointer and name the keyword, so a reader sees where and why.
std::string keyword_of(const std::string& description)
{
    static const std::vector<std::pair<std::string, std::string>> k_keywords = {
        {"enum", "enum"},
        {"'type'", "type"},
        {"required property", "required"},
        {"additional properties", "additionalProperties"},
        {"Object contains a property", "additionalProperties"},
        {"'const'", "const"},
        {"'pattern'", "pattern"},
        {"String should be no fewer", "minLength"},
        {"String should be no more", "maxLength"},
        {"Array should contain no fewer", "minItems"},
        {"Array should contain no more", "maxItems"},
        {"anyOf", "anyOf"},
        {"oneOf", "oneOf"},
        {"exactly one", "oneOf"},
        {"'not'", "not"},
        {"greater than", "minimum"},
        {"less than", "maximum"},
        {"uniqueness", "uniqueItems"},
    };
    for (const auto& [needle, keyword] : k_keywords) {
        if (description.find(needle) != std::string::npos) {
            return keyword;
        }
    }
    return "schema";
}

std::string pointer_of(const std::vector<std::string>& context)
{
    std::string pointer;
    for (const auto& segment : context) {
        if (segment.size() >= 2 && segment.front() == '[' && segment.back() == ']') {
            pointer += "/" + util::pointer_token(std::string_view(segment).substr(1, segment.size() - 2));
        }
    }
    return pointer;
}

bool is_wrapper(const std::string& description)
{
    // These only repeat a deeper error one level up.
    return description.starts_with("Failed to validate against schema associated with property name") ||
           description.starts_with("Failed to validate item #") ||
           description.starts_with("Failed to validate against additional properties schema") ||
           description.starts_with("Failed to validate against child schema #");
}

std::vector<Violation> collect(const valijson::ValidationResults& results, const nlohmann::json& value)
{
    std::vector<Violation> out;
    std::set<std::pair<std::string, std::string>> seen;  // pointer, message
    std::map<std::string, std::size_t> equal_pairs;      // pointer -> uniqueItems errors there
    valijson::ValidationResults::Error error;
    valijson::ValidationResults copy = results;
    while (copy.popError(error)) {
        if (is_wrapper(error.description)) {
            continue;
        }
        Violation v;
        v.pointer = pointer_of(error.context);
        v.keyword = keyword_of(error.description);
        // valijson reports every equal pair of an array (n^2/2 of n equal items): one message.
        if (v.keyword == "uniqueItems" && equal_pairs[v.pointer]++ > 0) {
            continue;
        }
        const nlohmann::json* at = find_pointer(value, v.pointer);
        std::string shown = at ? brief(*at, 60) + ": " : "";
        std::string description = error.description;
        if (!description.empty() && description.back() == '.') {
            description.pop_back();
        }
        v.message = shown + description;
        if (seen.emplace(v.pointer, v.message).second) {
            out.push_back(std::move(v));
        }
    }
    for (auto& v : out) {
        if (auto pairs = equal_pairs.find(v.pointer); v.keyword == "uniqueItems" && pairs->second > 1) {
            v.message += ", and other pairs";
        }
        v.message += " (keyword " + v.keyword + ")";
    }
    // Deepest first: the most specific reason leads.
    std::stable_sort(out.begin(), out.end(), [](const Violation& a, const Violation& b) {
        return std::count(a.pointer.begin(), a.pointer.end(), '/') >
               std::count(b.pointer.begin(), b.pointer.end(), '/');
    });
    return out;
}

// With error collection on, valijson runs every keyword after one failed, including uniqueItems,
// which is quadratic. So a value is checked first by a pass that stops at the first failure (and so
// at maxItems before uniqueItems); only an invalid one gets a second pass that collects messages,
// over the first k_clip_items + 1 items of each array (whether a value is valid is decided over all
// of them). Strings need no bound: "pattern" goes through RE2 (above), in linear time.
constexpr std::size_t k_clip_items = 256;

bool has_long_array(const nlohmann::json& value)
{
    if (value.is_array() && value.size() > k_clip_items) {
        return true;
    }
    return value.is_structured() && std::any_of(value.begin(), value.end(), has_long_array);
}

nlohmann::json clipped(const nlohmann::json& value)
{
    if (value.is_object()) {
        auto out = nlohmann::json::object();
        for (const auto& [key, item] : value.items()) {
            out[key] = clipped(item);
        }
        return out;
    }
    if (value.is_array()) {
        auto out = nlohmann::json::array();
        for (std::size_t i = 0; i < std::min(value.size(), k_clip_items + 1); ++i) {
            out.push_back(clipped(value[i]));
        }
        return out;
    }
    return value;
}

std::vector<Violation> validate_bounded(valijson::Validator& validator, const valijson::Schema& schema,
                                        const nlohmann::json& value)
{
    if (validator.validate(schema, Adapter(value), nullptr)) {
        return {};
    }
    std::optional<nlohmann::json> short_arrays;
    if (has_long_array(value)) {
        short_arrays = clipped(value);
    }
    valijson::ValidationResults results;
    validator.validate(schema, Adapter(short_arrays ? *short_arrays : value), &results);
    auto violations = collect(results, value);
    if (violations.empty()) {
        // The failure lies past the items the second pass sees.
        violations.push_back(
            {"", "schema",
             "does not match the schema beyond the first " + std::to_string(k_clip_items + 1) + " items of an array"});
    }
    return violations;
}

}  // namespace

struct SchemaStore::Impl {
    std::filesystem::path dir;
    std::map<std::string, nlohmann::json, std::less<>> documents;
    std::map<std::string, std::unique_ptr<valijson::Schema>, std::less<>> compiled;

    void compile(const std::string& name)
    {
        auto schema = std::make_unique<valijson::Schema>();
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        Adapter adapter(documents.at(name));
        auto fetch = [this, &name](const std::string& uri) -> const nlohmann::json* {
            auto target = schema_file_of(uri);
            auto it = documents.find(target);
            if (it == documents.end()) {
                throw ContractError(Problem{(dir / name).string(), "", "$ref to unknown schema file '" + uri + "'"});
            }
            return &it->second;
        };
        try {
            parser.populateSchema(adapter, *schema, std::function<const nlohmann::json*(const std::string&)>(fetch),
                                  std::function<void(const nlohmann::json*)>([](const nlohmann::json*) {}));
        } catch (const ContractError&) {
            throw;
        } catch (const std::exception& e) {
            throw ContractError(
                Problem{(dir / name).string(), "", std::string("not a usable JSON Schema: ") + e.what()});
        }
        compiled.emplace(name, std::move(schema));
    }
};

SchemaStore::SchemaStore(const std::filesystem::path& dir) : m_impl(std::make_unique<Impl>())
{
    m_impl->dir = dir;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        throw ContractError(Problem{dir.string(), "", "schema directory not found"});
    }
    std::vector<Problem> problems;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        // Not only regular files: a dangling link or a directory named *.schema.json is a problem.
        auto name = it->path().filename().string();
        if (name.ends_with(".schema.json")) {
            try {
                m_impl->documents.emplace(name, read_json_file(it->path()));
            } catch (const ContractError& e) {
                problems.insert(problems.end(), e.problems().begin(), e.problems().end());
            }
        }
    }
    if (ec) {
        problems.push_back({dir.string(), "", "cannot be listed: " + ec.message()});
    }
    auto unsafe = check_schema_documents(m_impl->documents, dir);
    problems.insert(problems.end(), unsafe.begin(), unsafe.end());
    if (!problems.empty()) {
        throw ContractError(std::move(problems));
    }
    for (const auto& [name, document] : m_impl->documents) {
        m_impl->compile(name);
    }
}

SchemaStore::~SchemaStore() = default;
SchemaStore::SchemaStore(SchemaStore&&) noexcept = default;
SchemaStore& SchemaStore::operator=(SchemaStore&&) noexcept = default;

bool SchemaStore::contains(std::string_view name) const
{
    return m_impl->compiled.find(name) != m_impl->compiled.end();
}

std::vector<std::string> SchemaStore::names() const
{
    std::vector<std::string> out;
    for (const auto& [name, schema] : m_impl->compiled) {
        out.push_back(name);
    }
    return out;
}

const nlohmann::json& SchemaStore::document(std::string_view name) const
{
    return m_impl->documents.find(name)->second;
}

const std::filesystem::path& SchemaStore::dir() const
{
    return m_impl->dir;
}

std::vector<Violation> SchemaStore::validate(std::string_view name, const nlohmann::json& value) const
{
    auto it = m_impl->compiled.find(name);
    if (it == m_impl->compiled.end()) {
        return {Violation{"", "$ref", "unknown schema '" + std::string(name) + "'"}};
    }
    // One validator per thread: it caches compiled "pattern" regexes, which otherwise cost
    // most of a validation (and most of loading the contract).
    thread_local valijson::Validator validator;
    return validate_bounded(validator, *it->second, value);
}

std::vector<Violation> SchemaStore::validate_with(const nlohmann::json& schema_document, const nlohmann::json& value)
{
    valijson::Schema schema;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    Adapter adapter(schema_document);
    parser.populateSchema(adapter, schema);
    valijson::Validator validator;
    return validate_bounded(validator, schema, value);
}

}  // namespace conform::contract
