// Minimal XML writer: every text goes through one escaper that knows attributes from text and
// writes what XML 1.0 forbids (control bytes, invalid UTF-8) as \xHH, so a report always
// parses and keeps the original bytes readable (a U+FFFD would lose them).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace conform::report {

// Valid UTF-8 with only XML 1.0 characters; any other byte becomes the four characters \xHH.
std::string xml_safe(std::string_view text);
// Valid UTF-8 with every byte that is not part of it as \xHH: for JSON, which cannot carry
// such bytes either; xml_safe of the result equals xml_safe of the original.
std::string utf8_safe(std::string_view text);
std::string escape_text(std::string_view text);
std::string escape_attribute(std::string_view text);

// Writes straight to a stream, so a large report never sits in memory whole.
class XmlWriter {
  public:
    // depth: indentation to start at; a fragment (a spooled testcase) has no declaration.
    explicit XmlWriter(std::ostream& out, std::size_t depth = 0, bool declaration = true);
    void open(std::string_view name, const std::vector<std::pair<std::string, std::string>>& attributes = {});
    // An element with attributes and no content.
    void empty(std::string_view name, const std::vector<std::pair<std::string, std::string>>& attributes);
    void text_element(std::string_view name, const std::vector<std::pair<std::string, std::string>>& attributes,
                      std::string_view text);
    // Closes the innermost open element; throws std::logic_error when none is open.
    void close();

  private:
    void start_tag(std::string_view name, const std::vector<std::pair<std::string, std::string>>& attributes);
    std::ostream& m_out;
    std::size_t m_depth;
    std::vector<std::string> m_open;
};

}  // namespace conform::report
