#include "destinations/SqliteDestination.h"
#include "records/Metadata.h"
#include "records/SchemaPlanner.h"
#include "reso/MetadataParser.h"
#include "reso/PageReader.h"

#include "DestinationCases.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace ors;
using ors::test::jsonString;
using ors::test::kCaseTwinColumns;
using ors::test::kCaseTwinEdmx;
using ors::test::kCaseTwinRecord;
using ors::test::kEdmx;
using ors::test::page;
using namespace Qt::StringLiterals;

namespace {

QString ddPath(const QString& fileName) {
    return QStringLiteral(ORS_SHARED_DATA_DIR) + u"/reso-dd/"_s + fileName;
}

QString quoteId(const QString& identifier) {
    return u'"' + QString(identifier).replace(u'"', u"\"\""_s) + u'"';
}

// What one column of one stored row must hold: SQLite's typeof() and the value's text form.
struct Expect {
    QString column;
    QString type; // "text", "integer", "real", "null"
    QString value;
    bool json = false; // compare parsed JSON, not text
};

QString compareValue(const Expect& e, const QString& type, const QVariant& value) {
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

// A second connection to the destination file, the way another program would read it.
class Reader {
public:
    explicit Reader(const QString& path, bool readOnly = true)
        : m_name(u"tst-reader-%1"_s.arg(++s_counter)) {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        db.setDatabaseName(path);
        if (readOnly)
            db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (!db.open())
            qWarning("cannot open %s: %s", qPrintable(path), qPrintable(db.lastError().text()));
    }
    ~Reader() {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    // All rows of a statement; a failure is reported in lastError and yields no rows.
    QList<QVariantList> select(const QString& sql, const QVariantList& binds = {}) {
        QList<QVariantList> rows;
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        m_lastError.clear();
        if (!query.prepare(sql)) {
            m_lastError = query.lastError().text() + u" in "_s + sql;
            return rows;
        }
        for (const QVariant& bind : binds)
            query.addBindValue(bind);
        if (!query.exec()) {
            m_lastError = query.lastError().text() + u" in "_s + sql;
            return rows;
        }
        while (query.next()) {
            QVariantList row;
            for (int i = 0; i < query.record().count(); ++i)
                row.append(query.value(i));
            rows.append(row);
        }
        return rows;
    }

    bool exec(const QString& sql) {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        if (query.exec(sql))
            return true;
        m_lastError = query.lastError().text();
        return false;
    }

    // Every mismatch between the stored row with key = value and the expectations.
    QStringList check(const QString& table, const QString& keyColumn, const QString& key,
                      const QList<Expect>& expects) {
        QStringList problems;
        constexpr qsizetype chunkSize = 300; // two result columns per column, SQLite allows 2000
        for (qsizetype start = 0; start < expects.size(); start += chunkSize) {
            const QList<Expect> chunk = expects.mid(start, chunkSize);
            QStringList parts;
            for (const Expect& e : chunk)
                parts.append(u"typeof(%1), %1"_s.arg(quoteId(e.column)));
            const QList<QVariantList> rows =
                select(u"SELECT %1 FROM %2 WHERE %3 = ?"_s.arg(parts.join(u", "_s), quoteId(table),
                                                               quoteId(keyColumn)),
                       {key});
            if (!m_lastError.isEmpty())
                return {m_lastError};
            if (rows.size() != 1)
                return {
                    u"%1 rows in %2 with %3 = %4, expected 1"_s.arg(rows.size()).arg(table, keyColumn, key)};
            for (qsizetype i = 0; i < chunk.size(); ++i) {
                const QString problem =
                    compareValue(chunk.at(i), rows.first().at(2 * i).toString(), rows.first().at(2 * i + 1));
                if (!problem.isEmpty())
                    problems.append(problem);
            }
        }
        return problems;
    }

    QStringList strings(const QString& sql, const QVariantList& binds = {}) {
        QStringList out;
        for (const QVariantList& row : select(sql, binds)) {
            QStringList cells;
            for (const QVariant& cell : row)
                cells.append(cell.isNull() ? u"NULL"_s : cell.toString());
            out.append(cells.join(u'|'));
        }
        return out;
    }

    qint64 count(const QString& table) {
        const QList<QVariantList> rows = select(u"SELECT COUNT(*) FROM "_s + quoteId(table));
        return rows.isEmpty() ? -1 : rows.first().first().toLongLong();
    }

    // Secondary indexes created by the destination (origin 'c'), as "name:col1,col2".
    QStringList createdIndexes(const QString& table) { return indexes(table, u"c"_s); }
    QStringList primaryKeyIndexes(const QString& table) { return indexes(table, u"pk"_s); }

    const QString& lastError() const { return m_lastError; }

private:
    QStringList indexes(const QString& table, const QString& origin) {
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

    static inline int s_counter = 0;
    QString m_name;
    QString m_lastError;
};

Expected<void> applyBody(Destination& destination, const ResourcePlan& plan, const QByteArray& body,
                         QList<QString>* warnings = nullptr) {
    auto rows = PageReader::read(body, plan, u"test page"_s);
    if (!rows)
        return rows.error();
    // As under "onBadRecord": "fail": a record that cannot be stored fails the page.
    if (!rows->rejected.isEmpty())
        return makeError(rows->rejected.first().reason);
    if (warnings)
        *warnings = rows->warnings;
    return destination.apply(plan, *rows);
}

Expected<ResourcePlan> planFor(const Metadata& metadata, const QString& resource, const QStringList& expand) {
    ResourceConfig config;
    config.name = resource;
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

// A record with every column of `table` filled with a plausible value of its type, and what each
// column must then hold. The parent-key column of a child table is expected to carry parentKey.
struct Generated {
    QByteArray json;
    QList<Expect> expects;
};

Generated generateRecord(const Metadata& metadata, const TablePlan& table, const QString& key, int seed,
                         int parentKeyColumn = -1, const QString& parentKey = {}) {
    Generated out;
    QByteArrayList members;
    int n = seed;
    for (int c = 0; c < table.columns.size(); ++c) {
        const ColumnPlan& column = table.columns.at(c);
        const Field& field = column.field;
        ++n;
        if (c == parentKeyColumn) {
            out.expects.append(Expect{column.name, u"text"_s, parentKey});
            continue;
        }
        QByteArray json;
        Expect e{column.name, u"text"_s, {}};
        const EnumType* enumType =
            field.kind == EdmKind::Enum ? metadata.enumType(field.elementType) : nullptr;
        QStringList enumMembers;
        if (enumType)
            for (const EnumMember& member : enumType->members)
                enumMembers.append(member.name);
        if (enumMembers.isEmpty())
            enumMembers = QStringList{u"Unknown"_s, u"Other"_s};

        if (c == table.keyColumn) {
            json = jsonString(key);
            e.value = key;
        } else if (field.isCollection) {
            QJsonArray array;
            if (field.kind == EdmKind::Enum) {
                array.append(enumMembers.at(n % enumMembers.size()));
                if (enumMembers.size() > 1)
                    array.append(enumMembers.at((n + 1) % enumMembers.size()));
            } else if (field.kind == EdmKind::Complex) {
                array.append(QJsonObject{{u"Name"_s, u"item é"_s}, {u"Count"_s, n}});
            } else {
                array = QJsonArray{u"first ✓"_s, u"second \"quoted\""_s};
            }
            json = QJsonDocument(array).toJson(QJsonDocument::Compact);
            e.value = QString::fromUtf8(json);
            e.json = true;
        } else {
            switch (field.kind) {
            case EdmKind::String:
            case EdmKind::Unknown:
            case EdmKind::Binary: {
                QString text = u"%1 é ✓ 'q' \"d\" \\ %2"_s.arg(column.name).arg(n);
                if (field.maxLength && *field.maxLength > 0)
                    text = text.left(*field.maxLength);
                json = jsonString(text);
                e.value = text;
                break;
            }
            case EdmKind::Boolean:
                json = n % 2 ? "true" : "false";
                e = Expect{column.name, u"integer"_s, n % 2 ? u"1"_s : u"0"_s};
                break;
            case EdmKind::Byte:
            case EdmKind::SByte:
            case EdmKind::Int16:
            case EdmKind::Int32:
                json = QByteArray::number(n % 100);
                e = Expect{column.name, u"integer"_s, QString::number(n % 100)};
                break;
            case EdmKind::Int64:
                json = QByteArray::number(Q_INT64_C(9007199254740993) + n);
                e = Expect{column.name, u"integer"_s, QString::fromLatin1(json)};
                break;
            case EdmKind::Decimal: {
                // As many digits as Precision/Scale allow: exact text, never a double.
                const int scale = field.scale.value_or(6);
                const int intDigits = field.precision ? qMax(1, qMin(*field.precision - scale, 20)) : 20;
                const QByteArray digits = "98765432109876543210987654321";
                QByteArray number = digits.left(intDigits);
                if (scale > 0)
                    number += '.' + QByteArray("12345678901234567890").left(scale);
                json = number;
                e.value = QString::fromLatin1(number);
                break;
            }
            case EdmKind::Double:
            case EdmKind::Single:
                json = QByteArray::number(n) + ".25";
                e = Expect{column.name, u"real"_s, QString::fromLatin1(json)};
                break;
            case EdmKind::Date:
                json = "\"2023-02-" + QByteArray::number(10 + n % 18) + "\"";
                e.value = u"2023-02-%1"_s.arg(10 + n % 18);
                break;
            case EdmKind::DateTimeOffset: {
                const QByteArray minute = QByteArray::number(n % 60).rightJustified(2, '0');
                json = "\"2024-01-01T01:" + minute + ":07.1234567+02:00\"";
                e.value = u"2023-12-31T23:%1:07.123Z"_s.arg(QString::fromLatin1(minute));
                break;
            }
            case EdmKind::TimeOfDay:
                json = "\"10:15:30\"";
                e.value = u"10:15:30"_s;
                break;
            case EdmKind::Duration:
                json = "\"PT1H30M\"";
                e.value = u"PT1H30M"_s;
                break;
            case EdmKind::Guid:
                json = "\"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"";
                e.value = u"3f2504e0-4f89-11d3-9a0c-0305e82c3301"_s;
                break;
            case EdmKind::Geography:
                json = "{\"type\":\"Point\",\"coordinates\":[-122.4194,37.7749]}";
                e.value = QString::fromLatin1(json);
                e.json = true;
                break;
            case EdmKind::Complex:
                json = "{\"Name\":\"value\",\"Count\":3}";
                e.value = QString::fromLatin1(json);
                e.json = true;
                break;
            case EdmKind::Enum:
                if (field.enumIsFlags && enumMembers.size() > 1)
                    e.value = enumMembers.at(0) + u',' + enumMembers.at(1);
                else
                    e.value = enumMembers.at(n % enumMembers.size());
                json = jsonString(e.value);
                break;
            }
        }
        members.append(jsonString(column.field.name) + ':' + json);
        out.expects.append(e);
    }
    out.json = '{' + members.join(',') + '}';
    return out;
}

} // namespace

#define ORS_VERIFY_OK(expr)                                                                                  \
    do {                                                                                                     \
        const auto& result_ = (expr);                                                                        \
        QVERIFY2(result_.ok(), qPrintable(result_.ok() ? QString() : result_.errorMessage()));               \
    } while (false)

class TestSqliteDestination : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void plannedStorage();
    void schema();
    void roundTrip_data();
    void roundTrip();
    void decimalsRoundedToScale_data();
    void decimalsRoundedToScale();
    void roundingWarnedOncePerField();
    void fullRecordWithMedia();
    void wrongTypes_data();
    void wrongTypes();
    void upsertReplacesValues();
    void childrenReplacedOnParentUpdate();
    void metadataGrowth();
    void dataDictionary_data();
    void dataDictionary();
    void recordWithoutKey();
    void malformedNumberRejectsRecord_data();
    void malformedNumberRejectsRecord();
    void lastCopyOfARecordDecides();
    void refusalIsNotSetAside();
    void invalidJson_data();
    void invalidJson();
    void failedPageLeavesNothing();
    void countAndNewestTimestamp();
    void readOnlyMissingFile();
    void sameNameDifferentFiles();
    void numericKeysInByteOrder();
    void purgeKeysSparesRowsChangedSinceTheKeyList();
    void hostileValues_data();
    void hostileValues();
    void hostileCellsAreBound();
    void caseTwinColumns();

private:
    std::unique_ptr<SqliteDestination> openDestination(const QString& path, const ResourcePlan& plan);

    ResourcePlan m_plan;
};

void TestSqliteDestination::initTestCase() {
    auto plan = planFromXml(kEdmx);
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.errorMessage()));
    m_plan = std::move(*plan);
    QCOMPARE(m_plan.children.size(), 1);
}

std::unique_ptr<SqliteDestination> TestSqliteDestination::openDestination(const QString& path,
                                                                          const ResourcePlan& plan) {
    auto destination = std::make_unique<SqliteDestination>(u"test"_s, path);
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

void TestSqliteDestination::plannedStorage() {
    // How each EDM type is classified decides its SQLite type; check the plan the tests rely on.
    const QList<std::pair<QString, ColumnStorage>> expected = {
        {u"ListingKey"_s, ColumnStorage::Text},
        {u"ListingId"_s, ColumnStorage::Text},
        {u"PublicRemarks"_s, ColumnStorage::LongText},
        {u"BedroomsTotal"_s, ColumnStorage::Integer},
        {u"BigNumber"_s, ColumnStorage::Integer},
        {u"ListPrice"_s, ColumnStorage::Decimal},
        {u"PreciseRatio"_s, ColumnStorage::Decimal},
        {u"LotSizeAcres"_s, ColumnStorage::Decimal},
        {u"Latitude"_s, ColumnStorage::Real},
        {u"NewConstructionYN"_s, ColumnStorage::Boolean},
        {u"ListingContractDate"_s, ColumnStorage::Date},
        {u"ModificationTimestamp"_s, ColumnStorage::Timestamp},
        {u"StandardStatus"_s, ColumnStorage::Text},
        {u"Appliances"_s, ColumnStorage::LongText},
        {u"Keywords"_s, ColumnStorage::Json},
        {u"Address"_s, ColumnStorage::Json},
        {u"Coordinates"_s, ColumnStorage::Json},
    };
    QCOMPARE(m_plan.table.columns.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QCOMPARE(m_plan.table.columns.at(i).name, expected.at(i).first);
        QVERIFY2(m_plan.table.columns.at(i).storage == expected.at(i).second,
                 qPrintable(expected.at(i).first));
    }
    QVERIFY(m_plan.table.columns.at(m_plan.table.columnIndex(u"Appliances"_s)).field.enumIsFlags);
}

void TestSqliteDestination::schema() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // The destination creates missing parent directories.
    const QString path = dir.filePath(u"nested/dir/dest.sqlite"_s);
    auto destination = openDestination(path, m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(destination->ensureSchema(m_plan)); // idempotent

    Reader reader(path);
    QCOMPARE(reader.strings(u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s),
             (QStringList{u"Media"_s, u"Property"_s}));
    QCOMPARE(reader.strings(u"PRAGMA table_info(Property)"_s).size(), 17);

    // cid|name|type|notnull|dflt_value|pk
    const QStringList propertyColumns = {
        u"0|ListingKey|TEXT|0|NULL|1"_s,
        u"1|ListingId|TEXT|0|NULL|0"_s,
        u"2|PublicRemarks|TEXT|0|NULL|0"_s,
        u"3|BedroomsTotal|INTEGER|0|NULL|0"_s,
        u"4|BigNumber|INTEGER|0|NULL|0"_s,
        u"5|ListPrice|TEXT|0|NULL|0"_s,
        u"6|PreciseRatio|TEXT|0|NULL|0"_s,
        u"7|LotSizeAcres|TEXT|0|NULL|0"_s,
        u"8|Latitude|REAL|0|NULL|0"_s,
        u"9|NewConstructionYN|INTEGER|0|NULL|0"_s,
        u"10|ListingContractDate|TEXT|0|NULL|0"_s,
        u"11|ModificationTimestamp|TEXT|0|NULL|0"_s,
        u"12|StandardStatus|TEXT|0|NULL|0"_s,
        u"13|Appliances|TEXT|0|NULL|0"_s,
        u"14|Keywords|TEXT|0|NULL|0"_s,
        u"15|Address|TEXT|0|NULL|0"_s,
        u"16|Coordinates|TEXT|0|NULL|0"_s,
    };
    QCOMPARE(reader.strings(u"PRAGMA table_info(Property)"_s), propertyColumns);
    QCOMPARE(reader.createdIndexes(u"Property"_s),
             QStringList{u"idx_Property_ModificationTimestamp:ModificationTimestamp"_s});
    QCOMPARE(reader.primaryKeyIndexes(u"Property"_s).size(), 1);
    QVERIFY(reader.primaryKeyIndexes(u"Property"_s).first().endsWith(u":ListingKey"_s));

    // The child table is named after the navigation target and carries the parent's key, indexed.
    const QStringList mediaColumns = {
        u"0|MediaKey|TEXT|0|NULL|1"_s,   u"1|MediaURL|TEXT|0|NULL|0"_s,
        u"2|Order|INTEGER|0|NULL|0"_s,   u"3|ModificationTimestamp|TEXT|0|NULL|0"_s,
        u"4|ListingKey|TEXT|0|NULL|0"_s,
    };
    QCOMPARE(reader.strings(u"PRAGMA table_info(Media)"_s), mediaColumns);
    QCOMPARE(reader.createdIndexes(u"Media"_s),
             (QStringList{u"idx_Media_ListingKey:ListingKey"_s,
                          u"idx_Media_ModificationTimestamp:ModificationTimestamp"_s}));
    QCOMPARE(reader.primaryKeyIndexes(u"Media"_s).size(), 1);
    QVERIFY(reader.primaryKeyIndexes(u"Media"_s).first().endsWith(u":MediaKey"_s));

    QCOMPARE(reader.strings(u"PRAGMA journal_mode"_s), QStringList{u"wal"_s});
}

void TestSqliteDestination::roundTrip_data() {
    test::addRoundTripRows();
}

void TestSqliteDestination::roundTrip() {
    QFETCH(QString, field);
    QFETCH(QByteArray, json);
    QFETCH(QString, type);
    QFETCH(QString, expected);
    QFETCH(bool, isJson);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    auto destination = openDestination(path, m_plan);
    QVERIFY(destination);
    QList<QString> warnings;
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({"{\"ListingKey\":\"RT-1\"," + jsonString(field) + ":" + json + "}"}),
                            &warnings));
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));

    Reader reader(path);
    const QStringList problems =
        reader.check(u"Property"_s, u"ListingKey"_s, u"RT-1"_s, {Expect{field, type, expected, isJson}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(reader.count(u"Property"_s), 1);
    QCOMPARE(reader.count(u"Media"_s), 0);
}

void TestSqliteDestination::decimalsRoundedToScale_data() {
    test::addScaleRoundingRows();
}

void TestSqliteDestination::decimalsRoundedToScale() {
    QFETCH(QString, field);
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    ResourcePlan plan = m_plan;
    plan.roundingNoticed = std::make_shared<NoticeSet>(); // a run of its own
    auto destination = openDestination(path, plan);
    QVERIFY(destination);
    QList<QString> warnings;
    ORS_VERIFY_OK(applyBody(*destination, plan,
                            page({"{\"ListingKey\":\"SC-1\"," + jsonString(field) + ":" + json + "}"}),
                            &warnings));
    Reader reader(path);
    const QStringList problems =
        reader.check(u"Property"_s, u"ListingKey"_s, u"SC-1"_s, {Expect{field, u"text"_s, expected}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().startsWith(u"Property field %1: "_s.arg(field)), qPrintable(warnings.first()));
    QVERIFY2(warnings.first().contains(u"ListingKey \"SC-1\""_s), qPrintable(warnings.first()));
    QVERIFY2(warnings.first().contains(u" stored as %1"_s.arg(expected)), qPrintable(warnings.first()));
}

void TestSqliteDestination::roundingWarnedOncePerField() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    ResourcePlan plan = m_plan;
    plan.roundingNoticed = std::make_shared<NoticeSet>();
    auto destination = openDestination(path, plan);
    QVERIFY(destination);
    QList<QString> warnings;
    // Digits within the Scale (trailing zeros included) are kept as sent, without a warning.
    ORS_VERIFY_OK(applyBody(*destination, plan,
                            page({R"({"ListingKey":"W-0","ListPrice":1.2300,"PreciseRatio":0.5})"}),
                            &warnings));
    QCOMPARE(warnings, QList<QString>());
    ORS_VERIFY_OK(applyBody(
        *destination, plan,
        page({R"({"ListingKey":"W-1","ListPrice":1.001})", R"({"ListingKey":"W-2","ListPrice":1.009})"}),
        &warnings));
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().contains(u"ListingKey \"W-1\": 1.001 stored as 1.00"_s),
             qPrintable(warnings.first()));
    // A later page of the same run: ListPrice was reported already, PreciseRatio not yet.
    ORS_VERIFY_OK(applyBody(*destination, plan,
                            page({R"({"ListingKey":"W-3","ListPrice":2.555,"PreciseRatio":0.12345678901})"}),
                            &warnings));
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().startsWith(u"Property field PreciseRatio: "_s), qPrintable(warnings.first()));
    ORS_VERIFY_OK(
        applyBody(*destination, plan, page({R"({"ListingKey":"W-4","ListPrice":3.999})"}), &warnings));
    QCOMPARE(warnings, QList<QString>());

    Reader reader(path);
    QCOMPARE(reader.select(u"SELECT ListingKey, ListPrice, coalesce(PreciseRatio, 'NULL') FROM Property "
                           "ORDER BY ListingKey"_s),
             (QList<QVariantList>{{u"W-0"_s, u"1.2300"_s, u"0.5"_s},
                                  {u"W-1"_s, u"1.00"_s, u"NULL"_s},
                                  {u"W-2"_s, u"1.01"_s, u"NULL"_s},
                                  {u"W-3"_s, u"2.56"_s, u"0.1234567890"_s},
                                  {u"W-4"_s, u"4.00"_s, u"NULL"_s}}));
    // The column keeps its declared type: nothing was widened for these values.
    QCOMPARE(reader.select(u"SELECT typeof(ListPrice) FROM Property WHERE ListingKey = 'W-3'"_s),
             (QList<QVariantList>{{u"text"_s}}));

    // Another run (a new plan) reports again.
    ResourcePlan nextRun = m_plan;
    nextRun.roundingNoticed = std::make_shared<NoticeSet>();
    ORS_VERIFY_OK(
        applyBody(*destination, nextRun, page({R"({"ListingKey":"W-5","ListPrice":5.555})"}), &warnings));
    QCOMPARE(warnings.size(), 1);
}

