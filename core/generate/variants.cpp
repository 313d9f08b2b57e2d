#include "generate/variants.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace conform::generate {

namespace {

using nlohmann::json;

// Every JSON type, in the order variants are made.
const std::vector<std::string> k_types = {"string", "integer", "number", "boolean", "null", "array", "object"};
const std::string k_outside_enum = "CONFORM-NOT-IN-ENUM";

// The JSON types the schema allows; empty when it does not say (then no type is wrong).
std::set<std::string> allowed_types(const json& schema)
{
    std::set<std::string> out;
    if (schema.contains("type")) {
        const auto& type = schema["type"];
        for (const auto& t : type.is_array() ? type : json::array({type})) {
            if (t.is_string()) {
                out.insert(t.get<std::string>());
            }
        }
    } else if (schema.contains("enum") && schema["enum"].is_array()) {
        for (const auto& value : schema["enum"]) {
            out.insert(value.is_number_integer() ? "integer" : std::string(value.type_name()));
        }
    }
    if (out.count("number")) {
        out.insert("integer");  // every integer is a number
    }
    return out;
}

std::string with_article(const std::string& type)
{
    if (type == "null") {
        return "null";
    }
    if (type == "number") {
        return "a fractional number";
    }
    const bool vowel = std::string("aeiou").find(type.front()) != std::string::npos;
    return (vowel ? "an " : "a ") + type;
}

// A value of the given (wrong) type made from the valid one, so that a server that coerces it
// would act on the real target: ["id"] for "id", "id" for ["id"].
json value_of_type(const std::string& type, const json& valid)
{
    if (type == "string") {
        if (valid.is_array() && !valid.empty() && valid[0].is_string()) {
            return valid[0];
        }
        return valid.is_string() ? valid : json(valid.dump());
    }
    if (type == "integer") {
        return 1;
    }
    if (type == "number") {
        return 1.5;
    }
    if (type == "boolean") {
        return true;
    }
    if (type == "null") {
        return nullptr;
    }
    if (type == "array") {
        return json::array({valid});
    }
    return json{{"value", valid}};
}

std::string swap_case(const std::string& text)
{
    const bool has_lower = std::any_of(text.begin(), text.end(), [](unsigned char c) { return std::islower(c); });
    std::string out = text;
    for (auto& c : out) {
        c = static_cast<char>(has_lower ? std::toupper(static_cast<unsigned char>(c))
                                        : std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// Safe in a case id: letters, digits, '.', '_' and '-'; anything else becomes '_'.
std::string id_part(const std::string& text)
{
    std::string out = text;
    for (auto& c : out) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
            c = '_';
        }
    }
    return out;
}

std::size_t count_of(const json& schema, const char* key)
{
    return schema.contains(key) && schema[key].is_number_unsigned() ? schema[key].get<std::size_t>() : 0;
}

class Maker {
  public:
    Maker(const json& schema, const json& valid, Carrier carrier, const std::string& name, const ExtraItem& extra)
        : m_schema(schema), m_valid(valid), m_carrier(carrier), m_name(name), m_extra(extra)
    {
    }

    std::vector<Variant> make()
    {
        types();
        enumeration();
        if (m_schema.value("type", json()) == "string" && count_of(m_schema, "minLength") >= 1) {
            refuse("empty", "empty (\"\")", "");
        }
        if (m_schema.value("type", json()) == "array") {
            array();
        }
        accepted_enum_values();
        if (m_carrier == Carrier::body && m_schema.value("type", json()) == "object" && m_valid.is_object()) {
            properties();
        }
        return std::move(m_out);
    }

  private:
    void refuse(const std::string& name, const std::string& what, json value)
    {
        m_out.push_back({name, m_name + " " + what, false, std::move(value)});
    }
    void accept(const std::string& name, const std::string& what, json value)
    {
        m_out.push_back({name, m_name + " " + what, true, std::move(value)});
    }

    void types()
    {
        const auto allowed = allowed_types(m_schema);
        if (allowed.empty()) {
            return;
        }
        if (m_carrier == Carrier::query) {
            // On the wire every value is text: a scalar can only be doubled, or be text where a
            // number or boolean belongs.
            if (allowed.count("array")) {
                return;
            }
            refuse("repeated", "given twice", json::array({m_valid, m_valid}));
            if (!allowed.count("string")) {
                refuse("type-string", "as text that is not " + with_article(*allowed.begin()), "conform");
            }
            return;
        }
        for (const auto& type : k_types) {
            if (!allowed.count(type)) {
                refuse("type-" + type, "as " + with_article(type), value_of_type(type, m_valid));
            }
        }
    }

    void enumeration()
    {
        if (!m_schema.contains("enum") || !m_schema["enum"].is_array()) {
            return;
        }
        const auto& values = m_schema["enum"];
        std::vector<std::string> strings;
        for (const auto& v : values) {
            if (v.is_string()) {
                strings.push_back(v.get<std::string>());
            }
        }
        if (strings.empty()) {
            return;
        }
        auto outside = k_outside_enum;
        while (std::find(strings.begin(), strings.end(), outside) != strings.end()) {
            outside += "-X";
        }
        refuse("not-in-enum", "outside its enum (\"" + outside + "\")", outside);
        for (const auto& v : strings) {
            const auto swapped = swap_case(v);
            if (swapped != v && std::find(strings.begin(), strings.end(), swapped) == strings.end()) {
                refuse("case-" + id_part(v), "= \"" + swapped + "\" (" + v + " with its case changed)", swapped);
            }
        }
    }

    void accepted_enum_values()
    {
        if (!m_schema.contains("enum") || !m_schema["enum"].is_array()) {
            return;
        }
        for (const auto& v : m_schema["enum"]) {
            const auto text = v.is_string() ? v.get<std::string>() : v.dump();
            accept("enum-" + id_part(text), "= " + v.dump(), v);
        }
    }

    // first, then the extra items 1..count-1.
    json filled(const json& first, std::size_t count) const
    {
        auto out = json::array();
        for (std::size_t n = 0; n < count; ++n) {
            out.push_back(n == 0 ? first : m_extra(first, n));
        }
        return out;
    }

    void array()
    {
        const auto items = m_schema.value("items", json::object());
        const auto first = m_valid.is_array() && !m_valid.empty() ? m_valid[0] : example_value(items);
        if (count_of(m_schema, "minItems") >= 1) {
            if (m_carrier == Carrier::query) {
                refuse("empty", "empty (one empty value)", json::array({""}));
            } else {
                refuse("empty", "empty ([])", json::array());
            }
        }
        const auto max = count_of(m_schema, "maxItems");
        if (max >= 1) {
            const auto over = std::to_string(max + 1) + " items (maxItems " + std::to_string(max) + ")";
            refuse("max-items-plus-one", "with " + over, filled(first, max + 1));
            if (!m_schema.value("uniqueItems", false)) {
                // Still one too many when a server counts distinct values.
                auto repeated = filled(first, max);
                repeated.push_back(first);
                refuse("max-items-plus-one-repeated", "with " + over + ", the first repeated", std::move(repeated));
            }
        }
        const auto item_name = "an item of " + m_name;
        for (auto& v : variants(items, first, m_carrier, item_name, m_extra)) {
            // A query value is text whatever the item schema says, and an empty one is "empty" above.
            if (m_carrier == Carrier::query && v.name != "not-in-enum" && !v.name.starts_with("case-") &&
                !v.name.starts_with("enum-")) {
                continue;
            }
            if (!v.value) {
                continue;
            }
            m_out.push_back({"items-" + v.name, m_name + " with " + v.what, v.accepted, json::array({*v.value})});
        }
        if (max >= 1) {
            accept("max-items", "with exactly " + std::to_string(max) + " items (maxItems)", filled(first, max));
        }
    }

    void properties()
    {
        const auto required = m_schema.value("required", json::array());
        const auto properties = m_schema.value("properties", json::object());  // named: items() of a temporary dangles
        for (const auto& [property, schema] : properties.items()) {
            const bool needed = std::find(required.begin(), required.end(), property) != required.end();
            auto base = m_valid;
            if (!base.contains(property)) {
                base[property] = example_value(schema);  // an optional member, added to vary it
            }
            if (needed) {
                auto without = m_valid;
                without.erase(property);
                m_out.push_back({property + "/missing", "without " + property, false, std::move(without)});
            }
            for (auto& v : variants(schema, base[property], m_carrier, property, m_extra)) {
                auto whole = base;
                if (v.value) {
                    whole[property] = std::move(*v.value);
                } else {
                    whole.erase(property);
                }
                m_out.push_back({property + "/" + v.name, v.what, v.accepted, std::move(whole)});
            }
        }
    }

    const json& m_schema;
    const json& m_valid;
    Carrier m_carrier;
    const std::string& m_name;
    const ExtraItem& m_extra;
    std::vector<Variant> m_out;
};

}  // namespace

std::vector<Variant> variants(const json& schema, const json& valid, Carrier carrier, const std::string& name,
                              const ExtraItem& extra)
{
    if (!schema.is_object()) {
        return {};
    }
    return Maker(schema, valid, carrier, name, extra).make();
}

json example_value(const json& schema)
{
    if (!schema.is_object()) {
        return "conform";
    }
    if (schema.contains("enum") && schema["enum"].is_array() && !schema["enum"].empty()) {
        return schema["enum"][0];
    }
    for (const char* key : {"const", "example", "default"}) {
        if (schema.contains(key)) {
            return schema[key];
        }
    }
    const auto type = schema.contains("type") && schema["type"].is_array() && !schema["type"].empty()
                          ? schema["type"][0]
                          : schema.value("type", json("string"));
    if (type == "integer" || type == "number") {
        return schema.contains("minimum") && schema["minimum"].is_number() ? schema["minimum"] : json(1);
    }
    if (type == "boolean") {
        return true;
    }
    if (type == "null") {
        return nullptr;
    }
    if (type == "array") {
        auto out = json::array();
        for (std::size_t n = 0; n < std::max<std::size_t>(1, count_of(schema, "minItems")); ++n) {
            out.push_back(example_value(schema.value("items", json::object())));
        }
        return out;
    }
    if (type == "object") {
        auto out = json::object();
        const auto properties = schema.value("properties", json::object());
        for (const auto& name : schema.value("required", json::array())) {
            if (name.is_string()) {
                const auto key = name.get<std::string>();
                out[key] = example_value(properties.value(key, json::object()));
            }
        }
        return out;
    }
    std::string text = "conform";
    if (schema.contains("maxLength")) {
        text.resize(std::min(text.size(), count_of(schema, "maxLength")));
    }
    text.resize(std::max(text.size(), count_of(schema, "minLength")), 'x');
    return text;
}

}  // namespace conform::generate
