#pragma once

#include "reso/PlatformProfile.h"

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>

#include <atomic>
#include <deque>
#include <functional>
#include <map>

namespace ors {

// Requests, bytes and 429 answers of one UTC clock hour, as the stats store keeps them.
struct UsageCount {
    qint64 hourStartMs = 0; // Unix ms of a whole UTC hour
    qint64 requests = 0;
    qint64 bytes = 0;
    qint64 throttled = 0;
};

// Weighted events (requests or bytes) in a sliding window. Events close together are merged
// into one entry (at the later time, which only errs on the careful side), so a day of
// MLS Grid traffic is a few thousand entries rather than 40,000.
class UsageWindow {
public:
    explicit UsageWindow(qint64 lengthMs);
    void add(qint64 at, qint64 weight);
    qint64 used(qint64 now);
    qint64 usedSince(qint64 since) const;
    // The earliest time from `now` on at which `need` more fits under `limit`.
    qint64 availableAt(qint64 now, qint64 need, qint64 limit);

private:
    // Servers count by their own clock and from when a request arrives: a window a little
    // longer than theirs keeps us under their limit despite skew and network jitter.
    qint64 span() const { return m_length + m_length / 100; }
    void prune(qint64 now);

    qint64 m_length;
    std::deque<std::pair<qint64, qint64>> m_entries; // time, weight; oldest first
    qint64 m_sum = 0;
};

// The request budget of one source: its configured (or platform default) limits, tightened by
// what the server says in its quota headers, and the usage of earlier runs. Every request the
// HttpClient sends first waits, on a timer, until delayMs() is 0 (then countRequest()), and
// reports in recordResponse() after; acquire() is the same wait as a sleep. Used from the job's
// thread only.
class RateLimiter {
public:
    using Clock = std::function<qint64()>;          // Unix ms
    using Sleeper = std::function<bool(qint64 ms)>; // false: cancelled meanwhile
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    explicit RateLimiter(RateLimits limits, const std::atomic<bool>* cancelled = nullptr);
    RateLimiter(const RateLimiter&) = delete;
    RateLimiter& operator=(const RateLimiter&) = delete;

    // Tests run the limiter on a fake clock; the sleeper then advances it.
    void setClock(Clock clock) { m_clock = std::move(clock); }
    void setSleeper(Sleeper sleeper) { m_sleep = std::move(sleeper); }

    // Waits until one more request may go and counts it; false if cancelled while waiting.
    bool acquire();
    // How long a request would have to wait now (0: it may go), and why.
    qint64 delayMs(QString* reason = nullptr);
    // The pieces of acquire() for a caller that waits on a timer instead of sleeping (the
    // HttpClient's requests): tell about a long wait once, add what was waited, and count the
    // request once delayMs() is 0.
    bool announceWait(qint64 delay, const QString& reason); // false: too short to tell about
    void addWaited(qint64 ms) { m_waitedMs += ms; }
    void countRequest();
    // A wait longer than this is done in slices, so a clock that jumps is noticed.
    static qint64 maxSliceMs();
    // The response's size and quota headers (Trestle Minute-/Hour-Quota-*, Bridge
    // Burst-RateLimit-*, RateLimit-*); status 429 counts as throttled. Status 0: no response.
    void recordResponse(int status, qint64 bytes, const Headers& headers);
    // Usage recorded by earlier runs, so two runs in one hour share that hour's budget.
    void seed(QList<UsageCount> hours);
    // Usage since the last call, per clock hour, for the stats store.
    QList<UsageCount> takeUsage();
    qint64 msSinceUsageTaken() const { return m_clock() - m_usageTakenMs; }

    const RateLimits& configured() const { return m_limits; }
    RateLimits effective() const; // configured limits, lowered by limits learned from headers
    qint64 requestCount() const { return m_requests; }
    qint64 throttledCount() const { return m_throttled; }
    qint64 waitedMs() const { return m_waitedMs; }

    std::function<void(const QString&)> onWait;    // told about long waits, for the source's log
    std::function<void(const QString&)> onWarning; // told about bogus headers, for the source's log

private:
    // What the server last said about one of its quotas.
    struct ServerQuota {
        QString name;
        qint64 limit = 0;      // 0: not told
        qint64 remaining = -1; // -1: not told
        qint64 resetAtMs = 0;  // 0: not told
        qint64 sentSince = 0;  // requests sent since it was told
    };
    qint64 nextAllowed(const ServerQuota& quota, qint64 now, QString* reason) const;
    // A reset time from a header, at most an hour ahead (a later one is warned about once).
    qint64 readReset(const Headers& headers, const char* name, qint64 now);
    void readTrestle(const Headers& headers, qint64 now);
    void readBridge(const Headers& headers, qint64 now);
    UsageCount& bucket(qint64 now);

    RateLimits m_limits;
    const std::atomic<bool>* m_cancelled;
    Clock m_clock;
    Sleeper m_sleep;
    qint64 m_learnedPerMinute = 0;
    qint64 m_learnedPerHour = 0;
    UsageWindow m_minute{60 * 1000};
    UsageWindow m_hour{3600 * 1000};
    UsageWindow m_day{24 * 3600 * 1000};
    UsageWindow m_hourBytes{3600 * 1000};
    ServerQuota m_burst;  // per minute (Bridge burst, Trestle minute)
    ServerQuota m_hourly; // per hour (Trestle, Bridge hourly, RateLimit-*)
    qint64 m_lastRequestMs = 0;
    qint64 m_requests = 0;
    qint64 m_responses = 0;
    qint64 m_bytes = 0;
    qint64 m_throttled = 0;
    qint64 m_waitedMs = 0;
    std::map<qint64, UsageCount> m_usage; // by hour start, not yet taken
    qint64 m_usageTakenMs = 0;
    QSet<QByteArray> m_cappedResets; // headers already warned about
};

} // namespace ors
