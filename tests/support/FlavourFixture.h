#pragma once

#include "CliFixture.h"

#include <QJsonObject>

#include <memory>

namespace ors::test {

// One fake server of a platform flavour and one source "mls" of that platform syncing Property
// (with Media when the listings have it) into one SQLite file, through the real openresync-cli.
struct FlavourFixture : CliFixture {
    QString platform;
    QString db;
    QString origin; // http://127.0.0.1:PORT

    // `extra` is merged into the source; in it "@ORIGIN@" stands for the server's origin. What
    // each platform needs to work at all (MLS Grid's system name, Spark's replication host) is
    // added unless `extra` sets it.
    static std::unique_ptr<FlavourFixture> make(const fake::ServerOptions& options, const QString& platform,
                                                const QJsonObject& extra = {});

    QString keyField() const; // the Property key the platform's profile uses
    // Differences between the destination and what the server serves (visible records only on
    // MLS Grid), for Property and, when the listings have Media, Media.
    QStringList differences(int limit = 20) const;
    // Differences from all the server holds, with no allowance for the platform: every Property
    // record (shown or not) with every field, and Media always (with its parent key where the
    // Property key is ListingKey).
    QStringList allDifferences(int limit = 20) const;
    int rows(const QString& table) const;
};

} // namespace ors::test
