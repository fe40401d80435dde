#pragma once

#include "config/Config.h"
#include "FakeResoServer.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace ors::test {

// A run row of stats.sqlite, as the job wrote it.
struct RunRow {
    QString source;
    QString process;
    QString started; // UTC, ISO 8601 with ms: text order is time order
    QString finished;
    QString result;
};

// What the job queue and scheduler suites share: a fake server, a temporary folder with the
// config file and the data directory, and sources of light listings (Property only, no Media),
// each with its own SQLite destination <dir>/<source>.sqlite.
struct QueueFixture {
    std::unique_ptr<fake::FakeResoServer> server;
    QTemporaryDir dir;
    QString dataDir;

    bool startServer(fake::ServerOptions options);
    // 300 listings, each page answered 150 ms late: a sync in pages of 10 runs for seconds, so a
    // test sees it running with progress.
    static fake::ServerOptions slowListings();
    // Retries after 20 ms, two attempts: a source whose server is gone fails at once.
    static void useQuickRetries();
    // A source of Property only, `pageSize` records a page, on this fixture's server.
    QJsonObject source(const QString& name, int pageSize) const;
    QString sqlite(const QString& source) const;
    // Writes the config with these sources (and the top-level keys in `top`) and loads it as
    // the programs do; fails the test (and returns nullopt) when it does not load.
    std::optional<Config> load(const QList<QJsonObject>& sources, const QJsonObject& top = {});
    // Every run row of `source` (all sources when empty), in the order the runs began.
    QList<RunRow> runs(const QString& source = {}) const;
};

// Greatest number of runs whose [started, finished] intervals overlap at one instant.
int maxOverlap(const QList<RunRow>& runs);

} // namespace ors::test
