#include "TestSupport.h"

#include <QAtomicInt>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTimeZone>

#include <simdjson.h>

namespace ors::test {

QProcessEnvironment cliEnvironment() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OPENRESYNC_RETRY_BASE_MS"), QStringLiteral("50"));
    env.insert(QStringLiteral("OPENRESYNC_HTTP_TIMEOUT_MS"), QStringLiteral("10000"));
    env.remove(QStringLiteral("OPENRESYNC_CONFIG"));
    env.remove(QStringLiteral("OPENRESYNC_DATA_DIR"));
    return env;
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
                while (query.next()) {
                    QVariantMap row;
                    const QSqlRecord record = query.record();
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

} // namespace

QStringList compareWithServer(const fake::FakeResoServer& server, const QString& resource,
                              const QString& sqlitePath, const QString& table, const QString& keyField,
                              const QString& parentKeyColumn, const QString& parentKeyField, int limit) {
    QStringList problems;
    const QList<QByteArray> records = server.rawRecords(resource);
    const QHash<QString, QVariantMap> rows = readTable(sqlitePath, table, keyField);
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
        for (auto it = fields.begin(); it != fields.end(); ++it) {
            if (it.key().startsWith(QLatin1Char('@')))
                continue;
            if (!row.contains(it.key())) {
                problems.append(QStringLiteral("%1 %2: no column %3").arg(table, key, it.key()));
                continue;
            }
            QString why;
            if (!sameValue(it.value(), row.value(it.key()), &why))
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

QStringList filesUnder(const QString& dir, const QString& pattern) {
    QStringList files;
    QDirIterator it(dir, {pattern}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    return files;
}

} // namespace ors::test
