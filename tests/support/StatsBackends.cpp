#include "StatsBackends.h"

#include "config/DataDir.h"

#include <QAtomicInt>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace ors::test {

namespace {

QAtomicInt s_connections;

} // namespace

StatsBackend::StatsBackend(StatsBackendKind kind)
    : m_kind(kind) {}

StatsBackend::~StatsBackend() = default;

QString StatsBackend::name() const {
    switch (m_kind) {
    case StatsBackendKind::Sqlite:
        return QStringLiteral("sqlite");
    case StatsBackendKind::Mysql:
        return QStringLiteral("mysql");
    case StatsBackendKind::Postgresql:
        return QStringLiteral("postgresql");
    }
    return {};
}

QString StatsBackend::skipReason() const {
    return m_kind == StatsBackendKind::Postgresql ? postgresSkipReason() : QString();
}

QString StatsBackend::reset() {
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid())
        return QStringLiteral("no temporary directory");
    m_dataDir = m_dir->filePath(QStringLiteral("data"));
    switch (m_kind) {
    case StatsBackendKind::Sqlite:
        m_server.reset();
        return {};
    case StatsBackendKind::Mysql: {
        m_mysql = mysqlServer();
        if (!m_mysql)
            return QStringLiteral(
                "ORS_TEST_MYSQL_HOST/PORT/USER/PASSWORD/DATABASE are not set: this suite needs "
                "a MariaDB server (scripts/mariadb-test)");
        m_mysqlDatabase = std::make_unique<MysqlTestDatabase>();
        if (!m_mysqlDatabase->create(*m_mysql, QStringLiteral("stats")))
            return QStringLiteral("cannot create a MariaDB database for the stats store");
        m_password = m_mysql->password;
        m_server = SqlServerConfig{DestinationType::Mysql,
                                   m_mysql->host,
                                   m_mysql->port,
                                   m_mysqlDatabase->name,
                                   m_mysql->user,
                                   SecretRef{SecretRef::Kind::Literal, m_password},
                                   TlsConfig{TlsMode::Disabled, {}, {}, {}},
                                   {}};
        return {};
    }
    case StatsBackendKind::Postgresql: {
        m_postgres = postgresServer();
        if (!m_postgres)
            return QStringLiteral(
                "ORS_TEST_PG_HOST/PORT/USER/PASSWORD/DATABASE are not set: this suite needs a "
                "PostgreSQL server (scripts/postgres-test)");
        m_postgresDatabase.reset(); // dropped before its successor is made
        m_postgresDatabase = std::make_unique<PostgresTestDatabase>();
        if (QString e = m_postgresDatabase->create(*m_postgres, QStringLiteral("stats")); !e.isEmpty())
            return e;
        m_password = m_postgres->password;
        m_server = SqlServerConfig{DestinationType::Postgresql,
                                   m_postgres->host,
                                   m_postgres->port,
                                   m_postgresDatabase->name,
                                   m_postgres->user,
                                   SecretRef{SecretRef::Kind::Literal, m_password},
                                   TlsConfig{TlsMode::Disabled, {}, {}, {}},
                                   {}};
        return {};
    }
    }
    return {};
}

std::unique_ptr<StatsStore> StatsBackend::store() const {
    return std::make_unique<StatsStore>(m_server, m_dataDir);
}

QJsonObject StatsBackend::configKey(const QString& passwordVariable) const {
    if (!m_server)
        return {};
    QJsonObject tls;
    tls.insert(QStringLiteral("mode"), QStringLiteral("disabled"));
    return QJsonObject{{QStringLiteral("type"), destinationTypeName(m_server->type)},
                       {QStringLiteral("host"), m_server->host},
                       {QStringLiteral("port"), m_server->port},
                       {QStringLiteral("database"), m_server->database},
                       {QStringLiteral("user"), m_server->user},
                       {QStringLiteral("password"), QString(QStringLiteral("env:") + passwordVariable)},
                       {QStringLiteral("tls"), tls}};
}

QProcessEnvironment StatsBackend::withPassword(QProcessEnvironment env,
                                               const QString& passwordVariable) const {
    env.insert(passwordVariable, m_password);
    return env;
}

namespace {

// A connection of the test's own to the place, closed when `use` returns.
template <typename Use>
void withConnection(StatsBackendKind kind, const QString& dataDir,
                    const std::optional<SqlServerConfig>& server, const QString& password, Use use) {
    const QString name = QStringLiteral("stats-backend-%1").arg(s_connections.fetchAndAddRelaxed(1));
    {
        const QString driver = kind == StatsBackendKind::Sqlite  ? QStringLiteral("QSQLITE")
                               : kind == StatsBackendKind::Mysql ? QStringLiteral("QMYSQL")
                                                                 : QStringLiteral("QPSQL");
        QSqlDatabase db = QSqlDatabase::addDatabase(driver, name);
        if (server) {
            db.setHostName(server->host);
            db.setPort(server->port);
            db.setDatabaseName(server->database);
            db.setUserName(server->user);
            db.setPassword(password);
        } else {
            db.setDatabaseName(DataLayout(dataDir).statsDatabase());
        }
        use(db);
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace

QString StatsBackend::exec(const QStringList& statements) {
    QString error;
    withConnection(m_kind, m_dataDir, m_server, m_password, [&](QSqlDatabase& db) {
        if (!db.open()) {
            error = db.lastError().text();
            return;
        }
        for (const QString& sql : statements) {
            QSqlQuery query(db);
            if (!query.exec(sql)) {
                error = query.lastError().text() + QStringLiteral(" in ") + sql;
                return;
            }
        }
    });
    return error;
}

QString StatsBackend::scalar(const QString& sql) {
    QString out;
    withConnection(m_kind, m_dataDir, m_server, m_password, [&](QSqlDatabase& db) {
        if (!db.open())
            return;
        QSqlQuery query(db);
        if (query.exec(sql) && query.next())
            out = query.value(0).toString();
    });
    return out;
}

} // namespace ors::test
