#pragma once

#include "destinations/SqlTextDestination.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QThreadPool;

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
DecimalShape mysqlDecimalShape(const Field& field);

// MySQL / MariaDB through Qt Sql (QMYSQL): one named connection per thread and instance, opened
// in open() in the calling thread. The session is utf8mb4, UTC and strict. Statements run on the
// MYSQL* behind the Qt connection: rows are written by LOAD DATA LOCAL … REPLACE from memory
// (MysqlLoad.cpp) or, where that cannot be the upsert or the server refuses it, as multi-row
// `INSERT ... ON DUPLICATE KEY UPDATE` text escaped by mysql_real_escape_string; they are read back
// through the text protocol.
class MysqlDestination final : public SqlTextDestination {
public:
    // sourceName only names the password's place in messages.
    MysqlDestination(DestinationConfig config, QString sourceName);
    ~MysqlDestination() override;
    MysqlDestination(const MysqlDestination&) = delete;
    MysqlDestination& operator=(const MysqlDestination&) = delete;

    QString describe() const override;
    Expected<void> open() override;
    // A page's parents on this connection and its children on a second one at the same time
    // (MysqlSplit.cpp), or all on this one as SqlDestination does.
    Expected<void> apply(const ResourcePlan& plan, const PageRows& page) override;
    // The children's connection (MysqlSplit.cpp) and the reading ahead's, opened, and what the
    // first page's statements ask the server once a session, asked.
    void prepareWrites(const ResourcePlan& plan) override;

    // The declared type of every column of `table` as ensureSchema creates it: keys and indexed
    // columns VARCHAR, and the widest other VARCHARs turned into TEXT until the row fits the
    // server's 65,535-byte limit.
    static QList<MysqlColumnType> columnTypes(const TablePlan& table);
    // One column's type before that fitting.
    static MysqlColumnType columnType(const TablePlan& table, int column);
    static QByteArray quote(const QString& identifier);

    // Diagnostics (and tests): a session variable of the destination's own connection.
    Expected<QString> sessionVariable(const QString& name);
    // Diagnostics (and tests): a counter of SHOW SESSION STATUS on the destination's own connection
    // (e.g. Com_load, the LOAD DATA statements it ran).
    Expected<qint64> sessionStatus(const QString& name);
    // Diagnostics (and tests): one statement on the destination's own connection, as writes are
    // sent; "SELECT 1; SELECT 2" fails, since the connection refuses multi-statements.
    Expected<void> runStatement(const QByteArray& sql);
    // Bytes one statement may hold: min(max_allowed_packet / 2, 4 MB) unless set lower.
    void setStatementLimit(qsizetype bytes);
    // The TLS cipher of the connection, empty when it is not encrypted.
    QString tlsCipher() const { return m_tlsCipher; }
    // Whether pages go by LOAD DATA LOCAL (the server's local_infile is ON and no load was
    // refused), and the rows written that way (diagnostics and tests).
    bool loadsData() const { return m_loadData; }
    qint64 rowsLoaded() const { return m_rowsLoaded; }
    // Whether the rows of pages are read ahead on a second connection while the server reads from
    // disk (on by default with LOAD DATA; OPENRESYNC_MYSQL_PREFETCH=0 turns it off, "1" reads ahead
    // for every page; a failure stops it), how many reads were sent, and that connection's id on
    // the server (0 before it is opened).
    bool readsAhead() const { return !m_prefetchOff; }
    qint64 readsAheadSent() const { return m_prefetchesSent; }
    unsigned long readAheadConnection() const;
    // Whether the next page is read ahead: the first (no count yet), then when the server read
    // from disk, since the last page began (Innodb_buffer_pool_reads before and now), at least
    // one database page per row of the last page.
    static bool readAheadNext(std::optional<qint64> readsBefore, qint64 readsNow, qsizetype lastPageRows) {
        return !readsBefore || readsNow - *readsBefore >= lastPageRows;
    }
    // Tests: write by statements only, as with local_infile OFF.
    void useStatementsOnly() { m_loadData = false; }
    // Whether a page's children are written on a second connection while its parents are written
    // on this one (on by default with LOAD DATA, never without it; OPENRESYNC_MYSQL_SPLIT=0 turns
    // it off; a failure to set it up stops it), and that connection's id on the server (0 when
    // there is none).
    bool splitsPages() const { return !m_splitOff && m_loadData; }
    unsigned long childConnection() const;

