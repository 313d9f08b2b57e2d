// The run's own premises, checked before any fixture is recorded or any case runs: one harmless
// authenticated request (the contract's state query for an id no asset has) shows that the
// endpoint answers, that it accepts the credentials and that the project exists. And after the
// run, the fixtures found drifted go into the ledger.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "contract/contract.hpp"
#include "engine/run.hpp"
#include "engine/transport.hpp"

namespace conform {

// Why the run cannot go on, in one sentence (unreachable, TLS, credentials refused with the
// answer's code and message, project unknown, an answer not of the query's schema); nothing when
// the endpoint answered the query. A contract without a state query has nothing to check.
std::optional<std::string> preflight(const contract::Contract& contract, const engine::RunOptions& options,
                                     const engine::TransportFactory& transports);

// The ids of the cases that rely on a fixture whose kind no query can check, for the plan.
std::vector<std::string> unverifiable_cases(const contract::Contract& contract,
                                            const std::vector<const contract::Case*>& cases);

// Every case of a run that stopped before sending them: an error saying why, so that the reports
// show what did not run and why, and the exit code is 4.
engine::RunResult not_run(const std::vector<const contract::Case*>& cases, const std::string& why);

// Adds the fixtures the run found drifted to the ledger beside the fixtures file, so that no
// later run hands them out. Throws util::FileError.
void record_drifted(const std::filesystem::path& fixtures_file, const std::set<std::string>& known_ids,
                    const engine::RunResult& result);

}  // namespace conform