void TestSqliteDestination::fullRecordWithMedia() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    auto destination = openDestination(path, m_plan);
    QVERIFY(destination);

    // The key has quotes and non-ASCII text, and comes after the expansion in the JSON.
    const QString key = u"L'1 \"ü\" 🏡"_s;
    const QByteArray record =
        "{\"Media\":["
        "{\"MediaKey\":\"M1\",\"MediaURL\":\"media.example.com/1.jpg?a=1&b=\\u00e9\",\"Order\":1,"
        "\"ModificationTimestamp\":\"2024-05-01T12:00:00.5+02:00\"},"
        "{\"MediaKey\":\"M2\",\"MediaURL\":\"\",\"Order\":2,\"ModificationTimestamp\":null,\"Unknown\":[1,2]}"
        ","
        "{\"MediaKey\":\"M3\",\"MediaURL\":null,\"Order\":null}],"
        "\"ListingKey\":" +
        jsonString(key) +
        ",\"ListingId\":\"A-1\",\"PublicRemarks\":\"Line 1\\nCafé 🏡 \\\"quoted\\\" 'single' \\\\\","
        "\"BedroomsTotal\":4,\"BigNumber\":9007199254740993,\"ListPrice\":1234567.80,"
        "\"PreciseRatio\":987654321098765432.1234567891,\"LotSizeAcres\":0.3300,\"Latitude\":-33.8688,"
        "\"NewConstructionYN\":true,\"ListingContractDate\":\"2024-04-30\","
        "\"ModificationTimestamp\":\"2024-05-01T10:00:00.1239-07:00\",\"StandardStatus\":\"Active\","
        "\"Appliances\":\"Dishwasher,Oven\",\"Keywords\":[\"Pool\",\"Garage\"],"
        "\"Address\":{\"StreetNumber\":\"7\",\"City\":\"Sydney\",\"PostalCode\":\"2000\"},"
        "\"Coordinates\":{\"type\":\"Point\",\"coordinates\":[151.2093,-33.8688]},"
        "\"@odata.etag\":\"W/1\",\"NotInMetadata\":{\"nested\":[true]}}";
    QList<QString> warnings;
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({record}), &warnings));
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));

    Reader reader(path);
    const QList<Expect> listing = {
        {u"ListingKey"_s, u"text"_s, key},
        {u"ListingId"_s, u"text"_s, u"A-1"_s},
        {u"PublicRemarks"_s, u"text"_s, u"Line 1\nCafé 🏡 \"quoted\" 'single' \\"_s},
        {u"BedroomsTotal"_s, u"integer"_s, u"4"_s},
        {u"BigNumber"_s, u"integer"_s, u"9007199254740993"_s},
        {u"ListPrice"_s, u"text"_s, u"1234567.80"_s},
        {u"PreciseRatio"_s, u"text"_s, u"987654321098765432.1234567891"_s},
        {u"LotSizeAcres"_s, u"text"_s, u"0.3300"_s},
        {u"Latitude"_s, u"real"_s, u"-33.8688"_s},
        {u"NewConstructionYN"_s, u"integer"_s, u"1"_s},
        {u"ListingContractDate"_s, u"text"_s, u"2024-04-30"_s},
        {u"ModificationTimestamp"_s, u"text"_s, u"2024-05-01T17:00:00.123Z"_s},
        {u"StandardStatus"_s, u"text"_s, u"Active"_s},
        {u"Appliances"_s, u"text"_s, u"Dishwasher,Oven"_s},
        {u"Keywords"_s, u"text"_s, u"[\"Pool\",\"Garage\"]"_s, true},
        {u"Address"_s, u"text"_s, u"{\"StreetNumber\":\"7\",\"City\":\"Sydney\",\"PostalCode\":\"2000\"}"_s,
         true},
        {u"Coordinates"_s, u"text"_s, u"{\"type\":\"Point\",\"coordinates\":[151.2093,-33.8688]}"_s, true},
    };
    QStringList problems = reader.check(u"Property"_s, u"ListingKey"_s, key, listing);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));

    QCOMPARE(reader.count(u"Media"_s), 3);
    problems = reader.check(u"Media"_s, u"MediaKey"_s, u"M1"_s,
                            {{u"ListingKey"_s, u"text"_s, key},
                             {u"MediaURL"_s, u"text"_s, u"media.example.com/1.jpg?a=1&b=é"_s},
                             {u"Order"_s, u"integer"_s, u"1"_s},
                             {u"ModificationTimestamp"_s, u"text"_s, u"2024-05-01T10:00:00.500Z"_s}});
    problems += reader.check(u"Media"_s, u"MediaKey"_s, u"M2"_s,
                             {{u"ListingKey"_s, u"text"_s, key},
                              {u"MediaURL"_s, u"text"_s, QString()},
                              {u"Order"_s, u"integer"_s, u"2"_s},
                              {u"ModificationTimestamp"_s, u"null"_s, QString()}});
    problems += reader.check(u"Media"_s, u"MediaKey"_s, u"M3"_s,
                             {{u"ListingKey"_s, u"text"_s, key},
                              {u"MediaURL"_s, u"null"_s, QString()},
                              {u"Order"_s, u"null"_s, QString()}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TestSqliteDestination::wrongTypes_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("refused");

    // A value of another JSON type that still means a value of the column's type is kept (as its
    // text in text columns; SQLite's column affinity may then store a numeric text as a number,
    // which loses nothing). One that does not parse as the declared type is refused, naming the
    // record and the field, and nothing of the page is written.
    QTest::newRow("integer for string")
        << u"ListingId"_s << QByteArray("12345") << u"text"_s << u"12345"_s << false;
    QTest::newRow("decimal for string")
        << u"ListingId"_s << QByteArray("1.50") << u"text"_s << u"1.50"_s << false;
    QTest::newRow("big number for string")
        << u"PublicRemarks"_s << QByteArray("123456789012345678901234567890") << u"text"_s
        << u"123456789012345678901234567890"_s << false;
    QTest::newRow("boolean for string")
        << u"PublicRemarks"_s << QByteArray("true") << u"text"_s << u"true"_s << false;
    QTest::newRow("object for string") << u"PublicRemarks"_s << QByteArray("{\"a\":[1,\"x\"]}") << u"text"_s
                                       << u"{\"a\":[1,\"x\"]}"_s << false;
    QTest::newRow("array for enum") << u"StandardStatus"_s << QByteArray("[\"Active\"]") << u"text"_s
                                    << u"[\"Active\"]"_s << false;
    QTest::newRow("numeric string for int")
        << u"BedroomsTotal"_s << QByteArray("\"3\"") << u"integer"_s << u"3"_s << false;
    QTest::newRow("string boolean") << u"NewConstructionYN"_s << QByteArray("\"true\"") << u"integer"_s
                                    << u"1"_s << false;
    QTest::newRow("numeric string for double")
        << u"Latitude"_s << QByteArray("\"37.5\"") << u"real"_s << u"37.5"_s << false;
    QTest::newRow("numeric string for decimal")
        << u"ListPrice"_s << QByteArray("\"12.50\"") << u"text"_s << u"12.50"_s << false;
    QTest::newRow("string for collection")
        << u"Keywords"_s << QByteArray("\"Pool\"") << u"text"_s << u"Pool"_s << false;

    const auto refused = [](const char* tag, const char* field, const QByteArray& json) {
        QTest::newRow(tag) << QString::fromLatin1(field) << json << u"null"_s << QString() << true;
    };
    refused("word for int", "BedroomsTotal", "\"three\"");
    refused("fraction for int", "BedroomsTotal", "2.5");
    refused("int64 overflow", "BigNumber", "99999999999999999999");
    refused("array for int", "BedroomsTotal", "[3]");
    refused("word for decimal", "ListPrice", "\"call\"");
    refused("boolean for decimal", "ListPrice", "true");
    refused("word for double", "Latitude", "\"north\"");
    refused("string for boolean", "NewConstructionYN", "\"yes\"");
    refused("number for date", "ListingContractDate", "20240501");
    refused("word for date", "ListingContractDate", "\"soon\"");
    refused("timestamp for date", "ListingContractDate", "\"2024-05-01T10:00:00Z\"");
    refused("word for timestamp", "ModificationTimestamp", "\"yesterday\"");
    refused("date for timestamp", "ModificationTimestamp", "\"2024-05-01\"");
    refused("number for timestamp", "ModificationTimestamp", "1714557600");
    refused("impossible timestamp", "ModificationTimestamp", "\"2024-13-45T99:00:00+02:00\"");
}

void TestSqliteDestination::wrongTypes() {
    QFETCH(QString, field);
    QFETCH(QByteArray, json);
    QFETCH(QString, type);
    QFETCH(QString, expected);
    QFETCH(bool, refused);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    auto destination = openDestination(path, m_plan);
    QVERIFY(destination);
    QList<QString> warnings;
    const QByteArray body = page(
        {"{\"ListingKey\":\"OK-1\"}", "{\"ListingKey\":\"W-1\"," + jsonString(field) + ":" + json + "}"});
    const auto result = applyBody(*destination, m_plan, body, &warnings);
    Reader reader(path);
    if (refused) {
        QVERIFY(!result.ok());
        const QString where =
            u"test page: record 1 (ListingKey \"W-1\"), field %1: the value \""_s.arg(field);
        QVERIFY2(result.errorMessage().startsWith(where), qPrintable(result.errorMessage()));
        QCOMPARE(reader.count(u"Property"_s), 0);
        // The refusal is the record's alone: PageReader lists it with that reason, keeps the rest.
        auto rows = PageReader::read(body, m_plan, u"test page"_s);
        ORS_VERIFY_OK(rows);
        QCOMPARE(rows->rejected.size(), 1);
        QCOMPARE(rows->rejected.first().key, QByteArray("W-1"));
        QCOMPARE(rows->rejected.first().reason, result.errorMessage());
        QCOMPARE(rows->parent.rows.size(), 1);
        return;
    }
    ORS_VERIFY_OK(result);
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    const QStringList problems =
        reader.check(u"Property"_s, u"ListingKey"_s, u"W-1"_s, {Expect{field, type, expected, false}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TestSqliteDestination::upsertReplacesValues() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    auto destination = openDestination(path, m_plan);
    QVERIFY(destination);

    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({"{\"ListingKey\":\"U-1\",\"ListPrice\":100.00,\"PublicRemarks\":\"old\","
                                  "\"BedroomsTotal\":3,\"ModificationTimestamp\":\"2024-01-01T00:00:00Z\"}",
                                  "{\"ListingKey\":\"U-2\",\"ListPrice\":5}"})));
    ORS_VERIFY_OK(
        applyBody(*destination, m_plan,
                  page({"{\"ListingKey\":\"U-1\",\"ListPrice\":200.50,\"PublicRemarks\":null,"
                        "\"BedroomsTotal\":4,\"ModificationTimestamp\":\"2024-02-01T00:00:00Z\"}"})));
    // The same key twice in one page: the later one wins.
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({"{\"ListingKey\":\"U-3\",\"ListPrice\":1}",
                                  "{\"ListingKey\":\"U-3\",\"ListPrice\":2,\"ListingId\":\"second\"}"})));

    Reader reader(path);
    QCOMPARE(reader.count(u"Property"_s), 3);
    QStringList problems =
        reader.check(u"Property"_s, u"ListingKey"_s, u"U-1"_s,
                     {{u"ListPrice"_s, u"text"_s, u"200.50"_s},
                      {u"PublicRemarks"_s, u"null"_s, QString()},
                      {u"BedroomsTotal"_s, u"integer"_s, u"4"_s},
                      {u"ModificationTimestamp"_s, u"text"_s, u"2024-02-01T00:00:00.000Z"_s}});
    problems += reader.check(u"Property"_s, u"ListingKey"_s, u"U-2"_s, {{u"ListPrice"_s, u"text"_s, u"5"_s}});
    problems += reader.check(u"Property"_s, u"ListingKey"_s, u"U-3"_s,
                             {{u"ListPrice"_s, u"text"_s, u"2"_s}, {u"ListingId"_s, u"text"_s, u"second"_s}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TestSqliteDestination::childrenReplacedOnParentUpdate() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    auto destination = openDestination(path, m_plan);
    QVERIFY(destination);

    const auto media = [](const char* key, int order) -> QByteArray {
        return "{\"MediaKey\":\"" + QByteArray(key) + "\",\"Order\":" + QByteArray::number(order) +
               ",\"MediaURL\":\"media.example.com/" + QByteArray(key) + ".jpg\"}";
    };
    const auto mediaRows = [&](const QString& listing) {
        Reader reader(path);
        return reader.strings(u"SELECT MediaKey, \"Order\", MediaURL FROM Media WHERE ListingKey = ? "
                              "ORDER BY MediaKey"_s,
                              {listing});
    };

    ORS_VERIFY_OK(
        applyBody(*destination, m_plan,
                  page({"{\"ListingKey\":\"L1\",\"Media\":[" + media("M1", 1) + "," + media("M2", 2) + "," +
                            media("M3", 3) + "]}",
                        "{\"ListingKey\":\"L2\",\"Media\":[" + media("M4", 1) + "," + media("M5", 2) + "]}",
                        "{\"ListingKey\":\"L3\",\"Media\":[" + media("M6", 1) + "]}"})));
    QCOMPARE(mediaRows(u"L1"_s).size(), 3);
    QCOMPARE(mediaRows(u"L2"_s).size(), 2);

    // L1 comes back with one photo, one that was not there before; L2 is not in this page.
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({"{\"ListingKey\":\"L1\",\"Media\":[" + media("M7", 9) + "]}"})));
    QCOMPARE(mediaRows(u"L1"_s), QStringList{u"M7|9|media.example.com/M7.jpg"_s});
    QCOMPARE(mediaRows(u"L2"_s),
             (QStringList{u"M4|1|media.example.com/M4.jpg"_s, u"M5|2|media.example.com/M5.jpg"_s}));

    // An update keeping a photo's key replaces its values too.
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({"{\"ListingKey\":\"L1\",\"Media\":[{\"MediaKey\":\"M7\",\"Order\":1}]}"})));
    QCOMPARE(mediaRows(u"L1"_s), QStringList{u"M7|1|NULL"_s});

    // A parent whose JSON lacks Media keeps its children; one with an empty array has none left.
    ORS_VERIFY_OK(applyBody(
        *destination, m_plan,
        page({"{\"ListingKey\":\"L2\",\"ListingId\":\"changed\"}", "{\"ListingKey\":\"L3\",\"Media\":[]}"})));
    QCOMPARE(mediaRows(u"L2"_s).size(), 2);
    QCOMPARE(mediaRows(u"L3"_s).size(), 0);
    QCOMPARE(mediaRows(u"L1"_s).size(), 1);

    // One listing twice in a page (it changed while the server paged): only the last copy's
    // children remain, even when both copies sit next to each other.
    ORS_VERIFY_OK(
        applyBody(*destination, m_plan,
                  page({"{\"ListingKey\":\"L4\",\"Media\":[" + media("M8", 1) + "," + media("M9", 2) + "]}",
                        "{\"ListingKey\":\"L4\",\"Media\":[" + media("M10", 3) + "]}",
                        "{\"ListingKey\":\"L5\",\"Media\":[" + media("M11", 1) + "]}",
                        "{\"ListingKey\":\"L5\",\"ListingId\":\"no media property\"}"})));
    QCOMPARE(mediaRows(u"L4"_s), QStringList{u"M10|3|media.example.com/M10.jpg"_s});
    QCOMPARE(mediaRows(u"L5"_s), QStringList{});

    Reader reader(path);
    QCOMPARE(reader.count(u"Media"_s), 4);
    QCOMPARE(reader.count(u"Property"_s), 5);
    QCOMPARE(reader.strings(u"SELECT ListingId FROM Property WHERE ListingKey = 'L2'"_s),
             QStringList{u"changed"_s});
}

