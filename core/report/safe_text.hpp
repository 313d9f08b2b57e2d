// Text an endpoint sent, made inert for the place a report puts it: one decoder, one escape
// (\xHH, so the reader still sees each original byte), a rule per place. Every reporter and the
// console write endpoint text through these, after masking secrets.
#pragma once

#include <string>
#include <string_view>

namespace conform::report {

// Valid UTF-8 with every byte that is not part of it as \xHH: for JSON, which cannot carry such
// bytes; xml_safe of the result equals xml_safe of the original.
std::string utf8_safe(std::string_view text);
// Valid UTF-8 with only the characters XML 1.0 allows, less DEL and the C1 controls
// (U+0080..U+009F, which readers show raw); the bytes of any other character as \xHH.
std::string xml_safe(std::string_view text);
// For a terminal: as xml_safe, and no control character at all but \n and \t (ESC, BEL, CR,
// backspace), nor the bidirectional overrides that reorder what a line shows.
std::string terminal_safe(std::string_view text);
// "[[" never appears: the second '[' of each pair is written \x5b, so no reader's directive
// (Jenkins' and test-results-parser's [[ATTACHMENT|path]], [[PROPERTY|name=value]]) can be
// spelt by an endpoint.
std::string without_directives(std::string_view text);

}  // namespace conform::report
