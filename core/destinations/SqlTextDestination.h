#pragma once

#include "destinations/SqlDestination.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace ors {

// DECIMAL(precision, scale) / numeric(precision, scale).
struct DecimalShape {
    int precision = 0;
    int scale = 0;
};

// One column of an existing table, as the server's catalog describes it.
struct ColumnShape {
    QString name;                       // as the table has it
    QString type;                       // the catalog's base type, lower case: "varchar", "decimal", "int4"
    int chars = 0;                      // varchar(n): n
    std::optional<DecimalShape> decimal; // decimal(p,s); nullopt when not a decimal or unconstrained
    qint64 octets = 0;                  // the most bytes a value may take, where the catalog says
};

// The columns of an existing table, in the table's order.
struct TableShape {
    QList<ColumnShape> columns;
    bool foldCase = false; // column names compare case-insensitively (MySQL)

    void add(ColumnShape column) {
        m_index.insert(foldCase ? column.name.toLower() : column.name, int(columns.size()));
        columns.append(std::move(column));
    }
    const ColumnShape* find(const QString& name) const {
        const int i = m_index.value(foldCase ? name.toLower() : name, -1);
        return i >= 0 ? &columns.at(i) : nullptr;
    }
    bool has(const QString& name) const { return find(name) != nullptr; }

private:
    QHash<QString, int> m_index;
};

// The SQL destinations on a database server (MySQL/MariaDB, PostgreSQL): rows are sent as
// multi-row statements of SQL text whose values the client library escapes, because Qt's
// per-value binding costs more than the server's own work (performance-limits.md), and results
// are read back as text. Reading, deleting, purging and the values' checks are the same for both;
// a backend supplies the dialect: quoting, literals, how a statement runs, the catalog.
class SqlTextDestination : public SqlDestination {
public:
    // How a column's values are written into SQL text.
    enum class ValueKind { Integer, Boolean, Decimal, Real, Timestamp, Json, Text };
    struct ColumnWriter {
        ValueKind kind = ValueKind::Text;
        std::optional<DecimalShape> shape; // of the column as it exists, for decimals (nullopt: any digits)
        int maxChars = 0;                  // > 0: the most characters the column holds
        QString sqlType;                   // for messages
    };

    QString name() const final { return m_config.name; }
    void setReadOnly(bool readOnly) final { m_readOnly = readOnly; }
    Expected<qint64> count(const TablePlan& table) final;
    Expected<std::optional<QByteArray>> newestTimestamp(const TablePlan& table) final;
    Expected<QList<KeyRecord>> keysAfter(const TablePlan& table, const std::optional<QByteArray>& afterKey,
                                         int limit, const QStringList& timestampColumns) final;
    Expected<QList<ChildKeyRow>> childKeys(const TablePlan& table, const QString& parentColumn,
                                           const std::optional<QByteArray>& afterParent,
                                           const std::optional<QByteArray>& onlyParent, int limit) final;
    Expected<qint64> purgeKeys(const ResourcePlan& plan, const QList<QByteArray>& keys,
                               const PurgeGuard& guard) final;

    qsizetype statementLimit() const { return m_statementLimit; }
    qsizetype largestStatement() const { return m_largestStatement; }
    qint64 statementsSent() const { return m_statementsSent; }

protected:
    // How a value read back as text becomes fetchRecord's JSON.
    enum class ReadAs { Integer, Boolean, Real, Timestamp, Text };
    // A result's rows as text; a null value is a null optional.
    using TextRows = QList<QList<std::optional<QByteArray>>>;

    // sourceName only names the password's place in messages.
    SqlTextDestination(DestinationConfig config, QString sourceName);

