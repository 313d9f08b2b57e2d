// Results as JSON (schemas/results.schema.json): what a run found, complete enough that
// `conform report` renders every other report from saved results, JUnit byte for byte.
// Text is masked and made valid UTF-8 (other bytes as \xHH) before it is written.
#pragma once

#include <filesystem>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "report/reporter.hpp"
#include "report/spool.hpp"

namespace conform::report {

inline constexpr const char* k_results_format = "conform-results/1";

// The whole document for a finished run, in memory (tests), as JsonReporter writes it.
nlohmann::json results_json(const engine::RunResult& run, const ReportContext& context);

// Streams each case into a spool as it finishes; writes the file atomically when the run ends.
class JsonReporter final : public FileReporter {
  public:
    JsonReporter(std::filesystem::path path, ReportContext context);

  private:
    void keep(const engine::CaseResult& result) override;
    void write(const engine::RunResult& run) override;

    std::filesystem::path m_path;
    ReportContext m_context;
    Spool m_spool;
};

// Results read back: each case result names its case as the file does. Several files (shards of
// one run) merge: cases in file order, the earliest start, the latest end, counts added up.
struct LoadedResults {
    engine::RunResult run;
    ReportContext context;
};

// Each file must validate against schema (results.schema.json); a file that does not, or that
// cannot be read, is a util::FileError naming the file and the JSON pointer.
LoadedResults load_results(const std::vector<std::filesystem::path>& files, const nlohmann::json& schema);

}  // namespace conform::report
