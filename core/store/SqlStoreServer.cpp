// The server half of SqlStore: connecting to MySQL/MariaDB or PostgreSQL, the session, telling a
// conflict from a lost connection, and creating the schema once when several programs start at once.
#include "store/SqlStore.h"

#include "config/SecretResolver.h"
#include "config/ServerConnection.h"
#include "logging/Redactor.h"

#include <QAtomicInt>
#include <QSqlDriver>
#include <QSqlError>

#include <libpq-fe.h>

namespace ors {

namespace {

QAtomicInt s_serverCounter;

// How long a server that could not be reached is left alone before the next statement tries to
// connect again: a sync writing stats to a dead server loses one connect timeout per this time.
constexpr int kRetryDownMs = 30000;
constexpr int kConnectTimeoutSeconds = 5;
// Creating the schema takes milliseconds; another program holding the lock longer is stuck.
constexpr int kSchemaLockSeconds = 20;

QString quotedIdentifier(const QString& name) {
    return QLatin1Char('"') + QString(name).replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
           QLatin1Char('"');
}

} // namespace

SqlStore::Outcome SqlStore::classify(const QSqlError& error) const {
    const QString code = error.nativeErrorCode();
    switch (m_dialect) {
    case SqlDialect::Sqlite:
        return Outcome::Failed;
    case SqlDialect::Mysql:
        // ER_LOCK_DEADLOCK and ER_LOCK_WAIT_TIMEOUT: the server undid the statement (or the
        // transaction), so doing it again is safe.
        if (code == QLatin1String("1213") || code == QLatin1String("1205"))
            return Outcome::Conflict;
        // Gone away, lost during a query, lost on a read, killed; cannot connect.
        if (code == QLatin1String("2006") || code == QLatin1String("2013") || code == QLatin1String("2055") ||
            code == QLatin1String("1927") || code == QLatin1String("4031") || code == QLatin1String("2002") ||
            code == QLatin1String("2003"))
            return Outcome::ConnectionLost;
        return Outcome::Failed;
    case SqlDialect::Postgresql:
        // serialization_failure, deadlock_detected, lock_not_available (lock_timeout).
        if (code == QLatin1String("40001") || code == QLatin1String("40P01") ||
            code == QLatin1String("55P03"))
            return Outcome::Conflict;
        if (code.startsWith(QLatin1String("08")) || code == QLatin1String("57P01") ||
            code == QLatin1String("57P02") || code == QLatin1String("57P03"))
            return Outcome::ConnectionLost;
        if (code.isEmpty()) {
            // libpq lost the connection itself: no SQLSTATE, and the connection says so.
            const QVariant handle = database().driver() ? database().driver()->handle() : QVariant();
            if (handle.isValid() &&
                (qstrcmp(handle.typeName(), "PGconn*") == 0 || qstrcmp(handle.typeName(), "pg_conn*") == 0)) {
                PGconn* pg = *static_cast<PGconn* const*>(handle.constData());
                if (!pg || PQstatus(pg) == CONNECTION_BAD)
                    return Outcome::ConnectionLost;
            }
        }
        return Outcome::Failed;
    }
    return Outcome::Failed;
}

Expected<void> SqlStore::openServer(const SqlServerConfig& server, const QString& keyPath,
                                    const ServerSchema& schema) {
    m_dialect = server.type == DestinationType::Postgresql ? SqlDialect::Postgresql : SqlDialect::Mysql;
    m_server = server;
    m_keyPath = keyPath;
    m_where = server.describe();
    if (server.password.isSet()) {
        auto resolved = SecretResolver::resolve(server.password, keyPath + QStringLiteral(".password"));
        if (!resolved)
            return resolved.error();
        m_password = *resolved;
        Redactor::addSecret(m_password);
    }
    if (auto r = connectServer(); !r)
        return r;
    return migrateServer(schema);
}

Expected<void> SqlStore::ensureConnected() {
    if (!m_lost)
        return {};
    if (!m_retryConnect.hasExpired())
        return sqlError(
            QStringLiteral("connecting"),
            QStringLiteral("the server could not be reached moments ago (%1); it is asked again %2 s "
                           "after that")
                .arg(m_lostReason)
                .arg(kRetryDownMs / 1000));
    closeConnection();
    m_lost = false; // the session setup's own statements run on the new connection
    if (auto r = connectServer(); !r) {
        m_lost = true;
        m_retryConnect.setRemainingTime(kRetryDownMs);
        m_lostReason = r.errorMessage();
        return r;
    }
    return {};
}

Expected<void> SqlStore::connectServer() {
    // The connection is removed only once no QSqlDatabase handle of it is left (openConnection's).
    auto connected = openConnection();
    if (connected)
        connected = setUpSession();
    if (!connected)
        closeConnection();
    return connected;
}

Expected<void> SqlStore::openConnection() {
    const bool mysql = m_dialect == SqlDialect::Mysql;
    const QString driver = mysql ? QStringLiteral("QMYSQL") : QStringLiteral("QPSQL");
    m_connectionName = QStringLiteral("ors-%1-%2").arg(m_purpose).arg(s_serverCounter.fetchAndAddRelaxed(1));
    QSqlDatabase db = QSqlDatabase::addDatabase(driver, m_connectionName);
    if (!db.isValid())
        return sqlError(
            QStringLiteral("connecting"),
            QStringLiteral("Qt's %1 driver is not installed (Debian/Ubuntu package %2)")
                .arg(driver, mysql ? QStringLiteral("libqt6sql6-mysql") : QStringLiteral("libqt6sql6-psql")));
    const ServerConnection::Address address = ServerConnection::addressOf(m_server);
    if (mysql && address.tls.mode == TlsMode::VerifyIdentity)
        if (auto r = ServerConnection::verifyMysqlIdentity(address, m_password, kConnectTimeoutSeconds); !r)
            return sqlError(QStringLiteral("connecting"), r.errorMessage());
    ServerConnection::setAddress(db, address, m_password);
    QStringList options;
    if (mysql) {
        // Short timeouts: a stats server that does not answer must not hold up a sync for long.
        options << QStringLiteral("MYSQL_OPT_CONNECT_TIMEOUT=%1").arg(kConnectTimeoutSeconds)
                << QStringLiteral("MYSQL_OPT_READ_TIMEOUT=30") << QStringLiteral("MYSQL_OPT_WRITE_TIMEOUT=30")
                << ServerConnection::mysqlTlsOptions(address.tls);
    } else {
        // Keepalives and tcp_user_timeout end a statement on a connection whose server vanished
        // instead of waiting for TCP's own minutes.
        options << QStringLiteral("connect_timeout=%1").arg(kConnectTimeoutSeconds)
                << QStringLiteral("application_name=openresync") << QStringLiteral("keepalives=1")
                << QStringLiteral("keepalives_idle=15") << QStringLiteral("keepalives_interval=5")
                << QStringLiteral("keepalives_count=3") << QStringLiteral("tcp_user_timeout=30000")
                << ServerConnection::postgresTlsOptions(address.tls);
    }
    db.setConnectOptions(options.join(QLatin1Char(';')));
    if (!db.open()) {
        const QSqlError error = db.lastError();
        // libpq's message spans lines; one line reads better in a log and a warning.
        const QString text =
            (error.databaseText().isEmpty() ? error.text() : error.databaseText()).simplified();
        return sqlError(
            QStringLiteral("connecting"),
            QStringLiteral("cannot connect to %1:%2: %3").arg(m_server.host).arg(m_server.port).arg(text));
    }
    return {};
}

Expected<void> SqlStore::setUpSession() {
    QSqlDatabase db = database();
    if (m_dialect == SqlDialect::Mysql) {
        const TlsMode mode = m_server.tls.mode;
        if (mode != TlsMode::Disabled && mode != TlsMode::Preferred &&
            ServerConnection::mysqlCipher(db).isEmpty())
            return sqlError(QStringLiteral("connecting"),
                            ServerConnection::tlsRefused(ServerConnection::addressOf(m_server)));
        // ANSI_QUOTES: one statement text serves all three dialects ("condition" is a reserved
        // word in MySQL). Strict: a value that does not fit is an error, never silently cut.
        // A short lock wait: a conflict comes back soon and is retried (run, inTransaction).
        return exec(
            QStringLiteral("SET NAMES utf8mb4, SESSION sql_mode = "
                           "'ANSI_QUOTES,STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00', "
                           "innodb_lock_wait_timeout = 10"),
            {}, QStringLiteral("session setup"));
    }
    for (const char* setting :
         {"SET client_encoding = 'UTF8'", "SET TimeZone = 'UTC'", "SET lock_timeout = '20s'"})
        if (auto r = exec(QString::fromLatin1(setting), {}, QStringLiteral("session setup")); !r)
            return r;
    if (m_server.schema.isEmpty()) {
        auto current =
            run(QStringLiteral("SELECT current_schema()"), {}, QStringLiteral("reading the current schema"));
        if (!current)
            return current.error();
        if (!current->next() || current->value(0).isNull())
            return sqlError(
                QStringLiteral("connecting"),
                QStringLiteral("no schema of the search_path exists in database %1; create one or "
                               "name one with the \"%2.schema\" key")
                    .arg(m_server.database, m_keyPath));
        return {};
    }
    // A schema named in the configuration is never created: a misspelt name would otherwise start
    // a second, empty history beside the one the other instances write.
    auto found = run(QStringLiteral("SELECT 1 FROM pg_namespace WHERE nspname = ?"), {m_server.schema},
                     QStringLiteral("looking for schema %1").arg(m_server.schema));
    if (!found)
        return found.error();
    if (!found->next())
        return sqlError(
            QStringLiteral("connecting"),
            QStringLiteral("schema \"%1\" does not exist in database %2; create it (CREATE SCHEMA %3) "
                           "or correct the \"%4.schema\" key")
                .arg(m_server.schema, m_server.database, quotedIdentifier(m_server.schema), m_keyPath));
    return exec(QStringLiteral("SET search_path TO %1").arg(quotedIdentifier(m_server.schema)), {},
                QStringLiteral("session setup"));
}

Expected<void> SqlStore::migrateServer(const ServerSchema& schema) {
    // Two programs starting at once against an empty database would both see no version table and
    // both create the schema: the lock makes the second wait and then find it made.
    const QString lockName =
        QStringLiteral("openresync.%1.%2")
            .arg(m_server.database, m_server.schema.isEmpty() ? schema.versionTable : m_server.schema)
            .left(64);
    if (m_dialect == SqlDialect::Postgresql) {
        return inTransaction(QStringLiteral("creating the schema"), [&]() -> Expected<void> {
            if (auto r = exec(QStringLiteral("SELECT pg_advisory_xact_lock(hashtext(?))"), {lockName},
                              QStringLiteral("waiting for the schema lock"));
                !r)
                return r;
            return migrateServerLocked(schema);
        });
    }
    auto locked = run(QStringLiteral("SELECT GET_LOCK(?, ?)"), {lockName, kSchemaLockSeconds},
                      QStringLiteral("waiting for the schema lock"));
    if (!locked)
        return locked.error();
    if (!locked->next() || locked->value(0).toInt() != 1)
        return sqlError(QStringLiteral("creating the schema"),
                        QStringLiteral("another program held the lock \"%1\" for more than %2 s")
                            .arg(lockName)
                            .arg(kSchemaLockSeconds));
    locked->finish();
    Expected<void> migrated = migrateServerLocked(schema);
    (void)exec(QStringLiteral("SELECT RELEASE_LOCK(?)"), {lockName},
               QStringLiteral("releasing the schema lock"));
    return migrated;
}

Expected<void> SqlStore::migrateServerLocked(const ServerSchema& schema) {
    const bool mysql = m_dialect == SqlDialect::Mysql;
    const QString tablesHere =
        mysql ? QStringLiteral(
                    "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                    "AND TABLE_NAME IN (%1)")
              : QStringLiteral("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND "
                               "tablename IN (%1)");
    const auto existing = [&](const QStringList& names) -> Expected<QStringList> {
        QStringList marks;
        QVariantList values;
        for (const QString& name : names) {
            marks << QStringLiteral("?");
            values << name;
        }
        auto query =
            run(tablesHere.arg(marks.join(QStringLiteral(", "))), values, QStringLiteral("listing tables"));
        if (!query)
            return query.error();
        QStringList found;
        while (query->next())
            found << query->value(0).toString();
        found.sort();
        return found;
    };
    auto versioned = existing({schema.versionTable});
    if (!versioned)
        return versioned.error();
    if (versioned->isEmpty()) {
        // First contact: tables of these names that are already there belong to something else, and
        // CREATE TABLE IF NOT EXISTS would quietly take them over.
        auto clashes = existing(schema.tables);
        if (!clashes)
            return clashes.error();
        if (!clashes->isEmpty())
            return sqlError(
                QStringLiteral("creating the schema"),
                QStringLiteral("the database already holds table(s) %1 that OpenReSync did not create; "
                               "give the stats store a database%2 of its own")
                    .arg(clashes->join(QStringLiteral(", ")),
                         mysql ? QString() : QStringLiteral(" or schema (\"%1.schema\")").arg(m_keyPath)));
    }
    auto version = readVersion(schema.versionTable);
    if (!version)
        return version.error();
    m_version = *version;
    const auto known = qsizetype(schema.migrations.size());
    if (m_version > known)
        return sqlError(
            QStringLiteral("opening"),
            QStringLiteral("schema version %1 is newer than this program understands (%2); another "
                           "instance runs a newer OpenReSync")
                .arg(m_version)
                .arg(known));
    for (; m_version < known; ++m_version)
        if (auto r = migrate(m_version + 1, schema.migrations[size_t(m_version)], schema.versionTable); !r)
            return r;
    return {};
}

} // namespace ors
