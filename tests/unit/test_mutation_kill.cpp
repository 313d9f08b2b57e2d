#include <catch2/catch.hpp>

#include "../mutation/kill.hpp"

namespace {

nlohmann::json result(const char* outcome, std::vector<std::string> case_rules, std::vector<std::string> failure_rules)
{
    nlohmann::json failures = nlohmann::json::array();
    for (const auto& rule : failure_rules) {
        failures.push_back(
            {{"rule", rule}, {"kind", "status"}, {"where", "status"}, {"got", "200"}, {"expected", "401"}});
    }
    return {{"outcome", outcome}, {"rules", case_rules}, {"failures", failures}};
}

}  // namespace

// Issue 11 (6): an error counted as a kill, and so did a failure in any case that listed one of
// the mutation's rules (R1 is listed by every case).
TEST_CASE("a mutation is killed only by a failure on one of its rules, not by an error or a listed rule", "[mutation]")
{
    using conform::mutation::fails_on_any;
    CHECK(fails_on_any(result("failed", {"S3", "R1"}, {"S3"}), {"S3"}));
    CHECK(fails_on_any(result("failed", {"D1", "R1", "R2"}, {"D1", "R2"}), {"R2"}));
    CHECK_FALSE(fails_on_any(result("error", {"S3", "R1"}, {}), {"S3"}));
    CHECK_FALSE(fails_on_any(result("skipped", {"S3"}, {}), {"S3"}));
    CHECK_FALSE(
        fails_on_any(result("failed", {"S3", "R1"}, {"R1"}), {"S3"}));  // the case lists S3, the failure is R1's
    CHECK_FALSE(fails_on_any(result("passed", {"S3"}, {}), {"S3"}));
    // Premise lost after a failed step: a skip that keeps the step's failures, never a kill.
    CHECK_FALSE(fails_on_any(result("skipped", {"D3"}, {"D3"}), {"D3"}));
}