void TestSqliteDestination::metadataGrowth() {
    QByteArray grown = kEdmx;
    grown.replace("<!--P-->", "<Property Name='VirtualTourURLUnbranded' Type='Edm.String' MaxLength='8000'/>"
                              "<Property Name='GarageSpaces' Type='Edm.Decimal' Precision='14' Scale='2'/>");
    grown.replace("<!--M-->", "<Property Name='MediaCategory' Type='Edm.String' MaxLength='50'/>");
    auto grownPlan = planFromXml(grown);
    QVERIFY2(grownPlan, qPrintable(grownPlan ? QString() : grownPlan.errorMessage()));
    QCOMPARE(grownPlan->table.columns.size(), m_plan.table.columns.size() + 2);

    QByteArray shrunk = grown;
    shrunk.replace("<Property Name='PublicRemarks' Type='Edm.String'/>", "");
    auto shrunkPlan = planFromXml(shrunk);
    QVERIFY2(shrunkPlan, qPrintable(shrunkPlan ? QString() : shrunkPlan.errorMessage()));
    QCOMPARE(shrunkPlan->table.columns.size(), m_plan.table.columns.size() + 1);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    auto destination = openDestination(path, m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({"{\"ListingKey\":\"G1\",\"PublicRemarks\":\"kept\",\"ListPrice\":10.00,"
                                  "\"Media\":[{\"MediaKey\":\"GM1\",\"Order\":1}]}"})));

    // The same connection gains the columns and writes through the new shape.
    ORS_VERIFY_OK(destination->ensureSchema(*grownPlan));
    {
        Reader reader(path);
        const QStringList columns =
            reader.strings(u"SELECT name || ':' || type FROM pragma_table_info('Property')"_s);
        QCOMPARE(columns.size(), 19);
        QCOMPARE(columns.at(17), u"VirtualTourURLUnbranded:TEXT"_s);
        QCOMPARE(columns.at(18), u"GarageSpaces:TEXT"_s);
        QVERIFY(
            reader.strings(u"SELECT name FROM pragma_table_info('Media')"_s).contains(u"MediaCategory"_s));
        const QStringList problems = reader.check(u"Property"_s, u"ListingKey"_s, u"G1"_s,
                                                  {{u"PublicRemarks"_s, u"text"_s, u"kept"_s},
                                                   {u"ListPrice"_s, u"text"_s, u"10.00"_s},
                                                   {u"VirtualTourURLUnbranded"_s, u"null"_s, QString()},
                                                   {u"GarageSpaces"_s, u"null"_s, QString()}});
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QCOMPARE(reader.count(u"Media"_s), 1);
    }
    ORS_VERIFY_OK(applyBody(
        *destination, *grownPlan,
        page({"{\"ListingKey\":\"G2\",\"VirtualTourURLUnbranded\":\"tours.example.com/2\","
              "\"GarageSpaces\":2.50,\"Media\":[{\"MediaKey\":\"GM2\",\"MediaCategory\":\"Photo\"}]}"})));
    {
        Reader reader(path);
        QStringList problems =
            reader.check(u"Property"_s, u"ListingKey"_s, u"G2"_s,
                         {{u"VirtualTourURLUnbranded"_s, u"text"_s, u"tours.example.com/2"_s},
                          {u"GarageSpaces"_s, u"text"_s, u"2.50"_s}});
        problems += reader.check(
            u"Media"_s, u"MediaKey"_s, u"GM2"_s,
            {{u"MediaCategory"_s, u"text"_s, u"Photo"_s}, {u"ListingKey"_s, u"text"_s, u"G2"_s}});
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }
    destination.reset();

    // A later run whose metadata no longer has PublicRemarks: the column and its values stay.
    destination = openDestination(path, *shrunkPlan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, *shrunkPlan,
                            page({"{\"ListingKey\":\"G1\",\"ListPrice\":11.00,\"GarageSpaces\":1}",
                                  "{\"ListingKey\":\"G3\",\"ListPrice\":3}"})));
    Reader reader(path);
    QCOMPARE(reader.strings(u"SELECT name FROM pragma_table_info('Property')"_s).size(), 19);
    QVERIFY(reader.strings(u"SELECT name FROM pragma_table_info('Property')"_s).contains(u"PublicRemarks"_s));
    QStringList problems = reader.check(u"Property"_s, u"ListingKey"_s, u"G1"_s,
                                        {{u"PublicRemarks"_s, u"text"_s, u"kept"_s},
                                         {u"ListPrice"_s, u"text"_s, u"11.00"_s},
                                         {u"GarageSpaces"_s, u"text"_s, u"1"_s}});
    problems +=
        reader.check(u"Property"_s, u"ListingKey"_s, u"G3"_s, {{u"PublicRemarks"_s, u"null"_s, QString()}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(reader.count(u"Property"_s), 3);
    // G1's JSON had no Media: its photo is still there.
    QCOMPARE(reader.count(u"Media"_s), 2);
}

void TestSqliteDestination::dataDictionary_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("columns");
    QTest::newRow("DD 2.0") << u"dd-2.0-enum.xml"_s << 632;
    QTest::newRow("DD 2.1") << u"dd-2.1-enum.xml"_s << 722;
}

