#include "quota.hpp"

#include <stdexcept>

namespace vod_mock {

RequestQuota::RequestQuota(std::size_t requests, std::chrono::duration<double> window)
    : m_window(window), m_arrivals(requests, Clock::time_point::min())
{
    if (requests == 0 || window.count() <= 0) {
        throw std::invalid_argument("a request quota needs at least one request in a positive window");
    }
}

bool RequestQuota::admit(Clock::time_point now)
{
    std::lock_guard lock(m_mutex);
    const bool room = m_arrivals[m_oldest] == Clock::time_point::min() || now - m_arrivals[m_oldest] >= m_window;
    m_arrivals[m_oldest] = now;
    m_oldest = (m_oldest + 1) % m_arrivals.size();
    ++(room ? m_counts.admitted : m_counts.refused);
    return room;
}

RequestQuota::Counts RequestQuota::counts() const
{
    std::lock_guard lock(m_mutex);
    return m_counts;
}

}  // namespace vod_mock
