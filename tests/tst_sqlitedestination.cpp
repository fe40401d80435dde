// SQLite destination: schema and storage of every kind of value, the RESO Data Dictionary's
// declared types, opening. The cases every SQL backend shares (metadata growth and the Data
// Dictionary's round trip among them) run in tst_sqlitedestination_cases; refused records,
// hostile values, keys and purge in tst_sqlitedestination_records.
#include "destinations/SqliteCheckpointer.h"
#include "destinations/SqliteDestination.h"
#include "records/SchemaPlanner.h"
#include "reso/PageReader.h"

#include "DdRecords.h"
#include "DestinationCases.h"
#include "DestinationSuites.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

using namespace ors;
using ors::test::jsonString;
using ors::test::page;
using namespace Qt::StringLiterals;

using Reader = ors::test::SqliteReader;
using ors::test::applyBody;
using ors::test::DdListing;
using ors::test::Expect;
using ors::test::Fill;
using ors::test::generateListing;
using ors::test::loadDdPlan;

class TestSqliteDestination : public ors::test::SqliteDestinationSuite {
    Q_OBJECT

private Q_SLOTS:
    void plannedStorage();
    void schema();
    void roundingWarnedOncePerField();
    void wrongTypes_data();
    void wrongTypes();
    void dataDictionary_data();
    void dataDictionary();
    void readOnlyMissingFile();
    void pageSizeOfNewFilesOnly();
    void checkpointsInTheBackgroundAndOnClose();
    void checkpointThreadNeedsTheFile();
    void sameNameDifferentFiles();
    void concurrentFirstOpens();
};

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

void TestSqliteDestination::roundingWarnedOncePerField() {
    ResourcePlan plan = m_plan;
    plan.roundingNoticed = std::make_shared<NoticeSet>();
    auto destination = openDestination(plan);
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

    Reader reader(m_path);
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

    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    QList<QString> warnings;
    const QByteArray body = page(
        {"{\"ListingKey\":\"OK-1\"}", "{\"ListingKey\":\"W-1\"," + jsonString(field) + ":" + json + "}"});
    const auto result = applyBody(*destination, m_plan, body, &warnings);
    Reader reader(m_path);
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

void TestSqliteDestination::dataDictionary_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("columns");
    QTest::newRow("DD 2.0") << u"dd-2.0-enum.xml"_s << 632;
    QTest::newRow("DD 2.1") << u"dd-2.1-enum.xml"_s << 722;
}

// The declared types and indexes of the Data Dictionary's tables; and SQLite, without a row-size
// limit, stores the fullest listing whole (the cases store realistic ones on every backend).
void TestSqliteDestination::dataDictionary() {
    QFETCH(QString, file);
    QFETCH(int, columns);
    auto dd = loadDdPlan(file);
    QVERIFY2(dd, qPrintable(dd ? QString() : dd.errorMessage()));
    const ResourcePlan& plan = dd->plan;
    QCOMPARE(plan.table.columns.size(), columns);

    auto destination = openDestination(plan);
    QVERIFY(destination);
    {
        Reader reader(m_path);
        QStringList planned;
        for (const ColumnPlan& column : plan.table.columns)
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

    const QString key = u"DD-1"_s;
    const DdListing listing = generateListing(*dd, key, Fill{true, 5});
    QCOMPARE(listing.parent.expects.size(), columns);
    QList<QString> warnings;
    ORS_VERIFY_OK(applyBody(*destination, plan, page({listing.json}), &warnings));
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));

    Reader reader(m_path);
    QCOMPARE(reader.count(u"Property"_s), 1);
    QCOMPARE(reader.count(u"Media"_s), 2);
    QStringList problems = reader.check(u"Property"_s, u"ListingKey"_s, key, listing.parent.expects);
    problems += reader.check(u"Media"_s, u"MediaKey"_s, u"DD-M1"_s, listing.photo1.expects);
    problems += reader.check(u"Media"_s, u"MediaKey"_s, u"DD-M2"_s, listing.photo2.expects);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
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

