#include "provision/provisioner.hpp"

#include <algorithm>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <fmt/format.h>

#include "contract/template.hpp"
#include "engine/evaluate.hpp"
#include "engine/premise.hpp"
#include "util/bounded_json.hpp"
#include "util/text.hpp"

namespace conform::provision {

namespace {

using Clock = std::chrono::steady_clock;

std::string read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw CannotMake{"cannot read " + path.string(), false};
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The first failure of a step, briefly: what the endpoint answered against what was expected.
std::string failure_text(const std::vector<engine::Failure>& failures, int status)
{
    if (failures.empty()) {
        return "";
    }
    const auto& f = failures.front();
    auto text = fmt::format("answered {}: {}: got {}", status, f.where, f.got);
    if (!f.expected.empty()) {
        text += ", expected " + f.expected;
    }
    return text;
}

std::string pointer_string(const nlohmann::json& document, const std::string& pointer)
{
    try {
        const auto& value = document.at(nlohmann::json::json_pointer(pointer));
        return value.is_string() ? value.get<std::string>() : value.dump();
    } catch (const nlohmann::json::exception&) {
        return "";
    }
}

// What the upload PUT is counted as: object storage, outside the API gateway's quota.
constexpr const char* k_upload_category = "object storage";

}  // namespace

void Inventory::add(Made made)
{
    std::lock_guard lock(m_mutex);
    m_made.push_back(std::move(made));
}

std::vector<Made> Inventory::all() const
{
    std::lock_guard lock(m_mutex);
    return m_made;
}

std::optional<std::pair<std::string, std::string>> split_url(const std::string& url)
{
    const auto scheme = url.find("://");
    if (scheme == std::string::npos || scheme == 0) {
        return std::nullopt;
    }
    const auto rest = url.find_first_of("/?", scheme + 3);
    if (rest == std::string::npos) {
        return std::pair{url, std::string("/")};
    }
    auto target = url.substr(rest);
    return std::pair{url.substr(0, rest), target.starts_with("?") ? "/" + target : target};
}

Provisioner::Provisioner(const contract::Contract& contract, engine::RunOptions options,
                         engine::TransportFactory transports, std::string run_id,
                         std::map<std::string, std::string> settings, UploadTransport upload_transport, Polling polling)
    : m_contract(contract), m_data(*contract.provision()), m_options(std::move(options)),
      m_transports(std::move(transports)), m_run_id(std::move(run_id)), m_settings(std::move(settings)),
      m_upload_transport(std::move(upload_transport)), m_polling(polling),
      m_pacers(m_options.pacers ? m_options.pacers : engine::make_pacers(contract, m_options))
{
    for (const auto& [name, setting] : m_data.settings) {
        if (!m_settings.count(name) && setting.default_value) {
            m_settings[name] = *setting.default_value;
        }
    }
}

std::optional<std::string> Provisioner::unavailable(const std::string& kind) const
{
    const auto chain = m_data.chain(kind);
    if (const auto it = m_data.cannot_make.find(kind); it != m_data.cannot_make.end()) {
        return kind + " cannot be made: " + it->second;
    }
    if (chain.empty()) {
        return "the contract has no recipe to make a " + kind + " fixture";
    }
    for (const auto* recipe : chain) {
        for (const auto& need : recipe->needs) {
            if (!m_settings.count(need)) {
                const auto& setting = m_data.settings.at(need);
                return kind + " cannot be made without " + setting.flag + " (" + setting.description + ")";
            }
        }
    }
    return std::nullopt;
}

contract::Bindings Provisioner::bindings_for(const std::string& kind) const
{
    auto bindings = m_options.run_bindings;
    bindings["run_id"] = m_run_id;
    bindings["kind"] = kind;
    bindings["tag"] = m_data.tag;
    const auto run_tag = contract::expand(std::string_view(m_data.run_tag), bindings);
    bindings["run_tags"] = m_data.tag + "," + run_tag;
    for (const auto& [name, value] : m_settings) {
        bindings[name] = value;
    }
    return bindings;
}

bool Provisioner::interrupted() const
{
    return m_options.stop.stop_requested();
}

void Provisioner::count(const std::string& category)
{
    std::lock_guard lock(m_counts_mutex);
    ++m_counts[category];
}

RequestCounts Provisioner::requests() const
{
    std::lock_guard lock(m_counts_mutex);
    return m_counts;
}

Provisioner::Answer Provisioner::send(const contract::Step& step, const contract::Bindings& bindings,
                                      engine::Transport& transport)
{
    const auto rebuild = [&] { return engine::build_request(m_contract, step, bindings, m_options); };
    const auto& operation = step.request.operation;
    auto paced = engine::send_paced(m_pacers->pacer(operation), transport, rebuild(), rebuild, m_sent);
    const auto* category = m_contract.quota().category_of(operation);
    count(category ? category->name : "other");
    Answer answer;
    answer.response = std::move(paced.response);
    answer.verdict = engine::evaluate(step, answer.response, m_contract.operation(step.request.operation),
                                      m_contract.schemas(), bindings);
    return answer;
}

Provisioner::Answer Provisioner::upload(const contract::RecipeStep& step, const contract::Bindings& bindings)
{
    const auto url = contract::expand(std::string_view(*step.upload_url), bindings);
    const auto parts = split_url(url);
    if (!parts) {
        throw CannotMake{"the upload URL an answer gave is not absolute", false};
    }
    const auto& file = m_data.files.at(step.upload_file);
    http::Request request;
    request.method = "PUT";
    request.path = parts->second;
    request.headers.set("Host", engine::authority_of(parts->first));
    request.headers.set("Content-Type", file.content_type);
    request.body = read_file(file.path);
    auto transport = m_upload_transport(parts->first);
    Answer answer;
    answer.response = transport->send(request);  // object storage, outside the gateway's quota
    count(k_upload_category);
    answer.verdict = engine::evaluate(step.step, answer.response, nullptr, m_contract.schemas(), bindings);
    return answer;
}

std::optional<Clock::duration> Provisioner::quick_pause() const
{
    const auto* premises = m_contract.premises() ? &*m_contract.premises() : nullptr;
    const auto* category = premises ? m_contract.quota().category_of(premises->query.operation) : nullptr;
    if (!category || !(category->per_minute > 0)) {
        return std::nullopt;
    }
    const auto waits = static_cast<double>(std::max<std::size_t>(1, m_quick_waits.load()));
    const double seconds = 60 / category->per_minute * waits / m_polling.quick_share;
    return std::max<Clock::duration>(
        m_polling.quickest_pause, std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds)));
}

