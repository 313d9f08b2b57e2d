#pragma once

#include <vector>

#include "contract/contract.hpp"
#include "engine/result.hpp"
#include "options.hpp"
#include "util/error.hpp"

namespace conform {

// Exit codes; scripts depend on them.
enum ExitCode : int {
    k_exit_ok = 0,             // every selected MUST case passed (SHOULD too with --strict)
    k_exit_failed = 1,         // a case failed: the endpoint deviates
    k_exit_usage = 2,          // bad invocation or invalid contract/fixtures file: nothing sent
    k_exit_environment = 3,    // the mock did not start, or the report could not be written
    k_exit_not_evaluated = 4,  // no failure, but cases could not be evaluated (unreachable, throttled out, timeout)
    k_exit_not_run = 5,        // no failure or error, but selected MUST cases did not run (without --allow-skips)
    k_exit_left = 6,           // fixtures the suite made could not all be removed (named on the console)
    k_exit_internal = 70,      // a bug in conform (an unexpected exception): the message says which
    k_exit_interrupted = 130   // Ctrl-C: the report was written, cases cut off or not run are errors
};

// Every exception of a command ends here, as a message on stderr and an exit code; none escapes.
int cli_main(int argc, char** argv);

// The exit code of an error of the util::Error family: usage and input 2, environment 3.
int exit_code_for(const util::Error& error);

// The cases --case, --tag and --level select, in contract order; an unknown --case is a UsageError.
std::vector<const contract::Case*> select_cases(const contract::Contract& contract, const Options& o);

// A finished, judged run's exit code, from its verdicts only: 130 > 1 (a failed verdict) > 4 (an
// error) > 5 (a case left unproven: a MUST one not run, or an inconclusive one; unless
// --allow-skips) > 0.
int exit_code(const engine::RunResult& result, bool allow_skips);

}  // namespace conform
