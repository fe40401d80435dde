#pragma once

#include "destinations/SqlDestination.h"

#include <QByteArray>
#include <QHash>
#include <QString>

struct st_mysql;

namespace ors {

// How one column of a MySQL/MariaDB table is declared, and what it costs in the server's
// 65,535-byte row (BLOB/TEXT columns count only their pointer there).
struct MysqlColumnType {
    QString sql;                  // e.g. "VARCHAR(50)", "DECIMAL(14,2)", "MEDIUMTEXT"
    int rowBytes = 0;             // bytes counted against the server's row size limit
    int varcharChars = 0;         // > 0 for VARCHAR(n)
    bool binaryCollation = false; // keys and parent keys compare byte for byte
};

// DECIMAL(precision, scale) for an Edm.Decimal field, within MySQL's DECIMAL(65,30).
struct MysqlDecimalShape {
    int precision = 65;
    int scale = 30;
};
MysqlDecimalShape mysqlDecimalShape(const Field& field);

// What the destination knows about an existing column, read from information_schema.
struct MysqlColumnInfo {
    QString dataType; // lower case, e.g. "varchar", "decimal"
    int precision = 0;
    int scale = 0;
};

// MySQL / MariaDB through Qt Sql (QMYSQL): one named connection per thread and instance, opened
// in open() in the calling thread. The session is utf8mb4, UTC and strict. Rows are written as
// multi-row `INSERT ... ON DUPLICATE KEY UPDATE` text escaped by the client library itself
// (mysql_real_escape_string on the MYSQL* behind the Qt connection), because Qt's per-value
// binding costs more than the server's own work (performance-limits.md).
class MysqlDestination final : public SqlDestination {
public:
    // How a column's values are written into SQL text.
    enum class ValueKind { Integer, Decimal, Real, Timestamp, Text };
    struct ColumnWriter {
        ValueKind kind = ValueKind::Text;
        MysqlDecimalShape shape; // of the column as it exists, for decimals
        QString sqlType;         // for messages
    };

    // sourceName only names the password's place in messages.
    MysqlDestination(DestinationConfig config, QString sourceName);
    ~MysqlDestination() override;
    MysqlDestination(const MysqlDestination&) = delete;
    MysqlDestination& operator=(const MysqlDestination&) = delete;

    QString name() const override { return m_config.name; }
    QString describe() const override;
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

    // The declared type of every column of `table` as ensureSchema creates it: keys and indexed
    // columns VARCHAR, and the widest other VARCHARs turned into TEXT until the row fits the
    // server's 65,535-byte limit.
    static QList<MysqlColumnType> columnTypes(const TablePlan& table);
    static QByteArray quote(const QString& identifier);

    // Diagnostics (and tests): a session variable of the destination's own connection.
    Expected<QString> sessionVariable(const QString& name);
    // Diagnostics (and tests): one statement on the destination's own connection, as writes are
    // sent; "SELECT 1; SELECT 2" fails, since the connection refuses multi-statements.
    Expected<void> runStatement(const QByteArray& sql);
    // Bytes one statement may hold: min(max_allowed_packet / 2, 4 MB) unless set lower.
    qsizetype statementLimit() const { return m_statementLimit; }
    // The TLS cipher of the connection, empty when it is not encrypted.
    QString tlsCipher() const { return m_tlsCipher; }
    void setStatementLimit(qsizetype bytes);
    qsizetype largestStatement() const { return m_largestStatement; }
    qint64 statementsSent() const { return m_statementsSent; }

private:
    struct TableInfo {
        QHash<QString, MysqlColumnInfo> columns; // by lower-case name
        int rowBytes = 0;                        // against the server's 65,535-byte row limit
    };

    // The dialect SqlDestination's flow runs on.
    Expected<void> refuseWrite(WriteKind kind) const override;
    Expected<void> begin() override;
    Expected<void> commit() override;
    void rollback() override;
    Expected<bool> tableExists(const QString& table) override;
    Expected<void> upsertRows(const TablePlan& table, const TableRows& rows) override;
    Expected<void> deleteChildren(const ChildPlan& child, const QList<QByteArray>& parentKeys) override;
    Expected<void> deleteParents(const TablePlan& table, const QList<QByteArray>& keys) override;
    Expected<QStringList> readColumns(const TablePlan& table) override;
    Expected<void> createTable(const TablePlan& table) override;
    Expected<void> addColumns(const TablePlan& table, const QList<int>& missing) override;
    Expected<void> ensureIndexes(const TablePlan& table, bool created) override;
    Expected<void> tableChanged(const TablePlan& table) override;
    Expected<void> dropExistingTable(const QString& table) override;

    Expected<void> connectSession();
    Expected<void> verifyServerIdentity(const QString& password);
    Expected<void> query(const QByteArray& sql, const QString& what);
    QString columnDefinition(const MysqlColumnType& type) const;
    Expected<void> loadTableInfo(const QString& table, TableInfo* info, bool* exists);
    Expected<const TableInfo*> tableInfo(const TablePlan& table);
    // What the read commands can read of `table` by `column`: nothing (nullopt) while the
    // database or the table is missing or the column has not been added yet.
    Expected<std::optional<TableInfo>> readableTable(const TablePlan& table, const QString& column);
    // `condition` (SQL, may be empty) is ANDed to every statement; `affected` adds up the rows.
    Expected<void> deleteWhereIn(const TablePlan& table, const QString& column, const QList<QByteArray>& keys,
                                 const QString& what, const QByteArray& condition = {},
                                 qint64* affected = nullptr);
    QList<ColumnWriter> writersFor(const TablePlan& table, const TableInfo& info) const;
    Expected<void> appendRow(QByteArray& sql, const TablePlan& table, const QList<ColumnWriter>& writers,
                             const Row& row) const;
    Expected<void> execute(const TablePlan& table, const QByteArray& sql, const QList<const Row*>& rows,
                           const QByteArray& header, const QByteArray& trailer,
                           const QList<ColumnWriter>& writers);
    Error statementError(const TablePlan& table, const Row* row, unsigned code, const QString& message) const;
    Error rowError(const TablePlan& table, const Row* row, unsigned code, const QString& message);
    static bool rowLevel(unsigned code);
    static QString keyText(const TablePlan& table, const Row& row);
    Error serverError(const QString& what) const;
    static bool connectionLost(unsigned code);
    static bool transactionLost(unsigned code);
    QString where() const;
    Expected<QList<QJsonObject>> readRows(const TablePlan& table, const QString& whereColumn,
                                          const QByteArray& value) override;
    void appendEscaped(QByteArray& out, const char* data, qsizetype size) const;

    DestinationConfig m_config;
    QString m_sourceName;
    st_mysql* m_mysql = nullptr;
    bool m_readOnly = false;
    bool m_missing = false; // read-only and the database does not exist
    QString m_tlsCipher;
    QString m_keyCollation = QStringLiteral("utf8mb4_bin");
    qsizetype m_maxPacket = 0;
    qsizetype m_statementLimit = 0;
    qsizetype m_largestStatement = 0;
    qint64 m_statementsSent = 0;
    QHash<QString, TableInfo> m_tables;
    TableInfo m_shape; // the table ensureSchema is working on, as readColumns found it
};

} // namespace ors
