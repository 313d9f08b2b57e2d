#include "util/pattern.hpp"

#include <re2/re2.h>

namespace conform::util {

Pattern::Pattern(std::string_view expression) : m_expression(expression)
{
    RE2::Options options;
    options.set_log_errors(false);  // the error goes into the exception, not to stderr
    auto compiled = std::make_shared<const RE2>(re2::StringPiece(expression.data(), expression.size()), options);
    if (!compiled->ok()) {
        throw PatternError("invalid regular expression /" + m_expression + "/: " + compiled->error());
    }
    m_compiled = std::move(compiled);
}

bool Pattern::search(std::string_view text) const
{
    return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *m_compiled);
}

}  // namespace conform::util
