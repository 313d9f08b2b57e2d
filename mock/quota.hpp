// The gateway's request quota, on demand (--rate-limit N/SECONDS): a sliding window over every
// request, refused ones included (the real gateway counts throttled calls too, so a client that
// retries without backing off stays locked out).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
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
    // Every request counted so far, admitted or refused: the closing line's figures, against which
    // a run's time can be set (a benchmark's floor).
    struct Counts {
        std::size_t admitted = 0;
        std::size_t refused = 0;
    };
    Counts counts() const;

  private:
    mutable std::mutex m_mutex;
    Counts m_counts;
    std::chrono::duration<double> m_window;
    // The last `requests` arrivals, oldest at m_oldest: the window is full while the oldest of
    // them is younger than the window.
    std::vector<Clock::time_point> m_arrivals;
    std::size_t m_oldest = 0;
};

// The gateway's windows: one for every request (--rate-limit), or, with a second one
// (--query-rate-limit), the upload and query operations counted there instead, as the real
// gateway's categories do (100 calls a minute for management and processing, 1,500 for upload
// and queries). Converts from one window, so a single quota reads as before.
struct Quotas {
    Quotas(std::nullptr_t = nullptr) {}
    Quotas(std::shared_ptr<RequestQuota> all, std::shared_ptr<RequestQuota> queries = nullptr)
        : every(std::move(all)), upload_or_query(std::move(queries))
    {
    }
    // The window a request counts in (nullptr: none).
    RequestQuota* window(bool is_upload_or_query) const
    {
        return is_upload_or_query && upload_or_query ? upload_or_query.get() : every.get();
    }

    std::shared_ptr<RequestQuota> every;
    std::shared_ptr<RequestQuota> upload_or_query;
};

}  // namespace vod_mock
