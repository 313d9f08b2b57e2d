// A reporter adapts engine results to one output; it never re-runs logic. Streaming reporters
// act in case_finished, cumulative ones (JUnit) in run_finished.
#pragma once

#include <string>
#include <vector>

#include "engine/run.hpp"
#include "http/redact.hpp"

namespace conform::report {

struct ReportContext {
    std::string endpoint;        // base URL, shown in reports
    bool strict = false;         // SHOULD deviations gate (and are failures) only when set
    http::Redactor redactor;     // applied to every text a reporter writes
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

// Whether a case's result counts against the run: MUST deviations always, SHOULD only strict.
bool gates(const engine::CaseResult& result, bool strict);

}  // namespace conform::report
