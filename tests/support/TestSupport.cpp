#include "TestSupport.h"

#include "PostgresSupport.h"
#include "processes/BatchFiles.h"

#include <QAtomicInt>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTimeZone>

#include <simdjson.h>

#include <functional>
#include <optional>

namespace ors::test {

QProcessEnvironment cliEnvironment() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OPENRESYNC_RETRY_BASE_MS"), QStringLiteral("50"));
    env.insert(QStringLiteral("OPENRESYNC_HTTP_TIMEOUT_MS"), QStringLiteral("10000"));
    env.remove(QStringLiteral("OPENRESYNC_CONFIG"));
    env.remove(QStringLiteral("OPENRESYNC_DATA_DIR"));
    return env;
}

QString sourcePath(const QString& relative) {
    return QStringLiteral(ORS_SOURCE_DIR "/") + relative;
}

QStringList cliArgs(const QString& config, const QString& dataDir, const QStringList& command) {
    return QStringList{QStringLiteral("--config"), config, QStringLiteral("--data-dir"), dataDir} + command;
}

CliResult runCli(const QStringList& args, const QProcessEnvironment& env, int timeoutMs) {
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(ORS_CLI_PATH), args);
    CliResult result;
    if (!process.waitForStarted(10000)) {
        result.crashed = true;
        return result;
    }
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        result.crashed = true;
    }
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.crashed = result.crashed || process.exitStatus() != QProcess::NormalExit;
    return result;
}

std::unique_ptr<QProcess> startCli(const QStringList& args, const QProcessEnvironment& env) {
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(env);
    process->start(QStringLiteral(ORS_CLI_PATH), args);
    process->waitForStarted(10000);
    return process;
}

QJsonObject sourceConfig(const QString& name, const QString& serviceUrl, const QStringList& sqlitePaths,
                         int pageSize) {
    QJsonArray destinations;
    int i = 0;
    for (const QString& path : sqlitePaths)
        destinations.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("local%1").arg(i++)},
                                        {QStringLiteral("type"), QStringLiteral("sqlite")},
                                        {QStringLiteral("path"), path}});
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("platform"), QStringLiteral("generic")},
        {QStringLiteral("serviceUrl"), serviceUrl},
        {QStringLiteral("pageSize"), pageSize},
        {QStringLiteral("resources"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")},
                                {QStringLiteral("expand"),
                                 QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Media")}}}}},
                    QJsonObject{{QStringLiteral("name"), QStringLiteral("Member")}}}},
        {QStringLiteral("destinations"), destinations},
    };
}

QJsonObject configWith(const QJsonObject& source) {
    return QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("sources"), QJsonArray{source}}};
}

QString writeConfig(const QString& dir, const QJsonObject& root) {
    const QString path = QDir(dir).filePath(QStringLiteral("config.json"));
    QFile file(path);
    file.open(QIODevice::WriteOnly | QIODevice::Truncate);
    file.write(QJsonDocument(root).toJson());
    return path;
}

QHash<QString, QVariantMap> readTable(const QString& sqlitePath, const QString& table,
                                      const QString& keyColumn) {
    static QAtomicInt counter;
    const QString name = QStringLiteral("test-read-%1").arg(counter.fetchAndAddRelaxed(1));
    QHash<QString, QVariantMap> rows;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(sqlitePath);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("SELECT * FROM \"%1\"").arg(table))) {
                // The names once: the driver builds a whole record on each record() call.
                const QSqlRecord record = query.record();
                while (query.next()) {
                    QVariantMap row;
                    for (int i = 0; i < record.count(); ++i)
                        row.insert(record.fieldName(i), query.value(i));
                    rows.insert(row.value(keyColumn).toString(), row);
                }
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return rows;
}

