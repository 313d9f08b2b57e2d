// contract.json "provision": how the suite makes its own fixtures through the API and removes
// them, as data. Value types only; core/provision executes them. Nothing here names an API.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "contract/case.hpp"

namespace conform::contract {

// A step of a recipe: a case step (request, expectations, captures), or an upload: a PUT of a
// file to a URL an earlier answer gave, with the file's content type and no credentials.
struct RecipeStep {
    Step step;
    std::optional<std::string> upload_url;  // template, e.g. {{upload_url}}
    std::string upload_file;                // a key of Provision::files
};

// Waiting until the premise query (contract.json premises) confirms the recipe's kind.
struct PremiseWait {
    double timeout_seconds = 60;
    double typical_seconds = 1;  // what the plan's estimate counts
};

// A read-only request repeated until its expectation holds or the timeout passes.
struct WaitStep {
    Step step;
    double timeout_seconds = 60;
    double typical_seconds = 1;  // what the plan's estimate counts
};

struct Recipe {
    std::string kind;
    std::optional<std::string> from;  // a kind made first; this recipe continues with its {{id}}
    bool just_in_time = false;        // transient: made right before the case that uses it
    std::vector<std::string> needs;   // settings that must be given
    std::vector<RecipeStep> make;
    std::vector<std::string> also_made;  // captured names of further resources, removed too
    std::optional<PremiseWait> wait;
    std::map<std::string, double> billed;
    std::string lost_when;  // why a wait can fail on a correct endpoint
};

struct Setting {
    std::string flag;
    std::optional<std::string> default_value;
    std::string description;
};

struct ProvisionFile {
    std::filesystem::path path;  // resolved against the schemas folder
    std::string content_type;
};

// A cancel sent during cleanup for the made fixtures of some kinds, or whose state query
// answer meets `when`.
struct CancelStep {
    Step step;
    std::set<std::string> kinds;
    std::vector<Predicate> when;
};

struct Removal {
    std::vector<CancelStep> cancel;
    std::optional<WaitStep> idle;  // nothing processes it any more (a processing asset cannot be deleted)
    Step remove;                   // {{ids}}: up to batch ids, comma-separated
    std::size_t batch = 10;
    WaitStep gone;
};

// Finding what earlier runs left: a page ({{page}}) of resources tagged {{tag}}.
struct Sweep {
    RequestSpec request;
    std::string items, id, created, created_format, title, title_prefix;
};

struct Provision {
    std::string tag;      // every made resource carries it
    std::string run_tag;  // template over {{run_id}}
    std::map<std::string, Setting> settings;
    std::map<std::string, ProvisionFile> files;
    std::map<std::string, Recipe> recipes;           // by kind
    std::map<std::string, std::string> cannot_make;  // kind -> why no recipe can make one
    Removal removal;
    std::optional<Sweep> sweep;

    const Recipe* recipe(const std::string& kind) const;
    // The recipes that make one of kind, the first (the root) first.
    std::vector<const Recipe*> chain(const std::string& kind) const;
};

}  // namespace conform::contract
