// A run listener that ignores what it hears, for tests that read only the run's result.
#pragma once

#include "engine/run.hpp"

namespace test_listeners {

struct Silent final : conform::engine::RunListener {
    void case_finished(const conform::engine::CaseResult&) override {}
};

}  // namespace test_listeners
