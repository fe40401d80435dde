#include "BenchDestination.h"

#include <QCoreApplication>
#include <QDir>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace ors::bench {

namespace {

const QString kPasswordVariable = QStringLiteral("ORS_BENCH_DB_PASSWORD");

QString quoted(Engine engine, const QString& identifier) {
    return engine == Engine::Mariadb ? QLatin1Char('`') + identifier + QLatin1Char('`')
                                     : QLatin1Char('"') + identifier + QLatin1Char('"');
}

} // namespace

std::optional<Engine> engineFromName(const QString& name) {
    if (name == QLatin1String("sqlite"))
        return Engine::Sqlite;
    if (name == QLatin1String("mariadb") || name == QLatin1String("mysql"))
        return Engine::Mariadb;
    if (name == QLatin1String("postgresql") || name == QLatin1String("postgres"))
        return Engine::Postgresql;
    return std::nullopt;
}

QString engineName(Engine engine) {
    switch (engine) {
    case Engine::Sqlite:
        return QStringLiteral("sqlite");
    case Engine::Mariadb:
        return QStringLiteral("mariadb");
    case Engine::Postgresql:
        return QStringLiteral("postgresql");
    }
    return {};
}

std::unique_ptr<BenchDestination> BenchDestination::create(Engine engine, const QString& dir,
                                                           const QString& tag, QString* error) {
    std::unique_ptr<BenchDestination> d(new BenchDestination);
    d->m_engine = engine;
    switch (engine) {
    case Engine::Sqlite:
        d->m_sqlitePath = QDir(dir).filePath(QStringLiteral("%1.sqlite").arg(tag));
        return d;
    case Engine::Mariadb: {
        d->m_mysql = test::mysqlServer();
        if (!d->m_mysql) {
            *error = QStringLiteral(
                "ORS_TEST_MYSQL_HOST/PORT/USER/PASSWORD are not set; start a server with "
                "eval \"$(ORS_MARIADB_DIR=/tmp/ors-bench-db scripts/mariadb-test start env)\"");
            return nullptr;
        }
        const QString name =
            QStringLiteral("ors_test_bench_%1_%2").arg(QCoreApplication::applicationPid()).arg(tag);
        if (QString e = test::recreateMysqlDatabase(*d->m_mysql, name); !e.isEmpty()) {
            *error = QStringLiteral("creating MariaDB database %1: %2").arg(name, e);
            return nullptr;
        }
        d->m_database = name;
        return d;
    }
    case Engine::Postgresql: {
        d->m_postgres = test::postgresServer();
        if (!d->m_postgres) {
            *error =
                QStringLiteral("ORS_TEST_PG_HOST/PORT/USER/PASSWORD/DATABASE are not set; start a server "
                               "with eval \"$(ORS_POSTGRES_DIR=/tmp/ors-bench-pg scripts/postgres-test "
                               "start env)\"");
            return nullptr;
        }
        d->m_postgresDatabase = std::make_unique<test::PostgresTestDatabase>();
        if (QString e = d->m_postgresDatabase->create(*d->m_postgres, QStringLiteral("bench_") + tag);
            !e.isEmpty()) {
            *error = QStringLiteral("creating a PostgreSQL database: %1").arg(e);
            return nullptr;
        }
        return d;
    }
    }
    return nullptr;
}

BenchDestination::~BenchDestination() {
    if (m_engine == Engine::Mariadb && !m_database.isEmpty() &&
        qEnvironmentVariable("ORS_BENCH_KEEP_DATABASES") != QLatin1String("1"))
        (void)test::mysqlExec(*m_mysql, {}, {QStringLiteral("DROP DATABASE IF EXISTS `%1`").arg(m_database)});
}

