#pragma once

// The test side of an SQL destination: how a suite opens one on a fresh place and reads back
// what it stored with a connection of its own, for the shared destination cases
// (SqlDestinationCases) and each backend's own suite.

#include "destinations/Destination.h"
#include "records/Metadata.h"
#include "records/TablePlan.h"

#include "PostgresSupport.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QVariant>

#include <memory>

#ifndef ORS_VERIFY_OK
#define ORS_VERIFY_OK(expr)                                                                                  \
    do {                                                                                                     \
        const auto& result_ = (expr);                                                                        \
        QVERIFY2(result_.ok(), qPrintable(result_.ok() ? QString() : result_.errorMessage()));               \
    } while (false)
#endif

namespace ors::test {

// What one column of one stored row must hold: type is SQLite's typeof() ("text", "integer",
// "real", "null"; other backends tell only "null" apart), value the contract's text form
// (timestamps "…T…Z", decimals as sent), json to compare parsed JSON rather than text.
struct Expect {
    QString column;
    QString type;
    QString value;
    bool json = false;
};

// Reads a page body as a sync does and applies it; as under "onBadRecord": "fail", a record that
// cannot be stored fails the page.
Expected<void> applyBody(Destination& destination, const ResourcePlan& plan, const QByteArray& body,
                         QList<QString>* warnings = nullptr);
Expected<ResourcePlan> planFor(const Metadata& metadata, const QString& resource, const QStringList& expand,
                               const QStringList& select = {});
// Property with its Media expanded, from inline metadata.
Expected<ResourcePlan> planFromXml(const QByteArray& xml);

// `destination` opened and its schema ensured; null (and the reason logged) when either failed.
template <typename D>
std::unique_ptr<D> openWithSchema(std::unique_ptr<D> destination, const ResourcePlan& plan) {
    if (auto r = destination->open(); !r) {
        qWarning("%s", qPrintable(r.errorMessage()));
        return nullptr;
    }
    if (auto r = destination->ensureSchema(plan); !r) {
        qWarning("%s", qPrintable(r.errorMessage()));
        return nullptr;
    }
    return destination;
}

// Rows as "cell|cell", NULL as "NULL".
QStringList rowStrings(const QList<QVariantList>& rows);

class SqlTestBackend {
public:
    virtual ~SqlTestBackend() = default;

    virtual QString name() const = 0;
    // Why the suite is skipped rather than run (no server configured where a skip is allowed).
    virtual QString skipReason() const { return {}; }
    // Once per suite; the reason when the backend cannot be used (e.g. no server configured).
    virtual QString setUp() = 0;
    virtual void tearDown() {}
    // Before every test function: a place without tables. The reason when that failed.
    virtual QString reset() = 0;
    // A destination writing to that place, not opened yet.
    virtual std::unique_ptr<Destination> create() = 0;
    // The same with these overflow keys (budget nullopt: the default); null where rows have no
    // size limit (SQLite keeps every field in a column of its own).
    virtual std::unique_ptr<Destination> createWithOverflow(std::optional<int> budget,
                                                            const QStringList& fields) {
        (void)budget;
        (void)fields;
        return nullptr;
    }

    virtual QString quoteId(const QString& identifier) const = 0;
    // All rows of a statement on the suite's own connection; a failure is reported in
    // lastError and yields no rows.
    virtual QList<QVariantList> select(const QString& sql, const QVariantList& binds = {}) = 0;
    virtual bool exec(const QString& sql) = 0;
    // Every mismatch between the stored row of `table` whose key is `key` and the expectations.
    virtual QStringList check(const TablePlan& table, const QString& key, const QList<Expect>& expects) = 0;
    // The stored value as the database's own text, NULL as "NULL".
    virtual QString storedText(const QString& table, const QString& column, const QString& keyColumn,
                               const QString& key) = 0;
    // "name type" per column of `table`, as the database declares it.
    virtual QStringList columnTypes(const QString& table) = 0;
    // Whether text may hold U+0000; PostgreSQL's cannot, and the record is refused instead.
    virtual bool holdsNul() const { return true; }
    // The type columnTypes shows for an Edm.Decimal with these facets.
    virtual QString decimalType(int precision, int scale) const = 0;
    // The type columnTypes shows for an unindexed Edm.String with this MaxLength in a table far
    // from any row-size limit.
    virtual QString stringType(int maxLength) const = 0;

