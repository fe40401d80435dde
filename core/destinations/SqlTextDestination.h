#pragma once

#include "destinations/SqlDestination.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSet>
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
    QString name;                        // as the table has it
    QString type;                        // the catalog's base type, lower case: "varchar", "decimal", "int4"
    int chars = 0;                       // varchar(n): n
    std::optional<DecimalShape> decimal; // decimal(p,s); nullopt when not a decimal or unconstrained
    qint64 octets = 0;                   // the most bytes a value may take, where the catalog says
};

// The columns of an existing table, in the table's order, and the fields it keeps in _overflow.
struct TableShape {
    QList<ColumnShape> columns;
    bool foldCase = false;    // column names compare case-insensitively (MySQL)
    bool hasOverflow = false; // the table has the JSON column _overflow

    void add(ColumnShape column) {
        m_index.insert(key(column.name), int(columns.size()));
        columns.append(std::move(column));
    }
    const ColumnShape* find(const QString& name) const {
        const int i = m_index.value(key(name), -1);
        return i >= 0 ? &columns.at(i) : nullptr;
    }
    bool has(const QString& name) const { return find(name) != nullptr; }
    // A field recorded as kept in _overflow (OverflowPlacement).
    void addOverflow(const QString& name) {
        m_overflow.insert(key(name));
        overflowFields.append(name);
    }
    bool inOverflow(const QString& name) const { return m_overflow.contains(key(name)); }
    QStringList overflowFields;

private:
    QString key(const QString& name) const { return foldCase ? name.toLower() : name; }
    QHash<QString, int> m_index;
    QSet<QString> m_overflow;
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

    // How a value read back as text becomes fetchRecord's JSON.
    enum class ReadAs { Integer, Boolean, Real, Timestamp, Text };
    // What kind of value a column holds, to tell a widening from a change of kind.
    enum class Family { String, Integer, Decimal, Real, Boolean, Date, Timestamp, Json, Other };
    static Family familyOf(ColumnStorage storage);
    // "varchar(50)", "decimal(14,2)", "bigint": an existing column's type, for messages.
    static QString typeText(const ColumnShape& column);

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
    // Diagnostics (and tests): the statements that created or changed tables, in order.
    const QStringList& schemaStatements() const { return m_schemaStatements; }
    // The table's in-row budget: overflowBudget, or the backend's measured default.
    int overflowBudget() const;
    // Diagnostics (bench_rowsize): the most bytes the columns `table` has can take in its row.
    Expected<int> inRowWorstCase(const TablePlan& table);

protected:
    // A result's rows as text; a null value is a null optional.
    using TextRows = QList<QList<std::optional<QByteArray>>>;
    // How one table's rows are written: the plan's columns that are columns of the table (in
    // statement order), those kept in _overflow, and every plan column's writer.
    struct RowFormat {
        QList<int> columns;
        QList<int> overflow;
        QList<ColumnWriter> writers;
    };
    // A column whose type the metadata changed: widened (definition: the SQL that makes the new
    // type) or only reported (definition empty); from and to name both types.
    struct ColumnChange {
        int column = -1;
        QByteArray definition;
        QString from;
        QString to;
    };

    // A plan column's type as the dialect declares it, in the terms the widening rules compare.
    struct DeclaredType {
        QString sql;           // for messages: "varchar(50)", "DECIMAL(14,2)"
        QByteArray definition; // what ALTER TABLE makes the column
        int chars = 0;         // characters a string type holds (INT_MAX: no limit)
    };

    // sourceName only names the password's place in messages.
    SqlTextDestination(DestinationConfig config, QString sourceName);