namespace {

namespace od = simdjson::ondemand;

struct RawField {
    od::json_type type;
    QByteArray text; // string content, raw number, or raw JSON
};

QHash<QString, RawField> rawFields(const QByteArray& json) {
    QHash<QString, RawField> fields;
    od::parser parser;
    simdjson::padded_string padded(json.constData(), size_t(json.size()));
    od::document doc = parser.iterate(padded);
    for (auto field : doc.get_object()) {
        std::string_view key = field.unescaped_key();
        od::value value = field.value();
        RawField raw{value.type(), {}};
        switch (raw.type) {
        case od::json_type::string: {
            std::string_view s = value.get_string();
            raw.text = QByteArray(s.data(), qsizetype(s.size()));
            break;
        }
        case od::json_type::number:
        case od::json_type::boolean: {
            std::string_view s = value.raw_json_token();
            while (!s.empty() && (s.back() == ' ' || s.back() == '\n'))
                s.remove_suffix(1);
            raw.text = QByteArray(s.data(), qsizetype(s.size()));
            break;
        }
        case od::json_type::array: {
            od::array array = value.get_array();
            std::string_view s = array.raw_json();
            raw.text = QByteArray(s.data(), qsizetype(s.size()));
            break;
        }
        case od::json_type::object: {
            od::object object = value.get_object();
            std::string_view s = object.raw_json();
            raw.text = QByteArray(s.data(), qsizetype(s.size()));
            break;
        }
        case od::json_type::null:
            break;
        }
        fields.insert(QString::fromUtf8(key.data(), qsizetype(key.size())), raw);
    }
    return fields;
}

// The stored form the destination contract prescribes, derived independently of the program.
bool sameValue(const RawField& raw, const QVariant& stored, QString* why) {
    switch (raw.type) {
    case od::json_type::null:
        if (!stored.isNull())
            *why = QStringLiteral("expected NULL, stored %1").arg(stored.toString());
        return stored.isNull();
    case od::json_type::boolean: {
        const qlonglong expected = raw.text == "true" ? 1 : 0;
        if (stored.isNull() || stored.toLongLong() != expected) {
            *why = QStringLiteral("expected %1, stored %2").arg(expected).arg(stored.toString());
            return false;
        }
        return true;
    }
    case od::json_type::number: {
        // Integers compare as integers, everything else digit for digit.
        if (stored.typeId() == QMetaType::LongLong || stored.typeId() == QMetaType::Int) {
            if (QByteArray::number(stored.toLongLong()) == raw.text)
                return true;
        } else if (stored.typeId() == QMetaType::Double) {
            if (stored.toDouble() == raw.text.toDouble())
                return true;
        } else if (stored.toString().toUtf8() == raw.text) {
            return true;
        }
        *why = QStringLiteral("expected %1, stored %2").arg(QString::fromUtf8(raw.text), stored.toString());
        return false;
    }
    case od::json_type::string: {
        const QString sent = QString::fromUtf8(raw.text);
        QString expected = sent;
        // A DateTimeOffset is stored as its UTC instant with milliseconds and Z.
        static const QRegularExpression ts(
            QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)$"));
        if (ts.match(sent).hasMatch()) {
            QDateTime t = QDateTime::fromString(sent, Qt::ISODateWithMs);
            expected = t.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz'Z'"));
        }
        if (stored.toString() != expected || stored.isNull()) {
            *why = QStringLiteral("expected \"%1\", stored \"%2\"")
                       .arg(expected.left(80), stored.toString().left(80));
            return false;
        }
        return true;
    }
    case od::json_type::array:
    case od::json_type::object: {
        const QJsonDocument a = QJsonDocument::fromJson(raw.text);
        const QJsonDocument b = QJsonDocument::fromJson(stored.toString().toUtf8());
        if (a != b || b.isNull()) {
            *why = QStringLiteral("expected JSON %1, stored %2")
                       .arg(QString::fromUtf8(raw.text.left(80)), stored.toString().left(80));
            return false;
        }
        return true;
    }
    }
    return false;
}

// A value of _overflow as the engines' comparisons take a column's: numbers as their digits (a
// decimal there keeps all of them), booleans as 0/1, arrays and objects as their JSON text.
QVariant overflowValue(const std::optional<RawField>& found) {
    if (!found)
        return {};
    const RawField& raw = *found;
    switch (raw.type) {
    case od::json_type::null:
        return {};
    case od::json_type::boolean:
        return QVariant(qlonglong(raw.text == "true" ? 1 : 0));
    default:
        return QVariant(QString::fromUtf8(raw.text));
    }
}

// The field-by-field comparison both destinations share; `same` knows how the engine stores values.
using SameValue =
    std::function<bool(const RawField& sent, const QString& column, const QVariant& stored, QString* why)>;
QStringList compareRows(const QList<QByteArray>& records, const QHash<QString, QVariantMap>& rows,
                        const QString& table, const QString& keyField, const QString& parentKeyColumn,
                        const QString& parentKeyField, int limit, const SameValue& same) {
    QStringList problems;
    if (rows.size() != records.size())
        problems.append(QStringLiteral("%1: server has %2 records, destination %3 rows")
                            .arg(table)
                            .arg(records.size())
                            .arg(rows.size()));
    for (const QByteArray& json : records) {
        if (problems.size() >= limit)
            break;
        const QHash<QString, RawField> fields = rawFields(json);
        const QString key = QString::fromUtf8(fields.value(keyField).text);
        if (!rows.contains(key)) {
            problems.append(QStringLiteral("%1 %2: missing").arg(table, key));
            continue;
        }
        const QVariantMap& row = rows.value(key);
        // A MySQL or PostgreSQL table past its overflowBudget keeps the other fields in the JSON
        // column _overflow, by column name, null values left out (docs/user-guide.md, "Rows wider
        // than the server allows").
        const bool hasOverflow = row.contains(QStringLiteral("_overflow"));
        const QHash<QString, RawField> overflow =
            hasOverflow && !row.value(QStringLiteral("_overflow")).isNull()
                ? rawFields(row.value(QStringLiteral("_overflow")).toByteArray())
                : QHash<QString, RawField>();
        for (auto it = fields.begin(); it != fields.end(); ++it) {
            if (it.key().startsWith(QLatin1Char('@')))
                continue;
            QString why;
            if (!row.contains(it.key())) {
                if (!hasOverflow) {
                    problems.append(QStringLiteral("%1 %2: no column %3").arg(table, key, it.key()));
                } else if (!same(it.value(), QString(),
                                 overflowValue(overflow.contains(it.key())
                                                   ? std::optional(overflow.value(it.key()))
                                                   : std::nullopt),
                                 &why)) {
                    problems.append(
                        QStringLiteral("%1 %2 field %3 (in _overflow): %4").arg(table, key, it.key(), why));
                }
                continue;
            }
            if (!same(it.value(), it.key(), row.value(it.key()), &why))
                problems.append(QStringLiteral("%1 %2 field %3: %4").arg(table, key, it.key(), why));
        }
        if (!parentKeyColumn.isEmpty()) {
            const QString parent = QString::fromUtf8(fields.value(parentKeyField).text);
            if (row.value(parentKeyColumn).toString() != parent)
                problems.append(QStringLiteral("%1 %2: parent key %3, expected %4")
                                    .arg(table, key, row.value(parentKeyColumn).toString(), parent));
        }
    }
    return problems;
}

} // namespace

