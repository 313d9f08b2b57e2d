// Simulated time for engine tests: sleeping moves the clock, so minutes of backoff take no time.
#pragma once

#include <chrono>
#include <mutex>
#include <stop_token>

#include "engine/quota.hpp"

namespace test_time {

using Steady = conform::engine::TimeSource::Steady;

class FakeTime final : public conform::engine::TimeSource {
  public:
    Steady::time_point now() override
    {
        std::lock_guard lock(m_mutex);
        return Steady::time_point{} + m_elapsed;
    }
    std::chrono::system_clock::time_point wall() override
    {
        std::lock_guard lock(m_mutex);
        return k_wall_start + std::chrono::duration_cast<std::chrono::system_clock::duration>(m_elapsed);
    }
    // Time passes at once; a stop requested before or during the sleep ends it where it is.
    bool sleep_until(Steady::time_point until, std::stop_token stop) override
    {
        if (stop.stop_requested()) {
            return false;
        }
        std::lock_guard lock(m_mutex);
        m_elapsed = std::max(m_elapsed, until - Steady::time_point{});
        return true;
    }
    void advance(std::chrono::duration<double> by)
    {
        std::lock_guard lock(m_mutex);
        m_elapsed += std::chrono::duration_cast<Steady::duration>(by);
    }
    double seconds() { return std::chrono::duration<double>(now() - Steady::time_point{}).count(); }

    static inline const auto k_wall_start = std::chrono::system_clock::from_time_t(1'700'000'000);

  private:
    std::mutex m_mutex;
    Steady::duration m_elapsed{};
};

}  // namespace test_time
