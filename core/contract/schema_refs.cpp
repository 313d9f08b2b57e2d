#include "contract/schema_refs.hpp"

#include <algorithm>
#include <set>
#include <variant>

#include "contract/json_file.hpp"
#include "util/pattern.hpp"

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
        std::sort(m_refs.begin(), m_refs.end());
        check_refs();
        if (m_problems.empty()) {
            check_ref_depth();
        }
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
        return keyword == "properties" || keyword == "patternProperties" || keyword == "definitions" ||
               keyword == "$defs" || keyword == "dependencies";
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
            problem(file, at.to_string(),
                    "a pattern of " + std::to_string(pattern.size()) + " characters; at most " +
                        std::to_string(k_max_pattern_length) + " are allowed");
            return;
        }
        try {
            util::Pattern compiled(pattern);  // as validation will compile it (schema_store.cpp)
        } catch (const util::PatternError& e) {
            problem(file, at.to_string(), std::string("not a valid RE2 regular expression: ") + e.what());
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

    // The schemas valijson applies to the same value as the one at site: its $ref's target (the
    // $ref's siblings are ignored), or its allOf, anyOf, oneOf, not, if, then, else and schema
    // dependencies. A cycle of these never ends; one through properties or items does.
    std::vector<Site> in_place(const Site& site) const
    {
        const auto* node = find_pointer(m_documents.find(site.file)->second, site.pointer);
        if (!node || !node->is_object()) {
            return {};
        }
        if (auto ref = node->find("$ref"); ref != node->end() && ref->is_string()) {
            auto target = resolve(ref->get<std::string>(), site.file);
            return std::holds_alternative<Site>(target) ? std::vector<Site>{std::get<Site>(target)}
                                                        : std::vector<Site>{};
        }
        std::vector<Site> out;
        const Pointer at(site.pointer);
        auto add = [&](const Pointer& child) { out.push_back({site.file, child.to_string()}); };
        for (const char* keyword : {"allOf", "anyOf", "oneOf"}) {
            if (auto list = node->find(keyword); list != node->end() && list->is_array()) {
                for (std::size_t i = 0; i < list->size(); ++i) {
                    add(at / keyword / i);
                }
            }
        }
        for (const char* keyword : {"not", "if", "then", "else"}) {
            if (node->contains(keyword)) {
                add(at / keyword);
            }
        }
        if (auto dependencies = node->find("dependencies"); dependencies != node->end() && dependencies->is_object()) {
            for (const auto& [name, dependency] : dependencies->items()) {
                if (dependency.is_object()) {
                    add(at / "dependencies" / name);
                }
            }
        }
        return out;
    }

    // Each $ref must lead somewhere, and no chain of in-place schemas may come back to where it
    // started. Any such cycle holds a $ref, so a search from each $ref finds every one. Iterative:
    // a chain may be as long as the files allow.
    void check_refs()
    {
        for (const auto& [site, ref] : m_refs) {
            auto target = resolve(ref, site.file);
            if (auto* reason = std::get_if<std::string>(&target)) {
                problem(site.file, site.pointer + "/$ref", *reason);
            }
        }
        enum class State { open, done };
        std::map<Site, State> state;
        struct Frame {
            Site site;
            std::vector<Site> next;
            std::size_t index = 0;
        };
        for (const auto& [start, ref] : m_refs) {
            if (state.count(start)) {
                continue;
            }
            std::vector<Frame> stack{{start, in_place(start)}};
            state.emplace(start, State::open);
            while (!stack.empty()) {
                auto& top = stack.back();
                if (top.index == top.next.size()) {
                    state[top.site] = State::done;
                    stack.pop_back();
                    continue;
                }
                auto child = top.next[top.index++];
                auto seen = state.find(child);
                if (seen == state.end()) {
                    state.emplace(child, State::open);
                    auto next = in_place(child);
                    stack.push_back({std::move(child), std::move(next)});
                } else if (seen->second == State::open) {
                    report_cycle(stack, child);
                }
            }
        }
    }

    // The $refs valijson meets parsing the schema at site (all within it, as m_refs is sorted).
    std::vector<std::pair<Site, Site>> refs_within(const Site& site) const
    {
        std::vector<std::pair<Site, Site>> out;  // the $ref's site, its target
        for (auto it = std::lower_bound(m_refs.begin(), m_refs.end(), site,
                                        [](const auto&ref, const Site&s) { return ref.first < s; });
             it != m_refs.end() && it->first.file == site.file &&
             (it->first.pointer == site.pointer || it->first.pointer.starts_with(site.pointer + "/"));
             ++it) {
            if (auto target = resolve(it->second, site.file); std::holds_alternative<Site>(target)) {
                out.emplace_back(it->first, std::get<Site>(target));
            }
        }
        return out;
    }

    // valijson resolves each $ref where it meets it, recursing: a chain of a few thousand
    // (definitions each referring to the next through a property) overflows its stack.
    void check_ref_depth()
    {
        std::set<Site> seen;
        struct Frame {
            std::vector<std::pair<Site, Site>> refs;
            std::size_t index = 0;
        };
        for (const auto& [file, document] : m_documents) {
            if (!seen.insert({file, ""}).second) {
                continue;
            }
            std::vector<Frame> stack{{refs_within({file, ""})}};
            while (!stack.empty()) {
                auto& top = stack.back();
                if (top.index == top.refs.size()) {
                    stack.pop_back();
                    continue;
                }
                const auto [ref, target] = top.refs[top.index++];
                if (!seen.insert(target).second) {
                    continue;
                }
                if (stack.size() > k_max_ref_depth) {
                    problem(ref.file, ref.pointer + "/$ref",
                            "the " + std::to_string(k_max_ref_depth + 1) + "th $ref of a chain; at most " +
                                std::to_string(k_max_ref_depth) + " are allowed");
                    return;
                }
                stack.push_back({refs_within(target)});
            }
        }
    }

    template <typename Stack> void report_cycle(const Stack& stack, const Site& back_to)
    {
        auto from = std::find_if(stack.begin(), stack.end(), [&](const auto& frame) { return frame.site == back_to; });
        std::string chain;
        const Site* holder = nullptr;  // the first site of the cycle that holds a $ref
        for (auto it = from; it != stack.end(); ++it) {
            chain += it->site.to_string() + " -> ";
            if (!holder && holds_ref(it->site)) {
                holder = &it->site;
            }
        }
        const auto& at = holder ? *holder : back_to;
        problem(at.file, at.pointer + "/$ref",
                "$ref cycle " + chain + back_to.to_string() + " checks the same value without end");
    }

    bool holds_ref(const Site& site) const
    {
        const auto* node = find_pointer(m_documents.find(site.file)->second, site.pointer);
        return node && node->is_object() && node->contains("$ref");
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