void TestSqliteDestination::dataDictionary() {
    QFETCH(QString, file);
    QFETCH(int, columns);

    auto metadata = MetadataParser::parseFile(ddPath(file));
    QVERIFY2(metadata, qPrintable(metadata ? QString() : metadata.errorMessage()));
    auto plan = planFor(*metadata, u"Property"_s, {u"Media"_s});
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.errorMessage()));
    QCOMPARE(plan->table.columns.size(), columns);
    QCOMPARE(plan->keyField, u"ListingKey"_s);
    QCOMPARE(plan->timestampField, u"ModificationTimestamp"_s);
    QCOMPARE(plan->children.size(), 1);
    const ChildPlan& media = plan->children.first();

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dd.sqlite"_s);
    auto destination = openDestination(path, *plan);
    QVERIFY(destination);

    {
        Reader reader(path);
        QStringList planned;
        for (const ColumnPlan& column : plan->table.columns)
            planned.append(column.name + u':' + SqliteDestination::sqlType(column.storage));
        QCOMPARE(reader.strings(u"SELECT name || ':' || type FROM pragma_table_info('Property')"_s), planned);
        QCOMPARE(reader.strings(u"SELECT name FROM pragma_table_info('Property') WHERE pk = 1"_s),
                 QStringList{u"ListingKey"_s});
        QCOMPARE(reader.createdIndexes(u"Property"_s),
                 QStringList{u"idx_Property_ModificationTimestamp:ModificationTimestamp"_s});
        QVERIFY(reader.createdIndexes(u"Media"_s).contains(u"idx_Media_ListingKey:ListingKey"_s));
        QCOMPARE(reader.strings(u"SELECT name FROM pragma_table_info('Media') WHERE pk = 1"_s),
                 QStringList{u"MediaKey"_s});
    }

    // Every kind of field the dictionary uses must have been generated at least once.
    QSet<int> kinds;
    for (const ColumnPlan& column : plan->table.columns)
        kinds.insert(int(column.field.kind) * 2 + (column.field.isCollection ? 1 : 0));
    QVERIFY(kinds.contains(int(EdmKind::Enum) * 2 + 1));
    QVERIFY(kinds.contains(int(EdmKind::Decimal) * 2));

    const QString key = u"DD-1"_s;
    const Generated parent = generateRecord(*metadata, plan->table, key, 0);
    const Generated photo1 =
        generateRecord(*metadata, media.table, u"DD-M1"_s, 7, media.parentKeyColumn, key);
    const Generated photo2 =
        generateRecord(*metadata, media.table, u"DD-M2"_s, 8, media.parentKeyColumn, key);
    QCOMPARE(parent.expects.size(), columns);
    QByteArray record = parent.json;
    record.chop(1);
    record += ",\"Media\":[" + photo1.json + "," + photo2.json + "]}";
    QList<QString> warnings;
    ORS_VERIFY_OK(applyBody(*destination, *plan, page({record}), &warnings));
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));

    Reader reader(path);
    QCOMPARE(reader.count(u"Property"_s), 1);
    QCOMPARE(reader.count(u"Media"_s), 2);
    QStringList problems = reader.check(u"Property"_s, u"ListingKey"_s, key, parent.expects);
    problems += reader.check(u"Media"_s, u"MediaKey"_s, u"DD-M1"_s, photo1.expects);
    problems += reader.check(u"Media"_s, u"MediaKey"_s, u"DD-M2"_s, photo2.expects);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void TestSqliteDestination::recordWithoutKey() {
    // A record without its key is rejected with its index and raw text; the rest of the page is read.
    const QByteArray missing = page({"{\"ListingKey\":\"K0\",\"ListPrice\":1}", "{\"ListingKey\":\"K1\"}",
                                     "{\"ListingId\":\"NO-KEY\",\"ListPrice\":2}"});
    auto rows = PageReader::read(missing, m_plan, u"Property page 4"_s);
    ORS_VERIFY_OK(rows);
    QCOMPARE(rows->parent.rows.size(), 2);
    QCOMPARE(rows->rejected.size(), 1);
    const RecordRejection& noKey = rows->rejected.first();
    QCOMPARE(noKey.index, 2);
    QVERIFY(noKey.key.isEmpty());
    QCOMPARE(noKey.raw, QByteArray("{\"ListingId\":\"NO-KEY\",\"ListPrice\":2}"));
    QVERIFY2(noKey.reason.contains(u"Property page 4"_s) && noKey.reason.contains(u"record 2"_s) &&
                 noKey.reason.contains(u"ListingKey"_s),
             qPrintable(noKey.reason));

    auto nullKey = PageReader::read(page({"{\"ListingKey\":null}"}), m_plan, u"p"_s);
    ORS_VERIFY_OK(nullKey);
    QCOMPARE(nullKey->rejected.size(), 1);
    QVERIFY2(nullKey->rejected.first().reason.contains(u"record 0"_s),
             qPrintable(nullKey->rejected.first().reason));

    // A child without its own key rejects its parent, children and all; the other records stay.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    auto destination = openDestination(path, m_plan);
    QVERIFY(destination);
    auto childless =
        PageReader::read(page({"{\"ListingKey\":\"C1\",\"Media\":[{\"MediaKey\":\"CM1\"}]}",
                               "{\"ListingKey\":\"C2\",\"Media\":[{\"MediaKey\":\"CM2\"},{\"Order\":1}]}"}),
                         m_plan, u"p"_s);
    ORS_VERIFY_OK(childless);
    QCOMPARE(childless->rejected.size(), 1);
    const RecordRejection& badChild = childless->rejected.first();
    QCOMPARE(badChild.key, QByteArray("C2"));
    QCOMPARE(badChild.child, u"Media"_s);
    QVERIFY2(badChild.reason.contains(u"record 1"_s) && badChild.reason.contains(u"Media item 1"_s) &&
                 badChild.reason.contains(u"MediaKey"_s),
             qPrintable(badChild.reason));
    QCOMPARE(childless->children.first().parentKeys, QList<QByteArray>{"C1"});
    ORS_VERIFY_OK(destination->apply(m_plan, *childless));
    Reader reader(path);
    QCOMPARE(reader.strings(u"SELECT ListingKey FROM Property"_s), QStringList{u"C1"_s});
    QCOMPARE(reader.strings(u"SELECT MediaKey FROM Media"_s), QStringList{u"CM1"_s});
}

