#pragma once

// The set-up the end-to-end suites of the server destinations share (tst_endtoend_mysql,
// tst_endtoend_postgres): the source "mls" of a CliFixture writing into a SQLite file and into a
// database of its own on the test MariaDB or PostgreSQL at once.

#include "CliFixture.h"
#include "PostgresSupport.h"

#include <memory>

namespace ors::test {

enum class ServerKind { Mysql, Postgres };

struct ServerFixture : CliFixture {
    ServerKind kind = ServerKind::Mysql;
    DatabaseServer dbServer;
    QString sqlite;
    MysqlTestDatabase mysql;       // ServerKind::Mysql
    PostgresTestDatabase postgres; // ServerKind::Postgres

    // The fake server started with `options`, a database ors_test_e2e_<pid>_<n> made on `on`, and
    // the config written: "mls" on `platform`, a SQLite destination and the server's ("db" on
    // MariaDB, "pg" on PostgreSQL) whose password is read from `passwordVariable`. Null (and the
    // reason logged) when any of that failed.
    // `destinationKeys` are added to the server destination's entry (e.g. overflowBudget).
    static std::unique_ptr<ServerFixture> make(ServerKind kind, const DatabaseServer& on,
                                               const fake::ServerOptions& options, int pageSize,
                                               const QString& platform, const QString& passwordVariable,
                                               const QJsonObject& destinationKeys = {});

    const QString& database() const { return kind == ServerKind::Mysql ? mysql.name : postgres.name; }
    // The server's destination entry as the config holds it, named `name`.
    QJsonObject destinationEntry(const QString& name, const QString& passwordVariable) const;
    // The CLI's environment for this config (serverCliEnvironment).
    QProcessEnvironment environment(const QString& passwordVariable) const;
    // Property (by ListingKey), its Media (by MediaKey, the parent from ResourceRecordKey) and
    // Member in the server's database against the fake server; `prefix` before each table name.
    QStringList serverDifferences(const QString& prefix = {}) const;
    // SQLite's and the server's, each line marked with its destination.
    QStringList differences() const;
    // Runs statements on the server's database; the first error, empty on success.
    QString exec(const QStringList& statements) const;
    // The fields of `table` the destination keeps in _overflow.
    QStringList overflowFields(const QString& table) const;
};

// Sync, changes, purge, reconcile, status and record through the CLI against a server destination
// on `on` that keeps fields in _overflow (overflowBudget 1500 and overflowFields naming
// PhotosChangeTimestamp, ListPrice, ModificationTimestamp and MediaURL; 80 listings with tricky
// keys): every command sees those fields as ordinary fields. Returns what went wrong.
QStringList overflowThroughTheCli(ServerKind kind, const DatabaseServer& on, const QString& passwordVariable,
                                  const QProcessEnvironment& env);

// The rows of a case run with server-side ordering ("ordered": generic) and without ("unordered":
// Bridge refuses $orderby on replication, so key lists arrive unordered): columns platform, flavour.
void addOrderingRows();
// The fake server of those cases: 250 listings with tricky keys (differing only in case, with
// quotes, '+', non-ASCII) in pages of at most 60, of the row's flavour.
fake::ServerOptions orderingCaseOptions(int flavour);

// Purge and reconcile through the CLI, after a first sync: 5 records deleted on the MLS are
// purged from both destinations with their Media; 4 removed and 3 made stale by hand in the
// server's database are fetched again by reconcile. Returns what went wrong.
QStringList purgeAndReconcileThroughTheCli(ServerFixture& f, const QProcessEnvironment& env);

} // namespace ors::test
