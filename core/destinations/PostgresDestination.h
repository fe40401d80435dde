#pragma once

#include "destinations/SqlDestination.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QHash>
#include <QString>

#include <optional>

struct pg_conn;
struct pg_result;

namespace ors {

// How one column of a PostgreSQL table is declared.
struct PostgresColumnType {
    QString sql;            // e.g. "varchar(50)", "numeric(14,2)", "timestamptz"
    int varcharChars = 0;   // > 0 for varchar(n)
    bool byteOrder = false; // keys and parent keys: COLLATE "C", so comparisons and ORDER BY are byte order
};

// numeric(precision, scale) for an Edm.Decimal with both facets; nullopt for an unconstrained
// numeric (no facets, or a precision with variable scale: any digits, exactly).
struct PostgresDecimalShape {
    int precision = 0;
    int scale = 0;
};
std::optional<PostgresDecimalShape> postgresDecimalShape(const Field& field);

// What the destination knows about an existing column, read from pg_catalog.
struct PostgresColumnInfo {
    QString typeName;     // pg_type.typname: "varchar", "numeric", "timestamptz", "int4", ...
    int varcharChars = 0; // varchar(n): n
    std::optional<PostgresDecimalShape> decimal; // numeric(p,s); nullopt when unconstrained
};

// PostgreSQL through Qt Sql (QPSQL): the connection is opened by Qt's driver, and statements run
// on the PGconn behind it through libpq, as MySQL's run on the MYSQL handle: rows are written as
// multi-row `INSERT ... ON CONFLICT (key) DO UPDATE` text whose values are escaped by libpq
// (PQescapeStringConn), because Qt's per-value binding costs more than the server's own work and
// a statement of literals has no 65,535-parameter limit. Every statement goes through
// PQexecParams, whose extended protocol refuses a second statement in the text. Tables live in
// the connection's current schema, or in the one the destination's `schema` key names (which
// must exist). Names are quoted identifiers, keeping the RESO names' case ("Property").
class PostgresDestination final : public SqlDestination {
public:
    // How a column's values are written into SQL text.
    enum class ValueKind { Integer, Boolean, Decimal, Real, Timestamp, Json, Text };
    struct ColumnWriter {
        ValueKind kind = ValueKind::Text;
        std::optional<PostgresDecimalShape> shape; // of the column as it exists, for decimals
        int maxChars = 0;                          // varchar(n) of the column as it exists
        QString sqlType;                           // for messages
    };

    // sourceName only names the password's place in messages.
    PostgresDestination(DestinationConfig config, QString sourceName);
    ~PostgresDestination() override;
    PostgresDestination(const PostgresDestination&) = delete;
    PostgresDestination& operator=(const PostgresDestination&) = delete;

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

    // The declared type of every column of `table` as ensureSchema creates it.
    static QList<PostgresColumnType> columnTypes(const TablePlan& table);
    static QByteArray quote(const QString& identifier);

    // The schema the tables are in (the configured one, or the connection's current schema).
    QString schema() const { return m_schema; }
    // Diagnostics (and tests): a setting of the destination's own session (SHOW name).
    Expected<QString> sessionSetting(const QString& name);
    // Diagnostics (and tests): one statement on the destination's own connection, as writes are
    // sent; "SELECT 1; SELECT 2" fails, since the extended protocol refuses multi-statements.
    Expected<void> runStatement(const QByteArray& sql);
    // The server process of the connection (pg_backend_pid), for tests that end it.
    int backendPid() const;
    qsizetype statementLimit() const { return m_statementLimit; }
    void setStatementLimit(qsizetype bytes);
    qsizetype largestStatement() const { return m_largestStatement; }
    qint64 statementsSent() const { return m_statementsSent; }

private:
    struct TableInfo {
        QHash<QString, PostgresColumnInfo> columns; // by name, case kept
        QStringList order;                          // names in the table's order
    };
    // A result's rows as text (libpq's text format); a null value is a null optional.
    using Rows = QList<QList<std::optional<QByteArray>>>;
    struct Failure {
        QByteArray sqlState; // "22001"; empty when the connection itself failed
        QString message;
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
    Expected<QList<QJsonObject>> readRows(const TablePlan& table, const QString& whereColumn,
                                          const QByteArray& value) override;

    Expected<void> connectSession();
    // Runs one statement with text parameters ($1, $2, ...); rows (as text) when it returns any,
    // the affected row count in *affected. On failure, *failure (when given) says what the server said.
    Expected<Rows> run(const QByteArray& sql, const QByteArrayList& params, const QString& what,
                       qint64* affected = nullptr, Failure* failure = nullptr);
    Expected<void> query(const QByteArray& sql, const QString& what, qint64* affected = nullptr) {
        auto r = run(sql, {}, what, affected);
        return r ? Expected<void>() : Expected<void>(r.error());
    }
    Error serverError(const QString& what, const Failure& failure) const;
    QByteArray qualified(const QString& table) const;
    Expected<void> loadTableInfo(const QString& table, TableInfo* info, bool* exists);
    Expected<const TableInfo*> tableInfo(const TablePlan& table);
    // What the read commands can read of `table` by `column`: nothing (nullopt) while the
    // database, the schema or the table is missing or the column has not been added yet.
    Expected<std::optional<TableInfo>> readableTable(const TablePlan& table, const QString& column);
    // DELETE of the rows of `table` (aliased t) whose `column` is one of `keys`, 1,000 keys a
    // statement; `condition` (SQL, may be empty) is ANDed to every statement.
    Expected<void> deleteWhereIn(const TablePlan& table, const QString& column, const QList<QByteArray>& keys,
                                 const QString& what, const QByteArray& condition = {},
                                 qint64* affected = nullptr);
    QList<ColumnWriter> writersFor(const TablePlan& table, const TableInfo& info) const;
    Expected<void> appendRow(QByteArray& sql, const TablePlan& table, const QList<ColumnWriter>& writers,
                             const Row& row) const;
    Expected<void> execute(const TablePlan& table, const QByteArray& sql, const QList<const Row*>& rows,
                           const QByteArray& header, const QByteArray& trailer,
                           const QList<ColumnWriter>& writers);
    Error statementError(const TablePlan& table, const Row* row, const Failure& failure) const;
    Error rowError(const TablePlan& table, const Row* row, const Failure& failure);
    static bool rowLevel(const QByteArray& sqlState);
    static bool connectionLost(const QByteArray& sqlState);
    static QString keyText(const TablePlan& table, const Row& row);
    // SQL reading a timestamptz column as the contract's text: "2024-05-01T10:00:00.123Z".
    static QByteArray timestampText(const QByteArray& column);
    QString where() const;
    void appendEscaped(QByteArray& out, const QByteArray& text) const;
    // A text literal: '...' escaped by libpq.
    void appendLiteral(QByteArray& out, const QByteArray& text) const;

    DestinationConfig m_config;
    QString m_sourceName;
    pg_conn* m_pg = nullptr;
    bool m_readOnly = false;
    bool m_missing = false; // read-only and the database or schema does not exist
    QString m_schema;
    qsizetype m_statementLimit = 0;
    qsizetype m_largestStatement = 0;
    qint64 m_statementsSent = 0;
    QHash<QString, TableInfo> m_tables;
};

} // namespace ors