QStringList compareWithServer(const fake::FakeResoServer& server, const QString& resource,
                              const QString& sqlitePath, const QString& table, const QString& keyField,
                              const QString& parentKeyColumn, const QString& parentKeyField, int limit) {
    return compareRows(server.rawRecords(resource), readTable(sqlitePath, table, keyField), table, keyField,
                       parentKeyColumn, parentKeyField, limit,
                       [](const RawField& sent, const QString&, const QVariant& stored, QString* why) {
                           return sameValue(sent, stored, why);
                       });
}

QStringList compareRecords(const QList<QByteArray>& records, const QString& sqlitePath, const QString& table,
                           const QString& keyField, const QString& parentKeyColumn,
                           const QString& parentKeyField, int limit) {
    return compareRows(records, readTable(sqlitePath, table, keyField), table, keyField, parentKeyColumn,
                       parentKeyField, limit,
                       [](const RawField& sent, const QString&, const QVariant& stored, QString* why) {
                           return sameValue(sent, stored, why);
                       });
}

QStringList compareRowsWithServer(const QList<QByteArray>& records, const QHash<QString, QVariantMap>& rows,
                                  const QString& table, const QString& keyField,
                                  const QString& parentKeyColumn, const QString& parentKeyField, int limit) {
    return compareRows(records, rows, table, keyField, parentKeyColumn, parentKeyField, limit,
                       [](const RawField& sent, const QString&, const QVariant& stored, QString* why) {
                           return sameValue(sent, stored, why);
                       });
}

