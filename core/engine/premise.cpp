#include "engine/premise.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "contract/json_file.hpp"
#include "util/bounded_json.hpp"
#include "util/text.hpp"

namespace conform::engine {

namespace {

const contract::Premises& premises_of(const contract::Contract& contract)
{
    if (!contract.premises()) {
        throw std::logic_error("the contract has no premises (contract.json \"premises\")");
    }
    return *contract.premises();
}

// "/transcode_status" -> "transcode_status"; a deeper pointer stays as it is.
std::string member_name(const std::string& pointer)
{
    return pointer.size() > 1 && pointer.find('/', 1) == std::string::npos ? pointer.substr(1) : pointer;
}

std::string values_text(const std::vector<std::string>& values)
{
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == values.size() ? " or " : ", ") + values[i];
    }
    return out;
}

// The error code and message of a refusal, when its body has them at the usual members; the
// body's start otherwise.
std::string refusal_text(const http::Response& response)
{
    try {
        const auto body = util::parse_bounded_json(response.body);
        if (body.is_object() && body.contains("error_code")) {
            return fmt::format("{} {}", body["error_code"].is_string() ? body["error_code"].get<std::string>() : "",
                               body.value("error_msg", nlohmann::json("")).is_string()
                                   ? body.value("error_msg", std::string())
                                   : std::string());
        }
    } catch (const std::exception&) {
    }
    return response.body.substr(0, 200);
}

}  // namespace

http::Request state_query_request(const contract::Contract& contract, const std::vector<std::string>& ids,
                                  const RunOptions& options)
{
    const auto& query = premises_of(contract).query;
    if (ids.empty() || ids.size() > query.batch) {
        throw std::logic_error(fmt::format("a state query takes 1 to {} ids, not {}", query.batch, ids.size()));
    }
    contract::Step step;
    step.name = "state query";
    step.request.operation = query.operation;
    auto bindings = options.run_bindings;
    // Ids as bound values, never as templates: an id is data, whatever it holds.
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto name = "premise_id_" + std::to_string(i);
        bindings[name] = ids[i];
        step.request.query.emplace_back(query.ids_parameter, "{{" + name + "}}");
    }
    return build_request(contract, step, bindings, options);
}

States parse_states(const contract::Contract& contract, const http::Response& response)
{
    const auto& query = premises_of(contract).query;
    const auto named = fmt::format("the state query ({})", query.operation);
    if (response.status != 200) {
        throw PremiseCheckError(
            fmt::format("{} answered {}: {}", named, response.status, util::trim(refusal_text(response))));
    }
    nlohmann::json body;
    try {
        body = util::parse_bounded_json(response.body);
    } catch (const util::JsonParseError& e) {
        throw PremiseCheckError(fmt::format("{} answered 200 with a body that is not JSON: {}", named, e.what()));
    }
    const auto* operation = contract.operation(query.operation);
    const auto* declared = operation ? operation->response_for(200) : nullptr;
    if (declared && declared->has_body()) {
        const auto violations = contract.schemas().validate(declared->schema, body);
        if (!violations.empty()) {
            throw PremiseCheckError(fmt::format(
                "{} answered 200 with a body not of {}: {}: {}", named, declared->schema,
                violations.front().pointer.empty() ? "/" : violations.front().pointer, violations.front().message));
        }
    }
    const auto* items = contract::find_pointer(body, query.items);
    if (!items || !items->is_array()) {
        throw PremiseCheckError(fmt::format("{} answered 200 without an array at {}", named, query.items));
    }
    States states;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const auto& item = (*items)[i];
        const auto* id = item.is_object() && item.contains(query.id_member) ? &item[query.id_member] : nullptr;
        if (!id || !id->is_string()) {
            throw PremiseCheckError(fmt::format("{} answered 200 with an item without a string {} at {}/{}", named,
                                                query.id_member, query.items, i));
        }
        states[id->get<std::string>()] = item;
    }
    return states;
}

bool premise_holds(const contract::KindPremise& premise, const nlohmann::json* item)
{
    if (!item) {
        return false;
    }
    return std::all_of(premise.state.begin(), premise.state.end(), [&](const contract::StateCondition& c) {
        const auto* value = contract::find_pointer(*item, c.pointer);
        const bool listed = value && value->is_string() &&
                            std::find(c.values.begin(), c.values.end(), value->get<std::string>()) != c.values.end();
        // An absent member is in no list, so it fails "in" and passes "not in".
        return c.in ? listed : !listed;
    });
}

