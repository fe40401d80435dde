#include "store/SqlStore.h"

#include "logging/Redactor.h"
#include "util/PrivateFiles.h"

#include <QAtomicInt>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSqlError>
#include <QThread>

#include <algorithm>

namespace ors {

namespace {

QAtomicInt s_counter;

// A pause before trying again what the server rolled back for a conflict: growing, with jitter so
// that two programs that met once do not meet again at the same moment.
void pauseBeforeAttempt(int attempt) {
    const int base = std::min(20 << attempt, 1000);
    const auto jitter = QRandomGenerator::global()->bounded(base);
    QThread::msleep(static_cast<unsigned long>(base) + static_cast<unsigned long>(jitter));
}

} // namespace

SqlStore::SqlStore(QString purpose)
    : m_purpose(std::move(purpose)) {}

SqlStore::~SqlStore() {
    closeConnection();
}

void SqlStore::closeConnection() {
    if (m_connectionName.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

QSqlDatabase SqlStore::database() const {
    return QSqlDatabase::database(m_connectionName, false);
}

Error SqlStore::sqlError(const QString& what, const QString& detail) const {
    return makeError(
        Redactor::redact(QStringLiteral("%1 %2: %3 failed: %4").arg(m_purpose, m_where, what, detail)));
}

QString SqlStore::onConflictUpdate(const QString& keys) const {
    if (m_dialect == SqlDialect::Mysql)
        return QStringLiteral("ON DUPLICATE KEY UPDATE");
    return QStringLiteral("ON CONFLICT (%1) DO UPDATE SET").arg(keys);
}

QString SqlStore::incoming(const QString& column) const {
    if (m_dialect == SqlDialect::Mysql)
        return QStringLiteral("VALUES(%1)").arg(column);
    return QStringLiteral("excluded.") + column;
}

QString SqlStore::greatest(const QString& a, const QString& b) const {
    return QStringLiteral("%1(%2, %3)")
        .arg(m_dialect == SqlDialect::Sqlite ? QStringLiteral("MAX") : QStringLiteral("GREATEST"), a, b);
}

Expected<QSqlQuery> SqlStore::runOnce(const QString& sql, const QVariantList& values, const QString& what,
                                      Outcome& outcome) {
    outcome = Outcome::Done;
    if (auto connected = ensureConnected(); !connected) {
        outcome = Outcome::Failed;
        return connected.error();
    }
    QSqlQuery query(database());
    const bool ok = [&] {
        // Without values the text goes as it is: PostgreSQL cannot PREPARE a SET.
        if (values.isEmpty())
            return query.exec(sql);
        if (!query.prepare(sql))
            return false;
        for (const QVariant& value : values)
            query.addBindValue(value);
        return query.exec();
    }();
    if (ok)
        return query;
    const QSqlError error = query.lastError();
    outcome = classify(error);
    if (outcome == Outcome::Conflict)
        m_lastConflict = true;
    const QString text = error.text();
    if (outcome == Outcome::ConnectionLost) {
        // The next statement connects again (at most once in a while, see ensureConnected).
        m_lost = true;
        m_lostReason = text;
    }
    return sqlError(what.isEmpty() ? sql.left(80) : what, text);
}

Expected<QSqlQuery> SqlStore::run(const QString& sql, const QVariantList& values, const QString& what) {
    for (int attempt = 0;; ++attempt) {
        Outcome outcome = Outcome::Done;
        auto query = runOnce(sql, values, what, outcome);
        // Inside a transaction the whole transaction is what is tried again (inTransaction).
        if (outcome != Outcome::Conflict || m_inTransaction || attempt + 1 >= kAttempts)
            return query;
        pauseBeforeAttempt(attempt);
    }
}

Expected<void> SqlStore::exec(const QString& sql, const QVariantList& values, const QString& what) {
    auto query = run(sql, values, what);
    if (!query)
        return query.error();
    return {};
}

Expected<void> SqlStore::inTransaction(const QString& what, const std::function<Expected<void>()>& work) {
    for (int attempt = 0;; ++attempt) {
        if (auto connected = ensureConnected(); !connected)
            return connected.error();
        QSqlDatabase db = database();
        if (!db.transaction())
            return sqlError(what, db.lastError().text());
        m_inTransaction = true;
        Expected<void> done = work();
        bool conflict = false;
        if (done && !db.commit()) {
            conflict = classify(db.lastError()) == Outcome::Conflict;
            done = sqlError(what, db.lastError().text());
        }
        if (!done) {
            conflict = conflict || m_lastConflict;
            db.rollback();
        }
        m_inTransaction = false;
        m_lastConflict = false;
        if (done || !conflict || attempt + 1 >= kAttempts)
            return done;
        pauseBeforeAttempt(attempt);
    }
}

Expected<void> SqlStore::openSqlite(const QString& path, std::span<const Migration> migrations) {
    m_dialect = SqlDialect::Sqlite;
    m_where = path;
    // Created 0600 before SQLite opens it: its -wal and -shm files then get the same mode.
    if (auto r = PrivateFiles::createFile(path); !r)
        return r;
    m_connectionName = QStringLiteral("ors-%1-%2").arg(m_purpose).arg(s_counter.fetchAndAddRelaxed(1));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=30000"));
    if (!db.open())
        return sqlError(QStringLiteral("opening"), db.lastError().text());
    // Switching a new file to WAL needs an exclusive lock, and SQLite answers "database is
    // locked" at once instead of calling the busy handler while another connection holds it (jobs
    // of several sources opening a new store together): retry for as long as the busy timeout.
    QElapsedTimer waited;
    waited.start();
    for (int attempt = 0;; ++attempt) {
        auto r = exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        if (r)
            break;
        if (!r.errorMessage().contains(QStringLiteral("locked")) || waited.elapsed() > 30000)
            return r;
        QThread::msleep(std::min(5 + attempt * 5, 100));
    }
    if (auto r = exec(QStringLiteral("PRAGMA synchronous=FULL")); !r)
        return r;
    // The version is read and the migrations run under one write lock (BEGIN IMMEDIATE waits
    // for the busy timeout): jobs of two sources opening a new state.sqlite at once would
    // otherwise both see version 0 and both create the tables.
    if (auto r = exec(QStringLiteral("BEGIN IMMEDIATE")); !r)
        return r;
    auto migrated = [&]() -> Expected<void> {
        const QString versionTable = QStringLiteral("schema_version");
        auto version = readVersion(versionTable);
        if (!version)
            return version.error();
        m_version = *version;
        const auto known = qsizetype(migrations.size());
        if (m_version > known)
            return sqlError(QStringLiteral("opening"),
                            QStringLiteral("schema version %1 is newer than this program understands (%2)")
                                .arg(m_version)
                                .arg(known));
        for (; m_version < known; ++m_version) {
            if (auto r = migrate(m_version + 1, migrations[size_t(m_version)], versionTable); !r)
                return r;
        }
        return {};
    }();
    if (!migrated) {
        (void)exec(QStringLiteral("ROLLBACK"));
        return migrated;
    }
    return exec(QStringLiteral("COMMIT"));
}

Expected<int> SqlStore::readVersion(const QString& versionTable) {
    if (auto r = exec(
            QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (version INTEGER NOT NULL)").arg(versionTable));
        !r)
        return r.error();
    auto query = run(QStringLiteral("SELECT version FROM %1").arg(versionTable), {},
                     QStringLiteral("reading schema version"));
    if (!query)
        return query.error();
    if (query->next())
        return query->value(0).toInt();
    query->finish();
    if (auto r = exec(QStringLiteral("INSERT INTO %1 (version) VALUES (0)").arg(versionTable)); !r)
        return r.error();
    return 0;
}

// SQLite and PostgreSQL run this inside the opening's transaction: a failing step rolls back every
// step of this opening. MySQL commits each DDL statement by itself, which is why its statements
// are all "IF NOT EXISTS": a step cut off halfway is completed by the next opening.
Expected<void> SqlStore::migrate(int to, Migration statements, const QString& versionTable) {
    const QString what = QStringLiteral("migration to schema version %1").arg(to);
    for (const char* sql : statements) {
        QSqlQuery query(database());
        if (!query.exec(QString::fromLatin1(sql)))
            return sqlError(what, QStringLiteral("%1 (in: %2)")
                                      .arg(query.lastError().text(), QString::fromLatin1(sql).left(60)));
    }
    return exec(QStringLiteral("UPDATE %1 SET version = ?").arg(versionTable), {to});
}

} // namespace ors
