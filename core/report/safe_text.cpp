#include "report/safe_text.hpp"

#include <algorithm>

namespace conform::report {

namespace {

// A byte a place cannot carry, written so a reader can tell the original byte: \xHH.
void append_escaped_byte(std::string& out, unsigned char byte)
{
    static constexpr char k_hex[] = "0123456789abcdef";
    out += "\\x";
    out += k_hex[byte >> 4];
    out += k_hex[byte & 0xF];
}

bool is_xml_char(char32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c < 0x7F) || (c >= 0xA0 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

bool is_terminal_char(char32_t c)
{
    const bool bidi_control = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    return c != 0xD && is_xml_char(c) && !bidi_control;
}

bool is_any_char(char32_t)
{
    return true;
}

// Valid UTF-8 whose code points keep() accepts stays; any other byte becomes \xHH.
template <class Keep> std::string escape_bytes(std::string_view text, Keep keep)
{
    // Most text is plain printable ASCII: nothing to replace.
    if (std::all_of(text.begin(), text.end(), [&](char ch) {
            auto c = static_cast<unsigned char>(ch);
            return c < 0x80 && keep(c);
        })) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        auto b = static_cast<unsigned char>(text[i]);
        std::size_t length = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
        char32_t c = length == 1 ? b : length == 2 ? (b & 0x1F) : length == 3 ? (b & 0x0F) : (b & 0x07);
        bool valid = length != 0 && i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k) {
            auto cont = static_cast<unsigned char>(text[i + k]);
            valid = (cont & 0xC0) == 0x80;
            c = (c << 6) | (cont & 0x3F);
        }
        // Overlong forms, surrogates and code points past U+10FFFF are invalid UTF-8 too.
        static constexpr char32_t k_min[] = {0, 0, 0x80, 0x800, 0x10000};
        if (valid && (c < k_min[length] || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)) {
            valid = false;
        }
        if (!valid) {
            append_escaped_byte(out, b);
            ++i;
            continue;
        }
        if (keep(c)) {
            out.append(text.substr(i, length));
        } else {
            for (std::size_t k = 0; k < length; ++k) {
                append_escaped_byte(out, static_cast<unsigned char>(text[i + k]));
            }
        }
        i += length;
    }
    return out;
}

}  // namespace

std::string utf8_safe(std::string_view text)
{
    return escape_bytes(text, is_any_char);
}

std::string xml_safe(std::string_view text)
{
    return escape_bytes(text, is_xml_char);
}

std::string terminal_safe(std::string_view text)
{
    return escape_bytes(text, is_terminal_char);
}

std::string without_directives(std::string_view text)
{
    if (text.find("[[") == std::string_view::npos) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size() + 8);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '[' && i > 0 && text[i - 1] == '[') {
            out += "\\x5b";
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace conform::report
