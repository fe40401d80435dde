#include "store/SqliteStore.h"

#include "util/PrivateFiles.h"

#include <algorithm>
#include <QAtomicInt>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>

namespace ors {

namespace {
QAtomicInt s_counter;
}

SqliteStore::SqliteStore(QString path, QString purpose)
    : m_path(std::move(path))
    , m_purpose(std::move(purpose)) {}

SqliteStore::~SqliteStore() {
    if (m_connectionName.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlDatabase SqliteStore::database() const {
    return QSqlDatabase::database(m_connectionName, false);
}

Error SqliteStore::sqlError(const QString& what, const QString& detail) const {
    return makeError(QStringLiteral("%1 %2: %3 failed: %4").arg(m_purpose, m_path, what, detail));
}

Expected<void> SqliteStore::exec(const QString& sql, const QVariantList& values) {
    QSqlQuery query(database());
    if (!query.prepare(sql))
        return sqlError(sql.left(80), query.lastError().text());
    for (const QVariant& v : values)
        query.addBindValue(v);
    if (!query.exec())
        return sqlError(sql.left(80), query.lastError().text());
    return {};
}

Expected<void> SqliteStore::open(std::span<const Migration> migrations) {
    // Created 0600 before SQLite opens it: its -wal and -shm files then get the same mode.
    if (auto r = PrivateFiles::createFile(m_path); !r)
        return r;
    m_connectionName = QStringLiteral("ors-%1-%2").arg(m_purpose).arg(s_counter.fetchAndAddRelaxed(1));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(m_path);
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
        auto version = readVersion();
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
            if (auto r = migrate(m_version + 1, migrations[size_t(m_version)]); !r)
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

Expected<int> SqliteStore::readVersion() {
    if (auto r = exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"));
        !r)
        return r.error();
    QSqlQuery query(database());
    if (!query.exec(QStringLiteral("SELECT version FROM schema_version")))
        return sqlError(QStringLiteral("reading schema version"), query.lastError().text());
    if (query.next())
        return query.value(0).toInt();
    query.finish();
    if (auto r = exec(QStringLiteral("INSERT INTO schema_version (version) VALUES (0)")); !r)
        return r.error();
    return 0;
}

// Runs inside open()'s transaction: a failing step rolls back every step of this opening.
Expected<void> SqliteStore::migrate(int to, Migration statements) {
    QSqlDatabase db = database();
    const QString what = QStringLiteral("migration to schema version %1").arg(to);
    for (const char* sql : statements) {
        QSqlQuery query(db);
        if (!query.exec(QString::fromLatin1(sql)))
            return sqlError(what, QStringLiteral("%1 (in: %2)")
                                      .arg(query.lastError().text(), QString::fromLatin1(sql).left(60)));
    }
    return exec(QStringLiteral("UPDATE schema_version SET version = ?"), {to});
}

} // namespace ors