bool Provisioner::poll(double timeout_seconds, bool quick, const std::function<bool()>& try_once)
{
    auto& time = *m_options.time;
    const auto deadline = time.now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(timeout_seconds * m_polling.timeout_scale));
    Clock::duration pause = m_polling.first_pause;
    for (;;) {
        if (try_once()) {
            return true;
        }
        const auto now = time.now();
        if (interrupted() || now >= deadline) {
            return false;
        }
        const auto quick_by = quick ? quick_pause() : std::nullopt;
        if (!time.sleep_until(std::min(now + quick_by.value_or(pause), deadline), m_options.stop)) {
            return false;
        }
        pause = std::min<Clock::duration>(pause * 3 / 2, m_polling.longest_pause);
    }
}

std::optional<Provisioner::Answer> Provisioner::wait(const contract::WaitStep& wait, const contract::Bindings& bindings,
                                                     engine::Transport& transport, std::string& last)
{
    const auto start = m_options.time->now();
    int tries = 0;
    std::optional<Answer> held;
    poll(wait.timeout_seconds, false, [&] {
        auto answer = send(wait.step, bindings, transport);
        if (answer.verdict.failures.empty()) {
            held = std::move(answer);
            return true;
        }
        last = fmt::format("{} ({} tries in {:.1f} s)", failure_text(answer.verdict.failures, answer.response.status),
                           ++tries, std::chrono::duration<double>(m_options.time->now() - start).count());
        return false;
    });
    return held;
}

Provisioner::Reached Provisioner::wait_premise(const std::string& kind, const std::string& id,
                                               const contract::PremiseWait& wait, bool just_in_time,
                                               engine::Transport& transport, std::string& last)
{
    const auto* premise = m_contract.premises() ? m_contract.premises()->kind(kind) : nullptr;
    if (!premise || !premise->verifiable()) {
        return Reached::yes;  // nothing can confirm it: taken as made (the premise checks say so per case)
    }
    const auto& query = m_contract.premises()->query.operation;
    const auto start = m_options.time->now();
    int tries = 0;
    bool moved_past = false;
    // Counted while it waits: the quick waits under way share the query's quota.
    struct Counted {
        std::atomic<std::size_t>& n;
        bool on;
        Counted(std::atomic<std::size_t>& count, bool counted) : n(count), on(counted) { n += on ? 1 : 0; }
        ~Counted() { n -= on ? 1 : 0; }
    } counted(m_quick_waits, just_in_time);
    const bool ended = poll(wait.timeout_seconds, just_in_time, [&] {
        const auto rebuild = [&] { return engine::state_query_request(m_contract, {id}, m_options); };
        auto paced = engine::send_paced(m_pacers->pacer(query), transport, rebuild(), rebuild, m_sent);
        const auto* category = m_contract.quota().category_of(query);
        count(category ? category->name : "other");
        ++tries;
        try {
            const auto states = engine::parse_states(m_contract, paced.response);
            const auto it = states.find(id);
            const auto* item = it == states.end() ? nullptr : &it->second;
            if (engine::premise_holds(*premise, item)) {
                return true;
            }
            last = engine::found_state(*premise, item, query);
            // A state the kind moves on to: the window was missed, and waiting longer cannot help.
            moved_past = engine::premise_drifted(*premise, item);
        } catch (const engine::PremiseCheckError& e) {
            last = e.what();
        }
        last += fmt::format(", expected {} ({} tries in {:.1f} s)", engine::expected_state(*premise), tries,
                            std::chrono::duration<double>(m_options.time->now() - start).count());
        return moved_past;
    });
    return moved_past ? Reached::moved_past : ended ? Reached::yes : Reached::timed_out;
}

