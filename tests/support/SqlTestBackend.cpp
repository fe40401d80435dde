#include "SqlTestBackend.h"

#include "destinations/MysqlDestination.h"
#include "destinations/PostgresDestination.h"
#include "destinations/SqliteDestination.h"
#include "records/SchemaPlanner.h"
#include "reso/MetadataParser.h"
#include "reso/PageReader.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace ors::test {

using namespace Qt::StringLiterals;

namespace {

QString compareSqliteValue(const Expect& e, const QString& type, const QVariant& value) {
    const auto mismatch = [&](const QString& what) {
        return u"%1: %2 (stored %3 %4, expected %5 %6)"_s.arg(e.column, what, type, value.toString(), e.type,
                                                              e.value);
    };
    if (type != e.type)
        return mismatch(u"storage class differs"_s);
    if (e.type == u"null")
        return {};
    if (e.type == u"integer")
        return value.toLongLong() == e.value.toLongLong() ? QString() : mismatch(u"integer differs"_s);
    if (e.type == u"real")
        return value.toDouble() == e.value.toDouble() ? QString() : mismatch(u"real differs"_s);
    const QString text = value.toString();
    if (!e.json)
        return text == e.value ? QString() : mismatch(u"text differs"_s);
    QJsonParseError storedError, expectedError;
    const QJsonDocument stored = QJsonDocument::fromJson(text.toUtf8(), &storedError);
    const QJsonDocument expected = QJsonDocument::fromJson(e.value.toUtf8(), &expectedError);
    if (storedError.error != QJsonParseError::NoError)
        return mismatch(u"stored text is not JSON: "_s + storedError.errorString());
    if (expectedError.error != QJsonParseError::NoError)
        return mismatch(u"the test's expected JSON is broken: "_s + expectedError.errorString());
    return stored == expected ? QString() : mismatch(u"JSON differs"_s);
}

// A decimal's digits in one canonical form: exponent expanded, no leading or trailing zeros.
QString canonicalDecimal(const QString& text) {
    static const QRegularExpression re(u"^\\s*([+-]?)(\\d*)(?:\\.(\\d*))?(?:[eE]([+-]?\\d+))?\\s*$"_s);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return u"not a number: "_s + text;
    QString digits = m.captured(2) + m.captured(3);
    qsizetype point = m.captured(2).size() + m.captured(4).toInt();
    if (point < 0) {
        digits.prepend(QString(-point, u'0'));
        point = 0;
    }
    if (point > digits.size())
        digits.append(QString(point - digits.size(), u'0'));
    QString whole = digits.left(point);
    QString fraction = digits.mid(point);
    while (whole.startsWith(u'0'))
        whole.remove(0, 1);
    while (fraction.endsWith(u'0'))
        fraction.chop(1);
    if (whole.isEmpty())
        whole = u"0"_s;
    const bool zero = whole == u"0" && fraction.isEmpty();
    return (m.captured(1) == u"-" && !zero ? u"-"_s : QString()) + whole +
           (fraction.isEmpty() ? QString() : u'.' + fraction);
}

// "2024-05-01T10:00:00.123Z" -> "2024-05-01 10:00:00.123", DATETIME(3) as text.
QString mysqlDateTime(const QString& contract) {
    return contract.left(10) + u' ' + contract.mid(11, 12);
}

QString compareMysqlValue(const Expect& e, ColumnStorage storage, const QVariant& value) {
    const QString text = value.toString();
    const auto mismatch = [&](const QString& what) {
        return u"%1: %2 (stored %3, expected %4)"_s.arg(e.column, what,
                                                        value.isNull() ? u"NULL"_s : text.left(120),
                                                        e.type == u"null" ? u"NULL"_s : e.value.left(120));
    };
    if (e.type == u"null")
        return value.isNull() ? QString() : mismatch(u"not NULL"_s);
    if (value.isNull())
        return mismatch(u"NULL"_s);
    if (e.json) {
        QJsonParseError storedError, expectedError;
        const QJsonDocument stored = QJsonDocument::fromJson(text.toUtf8(), &storedError);
        const QJsonDocument expected = QJsonDocument::fromJson(e.value.toUtf8(), &expectedError);
        if (storedError.error != QJsonParseError::NoError)
            return mismatch(u"stored text is not JSON: "_s + storedError.errorString());
        return stored == expected ? QString() : mismatch(u"JSON differs"_s);
    }
    switch (storage) {
    case ColumnStorage::Decimal:
        return canonicalDecimal(text) == canonicalDecimal(e.value) ? QString()
                                                                   : mismatch(u"decimal differs"_s);
    case ColumnStorage::Real:
        return text.toDouble() == e.value.toDouble() ? QString() : mismatch(u"double differs"_s);
    case ColumnStorage::Integer:
    case ColumnStorage::Boolean:
        return text == e.value ? QString() : mismatch(u"integer differs"_s);
    case ColumnStorage::Timestamp:
        return text == mysqlDateTime(e.value) ? QString() : mismatch(u"timestamp differs"_s);
    default:
        return text == e.value ? QString() : mismatch(u"text differs"_s);
    }
}

} // namespace

