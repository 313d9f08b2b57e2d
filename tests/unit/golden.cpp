#include "golden.hpp"

#include <algorithm>
#include <regex>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace conform::golden {

namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to)
{
    for (auto pos = text.find(from); !from.empty() && pos != std::string::npos;
         pos = text.find(from, pos + to.size())) {
        text.replace(pos, from.size(), to);
    }
    return text;
}

std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> lines;
    for (std::size_t start = 0; start < text.size();) {
        const auto end = text.find('\n', start);
        lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        start = end == std::string::npos ? text.size() : end + 1;
    }
    return lines;
}

}  // namespace

std::string normalise(std::string text)
{
    // The version first: its digits must not pass for a duration or a date.
    text = replace_all(std::move(text), CONFORM_VERSION, "{version}");
    static const std::vector<std::pair<std::regex, std::string>> k_rules = {
        // 2026-12-01T03:20:00, 2026-12-01 03:20:00 UTC, 2026-12-01T03:20:00.123Z
        {std::regex(R"(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?Z?)"), "{date}"},
        // Seconds: 0.012s, 1.235 s, time="0.012", the quota.wait_seconds property.
        {std::regex(R"(\b\d+\.\d+(?= ?s\b))"), "{s}"},
        {std::regex(R"(\btime="\d+\.\d+")"), "time=\"{s}\""},
        {std::regex(R"((wait_seconds" value=")\d+\.\d+)"), "$1{s}"},
        // http://127.0.0.1:38017, Host: 127.0.0.1:38017, and curl's "port 38017".
        {std::regex(R"(((//|\bHost: )[^/\s:'"<>]+):\d{1,5}\b)"), "$1:{port}"},
        {std::regex(R"(\bport \d{1,5}\b)"), "port {port}"},
        // Asset ids, request ids: 32 hex digits, fresh in every run (also right after a
        // percent-encoded byte: asset_id=a%2C%20b).
        {std::regex(R"((%[0-9A-F]{2}|\b)[0-9a-f]{32}\b)"), "$1{id}"},
    };
    for (const auto& [pattern, replacement] : k_rules) {
        text = std::regex_replace(text, pattern, replacement);
    }
    return text;
}

std::string unified_diff(const std::string& approved, const std::string& actual, const std::string& name)
{
    const auto a = lines_of(approved);
    const auto b = lines_of(actual);
    // Longest common subsequence, suffix by suffix; reports are a few hundred lines.
    std::vector<std::vector<std::size_t>> lcs(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
    for (std::size_t i = a.size(); i-- > 0;) {
        for (std::size_t j = b.size(); j-- > 0;) {
            lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
        }
    }
    struct Op {
        char tag;          // ' ', '-' or '+'
        std::size_t a, b;  // lines of each side before this one
        const std::string* line;
    };
    std::vector<Op> ops;
    for (std::size_t i = 0, j = 0; i < a.size() || j < b.size();) {
        if (i < a.size() && j < b.size() && a[i] == b[j]) {
            ops.push_back({' ', i, j, &a[i]});
            ++i, ++j;
        } else if (j == b.size() || (i < a.size() && lcs[i + 1][j] >= lcs[i][j + 1])) {
            ops.push_back({'-', i, j, &a[i]});
            ++i;
        } else {
            ops.push_back({'+', i, j, &b[j]});
            ++j;
        }
    }
    // Hunks: each change with 3 lines of context either side, overlapping windows merged.
    constexpr std::size_t k_context = 3;
    std::vector<std::pair<std::size_t, std::size_t>> hunks;  // [first op, end op)
    for (std::size_t k = 0; k < ops.size(); ++k) {
        if (ops[k].tag == ' ') {
            continue;
        }
        const auto first = k > k_context ? k - k_context : 0;
        const auto last = std::min(ops.size(), k + k_context + 1);
        if (!hunks.empty() && first <= hunks.back().second) {
            hunks.back().second = last;
        } else {
            hunks.emplace_back(first, last);
        }
    }
    std::string out;
    for (const auto& [first, last] : hunks) {
        std::size_t a_count = 0, b_count = 0;
        std::string body;
        for (auto t = first; t < last; ++t) {
            a_count += ops[t].tag != '+' ? 1 : 0;
            b_count += ops[t].tag != '-' ? 1 : 0;
            body += ops[t].tag + *ops[t].line + "\n";
        }
        out += fmt::format("@@ -{},{} +{},{} @@\n", ops[first].a + 1, a_count, ops[first].b + 1, b_count) + body;
    }
    return out.empty() ? out : "--- " + name + " (approved)\n+++ " + name + " (now)\n" + out;
}

}  // namespace conform::golden
