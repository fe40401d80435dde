#pragma once

#include "stats/StatsStore.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace ors::test {

// A run the fixture wrote, with everything recorded against it: what the history and the charts
// must show.
struct KnownRun {
    qint64 id = 0;
    QString process;
    QString result;
    QString error;
    QDateTime started; // UTC, whole seconds
    QDateTime finished;
    QList<RunResourceCount> resources;
    QList<RunDestinationCount> destinations;
    QList<StatsEvent> events;

    qint64 downloaded() const;
    qint64 applied() const;
};

struct KnownStats {
    QList<KnownRun> runs; // oldest first
    QList<CountSample> counts;
    QList<UsageHour> usage;
};

// Fills stats.sqlite at `path` through StatsStore with runs of `source` over the 12 days before
// `now` (syncs, purges and reconciles, some failed, with events), daily count samples of the MLS
// and of destinations "local0" and "warehouse" (local0 drifting behind), and requests per hour for
// the last 3 days, some above 7,200. Empty runs when a write fails (with a warning).
KnownStats fillKnownStats(const QString& path, const QString& source, const QDateTime& now);

struct CliFixture;

// What the history and charts suites start from: `f`'s fake server with 30 listings and its
// source "mls" (pages of 25) into d.sqlite; stats.sqlite filled by fillKnownStats (runs over the
// 12 days before an hour ago), then one real sync by the CLI.
struct SyncedStats {
    KnownStats known; // the fixture's runs; usage as stored after the real sync (its hour included)
    KnownRun realSync;
};
// Nullopt, with a warning, when a step fails.
std::optional<SyncedStats> fillKnownStatsAndSync(CliFixture& f);

} // namespace ors::test
