// A reporter adapts engine results to one output; it never re-runs logic. Streaming reporters
// act in case_finished, cumulative ones (JUnit) in run_finished.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/run.hpp"
#include "http/redact.hpp"

namespace conform::report {

struct ReportContext {
    std::string conform_version = CONFORM_VERSION;  // of the run (a report rendered later keeps it)
    std::string contract_digest;                    // SHA-256 over the contract's files: which contract was run
    std::string endpoint;                           // base URL without userinfo, shown in reports
    std::string run_name;                           // tells merged reports apart (default: the endpoint's host)
    std::string hostname;                           // the machine that ran the cases
    bool strict = false;                            // SHOULD deviations gate (and are failures) only when set
    http::Redactor redactor;                        // applied to every text a reporter writes
    std::vector<contract::Rule> rules;              // the contract's, for the failed rule's text and source
    contract::ReportNames names;                    // the contract's: suite, classname prefix, title, token header
    std::filesystem::path spool_dir;                // where reporters spool cases (the run's TMPDIR; empty: default)

    const contract::Rule* rule(const std::string& id) const;
};

class Reporter : public engine::RunListener {
  public:
    void case_finished(const engine::CaseResult&) override {}
    virtual void run_finished(const engine::RunResult& run) = 0;
};

// A report written as one file when the run ends (JUnit, JSON, HTML) that keeps each case as it
// finishes. It owns what must not reach the engine's worker threads: a case that cannot be kept
// (a full disk) is remembered, the later cases are not kept, and run_finished throws it as a
// util::FileError instead of writing.
class FileReporter : public Reporter {
  public:
    void case_finished(const engine::CaseResult& result) final;
    void run_finished(const engine::RunResult& run) final;

  protected:
    virtual void keep(const engine::CaseResult& result) = 0;
    virtual void write(const engine::RunResult& run) = 0;

  private:
    std::string m_error;
};

// Several reporters at once (console and JUnit): each finished case goes to each, in order.
// run_finished stays with the caller, which handles each reporter's failure its own way.
class Reporters final : public engine::RunListener {
  public:
    explicit Reporters(std::vector<Reporter*> reporters) : m_reporters(std::move(reporters)) {}
    void case_finished(const engine::CaseResult& result) override
    {
        for (auto* r : m_reporters) {
            r->case_finished(result);
        }
    }

  private:
    std::vector<Reporter*> m_reporters;
};

// This machine's name, for the reports' hostname.
std::string local_hostname();

// Every report shows a result by the judge's verdict (CaseResult::judgement), so the console,
// JUnit, Markdown and HTML count alike: a warned deviation is a typed <skipped> in JUnit (like
// pytest's xfail), a known one a <skipped type="known-deviation">.
using engine::to_string;
using engine::Verdict;

struct Tally {
    std::size_t passed = 0, failed = 0, warned = 0, errors = 0, skipped = 0, known = 0, premise_lost = 0,
                inconclusive = 0;
    void add(Verdict v);
    std::size_t total() const
    {
        return passed + failed + warned + errors + skipped + known + premise_lost + inconclusive;
    }
    // What JUnit counts as skipped: every case neither passed, failed nor erred.
    std::size_t not_run() const { return skipped + warned + known + premise_lost + inconclusive; }
};

}  // namespace conform::report
