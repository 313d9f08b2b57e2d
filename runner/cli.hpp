#pragma once

#include <vector>

#include "contract/contract.hpp"
#include "engine/result.hpp"
#include "options.hpp"

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
    k_exit_interrupted = 130   // Ctrl-C: the report was written, unrun cases are skipped
};

int cli_main(int argc, char** argv);

// The cases --case, --tag and --level select, in contract order; an unknown --case is a UsageError.
std::vector<const contract::Case*> select_cases(const contract::Contract& contract, const Options& o);

// A finished run's exit code: 130 > 1 (a deviation) > 4 (could not evaluate) > 5 (MUST cases not
// run, unless --allow-skips) > 0.
int exit_code(const engine::RunResult& result, const Options& o);

}  // namespace conform
