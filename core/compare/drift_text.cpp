#include "compare/drift_text.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "report/safe_text.hpp"

namespace conform::compare {

namespace {

// The two formats differ only in headings and code spans.
class Writer {
  public:
    explicit Writer(DriftFormat format) : m_markdown(format == DriftFormat::markdown) {}

    void heading(const std::string& title, std::size_t count)
    {
        m_out +=
            m_markdown ? fmt::format("\n### {} ({})\n\n", title, count) : fmt::format("\n{} ({}):\n", title, count);
    }
    void item(const std::string& line) { m_out += (m_markdown ? "- " : "  ") + line + "\n"; }
    std::string code(const std::string& text) const
    {
        if (!m_markdown) {
            return text;
        }
        std::string out = text;
        std::replace(out.begin(), out.end(), '`', '\'');
        return "`" + out + "`";
    }
    void line(const std::string& text) { m_out += text + "\n"; }
    std::string str() const { return m_out; }
    bool markdown() const { return m_markdown; }

  private:
    bool m_markdown;
    std::string m_out;
};

std::string ms(double seconds)
{
    return fmt::format("{:.1f} ms", seconds * 1000);
}

}  // namespace

std::string drift_text(const Drift& drift, const std::string& before, const std::string& after, DriftFormat format)
{
    Writer w(format);
    const auto verdict = drift.regressed()         ? "REGRESSED"
                         : drift.within_contract() ? "drift within the contract"
                                                   : "no regression";
    w.line(w.markdown() ? fmt::format("## conform diff: {}\n\n{} → {}", verdict, w.code(before), w.code(after))
                        : fmt::format("conform diff: {}\n{} -> {}", verdict, before, after));
    if (!drift.outcomes.empty()) {
        w.heading("outcome changes", drift.outcomes.size());
        for (const auto& c : drift.outcomes) {
            auto text = fmt::format("{}: {} {} -> {}", to_string(c.kind), w.code(c.case_id),
                                    c.before.empty() ? "(absent)" : c.before, c.after.empty() ? "(absent)" : c.after);
            w.item(c.detail.empty() ? text : text + ": " + w.code(c.detail));
        }
    }
    if (!drift.alternatives.empty()) {
        w.heading("alternative drift: steps meeting another documented alternative", drift.alternatives.size());
        for (const auto& a : drift.alternatives) {
            w.item(fmt::format("{} step {} ({}): alternative {} (status {}) -> alternative {} (status {})",
                               w.code(a.case_id), a.step_index + 1, a.step, a.before + 1, a.status_before, a.after + 1,
                               a.status_after));
        }
    }
    if (!drift.shapes.empty()) {
        w.heading("response-shape drift: per operation and status", drift.shapes.size());
        for (const auto& s : drift.shapes) {
            const auto types = s.kind == ShapeChange::Kind::added     ? s.after
                               : s.kind == ShapeChange::Kind::removed ? s.before
                                                                      : s.before + " -> " + s.after;
            w.item(
                fmt::format("{} {}: {} {} ({})", s.operation, s.status, w.code(s.pointer), to_string(s.kind), types));
        }
    }
    if (!drift.latencies.empty()) {
        w.heading("latency drift: median per operation", drift.latencies.size());
        for (const auto& l : drift.latencies) {
            w.item(fmt::format("{}: {} -> {} ({} and {} requests)", l.operation, ms(l.before), ms(l.after),
                               l.samples_before, l.samples_after));
        }
    }
    if (drift.outcomes.empty() && drift.alternatives.empty() && drift.shapes.empty() && drift.latencies.empty()) {
        w.line(w.markdown() ? "\nNo change." : "no change");
    }
    // Shapes and alternatives are the endpoint's words (its member names): shown, never acted on.
    return report::terminal_safe(report::without_directives(w.str()));
}

}  // namespace conform::compare