Expected<void> applyBody(Destination& destination, const ResourcePlan& plan, const QByteArray& body,
                         QList<QString>* warnings) {
    auto rows = PageReader::read(body, plan, u"test page"_s);
    if (!rows)
        return rows.error();
    if (!rows->rejected.isEmpty())
        return makeError(rows->rejected.first().reason);
    if (warnings)
        *warnings = rows->warnings;
    return destination.apply(plan, *rows);
}

Expected<ResourcePlan> planFor(const Metadata& metadata, const QString& resource, const QStringList& expand,
                               const QStringList& select) {
    ResourceConfig config;
    config.name = resource;
    config.select = select;
    for (const QString& name : expand)
        config.expand.append(ExpandConfig{name, true});
    return SchemaPlanner::plan(metadata, config);
}

Expected<ResourcePlan> planFromXml(const QByteArray& xml) {
    auto metadata = MetadataParser::parse(xml, u"inline"_s);
    if (!metadata)
        return metadata.error();
    return planFor(*metadata, u"Property"_s, {u"Media"_s});
}

QStringList rowStrings(const QList<QVariantList>& rows) {
    QStringList out;
    for (const QVariantList& row : rows) {
        QStringList cells;
        for (const QVariant& cell : row)
            cells.append(cell.isNull() ? u"NULL"_s : cell.toString());
        out.append(cells.join(u'|'));
    }
    return out;
}

QStringList SqlTestBackend::strings(const QString& sql, const QVariantList& binds) {
    return rowStrings(select(sql, binds));
}

qint64 SqlTestBackend::count(const QString& table) {
    const QList<QVariantList> rows = select(u"SELECT COUNT(*) FROM "_s + quoteId(table));
    return rows.isEmpty() ? -1 : rows.first().first().toLongLong();
}

// --- SqliteReader ---

SqliteReader::SqliteReader(const QString& path, bool readOnly)
    : m_name(u"tst-reader-%1"_s.arg(++s_counter)) {
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
    db.setDatabaseName(path);
    if (readOnly)
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
    if (!db.open())
        qWarning("cannot open %s: %s", qPrintable(path), qPrintable(db.lastError().text()));
}

SqliteReader::~SqliteReader() {
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
}

QString SqliteReader::quoteId(const QString& identifier) {
    return u'"' + QString(identifier).replace(u'"', u"\"\""_s) + u'"';
}

QList<QVariantList> SqliteReader::select(const QString& sql, const QVariantList& binds) {
    QSqlQuery query(QSqlDatabase::database(m_name, false));
    m_lastError.clear();
    if (!query.prepare(sql)) {
        m_lastError = query.lastError().text() + u" in "_s + sql;
        return {};
    }
    for (const QVariant& bind : binds)
        query.addBindValue(bind);
    if (!query.exec()) {
        m_lastError = query.lastError().text() + u" in "_s + sql;
        return {};
    }
    return allRows(query);
}

bool SqliteReader::exec(const QString& sql) {
    QSqlQuery query(QSqlDatabase::database(m_name, false));
    if (query.exec(sql))
        return true;
    m_lastError = query.lastError().text();
    return false;
}