void TestSqliteDestination::malformedNumberRejectsRecord_data() {
    QTest::addColumn<QByteArray>("record");
    QTest::addColumn<QString>("field");
    QTest::newRow("bad number in column")
        << QByteArray("{\"ListingKey\":\"A\",\"ListPrice\":1.2.3}") << u"ListPrice"_s;
    QTest::newRow("leading zero in decimal")
        << QByteArray("{\"ListingKey\":\"A\",\"ListPrice\":01.5}") << u"ListPrice"_s;
    QTest::newRow("bare point in decimal")
        << QByteArray("{\"ListingKey\":\"A\",\"LotSizeAcres\":1.}") << u"LotSizeAcres"_s;
    QTest::newRow("letters in integer")
        << QByteArray("{\"ListingKey\":\"A\",\"BedroomsTotal\":12abc}") << u"BedroomsTotal"_s;
    QTest::newRow("bad number in media")
        << QByteArray("{\"ListingKey\":\"A\",\"Media\":[{\"MediaKey\":\"M\",\"Order\":1e}]}")
        << u"Media.Order"_s;
    QTest::newRow("bad number before the key")
        << QByteArray("{\"ListPrice\":-,\"ListingKey\":\"A\"}") << u"ListPrice"_s;
}

void TestSqliteDestination::malformedNumberRejectsRecord() {
    QFETCH(QByteArray, record);
    QFETCH(QString, field);
    const QByteArray body =
        page({"{\"ListingKey\":\"GOOD\",\"ListPrice\":1.5,\"Media\":[{\"MediaKey\":\"GM\"}]}", record,
              "{\"ListingKey\":\"LAST\"}"});
    auto rows = PageReader::read(body, m_plan, u"Property page 2"_s);
    ORS_VERIFY_OK(rows);
    QCOMPARE(rows->rejected.size(), 1);
    const RecordRejection& bad = rows->rejected.first();
    QCOMPARE(bad.key, QByteArray("A"));
    QCOMPARE(bad.raw, record);
    QVERIFY2(bad.reason.contains(u"Property page 2: record 1."_s + field) &&
                 bad.reason.contains(u"not a valid JSON number"_s),
             qPrintable(bad.reason));
    QCOMPARE(rows->parent.rows.size(), 2);
    QCOMPARE(rows->children.first().rows.rows.size(), 1);
}

