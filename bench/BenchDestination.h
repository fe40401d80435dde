#pragma once

#include "PostgresSupport.h"
#include "TestSupport.h"

#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace ors::bench {

enum class Engine { Sqlite, Mariadb, Postgresql };

std::optional<Engine> engineFromName(const QString& name);
QString engineName(Engine engine); // "sqlite", "mariadb", "postgresql"

// A fresh, empty destination of one benchmark run: a SQLite file in `dir`, or a database of its
// own on the test MariaDB or PostgreSQL (scripts/mariadb-test, scripts/postgres-test: the
// ORS_TEST_MYSQL_* and ORS_TEST_PG_* variables), dropped with the object.
class BenchDestination {
public:
    // Null and *error set when the server is not configured or the database cannot be made.
    static std::unique_ptr<BenchDestination> create(Engine engine, const QString& dir, const QString& tag,
                                                    QString* error);
    ~BenchDestination();
    BenchDestination(const BenchDestination&) = delete;
    BenchDestination& operator=(const BenchDestination&) = delete;

    Engine engine() const { return m_engine; }
    // The destination's entry in the source's "destinations" (named "local"); a password comes
    // from the variable env() sets, never from the file.
    QJsonObject config() const;
    QProcessEnvironment env(QProcessEnvironment base) const;
    // Rows of `table`, -1 with *error set on failure.
    qint64 count(const QString& table, QString* error) const;
    // Field-by-field differences between `table` and what the server serves (tests/support).
    QStringList differences(const fake::FakeResoServer& server, const QString& resource, const QString& table,
                            const QString& keyField, const QString& parentKeyColumn = {},
                            const QString& parentKeyField = {}) const;
    // How bench_reference reaches these tables (its --engine and where).
    QStringList referenceArgs() const;

private:
    BenchDestination() = default;

    Engine m_engine = Engine::Sqlite;
    QString m_sqlitePath;
    QString m_database; // MariaDB
    std::optional<test::MysqlServer> m_mysql;
    std::optional<test::PostgresServer> m_postgres;
    std::unique_ptr<test::PostgresTestDatabase> m_postgresDatabase;
};

} // namespace ors::bench
