// Files that readers see whole or not at all (reports, fixtures files, the fixtures ledger).
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string_view>

#include "util/error.hpp"

namespace conform::util {

// A file that cannot be written or read back: the environment's trouble unless a caller says
// the file itself is wrong (ErrorKind::input).
class FileError : public Error {
  public:
    explicit FileError(const std::string& what, ErrorKind kind = ErrorKind::environment) : Error(kind, what) {}
};

// Writes a temporary file (mkstemp) beside path, then renames it over path: readers see the old
// file or the new one, never half of one, and two writers never share a temporary file.
// Creates missing parent folders. Throws FileError.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);
// The same, with the content streamed by write.
void write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write);

}  // namespace conform::util