void TestSqliteDestination::lastCopyOfARecordDecides() {
    // A record sent twice in a page: the later copy decides whether it is stored or rejected.
    auto goodLast = PageReader::read(
        page({"{\"ListingKey\":\"D\",\"ListPrice\":1.2.3}", "{\"ListingKey\":\"D\",\"ListPrice\":2}"}),
        m_plan, u"p"_s);
    ORS_VERIFY_OK(goodLast);
    QCOMPARE(goodLast->rejected.size(), 0);
    QCOMPARE(goodLast->parent.rows.size(), 1);
    auto badLast =
        PageReader::read(page({"{\"ListingKey\":\"D\",\"ListPrice\":2,\"Media\":[{\"MediaKey\":\"DM\"}]}",
                               "{\"ListingKey\":\"D\",\"ListPrice\":1.2.3}"}),
                         m_plan, u"p"_s);
    ORS_VERIFY_OK(badLast);
    QCOMPARE(badLast->rejected.size(), 1);
    QCOMPARE(badLast->rejected.first().index, 1);
    QCOMPARE(badLast->parent.rows.size(), 0);
    QCOMPARE(badLast->children.first().rows.rows.size(), 0);
}

void TestSqliteDestination::refusalIsNotSetAside() {
    // SQLite takes every value, so a refused row is the database's own rule (here a trigger):
    // applyRejecting fails the page like apply, leaving nothing written, instead of setting the
    // record aside (tst_failures relies on such a refusal blocking the step).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    auto destination = openDestination(path, m_plan);
    QVERIFY(destination);
    {
        Reader writer(path, false);
        QVERIFY2(writer.exec(u"CREATE TRIGGER refuse BEFORE INSERT ON Property WHEN NEW.ListingKey = 'BAD' "
                             "BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END"_s),
                 qPrintable(writer.lastError()));
    }
    auto rows = PageReader::read(
        page({"{\"ListingKey\":\"R1\",\"Media\":[{\"MediaKey\":\"R1-M\"}]}", "{\"ListingKey\":\"BAD\"}"}),
        m_plan, u"p"_s);
    ORS_VERIFY_OK(rows);
    auto rejected = destination->applyRejecting(m_plan, *rows);
    QVERIFY(!rejected.ok());
    QVERIFY2(rejected.errorMessage().contains(u"refused by trigger"_s), qPrintable(rejected.errorMessage()));
    Reader reader(path);
    QCOMPARE(reader.count(u"Property"_s), 0);
    QCOMPARE(reader.count(u"Media"_s), 0);
}

void TestSqliteDestination::invalidJson_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not json") << QByteArray("<html>502 Bad Gateway</html>");
    QTest::newRow("truncated") << QByteArray(
        "{\"value\":[{\"ListingKey\":\"A\",\"ListPrice\":1},{\"ListingKey\":\"B\"");
    QTest::newRow("truncated in string") << QByteArray("{\"value\":[{\"ListingKey\":\"A");
    QTest::newRow("trailing comma") << QByteArray("{\"value\":[{\"ListingKey\":\"A\",}]}");
    QTest::newRow("bad literal in column")
        << QByteArray("{\"value\":[{\"ListingKey\":\"A\",\"BedroomsTotal\":tru}]}");
    QTest::newRow("array root") << QByteArray("[{\"ListingKey\":\"A\"}]");
    QTest::newRow("value not array") << QByteArray("{\"value\":{\"ListingKey\":\"A\"}}");
    QTest::newRow("record not object") << QByteArray("{\"value\":[\"A\"]}");
    QTest::newRow("unterminated media")
        << QByteArray("{\"value\":[{\"ListingKey\":\"A\",\"Media\":[{\"MediaKey\":\"M\"}");
}

void TestSqliteDestination::invalidJson() {
    QFETCH(QByteArray, body);
    auto rows = PageReader::read(body, m_plan, u"Property page 2"_s);
    if (rows.ok())
        QFAIL(qPrintable(u"accepted: %1 parent rows"_s.arg(rows->parent.rows.size())));
    QVERIFY2(rows.errorMessage().contains(u"Property page 2"_s), qPrintable(rows.errorMessage()));
}

void TestSqliteDestination::failedPageLeavesNothing() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    auto destination = openDestination(path, m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(
        applyBody(*destination, m_plan,
                  page({"{\"ListingKey\":\"F0\",\"ListPrice\":1,\"Media\":[{\"MediaKey\":\"FM0\"}]}"})));
    {
        Reader writer(path, false);
        QVERIFY2(writer.exec(u"CREATE TRIGGER refuse BEFORE INSERT ON Property WHEN NEW.ListingKey = 'BAD' "
                             "BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END"_s),
                 qPrintable(writer.lastError()));
    }
    const auto r = applyBody(*destination, m_plan,
                             page({"{\"ListingKey\":\"F0\",\"ListPrice\":2,\"Media\":[]}",
                                   "{\"ListingKey\":\"F1\"}", "{\"ListingKey\":\"BAD\"}"}));
    QVERIFY(!r.ok());
    QVERIFY2(r.errorMessage().contains(u"BAD"_s) && r.errorMessage().contains(u"refused by trigger"_s),
             qPrintable(r.errorMessage()));
    {
        // The whole page was rolled back.
        Reader reader(path);
        QCOMPARE(reader.count(u"Property"_s), 1);
        QCOMPARE(reader.count(u"Media"_s), 1);
        QCOMPARE(reader.strings(u"SELECT ListPrice FROM Property"_s), QStringList{u"1"_s});
    }
    // And the destination is usable afterwards.
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({"{\"ListingKey\":\"F2\",\"ListPrice\":3}"})));
    QCOMPARE(destination->count(m_plan.table).value(), 2);
}