QStringList SqliteReader::check(const QString& table, const QString& keyColumn, const QString& key,
                                const QList<Expect>& expects) {
    QStringList problems;
    constexpr qsizetype chunkSize = 300; // two result columns per column, SQLite allows 2000
    for (qsizetype start = 0; start < expects.size(); start += chunkSize) {
        const QList<Expect> chunk = expects.mid(start, chunkSize);
        QStringList parts;
        for (const Expect& e : chunk)
            parts.append(u"typeof(%1), %1"_s.arg(quoteId(e.column)));
        const QList<QVariantList> rows = select(
            u"SELECT %1 FROM %2 WHERE %3 = ?"_s.arg(parts.join(u", "_s), quoteId(table), quoteId(keyColumn)),
            {key});
        if (!m_lastError.isEmpty())
            return {m_lastError};
        if (rows.size() != 1)
            return {u"%1 rows in %2 with %3 = %4, expected 1"_s.arg(rows.size()).arg(table, keyColumn, key)};
        for (qsizetype i = 0; i < chunk.size(); ++i) {
            const QString problem = compareSqliteValue(chunk.at(i), rows.first().at(2 * i).toString(),
                                                       rows.first().at(2 * i + 1));
            if (!problem.isEmpty())
                problems.append(problem);
        }
    }
    return problems;
}

QStringList SqliteReader::strings(const QString& sql, const QVariantList& binds) {
    return rowStrings(select(sql, binds));
}

qint64 SqliteReader::count(const QString& table) {
    const QList<QVariantList> rows = select(u"SELECT COUNT(*) FROM "_s + quoteId(table));
    return rows.isEmpty() ? -1 : rows.first().first().toLongLong();
}

QStringList SqliteReader::indexes(const QString& table, const QString& origin) {
    QStringList out;
    for (const QVariantList& index : select(u"PRAGMA index_list(%1)"_s.arg(quoteId(table)))) {
        if (index.at(3).toString() != origin)
            continue;
        QStringList columns;
        for (const QVariantList& info :
             select(u"PRAGMA index_info(%1)"_s.arg(quoteId(index.at(1).toString()))))
            columns.append(info.at(2).toString());
        out.append(index.at(1).toString() + u':' + columns.join(u','));
    }
    out.sort();
    return out;
}

// --- server backends ---

QStringList SqlTestBackend::checkServerRow(const TablePlan& table, const QString& key,
                                           const QList<Expect>& expects) {
    QSet<QString> columns;
    for (const QString& column : columnTypes(table.table))
        columns.insert(column.section(u' ', 0, 0).toLower());
    QStringList problems;
    constexpr qsizetype chunkSize = 200;
    for (qsizetype start = 0; start < expects.size(); start += chunkSize) {
        const QList<Expect> chunk = expects.mid(start, chunkSize);
        QStringList parts;
        QList<bool> overflow;
        for (const Expect& e : chunk) {
            const int index = table.columnIndex(e.column);
            // A field the table has no column for is read from _overflow, where it then is.
            overflow.append(!columns.contains(e.column.toLower()));
            parts.append(valueExpression(e.column,
                                         index >= 0 ? table.columns.at(index).storage : ColumnStorage::Text,
                                         overflow.last()));
        }
        const QList<QVariantList> rows =
            select(u"SELECT %1 FROM %2 WHERE %3 = ?"_s.arg(parts.join(u", "_s), quoteId(table.table),
                                                           quoteId(table.primaryKey.first())),
                   {key});
        if (!m_lastError.isEmpty())
            return {m_lastError};
        if (rows.size() != 1)
            return {u"%1 rows in %2 with key %3, expected 1"_s.arg(rows.size()).arg(table.table, key)};
        for (qsizetype i = 0; i < chunk.size(); ++i) {
            const int index = table.columnIndex(chunk.at(i).column);
            if (index < 0) {
                problems.append(u"no column "_s + chunk.at(i).column);
                continue;
            }
            const ColumnStorage storage = table.columns.at(index).storage;
            QVariant value = rows.first().at(i);
            if (overflow.at(i) && !value.isNull()) {
                // JSON's true/false and the contract's timestamps, as a column reads them.
                const QString text = value.toString();
                if (storage == ColumnStorage::Boolean)
                    value = text == u"true" ? u"1"_s : text == u"false" ? u"0"_s : text;
                else if (storage == ColumnStorage::Timestamp)
                    value = mysqlDateTime(text);
            }
            const QString problem = compareMysqlValue(chunk.at(i), storage, value);
            if (!problem.isEmpty())
                problems.append((overflow.at(i) ? u"_overflow "_s : QString()) + problem);
        }
    }
    return problems;
}

