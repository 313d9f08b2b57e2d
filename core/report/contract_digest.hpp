// Which contract a run used: a SHA-256 over every file of the schemas and cases folders (their
// paths relative to the folder and their bytes, in path order), so results of two runs can be
// told to come from the same contract or not.
#pragma once

#include <filesystem>
#include <string>

namespace conform::report {

std::string contract_digest(const std::filesystem::path& schemas, const std::filesystem::path& cases);

}  // namespace conform::report