void TestSqliteDestination::countAndNewestTimestamp() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    auto destination = std::make_unique<SqliteDestination>(u"test"_s, path);
    ORS_VERIFY_OK(destination->open());

    // Before the tables exist.
    auto count = destination->count(m_plan.table);
    ORS_VERIFY_OK(count);
    QCOMPARE(*count, 0);
    auto newest = destination->newestTimestamp(m_plan.table);
    ORS_VERIFY_OK(newest);
    QVERIFY(!newest->has_value());

    ORS_VERIFY_OK(destination->ensureSchema(m_plan));
    count = destination->count(m_plan.table);
    ORS_VERIFY_OK(count);
    QCOMPARE(*count, 0);
    newest = destination->newestTimestamp(m_plan.table);
    ORS_VERIFY_OK(newest);
    QVERIFY(!newest->has_value());

    // The newest instant is not the lexically greatest text as sent: offsets are normalized first.
    ORS_VERIFY_OK(applyBody(
        *destination, m_plan,
        page({"{\"ListingKey\":\"T1\",\"ModificationTimestamp\":\"2024-05-01T10:00:00.100Z\"}",
              "{\"ListingKey\":\"T2\",\"ModificationTimestamp\":\"2024-05-01T12:30:00.5+02:00\","
              "\"Media\":[{\"MediaKey\":\"TM1\",\"ModificationTimestamp\":\"2024-04-01T00:00:00Z\"},"
              "{\"MediaKey\":\"TM2\",\"ModificationTimestamp\":\"2024-04-02T01:00:00.0009+01:00\"}]}",
              "{\"ListingKey\":\"T3\",\"ModificationTimestamp\":\"2024-05-01T18:00:00-08:00\"}",
              "{\"ListingKey\":\"T4\",\"ModificationTimestamp\":null}"})));
    count = destination->count(m_plan.table);
    ORS_VERIFY_OK(count);
    QCOMPARE(*count, 4);
    newest = destination->newestTimestamp(m_plan.table);
    ORS_VERIFY_OK(newest);
    QCOMPARE(newest->value_or(QByteArray()), QByteArray("2024-05-02T02:00:00.000Z"));

    const TablePlan& mediaTable = m_plan.children.first().table;
    count = destination->count(mediaTable);
    ORS_VERIFY_OK(count);
    QCOMPARE(*count, 2);
    newest = destination->newestTimestamp(mediaTable);
    ORS_VERIFY_OK(newest);
    QCOMPARE(newest->value_or(QByteArray()), QByteArray("2024-04-02T00:00:00.000Z"));

    // A table without ModificationTimestamp has no newest timestamp.
    TablePlan noTimestamp = m_plan.table;
    noTimestamp.timestampColumn = -1;
    newest = destination->newestTimestamp(noTimestamp);
    ORS_VERIFY_OK(newest);
    QVERIFY(!newest->has_value());
    destination.reset();

    // A read-only destination on the filled file sees the same.
    SqliteDestination readOnly(u"test"_s, path);
    readOnly.setReadOnly(true);
    ORS_VERIFY_OK(readOnly.open());
    count = readOnly.count(m_plan.table);
    ORS_VERIFY_OK(count);
    QCOMPARE(*count, 4);
    newest = readOnly.newestTimestamp(m_plan.table);
    ORS_VERIFY_OK(newest);
    QCOMPARE(newest->value_or(QByteArray()), QByteArray("2024-05-02T02:00:00.000Z"));
    // ... and a table it has never written reads as empty.
    TablePlan other = m_plan.table;
    other.table = u"OpenHouse"_s;
    count = readOnly.count(other);
    ORS_VERIFY_OK(count);
    QCOMPARE(*count, 0);
}

void TestSqliteDestination::readOnlyMissingFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"not/yet/there.sqlite"_s);
    {
        SqliteDestination destination(u"test"_s, path);
        destination.setReadOnly(true);
        ORS_VERIFY_OK(destination.open());
        auto count = destination.count(m_plan.table);
        ORS_VERIFY_OK(count);
        QCOMPARE(*count, 0);
        auto newest = destination.newestTimestamp(m_plan.table);
        ORS_VERIFY_OK(newest);
        QVERIFY(!newest->has_value());
        count = destination.count(m_plan.children.first().table);
        ORS_VERIFY_OK(count);
        QCOMPARE(*count, 0);
    }
    QVERIFY(!QFileInfo::exists(path));
    QVERIFY(!QFileInfo::exists(dir.filePath(u"not"_s)));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList());
}

void TestSqliteDestination::sameNameDifferentFiles() {
    // Two sources may each have a destination called "local"; a status report opens both in one
    // thread. Each must keep writing and reading its own file.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString pathA = dir.filePath(u"a.sqlite"_s);
    const QString pathB = dir.filePath(u"b.sqlite"_s);
    SqliteDestination a(u"local"_s, pathA);
    SqliteDestination b(u"local"_s, pathB);
    ORS_VERIFY_OK(a.open());
    ORS_VERIFY_OK(b.open());
    ORS_VERIFY_OK(a.ensureSchema(m_plan));
    ORS_VERIFY_OK(b.ensureSchema(m_plan));
    ORS_VERIFY_OK(applyBody(a, m_plan, page({"{\"ListingKey\":\"A1\"}"})));
    ORS_VERIFY_OK(applyBody(b, m_plan, page({"{\"ListingKey\":\"B1\"}", "{\"ListingKey\":\"B2\"}"})));
    auto countA = a.count(m_plan.table);
    auto countB = b.count(m_plan.table);
    ORS_VERIFY_OK(countA);
    ORS_VERIFY_OK(countB);
    QCOMPARE(*countA, 1);
    QCOMPARE(*countB, 2);
    Reader readerA(pathA);
    Reader readerB(pathB);
    QCOMPARE(readerA.strings(u"SELECT ListingKey FROM Property"_s), QStringList{u"A1"_s});
    QCOMPARE(readerB.strings(u"SELECT ListingKey FROM Property ORDER BY 1"_s),
             (QStringList{u"B1"_s, u"B2"_s}));
}

void TestSqliteDestination::numericKeysInByteOrder() {
    // An integer key (ListingKeyNumeric on some platforms) is stored as text so that the key
    // list purge and reconcile read back is in byte order, like the MLS keys sorted locally.
    QByteArray xml = kEdmx;
    xml.replace("<Property Name='ListingKey' Type='Edm.String' MaxLength='255'/>",
                "<Property Name='ListingKey' Type='Edm.Int64'/>");
    auto plan = planFromXml(xml);
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.errorMessage()));
    QVERIFY(plan->numericKey);
    QCOMPARE(plan->table.columns.at(plan->table.keyColumn).storage, ColumnStorage::Text);
    QTemporaryDir dir;
    auto destination = openDestination(dir.filePath(u"numeric.sqlite"_s), *plan);
    QVERIFY(destination);
    auto rows = PageReader::read(
        page({"{\"ListingKey\":9}", "{\"ListingKey\":100}", "{\"ListingKey\":10}", "{\"ListingKey\":-3}"}),
        *plan, u"inline"_s);
    QVERIFY2(rows, qPrintable(rows ? QString() : rows.errorMessage()));
    QVERIFY(destination->apply(*plan, *rows));
    auto keys = destination->keysAfter(plan->table, std::nullopt, 10, {});
    QVERIFY2(keys, qPrintable(keys ? QString() : keys.errorMessage()));
    QByteArrayList order;
    for (const KeyRecord& key : std::as_const(*keys))
        order << key.key;
    QCOMPARE(order, (QByteArrayList{"-3", "10", "100", "9"}));
    auto after = destination->keysAfter(plan->table, QByteArray("100"), 10, {});
    QVERIFY(after);
    QCOMPARE(after->size(), 1);
    QCOMPARE(after->first().key, QByteArray("9"));
}

void TestSqliteDestination::hostileValues_data() {
    ors::test::addHostileRows();
}

// Every value is bound, never pasted: hostile text is stored as sent, a value that is no value of
// its column's type is refused naming record and field, and nothing else in the file changes.
void TestSqliteDestination::hostileValues() {
    QFETCH(QString, field);
    QFETCH(QByteArray, json);
    QFETCH(bool, refused);
    QFETCH(QString, expected);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    auto destination = openDestination(path, m_plan);
    QVERIFY(destination);
    {
        Reader writer(path, false);
        QVERIFY2(writer.exec(u"CREATE TABLE canary (x TEXT)"_s), qPrintable(writer.lastError()));
        QVERIFY2(writer.exec(u"INSERT INTO canary VALUES ('alive')"_s), qPrintable(writer.lastError()));
    }
    const QString hostileKey = u"K'); DROP TABLE canary; --"_s;
    const QByteArray body = page({"{\"ListingKey\":\"H-1\"," + jsonString(field) + ":" + json + "}",
                                  "{\"ListingKey\":" + jsonString(hostileKey) + ",\"ListingId\":\"x\"}"});
    const auto result = applyBody(*destination, m_plan, body);

    Reader reader(path);
    if (refused) {
        QVERIFY(!result.ok());
        const QString where = u"record 0 (ListingKey \"H-1\"), field %1: the value"_s.arg(field);
        QVERIFY2(result.errorMessage().contains(where), qPrintable(result.errorMessage()));
        QCOMPARE(reader.count(u"Property"_s), 0);
        // Under "quarantine" the record is set aside with that reason and the rest is written.
        auto rows = PageReader::read(body, m_plan, u"test page"_s);
        ORS_VERIFY_OK(rows);
        QCOMPARE(rows->rejected.size(), 1);
        QCOMPARE(rows->rejected.first().key, QByteArray("H-1"));
        QVERIFY2(rows->rejected.first().reason.contains(where), qPrintable(rows->rejected.first().reason));
        auto refusedRows = destination->applyRejecting(m_plan, *rows);
        ORS_VERIFY_OK(refusedRows);
        QVERIFY(refusedRows->isEmpty());
        QCOMPARE(reader.strings(u"SELECT ListingKey FROM Property"_s), QStringList{hostileKey});
    } else {
        ORS_VERIFY_OK(result);
        const QStringList problems = reader.check(u"Property"_s, u"ListingKey"_s, u"H-1"_s,
                                                  {Expect{field, u"text"_s, expected, field == u"Keywords"}});
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QCOMPARE(reader.strings(u"SELECT ListingId FROM Property WHERE ListingKey = ?"_s, {hostileKey}),
                 QStringList{u"x"_s});
        QCOMPARE(reader.count(u"Property"_s), 2);
    }
    QCOMPARE(reader.strings(u"SELECT x FROM canary"_s), QStringList{u"alive"_s});
    QCOMPARE(reader.strings(u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s),
             (QStringList{u"Media"_s, u"Property"_s, u"canary"_s}));
    QCOMPARE(reader.count(u"Media"_s), 0);
}