QStringList compareFetched(const QJsonObject& record, const TablePlan& table, const QList<Expect>& expects) {
    QStringList problems;
    for (const Expect& e : expects) {
        const int index = table.columnIndex(e.column);
        const QJsonValue value = record.value(e.column);
        const QString shown =
            value.isString() ? value.toString().left(120)
            : value.isDouble()
                ? QString::number(value.toDouble(), 'g', 17)
                : QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
        const auto mismatch = [&](const QString& what) {
            return u"fetchRecord %1: %2 (read %3, expected %4)"_s.arg(e.column, what, shown,
                                                                      e.value.left(120));
        };
        if (index < 0 || value.isUndefined()) {
            problems.append(mismatch(u"absent"_s));
            continue;
        }
        if (e.type == u"null") {
            if (!value.isNull())
                problems.append(mismatch(u"not null"_s));
            continue;
        }
        if (value.isNull()) {
            problems.append(mismatch(u"null"_s));
            continue;
        }
        const ColumnStorage storage = table.columns.at(index).storage;
        bool same = false;
        if (e.json)
            same = QJsonDocument::fromJson(value.toString().toUtf8()) ==
                   QJsonDocument::fromJson(e.value.toUtf8());
        else if (storage == ColumnStorage::Decimal)
            same = canonicalDecimal(value.toString()) == canonicalDecimal(e.value);
        else if (e.type == u"integer")
            same = value.isDouble() && value.toInteger() == e.value.toLongLong();
        else if (e.type == u"real")
            same = value.isDouble() && value.toDouble() == e.value.toDouble();
        else
            same = value.isString() && value.toString() == e.value;
        if (!same)
            problems.append(mismatch(u"differs"_s));
    }
    return problems;
}

// --- SqliteTestBackend ---

QString SqliteTestBackend::reset() {
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid())
        return u"cannot create a temporary directory: "_s + m_dir->errorString();
    m_path = m_dir->filePath(u"dest.sqlite"_s);
    return {};
}

std::unique_ptr<Destination> SqliteTestBackend::create() {
    return std::make_unique<SqliteDestination>(u"test"_s, m_path);
}

QList<QVariantList> SqliteTestBackend::select(const QString& sql, const QVariantList& binds) {
    SqliteReader reader(m_path);
    QList<QVariantList> rows = reader.select(sql, binds);
    m_lastError = reader.lastError();
    return rows;
}

bool SqliteTestBackend::exec(const QString& sql) {
    SqliteReader reader(m_path, false);
    const bool ok = reader.exec(sql);
    m_lastError = reader.lastError();
    return ok;
}

QStringList SqliteTestBackend::check(const TablePlan& table, const QString& key,
                                     const QList<Expect>& expects) {
    SqliteReader reader(m_path);
    return reader.check(table.table, table.columns.at(table.keyColumn).name, key, expects);
}

QString SqliteTestBackend::storedText(const QString& table, const QString& column, const QString& keyColumn,
                                      const QString& key) {
    const QStringList rows = strings(
        u"SELECT %1 FROM %2 WHERE %3 = ?"_s.arg(quoteId(column), quoteId(table), quoteId(keyColumn)), {key});
    return rows.size() == 1 ? rows.first() : u"%1 rows"_s.arg(rows.size());
}

QStringList SqliteTestBackend::columnTypes(const QString& table) {
    QStringList out;
    for (const QVariantList& column : select(u"PRAGMA table_info(%1)"_s.arg(quoteId(table))))
        out.append(column.at(1).toString() + u' ' + column.at(2).toString());
    return out;
}

// --- MysqlTestBackend ---

QString MysqlTestBackend::setUp() {
    const QString host = qEnvironmentVariable("ORS_TEST_MYSQL_HOST");
    const QString port = qEnvironmentVariable("ORS_TEST_MYSQL_PORT");
    const QString user = qEnvironmentVariable("ORS_TEST_MYSQL_USER");
    const QString database = qEnvironmentVariable("ORS_TEST_MYSQL_DATABASE");
    m_password = qEnvironmentVariable("ORS_TEST_MYSQL_PASSWORD");
    if (host.isEmpty() || port.isEmpty() || user.isEmpty() || database.isEmpty())
        return u"ORS_TEST_MYSQL_HOST/PORT/USER/PASSWORD/DATABASE are not set: this suite needs a MariaDB "
               "server; run it through scripts/test, which starts one and sets them"_s;
    m_config.name = u"maria"_s;
    m_config.type = DestinationType::Mysql;
    m_config.host = host;
    m_config.port = port.toInt();
    m_config.user = user;
    m_config.database = database;
    m_config.password = SecretRef{SecretRef::Kind::Literal, m_password};

    QSqlDatabase db = QSqlDatabase::addDatabase(u"QMYSQL"_s, m_control);
    if (!db.isValid())
        return u"the Qt MySQL driver (QMYSQL, package libqt6sql6-mysql) is missing"_s;
    db.setHostName(host);
    db.setPort(m_config.port);
    db.setUserName(user);
    db.setPassword(m_password);
    db.setDatabaseName(database);
    if (!db.open())
        return u"cannot connect to %1:%2: %3"_s.arg(host, port, db.lastError().text());
    if (!exec(u"SET NAMES utf8mb4"_s))
        return m_lastError;
    return {};
}

