// What the fuzz targets share: the ids their seeds use, and reading an input line by line.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/signer.hpp"

namespace conform::fuzz {

// The project every seed request names.
inline const std::string k_project_id = "70b76c5f2a1d4a53880af501cd1e2f3a";

// The AK/SK key the seeds are signed with: the signing guide's published example key.
inline const http::AkSk k_key{"QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"};

// The i-th asset id the targets bind or create, real-looking: 30 fixed hex digits and i.
inline std::string asset_id(std::size_t i)
{
    char tail[8];
    std::snprintf(tail, sizeof tail, "%02zx", i % 256);
    return "f488337c31c8e4622f1590735b1340" + std::string(tail);
}

// Removes and returns the text up to the next '\n' (a preceding '\r' dropped too).
inline std::string_view take_line(std::string_view& text)
{
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    return line;
}

// A property the target checks failed: abort, so libFuzzer saves the input.
[[noreturn]] inline void violated(const std::string& what)
{
    std::fprintf(stderr, "fuzz: property violated: %s\n", what.c_str());
    std::abort();
}

}  // namespace conform::fuzz
