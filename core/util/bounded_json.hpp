// Parsing JSON that comes from outside (endpoint bodies, contract files) with limits, so hostile
// input gets a message instead of exhausting the stack later: nlohmann's parser is iterative, but
// copying, dumping and schema validation recurse once per nesting level.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace conform::util {

// Far deeper than any document of the contract or any API response needs (they stay under 10),
// far shallower than what overflows a thread's stack in a recursive walk.
inline constexpr std::size_t k_max_json_depth = 64;

class JsonParseError : public std::runtime_error {
  public:
    static constexpr std::size_t k_no_offset = static_cast<std::size_t>(-1);

    JsonParseError(std::string reason, std::size_t byte_offset) : std::runtime_error(reason), m_byte_offset(byte_offset)
    {
    }
    // 0-based offset of the offending byte, or k_no_offset when the parser gives none.
    std::size_t byte_offset() const { return m_byte_offset; }

  private:
    std::size_t m_byte_offset;
};

// Parses text, refusing nesting deeper than max_depth and numbers outside the range of a double.
// Throws JsonParseError saying why and where; never any other exception for bad text.
nlohmann::json parse_bounded_json(std::string_view text, std::size_t max_depth = k_max_json_depth);

}  // namespace conform::util
