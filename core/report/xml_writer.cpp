#include "report/xml_writer.hpp"

#include <algorithm>
#include <stdexcept>

namespace conform::report {

namespace {

// A byte XML cannot carry, written so a reader can tell the original byte: \xHH.
void append_escaped_byte(std::string& out, unsigned char byte)
{
    static constexpr char k_hex[] = "0123456789abcdef";
    out += "\\x";
    out += k_hex[byte >> 4];
    out += k_hex[byte & 0xF];
}

bool is_xml_char(char32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0x10FFFF);
}

// Valid UTF-8 stays (and, with xml_only, only XML characters); any other byte becomes \xHH.
std::string escape_bytes(std::string_view text, bool xml_only)
{
    // Most text is plain ASCII without control bytes: nothing to replace.
    if (std::all_of(text.begin(), text.end(), [xml_only](char ch) {
            auto c = static_cast<unsigned char>(ch);
            return (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r' || (!xml_only && c < 0x80);
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
        if (!xml_only || is_xml_char(c)) {
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

std::string xml_safe(std::string_view text)
{
    return escape_bytes(text, true);
}

std::string utf8_safe(std::string_view text)
{
    return escape_bytes(text, false);
}

namespace {

// Copies runs of characters that need no escaping in one append each.
template <class Escape> std::string escape_with(std::string_view text, Escape escape)
{
    const auto safe = xml_safe(text);
    std::string out;
    out.reserve(safe.size() + safe.size() / 16);
    std::size_t run = 0;
    for (std::size_t i = 0; i < safe.size(); ++i) {
        if (const char* entity = escape(safe[i])) {
            out.append(safe, run, i - run);
            out += entity;
            run = i + 1;
        }
    }
    out.append(safe, run, std::string::npos);
    return out;
}

}  // namespace

std::string escape_text(std::string_view text)
{
    return escape_with(text, [](char c) -> const char* {
        switch (c) {
        case '&':
            return "&amp;";
        case '<':
            return "&lt;";
        case '>':
            return "&gt;";  // also keeps "]]>" out of character data
        case '\r':
            return "&#13;";
        default:
            return nullptr;
        }
    });
}

std::string escape_attribute(std::string_view text)
{
    return escape_with(text, [](char c) -> const char* {
        switch (c) {
        case '&':
            return "&amp;";
        case '<':
            return "&lt;";
        case '>':
            return "&gt;";
        case '"':
            return "&quot;";
        case '\'':
            return "&apos;";
        case '\n':
            return "&#10;";
        case '\r':
            return "&#13;";
        case '\t':
            return "&#9;";
        default:
            return nullptr;
        }
    });
}

XmlWriter::XmlWriter(std::ostream& out, std::size_t depth, bool declaration) : m_out(out), m_depth(depth)
{
    if (declaration) {
        m_out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    }
}

void XmlWriter::start_tag(std::string_view name, const std::vector<std::pair<std::string, std::string>>& attributes)
{
    m_out << std::string((m_depth + m_open.size()) * 2, ' ') << '<' << name;
    for (const auto& [key, value] : attributes) {
        m_out << ' ' << key << "=\"" << escape_attribute(value) << '"';
    }
}

void XmlWriter::open(std::string_view name, const std::vector<std::pair<std::string, std::string>>& attributes)
{
    start_tag(name, attributes);
    m_out << ">\n";
    m_open.emplace_back(name);
}

void XmlWriter::empty(std::string_view name, const std::vector<std::pair<std::string, std::string>>& attributes)
{
    start_tag(name, attributes);
    m_out << "/>\n";
}

void XmlWriter::text_element(std::string_view name, const std::vector<std::pair<std::string, std::string>>& attributes,
                             std::string_view text)
{
    start_tag(name, attributes);
    m_out << '>' << escape_text(text) << "</" << name << ">\n";
}

void XmlWriter::close()
{
    if (m_open.empty()) {
        throw std::logic_error("XmlWriter::close: no element is open");
    }
    auto name = m_open.back();
    m_open.pop_back();
    m_out << std::string((m_depth + m_open.size()) * 2, ' ') << "</" << name << ">\n";
}

}  // namespace conform::report
