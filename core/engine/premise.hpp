// Fixture premises: the state a case relies on, read through the contract's state query
// (contract.json "premises", an operation marked x-conform-role: query), which changes nothing.
// The query, its batch size and what confirms each kind are data; nothing here knows the API.
//
// Reusable pieces, pure: the request for a batch of ids, its answer parsed into states, a kind's
// predicate over one state. PremiseChecker sends the queries of the cases in flight, batched.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contract/contract.hpp"
#include "engine/quota.hpp"
#include "engine/run.hpp"
#include "engine/transport.hpp"
#include "http/message.hpp"

namespace conform::engine {

// The state query could not answer: refused, not of its schema, throttled past the budget or
// not answered at all. The message names the query and says which.
class PremiseCheckError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// What a query found, by id: the item its answer lists for that id. An id the answer does not
// list has no entry (no such asset, as far as the query can tell).
using States = std::map<std::string, nlohmann::json>;

// The request that reads the states of ids (1 to the query's batch), addressed and authenticated
// like the run's requests (options: base URL, run bindings, credentials). Throws std::logic_error
// when the contract has no premises or ids is empty or too long.
http::Request state_query_request(const contract::Contract& contract, const std::vector<std::string>& ids,
                                  const RunOptions& options);

// The states in a query's answer. Throws PremiseCheckError for anything but a 200 whose body
// matches the operation's declared schema (the message names the query, the schema and the
// JSON pointer of the first violation; for a refusal its status, error code and message).
States parse_states(const contract::Contract& contract, const http::Response& response);

// Whether an item confirms a kind (nullptr: the query listed no such asset, which confirms none).
bool premise_holds(const contract::KindPremise& premise, const nlohmann::json* item);
// The confirming state in words: "transcode_status WAITING_TRANSCODE", "asset_status CREATED,
// transcode_status not WAITING_TRANSCODE or TRANSCODING".
std::string expected_state(const contract::KindPremise& premise);
// What an item shows at the premise's pointers: "transcode_status TRANSCODING", or "not listed
// by ListAssetList" for nullptr.
std::string found_state(const contract::KindPremise& premise, const nlohmann::json* item,
                        const std::string& query_operation);

// One fixture a case relies on whose kind the query can check.
struct Premise {
    std::string fixture;  // placeholder
    std::string id;
    std::string kind;
    const contract::KindPremise* premise = nullptr;
};

// The findings for the premises that do not hold in states (empty: all hold).
std::vector<PremiseFinding> lost_premises(const std::vector<Premise>& premises, const States& states,
                                          const std::string& query_operation);

// Sends the state queries of a run: concurrent callers share queries, one per batch of up to the
// query's batch size of ids (while one query is out, the ids asked for meanwhile wait for the
// next). Each query goes through the given pacer, which must not be one the operations under test
// use, and is resent when throttled like any request. Thread-safe.
class PremiseChecker {
  public:
    PremiseChecker(const contract::Contract& contract, const RunOptions& options, Pacer& pacer);

    // The states of ids, fresh (read after this call began). Throws PremiseCheckError.
    States states(const std::vector<std::string>& ids, Transport& transport);
    std::size_t queries_sent() const { return m_sent; }

  private:
    struct Waiter {
        std::size_t pending = 0;
        States found;
        std::string error;
    };
    States query(const std::vector<std::string>& ids, Transport& transport);

    const contract::Contract& m_contract;
    const RunOptions& m_options;
    Pacer& m_pacer;
    std::atomic<std::size_t> m_sent{0};
    std::mutex m_mutex;
    std::condition_variable m_done;
    std::deque<std::pair<std::string, std::shared_ptr<Waiter>>> m_queue;
    bool m_busy = false;
};

}  // namespace conform::engine
