#include "contract/json_file.hpp"

#include <fstream>
#include <sstream>

#include "contract/error.hpp"

namespace conform::contract {

std::string read_text_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ContractError(Problem{path.string(), "", "cannot be read"});
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

nlohmann::json read_json_file(const std::filesystem::path& path)
{
    return parse_json(read_text_file(path), path.string());
}

nlohmann::json parse_json(const std::string& text, const std::string& source)
{
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // Turn the byte offset into line:column, which editors understand.
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        std::string what = e.what();
        auto colon = what.find("syntax error");
        throw ContractError(Problem{source + ":" + std::to_string(line) + ":" + std::to_string(column), "",
                                    "invalid JSON: " + (colon == std::string::npos ? what : what.substr(colon))});
    }
}

const nlohmann::json* find_pointer(const nlohmann::json& document, const std::string& pointer)
{
    try {
        nlohmann::json::json_pointer ptr(pointer);
        return document.contains(ptr) ? &document.at(ptr) : nullptr;
    } catch (const nlohmann::json::exception&) {
        return nullptr;
    }
}

std::string brief(const nlohmann::json& value, std::size_t max_length)
{
    auto text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() > max_length) {
        text = text.substr(0, max_length) + "...";
    }
    return text;
}

}  // namespace conform::contract
