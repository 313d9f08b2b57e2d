#include "engine/shard.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace conform::engine {

Shard parse_shard(const std::string& text)
{
    const auto slash = text.find('/');
    auto whole = [&](const std::string& part) -> std::size_t {
        if (part.empty() || part.size() > 4 ||
            !std::all_of(part.begin(), part.end(), [](unsigned char c) { return std::isdigit(c); })) {
            throw std::invalid_argument("'" + text + "' is not K/N (e.g. 2/4)");
        }
        return std::stoul(part);
    };
    if (slash == std::string::npos) {
        throw std::invalid_argument("'" + text + "' is not K/N (e.g. 2/4)");
    }
    const Shard shard{whole(text.substr(0, slash)), whole(text.substr(slash + 1))};
    if (shard.count < 1 || shard.count > 1000 || shard.index < 1 || shard.index > shard.count) {
        throw std::invalid_argument("'" + text + "': K must be from 1 to N, and N from 1 to 1000");
    }
    return shard;
}

std::vector<const contract::Case*> shard_cases(const std::vector<const contract::Case*>& cases, const Shard& shard)
{
    auto order = cases;
    std::sort(order.begin(), order.end(), [](const contract::Case* a, const contract::Case* b) {
        return a->steps.size() != b->steps.size() ? a->steps.size() > b->steps.size() : a->id < b->id;
    });
    std::vector<std::size_t> load(shard.count, 0);
    std::set<const contract::Case*> mine;
    for (const auto* c : order) {
        const auto lightest = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
        load[lightest] += c->steps.size();
        if (lightest + 1 == shard.index) {
            mine.insert(c);
        }
    }
    std::vector<const contract::Case*> out;
    std::copy_if(cases.begin(), cases.end(), std::back_inserter(out),
                 [&](const contract::Case* c) { return mine.count(c) > 0; });
    return out;
}

}  // namespace conform::engine