std::string Provisioner::make(const std::string& kind)
{
    if (const auto why = unavailable(kind)) {
        throw CannotMake{*why, false};
    }
    auto bindings = bindings_for(kind);
    auto transport = m_transports();
    for (const auto* recipe : m_data.chain(kind)) {
        for (const auto& step : recipe->make) {
            if (interrupted()) {
                throw CannotMake{"not made: the run was interrupted", false};
            }
            Answer answer;
            try {
                answer = step.upload_url ? upload(step, bindings) : send(step.step, bindings, *transport);
            } catch (const engine::TransportError& e) {
                throw CannotMake{fmt::format("{}: {}: {}", kind, step.step.name, m_options.redactor(e.what())), false};
            }
            for (auto& [name, value] : answer.verdict.captured) {
                const bool also =
                    std::find(recipe->also_made.begin(), recipe->also_made.end(), name) != recipe->also_made.end();
                if ((name == "id" && !bindings.count("id")) || also) {
                    m_inventory.add({value.is_string() ? value.get<std::string>() : value.dump(), kind, name});
                }
                bindings[name] = std::move(value);
            }
            if (!answer.verdict.failures.empty()) {
                throw CannotMake{
                    fmt::format("{}: {}: {}", kind, step.step.name,
                                m_options.redactor(failure_text(answer.verdict.failures, answer.response.status))),
                    false};
            }
        }
        if (!recipe->wait) {
            continue;
        }
        std::string last;
        auto reached = Reached::timed_out;
        try {
            reached = wait_premise(recipe->kind, bindings.at("id").get<std::string>(), *recipe->wait,
                                   m_data.chain(kind).back()->just_in_time, *transport, last);
        } catch (const engine::TransportError& e) {
            throw CannotMake{fmt::format("{}: reading its state: {}", kind, m_options.redactor(e.what())), false};
        }
        if (reached != Reached::yes) {
            const auto why =
                reached == Reached::moved_past
                    ? fmt::format("{} moved past before it was seen: {}", recipe->kind, m_options.redactor(last))
                    : fmt::format("{} not reached within {:g} s: {}", recipe->kind,
                                  recipe->wait->timeout_seconds * m_polling.timeout_scale, m_options.redactor(last));
            throw CannotMake{recipe->lost_when.empty() ? why : recipe->lost_when + " (" + why + ")",
                             !recipe->lost_when.empty() && !interrupted()};
        }
    }
    const auto& id = bindings.at("id");
    return id.is_string() ? id.get<std::string>() : id.dump();
}

