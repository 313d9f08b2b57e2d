#include "contract/json_file.hpp"

#include <fstream>
#include <sstream>

#include "contract/error.hpp"
#include "util/bounded_json.hpp"

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
        return util::parse_bounded_json(text);
    } catch (const util::JsonParseError& e) {
        if (e.byte_offset() == util::JsonParseError::k_no_offset) {
            throw ContractError(Problem{source, "", "invalid JSON: " + std::string(e.what())});
        }
        // Turn the byte offset into line:column, which editors understand.
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i < e.byte_offset() && i < text.size(); ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        throw ContractError(Problem{source + ":" + std::to_string(line) + ":" + std::to_string(column), "",
                                    "invalid JSON: " + std::string(e.what())});
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
