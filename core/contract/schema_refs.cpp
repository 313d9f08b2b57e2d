#include "contract/schema_refs.hpp"

#include <regex>
#include <set>
#include <variant>

#include "contract/json_file.hpp"

namespace conform::contract {

namespace {

using Pointer = nlohmann::json::json_pointer;

// A place in a schema file: the object that holds a "$ref", or the one a $ref leads to.
struct Site {
    std::string file;
    std::string pointer;

    auto operator<=>(const Site&) const = default;
    std::string to_string() const { return file + "#" + pointer; }
};

class Checker {
public:
    Checker(const std::map<std::string, nlohmann::json, std::less<>>& documents, const std::filesystem::path& dir)
        : m_documents(documents), m_dir(dir)
    {
    }

    std::vector<Problem> run()
    {
        for (const auto& [file, document] : m_documents) {
            walk(document, file, Pointer(), false);
        }
        check_refs();
        return std::move(m_problems);
    }

private:
    // Values of these keywords are data, not schemas: a "$ref" or "pattern" inside is no keyword.
    static bool is_data(const std::string& keyword)
    {
        return keyword == "enum" || keyword == "const" || keyword == "default" || keyword == "examples";
    }
    // Members of these are schemas under names chosen by the author (a property may be "pattern").
    static bool is_schema_map(const std::string& keyword)
    {
        return keyword == "properties" || keyword == "patternProperties" || keyword == "definitions"
            || keyword == "$defs" || keyword == "dependencies";
    }

    void walk(const nlohmann::json& node, const std::string& file, const Pointer& at, bool schema_map)
    {
        if (node.is_array()) {
            for (std::size_t i = 0; i < node.size(); ++i) {
                walk(node[i], file, at / i, false);
            }
            return;
        }
        if (!node.is_object()) {
            return;
        }
        for (const auto& [key, value] : node.items()) {
            if (schema_map) {
                if (at.back() == "patternProperties") {
                    check_pattern(key, file, at / key);
                }
                walk(value, file, at / key, false);
            } else if (key == "$ref" && value.is_string()) {
                m_refs.emplace_back(Site{file, at.to_string()}, value.get<std::string>());
            } else if (key == "pattern" && value.is_string()) {
                check_pattern(value.get<std::string>(), file, at / key);
            } else if (!is_data(key)) {
                walk(value, file, at / key, is_schema_map(key));
            }
        }
    }

    void check_pattern(const std::string& pattern, const std::string& file, const Pointer& at)
    {
        if (pattern.size() > k_max_pattern_length) {
            problem(file, at.to_string(), "a pattern of " + std::to_string(pattern.size()) + " characters; at most "
                                              + std::to_string(k_max_pattern_length) + " are allowed");
            return;
        }
        try {
            std::regex compiled(pattern);  // as valijson will compile it
        } catch (const std::regex_error& e) {
            problem(file, at.to_string(), std::string("not a valid regular expression: ") + e.what());
        }
    }

    // Where ref, written in file, leads, or why it leads nowhere.
    std::variant<Site, std::string> resolve(const std::string& ref, const std::string& file) const
    {
        const auto hash = ref.find('#');
        const auto uri = ref.substr(0, hash);
        const auto fragment = hash == std::string::npos ? "" : ref.substr(hash + 1);
        const auto target_file = uri.empty() ? file : schema_file_of(uri);
        const auto document = m_documents.find(target_file);
        if (document == m_documents.end()) {
            return "$ref '" + ref + "' names a schema file that does not exist (" + target_file + ")";
        }
        if (!fragment.empty() && fragment.front() != '/') {
            return "$ref '" + ref + "': only JSON pointer fragments are supported";
        }
        if (!find_pointer(document->second, fragment)) {
            return "$ref '" + ref + "' leads nowhere: " + target_file + " has nothing at '" + fragment + "'";
        }
        return Site{target_file, fragment};
    }

    // Each $ref must reach a schema; a chain of objects that are only $refs must end.
    void check_refs()
    {
        std::map<Site, Site> next;  // a $ref's site -> the site of the $ref its target holds
        std::set<Site> ref_sites;
        for (const auto& [site, ref] : m_refs) {
            ref_sites.insert(site);
        }
        for (const auto& [site, ref] : m_refs) {
            auto target = resolve(ref, site.file);
            if (auto* reason = std::get_if<std::string>(&target)) {
                problem(site.file, site.pointer + "/$ref", *reason);
            } else if (ref_sites.count(std::get<Site>(target))) {
                next.emplace(site, std::get<Site>(target));
            }
        }
        std::set<Site> done;
        for (const auto& [start, ignored] : next) {
            std::vector<Site> path;
            std::map<Site, std::size_t> on_path;
            auto at = start;
            while (!done.count(at) && !on_path.count(at)) {
                on_path.emplace(at, path.size());
                path.push_back(at);
                auto step = next.find(at);
                if (step == next.end()) {
                    break;
                }
                at = step->second;
            }
            if (auto cycle = on_path.find(at); cycle != on_path.end() && next.count(at)) {
                std::string chain;
                for (auto i = cycle->second; i < path.size(); ++i) {
                    chain += path[i].to_string() + " -> ";
                }
                problem(at.file, at.pointer + "/$ref", "$ref cycle " + chain + at.to_string() + " never reaches a schema");
            }
            done.insert(path.begin(), path.end());
        }
    }

    void problem(const std::string& file, const std::string& pointer, const std::string& reason)
    {
        m_problems.push_back({(m_dir / file).string(), pointer, reason});
    }

    const std::map<std::string, nlohmann::json, std::less<>>& m_documents;
    std::filesystem::path m_dir;
    std::vector<std::pair<Site, std::string>> m_refs;  // where, what it says
    std::vector<Problem> m_problems;
};

}  // namespace

std::string schema_file_of(const std::string& uri)
{
    auto slash = uri.find_last_of('/');
    auto name = slash == std::string::npos ? uri : uri.substr(slash + 1);
    auto hash = name.find('#');
    return hash == std::string::npos ? name : name.substr(0, hash);
}

std::vector<Problem> check_schema_documents(const std::map<std::string, nlohmann::json, std::less<>>& documents,
                                            const std::filesystem::path& dir)
{
    return Checker(documents, dir).run();
}

}  // namespace conform::contract
