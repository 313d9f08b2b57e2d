#pragma once

#include "util/atomic_file.hpp"

namespace conform::report {

// Report trouble is trouble writing files: the report and its spool files.
using ReportError = util::FileError;
using util::write_file_atomically;

}  // namespace conform::report
