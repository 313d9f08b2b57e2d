// Files that readers see whole or not at all (reports, fixtures files, the fixtures ledger).
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string_view>

namespace conform::util {

class FileError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Writes a temporary file (mkstemp) beside path, then renames it over path: readers see the old
// file or the new one, never half of one, and two writers never share a temporary file.
// Creates missing parent folders. Throws FileError.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);
// The same, with the content streamed by write.
void write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write);

}  // namespace conform::util