    // Rows as "cell|cell", NULL as "NULL".
    QStringList strings(const QString& sql, const QVariantList& binds = {});
    qint64 count(const QString& table);
    const QString& lastError() const { return m_lastError; }

protected:
    // check() of a server backend: every expected value read as valueExpression's text (a field
    // the table has no column for from _overflow) and compared as compareMysqlValue does.
    QStringList checkServerRow(const TablePlan& table, const QString& key, const QList<Expect>& expects);
    virtual QString valueExpression(const QString& column, ColumnStorage storage, bool overflow) const {
        (void)storage;
        (void)overflow;
        return quoteId(column);
    }

    QString m_lastError;
};

// Every mismatch between a record as fetchRecord read it and the expectations (integers and
// booleans as JSON integers, reals as doubles, decimals by their digits, JSON parsed, the rest
// as text).
QStringList compareFetched(const QJsonObject& record, const TablePlan& table, const QList<Expect>& expects);

// A second connection to an SQLite destination file, the way another program would read it.
class SqliteReader {
public:
    explicit SqliteReader(const QString& path, bool readOnly = true);
    ~SqliteReader();
    SqliteReader(const SqliteReader&) = delete;
    SqliteReader& operator=(const SqliteReader&) = delete;

    QList<QVariantList> select(const QString& sql, const QVariantList& binds = {});
    bool exec(const QString& sql);
    // Every mismatch between the stored row with key = value and the expectations.
    QStringList check(const QString& table, const QString& keyColumn, const QString& key,
                      const QList<Expect>& expects);
    QStringList strings(const QString& sql, const QVariantList& binds = {});
    qint64 count(const QString& table);
    // Secondary indexes created by the destination (origin 'c'), as "name:col1,col2".
    QStringList createdIndexes(const QString& table) { return indexes(table, QStringLiteral("c")); }
    QStringList primaryKeyIndexes(const QString& table) { return indexes(table, QStringLiteral("pk")); }
    const QString& lastError() const { return m_lastError; }

    static QString quoteId(const QString& identifier);

private:
    QStringList indexes(const QString& table, const QString& origin);

    static inline int s_counter = 0;
    QString m_name;
    QString m_lastError;
};

// A file in a temporary directory, new for every test function.
class SqliteTestBackend final : public SqlTestBackend {
public:
    QString name() const override { return QStringLiteral("sqlite"); }
    QString setUp() override { return {}; }
    QString reset() override;
    std::unique_ptr<Destination> create() override;
    QString quoteId(const QString& identifier) const override { return SqliteReader::quoteId(identifier); }
    QList<QVariantList> select(const QString& sql, const QVariantList& binds = {}) override;
    bool exec(const QString& sql) override;
    QStringList check(const TablePlan& table, const QString& key, const QList<Expect>& expects) override;
    QString storedText(const QString& table, const QString& column, const QString& keyColumn,
                       const QString& key) override;
    QStringList columnTypes(const QString& table) override;
    QString decimalType(int, int) const override { return QStringLiteral("TEXT"); }
    QString stringType(int) const override { return QStringLiteral("TEXT"); }

