#pragma once

#include <QtGlobal>

#include <optional>

namespace ors {

// Records per second from progress samples (a time in milliseconds on a monotonic clock, and the
// records done so far), and the time left from it.
//
// The rate is the ratio of two exponentially decayed sums, records and seconds, each sample's
// interval weighing exp(-age / window): the records of about the last `window` seconds over
// those seconds. So a rate change shows fully within a few windows (about 3 windows of samples
// leave 5 % of the old rate), and:
// - a first burst (a page already on disk applied in milliseconds, a connection being set up)
//   does not count: samples in the first `warmUp` seconds after the baseline only move the
//   baseline, so the rate is known from the first sample after that;
// - a pause (a throttled server's Retry-After, a slow page) counts as at most `window` seconds,
//   so one long stall lowers the rate for a while but cannot hold it down for many windows;
// - done going backwards (a new resource counted from zero) starts over from that sample.
// Timestamps are passed in, so tests feed explicit times and never sleep.
class RateEstimator {
public:
    static constexpr double kDefaultWindowSeconds = 10.0;
    static constexpr double kDefaultWarmUpSeconds = 1.0;

    explicit RateEstimator(double windowSeconds = kDefaultWindowSeconds,
                           double warmUpSeconds = kDefaultWarmUpSeconds);

    // Starts over: `done` records at `atMs` is the baseline the next samples are counted from.
    void reset(qint64 atMs, qint64 done);
    // A progress sample. Before the first reset(), the first sample is the baseline.
    void add(qint64 atMs, qint64 done);

    // Records per second; none during the warm-up or while nothing progressed since.
    std::optional<double> rate() const;
    // Whole seconds until `total` at the current rate, rounded up; none when the total is unknown
    // (negative), there is no rate, or `done` is past the total (the total was wrong, so nothing
    // can be said). Zero once done reaches the total.
    std::optional<qint64> etaSeconds(qint64 total) const;
    // The records done at the last sample: what etaSeconds() counts from.
    qint64 lastDone() const { return m_lastDone; }

private:
    double m_window;
    double m_warmUp;
    bool m_started = false;
    qint64 m_lastMs = 0;
    qint64 m_lastDone = 0;
    double m_records = 0; // decayed sum of records done per interval
    double m_seconds = 0; // decayed sum of the intervals' lengths (each at most m_window)
    qint64 m_warmUntilMs = 0;
};

} // namespace ors