QJsonObject BenchDestination::config() const {
    QJsonObject c{{QStringLiteral("name"), QStringLiteral("local")}};
    const QString password = QStringLiteral("env:") + kPasswordVariable;
    switch (m_engine) {
    case Engine::Sqlite:
        c.insert(QStringLiteral("type"), QStringLiteral("sqlite"));
        c.insert(QStringLiteral("path"), m_sqlitePath);
        break;
    case Engine::Mariadb:
        c.insert(QStringLiteral("type"), QStringLiteral("mysql"));
        c.insert(QStringLiteral("host"), m_mysql->host);
        c.insert(QStringLiteral("port"), m_mysql->port);
        c.insert(QStringLiteral("database"), m_database);
        c.insert(QStringLiteral("user"), m_mysql->user);
        c.insert(QStringLiteral("password"), password);
        break;
    case Engine::Postgresql:
        c.insert(QStringLiteral("type"), QStringLiteral("postgresql"));
        c.insert(QStringLiteral("host"), m_postgres->host);
        c.insert(QStringLiteral("port"), m_postgres->port);
        c.insert(QStringLiteral("database"), m_postgresDatabase->name);
        c.insert(QStringLiteral("user"), m_postgres->user);
        c.insert(QStringLiteral("password"), password);
        break;
    }
    return c;
}

QProcessEnvironment BenchDestination::env(QProcessEnvironment base) const {
    if (m_mysql)
        base.insert(kPasswordVariable, m_mysql->password);
    if (m_postgres)
        base.insert(kPasswordVariable, m_postgres->password);
    return base;
}

qint64 BenchDestination::count(const QString& table, QString* error) const {
    static int counter = 0;
    const QString name = QStringLiteral("bench-count-%1").arg(++counter);
    qint64 rows = -1;
    {
        QSqlDatabase db;
        switch (m_engine) {
        case Engine::Sqlite:
            db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(m_sqlitePath);
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
            break;
        case Engine::Mariadb:
            db = QSqlDatabase::addDatabase(QStringLiteral("QMYSQL"), name);
            db.setHostName(m_mysql->host);
            db.setPort(m_mysql->port);
            db.setUserName(m_mysql->user);
            db.setPassword(m_mysql->password);
            db.setDatabaseName(m_database);
            break;
        case Engine::Postgresql:
            db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
            db.setHostName(m_postgres->host);
            db.setPort(m_postgres->port);
            db.setUserName(m_postgres->user);
            db.setPassword(m_postgres->password);
            db.setDatabaseName(m_postgresDatabase->name);
            break;
        }
        if (!db.open()) {
            *error = QStringLiteral("%1: cannot open the destination: %2")
                         .arg(engineName(m_engine), db.lastError().text());
        } else {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(quoted(m_engine, table))) &&
                query.next())
                rows = query.value(0).toLongLong();
            else
                *error = QStringLiteral("%1: counting the rows of %2: %3")
                             .arg(engineName(m_engine), table, query.lastError().text());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return rows;
}

QStringList BenchDestination::differences(const fake::FakeResoServer& server, const QString& resource,
                                          const QString& table, const QString& keyField,
                                          const QString& parentKeyColumn,
                                          const QString& parentKeyField) const {
    switch (m_engine) {
    case Engine::Sqlite:
        return test::compareWithServer(server, resource, m_sqlitePath, table, keyField, parentKeyColumn,
                                       parentKeyField);
    case Engine::Mariadb:
        return test::compareWithServerMysql(server, resource, *m_mysql, m_database, table, keyField,
                                            parentKeyColumn, parentKeyField);
    case Engine::Postgresql:
        return test::compareWithServerPostgres(server, resource, *m_postgres, m_postgresDatabase->name, table,
                                               keyField, parentKeyColumn, parentKeyField);
    }
    return {};
}

QStringList BenchDestination::referenceArgs() const {
    switch (m_engine) {
    case Engine::Sqlite:
        return {QStringLiteral("--engine"), QStringLiteral("sqlite"), QStringLiteral("--sqlite"),
                m_sqlitePath};
    case Engine::Mariadb:
        return {QStringLiteral("--engine"), QStringLiteral("mariadb"), QStringLiteral("--database"),
                m_database};
    case Engine::Postgresql:
        return {QStringLiteral("--engine"), QStringLiteral("postgresql"), QStringLiteral("--database"),
                m_postgresDatabase->name};
    }
    return {};
}

} // namespace ors::bench
