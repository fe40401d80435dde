#pragma once

#include "destinations/SqlTextDestination.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QHash>
#include <QSet>
#include <QString>

#include <optional>

struct pg_conn;
struct pg_result;
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
std::optional<DecimalShape> postgresDecimalShape(const Field& field);

// PostgreSQL through Qt Sql (QPSQL): the connection is opened by Qt's driver, and statements run
// on the PGconn behind it through libpq, as MySQL's run on the MYSQL handle: rows go by COPY into
// a session staging table and one `INSERT ... SELECT ... ON CONFLICT (key) DO UPDATE`
// (PostgresCopy.cpp), and, to name a record the server refuses, as multi-row `INSERT ... VALUES`
// text whose values are escaped by libpq (PQescapeStringConn): Qt's per-value binding costs
// more than the server's own work. Every statement goes through
// PQexecParams, whose extended protocol refuses a second statement in the text. Tables live in
// the connection's current schema, or in the one the destination's `schema` key names (which
// must exist). Names are quoted identifiers, keeping the RESO names' case ("Property").
class PostgresDestination final : public SqlTextDestination {
public:
    // sourceName only names the password's place in messages.
    PostgresDestination(DestinationConfig config, QString sourceName);
    ~PostgresDestination() override;
    PostgresDestination(const PostgresDestination&) = delete;
    PostgresDestination& operator=(const PostgresDestination&) = delete;

    QString describe() const override;
    Expected<void> open() override;

    // The declared type of every column of `table` as ensureSchema creates it.
    static QList<PostgresColumnType> columnTypes(const TablePlan& table);
    // The type with its collation, as CREATE TABLE declares it.
    static QByteArray columnDefinition(const PostgresColumnType& type);
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
    void setStatementLimit(qsizetype bytes);

private:
    // A result's rows as text (libpq's text format); a null value is a null optional.
    using Rows = TextRows;
    struct Failure {
        QByteArray sqlState; // "22001"; empty when the connection itself failed
        QString message;
    };

    // The dialect SqlDestination's flow runs on.
    Expected<void> begin() override;
    Expected<void> commit() override;
    void rollback() override;
    void beforeApply(const ResourcePlan& plan, const PageRows& page) override;
    void tableShapeRenewed(const QString& table) override;
    Expected<bool> tableExists(const QString& table) override;
    Expected<void> upsertRows(const TablePlan& table, const TableRows& rows) override;
    Expected<void> replaceChildren(const ChildPlan& child, const ChildRows& rows) override;
    Expected<void> ensureIndexes(const TablePlan& table, bool created) override;

