#include "provision_cmd.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <future>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "context.hpp"
#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "interrupt.hpp"
#include "util/atomic_file.hpp"
#include "util/random_id.hpp"
#include "util/text.hpp"
#include "util/utc_time.hpp"

namespace conform {

namespace {

constexpr const char* k_token_prefix = "provision:";

std::string token(const std::string& kind, std::size_t n)
{
    return k_token_prefix + kind + ":" + std::to_string(n);
}

std::string kind_of_token(const std::string& token)
{
    const auto rest = token.substr(std::string(k_token_prefix).size());
    return rest.substr(0, rest.rfind(':'));
}

engine::TransportFactory transports(const engine::TransportOptions& transport)
{
    return engine::curl_transport_factory(transport);
}

provision::UploadTransport upload_transport(const engine::TransportOptions& transport)
{
    return [transport](const std::string& origin) {
        auto options = transport;
        options.base_url = origin;
        return engine::curl_transport_factory(options)();
    };
}

std::string run_id_now()
{
    // Short: the service takes tags of at most 16 bytes, and the run's tag is conform-<run-id>.
    // The sweep reads an asset's age from its creation time, not from the id.
    return util::random_id().substr(0, 8);
}

std::string kinds_text(const std::map<std::string, std::size_t>& by_kind)
{
    std::string out;
    for (const auto& [kind, n] : by_kind) {
        out += fmt::format("{}{} {}", out.empty() ? "" : ", ", kind.empty() ? "found" : kind, n);
    }
    return out.empty() ? "none" : out;
}

std::map<std::string, std::size_t> by_kind(const std::vector<provision::Made>& made)
{
    std::map<std::string, std::size_t> out;
    for (const auto& m : made) {
        ++out[m.fixture() ? m.kind : m.kind + " " + m.role];
    }
    return out;
}

nlohmann::json record_json(const std::string& run_id, const engine::RunOptions& run,
                           const std::vector<provision::Made>& made)
{
    auto made_json = nlohmann::json::array();
    for (const auto& m : made) {
        made_json.push_back({{"id", m.id}, {"kind", m.kind}, {"role", m.role}});
    }
    nlohmann::json out = {{"run_id", run_id}, {"made", made_json}};
    for (const auto& [name, value] : run.run_bindings) {
        out[name] = value;
    }
    return out;
}

std::filesystem::path record_path(const std::filesystem::path& fixtures)
{
    return fixtures.string() + ".provisioned.json";
}

// Prints what cleanup removed and left; false when something is left.
bool report_cleanup(const provision::CleanupResult& result, const provision::Provisioner& provisioner,
                    const std::string& again)
{
    fmt::print("provision: removed {} ({})\n", result.removed.size(), kinds_text(by_kind(result.removed)));
    std::string requests;
    for (const auto& [category, n] : provisioner.requests()) {
        requests += fmt::format("{}{} {}", requests.empty() ? "" : ", ", category, n);
    }
    fmt::print("provision: requests to remove them, by quota category: {}\n", requests.empty() ? "none" : requests);
    if (result.left.empty()) {
        return true;
    }
    fmt::print("provision: LEFT {} asset(s) on the endpoint:\n", result.left.size());
    for (const auto& l : result.left) {
        fmt::print("  {} ({}): {}\n", l.made.id, l.made.kind.empty() ? "found" : l.made.kind, l.reason);
    }
    fmt::print("provision: remove them with: {}\n", again);
    return false;
}

// The endpoint options of provision, cleanup and sweep (run builds its own in cli.cpp): the
// credentials and the project id resolved as a run resolves them (flag, then environment, then
// the fixtures file's project_id).
engine::RunOptions endpoint_options(const Options& o, const std::optional<std::string>& project_id)
{
    engine::RunOptions options;
    options.base_url = o.base_url;
    options.credentials = resolve_credentials(o, process_environment);
    const auto resolved = resolve_project_id(
        o, process_environment, project_id ? contract::Bindings{{"project_id", *project_id}} : contract::Bindings{});
    const auto project = resolved ? std::optional<std::string>(resolved->value) : std::nullopt;
    if (!project) {
        throw util::UsageError("no project id: give --project-id or HUAWEICLOUD_SDK_PROJECT_ID");
    }
    options.run_bindings["project_id"] = *project;
    options.jobs = 1;
    options.quota.rate = o.rate;
    options.quota.budget_seconds = o.throttle_budget;
    for (const auto& secret :
         {options.credentials.token, options.credentials.aksk.access_key, options.credentials.aksk.secret_key}) {
        if (!secret.empty()) {
            options.redactor.add_secret(secret);
        }
    }
    return options;
}

std::string cleanup_command(const std::string& base_url, const std::filesystem::path& record)
{
    return fmt::format("conform cleanup --base-url {} --fixtures {}", engine::without_userinfo(base_url),
                       record.string());
}

}  // namespace

std::string provision_plan_text(const contract::Contract& contract, const std::map<std::string, std::size_t>& demand,
                                const std::map<std::string, std::string>& settings)
{
    const auto& data = *contract.provision();
    std::map<std::string, double> requests, billed;
    const auto category_of = [&](const std::string& operation) {
        const auto* category = contract.quota().category_of(operation);
        return category ? category->name : std::string("other");
    };
    const auto query = contract.premises() ? contract.premises()->query.operation : std::string();
    std::string made, cannot;
    double up_front_wait = 0, just_in_time_wait = 0;
    std::size_t assets = 0;
    for (const auto& [kind, n] : demand) {
        const auto chain = data.chain(kind);
        if (data.cannot_make.count(kind)) {
            cannot += fmt::format("{}{} (not through the API)", cannot.empty() ? "" : ", ", kind);
            continue;
        }
        if (chain.empty()) {
            cannot += fmt::format("{}{} (no recipe)", cannot.empty() ? "" : ", ", kind);
            continue;
        }
        const auto missing = std::find_if(chain.begin(), chain.end(), [&](const contract::Recipe* r) {
            return std::any_of(r->needs.begin(), r->needs.end(), [&](const std::string& need) {
                return !settings.count(need) && !data.settings.at(need).default_value;
            });
        });
        if (missing != chain.end()) {
            cannot += fmt::format("{}{} (needs {})", cannot.empty() ? "" : ", ", kind,
                                  data.settings.at((*missing)->needs.front()).flag);
            continue;
        }
        made += fmt::format("{}{} {}{}", made.empty() ? "" : ", ", kind, n, chain.back()->just_in_time ? " (jit)" : "");
        assets += n;
        for (const auto* recipe : chain) {
            for (const auto& step : recipe->make) {
                requests[step.upload_url ? "object storage" : category_of(step.step.request.operation)] +=
                    static_cast<double>(n);
            }
            if (recipe->wait) {
                requests[category_of(query)] += static_cast<double>(n);
                // Up front the waits overlap; just in time each holds its case.
                if (chain.back()->just_in_time) {
                    just_in_time_wait += recipe->wait->typical_seconds * static_cast<double>(n);
                } else {
                    up_front_wait = std::max(up_front_wait, recipe->wait->typical_seconds);
                }
            }
            for (const auto& [item, amount] : recipe->billed) {
                billed[item] += amount * static_cast<double>(n);
            }
        }
    }
    // Cleanup: a state read and a check that it is gone per asset, a delete per batch.
    const auto& removal = data.removal;
    for (const auto* step : {&removal.gone.step, removal.idle ? &removal.idle->step : nullptr}) {
        if (step) {
            requests[category_of(step->request.operation)] += static_cast<double>(assets);
        }
    }
    requests[category_of(removal.remove.request.operation)] +=
        std::ceil(static_cast<double>(assets) / static_cast<double>(removal.batch));
    std::string per_category;
    double floor_seconds = 0;
    for (const auto& [category, n] : requests) {
        const auto& categories = contract.quota().categories;
        const auto it =
            std::find_if(categories.begin(), categories.end(), [&](const auto& c) { return c.name == category; });
        const auto per_minute = it == categories.end() ? std::nullopt : std::optional<double>(it->per_minute);
        per_category += fmt::format("{}{} {:.0f}{}", per_category.empty() ? "" : ", ", category, n,
                                    per_minute ? fmt::format(" ({:.0f}/min)", *per_minute) : "");
        if (per_minute) {
            floor_seconds = std::max(floor_seconds, n * 60 / *per_minute);
        }
    }
    std::string billed_text;
    for (const auto& [item, amount] : billed) {
        billed_text += fmt::format("{}{:g} {}", billed_text.empty() ? "" : ", ", amount, item);
    }
    auto out = fmt::format("provision: creates {} asset(s): {}\n", assets, made.empty() ? "none" : made);
    if (!cannot.empty()) {
        out += fmt::format("      cannot make: {}: their cases are skipped\n", cannot);
    }
    out += fmt::format("      requests to make and remove them, by quota category: {}\n",
                       per_category.empty() ? "none" : per_category);
    out += fmt::format("      billed: {}\n", billed_text.empty() ? "nothing" : billed_text);
    out += fmt::format(
        "      about {:.0f} s: {:.0f} s for the quota, waits {:.0f} s up front and {:.0f} s just in time\n",
        std::ceil(floor_seconds + up_front_wait + just_in_time_wait), floor_seconds, up_front_wait, just_in_time_wait);
    return out;
}

ProvisionSession::ProvisionSession(const contract::Contract& contract, const Options& options,
                                   const engine::RunOptions& run, const engine::TransportOptions& transport)
    : m_contract(contract), m_options(options), m_run(run), m_transport(transport)
{
    if (!contract.provision()) {
        throw util::UsageError("--provision: the contract has no provision recipes (contract.json provision)");
    }
    m_run.prepare_case = nullptr;
    // Everything the session and its run send goes to one endpoint: one set of pacers.
    if (!m_run.pacers) {
        m_run.pacers = engine::make_pacers(contract, m_run);
    }
    m_provisioner = std::make_unique<provision::Provisioner>(contract, m_run, transports(transport), run_id_now(),
                                                             options.settings, upload_transport(transport));
}

std::shared_ptr<ProvisionSession::Slot> ProvisionSession::slot(const std::string& token)
{
    std::lock_guard lock(m_mutex);
    auto& s = m_slots[token];
    if (!s) {
        s = std::make_shared<Slot>();
    }
    return s;
}

void ProvisionSession::fill(Slot& s, const std::string& kind)
{
    s.done = true;
    try {
        s.id = m_provisioner->make(kind);
    } catch (const provision::CannotMake& e) {
        s.reason = fmt::format("the {} fixture could not be made{}: {}", kind, e.lost ? " in time" : "", e.reason);
    }
}

engine::FixturePool ProvisionSession::make_up_front(const std::vector<const contract::Case*>& selected)
{
    engine::FixturePool pool;
    pool.run_bindings = m_run.run_bindings;
    const auto demand = engine::fixture_demand(selected, m_contract.generated_kinds());
    // Transient kinds are made per case (never shared): one for every slot of every case.
    auto made = demand;
    for (auto& [kind, n] : made) {
        const auto* recipe = m_provisioner->data().recipe(kind);
        if (recipe && recipe->just_in_time) {
            n = 0;
            for (const auto* c : selected) {
                n += static_cast<std::size_t>(std::count_if(c->fixtures.begin(), c->fixtures.end(),
                                                            [&](const auto& f) { return f.second == kind; }));
            }
        }
    }
    fmt::print("{}", provision_plan_text(m_contract, made, m_options.settings));
    fmt::print("provision: run id {} (title 'conform {} KIND', tags {},{})\n", m_provisioner->run_id(),
               m_provisioner->run_id(), m_provisioner->data().tag,
               contract::expand(std::string_view(m_provisioner->data().run_tag),
                                contract::Bindings{{"run_id", m_provisioner->run_id()}}));
    std::fflush(stdout);
    for (const auto& [kind, n] : demand) {
        const auto* recipe = m_provisioner->data().recipe(kind);
        for (std::size_t i = 0; i < n; ++i) {
            pool.ids_by_kind[kind].push_back(token(kind, i));
            if (recipe && !recipe->just_in_time) {
                fill(*slot(token(kind, i)), kind);
            }
        }
    }
    fmt::print("provision: made up front: {}\n", kinds_text(by_kind(m_provisioner->inventory().all())));
    std::set<std::string> reasons;
    for (const auto& [token, s] : m_slots) {
        if (!s->id && reasons.insert(s->reason).second) {
            fmt::print("provision: {}\n", m_run.redactor(s->reason));
        }
    }
    std::fflush(stdout);
    return pool;
}

std::shared_ptr<ProvisionSession::Slot> ProvisionSession::slot_for(const std::string& token,
                                                                   const contract::Case& test_case)
{
    const auto* recipe = m_provisioner->data().recipe(kind_of_token(token));
    // A transient fixture is never shared: its state would have moved on by the next case.
    return slot(recipe && recipe->just_in_time ? token + "#" + test_case.id : token);
}

std::optional<std::string> ProvisionSession::prepare(const contract::Case& test_case, engine::Allocation& allocation)
{
    const auto is_token = [](const nlohmann::json& value) {
        return value.is_string() && value.get_ref<const std::string&>().starts_with(k_token_prefix);
    };
    // Right before the case, its fixtures not made yet (the transient ones) are made side by side:
    // made one after another, the first one's state could end while the next is being made.
    std::vector<std::future<void>> making;
    for (const auto& [name, value] : allocation.bindings) {
        if (!is_token(value)) {
            continue;
        }
        auto s = slot_for(value.get<std::string>(), test_case);
        if (std::lock_guard lock(s->mutex); s->done) {
            continue;  // made up front
        }
        making.push_back(std::async(std::launch::async, [this, s, kind = kind_of_token(value.get<std::string>())] {
            std::lock_guard lock(s->mutex);
            if (!s->done) {
                fill(*s, kind);
            }
        }));
    }
    for (auto& made : making) {
        made.get();
    }
    for (auto& [name, value] : allocation.bindings) {
        if (!is_token(value)) {
            continue;
        }
        const auto s = slot_for(value.get<std::string>(), test_case);
        std::lock_guard lock(s->mutex);
        if (!s->id) {
            return s->reason;
        }
        value = *s->id;
        std::lock_guard used(m_mutex);
        m_used.insert(*s->id);
        if (!test_case.leaves_unchanged(name)) {
            m_consumed.insert(*s->id);
        }
    }
    return std::nullopt;
}

engine::Provisioned ProvisionSession::finish()
{
    const auto made = m_provisioner->inventory().all();
    fmt::print("provision: made {} ({}), used {} in cases\n", made.size(), kinds_text(by_kind(made)), m_used.size());
    engine::Provisioned figures{made.size(), m_used.size(), 0, {}};
    std::string requests;
    for (const auto& [category, n] : m_provisioner->requests()) {
        requests += fmt::format("{}{} {}", requests.empty() ? "" : ", ", category, n);
    }
    fmt::print("provision: requests to make them, by quota category: {}\n", requests.empty() ? "none" : requests);
    const auto record = record_path(m_options.fixtures_out.value_or(
        m_options.keep_fixtures ? std::filesystem::path("reports/provisioned-fixtures.json")
                                : std::filesystem::path("reports/provisioned-" + m_provisioner->run_id() + ".json")));
    auto write_record = [&](const std::vector<provision::Made>& what) {
        try {
            util::write_file_atomically(record, record_json(m_provisioner->run_id(), m_run, what).dump(2) + "\n");
        } catch (const util::FileError& e) {
            fmt::print(stderr, "conform: {}\n", e.what());
        }
    };
    if (m_options.keep_fixtures) {
        const auto fixtures = m_options.fixtures_out.value_or("reports/provisioned-fixtures.json");
        nlohmann::json ids = nlohmann::json::object();
        for (const auto& m : made) {
            if (m.fixture() && !m_consumed.count(m.id)) {
                ids[m.kind].push_back(m.id);
            }
        }
        nlohmann::json file = {{m_contract.fixtures_file().ids_by_kind, ids}};
        for (const auto& [name, value] : m_run.run_bindings) {
            file[name] = value;
        }
        try {
            util::write_file_atomically(fixtures, file.dump(2) + "\n");
        } catch (const util::FileError& e) {
            fmt::print(stderr, "conform: {}\n", e.what());
        }
        write_record(made);
        fmt::print("provision: kept: the unused fixtures are in {}; remove everything made with: {}\n",
                   fixtures.string(), cleanup_command(m_run.base_url, fixtures));
        return figures;
    }
    // A first Ctrl-C ended the run; a second one now cuts cleanup short, and what is left is named.
    const auto cut = interrupt::rearm();
    auto options = m_run;
    options.stop = cut;
    options.pacers->watch(cut);  // the run's pacers, which know the quota by now
    auto transport = m_transport;
    transport.stop = cut;
    provision::Provisioner cleaner(m_contract, options, transports(transport), m_provisioner->run_id(),
                                   m_options.settings, upload_transport(transport));
    fmt::print("provision: cleaning up (Ctrl-C skips it)\n");
    std::fflush(stdout);
    const auto result = cleaner.remove(made);
    if (!result.left.empty()) {
        std::vector<provision::Made> left;
        for (const auto& l : result.left) {
            left.push_back(l.made);
        }
        write_record(left);
    }
    const auto fixtures = record.string().substr(0, record.string().size() - std::string(".provisioned.json").size());
    report_cleanup(result, cleaner, cleanup_command(m_run.base_url, fixtures));
    figures.removed = result.removed.size();
    for (const auto& l : result.left) {
        figures.left.emplace_back(l.made.id, l.reason);
    }
    return figures;
}

int provision_command(const contract::Contract& contract, const Options& o,
                      const std::vector<const contract::Case*>& selected)
{
    if (!contract.provision()) {
        fmt::print(stderr, "conform {}: the contract has no provision recipes (contract.json provision)\n", o.command);
        return k_exit_usage;
    }
    engine::TransportOptions transport{o.base_url, o.timeout, o.insecure, o.cacert, 8 * 1024 * 1024, {}};
    if (o.command == "provision") {
        auto run = endpoint_options(o, std::nullopt);
        auto options = o;
        options.keep_fixtures = true;
        ProvisionSession session(contract, options, run, transport);
        // Transient kinds are only worth making right before their case: conform run --provision does.
        std::vector<const contract::Case*> stable;
        for (const auto* c : selected) {
            if (std::none_of(c->fixtures.begin(), c->fixtures.end(), [&](const auto& f) {
                    const auto* r = contract.provision()->recipe(f.second);
                    return r && r->just_in_time;
                })) {
                stable.push_back(c);
            }
        }
        session.make_up_front(stable);
        fmt::print("provision: transient kinds (made just in time by conform run --provision) are not made\n");
        session.finish();
        return k_exit_ok;
    }
    std::vector<provision::Made> made;
    std::optional<std::string> project_id;
    if (o.command == "cleanup") {
        auto file = record_path(*o.fixtures);
        std::error_code ec;
        if (!std::filesystem::exists(file, ec)) {
            file = *o.fixtures;
        }
        try {
            const auto record = contract::read_json_file(file);
            if (!record.contains("made") || !record["made"].is_array()) {
                throw contract::ContractError(
                    contract::Problem{file.string(), "/made", "missing: not a record of what conform provision made"});
            }
            for (const auto& m : record["made"]) {
                made.push_back({m.value("id", ""), m.value("kind", ""), m.value("role", "id")});
            }
            if (record.contains("project_id") && record["project_id"].is_string()) {
                project_id = record["project_id"].get<std::string>();
            }
        } catch (const contract::ContractError& e) {
            fmt::print(stderr, "conform cleanup: {}\n", e.what());
            return k_exit_usage;
        }
    }
    auto run = endpoint_options(o, project_id);
    provision::Provisioner provisioner(contract, run, transports(transport), run_id_now(), o.settings,
                                       upload_transport(transport));
    if (o.command == "sweep") {
        const auto before =
            std::chrono::system_clock::now() - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                                   std::chrono::duration<double>(*o.older_than));
        std::string problem;
        made = provisioner.find_left(before, problem);
        if (!problem.empty()) {
            fmt::print(stderr, "conform sweep: {}\n", run.redactor(problem));
            return k_exit_not_evaluated;
        }
        fmt::print("sweep: {} asset(s) tagged '{}' older than {:g} s\n", made.size(), provisioner.data().tag,
                   *o.older_than);
        for (const auto& m : made) {
            fmt::print("  {}\n", m.id);
        }
        if (o.dry_run) {
            fmt::print("sweep: --dry-run: nothing removed\n");
            return k_exit_ok;
        }
    }
    const auto result = provisioner.remove(made);
    const auto again = o.command == "cleanup" ? cleanup_command(o.base_url, *o.fixtures)
                                              : fmt::format("conform sweep --base-url {} --older-than {:g}s",
                                                            engine::without_userinfo(o.base_url), *o.older_than);
    return report_cleanup(result, provisioner, again) ? k_exit_ok : k_exit_left;
}

}  // namespace conform