    QString path() const { return m_path; }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

// The test MariaDB (scripts/mariadb-test): ORS_TEST_MYSQL_HOST/PORT/USER/PASSWORD/DATABASE; its
// tables are dropped before every test function.
class MysqlTestBackend final : public SqlTestBackend {
public:
    QString name() const override { return QStringLiteral("mysql"); }
    QString setUp() override;
    void tearDown() override;
    QString reset() override;
    std::unique_ptr<Destination> create() override;
    QString quoteId(const QString& identifier) const override;
    QList<QVariantList> select(const QString& sql, const QVariantList& binds = {}) override;
    bool exec(const QString& sql) override;
    std::unique_ptr<Destination> createWithOverflow(std::optional<int> budget,
                                                    const QStringList& fields) override;
    // Each value read as the server's own text (CAST … AS CHAR, JSON_VALUE of _overflow), compared
    // by the column's storage.
    QStringList check(const TablePlan& table, const QString& key, const QList<Expect>& expects) override;
    QString storedText(const QString& table, const QString& column, const QString& keyColumn,
                       const QString& key) override;
    // Display widths of integer types dropped (MySQL 8 has none); " bin" after a binary collation.
    QStringList columnTypes(const QString& table) override;
    QString decimalType(int precision, int scale) const override {
        return QStringLiteral("decimal(%1,%2)").arg(precision).arg(scale);
    }
    // VARCHAR up to 255 characters, TEXT up to its 16,383 four-byte characters.
    QString stringType(int maxLength) const override {
        return maxLength <= 255     ? QStringLiteral("varchar(%1)").arg(maxLength)
               : maxLength <= 16383 ? QStringLiteral("text")
                                    : QStringLiteral("mediumtext");
    }

    const DestinationConfig& config() const { return m_config; }
    const QString& password() const { return m_password; }

protected:
    QString valueExpression(const QString& column, ColumnStorage storage, bool overflow) const override;

private:
    DestinationConfig m_config;
    QString m_password;
    const QString m_control = QStringLiteral("tst-mysql-control");
};

// The test PostgreSQL (scripts/postgres-test, ORS_TEST_PG_*): a database of the suite's own
// (ors_test_<suite>_<pid>_<n>), dropped at the end; its schemas are emptied before every test
// function. Skipped when ORS_TEST_PG_HOST is unset (postgresSkipReason).
class PostgresTestBackend final : public SqlTestBackend {
public:
    QString name() const override { return QStringLiteral("postgresql"); }
    QString skipReason() const override { return postgresSkipReason(); }
    QString setUp() override;
    void tearDown() override;
    QString reset() override;
    std::unique_ptr<Destination> create() override;
    QString quoteId(const QString& identifier) const override { return quotePostgresIdentifier(identifier); }
    QList<QVariantList> select(const QString& sql, const QVariantList& binds = {}) override;
    bool exec(const QString& sql) override;
    std::unique_ptr<Destination> createWithOverflow(std::optional<int> budget,
                                                    const QStringList& fields) override;
    // Each value read as the server's own text (timestamps in UTC, ->> of _overflow), compared by
    // the column's storage.
    QStringList check(const TablePlan& table, const QString& key, const QList<Expect>& expects) override;
    QString storedText(const QString& table, const QString& column, const QString& keyColumn,
                       const QString& key) override;
    // format_type() of each column; " collate C" after a byte-order collation.
    QStringList columnTypes(const QString& table) override;
    bool holdsNul() const override { return false; }
    QString decimalType(int precision, int scale) const override {
        return QStringLiteral("numeric(%1,%2)").arg(precision).arg(scale);
    }
    QString stringType(int maxLength) const override {
        return QStringLiteral("character varying(%1)").arg(maxLength);
    }

    // A new connection of the suite's own (after the server was restarted); the error, if any.
    QString reconnect();
    const DestinationConfig& config() const { return m_config; }
    const PostgresServer& server() const { return m_server; }
    const QString& database() const { return m_database.name; }

protected:
    QString valueExpression(const QString& column, ColumnStorage storage, bool overflow) const override;

private:
    PostgresServer m_server;
    PostgresTestDatabase m_database;
    std::unique_ptr<PostgresConnection> m_control;
    DestinationConfig m_config;
};

} // namespace ors::test
