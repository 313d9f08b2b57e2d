// The fixtures ledger: the ids of a fixtures file that runs handed to cases that change them,
// kept beside the file (<fixtures>.ledger.json) so that a later run does not hand them out
// again. Runs that share the file share the ledger: every update holds a lock.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/fixtures.hpp"

namespace conform::engine {

class Ledger {
  public:
    explicit Ledger(const std::filesystem::path& fixtures_file);

    const std::filesystem::path& file() const { return m_file; }

    // Holding an exclusive lock (flock on <fixtures>.ledger.lock): reads the ids consumed so
    // far, lets allocate take ids with those left out, adds what it handed out and writes the
    // ledger back atomically. Ids no longer in the fixtures file (known_ids) are dropped, so a
    // new fixtures file starts clean. Throws util::FileError on I/O trouble and
    // contract::ContractError when the ledger is not one.
    void record(const std::set<std::string>& known_ids,
                const std::function<std::vector<Handout>(const UsedUp&)>& allocate,
                const std::map<std::string, std::string>* drifted = nullptr) const;

    // Adds fixtures found out of the state of their kind (the state found beside each), so that no
    // later run hands them out: like consumed ones, with "drifted". Holds the lock like record.
    void record_drifted(const std::set<std::string>& known_ids,
                        const std::vector<std::pair<Handout, std::string>>& drifted) const;

    // The consumed ids, by id (for tests and messages); reads without the lock.
    std::map<std::string, Handout> consumed() const;

  private:
    std::filesystem::path m_fixtures;
    std::filesystem::path m_file;
    std::filesystem::path m_lock;
};

}  // namespace conform::engine
