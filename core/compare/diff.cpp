#include "compare/diff.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "report/failure_text.hpp"
#include "report/reporter.hpp"

namespace conform::compare {

namespace {

using engine::CaseResult;

std::map<std::string, const CaseResult*> by_id(const engine::RunResult& run)
{
    std::map<std::string, const CaseResult*> out;
    for (const auto& r : run.cases) {
        out[r.test_case.id] = &r;
    }
    return out;
}

std::set<std::pair<std::string, std::string>> failure_places(const CaseResult& r)
{
    std::set<std::pair<std::string, std::string>> out;
    for (const auto& f : r.failures) {
        out.insert({f.rule, f.where});
    }
    return out;
}

bool gating(const CaseResult& r)
{
    return r.judgement.verdict == engine::Verdict::failed || r.judgement.verdict == engine::Verdict::error;
}

std::optional<OutcomeChange> outcome_change(const CaseResult* before, const CaseResult* after)
{
    using Kind = OutcomeChange::Kind;
    OutcomeChange change;
    change.case_id = (after ? after : before)->test_case.id;
    change.before = before ? engine::to_string(before->judgement.verdict) : "";
    change.after = after ? engine::to_string(after->judgement.verdict) : "";
    change.detail = after ? report::headline(*after) : "";
    if (!before) {
        change.kind = gating(*after) ? Kind::regressed : Kind::added;
        return change;
    }
    if (!after) {
        change.kind = Kind::removed;
        return change;
    }
    const bool gated = gating(*before);
    const bool gates = gating(*after);
    if (gates && !gated) {
        change.kind = Kind::regressed;
    } else if (gates && (before->outcome != after->outcome || failure_places(*before) != failure_places(*after))) {
        change.kind = Kind::failing_differently;
    } else if (after->outcome == engine::Outcome::passed && (gated || change.before == "known")) {
        change.kind = Kind::fixed;
    } else if (change.before != change.after) {
        change.kind = Kind::changed;
    } else {
        return std::nullopt;
    }
    return change;
}

// The step's operation as the results name it, else its request line's method and path.
std::string operation_of(const CaseResult& r, const engine::Exchange& ex)
{
    const auto& steps = r.test_case.steps;
    if (ex.step_index < steps.size() && !steps[ex.step_index].operation.empty()) {
        return steps[ex.step_index].operation;
    }
    return ex.request.method + " " + ex.request.path;
}

using Shapes = std::map<std::pair<std::string, int>, std::map<std::string, std::set<std::string>>>;
using Latencies = std::map<std::string, std::vector<double>>;

void collect(const CaseResult& r, Shapes& shapes, Latencies& latencies)
{
    for (const auto& ex : r.exchanges) {
        if (!ex.response) {
            continue;
        }
        const auto operation = operation_of(r, ex);
        latencies[operation].push_back(ex.seconds);
        auto& fields = shapes[{operation, ex.response->status}];
        for (const auto& [pointer, type] : ex.shape) {
            fields[pointer].insert(type);
        }
    }
}

std::string joined(const std::set<std::string>& types)
{
    std::string out;
    for (const auto& t : types) {
        out += (out.empty() ? "" : "|") + t;
    }
    return out;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const auto n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// The last exchange of each step: a settled probe's final try is the one that counted.
std::map<std::size_t, const engine::Exchange*> last_exchanges(const CaseResult& r)
{
    std::map<std::size_t, const engine::Exchange*> out;
    for (const auto& ex : r.exchanges) {
        out[ex.step_index] = &ex;
    }
    return out;
}

}  // namespace

bool Drift::regressed() const
{
    return std::any_of(outcomes.begin(), outcomes.end(), [](const OutcomeChange& c) {
        return c.kind == OutcomeChange::Kind::regressed || c.kind == OutcomeChange::Kind::failing_differently;
    });
}

bool Drift::within_contract() const
{
    return !alternatives.empty() || !shapes.empty() ||
           std::any_of(latencies.begin(), latencies.end(), [](const LatencyChange& l) { return l.after > l.before; });
}

std::string to_string(OutcomeChange::Kind kind)
{
    switch (kind) {
    case OutcomeChange::Kind::regressed:
        return "regressed";
    case OutcomeChange::Kind::failing_differently:
        return "failing differently";
    case OutcomeChange::Kind::fixed:
        return "fixed";
    case OutcomeChange::Kind::changed:
        return "changed";
    case OutcomeChange::Kind::added:
        return "added";
    case OutcomeChange::Kind::removed:
        return "removed";
    }
    return "?";
}

std::string to_string(ShapeChange::Kind kind)
{
    switch (kind) {
    case ShapeChange::Kind::added:
        return "added";
    case ShapeChange::Kind::removed:
        return "removed";
    case ShapeChange::Kind::retyped:
        return "type changed";
    }
    return "?";
}

Drift diff(const RunView& before, const RunView& after, const DriftOptions& options)
{
    Drift drift;
    const auto old_cases = by_id(before.run);
    const auto new_cases = by_id(after.run);
    Shapes old_shapes, new_shapes;
    Latencies old_latency, new_latency;
    for (const auto& r : after.run.cases) {
        const auto it = old_cases.find(r.test_case.id);
        const auto* old = it == old_cases.end() ? nullptr : it->second;
        if (auto change = outcome_change(old, &r)) {
            drift.outcomes.push_back(std::move(*change));
        }
        if (!old) {
            continue;
        }
        collect(*old, old_shapes, old_latency);
        collect(r, new_shapes, new_latency);
        const auto old_steps = last_exchanges(*old);
        for (const auto& [index, ex] : last_exchanges(r)) {
            const auto o = old_steps.find(index);
            if (o == old_steps.end() || !o->second->matched || !ex->matched || *o->second->matched == *ex->matched) {
                continue;
            }
            drift.alternatives.push_back({r.test_case.id, ex->step, index, *o->second->matched, *ex->matched,
                                          o->second->response ? o->second->response->status : 0,
                                          ex->response ? ex->response->status : 0});
        }
    }
    for (const auto& r : before.run.cases) {
        if (!new_cases.count(r.test_case.id)) {
            drift.outcomes.push_back(*outcome_change(&r, nullptr));
        }
    }
    // Only operation and status pairs both runs saw: a status seen in one run is an outcome or
    // alternative change, reported there.
    for (const auto& [key, fields] : new_shapes) {
        const auto o = old_shapes.find(key);
        if (o == old_shapes.end()) {
            continue;
        }
        for (const auto& [pointer, types] : fields) {
            const auto t = o->second.find(pointer);
            if (t == o->second.end()) {
                drift.shapes.push_back({ShapeChange::Kind::added, key.first, key.second, pointer, "", joined(types)});
            } else if (t->second != types) {
                drift.shapes.push_back(
                    {ShapeChange::Kind::retyped, key.first, key.second, pointer, joined(t->second), joined(types)});
            }
        }
        for (const auto& [pointer, types] : o->second) {
            if (!fields.count(pointer)) {
                drift.shapes.push_back({ShapeChange::Kind::removed, key.first, key.second, pointer, joined(types), ""});
            }
        }
    }
    for (const auto& [operation, samples] : new_latency) {
        const auto o = old_latency.find(operation);
        if (o == old_latency.end()) {
            continue;
        }
        const double was = median(o->second), now = median(samples);
        const double low = std::min(was, now), high = std::max(was, now);
        if (high - low >= options.latency_floor && high >= low * options.latency_ratio) {
            drift.latencies.push_back({operation, was, now, o->second.size(), samples.size()});
        }
    }
    return drift;
}

}  // namespace conform::compare