    // SqlTextDestination's dialect.
    bool connected() const override { return m_pg != nullptr; }
    QByteArray quoteIdentifier(const QString& identifier) const override { return quote(identifier); }
    QByteArray tableRef(const QString& table) const override { return qualified(table); }
    QByteArray deleteTarget(const QString& table) const override { return qualified(table) + " AS t"; }
    QByteArray rowRef(const QString&) const override { return "t"; }
    void appendEscaped(QByteArray& out, const QByteArray& text) const override;
    void appendReal(QByteArray& out, const QByteArray& shortest) const override;
    std::optional<QString> appendTimestamp(QByteArray& out, const QByteArray& text) const override;
    bool textHoldsNul() const override { return false; }
    int decimalExponentLimit() const override { return 1000; }
    QString engineName() const override { return QStringLiteral("PostgreSQL"); }
    Expected<void> checkNames(const TablePlan& table) const override;
    Expected<void> loadColumns(const QString& table, TableShape* shape, bool* exists) override;
    Expected<void> createServerTable(const TablePlan& table, const QList<int>& columns,
                                     bool withOverflow) override;
    Expected<void> alterServerTable(const TablePlan& table, const QList<int>& add, bool addOverflow,
                                    const QList<ColumnChange>& changes) override;
    QList<DeclaredType> declaredTypes(const TablePlan& table) const override;
    Family familyOfType(const QString& type) const override;
    int charsHeld(const ColumnShape& column) const override;
    int typeRank(const QString& type) const override;
    bool widenDecimal(const ColumnPlan& column, const DecimalShape& held,
                      ColumnChange* change) const override;
    QList<int> inRowWidths(const TablePlan& table) const override;
    int existingWidth(const ColumnShape& column, bool key) const override;
    int overflowWidth() const override { return 24; }
    int defaultOverflowBudget() const override;
    QByteArray overflowExpression(const QString& column, ColumnStorage storage) const override;
    QByteArray placementNameType() const override { return "varchar(63) COLLATE \"C\""; }
    Expected<void> createSharedTable(const QByteArray& create, const QString& what) override;
    QList<ColumnWriter> writersFor(const TablePlan& table, const TableShape& shape) const override;
    Expected<TextRows> selectText(const QByteArray& sql, const QString& what) override {
        return run(sql, {}, what);
    }
    Expected<void> runCounted(const QByteArray& sql, const QString& what, qint64* affected) override {
        return query(sql, what, affected);
    }
    ReadAs readAs(const ColumnShape& column) const override;
    QByteArray timestampExpression(const QByteArray& column) const override { return timestampText(column); }
    QByteArray timestampLiteral(const QDateTime& instant) const override;

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
    // What the server (or libpq, for a broken connection) said about a failed result.
    Failure failureOf(const pg_result* result) const;
    // The owned children a page replaces: those of `parentKeys` in `child`'s table.
    struct Replacing {
        const ChildPlan* child = nullptr;
        const QList<QByteArray>* parentKeys = nullptr;
    };
    // upsertRows; with `replacing`, also the rows of those parents that `rows` no longer has are
    // deleted, and a row that arrives as stored is not written again (PostgresChildren.cpp).
    Expected<void> writeRows(const TablePlan& table, const TableRows& rows, const Replacing* replacing);
    // The delete of the replaced parents' rows that the staging table `stage` does not have.
    Expected<void> deleteStaleChildren(const Replacing& replacing, const QByteArray& stage);
    // ON CONFLICT's condition that leaves a stored row alone when every column the upsert
    // updates (`updated`: all but the key) arrives as it is stored.
    static QByteArray unchangedRowsKept(const QByteArrayList& updated);
    // PostgresCopy.cpp: `rows` (the page's, one per key) through COPY into a staging table and
    // one INSERT … SELECT … ON CONFLICT, after, with `replacing`, the delete of the parents' rows
    // the staging table does not have. False, with the transaction as it was before, when a
    // row's value made the server refuse them: the statements then find and name that record.
    Expected<bool> copyRows(const TablePlan& table, const TableShape& shape, const RowFormat& format,
                            const QByteArrayList& columns, const QByteArray& trailer,
                            const QList<const Row*>& rows, const Replacing* replacing);
    // Whether `rows` may go by COPY straight into `table` (PostgresCopy.cpp): its rows are new
    // there, as far as the session knows; a key found stored makes the COPY fail and the staging
    // path write the page.
    Expected<bool> copiesDirectly(const TablePlan& table, const Replacing* replacing);
    // A COPY straight into `table` found one of `rows`' keys stored.
    void directCopyRefused(const TablePlan& table);
    // The session's temporary table of `columns` as `table` has them (created on first use).
    Expected<QByteArray> stagingTable(const TablePlan& table, const TableShape& shape,
                                      const QByteArrayList& columns);
    // COPY … FROM STDIN of `rows` in COPY's text format, sent as they are formatted; *failure says
    // why not. A value the client refuses ends the COPY with an error, sets m_rowFault and
    // *refused (the caller rolls the COPY back).
    bool copyIn(const QByteArray& sql, const TablePlan& table, const RowFormat& format,
                const QList<const Row*>& rows, std::optional<Error>* refused, Failure* failure);
    QByteArray qualified(const QString& table) const;
    Expected<void> execute(const TablePlan& table, const QByteArray& sql, const QList<const Row*>& rows,
                           const QByteArray& header, const QByteArray& trailer, const RowFormat& format);
    Error statementError(const TablePlan& table, const Row* row, const Failure& failure) const;
    Error rowError(const TablePlan& table, const Row* row, const Failure& failure);
    static bool rowLevel(const QByteArray& sqlState);
    static bool connectionLost(const QByteArray& sqlState);
    // SQL reading a timestamptz column as the contract's text: "2024-05-01T10:00:00.123Z".
    static QByteArray timestampText(const QByteArray& column);

    pg_conn* m_pg = nullptr;
    QSet<QByteArray> m_stages;      // staging tables this session has (they go with a rollback)
    QSet<QByteArray> m_stagesDirty; // staging tables holding rows of the open transaction
    // Tables a page's rows may be copied straight into: those empty when the session (or the run,
    // since ensureSchema renews it) first wrote to them, until keys were found stored in
    // kDirectRefusals pages.
    struct DirectCopy {
        bool allowed = false;
        int refusals = 0;
    };
    static constexpr int kDirectRefusals = 3;
    QHash<QString, DirectCopy> m_direct;
    QString m_pageParent; // the parents' table of the page being applied (beforeApply)
    // Keys of the page's parents the open transaction copied straight in: their children cannot
    // be stored yet, so they may be copied straight in too.
    QSet<QByteArray> m_copiedParents;
    QString m_schema;
};

} // namespace ors
