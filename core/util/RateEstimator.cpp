#include "util/RateEstimator.h"

#include <algorithm>
#include <cmath>

namespace ors {

RateEstimator::RateEstimator(double windowSeconds, double warmUpSeconds)
    : m_window(std::max(windowSeconds, 0.001))
    , m_warmUp(std::max(warmUpSeconds, 0.0)) {}

void RateEstimator::reset(qint64 atMs, qint64 done) {
    m_started = true;
    m_lastMs = atMs;
    m_lastDone = done;
    m_records = 0;
    m_seconds = 0;
    m_warmUntilMs = atMs + qint64(m_warmUp * 1000.0);
}

void RateEstimator::add(qint64 atMs, qint64 done) {
    if (!m_started || done < m_lastDone) {
        reset(atMs, done);
        return;
    }
    if (atMs < m_warmUntilMs) {
        m_lastMs = atMs;
        m_lastDone = done;
        return;
    }
    // A clock that went back (it should not: callers pass a monotonic one) adds no time.
    const double elapsed = double(std::max<qint64>(0, atMs - m_lastMs)) / 1000.0;
    const double interval = std::min(elapsed, m_window);
    const double decay = std::exp(-interval / m_window);
    m_records = m_records * decay + double(done - m_lastDone);
    m_seconds = m_seconds * decay + interval;
    m_lastMs = std::max(m_lastMs, atMs);
    m_lastDone = done;
}

std::optional<double> RateEstimator::rate() const {
    if (m_seconds <= 0 || m_records <= 0)
        return std::nullopt;
    return m_records / m_seconds;
}

std::optional<qint64> RateEstimator::etaSeconds(qint64 total) const {
    if (total < 0 || m_lastDone > total)
        return std::nullopt;
    if (m_lastDone == total)
        return 0;
    const std::optional<double> perSecond = rate();
    if (!perSecond)
        return std::nullopt;
    // Rounded up, so records left never show as no time left; the tolerance keeps a ratio that
    // is whole but for rounding (8000 / 200.00000001) from becoming the next second.
    return qint64(std::ceil(double(total - m_lastDone) / *perSecond - 1e-6));
}

} // namespace ors