std::string expected_state(const contract::KindPremise& premise)
{
    std::string out;
    for (const auto& c : premise.state) {
        out += (out.empty() ? "" : ", ") + member_name(c.pointer) + (c.in ? " " : " not ") + values_text(c.values);
    }
    return out;
}

std::string found_state(const contract::KindPremise& premise, const nlohmann::json* item,
                        const std::string& query_operation)
{
    if (!item) {
        return "not listed by " + query_operation;
    }
    std::string out;
    std::set<std::string> shown;
    for (const auto& c : premise.state) {
        if (!shown.insert(c.pointer).second) {
            continue;
        }
        const auto* value = contract::find_pointer(*item, c.pointer);
        out += (out.empty() ? "" : ", ") + member_name(c.pointer) + " " +
               (!value               ? "absent"
                : value->is_string() ? value->get<std::string>()
                                     : value->dump());
    }
    return out;
}

std::vector<PremiseFinding> lost_premises(const std::vector<Premise>& premises, const States& states,
                                          const std::string& query_operation)
{
    std::vector<PremiseFinding> lost;
    for (const auto& p : premises) {
        auto it = states.find(p.id);
        const auto* item = it == states.end() ? nullptr : &it->second;
        if (!premise_holds(*p.premise, item)) {
            lost.push_back(
                {p.fixture, p.id, p.kind, expected_state(*p.premise), found_state(*p.premise, item, query_operation)});
        }
    }
    return lost;
}

PremiseChecker::PremiseChecker(const contract::Contract& contract, const RunOptions& options, Pacer& pacer)
    : m_contract(contract), m_options(options), m_pacer(pacer)
{
    premises_of(contract);
}

States PremiseChecker::query(const std::vector<std::string>& ids, Transport& transport)
{
    const auto& operation = premises_of(m_contract).query.operation;
    const auto rebuild = [&] { return state_query_request(m_contract, ids, m_options); };
    std::atomic<std::size_t> sent{0};
    try {
        auto paced = send_paced(m_pacer, transport, rebuild(), rebuild, sent);
        m_sent += sent;
        return parse_states(m_contract, paced.response);
    } catch (const TransportError& e) {
        m_sent += sent;
        throw PremiseCheckError(fmt::format("the state query ({}) was not answered: {}", operation, e.what()));
    }
}

States PremiseChecker::states(const std::vector<std::string>& ids, Transport& transport)
{
    const auto batch = premises_of(m_contract).query.batch;
    auto waiter = std::make_shared<Waiter>();
    std::unique_lock lock(m_mutex);
    for (const auto& id : std::set<std::string>(ids.begin(), ids.end())) {
        m_queue.emplace_back(id, waiter);
        ++waiter->pending;
    }
    while (waiter->pending > 0 && waiter->error.empty()) {
        if (m_busy) {
            m_done.wait(lock);
            continue;
        }
        // This caller sends the next query, for whatever ids are waiting by then.
        m_busy = true;
        std::vector<std::pair<std::string, std::shared_ptr<Waiter>>> taken;
        std::vector<std::string> batch_ids;
        while (!m_queue.empty()) {
            const auto& id = m_queue.front().first;
            const bool known = std::find(batch_ids.begin(), batch_ids.end(), id) != batch_ids.end();
            if (!known && batch_ids.size() == batch) {
                break;
            }
            if (!known) {
                batch_ids.push_back(id);
            }
            taken.push_back(std::move(m_queue.front()));
            m_queue.pop_front();
        }
        lock.unlock();
        States found;
        std::string error;
        try {
            found = query(batch_ids, transport);
        } catch (const PremiseCheckError& e) {
            error = e.what();
        } catch (const std::exception& e) {
            // Whatever it was, the callers waiting on this query must not wait forever.
            error = std::string("the state query could not be made: ") + e.what();
        }
        lock.lock();
        for (auto& [id, w] : taken) {
            if (!error.empty()) {
                w->error = error;
            } else if (auto it = found.find(id); it != found.end()) {
                w->found[id] = it->second;
            }
            --w->pending;
        }
        m_busy = false;
        m_done.notify_all();
    }
    if (!waiter->error.empty()) {
        throw PremiseCheckError(waiter->error);
    }
    return waiter->found;
}

}  // namespace conform::engine
