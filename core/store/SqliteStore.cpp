#include "store/SqliteStore.h"

#include "util/PrivateFiles.h"

#include <QAtomicInt>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
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

Expected<void> SqliteStore::open(const QList<Migration>& migrations) {
    // Created 0600 before SQLite opens it: its -wal and -shm files then get the same mode.
    if (auto r = PrivateFiles::createFile(m_path); !r)
        return r;
    m_connectionName = QStringLiteral("ors-%1-%2").arg(m_purpose).arg(s_counter.fetchAndAddRelaxed(1));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=30000"));
    if (!db.open())
        return sqlError(QStringLiteral("opening"), db.lastError().text());
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"}) {
        if (auto r = exec(QString::fromLatin1(pragma)); !r)
            return r;
    }
    if (auto r = exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"));
        !r)
        return r;
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT version FROM schema_version")))
        return sqlError(QStringLiteral("reading schema version"), query.lastError().text());
    if (query.next()) {
        m_version = query.value(0).toInt();
    } else {
        if (auto r = exec(QStringLiteral("INSERT INTO schema_version (version) VALUES (0)")); !r)
            return r;
        m_version = 0;
    }
    query.finish();
    if (m_version > migrations.size())
        return sqlError(QStringLiteral("opening"),
                        QStringLiteral("schema version %1 is newer than this program understands (%2)")
                            .arg(m_version)
                            .arg(migrations.size()));
    // Each step runs in its own transaction, so a crash leaves a consistent version behind.
    while (m_version < migrations.size()) {
        if (!db.transaction())
            return sqlError(QStringLiteral("migrating"), db.lastError().text());
        auto step = migrations.at(m_version)(db);
        if (step)
            step = exec(QStringLiteral("UPDATE schema_version SET version = ?"), {m_version + 1});
        if (!step) {
            db.rollback();
            return step;
        }
        if (!db.commit())
            return sqlError(QStringLiteral("migrating"), db.lastError().text());
        ++m_version;
    }
    return {};
}

} // namespace ors
