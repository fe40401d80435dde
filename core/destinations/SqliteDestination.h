#pragma once

#include "destinations/SqlDestination.h"

#include <QHash>

#include <memory>

struct sqlite3;
struct sqlite3_stmt;

namespace ors {

class SqliteCheckpointer;

// The embedded default. Opened through Qt Sql (QSQLITE) in the calling thread; rows are
// bound through the sqlite3 handle behind that connection, because Qt's per-value QVariant
// binding costs more than SQLite's own work (performance-limits.md).
class SqliteDestination final : public SqlDestination {
public:
    // The writing connection's page cache (PRAGMA cache_size, in KiB); open() says why.
    static constexpr int kCacheKib = 32 * 1024;
    // How long a statement waits for another connection's lock (the QSQLITE connection, the WAL
    // switch, the checkpoint thread alike).
    static constexpr int kBusyTimeoutMs = 30000;
    // How much WAL the writing connection lets grow before it checkpoints; open() says why.
    static constexpr int kCheckpointKib = 64 * 1024;
    // PRAGMA wal_autocheckpoint, in pages, for a file of this page size (in bytes).
    static int checkpointPages(int pageSize);

    SqliteDestination(QString name, QString path);
    ~SqliteDestination() override;

    QString name() const override { return m_name; }
    QString describe() const override { return QStringLiteral("sqlite %1").arg(m_path); }
    Expected<void> open() override;
    void setReadOnly(bool readOnly) override { m_readOnly = readOnly; }
    Expected<qint64> count(const TablePlan& table) override;
    Expected<std::optional<QByteArray>> newestTimestamp(const TablePlan& table) override;
    Expected<QList<KeyRecord>> keysAfter(const TablePlan& table, const std::optional<QByteArray>& afterKey,
                                         int limit, const QStringList& timestampColumns) override;
    Expected<QList<ChildKeyRow>> childKeys(const TablePlan& table, const QString& parentColumn,
                                           const std::optional<QByteArray>& afterParent,
                                           const std::optional<QByteArray>& onlyParent, int limit) override;
    Expected<qint64> purgeKeys(const ResourcePlan& plan, const QList<QByteArray>& keys,
                               const PurgeGuard& guard) override;

    static QString sqlType(ColumnStorage storage);
    static QString quote(const QString& identifier);

private:
    // An error when a table of `columns` columns is wider than the library allows.
    Expected<void> columnLimit(const TablePlan& table, qsizetype columns) const;
    // The dialect SqlDestination's flow runs on.
    Expected<void> refuseWrite(WriteKind) const override { return {}; }
    Expected<void> begin() override;
    Expected<void> commit() override;
    void rollback() override;
    Expected<bool> tableExists(const QString& table) override { return hasTable(table); }
    Expected<void> upsertRows(const TablePlan& table, const TableRows& rows) override;
    Expected<void> replaceChildren(const ChildPlan& child, const ChildRows& rows) override;
    Expected<void> deleteChildren(const ChildPlan& child, const QList<QByteArray>& parentKeys) override;
    Expected<void> deleteParents(const TablePlan& table, const QList<QByteArray>& keys) override;
    Expected<QStringList> readColumns(const TablePlan& table) override;
    Expected<void> createTable(const TablePlan& table) override;
    Expected<void> updateTable(const TablePlan& table, const QList<int>& missing) override;
    Expected<void> ensureIndexes(const TablePlan& table, bool created) override;
    Expected<void> tableChanged(const TablePlan& table) override;
    Expected<void> dropExistingTable(const QString& table) override;

    Expected<void> exec(const QByteArray& sql, const QString& what);
    Expected<sqlite3_stmt*> statement(const QString& key, const QByteArray& sql);
    // One DELETE binding `keys` (then `olderThan`, when it has one more parameter); rows deleted.
    Expected<qint64> runPurgeStatement(const QByteArray& sql, const QList<QByteArray>& keys,
                                       const QByteArray& olderThan, const QString& what);
    QString lastError() const;
    Expected<QStringList> existingColumns(const QString& table);
    Expected<QList<QJsonObject>> readRows(const TablePlan& table, const QString& whereColumn,
                                          const QByteArray& value) override;

    QString m_name;
    QString m_path;
    sqlite3* m_db = nullptr;
    QHash<QString, sqlite3_stmt*> m_statements;
    // Checkpoints the writer's commits on a thread of its own; null when read-only or when it
    // could not open the file (then only SQLite's own checkpoints run).
    std::unique_ptr<SqliteCheckpointer> m_checkpointer;
    bool m_readOnly = false;
    bool m_missing = false; // read-only and the file does not exist yet
    bool hasTable(const QString& table);
};

} // namespace ors