void MysqlTestBackend::tearDown() {
    (void)reset();
    {
        QSqlDatabase db = QSqlDatabase::database(m_control, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_control);
}

QString MysqlTestBackend::reset() {
    for (const QString& table :
         strings(u"SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"_s))
        if (!exec(u"DROP TABLE "_s + quoteId(table)))
            return m_lastError;
    return {};
}

std::unique_ptr<Destination> MysqlTestBackend::create() {
    return std::make_unique<MysqlDestination>(m_config, u"src"_s);
}

QString MysqlTestBackend::quoteId(const QString& identifier) const {
    return u'`' + QString(identifier).replace(u'`', u"``"_s) + u'`';
}

QList<QVariantList> MysqlTestBackend::select(const QString& sql, const QVariantList& binds) {
    QSqlQuery query(QSqlDatabase::database(m_control, false));
    m_lastError.clear();
    const bool ok = binds.isEmpty() ? query.exec(sql) : [&] {
        if (!query.prepare(sql))
            return false;
        for (const QVariant& bind : binds)
            query.addBindValue(bind);
        return query.exec();
    }();
    if (!ok) {
        m_lastError = query.lastError().text() + u" in "_s + sql.left(300);
        return {};
    }
    return allRows(query);
}

bool MysqlTestBackend::exec(const QString& sql) {
    QSqlQuery query(QSqlDatabase::database(m_control, false));
    if (query.exec(sql))
        return true;
    m_lastError = query.lastError().text();
    return false;
}

QStringList MysqlTestBackend::check(const TablePlan& table, const QString& key,
                                    const QList<Expect>& expects) {
    return checkServerRow(table, key, expects);
}

QString MysqlTestBackend::valueExpression(const QString& column, ColumnStorage storage, bool overflow) const {
    if (!overflow)
        return u"CAST(%1 AS CHAR)"_s.arg(quoteId(column));
    return u"%1(`_overflow`, '$.\"%2\"')"_s.arg(
        storage == ColumnStorage::Json ? u"JSON_EXTRACT"_s : u"JSON_VALUE"_s, column);
}

std::unique_ptr<Destination> MysqlTestBackend::createWithOverflow(std::optional<int> budget,
                                                                  const QStringList& fields) {
    DestinationConfig config = m_config;
    config.overflowBudget = budget;
    config.overflowFields = fields;
    return std::make_unique<MysqlDestination>(config, u"src"_s);
}

QString MysqlTestBackend::storedText(const QString& table, const QString& column, const QString& keyColumn,
                                     const QString& key) {
    const QStringList rows = strings(u"SELECT CAST(%1 AS CHAR) FROM %2 WHERE %3 = ?"_s.arg(
                                         quoteId(column), quoteId(table), quoteId(keyColumn)),
                                     {key});
    return rows.size() == 1 ? rows.first() : u"%1 rows"_s.arg(rows.size());
}

QStringList MysqlTestBackend::columnTypes(const QString& table) {
    QStringList out;
    static const QRegularExpression width(u"^(bigint|int|smallint|mediumint)\\(\\d+\\)"_s);
    for (QString line :
         strings(u"SELECT CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, IF(COLLATION_NAME LIKE '%%bin', "
                 "' bin', '')) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                 "AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION"_s,
                 {table})) {
        const qsizetype space = line.indexOf(u' ');
        QString type = line.mid(space + 1);
        type.replace(width, u"\\1"_s);
        out.append(line.left(space) + u' ' + type);
    }
    return out;
}

// --- PostgresTestBackend ---

QString PostgresTestBackend::setUp() {
    const auto server = postgresServer();
    if (!server)
        return u"ORS_TEST_PG_HOST/PORT/USER/PASSWORD/DATABASE are not set: this suite needs a PostgreSQL "
               "server; run it through scripts/test, which starts one and sets them"_s;
    m_server = *server;
    const QString suite = QCoreApplication::applicationName().remove(u"tst_"_s).left(20);
    if (QString e = m_database.create(m_server, suite); !e.isEmpty())
        return e;
    m_config.name = u"pg"_s;
    m_config.type = DestinationType::Postgresql;
    m_config.host = m_server.host;
    m_config.port = m_server.port;
    m_config.user = m_server.user;
    m_config.database = m_database.name;
    m_config.password = SecretRef{SecretRef::Kind::Literal, m_server.password};
    m_control = std::make_unique<PostgresConnection>(m_server, m_database.name);
    return m_control->error();
}

void PostgresTestBackend::tearDown() {
    m_control.reset();
}

QString PostgresTestBackend::reconnect() {
    m_control.reset();
    m_control = std::make_unique<PostgresConnection>(m_server, m_database.name);
    return m_control->error();
}

QString PostgresTestBackend::reset() {
    // Every schema the tests made goes, with its tables; public comes back empty.
    for (const QString& schema :
         strings(u"SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> "
                 "'information_schema'"_s))
        if (!exec(u"DROP SCHEMA %1 CASCADE"_s.arg(quoteId(schema))))
            return m_lastError;
    if (!exec(u"CREATE SCHEMA public"_s))
        return m_lastError;
    return {};
}

std::unique_ptr<Destination> PostgresTestBackend::create() {
    return std::make_unique<PostgresDestination>(m_config, u"src"_s);
}

QList<QVariantList> PostgresTestBackend::select(const QString& sql, const QVariantList& binds) {
    if (!m_control) {
        m_lastError = u"not connected"_s;
        return {};
    }
    return m_control->select(sql, binds, &m_lastError);
}

bool PostgresTestBackend::exec(const QString& sql) {
    if (!m_control) {
        m_lastError = u"not connected"_s;
        return false;
    }
    m_lastError = m_control->exec(sql);
    return m_lastError.isEmpty();
}

QStringList PostgresTestBackend::check(const TablePlan& table, const QString& key,
                                       const QList<Expect>& expects) {
    return checkServerRow(table, key, expects);
}

// Timestamps as DATETIME(3) text in UTC, booleans as 0/1, everything else as the server writes it:
// the text compareMysqlValue compares.
QString PostgresTestBackend::valueExpression(const QString& column, ColumnStorage storage,
                                             bool overflow) const {
    if (overflow)
        return u"(\"_overflow\"->>'%1')"_s.arg(column);
    const QString quoted = quoteId(column);
    if (storage == ColumnStorage::Timestamp)
        return u"to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')"_s.arg(quoted);
    if (storage == ColumnStorage::Boolean)
        return u"(%1::int)::text"_s.arg(quoted);
    return u"%1::text"_s.arg(quoted);
}

std::unique_ptr<Destination> PostgresTestBackend::createWithOverflow(std::optional<int> budget,
                                                                     const QStringList& fields) {
    DestinationConfig config = m_config;
    config.overflowBudget = budget;
    config.overflowFields = fields;
    return std::make_unique<PostgresDestination>(config, u"src"_s);
}

QString PostgresTestBackend::storedText(const QString& table, const QString& column, const QString& keyColumn,
                                        const QString& key) {
    const QStringList rows = strings(
        u"SELECT %1::text FROM %2 WHERE %3 = ?"_s.arg(quoteId(column), quoteId(table), quoteId(keyColumn)),
        {key});
    return rows.size() == 1 ? rows.first() : u"%1 rows"_s.arg(rows.size());
}

QStringList PostgresTestBackend::columnTypes(const QString& table) {
    return strings(u"SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN "
                   "co.collname = 'C' THEN ' collate C' ELSE '' END FROM pg_attribute a JOIN pg_class c "
                   "ON c.oid = a.attrelid LEFT JOIN pg_collation co ON co.oid = a.attcollation WHERE "
                   "c.relname = ? AND c.relnamespace = current_schema()::regnamespace AND a.attnum > 0 "
                   "AND NOT a.attisdropped ORDER BY a.attnum"_s,
                   {table});
}

} // namespace ors::test
