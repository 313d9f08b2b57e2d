#include "report/xml_writer.hpp"

#include <algorithm>
#include <stdexcept>

namespace conform::report {

namespace {

// Copies runs of characters that need no escaping in one append each.
template <class Escape> std::string escape_with(std::string_view text, Escape escape)
{
    const auto safe = xml_safe(without_directives(text));
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