CleanupResult Provisioner::remove(const std::vector<Made>& made)
{
    CleanupResult out;
    const auto& removal = m_data.removal;
    auto transport = m_transports();
    auto left = [&](const Made& m, const std::string& why) { out.left.push_back({m, m_options.redactor(why)}); };
    std::vector<Made> present;
    for (const auto& m : made) {
        auto bindings = bindings_for(m.kind);
        bindings["id"] = m.id;
        try {
            std::optional<Answer> state;
            if (removal.idle) {
                state = send(removal.idle->step, bindings, *transport);
                if (state->verdict.failures.empty() && state->verdict.matched == 0) {
                    out.removed.push_back(m);  // already gone: a case deleted it
                    continue;
                }
            }
            bool cancelled = false;
            for (const auto& cancel : removal.cancel) {
                bool applies = m.fixture() && cancel.kinds.count(m.kind) > 0;
                if (!applies && state && !cancel.when.empty()) {
                    contract::Step probe;
                    probe.expect.push_back({{200}, std::nullopt, cancel.when, {}, std::nullopt});
                    applies = engine::evaluate(probe, state->response, nullptr, m_contract.schemas(), bindings)
                                  .failures.empty();
                }
                if (applies) {
                    send(cancel.step, bindings, *transport);  // any answer: it may have started or ended meanwhile
                    cancelled = true;
                }
            }
            std::string last;
            if (removal.idle && (cancelled || !state->verdict.failures.empty()) &&
                !wait(*removal.idle, bindings, *transport, last)) {
                left(m, "still processing: " + last);
                continue;
            }
            present.push_back(m);
        } catch (const engine::TransportError& e) {
            left(m, e.what());
        }
    }
    // An asset still processing where no query shows it (an extraction that started before it
    // could be cancelled) refuses the delete: deleted again in later rounds, once it is done.
    constexpr int k_rounds = 3;
    for (int round = 1; round <= k_rounds && !present.empty(); ++round) {
        std::vector<std::string> delete_problem(present.size());
        for (std::size_t from = 0; from < present.size(); from += removal.batch) {
            const auto to = std::min(present.size(), from + removal.batch);
            std::vector<std::string> ids;
            for (auto i = from; i < to; ++i) {
                ids.push_back(present[i].id);
            }
            auto bindings = bindings_for("");
            bindings["ids"] = util::join(ids, ",");
            try {
                const auto answer = send(removal.remove, bindings, *transport);
                if (!answer.verdict.failures.empty()) {
                    for (auto i = from; i < to; ++i) {
                        delete_problem[i] = "delete " + failure_text(answer.verdict.failures, answer.response.status);
                    }
                }
            } catch (const engine::TransportError& e) {
                for (auto i = from; i < to; ++i) {
                    delete_problem[i] = std::string("delete: ") + e.what();
                }
            }
        }
        std::vector<Made> again;
        for (std::size_t i = 0; i < present.size(); ++i) {
            auto bindings = bindings_for(present[i].kind);
            bindings["id"] = present[i].id;
            std::string last;
            try {
                if (wait(removal.gone, bindings, *transport, last)) {
                    out.removed.push_back(present[i]);
                    continue;
                }
            } catch (const engine::TransportError& e) {
                last = e.what();
            }
            if (round < k_rounds && !interrupted()) {
                again.push_back(present[i]);
            } else {
                left(present[i], (delete_problem[i].empty() ? "" : delete_problem[i] + "; ") + "still there after " +
                                     std::to_string(round) + " deletes: " + last);
            }
        }
        present = std::move(again);
    }
    return out;
}

std::vector<Made> Provisioner::find_left(std::chrono::system_clock::time_point before, std::string& problem)
{
    std::vector<Made> out;
    if (!m_data.sweep) {
        problem = "the contract has no sweep request (contract.json provision.sweep)";
        return out;
    }
    const auto& sweep = *m_data.sweep;
    auto transport = m_transports();
    contract::Step step;
    step.name = "list";
    step.request = sweep.request;
    step.expect.push_back({{200}, std::nullopt, {}, {}, std::nullopt});
    constexpr int k_most_pages = 200;
    for (int page = 0; page < k_most_pages; ++page) {
        auto bindings = bindings_for("");
        bindings["page"] = std::to_string(page);
        Answer answer;
        try {
            answer = send(step, bindings, *transport);
        } catch (const engine::TransportError& e) {
            problem = e.what();
            return out;
        }
        if (!answer.verdict.failures.empty()) {
            problem = "list " + failure_text(answer.verdict.failures, answer.response.status);
            return out;
        }
        nlohmann::json body;
        try {
            body = util::parse_bounded_json(answer.response.body);
        } catch (const util::JsonParseError& e) {
            problem = std::string("list: ") + e.what();
            return out;
        }
        const auto selected = engine::select(body, sweep.items);
        if (!selected.value || !selected.value->is_array() || selected.value->empty()) {
            break;
        }
        for (const auto& item : *selected.value) {
            const auto id = pointer_string(item, sweep.id);
            const auto created = pointer_string(item, sweep.created);
            if (id.empty() || !pointer_string(item, sweep.title).starts_with(sweep.title_prefix)) {
                continue;
            }
            std::tm tm{};
            std::istringstream in(created);
            in >> std::get_time(&tm, sweep.created_format.c_str());
            if (in.fail()) {
                continue;  // no readable age: never taken, it may be a concurrent run's
            }
            if (std::chrono::system_clock::from_time_t(timegm(&tm)) <= before) {
                out.push_back({id, "", "id"});
            }
        }
    }
    return out;
}

}  // namespace conform::provision