    // The rows LOAD DATA is reading. The client library's callbacks format them as the server
    // asks for more, so the server stores the first rows while the last are formatted.
    struct Infile {
        // Appends the next rows to `out`; false when none are left or a value failed (`failed`).
        std::function<bool(QByteArray& out)> next;
        QByteArray buffer;
        qsizetype at = 0;
        bool refused = false;        // the server asked for something else
        std::optional<Error> failed; // why a row's value could not be written; the load is cut short
    };

private:
    // The dialect SqlDestination's flow runs on.
    void beforeApply(const ResourcePlan& plan, const PageRows& page) override;
    Expected<void> begin() override;
    Expected<void> commit() override;
    void rollback() override;
    Expected<bool> tableExists(const QString& table) override;
    Expected<void> upsertRows(const TablePlan& table, const TableRows& rows) override;
    Expected<void> ensureIndexes(const TablePlan& table, bool created) override;

    // SqlTextDestination's dialect.
    bool connected() const override { return m_mysql != nullptr; }
    QByteArray quoteIdentifier(const QString& identifier) const override { return quote(identifier); }
    QByteArray tableRef(const QString& table) const override { return quote(table); }
    QByteArray deleteTarget(const QString& table) const override { return quote(table); }
    QByteArray rowRef(const QString& table) const override { return quote(table); }
    void appendEscaped(QByteArray& out, const QByteArray& text) const override;
    void appendReal(QByteArray& out, const QByteArray& shortest) const override { out += shortest; }
    std::optional<QString> appendTimestamp(QByteArray& out, const QByteArray& text) const override;
    bool textHoldsNul() const override { return true; }
    int decimalExponentLimit() const override { return 100; }
    QString engineName() const override { return QStringLiteral("MySQL"); }
    Expected<void> checkNames(const TablePlan& table) const override;
    Expected<void> loadColumns(const QString& table, TableShape* shape, bool* exists) override;
    Expected<void> createServerTable(const TablePlan& table, const QList<int>& columns,
                                     bool withOverflow) override;
    Expected<void> alterServerTable(const TablePlan& table, const QList<int>& add, bool addOverflow,
                                    const QList<ColumnChange>& changes) override;
    QList<DeclaredType> declaredTypes(const TablePlan& table) const override;
    Family familyOfType(const QString& type) const override;
    Family storedFamily(ColumnStorage storage) const override;
    int charsHeld(const ColumnShape& column) const override;
    int typeRank(const QString& type) const override;
    bool widenDecimal(const ColumnPlan& column, const DecimalShape& held,
                      ColumnChange* change) const override;
    QList<int> inRowWidths(const TablePlan& table) const override;
    int existingWidth(const ColumnShape& column, bool key) const override;
    int overflowWidth() const override { return 42; }
    int defaultOverflowBudget() const override;
    QByteArray overflowExpression(const QString& column, ColumnStorage storage) const override;
    QByteArray placementNameType() const override {
        return "VARCHAR(64) CHARACTER SET utf8mb4 COLLATE " + m_keyCollation.toUtf8();
    }
    QList<ColumnWriter> writersFor(const TablePlan& table, const TableShape& shape) const override;
    Expected<TextRows> selectText(const QByteArray& sql, const QString& what) override;
    Expected<void> runCounted(const QByteArray& sql, const QString& what, qint64* affected) override;
    ReadAs readAs(const ColumnShape& column) const override;
    QByteArray timestampExpression(const QByteArray& column) const override;
    QByteArray timestampLiteral(const QDateTime& instant) const override;

