#pragma once

// Where a test keeps a stats store: a SQLite file in a data directory of its own, a fresh database
// on the test MariaDB (ORS_TEST_MYSQL_*), or a fresh database on the test PostgreSQL (ORS_TEST_PG_*),
// so one suite runs the same assertions against every backend the stats store supports.

#include "CliFixture.h"
#include "PostgresSupport.h"

#include "stats/StatsStore.h"

#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace ors::test {

enum class StatsBackendKind { Sqlite, Mysql, Postgresql };

class StatsBackend {
public:
    explicit StatsBackend(StatsBackendKind kind);
    ~StatsBackend();
    StatsBackend(const StatsBackend&) = delete;
    StatsBackend& operator=(const StatsBackend&) = delete;

    StatsBackendKind kind() const { return m_kind; }
    QString name() const;
    // Non-empty when the suite should skip rather than fail: PostgreSQL without ORS_TEST_PG_HOST
    // where ORS_TEST_REQUIRE_POSTGRES is not 1 (postgresSkipReason). MariaDB never skips.
    QString skipReason() const;
    // An empty place (a new data directory; a new database); the error, empty on success.
    QString reset();

    const QString& dataDir() const { return m_dataDir; }
    // The configuration's "stats" for the place: nullopt for SQLite.
    std::optional<SqlServerConfig> server() const { return m_server; }
    // A store on the place, not opened yet.
    std::unique_ptr<StatsStore> store() const;
    // The "stats" key of a configuration file for the place, its password read from the
    // environment variable `passwordVariable`; an empty object for SQLite (no key).
    QJsonObject configKey(const QString& passwordVariable) const;
    // `env` with `passwordVariable` set to the server's password.
    QProcessEnvironment withPassword(QProcessEnvironment env, const QString& passwordVariable) const;
    const QString& password() const { return m_password; }
    // Runs statements on the server database with a connection of the test's own; the error,
    // empty on success. Not for SQLite.
    QString exec(const QStringList& statements);
    // The first column of the first row of `sql` on the place (SQLite too), as text; empty on error.
    QString scalar(const QString& sql);

private:
    StatsBackendKind m_kind;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_dataDir;
    std::optional<SqlServerConfig> m_server;
    QString m_password;
    std::optional<MysqlServer> m_mysql;
    std::unique_ptr<MysqlTestDatabase> m_mysqlDatabase;
    std::optional<PostgresServer> m_postgres;
    std::unique_ptr<PostgresTestDatabase> m_postgresDatabase;
};

} // namespace ors::test
