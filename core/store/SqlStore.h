#pragma once

#include "config/Config.h"
#include "util/Expected.h"

#include <QDeadlineTimer>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <functional>
#include <span>

namespace ors {

enum class SqlDialect { Sqlite, Mysql, Postgresql };

// A small versioned database owned by one thread: a SQLite file (the state store, and the stats
// store by default) or a MySQL/MariaDB or PostgreSQL database that several programs on several
// machines share (the stats store under the configuration's "stats" key). It carries a schema
// version and migrates forward when opened; statements go through run/exec, which retry what the
// server rolled back for a conflict (deadlock, lock wait timeout, serialization failure).
class SqlStore {
public:
    // The SQL statements that take the schema from one version to the next, run in order.
    using Migration = std::span<const char* const>;

    // How often a statement or transaction the server rolled back for a conflict is tried in all.
    static constexpr int kAttempts = 6;

    virtual ~SqlStore();
    SqlStore(const SqlStore&) = delete;
    SqlStore& operator=(const SqlStore&) = delete;

    QSqlDatabase database() const;
    SqlDialect dialect() const { return m_dialect; }
    int schemaVersion() const { return m_version; }
    // What messages name: the SQLite file's path, or "mysql user@host:port/database".
    const QString& where() const { return m_where; }

    // One statement with `values` bound in order; the query, positioned before its first row.
    // Outside a transaction a conflict is retried; a lost connection is reconnected for the next
    // statement (this one is not repeated: the server may have done it).
    Expected<QSqlQuery> run(const QString& sql, const QVariantList& values = {}, const QString& what = {});
    Expected<void> exec(const QString& sql, const QVariantList& values = {}, const QString& what = {});
    // `work` in one transaction, committed when it succeeds and rolled back when it fails; the whole
    // of it is done again when the server rolled it back for a conflict.
    Expected<void> inTransaction(const QString& what, const std::function<Expected<void>()>& work);

    // The few places the dialects' SQL differs, for statements written once for all three:
    // "ON CONFLICT (keys) DO UPDATE SET" or MySQL's "ON DUPLICATE KEY UPDATE";
    QString onConflictUpdate(const QString& keys) const;
    // the value the conflicting INSERT brought for `column` (excluded.c, or VALUES(c));
    QString incoming(const QString& column) const;
    // the larger of two values (SQLite's two-argument MAX, GREATEST elsewhere).
    QString greatest(const QString& a, const QString& b) const;

    Error sqlError(const QString& what, const QString& detail) const;

protected:
    explicit SqlStore(QString purpose);

    // migrations[i] takes the schema from version i to i + 1, in one transaction with the new
    // version number, so a crash leaves a whole version behind. A database of a version newer than
    // migrations.size() is refused: an older program must not write to a schema it does not know.
    Expected<void> openSqlite(const QString& path, std::span<const Migration> migrations);

    // What a server store is made of: its version table and the tables its migrations create,
    // which must not exist before it does (another program's tables of those names).
    struct ServerSchema {
        QString versionTable;
        QStringList tables;
        std::span<const Migration> migrations;
    };
    // Connects (TLS as configured, secrets resolved here and never in messages) and migrates
    // under a server-wide lock (GET_LOCK, pg_advisory_xact_lock), so programs starting at once
    // against an empty database create the schema once. `keyPath` names the configuration key.
    Expected<void> openServer(const SqlServerConfig& server, const QString& keyPath,
                              const ServerSchema& schema);

private:
    enum class Outcome { Done, Conflict, ConnectionLost, Failed };
    Outcome classify(const QSqlError& error) const;
    Expected<QSqlQuery> runOnce(const QString& sql, const QVariantList& values, const QString& what,
                                Outcome& outcome);
    Expected<void> connectServer();
    Expected<void> openConnection();
    Expected<void> setUpSession();
    Expected<void> migrateServer(const ServerSchema& schema);
    Expected<void> migrateServerLocked(const ServerSchema& schema);
    Expected<int> readVersion(const QString& versionTable);
    Expected<void> migrate(int to, Migration statements, const QString& versionTable);
    // After a lost connection: a new one for the next statement, at most once in kRetryDownMs.
    Expected<void> ensureConnected();
    void closeConnection();

    QString m_purpose;
    QString m_where;
    QString m_connectionName;
    SqlDialect m_dialect = SqlDialect::Sqlite;
    int m_version = 0;
    bool m_inTransaction = false;
    bool m_lastConflict = false; // a statement of the running transaction met a conflict
    // A server store's connection: kept to reconnect after a lost connection.
    SqlServerConfig m_server;
    QString m_keyPath;
    QString m_password;
    bool m_lost = false;
    QDeadlineTimer m_retryConnect; // while not expired, a lost server is not asked again
    QString m_lostReason;
};

} // namespace ors
