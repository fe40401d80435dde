#pragma once

#include "DatabaseServer.h"
#include "FakeResoServer.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <memory>
#include <optional>

namespace ors::test {

struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool crashed = false;
};

// Environment for child processes: short retry waits so failure tests stay quick.
QProcessEnvironment cliEnvironment();
// A file of the project's source tree, by its path there ("docs/configuration.md").
QString sourcePath(const QString& relative);
// --config and --data-dir, then `command`.
QStringList cliArgs(const QString& config, const QString& dataDir, const QStringList& command);
CliResult runCli(const QStringList& args, const QProcessEnvironment& env = cliEnvironment(),
                 int timeoutMs = 300000);
std::unique_ptr<QProcess> startCli(const QStringList& args,
                                   const QProcessEnvironment& env = cliEnvironment());

// A config with one source pointing at the server and one SQLite destination per path.
QJsonObject sourceConfig(const QString& name, const QString& serviceUrl, const QStringList& sqlitePaths,
                         int pageSize = 100);
QString writeConfig(const QString& dir, const QJsonObject& root);
QJsonObject configWith(const QJsonObject& source);

// Reads a whole table keyed by its key column.
QHash<QString, QVariantMap> readTable(const QString& sqlitePath, const QString& table,
                                      const QString& keyColumn);

// Compares a destination table with what the server serves, field by field, with the value
// contract of the destination (decimals digit for digit, timestamps as UTC ms Z, JSON as
// parsed JSON). Returns the differences found (at most `limit`), empty when equal.
QStringList compareWithServer(const fake::FakeResoServer& server, const QString& resource,
                              const QString& sqlitePath, const QString& table, const QString& keyField,
                              const QString& parentKeyColumn = {}, const QString& parentKeyField = {},
                              int limit = 20);

// compareWithServer against a chosen list of records (e.g. only those a feed still shows).
QStringList compareRecords(const QList<QByteArray>& records, const QString& sqlitePath, const QString& table,
                           const QString& keyField, const QString& parentKeyColumn = {},
                           const QString& parentKeyField = {}, int limit = 20);

// compareWithServer against rows already read (e.g. a mapped table read back into field names).
QStringList compareRowsWithServer(const QList<QByteArray>& records, const QHash<QString, QVariantMap>& rows,
                                  const QString& table, const QString& keyField,
                                  const QString& parentKeyColumn = {}, const QString& parentKeyField = {},
                                  int limit = 20);

QStringList filesUnder(const QString& dir, const QString& pattern);
// A file's text; a page file kept as the server's gzip is inflated (empty when unreadable).
QByteArray fileText(const QString& path);
// Every file below `dir` read (as fileText) and joined: to look for what must never be written
// anywhere.
QByteArray contentsUnder(const QString& dir);

} // namespace ors::test

namespace ors::test {

// The MariaDB/MySQL server for tests, from ORS_TEST_MYSQL_HOST/PORT/USER/PASSWORD/DATABASE and
// ORS_TEST_MYSQL_CTL (set by scripts/test through scripts/mariadb-test). The user may use the
// database `database` and create databases named ors_test_<anything>. nullopt when the variables
// are not set; a suite that needs the server then fails (a skip would read as a pass in CTest).
inline std::optional<MysqlServer> mysqlServer() {
    return databaseServer("ORS_TEST_MYSQL_");
}

// Runs "$ORS_TEST_MYSQL_CTL command" (databaseCtl).
inline int mysqlCtl(const MysqlServer& server, const QString& command, QString* output = nullptr,
                    int timeoutMs = 90000) {
    return databaseCtl(server, command, output, timeoutMs);
}

// Runs statements on `database` (empty: none selected) as the test user, one connection per
// call. Returns the first error, empty on success.
QString mysqlExec(const MysqlServer& server, const QString& database, const QStringList& statements);

// Drops (if present) and creates the database `name` (must start with ors_test_).
QString recreateMysqlDatabase(const MysqlServer& server, const QString& name);

// Reads a whole table keyed by its key column, like readTable. DATETIME/TIMESTAMP columns are
// read as text in UTC (session time_zone +00:00) and returned as "yyyy-MM-ddTHH:mm:ss.fffZ" with
// their fractional digits (at least three; zeros beyond the third dropped), DECIMAL as the
// server's digits with its padding ("12.5000", QString; Qt would give a double), DOUBLE as
// double, DATE as QDate, integers as integers, JSON as its text.
// columnTypes (if given) receives each column's information_schema DATA_TYPE, lower case.
// On failure returns nothing and sets *error.
QHash<QString, QVariantMap> readMysqlTable(const MysqlServer& server, const QString& database,
                                           const QString& table, const QString& keyColumn,
                                           QString* error = nullptr,
                                           QHash<QString, QString>* columnTypes = nullptr);

// compareWithServer for a MySQL/MariaDB table. Decimals compare as numbers written exactly
// (DECIMAL(p,s) pads to s digits, so trailing fraction zeros are ignored, nothing else is);
// float/double columns compare as doubles; booleans as 0/1; timestamps as the UTC instant;
// JSON parsed.
QStringList compareWithServerMysql(const fake::FakeResoServer& fakeServer, const QString& resource,
                                   const MysqlServer& server, const QString& database, const QString& table,
                                   const QString& keyField, const QString& parentKeyColumn = {},
                                   const QString& parentKeyField = {}, int limit = 20);

// compareWithServerMysql for a table of the test PostgreSQL (PostgresSupport.h's readPostgresTable),
// held to the same checks.
QStringList compareWithServerPostgres(const fake::FakeResoServer& fakeServer, const QString& resource,
                                      const PostgresServer& server, const QString& database,
                                      const QString& table, const QString& keyField,
                                      const QString& parentKeyColumn = {}, const QString& parentKeyField = {},
                                      int limit = 20);

// compareWithServerMysql and compareWithServerPostgres against a chosen list of records (e.g. the
// server's and those it deleted that no purge has removed yet).
QStringList compareRecordsMysql(const QList<QByteArray>& records, const MysqlServer& server,
                                const QString& database, const QString& table, const QString& keyField,
                                const QString& parentKeyColumn = {}, const QString& parentKeyField = {},
                                int limit = 20);
QStringList compareRecordsPostgres(const QList<QByteArray>& records, const PostgresServer& server,
                                   const QString& database, const QString& table, const QString& keyField,
                                   const QString& parentKeyColumn = {}, const QString& parentKeyField = {},
                                   int limit = 20);

// A number written in decimal ("-0012.3400") in canonical form ("-12.34"); empty if the text
// is not a plain decimal number (no exponent).
QByteArray canonicalDecimal(const QByteArray& text);

} // namespace ors::test
