#pragma once

#include "util/Expected.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace ors::bench {

// One table of a database reference: the rows loaded and the time the load alone took.
struct TableLoad {
    QString table;
    qint64 rows = 0;
    double seconds = 0;
};

// The references of target 2 in docs/PERFORMANCE.md: the rows a sync stored, loaded again into
// empty copies of its tables (the same DDL and indexes, on the same server with the same
// settings) the fastest plain way the database offers. Reading the rows back is not timed.
// A table of `tables` the source does not have is skipped.
//
// MariaDB (MysqlReference.cpp): `LOAD DATA LOCAL INFILE`, one load per table, into
// <database>_ref, from the ORS_TEST_MYSQL_* server. The rows go in the order `order` says.
enum class RowOrder {
    Key,     // as read back: primary key order, what InnoDB takes fastest
    Arrival, // the order the sync received them in: by ModificationTimestamp, then ListingKey,
             // children with their parent (the fake server's column names), random in the key
};
Expected<QList<TableLoad>> loadMysqlReference(const QString& database, const QStringList& tables,
                                              const QString& workDir, RowOrder order = RowOrder::Key);
// SQLite (SqliteReference.cpp): the C API, one prepared upsert bound per row, one transaction per
// 1,000 rows, WAL and synchronous=FULL as the destination has them, into a new file in workDir.
Expected<QList<TableLoad>> loadSqliteReference(const QString& sqlitePath, const QStringList& tables,
                                               const QString& workDir);
// PostgreSQL (PostgresReference.cpp): `COPY ... FROM STDIN` (text format), one per table, into
// copies made with `CREATE TABLE ... (LIKE ... INCLUDING ALL)` in a schema bench_ref of the same
// database, from the ORS_TEST_PG_* server.
Expected<QList<TableLoad>> loadPostgresReference(const QString& database, const QStringList& tables,
                                                 const QString& workDir);

} // namespace ors::bench