    // "destination <name> (<describe()>)", the start of every message.
    QString where() const;
    // The named connection for `driver`, its host, port, database, user and password set from
    // the configuration (the password resolved and registered for redaction), not opened yet.
    Expected<QSqlDatabase> prepareConnection(const QString& driver, const QString& prefix,
                                             const QString& engine, const QString& package);
    // The catalog's view of `table` with the fields it keeps in _overflow.
    Expected<void> loadTableShape(const QString& table, TableShape* shape, bool* exists);
    // That view cached until the schema changes it; an error when the table is missing.
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
    RowFormat rowFormat(const TablePlan& table, const TableShape& shape) const;
    // The quoted names of the format's columns in statement order, _overflow last.
    QByteArrayList columnNames(const TablePlan& table, const RowFormat& format) const;
    // How appendRow writes a row: "(v1,v2,...)" of SQL literals for a statement, or a line of
    // COPY's text format (values tab-separated, \N for null, backslash escapes) for PostgreSQL's
    // COPY FROM STDIN, or the same for MariaDB's LOAD DATA (which also escapes NUL as \0 and
    // takes booleans as 1/0). The values and their checks are the same in all.
    enum class RowSyntax { Values, CopyText, LoadData };
    // Appends one row, each value checked against its column's writer (and the fields in
    // _overflow as one JSON object); a value the column cannot hold exactly is refused, naming
    // the record, the column and the value.
    Expected<void> appendRow(QByteArray& sql, const TablePlan& table, const RowFormat& format, const Row& row,
                             RowSyntax syntax = RowSyntax::Values) const;
    // '...' with the text escaped by the client library (within a COPY row: COPY's escapes).
    void appendLiteral(QByteArray& out, const QByteArray& text) const;
    // The record's key values as `Key="value"`, for messages.
    static QString keyText(const TablePlan& table, const Row& row);
    // A timestamp read back (DATETIME text or the contract's) in the contract's form.
    static QByteArray storedTimestamp(const QByteArray& text);
    // "2024-05-01T10:00:00.123Z": digits and separators in the places PageReader puts them.
    static bool isStoredTimestamp(const QByteArray& text);
    // At most 80 characters of a value, for messages.
    static QString shortened(const QByteArray& value);
    // Runs a statement that creates or changes a table, remembered in schemaStatements().
    Expected<void> runSchemaStatement(const QByteArray& sql, const QString& what);
    // What the metadata changed about the types of the plan's columns the table has: a string
    // column that now allows more characters, a wider integer or floating-point type, or a decimal
    // needing more digits is widened; a change of kind is only reported.
    QList<ColumnChange> columnChanges(const TablePlan& table, const TableShape& shape) const;

    // SqlDestination's dialect, the same for both.
    Expected<void> refuseWrite(WriteKind kind) const final;
    Expected<void> deleteChildren(const ChildPlan& child, const QList<QByteArray>& parentKeys) final;
    Expected<void> deleteParents(const TablePlan& table, const QList<QByteArray>& keys) final;
    Expected<QStringList> readColumns(const TablePlan& table) final;
    Expected<void> createTable(const TablePlan& table) final;
    Expected<void> updateTable(const TablePlan& table, const QList<int>& missing) final;
    Expected<void> tableChanged(const TablePlan& table) final;
    Expected<void> dropExistingTable(const QString& table) final;
    Expected<QList<QJsonObject>> readRows(const TablePlan& table, const QString& whereColumn,
                                          const QByteArray& value) final;

