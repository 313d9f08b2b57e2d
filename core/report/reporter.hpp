// A reporter adapts engine results to one output; it never re-runs logic. Streaming reporters
// act in case_finished, cumulative ones (JUnit) in run_finished.
#pragma once

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

    const contract::Rule* rule(const std::string& id) const;
};

class Reporter : public engine::RunListener {
  public:
    void case_finished(const engine::CaseResult&) override {}
    virtual void run_finished(const engine::RunResult& run) = 0;
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

// Whether a case's result counts against the run: MUST deviations always, SHOULD only strict;
// a deviation the run's baseline lists as known does not, unless its entry gates (--strict-baseline).
bool gates(const engine::CaseResult& result, bool strict);

// How every report shows a result, so the console, JUnit, Markdown and HTML count alike: a SHOULD
// deviation outside strict mode is "warned" (JUnit: a typed <skipped>, like pytest's xfail); one
// the baseline lists is "known" (a <skipped type="known-deviation">); a case whose fixture was not
// in the state it relies on is "premise_lost" (not run, or its failure explained: a <skipped
// type="premise-lost">); one that got the answer a lost, unverifiable premise explains is
// "inconclusive" (a <skipped type="inconclusive">). Neither is a verdict on the endpoint.
enum class Verdict { passed, failed, warned, error, skipped, known, premise_lost, inconclusive };
Verdict verdict(const engine::CaseResult& result, bool strict);
std::string to_string(Verdict verdict);

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
