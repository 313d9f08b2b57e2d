#include "contract/json_file.hpp"

#include <fstream>

#include "contract/error.hpp"
#include "util/bounded_json.hpp"

namespace conform::contract {

namespace {

// Where a SAX pass over text stops with an error: nlohmann's DOM parser gives no position for a
// number beyond a double ("1e400"), its SAX interface does. Never recurses.
std::size_t offset_of_error(const std::string& text)
{
    struct Locator final : nlohmann::json_sax<nlohmann::json> {
        std::size_t offset = util::JsonParseError::k_no_offset;
        bool null() override { return true; }
        bool boolean(bool) override { return true; }
        bool number_integer(number_integer_t) override { return true; }
        bool number_unsigned(number_unsigned_t) override { return true; }
        bool number_float(number_float_t, const string_t&) override { return true; }
        bool string(string_t&) override { return true; }
        bool binary(binary_t&) override { return true; }
        bool start_object(std::size_t) override { return true; }
        bool key(string_t&) override { return true; }
        bool end_object() override { return true; }
        bool start_array(std::size_t) override { return true; }
        bool end_array() override { return true; }
        bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception&) override
        {
            // position is just past the offending token.
            offset = position >= token.size() ? position - token.size() : 0;
            return false;
        }
    };
    Locator locator;
    nlohmann::json::sax_parse(text, &locator);
    return locator.offset;
}

}  // namespace

std::string read_text_file(const std::filesystem::path& path)
{
    return read_text_file(path, path.string());
}

std::string read_text_file(const std::filesystem::path& path, const std::string& source)
{
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec) {
        throw ContractError(Problem{source, "", "cannot be read: " + ec.message()});
    }
    if (!std::filesystem::is_regular_file(status)) {
        throw ContractError(Problem{source, "", "cannot be read: not a regular file"});
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ContractError(Problem{source, "", "cannot be read"});
    }
    // Read by chunks up to one byte past the cap: the size status() gives may be wrong or change.
    std::string text;
    char chunk[64 * 1024];
    while (text.size() <= k_max_contract_file_bytes && in.read(chunk, sizeof chunk).gcount() > 0) {
        text.append(chunk, static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) {
        throw ContractError(Problem{source, "", "cannot be read"});
    }
    if (text.size() > k_max_contract_file_bytes) {
        throw ContractError(Problem{source, "",
                                    "larger than " + std::to_string(k_max_contract_file_bytes / (1024 * 1024)) +
                                        " MiB, the limit for a contract file"});
    }
    return text;
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
        const auto offset =
            e.byte_offset() == util::JsonParseError::k_no_offset ? offset_of_error(text) : e.byte_offset();
        if (offset == util::JsonParseError::k_no_offset) {
            throw ContractError(Problem{source, "", "invalid JSON: " + std::string(e.what())});
        }
        // Turn the byte offset into line:column, which editors understand.
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
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

std::vector<std::pair<std::string, std::string>> string_pairs(const nlohmann::json& object)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [key, value] : object.items()) {
        if (value.is_array()) {
            for (const auto& item : value) {
                out.emplace_back(key, item.get<std::string>());
            }
        } else {
            out.emplace_back(key, value.get<std::string>());
        }
    }
    return out;
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
