// Minimal XML writer: every text goes through one escaper that knows attributes from text,
// writes what XML 1.0 forbids (control bytes, invalid UTF-8) and the C1 controls as \xHH, so a
// report always parses and keeps the original bytes readable (a U+FFFD would lose them), and
// breaks every "[[" so no text spells a reader's directive (safe_text.hpp).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "report/safe_text.hpp"

namespace conform::report {

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
