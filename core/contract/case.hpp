// Value types for a loaded contract: rules, operations (from the OpenAPI document) and cases.
// Everything VOD-specific is data read into these types; nothing here names an operation.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/pattern.hpp"

namespace conform::contract {

enum class Level { must, should };
std::string to_string(Level level);

struct Rule {
    std::string id;
    Level level = Level::must;
    std::string text;
    std::string source;  // the document and section it comes from
    // Deviation kinds this rule owns wherever a case lists it ("content-type",
    // "schema:error.schema.json"), so a failure names it rather than the case's first rule.
    std::vector<std::string> covers;
};

// A documented response of an operation, keyed by "200", "4XX" or "default".
struct ResponseSpec {
    std::string key;
    std::string schema;  // schema file name; empty when the response has no body
    bool has_body() const { return !schema.empty(); }
};

struct Operation {
    std::string id;
    std::string method;
    std::string path;  // template, e.g. /v1.0/{project_id}/asset
    std::vector<ResponseSpec> responses;
    bool query = false;  // x-conform-role: query: the suite uses it to read states; not under test
    bool used = false;   // any x-conform-role (query, provision): the suite calls it; not under test

    // Exact status first, then the "4XX" range, then "default"; nullptr if undeclared.
    const ResponseSpec* response_for(int status) const;
};

// How a step authenticates: with the run's credentials, or deliberately wrong.
enum class Auth { run, none, wrong_token, bad_signature };

struct Predicate {
    enum class Kind { equals, not_equals, in, not_in, exists, length, matches, type };
    std::string pointer;  // JSON pointer, may hold {{templates}} and [key=value] selectors
    Kind kind = Kind::equals;
    nlohmann::json value;
    bool optional = false;                 // an absent value passes
    std::optional<util::Pattern> pattern;  // matches: value, compiled when the contract loads
    std::optional<std::string> rule;       // the rule a miss breaks; default: the expectation's
};
std::string to_string(Predicate::Kind kind);

// Changes made to a request after it was signed with the run's credentials, to show that the
// signature binds it: a body put in (or replaced), header values changed, or the signature
// made as if the clock were off. A case that tampers cannot run without signing credentials.
struct Tamper {
    std::optional<nlohmann::json> body_after_signing;                        // templated JSON
    std::vector<std::pair<std::string, std::string>> headers_after_signing;  // values are templates
    long long signing_time_offset_s = 0;
};

struct RequestSpec {
    std::string operation;  // operationId, or empty with method + path
    std::string method;
    std::string path;
    std::vector<std::pair<std::string, std::string>> query;  // values are templates
    std::vector<std::pair<std::string, std::string>> headers;
    std::optional<nlohmann::json> body;  // templated JSON
    std::optional<std::string> raw_body;
    Auth auth = Auth::run;
    std::optional<Tamper> tamper;
};

struct Expectation {
    std::vector<int> status;            // any of these
    std::optional<std::string> schema;  // overrides the declared response schema
    std::vector<Predicate> body;
    std::vector<std::pair<std::string, std::string>> capture;  // name -> JSON pointer
    std::optional<std::string> rule;  // the rule a miss breaks; default: see engine/attribute.hpp
};

struct Step {
    std::string name;
    RequestSpec request;
    // The response must meet one of these; each names the statuses it applies to, so a case
    // can accept "200 with these entries, or 403 VOD.10062" where the documents allow both.
    std::vector<Expectation> expect;
    // A probe of a change an earlier step made: repeated until it holds or the run's settle
    // deadline passes, since a real service applies some changes asynchronously.
    bool settle = false;
};

// An answer a case names as explained by its unverifiable fixture having moved on (a queued
// task that started): that answer at that step makes the case inconclusive, not failed.
struct IfPremiseLost {
    std::string fixture;   // placeholder
    std::size_t step = 0;  // 0-based
    Expectation answer;
    std::string why;
};

// A case as a result names it: what every report shows of it, without what it takes to run it.
// A run copies it from the case; `conform report` reads it back from saved results.
struct CaseSummary {
    struct Step {
        std::string name;
        Auth auth = Auth::run;
        std::string operation;  // the operationId, else the method and path template
    };
    std::string id;
    std::string file;
    int line = 1;
    std::string operation;
    std::string description;
    std::vector<std::string> rules;
    Level level = Level::must;
    std::vector<std::string> tags;
    std::vector<Step> steps;
};

struct Case {
    std::string id;
    std::string file;  // relative to the cases directory's parent, e.g. cases/delete-assets/x.json
    int line = 1;      // line of the "id" member, for reporters that link to sources
    std::string operation;
    std::string description;
    std::vector<std::string> rules;
    Level level = Level::must;
    std::vector<std::string> tags;
    std::vector<std::pair<std::string, std::string>> fixtures;  // placeholder -> kind
    // Placeholders of the fixtures the case leaves as it found them: they may be shared with
    // other cases that leave them unchanged too, and are not consumed.
    std::set<std::string> unchanged;
    std::vector<Step> steps;
    std::vector<IfPremiseLost> if_premise_lost;
    bool generated = false;  // derived from the OpenAPI document (core/generate), not read from a file

    bool has_tag(const std::string& tag) const;
    bool tampers() const;  // a step tampers with its signed request
    CaseSummary summary() const;
    bool leaves_unchanged(const std::string& placeholder) const { return unchanged.count(placeholder) > 0; }
};

}  // namespace conform::contract