    // --- the server's dialect ---
    // What was cached about `table` was dropped or renewed (its schema may change, or just did).
    virtual void tableShapeRenewed(const QString& table) { (void)table; }
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
    // The table's columns as the catalog describes them; *exists false (and no columns) when the
    // table is missing.
    virtual Expected<void> loadColumns(const QString& table, TableShape* shape, bool* exists) = 0;
    // CREATE TABLE with the plan's columns at `columns` (and _overflow), its keys and indexes.
    virtual Expected<void> createServerTable(const TablePlan& table, const QList<int>& columns,
                                             bool withOverflow) = 0;
    // One ALTER TABLE: the plan's columns at `add` added, _overflow added, the changes made.
    virtual Expected<void> alterServerTable(const TablePlan& table, const QList<int>& add, bool addOverflow,
                                            const QList<ColumnChange>& changes) = 0;
    // The plan's columns as the dialect declares them.
    virtual QList<DeclaredType> declaredTypes(const TablePlan& table) const = 0;
    // The kind of value an existing column of this type holds, and the kind a plan column's
    // storage becomes on this server.
    virtual Family familyOfType(const QString& type) const = 0;
    virtual Family storedFamily(ColumnStorage storage) const { return familyOf(storage); }
    // Characters an existing string column holds (INT_MAX: no limit).
    virtual int charsHeld(const ColumnShape& column) const = 0;
    // How wide an integer or floating-point type is: a larger rank holds every value of a smaller.
    virtual int typeRank(const QString& type) const = 0;
    // The decimal type holding every value of `held` and of the plan's column, in `change`; false
    // when `held` holds them already.
    virtual bool widenDecimal(const ColumnPlan& column, const DecimalShape& held,
                              ColumnChange* change) const = 0;
    // The most bytes each plan column can take in the row once the server moved long values out
    // of it, as the column would be declared; the same for an existing column; for _overflow.
    virtual QList<int> inRowWidths(const TablePlan& table) const = 0;
    virtual int existingWidth(const ColumnShape& column, bool key) const = 0;
    virtual int overflowWidth() const = 0;
    // overflowBudget when the configuration sets none (measured: bench/bench_rowsize).
    virtual int defaultOverflowBudget() const = 0;
    // SQL reading a field kept in _overflow as text, as its column would read.
    virtual QByteArray overflowExpression(const QString& column, ColumnStorage storage) const = 0;
    // The type of the names in the placement table, compared byte for byte.
    virtual QByteArray placementNameType() const = 0;
    // Runs `create`, a CREATE TABLE IF NOT EXISTS of a table every destination of the database
    // shares, which other programs may run at the same moment. MariaDB's takes a metadata lock on
    // the name, so a plain statement is enough there.
    virtual Expected<void> createSharedTable(const QByteArray& create, const QString& what) {
        return runSchemaStatement(create, what);
    }
    virtual QList<ColumnWriter> writersFor(const TablePlan& table, const TableShape& shape) const = 0;
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
    QStringList m_schemaStatements;
    // The syntax of the row appendRow is writing: the dialects' appendReal and appendTimestamp
    // reach appendLiteral without it.
    mutable RowSyntax m_rowSyntax = RowSyntax::Values;

private:
    // Why a double cannot go into a column of this writer's kind, if it cannot.
    static std::optional<QString> realRefusal(const ColumnWriter& writer, double value);
    // A Boolean column's cell (0/1, or the text true/false/1/0) as TRUE/FALSE (digits: 1/0), or
    // in JSON as true/false; the reason when it is neither.
    static std::optional<QString> appendBoolean(QByteArray& out, const Cell& cell, bool json,
                                                bool digits = false);
    // Why a text cannot be stored when it holds U+0000 and the server's text cannot.
    std::optional<QString> nulRefusal(const QByteArray& text) const;
    // The shortest text that reads back as the same double.
    static QByteArray shortestReal(double value);
    std::optional<QString> appendValue(QByteArray& sql, const ColumnWriter& writer, const Cell& cell) const;
    std::optional<QString> appendJsonValue(QByteArray& json, const ColumnWriter& writer,
                                           ColumnStorage storage, const Cell& cell) const;
    QJsonValue toJson(const std::optional<QByteArray>& value, ReadAs how) const;
    Expected<QStringList> placedInOverflow(const QString& table);
    // Records `columns` of `table` as kept in _overflow; `replace`: they are all its fields there.
    Expected<void> recordPlacement(const QString& table, const QStringList& columns, bool replace);
    Expected<void> checkOverflowName(const TablePlan& table) const;
    // What the table's columns (and _overflow) take of the budget at worst.
    int usedWidth(const TablePlan& table, const TableShape& shape) const;
};

} // namespace ors
