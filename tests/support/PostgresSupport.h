#pragma once

// The test PostgreSQL (scripts/postgres-test): where it is, a connection of the suite's own, and
// databases of one suite or fixture (ors_test_<prefix>_<pid>_<n>), so suites run side by side.

#include "DatabaseServer.h"

#include <QHash>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace ors::test {

// nullopt when ORS_TEST_PG_HOST/PORT/USER/DATABASE are not set.
inline std::optional<PostgresServer> postgresServer() {
    return databaseServer("ORS_TEST_PG_");
}
// Why a PostgreSQL suite skips: non-empty only when ORS_TEST_PG_HOST is unset and
// ORS_TEST_REQUIRE_POSTGRES is not 1 (scripts/test sets it and starts the server, so there a
// missing server fails instead).
QString postgresSkipReason();
// Runs "$ORS_TEST_PG_CTL command" (databaseCtl).
inline int postgresCtl(const PostgresServer& server, const QString& command, QString* output = nullptr,
                       int timeoutMs = 90000) {
    return databaseCtl(server, command, output, timeoutMs);
}

// A QPSQL connection as the test user to `database`, closed and removed with the object. Numeric
// values come as text (high precision), so no digit is lost to a double.
class PostgresConnection {
public:
    PostgresConnection(const PostgresServer& server, const QString& database);
    ~PostgresConnection();
    PostgresConnection(const PostgresConnection&) = delete;
    PostgresConnection& operator=(const PostgresConnection&) = delete;

    bool ok() const { return m_error.isEmpty(); }
    const QString& error() const { return m_error; }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    // Runs one statement; the error text, empty on success.
    QString exec(const QString& sql);
    // All rows of a query (positional ? binds); *error set on failure.
    QList<QVariantList> select(const QString& sql, const QVariantList& binds = {}, QString* error = nullptr);

private:
    QString m_name;
    QString m_error;
};

QString quotePostgresIdentifier(const QString& identifier);

// A database ors_test_<prefix>_<pid>_<n>, created afresh, dropped with the object (kept with
// ORS_TEST_KEEP_POSTGRES=1, to look into after a failure).
struct PostgresTestDatabase {
    PostgresServer server;
    QString name; // empty until created

    PostgresTestDatabase() = default;
    ~PostgresTestDatabase();
    PostgresTestDatabase(const PostgresTestDatabase&) = delete;
    PostgresTestDatabase& operator=(const PostgresTestDatabase&) = delete;

    // The error, empty on success.
    QString create(const PostgresServer& on, const QString& prefix);
};

// A whole table keyed by its key column: integers as integers, booleans as 0/1, doubles as
// doubles, numeric as the server's digits (QString), timestamps as "yyyy-MM-ddTHH:mm:ss.zzzZ"
// (UTC), dates as QDate, jsonb and text as text. columnTypes (if given) receives each column's
// type in the words compareWithServerMysql's checks use ("double", "decimal", "datetime", ...).
QHash<QString, QVariantMap> readPostgresTable(const PostgresServer& server, const QString& database,
                                              const QString& table, const QString& keyColumn,
                                              QString* error = nullptr,
                                              QHash<QString, QString>* columnTypes = nullptr);

} // namespace ors::test