// A file the destination creates gets 16 KB pages; one made before (4 KB, SQLite's default) keeps
// its own and is written as before.
void TestSqliteDestination::pageSizeOfNewFilesOnly() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto pageSizeOf = [](const QString& path) {
        const QString name = u"page-size-"_s + path;
        int size = -1;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
            db.setDatabaseName(path);
            QSqlQuery query(db);
            if (db.open() && query.exec(u"PRAGMA page_size"_s) && query.next())
                size = query.value(0).toInt();
        }
        QSqlDatabase::removeDatabase(name);
        return size;
    };
    const QByteArray body = page({"{\"ListingKey\":\"P-1\",\"ListPrice\":1}"});

    const QString fresh = dir.filePath(u"fresh.sqlite"_s);
    {
        SqliteDestination destination(u"test"_s, fresh);
        ORS_VERIFY_OK(destination.open());
        ORS_VERIFY_OK(destination.ensureSchema(m_plan));
        ORS_VERIFY_OK(applyBody(destination, m_plan, body));
    }
    QCOMPARE(pageSizeOf(fresh), 16384);

    const QString older = dir.filePath(u"older.sqlite"_s);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"older"_s);
        db.setDatabaseName(older);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(u"PRAGMA page_size=4096"_s));
        QVERIFY(query.exec(u"CREATE TABLE unrelated (x INTEGER)"_s));
        db.close();
    }
    QSqlDatabase::removeDatabase(u"older"_s);
    QCOMPARE(pageSizeOf(older), 4096);
    {
        SqliteDestination destination(u"test"_s, older);
        ORS_VERIFY_OK(destination.open());
        ORS_VERIFY_OK(destination.ensureSchema(m_plan));
        ORS_VERIFY_OK(applyBody(destination, m_plan, body));
        auto count = destination.count(m_plan.table);
        ORS_VERIFY_OK(count);
        QCOMPARE(*count, 1);
    }
    QCOMPARE(pageSizeOf(older), 4096);
}

// A page bigger than SQLite's own checkpoint interval (1,000 pages, 16 MB here) and smaller than
// the writer's (64 MB): its pages reach the file while the destination is still open only through
// the checkpoint thread; the close writes the rest and removes the WAL, so the file alone holds
// every row once the destination is closed.
void TestSqliteDestination::checkpointsInTheBackgroundAndOnClose() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"big.sqlite"_s);
    const QString wal = path + u"-wal"_s;
    QByteArrayList records;
    const QByteArray remarks(12000, 'r');
    for (int i = 0; i < 2000; ++i)
        records.append("{\"ListingKey\":\"P-" + QByteArray::number(i) + "\",\"PublicRemarks\":\"" + remarks +
                       "\"}");
    const QByteArray body = page(records);
    {
        SqliteDestination destination(u"test"_s, path);
        ORS_VERIFY_OK(destination.open());
        ORS_VERIFY_OK(destination.ensureSchema(m_plan));
        ORS_VERIFY_OK(applyBody(destination, m_plan, body));
        QVERIFY2(QFileInfo(wal).size() > 1000 * 16384, qPrintable(QString::number(QFileInfo(wal).size())));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(path).size() > 2000 * 12000, 20000);
    }
    QVERIFY(!QFileInfo::exists(wal));
    Reader reader(path);
    QCOMPARE(reader.strings(u"SELECT COUNT(*) FROM Property WHERE length(PublicRemarks) = 12000"_s),
             QStringList{u"2000"_s});
}

// The thread never makes a file: a destination whose file is gone keeps SQLite's own checkpoints.
void TestSqliteDestination::checkpointThreadNeedsTheFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"gone.sqlite"_s);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"no checkpoint thread for .*gone\\.sqlite"_s));
    QVERIFY(!SqliteCheckpointer::start(path, 100));
    QVERIFY(!QFileInfo::exists(path));
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

// Jobs of several sources writing into one SQLite file open it together the first time: every
// opening switches the new file to WAL and succeeds, none fails with "database is locked".
void TestSqliteDestination::concurrentFirstOpens() {
    for (int round = 0; round < 20; ++round) {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"shared.sqlite"_s);
        std::atomic<int> failures{0};
        std::atomic<bool> go{false};
        std::vector<std::thread> threads;
        for (int i = 0; i < 6; ++i)
            threads.emplace_back([&, i] {
                while (!go.load())
                    std::this_thread::yield();
                SqliteDestination destination(u"local%1"_s.arg(i), path);
                if (auto opened = destination.open(); !opened) {
                    qWarning().noquote() << opened.errorMessage();
                    ++failures;
                }
            });
        go = true;
        for (std::thread& t : threads)
            t.join();
        QCOMPARE(failures.load(), 0);
        Reader reader(path);
        QCOMPARE(reader.strings(u"PRAGMA journal_mode"_s), QStringList{u"wal"_s});
    }
}

QTEST_GUILESS_MAIN(TestSqliteDestination)
#include "tst_sqlitedestination.moc"
