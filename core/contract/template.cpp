#include "contract/template.hpp"

namespace conform::contract {

namespace {

std::string as_text(const nlohmann::json& value)
{
    return value.is_string() ? value.get<std::string>() : value.dump();
}

const nlohmann::json& lookup(const std::string& name, const Bindings& bindings)
{
    auto it = bindings.find(name);
    if (it == bindings.end()) {
        throw UnboundPlaceholder("{{" + name + "}} has no value");
    }
    return it->second;
}

}  // namespace

std::vector<std::string> placeholders(std::string_view text)
{
    std::vector<std::string> out;
    for (auto open = text.find("{{"); open != std::string_view::npos; open = text.find("{{", open + 2)) {
        auto close = text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            break;
        }
        out.emplace_back(text.substr(open + 2, close - open - 2));
    }
    return out;
}

std::vector<std::string> placeholders(const nlohmann::json& value)
{
    std::vector<std::string> out;
    auto add = [&out](const std::vector<std::string>& names) { out.insert(out.end(), names.begin(), names.end()); };
    if (value.is_string()) {
        add(placeholders(std::string_view(value.get_ref<const std::string&>())));
    } else if (value.is_object()) {
        for (const auto& [key, item] : value.items()) {
            add(placeholders(std::string_view(key)));
            add(placeholders(item));
        }
    } else if (value.is_array()) {
        for (const auto& item : value) {
            add(placeholders(item));
        }
    }
    return out;
}

std::string expand(std::string_view text, const Bindings& bindings)
{
    std::string out;
    std::size_t pos = 0;
    for (auto open = text.find("{{"); open != std::string_view::npos; open = text.find("{{", pos)) {
        auto close = text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            break;
        }
        out += text.substr(pos, open - pos);
        out += as_text(lookup(std::string(text.substr(open + 2, close - open - 2)), bindings));
        pos = close + 2;
    }
    out += text.substr(pos);
    return out;
}

nlohmann::json expand(const nlohmann::json& value, const Bindings& bindings)
{
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        auto names = placeholders(std::string_view(text));
        if (names.size() == 1 && text == "{{" + names.front() + "}}") {
            return lookup(names.front(), bindings);
        }
        return names.empty() ? value : nlohmann::json(expand(std::string_view(text), bindings));
    }
    if (value.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [key, item] : value.items()) {
            out[expand(std::string_view(key), bindings)] = expand(item, bindings);
        }
        return out;
    }
    if (value.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : value) {
            out.push_back(expand(item, bindings));
        }
        return out;
    }
    return value;
}

}  // namespace conform::contract
