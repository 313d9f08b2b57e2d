#include "engine/ledger.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "contract/error.hpp"
#include "contract/json_file.hpp"
#include "util/atomic_file.hpp"
#include "util/utc_time.hpp"

namespace conform::engine {

namespace {

using contract::ContractError;
using contract::Problem;

// An exclusive flock, released when this goes out of scope.
class FileLock {
  public:
    explicit FileLock(const std::filesystem::path& path)
        : m_fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644))
    {
        if (m_fd < 0) {
            throw util::FileError("cannot open the lock file " + path.string() + ": " + std::strerror(errno));
        }
        while (::flock(m_fd, LOCK_EX) != 0) {
            if (errno != EINTR) {
                const int error = errno;
                ::close(m_fd);
                throw util::FileError("cannot lock " + path.string() + ": " + std::strerror(error));
            }
        }
    }
    ~FileLock() { ::close(m_fd); }  // closing releases the lock
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

  private:
    int m_fd;
};

std::string utc_now()
{
    return util::format_utc(std::chrono::system_clock::now(), "%Y-%m-%dT%H:%M:%SZ");
}

// {"consumed": {"ID": {"kind": "...", "case": "...", "at": "..."}}}
nlohmann::json read_ledger(const std::filesystem::path& file)
{
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        return {{"consumed", nlohmann::json::object()}};
    }
    auto ledger = contract::read_json_file(file);
    if (!ledger.is_object() || !ledger.contains("consumed") || !ledger["consumed"].is_object()) {
        throw ContractError(Problem{file.string(), "/consumed", "must be an object of id -> {kind, case, at}"});
    }
    for (const auto& [id, entry] : ledger["consumed"].items()) {
        if (!entry.is_object() || !entry.value("kind", nlohmann::json()).is_string()) {
            throw ContractError(Problem{file.string(), "/consumed/" + id, "must be an object with a string kind"});
        }
    }
    return ledger;
}

}  // namespace

Ledger::Ledger(const std::filesystem::path& fixtures_file)
    : m_fixtures(fixtures_file), m_file(fixtures_file.string() + ".ledger.json"),
      m_lock(fixtures_file.string() + ".ledger.lock")
{
}

void Ledger::record_drifted(const std::set<std::string>& known_ids,
                            const std::vector<std::pair<Handout, std::string>>& drifted) const
{
    std::map<std::string, std::string> found;
    record(
        known_ids,
        [&](const UsedUp&) {
            std::vector<Handout> handouts;
            for (const auto& [handout, state] : drifted) {
                handouts.push_back(handout);
                found[handout.id] = state;
            }
            return handouts;
        },
        &found);
}

void Ledger::record(const std::set<std::string>& known_ids,
                    const std::function<std::vector<Handout>(const UsedUp&)>& allocate,
                    const std::map<std::string, std::string>* drifted) const
{
    FileLock lock(m_lock);
    auto ledger = read_ledger(m_file);
    auto& consumed = ledger["consumed"];
    UsedUp used_up;
    used_up.refresh = "see " + m_file.filename().string() + ": list fresh ids in " + m_fixtures.filename().string() +
                      ", or delete the ledger once those assets are restored";
    for (const auto& [id, entry] : consumed.items()) {
        used_up.ids.insert(id);
    }
    const auto at = utc_now();
    for (const auto& handout : allocate(used_up)) {
        consumed[handout.id] = {{"kind", handout.kind}, {"case", handout.case_id}, {"at", at}};
        if (drifted && drifted->count(handout.id)) {
            consumed[handout.id]["drifted"] = drifted->at(handout.id);
        }
    }
    for (auto it = consumed.begin(); it != consumed.end();) {
        it = known_ids.count(it.key()) ? std::next(it) : consumed.erase(it);
    }
    ledger["about"] = "Fixture ids conform handed to cases that change them; a run with " +
                      m_fixtures.filename().string() +
                      " does not hand them out again (README: Running against the real service)";
    util::write_file_atomically(m_file, ledger.dump(2) + "\n");
}

std::map<std::string, Handout> Ledger::consumed() const
{
    std::map<std::string, Handout> out;
    const auto ledger = read_ledger(m_file);  // named: items() of a temporary would dangle
    for (const auto& [id, entry] : ledger["consumed"].items()) {
        out[id] = {id, entry["kind"].get<std::string>(), entry.value("case", "")};
    }
    return out;
}

}  // namespace conform::engine