// Rows that never went through PageReader (as a later caller might build them): text in every
// typed column is still bound as a value, so the file holds that row and nothing else changes.
void TestSqliteDestination::hostileCellsAreBound() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    auto destination = openDestination(path, m_plan);
    QVERIFY(destination);
    {
        Reader writer(path, false);
        QVERIFY(writer.exec(u"CREATE TABLE canary (x TEXT)"_s));
        QVERIFY(writer.exec(u"INSERT INTO canary VALUES ('alive')"_s));
    }
    PageRows rows;
    rows.children.resize(m_plan.children.size());
    Row row(m_plan.table.columns.size());
    for (int i = 0; i < row.size(); ++i)
        row[i] = Cell::fromText(i == m_plan.table.keyColumn ? QByteArray("B-1")
                                                            : QByteArray("2024-01-01T00',NULL);/*Z"));
    rows.parent.rows.append(row);
    ORS_VERIFY_OK(destination->apply(m_plan, rows));

    Reader reader(path);
    QCOMPARE(reader.strings(u"SELECT x FROM canary"_s), QStringList{u"alive"_s});
    QCOMPARE(reader.count(u"Property"_s), 1);
    QCOMPARE(reader.strings(u"SELECT ModificationTimestamp, BedroomsTotal FROM Property"_s),
             QStringList{u"2024-01-01T00',NULL);/*Z|2024-01-01T00',NULL);/*Z"_s});
}

// Field names differing only in case (and a derived type redeclaring a base property) get the
// documented distinct columns; values land in their own column, and the timestamp reads use the
// mapping (ModificationTimestamp lives in ModificationTimestamp_2 here).
void TestSqliteDestination::caseTwinColumns() {
    auto metadata = MetadataParser::parse(kCaseTwinEdmx, u"inline"_s);
    QVERIFY2(metadata, qPrintable(metadata ? QString() : metadata.errorMessage()));
    auto plan = planFor(*metadata, u"Property"_s, {u"Media"_s});
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.errorMessage()));
    QStringList names;
    for (const ColumnPlan& column : plan->table.columns)
        names.append(column.name);
    QCOMPARE(names, kCaseTwinColumns);
    QCOMPARE(plan->table.columns.at(plan->table.fieldIndex(u"City"_s)).field.maxLength,
             std::optional<int>(50));
    QCOMPARE(plan->table.columns.at(plan->table.timestampColumn).name, u"ModificationTimestamp_2"_s);
    QCOMPARE(plan->table.indexes, QStringList{u"ModificationTimestamp_2"_s});
    QCOMPARE(plan->keyField, u"ListingKey"_s);
    const TablePlan& media = plan->children.first().table;
    QCOMPARE(media.columns.at(plan->children.first().parentKeyColumn).name, u"ListingKey_2"_s);
    QCOMPARE(media.columnFor(u"listingkey"_s), u"listingkey"_s);

    // A selection, or fields added later, never move a field to another column.
    ResourceConfig selected;
    selected.name = u"Property"_s;
    selected.select = {u"remarks"_s, u"REMARKS"_s};
    auto narrow = SchemaPlanner::plan(*metadata, selected);
    QVERIFY2(narrow, qPrintable(narrow ? QString() : narrow.errorMessage()));
    QCOMPARE(narrow->table.columnFor(u"remarks"_s), u"remarks_2"_s);
    QCOMPARE(narrow->table.columnFor(u"REMARKS"_s), u"REMARKS_3"_s);
    QCOMPARE(narrow->table.columnFor(u"ModificationTimestamp"_s), u"ModificationTimestamp_2"_s);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    auto destination = openDestination(path, *plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, *plan, page({kCaseTwinRecord})));
    // Again, through the narrow plan: the same table, nothing added.
    ORS_VERIFY_OK(destination->ensureSchema(*narrow));

    Reader reader(path);
    QStringList problems =
        reader.check(u"Property"_s, u"ListingKey"_s, u"T-1"_s,
                     {{u"City"_s, u"text"_s, u"Springfield"_s},
                      {u"Remarks"_s, u"text"_s, u"upper"_s},
                      {u"modificationTimestamp"_s, u"text"_s, u"2020-01-01T00:00:00.000Z"_s},
                      {u"remarks_2"_s, u"text"_s, u"lower"_s},
                      {u"ModificationTimestamp_2"_s, u"text"_s, u"2024-05-01T10:00:00.123Z"_s},
                      {u"REMARKS_3"_s, u"integer"_s, u"7"_s},
                      {u"remarks_2_2"_s, u"text"_s, u"suffix"_s}});
    problems +=
        reader.check(u"Media"_s, u"MediaKey"_s, u"M-1"_s,
                     {{u"listingkey"_s, u"text"_s, u"own"_s}, {u"ListingKey_2"_s, u"text"_s, u"T-1"_s}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QStringList columns;
    for (const QVariantList& info : reader.select(u"PRAGMA table_info(Property)"_s))
        columns.append(info.at(1).toString());
    QCOMPARE(columns, kCaseTwinColumns);

    auto newest = destination->newestTimestamp(plan->table);
    QVERIFY2(newest, qPrintable(newest ? QString() : newest.errorMessage()));
    QCOMPARE(newest->value_or(QByteArray()), QByteArray("2024-05-01T10:00:00.123Z"));
    auto keys = destination->keysAfter(plan->table, std::nullopt, 10, {u"ModificationTimestamp"_s});
    QVERIFY2(keys, qPrintable(keys ? QString() : keys.errorMessage()));
    QCOMPARE(keys->size(), 1);
    QCOMPARE(keys->first().timestamps[0], QByteArray("2024-05-01T10:00:00.123Z"));
    auto record = destination->fetchRecord(*plan, "T-1");
    QVERIFY2(record, qPrintable(record ? QString() : record.errorMessage()));
    QVERIFY(record->has_value());
    QCOMPARE((**record).value(u"remarks_2"_s).toString(), u"lower"_s);
    QCOMPARE((**record).value(u"Media"_s).toArray().size(), 1);
}

QTEST_GUILESS_MAIN(TestSqliteDestination)
#include "tst_sqlitedestination.moc"

// Purge's guarded delete: only rows older than the key download's start go, rows without a
// timestamp only while the key list is young; the children of a kept parent stay.
void TestSqliteDestination::purgeKeysSparesRowsChangedSinceTheKeyList() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dest.sqlite"_s);
    auto destination = openDestination(path, m_plan);
    QVERIFY(destination);
    const auto listing = [](const char* key, const char* ts, const char* media) -> QByteArray {
        QByteArray json = "{\"ListingKey\":\"" + QByteArray(key) + "\",";
        if (ts)
            json += "\"ModificationTimestamp\":\"" + QByteArray(ts) + "\",";
        return json + "\"Media\":[{\"MediaKey\":\"" + QByteArray(media) + "\",\"Order\":1}]}";
    };
    ORS_VERIFY_OK(
        applyBody(*destination, m_plan,
                  page({listing("OLD", "2024-01-01T00:00:00.000Z", "M1"),
                        listing("NEW", "2025-01-01T00:00:00.001Z", "M2"), listing("NULL", nullptr, "M3"),
                        listing("OTHER", "2020-01-01T00:00:00Z", "M4")})));
    const QList<QByteArray> keys{"OLD", "NEW", "NULL", "ABSENT"};
    const auto held = [&path]() {
        Reader reader(path);
        return reader.strings(u"SELECT p.ListingKey || ':' || m.MediaKey FROM Property p JOIN Media m ON "
                              "m.ListingKey = p.ListingKey ORDER BY p.ListingKey"_s);
    };

    // An old key list: the timestamped row older than its start goes, with its Media.
    auto removed = destination->purgeKeys(m_plan, keys, PurgeGuard{"2025-01-01T00:00:00.000Z", false, {}});
    ORS_VERIFY_OK(removed);
    QCOMPARE(*removed, qint64(1));
    QCOMPARE(held(), (QStringList{u"NEW:M2"_s, u"NULL:M3"_s, u"OTHER:M4"_s}));
    QCOMPARE(Reader(path).count(u"Media"_s), 3);

    // A young one: the row without a timestamp goes too; the one changed since stays.
    removed = destination->purgeKeys(m_plan, keys, PurgeGuard{"2025-01-01T00:00:00.000Z", true, {}});
    ORS_VERIFY_OK(removed);
    QCOMPARE(*removed, qint64(1));
    QCOMPARE(held(), (QStringList{u"NEW:M2"_s, u"OTHER:M4"_s}));
    QCOMPARE(Reader(path).count(u"Media"_s), 2);

    // Nothing to delete is no error.
    removed = destination->purgeKeys(m_plan, {}, PurgeGuard{"2025-01-01T00:00:00.000Z", true, {}});
    ORS_VERIFY_OK(removed);
    QCOMPARE(*removed, qint64(0));
}
