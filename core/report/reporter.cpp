#include "report/reporter.hpp"

namespace conform::report {

bool gates(const engine::CaseResult& result, bool strict)
{
    if (result.outcome == engine::Outcome::error) {
        return true;
    }
    return result.outcome == engine::Outcome::failed && (strict || result.test_case->level == contract::Level::must);
}

}  // namespace conform::report