QStringList filesUnder(const QString& dir, const QString& pattern) {
    QStringList files;
    QDirIterator it(dir, {pattern}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    return files;
}

QByteArray fileText(const QString& path) {
    // As the program reads its page files; a file it cannot read that way is taken as it is.
    const QFileInfo info(path);
    if (auto text = BatchFiles(info.path(), {}).read(info.fileName()))
        return *text;
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray contentsUnder(const QString& dir) {
    QByteArray all;
    for (const QString& path : filesUnder(dir, QStringLiteral("*")))
        all += fileText(path);
    return all;
}

} // namespace ors::test

// ---- MySQL / MariaDB -------------------------------------------------------------------------

namespace ors::test {

namespace {

// One QMYSQL connection of its own for the lifetime of the object, removed afterwards.
class MysqlConnection {
public:
    MysqlConnection(const MysqlServer& server, const QString& database) {
        static QAtomicInt counter;
        m_name = QStringLiteral("test-mysql-%1").arg(counter.fetchAndAddRelaxed(1));
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QMYSQL"), m_name);
        m_db.setHostName(server.host);
        m_db.setPort(server.port);
        m_db.setUserName(server.user);
        m_db.setPassword(server.password);
        m_db.setDatabaseName(database);
        m_db.setConnectOptions(QStringLiteral("MYSQL_OPT_CONNECT_TIMEOUT=5;MYSQL_OPT_READ_TIMEOUT=120"));
        if (!m_db.isValid())
            m_error = QStringLiteral("the Qt MySQL driver (QMYSQL) is not available");
        else if (!m_db.open())
            m_error = QStringLiteral("cannot connect to MySQL %1:%2 as %3: %4")
                          .arg(server.host)
                          .arg(server.port)
                          .arg(server.user, m_db.lastError().text());
    }
    ~MysqlConnection() {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    MysqlConnection(const MysqlConnection&) = delete;
    MysqlConnection& operator=(const MysqlConnection&) = delete;

    bool ok() const { return m_error.isEmpty(); }
    const QString& error() const { return m_error; }
    QSqlDatabase& db() { return m_db; }

    // Returns the error of the statement, empty on success.
    QString exec(const QString& sql) {
        QSqlQuery query(m_db);
        if (query.exec(sql))
            return {};
        return QStringLiteral("%1: %2").arg(sql.left(200), query.lastError().text());
    }

private:
    QString m_name;
    QString m_error;
    QSqlDatabase m_db;
};

QString quoteMysqlIdentifier(const QString& name) {
    QString quoted = name;
    quoted.replace(QLatin1Char('`'), QStringLiteral("``"));
    return QLatin1Char('`') + quoted + QLatin1Char('`');
}

// "2024-05-01 10:00:00.123000" (DATETIME/TIMESTAMP as text) -> "2024-05-01T10:00:00.123Z".
QString normalizedMysqlDateTime(const QString& text) {
    QString date = text.left(10);
    QString time = text.mid(11, 8);
    QString fraction = text.size() > 20 ? text.mid(20) : QString();
    while (fraction.size() > 3 && fraction.endsWith(QLatin1Char('0')))
        fraction.chop(1);
    while (fraction.size() < 3)
        fraction.append(QLatin1Char('0'));
    return date + QLatin1Char('T') + time + QLatin1Char('.') + fraction + QLatin1Char('Z');
}

bool isIntegerVariant(const QVariant& v) {
    switch (v.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Char:
    case QMetaType::SChar:
    case QMetaType::UChar:
        return true;
    default:
        return false;
    }
}

// The stored form of the MySQL destination contract, derived independently of the program.
bool sameValueMysql(const RawField& raw, const QVariant& stored, const QString& columnType, QString* why) {
    switch (raw.type) {
    case od::json_type::null:
        if (!stored.isNull())
            *why = QStringLiteral("expected NULL, stored %1").arg(stored.toString());
        return stored.isNull();
    case od::json_type::boolean: {
        const qlonglong expected = raw.text == "true" ? 1 : 0;
        bool ok = false;
        const qlonglong value = stored.isNull() ? -1 : stored.toLongLong(&ok);
        if (!ok || value != expected) {
            *why = QStringLiteral("expected %1, stored %2 (%3)")
                       .arg(expected)
                       .arg(stored.toString(), columnType);
            return false;
        }
        return true;
    }
    case od::json_type::number: {
        if (!stored.isNull()) {
            if (columnType == QLatin1String("double") || columnType == QLatin1String("float") ||
                columnType == QLatin1String("real")) {
                bool a = false;
                bool b = false;
                if (stored.toDouble(&a) == raw.text.toDouble(&b) && a && b)
                    return true;
            } else if (isIntegerVariant(stored)) {
                if (QByteArray::number(stored.toLongLong()) == raw.text)
                    return true;
            } else {
                const QByteArray expected = canonicalDecimal(raw.text);
                if (!expected.isEmpty() && canonicalDecimal(stored.toString().toUtf8()) == expected)
                    return true;
            }
        }
        *why = QStringLiteral("expected %1, stored %2 (%3)")
                   .arg(QString::fromUtf8(raw.text),
                        stored.isNull() ? QStringLiteral("NULL") : stored.toString(), columnType);
        return false;
    }
    case od::json_type::string: {
        const QString sent = QString::fromUtf8(raw.text);
        QString expected = sent;
        static const QRegularExpression ts(
            QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)$"));
        if (ts.match(sent).hasMatch()) {
            QDateTime t = QDateTime::fromString(sent, Qt::ISODateWithMs);
            expected = t.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz'Z'"));
        }
        QString value = stored.toString();
        if (stored.typeId() == QMetaType::QDate)
            value = stored.toDate().toString(Qt::ISODate);
        if (stored.isNull() || value != expected) {
            *why = QStringLiteral("expected \"%1\", stored \"%2\" (%3)")
                       .arg(expected.left(80), stored.isNull() ? QStringLiteral("NULL") : value.left(80),
                            columnType);
            return false;
        }
        return true;
    }
    case od::json_type::array:
    case od::json_type::object: {
        const QJsonDocument a = QJsonDocument::fromJson(raw.text);
        const QJsonDocument b = QJsonDocument::fromJson(stored.toString().toUtf8());
        if (a != b || b.isNull()) {
            *why = QStringLiteral("expected JSON %1, stored %2 (%3)")
                       .arg(QString::fromUtf8(raw.text.left(80)), stored.toString().left(80), columnType);
            return false;
        }
        return true;
    }
    }
    return false;
}

} // namespace

QString mysqlExec(const MysqlServer& server, const QString& database, const QStringList& statements) {
    MysqlConnection connection(server, database);
    if (!connection.ok())
        return connection.error();
    for (const QString& sql : statements) {
        const QString error = connection.exec(sql);
        if (!error.isEmpty())
            return error;
    }
    return {};
}

QString recreateMysqlDatabase(const MysqlServer& server, const QString& name) {
    if (!name.startsWith(QLatin1String("ors_test_")))
        return QStringLiteral("test databases are named ors_test_<something>, not %1").arg(name);
    return mysqlExec(server, {},
                     {QStringLiteral("DROP DATABASE IF EXISTS %1").arg(quoteMysqlIdentifier(name)),
                      QStringLiteral("CREATE DATABASE %1").arg(quoteMysqlIdentifier(name))});
}

QHash<QString, QVariantMap> readMysqlTable(const MysqlServer& server, const QString& database,
                                           const QString& table, const QString& keyColumn, QString* error,
                                           QHash<QString, QString>* columnTypes) {
    QHash<QString, QVariantMap> rows;
    QString problem;
    {
        MysqlConnection connection(server, database);
        if (!connection.ok()) {
            problem = connection.error();
        } else if (QString e = connection.exec(QStringLiteral("SET time_zone = '+00:00'")); !e.isEmpty()) {
            problem = e;
        } else {
            QStringList columns;
            QHash<QString, QString> types;
            {
                QSqlQuery query(connection.db());
                query.prepare(
                    QStringLiteral("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS "
                                   "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION"));
                query.addBindValue(database);
                query.addBindValue(table);
                if (!query.exec())
                    problem = query.lastError().text();
                while (query.next()) {
                    columns.append(query.value(0).toString());
                    types.insert(query.value(0).toString(), query.value(1).toString().toLower());
                }
            }
            if (problem.isEmpty() && columns.isEmpty())
                problem = QStringLiteral("table %1.%2 does not exist").arg(database, table);
            QStringList select;
            for (const QString& column : std::as_const(columns)) {
                const QString type = types.value(column);
                const QString q = quoteMysqlIdentifier(column);
                // Qt 6.4's QMYSQL returns DECIMAL as a double, whatever the precision policy:
                // the server's own text keeps every digit.
                if (type == QLatin1String("datetime") || type == QLatin1String("timestamp") ||
                    type == QLatin1String("json") || type == QLatin1String("decimal") ||
                    type == QLatin1String("numeric"))
                    select.append(QStringLiteral("CAST(%1 AS CHAR) AS %1").arg(q));
                else if (type == QLatin1String("bit"))
                    select.append(QStringLiteral("CAST(%1 AS UNSIGNED) AS %1").arg(q));
                else
                    select.append(q);
            }
            if (problem.isEmpty()) {
                QSqlQuery query(connection.db());
                query.setForwardOnly(true);
                if (!query.exec(QStringLiteral("SELECT %1 FROM %2")
                                    .arg(select.join(QStringLiteral(", ")), quoteMysqlIdentifier(table)))) {
                    problem = query.lastError().text();
                }
                const QSqlRecord record = query.record();
                while (query.next()) {
                    QVariantMap row;
                    for (int i = 0; i < record.count(); ++i) {
                        const QString field = record.fieldName(i);
                        const QString type = types.value(field);
                        QVariant value = query.value(i);
                        if (!value.isNull() &&
                            (type == QLatin1String("datetime") || type == QLatin1String("timestamp")))
                            value = normalizedMysqlDateTime(value.toString());
                        row.insert(field, value);
                    }
                    rows.insert(row.value(keyColumn).toString(), row);
                }
            }
            if (columnTypes)
                *columnTypes = types;
        }
    }
    if (error)
        *error = problem;
    return rows;
}

QStringList compareRecordsMysql(const QList<QByteArray>& records, const MysqlServer& server,
                                const QString& database, const QString& table, const QString& keyField,
                                const QString& parentKeyColumn, const QString& parentKeyField, int limit) {
    QString error;
    QHash<QString, QString> types;
    const QHash<QString, QVariantMap> rows =
        readMysqlTable(server, database, table, keyField, &error, &types);
    if (!error.isEmpty())
        return {QStringLiteral("%1.%2: %3").arg(database, table, error)};
    return compareRows(
        records, rows, table, keyField, parentKeyColumn, parentKeyField, limit,
        [&types](const RawField& sent, const QString& column, const QVariant& stored, QString* why) {
            return sameValueMysql(sent, stored, types.value(column), why);
        });
}

QStringList compareWithServerMysql(const fake::FakeResoServer& fakeServer, const QString& resource,
                                   const MysqlServer& server, const QString& database, const QString& table,
                                   const QString& keyField, const QString& parentKeyColumn,
                                   const QString& parentKeyField, int limit) {
    return compareRecordsMysql(fakeServer.rawRecords(resource), server, database, table, keyField,
                               parentKeyColumn, parentKeyField, limit);
}

QStringList compareRecordsPostgres(const QList<QByteArray>& records, const PostgresServer& server,
                                   const QString& database, const QString& table, const QString& keyField,
                                   const QString& parentKeyColumn, const QString& parentKeyField, int limit) {
    QString error;
    QHash<QString, QString> types;
    const QHash<QString, QVariantMap> rows =
        readPostgresTable(server, database, table, keyField, &error, &types);
    if (!error.isEmpty())
        return {QStringLiteral("%1.%2: %3").arg(database, table, error)};
    return compareRows(
        records, rows, table, keyField, parentKeyColumn, parentKeyField, limit,
        [&types](const RawField& sent, const QString& column, const QVariant& stored, QString* why) {
            return sameValueMysql(sent, stored, types.value(column), why);
        });
}

QStringList compareWithServerPostgres(const fake::FakeResoServer& fakeServer, const QString& resource,
                                      const PostgresServer& server, const QString& database,
                                      const QString& table, const QString& keyField,
                                      const QString& parentKeyColumn, const QString& parentKeyField,
                                      int limit) {
    return compareRecordsPostgres(fakeServer.rawRecords(resource), server, database, table, keyField,
                                  parentKeyColumn, parentKeyField, limit);
}

QByteArray canonicalDecimal(const QByteArray& text) {
    static const QRegularExpression number(QStringLiteral("^([+-]?)(\\d*)(?:\\.(\\d*))?$"));
    const QRegularExpressionMatch m = number.match(QString::fromLatin1(text.trimmed()));
    if (!m.hasMatch() || (m.capturedLength(2) == 0 && m.capturedLength(3) == 0))
        return {};
    QString integer = m.captured(2);
    QString fraction = m.captured(3);
    while (integer.size() > 1 && integer.startsWith(QLatin1Char('0')))
        integer.remove(0, 1);
    if (integer.isEmpty())
        integer = QStringLiteral("0");
    while (fraction.endsWith(QLatin1Char('0')))
        fraction.chop(1);
    QString result = integer;
    if (!fraction.isEmpty())
        result += QLatin1Char('.') + fraction;
    const bool zero = integer == QLatin1String("0") && fraction.isEmpty();
    if (m.captured(1) == QLatin1String("-") && !zero)
        result.prepend(QLatin1Char('-'));
    return result.toLatin1();
}

} // namespace ors::test
