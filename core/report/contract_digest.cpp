#include "report/contract_digest.hpp"

#include <algorithm>
#include <vector>

#include "contract/json_file.hpp"
#include "http/signer.hpp"

namespace conform::report {

std::string contract_digest(const std::filesystem::path& schemas, const std::filesystem::path& cases)
{
    std::string manifest;
    for (const auto& dir : {schemas, cases}) {
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
            if (entry.is_regular_file()) {
                files.push_back(entry.path());
            }
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            // Each file as its path and its content's digest: no concatenation ambiguity.
            manifest += (dir.filename() / file.lexically_relative(dir)).generic_string() + " " +
                        http::sha256_hex(contract::read_text_file(file)) + "\n";
        }
    }
    return "sha256:" + http::sha256_hex(manifest);
}

}  // namespace conform::report
