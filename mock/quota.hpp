// The gateway's request quota, on demand (--rate-limit N/SECONDS): a sliding window over every
// request, refused ones included (the real gateway counts throttled calls too, so a client that
// retries without backing off stays locked out).
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <vector>

namespace vod_mock {

class RequestQuota {
  public:
    using Clock = std::chrono::steady_clock;
    RequestQuota(std::size_t requests, std::chrono::duration<double> window);

    // Counts a request arriving at `now`; false when the window already holds `requests` of them.
    bool admit(Clock::time_point now = Clock::now());
    std::size_t requests() const { return m_arrivals.size(); }
    double window_seconds() const { return m_window.count(); }

  private:
    std::mutex m_mutex;
    std::chrono::duration<double> m_window;
    // The last `requests` arrivals, oldest at m_oldest: the window is full while the oldest of
    // them is younger than the window.
    std::vector<Clock::time_point> m_arrivals;
    std::size_t m_oldest = 0;
};

}  // namespace vod_mock
