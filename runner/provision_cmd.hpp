// Fixtures made through the API: conform run --provision (a ProvisionSession around the run),
// conform provision, conform cleanup and conform sweep. The recipes are the contract's data
// (contract.json provision); core/provision executes them.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "contract/contract.hpp"
#include "engine/fixtures.hpp"
#include "engine/run.hpp"
#include "engine/transport.hpp"
#include "options.hpp"
#include "provision/provisioner.hpp"

namespace conform {

// What a provisioned run makes, before anything is sent: per kind, the requests per quota
// category, what is billed and how long it should take. Lines ending with '\n'.
std::string provision_plan_text(const contract::Contract& contract, const std::map<std::string, std::size_t>& demand,
                                const std::map<std::string, std::string>& settings);

// One provisioned run: stable kinds made up front, transient ones right before the case that
// uses them, everything removed at the end (or kept, with --keep-fixtures).
class ProvisionSession {
  public:
    ProvisionSession(const contract::Contract& contract, const Options& options, const engine::RunOptions& run,
                     const engine::TransportOptions& transport);

    // Makes the stable kinds; the pool holds a token per slot, which prepare() turns into an id.
    engine::FixturePool make_up_front(const std::vector<const contract::Case*>& selected);
    // The engine's prepare_case hook: binds made ids, makes transient fixtures just in time.
    std::optional<std::string> prepare(const contract::Case& test_case, engine::Allocation& allocation);
    // The pacers provisioning sends through, for the run to share (RunOptions::pacers).
    const std::shared_ptr<engine::QuotaCategories>& pacers() const { return m_run.pacers; }
    // Removes what was made (or writes it as a fixtures file with --keep-fixtures) and prints
    // what was made, used and removed, for the console and the reports.
    engine::Provisioned finish();

  private:
    struct Slot {
        std::mutex mutex;
        bool done = false;
        std::optional<std::string> id;
        std::string reason;
    };
    std::shared_ptr<Slot> slot(const std::string& token);
    std::shared_ptr<Slot> slot_for(const std::string& token, const contract::Case& test_case);
    void fill(Slot& slot, const std::string& kind);

    const contract::Contract& m_contract;
    const Options& m_options;
    engine::RunOptions m_run;
    engine::TransportOptions m_transport;
    std::unique_ptr<provision::Provisioner> m_provisioner;
    std::mutex m_mutex;
    std::map<std::string, std::shared_ptr<Slot>> m_slots;  // token -> fixture
    std::set<std::string> m_consumed;                      // ids handed to a case that changes them
    std::set<std::string> m_used;
};

// conform provision, cleanup and sweep.
int provision_command(const contract::Contract& contract, const Options& options,
                      const std::vector<const contract::Case*>& selected);

}  // namespace conform