    // "destination <name> (<describe()>)", the start of every message.
    QString where() const;
    // The named connection for `driver`, its host, port, database, user and password set from
    // the configuration (the password resolved and registered for redaction), not opened yet.
    Expected<QSqlDatabase> prepareConnection(const QString& driver, const QString& prefix,
                                             const QString& engine, const QString& package);
    // The catalog's view of `table`, cached until the schema changes it; an error when it is missing.
    Expected<const TableShape*> tableShape(const TablePlan& table);
    // What the read commands can read of `table` by `column`: nothing (nullopt) while the
    // database, the schema or the table is missing or the column has not been added yet.
    Expected<std::optional<TableShape>> readableTable(const TablePlan& table, const QString& column);
    // DELETE of the rows of `table` whose `column` is one of `keys`, 1,000 keys a statement;
    // `condition` (SQL over rowRef(table), may be empty) is ANDed to every statement;
    // `affected` adds up the rows deleted.
    Expected<void> deleteWhereIn(const TablePlan& table, const QString& column, const QList<QByteArray>& keys,
                                 const QString& what, const QByteArray& condition = {},
                                 qint64* affected = nullptr);
    // Appends one row's "(v1,v2,...)", each value checked against its column's writer; a value the
    // column cannot hold exactly is refused, naming the record, the column and the value.
    Expected<void> appendRow(QByteArray& sql, const TablePlan& table, const QList<ColumnWriter>& writers,
                             const Row& row) const;
    // '...' with the text escaped by the client library.
    void appendLiteral(QByteArray& out, const QByteArray& text) const;
    // The record's key values as `Key="value"`, for messages.
    static QString keyText(const TablePlan& table, const Row& row);
    // A timestamp read back (DATETIME text or the contract's) in the contract's form.
    static QByteArray storedTimestamp(const QByteArray& text);
    // "2024-05-01T10:00:00.123Z": digits and separators in the places PageReader puts them.
    static bool isStoredTimestamp(const QByteArray& text);

    // SqlDestination's dialect, the same for both.
    Expected<void> refuseWrite(WriteKind kind) const final;
    Expected<void> deleteChildren(const ChildPlan& child, const QList<QByteArray>& parentKeys) final;
    Expected<void> deleteParents(const TablePlan& table, const QList<QByteArray>& keys) final;
    Expected<QStringList> readColumns(const TablePlan& table) final;
    Expected<void> tableChanged(const TablePlan& table) final;
    Expected<void> dropExistingTable(const QString& table) final;
    Expected<QList<QJsonObject>> readRows(const TablePlan& table, const QString& whereColumn,
                                          const QByteArray& value) final;

    // --- the server's dialect ---
    virtual bool connected() const = 0;
    virtual QByteArray quoteIdentifier(const QString& identifier) const = 0;
    // The table as statements name it (schema-qualified where there is one).
    virtual QByteArray tableRef(const QString& table) const = 0;
    // What DELETE deletes from, and how its conditions name the table's columns.
    virtual QByteArray deleteTarget(const QString& table) const = 0;
    virtual QByteArray rowRef(const QString& table) const = 0;
    virtual void appendEscaped(QByteArray& out, const QByteArray& text) const = 0;
    // A double in SQL text, given its shortest exact form.
    virtual void appendReal(QByteArray& out, const QByteArray& shortest) const = 0;
    // A Timestamp column's value; the reason when the column cannot take `text`.
    virtual std::optional<QString> appendTimestamp(QByteArray& out, const QByteArray& text) const = 0;
    // Whether text values may hold U+0000.
    virtual bool textHoldsNul() const = 0;
    // The largest exponent a decimal value may have to be expanded at all, and the engine's name.
    virtual int decimalExponentLimit() const = 0;
    virtual QString engineName() const = 0;
    // Refuses names the server cannot hold (before anything is created).
    virtual Expected<void> checkNames(const TablePlan& table) const = 0;
    virtual Expected<void> loadTableShape(const QString& table, TableShape* shape, bool* exists) = 0;
    virtual Expected<TextRows> selectText(const QByteArray& sql, const QString& what) = 0;
    // Runs one statement that returns no rows; `affected` adds up the rows it changed.
    virtual Expected<void> runCounted(const QByteArray& sql, const QString& what, qint64* affected) = 0;
    virtual ReadAs readAs(const ColumnShape& column) const = 0;
    // SQL reading a Timestamp column (or MAX() of one) as text storedTimestamp() understands.
    virtual QByteArray timestampExpression(const QByteArray& column) const = 0;
    // SQL for a guard's instant compared with a Timestamp column.
    virtual QByteArray timestampLiteral(const QDateTime& instant) const = 0;

    DestinationConfig m_config;
    QString m_sourceName;
    bool m_readOnly = false;
    bool m_missing = false; // read-only and the database (or schema) does not exist
    qsizetype m_statementLimit = 0;
    qsizetype m_largestStatement = 0;
    qint64 m_statementsSent = 0;
    QHash<QString, TableShape> m_tables;
    TableShape m_shape; // the table ensureSchema is working on, as readColumns found it

private:
    std::optional<QString> appendValue(QByteArray& sql, const ColumnWriter& writer, const Cell& cell) const;
    QJsonValue toJson(const std::optional<QByteArray>& value, ReadAs how) const;
};

} // namespace ors