    Expected<void> connectSession();
    // Sends one statement; its result, if any, is left to the caller.
    Expected<void> send(const QByteArray& sql, const QString& what);
    // Sends one statement and discards its result.
    Expected<void> query(const QByteArray& sql, const QString& what);
    QString columnDefinition(const MysqlColumnType& type) const;
    QByteArray overflowDefinition() const;
    // What an existing column costs in the server's 65,535-byte row definition.
    static int rowBytesOf(const ColumnShape& column);
    static MysqlColumnType textColumnType(int maxChars);
    // LOAD DATA: set up on connecting (the file handler, whether the server allows it), and
    // turned off for the session with one log line when the server refuses it.
    void setUpLoadData();
    void stopLoadData(const QString& why);
    // Whether LOAD DATA … REPLACE into `table` does what ON DUPLICATE KEY UPDATE does (asked once
    // a session).
    Expected<bool> replaceIsUpsert(const QString& table);
    // Writes `rows` by LOAD DATA LOCAL … REPLACE; false when the server warned or refused and
    // nothing was written (the statements write them then).
    Expected<bool> loadRows(const TablePlan& table, const RowFormat& format, const QByteArrayList& columns,
                            const QList<const Row*>& rows);
    Expected<void> execute(const TablePlan& table, const QByteArray& sql, const QList<const Row*>& rows,
                           const QByteArray& header, const QByteArray& trailer, const RowFormat& format);
    Error statementError(const TablePlan& table, const Row* row, unsigned code, const QString& message) const;
    Error rowError(const TablePlan& table, const Row* row, unsigned code, const QString& message);
    static bool rowLevel(unsigned code);
    Error serverError(const QString& what) const;
    static bool connectionLost(unsigned code);
    static bool transactionLost(unsigned code);

    // Reading ahead on a second connection (MysqlPrefetch.cpp): a page's rows, sent before its
    // transaction and read back before the next page's.
    bool worthReadingAhead(qsizetype rows);
    bool openPrefetch();
    // Reads the answer of the read sent, if any; false when that failed.
    bool drainPrefetch();
    // drainPrefetch, stopping the reading ahead when it failed.
    void finishPrefetch();
    void stopPrefetch(const QString& step, const QString& why = {});
    void closePrefetch();

    // Writing a page's children on a second connection (MysqlSplit.cpp).
    bool worthSplitting(const PageRows& page) const;
    // The second connection, opened on first use; null when the tables may wait for each other
    // or it cannot be set up (which stops the splitting for the session).
    MysqlDestination* childWriter(const ResourcePlan& plan);
    void stopSplitting(const QString& why);
    // No foreign keys between or to the page's tables and no triggers on them (asked once a
    // session per resource).
    Expected<bool> independentTables(const ResourcePlan& plan);
    Expected<void> applySplit(MysqlDestination& children, const ResourcePlan& plan, const PageRows& page);
    void tableShapeRenewed(const QString& table) override;

    st_mysql* m_mysql = nullptr;
    st_mysql* m_prefetch = nullptr;
    QString m_prefetchName;
    bool m_prefetchPending = false;
    bool m_prefetchOff = false;
    qint64 m_prefetchesSent = 0;
    // OPENRESYNC_MYSQL_PREFETCH: unset, read ahead while the server reads from disk; "1" for every
    // page; "0" never.
    enum class PrefetchMode { WhileReading, Always };
    PrefetchMode m_prefetchMode = PrefetchMode::WhileReading;
    // Innodb_buffer_pool_reads when the last page began, and that page's parent rows.
    std::optional<qint64> m_poolReads;
    qsizetype m_lastPageRows = 0;
    QString m_tlsCipher;
    QString m_keyCollation = QStringLiteral("utf8mb4_bin");
    qsizetype m_maxPacket = 0;
    bool m_loadData = false;
    qint64 m_rowsLoaded = 0;
    Infile m_infile;
    QHash<QString, bool> m_replaceIsUpsert;
    bool m_splitOff = false;
    int m_splitFailures = 0; // pages in a row that failed on two connections, not by a refused value
    QHash<QString, bool> m_independent;
    std::unique_ptr<MysqlDestination> m_childWriter;
    // After m_childWriter: destroyed first, so no task is left using it.
    std::unique_ptr<QThreadPool> m_splitPool;
};

} // namespace ors
