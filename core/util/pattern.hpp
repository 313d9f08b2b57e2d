// Regular expressions over text that comes from outside (endpoint bodies): matched in time
// linear in the text, with no recursion per character, so a hostile string can neither exhaust
// the stack nor hang the run. RE2 syntax (no backreferences or lookaround). The only
// translation unit that includes RE2 is pattern.cpp.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace conform::util {

class PatternError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A compiled regular expression; copies share it, and search() is safe from many threads.
class Pattern {
  public:
    // Throws PatternError saying why the expression is not a valid RE2 pattern.
    explicit Pattern(std::string_view expression);

    // True when the pattern matches anywhere in text (like std::regex_search; anchor with ^ $).
    bool search(std::string_view text) const;
    const std::string& expression() const { return m_expression; }

  private:
    std::string m_expression;
    std::shared_ptr<const re2::RE2> m_compiled;
};

}  // namespace conform::util
