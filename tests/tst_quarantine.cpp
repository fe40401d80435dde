// Bad records through the real openresync-cli: a record without its key, one with a malformed
// number, one with a value not of its field's type (PageReader's refusal) and (MariaDB) one whose
// value does not fit its column are set aside in the rejected
// file while the rest of their page lands everywhere; `status` and `rejected` show them; a later
// good version clears them; "onBadRecord": "fail" keeps the old stop but blocks and can be skipped.
// Cases named *Mysql need the test MariaDB (ORS_TEST_MYSQL_*) and fail without it.
#include "CliFixture.h"

#include "store/RejectedStore.h"

#include <algorithm>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ors;
using namespace ors::test;

#define ORS_VERIFY_OK(expr)                                                                                  \
    do {                                                                                                     \
        const auto& result_ = (expr);                                                                        \
        QVERIFY2(result_.ok(), qPrintable(result_.ok() ? QString() : result_.errorMessage()));               \
    } while (false)

namespace {

constexpr const char* kPasswordVariable = "ORS_QUARANTINE_DB_PASSWORD";

QJsonObject parsed(const QByteArray& out) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(out, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON (%s): %s", qPrintable(error.errorString()), out.left(2000).constData());
    return doc.object();
}

QList<QJsonObject> fileEntries(const QString& path) {
    QList<QJsonObject> entries;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return entries;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (!line.isEmpty())
            entries.append(parsed(line));
    }
    return entries;
}

// The warnings of a CLI run other than the http:// one every loopback fake server's URL earns.
QByteArrayList otherWarnings(const QByteArray& err) {
    QByteArrayList found;
    for (const QByteArray& line : err.split('\n'))
        if (line.contains("warning") && !line.contains("http:// is not encrypted"))
            found.append(line);
    return found;
}

} // namespace

class TestQuarantine : public QObject {
    Q_OBJECT

private:
    struct Fixture : CliFixture {
        QString sqlite;
        MysqlTestDatabase database; // MariaDB destination "db", not created without one
        QString keyless, badNumber, tooLong;

        QString rejectedFile() const {
            return QDir(dataDir).filePath(QStringLiteral("sources/mls/rejected/Property.ndjson"));
        }
    };

    std::optional<MysqlServer> m_mysql;

    QProcessEnvironment environment() const {
        QProcessEnvironment env = cliEnvironment();
        if (m_mysql)
            env.insert(QString::fromLatin1(kPasswordVariable), m_mysql->password);
        return env;
    }

    CliResult cli(const Fixture& f, const QStringList& command) const {
        return f.cli(command, environment());
    }

    // A server whose Property page holds three bad records among good ones: one without its key,
    // one with a malformed ListPrice, and one whose City is longer than its MaxLength (50), which
    // SQLite stores but MariaDB's VARCHAR(50) refuses.
    std::unique_ptr<Fixture> fixture(bool withMysql, const QString& onBadRecord = {}) {
        auto f = std::make_unique<Fixture>();
        fake::ServerOptions options;
        options.listingCount = 30;
        if (!f->startServer(options))
            return nullptr;
        static const QRegularExpression price(QStringLiteral("\"ListPrice\":[0-9.]+"));
        static const QRegularExpression city(QStringLiteral("\"City\":\"[^\"]*\""));
        for (const QByteArray& raw : f->server->rawRecords(QStringLiteral("Property"))) {
            const QString key = parsed(raw).value(QStringLiteral("ListingKey")).toString();
            QString text = QString::fromUtf8(raw);
            if (f->keyless.isEmpty()) {
                f->keyless = key;
                text.remove(QStringLiteral("\"ListingKey\":\"%1\",").arg(key));
                text.remove(QStringLiteral(",\"ListingKey\":\"%1\"").arg(key));
            } else if (f->badNumber.isEmpty() && text.contains(price)) {
                f->badNumber = key;
                text.replace(price, QStringLiteral("\"ListPrice\":12.3.4"));
            } else if (withMysql && f->tooLong.isEmpty() && text.contains(city)) {
                f->tooLong = key;
                text.replace(city, QStringLiteral("\"City\":\"%1\"").arg(QString(60, QLatin1Char('c'))));
            } else {
                continue;
            }
            f->server->setRecordText(QStringLiteral("Property"), key, text.toUtf8());
        }
        if (f->keyless.isEmpty() || f->badNumber.isEmpty() || (withMysql && f->tooLong.isEmpty()))
            return nullptr;
        f->sqlite = f->path(QStringLiteral("dest/local.sqlite"));
        QJsonObject source = sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->sqlite}, 100);
        if (!onBadRecord.isEmpty())
            source.insert(QStringLiteral("onBadRecord"), onBadRecord);
        if (withMysql) {
            if (!f->database.create(*m_mysql, QStringLiteral("quarantine")))
                return nullptr;
            f->database.addDestination(source, QString::fromLatin1(kPasswordVariable));
        }
        f->writeSource(source);
        return f;
    }

    QSet<QString> sqliteKeys(const Fixture& f) {
        const auto rows = readTable(f.sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey"));
        return QSet<QString>(rows.keyBegin(), rows.keyEnd());
    }

    QSet<QString> mysqlKeys(const Fixture& f) {
        QString error;
        const auto rows = readMysqlTable(*m_mysql, f.database.name, QStringLiteral("Property"),
                                         QStringLiteral("ListingKey"), &error);
        if (!error.isEmpty())
            qWarning("%s", qPrintable(error));
        return QSet<QString>(rows.keyBegin(), rows.keyEnd());
    }

    QSet<QString> serverKeys(const Fixture& f) {
        QSet<QString> keys;
        for (const QJsonValue& v : f.server->records(QStringLiteral("Property")))
            keys.insert(v.toObject().value(QStringLiteral("ListingKey")).toString());
        return keys;
    }

    void badRecordsAreSetAside(bool withMysql);

    // A server whose Property page holds one record with "three" in its Int32 BedroomsTotal: a
    // value PageReader refuses as not of its field's type.
    std::unique_ptr<Fixture> wrongTypeFixture(const QString& onBadRecord, QString* badKey) {
        auto f = std::make_unique<Fixture>();
        fake::ServerOptions options;
        options.listingCount = 20;
        if (!f->startServer(options))
            return nullptr;
        static const QRegularExpression bedrooms(QStringLiteral("\"BedroomsTotal\":(null|[0-9]+)"));
        for (const QByteArray& raw : f->server->rawRecords(QStringLiteral("Property"))) {
            QString text = QString::fromUtf8(raw);
            if (!text.contains(bedrooms))
                continue;
            *badKey = parsed(raw).value(QStringLiteral("ListingKey")).toString();
            text.replace(bedrooms, QStringLiteral("\"BedroomsTotal\":\"three\""));
            f->server->setRecordText(QStringLiteral("Property"), *badKey, text.toUtf8());
            break;
        }
        if (badKey->isEmpty())
            return nullptr;
        f->sqlite = f->path(QStringLiteral("dest/local.sqlite"));
        QJsonObject source = sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->sqlite}, 100);
        source.insert(QStringLiteral("onBadRecord"), onBadRecord);
        f->writeSource(source);
        return f;
    }

private Q_SLOTS:
    void initTestCase() { m_mysql = mysqlServer(); }

    void rejectedStoreKeepsOneEntryPerRecord() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("rejected/Property.ndjson"));
        RejectedStore store(path);
        ORS_VERIFY_OK(store.load());
        QVERIFY(store.isEmpty());
        const auto entry = [](const QString& destination, const QByteArray& key, const QByteArray& record,
                              const QString& reason) {
            RejectedEntry e;
            e.resource = QStringLiteral("Property");
            e.destination = destination;
            e.key = key;
            e.record = record;
            e.reason = reason;
            e.file = QStringLiteral("sync_batch_x_seq_000001.json");
            return e;
        };
        store.add(entry(QStringLiteral("a"), "K1", "{\"ListingKey\":\"K1\",\"ListPrice\":1.2.3}",
                        QStringLiteral("first")));
        store.add(entry(QStringLiteral("b"), "K1", "{\"ListingKey\":\"K1\",\"ListPrice\":1.2.3}",
                        QStringLiteral("first")));
        store.add(entry(QStringLiteral("a"), {}, "{\n\"ListPrice\": 123456789012345678901234567890.5\n}",
                        QStringLiteral("no key")));
        ORS_VERIFY_OK(store.save());
        // Rejected again: replaced, not added; a keyless record sent again is one entry too.
        RejectedStore again(path);
        ORS_VERIFY_OK(again.load());
        QCOMPARE(again.entries().size(), 3);
        again.add(entry(QStringLiteral("a"), "K1", "{\"ListingKey\":\"K1\",\"ListPrice\":4.5.6}",
                        QStringLiteral("second")));
        again.add(entry(QStringLiteral("a"), {}, "{\n\"ListPrice\": 123456789012345678901234567890.5\n}",
                        QStringLiteral("no key")));
        ORS_VERIFY_OK(again.save());
        const QList<QJsonObject> lines = fileEntries(path);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines.at(0).value(QStringLiteral("reason")).toString(), QStringLiteral("second"));
        QCOMPARE(lines.at(0).value(QStringLiteral("recordText")).toString(),
                 QStringLiteral("{\"ListingKey\":\"K1\",\"ListPrice\":4.5.6}"));
        QVERIFY(lines.at(2).value(QStringLiteral("key")).isNull());
        // Whole JSON is kept as the server's text, digits included, on one line.
        QFile raw(path);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        QVERIFY(raw.readAll().contains("\"record\":{ \"ListPrice\": 123456789012345678901234567890.5 }"));
        // A later good version clears only its destination's entry; keyless entries stay.
        QCOMPARE(again.clear(QStringLiteral("a"), {"K1", "K2", QByteArray()}), 1);
        ORS_VERIFY_OK(again.save());
        QCOMPARE(fileEntries(path).size(), 2);
        QCOMPARE(again.clear(QStringLiteral("b"), {"K1"}), 1);
        ORS_VERIFY_OK(again.save());
        QCOMPARE(fileEntries(path).size(), 1);
        // A damaged line does not stop the store; it is dropped on the next rewrite.
        QFile append(path);
        QVERIFY(append.open(QIODevice::Append));
        append.write("{not json\n");
        append.close();
        RejectedStore damaged(path);
        ORS_VERIFY_OK(damaged.load());
        QCOMPARE(damaged.entries().size(), 1);
        ORS_VERIFY_OK(damaged.save());
        QCOMPARE(fileEntries(path).size(), 1);
    }

    void badRecordsAreSetAsideSqlite() { badRecordsAreSetAside(false); }

    void badRecordsAreSetAsideMysql() {
        if (!m_mysql)
            QFAIL("needs the test MariaDB: run through scripts/test or set ORS_TEST_MYSQL_*");
        badRecordsAreSetAside(true);
    }

    void failPolicyStopsThePageAndBlocks() {
        auto f = fixture(false, QStringLiteral("fail"));
        QVERIFY(f);
        for (int run = 1; run <= 3; ++run) {
            const CliResult sync = cli(*f, {QStringLiteral("sync"), QStringLiteral("mls")});
            QVERIFY2(sync.exitCode == 1, sync.err.constData());
            QVERIFY2(sync.err.contains("has no ListingKey") || sync.err.contains("not a valid JSON number"),
                     sync.err.constData());
        }
        // The bad page stopped before anything of it was written, and counted as a step failure.
        QVERIFY(sqliteKeys(*f).isEmpty());
        QVERIFY(!QFile::exists(f->rejectedFile()));
        const QJsonObject status =
            parsed(cli(*f, {QStringLiteral("status"), QStringLiteral("mls"), QStringLiteral("--json")}).out);
        const QJsonArray failures = status.value(QStringLiteral("sources"))
                                        .toArray()
                                        .at(0)
                                        .toObject()
                                        .value(QStringLiteral("failures"))
                                        .toArray();
        QCOMPARE(failures.size(), 1);
        QCOMPARE(failures.at(0).toObject().value(QStringLiteral("count")).toInt(), 3);
        QVERIFY(failures.at(0).toObject().value(QStringLiteral("blocked")).toBool());
        QVERIFY(failures.at(0)
                    .toObject()
                    .value(QStringLiteral("step"))
                    .toString()
                    .startsWith(QStringLiteral("apply sync_batch_")));

        const CliResult blocked = cli(*f, {QStringLiteral("sync"), QStringLiteral("mls")});
        QVERIFY2(blocked.exitCode == 1 && blocked.err.contains("blocked"), blocked.err.constData());
        const CliResult skip = cli(*f, {QStringLiteral("unblock"), QStringLiteral("mls"),
                                        QStringLiteral("sync"), QStringLiteral("--skip-file")});
        QVERIFY2(skip.exitCode == 0 && skip.err.contains("skipped 1 file"), skip.err.constData());
        // The skipped page is given up; --resume-only stops after the resumed batch (the Property
        // table is still empty, so a fresh download would fetch the bad records again).
        const CliResult after =
            cli(*f, {QStringLiteral("sync"), QStringLiteral("mls"), QStringLiteral("--resume-only")});
        QVERIFY2(after.exitCode == 0, after.err.constData());
        QVERIFY2(otherWarnings(after.err).isEmpty(), after.err.constData());
    }

    // A value not of its field's type (PageReader's refusal) is one more bad record: set aside
    // with PageReader's message as the reason, cleared once the server sends a good version.
    void valueNotOfItsTypeIsSetAside() {
        QString bad;
        auto f = wrongTypeFixture(QStringLiteral("quarantine"), &bad);
        QVERIFY(f);
        const CliResult sync = cli(*f, {QStringLiteral("sync"), QStringLiteral("mls")});
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QVERIFY2(sync.err.contains("1 record(s) of Property could not be stored and were set aside"),
                 sync.err.constData());
        QSet<QString> good = serverKeys(*f);
        QVERIFY(good.remove(bad));
        QCOMPARE(sqliteKeys(*f), good);
        const QList<QJsonObject> entries = fileEntries(f->rejectedFile());
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.at(0).value(QStringLiteral("key")).toString(), bad);
        QCOMPARE(entries.at(0).value(QStringLiteral("destination")).toString(), QStringLiteral("local0"));
        const QString reason = entries.at(0).value(QStringLiteral("reason")).toString();
        QVERIFY2(reason.contains(QStringLiteral(".json: record ")) &&
                     reason.endsWith(QStringLiteral("(ListingKey \"%1\"), field BedroomsTotal: the value "
                                                    "\"three\" is not an integer")
                                         .arg(bad)),
                 qPrintable(reason));
        QCOMPARE(entries.at(0)
                     .value(QStringLiteral("record"))
                     .toObject()
                     .value(QStringLiteral("BedroomsTotal"))
                     .toString(),
                 QStringLiteral("three"));

        f->server->setRecordText(QStringLiteral("Property"), bad, {});
        QVERIFY(!f->server->touchRecord(QStringLiteral("Property"), bad).isEmpty());
        const CliResult again = cli(*f, {QStringLiteral("sync"), QStringLiteral("mls")});
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QVERIFY2(otherWarnings(again.err).isEmpty(), again.err.constData());
        QCOMPARE(sqliteKeys(*f), serverKeys(*f));
        QVERIFY(fileEntries(f->rejectedFile()).isEmpty());
    }

    // Under "fail" the same value fails its page, with the same message, and nothing of it lands.
    void valueNotOfItsTypeFailsThePageUnderFail() {
        QString bad;
        auto f = wrongTypeFixture(QStringLiteral("fail"), &bad);
        QVERIFY(f);
        const CliResult sync = cli(*f, {QStringLiteral("sync"), QStringLiteral("mls")});
        QVERIFY2(sync.exitCode == 1, sync.err.constData());
        QVERIFY2(sync.err.contains(QStringLiteral("(ListingKey \"%1\"), field BedroomsTotal: the value "
                                                  "\"three\" is not an integer")
                                       .arg(bad)
                                       .toUtf8()),
                 sync.err.constData());
        QVERIFY(sqliteKeys(*f).isEmpty());
        QVERIFY(!QFile::exists(f->rejectedFile()));
    }

    void badRecordPolicyIsValidated() {
        auto f = fixture(false, QStringLiteral("skip"));
        QVERIFY(f);
        const CliResult validate = cli(*f, {QStringLiteral("validate")});
        QCOMPARE(validate.exitCode, 2);
        QVERIFY2(validate.err.contains("sources[0].onBadRecord") && validate.err.contains("quarantine, fail"),
                 validate.err.constData());
    }

    void rejectedCommandUsage() {
        auto f = fixture(false);
        QVERIFY(f);
        const CliResult none =
            cli(*f, {QStringLiteral("rejected"), QStringLiteral("mls"), QStringLiteral("--json")});
        QVERIFY2(none.exitCode == 0, none.err.constData());
        QCOMPARE(parsed(none.out).value(QStringLiteral("count")).toInt(), 0);
        QCOMPARE(cli(*f, {QStringLiteral("rejected"), QStringLiteral("nope")}).exitCode, 2);
        QCOMPARE(cli(*f, {QStringLiteral("rejected")}).exitCode, 2);
    }
};

void TestQuarantine::badRecordsAreSetAside(bool withMysql) {
    auto f = fixture(withMysql);
    QVERIFY(f);
    const CliResult sync = cli(*f, {QStringLiteral("sync"), QStringLiteral("mls")});
    QVERIFY2(sync.exitCode == 0, sync.err.constData());
    QVERIFY2(sync.err.contains("warning: ") && sync.err.contains("set aside") &&
                 sync.err.contains("openresync-cli rejected mls"),
             sync.err.constData());

    // Every good record landed in every destination; the bad ones did not.
    QSet<QString> good = serverKeys(*f);
    good.remove(f->keyless);
    good.remove(f->badNumber);
    QCOMPARE(sqliteKeys(*f), good);
    if (withMysql) {
        QSet<QString> fits = good;
        fits.remove(f->tooLong);
        QCOMPARE(mysqlKeys(*f), fits);
    }

    // The rejected file: per destination, raw record, reason, resource.
    const QStringList destinations = withMysql ? QStringList{QStringLiteral("local0"), QStringLiteral("db")}
                                               : QStringList{QStringLiteral("local0")};
    const QList<QJsonObject> entries = fileEntries(f->rejectedFile());
    QCOMPARE(entries.size(), withMysql ? 5 : 2);
    for (const QString& destination : destinations) {
        bool sawKeyless = false, sawNumber = false;
        for (const QJsonObject& e : entries) {
            if (e.value(QStringLiteral("destination")).toString() != destination)
                continue;
            QCOMPARE(e.value(QStringLiteral("resource")).toString(), QStringLiteral("Property"));
            const QString reason = e.value(QStringLiteral("reason")).toString();
            if (e.value(QStringLiteral("key")).isNull()) {
                sawKeyless = true;
                QVERIFY2(reason.contains(QStringLiteral("has no ListingKey")), qPrintable(reason));
                QVERIFY(e.value(QStringLiteral("record")).isObject());
            } else if (e.value(QStringLiteral("key")).toString() == f->badNumber) {
                sawNumber = true;
                QVERIFY2(reason.contains(QStringLiteral("ListPrice")) &&
                             reason.contains(QStringLiteral("not a valid JSON number")),
                         qPrintable(reason));
                QVERIFY(e.value(QStringLiteral("recordText"))
                            .toString()
                            .contains(QStringLiteral("\"ListPrice\":12.3.4")));
            }
        }
        QVERIFY2(sawKeyless && sawNumber, qPrintable(destination));
    }
    if (withMysql) {
        const auto tooLong = std::find_if(entries.cbegin(), entries.cend(), [&](const QJsonObject& e) {
            return e.value(QStringLiteral("key")).toString() == f->tooLong;
        });
        QVERIFY(tooLong != entries.cend());
        QCOMPARE(tooLong->value(QStringLiteral("destination")).toString(), QStringLiteral("db"));
        QVERIFY2(tooLong->value(QStringLiteral("reason")).toString().contains(QStringLiteral("column City")),
                 qPrintable(tooLong->value(QStringLiteral("reason")).toString()));
        QCOMPARE(tooLong->value(QStringLiteral("record"))
                     .toObject()
                     .value(QStringLiteral("ListingKey"))
                     .toString(),
                 f->tooLong);
    }

    // status, text and JSON, shows the count; the run recorded an event.
    const CliResult statusJson =
        cli(*f, {QStringLiteral("status"), QStringLiteral("mls"), QStringLiteral("--json")});
    QVERIFY2(statusJson.exitCode == 0, statusJson.err.constData());
    const QJsonObject source =
        parsed(statusJson.out).value(QStringLiteral("sources")).toArray().at(0).toObject();
    QCOMPARE(source.value(QStringLiteral("rejected")).toInt(), int(entries.size()));
    const QJsonArray dests = source.value(QStringLiteral("resources"))
                                 .toArray()
                                 .at(0)
                                 .toObject()
                                 .value(QStringLiteral("destinations"))
                                 .toArray();
    QCOMPARE(dests.at(0).toObject().value(QStringLiteral("rejected")).toInt(), 2);
    if (withMysql)
        QCOMPARE(dests.at(1).toObject().value(QStringLiteral("rejected")).toInt(), 3);
    bool event = false;
    for (const QJsonValue& e : source.value(QStringLiteral("events")).toArray())
        event =
            event ||
            (e.toObject().value(QStringLiteral("kind")).toString() == QStringLiteral("rejected-records") &&
             e.toObject().value(QStringLiteral("resource")).toString() == QStringLiteral("Property"));
    QVERIFY2(event, statusJson.out.constData());
    const CliResult statusText = cli(*f, {QStringLiteral("status"), QStringLiteral("mls")});
    QVERIFY2(statusText.out.contains(QStringLiteral("rejected: %1 record(s)").arg(entries.size()).toUtf8()),
             statusText.out.constData());

    // rejected lists them, as text and JSON.
    const CliResult listed = cli(*f, {QStringLiteral("rejected"), QStringLiteral("mls")});
    QVERIFY2(listed.exitCode == 0, listed.err.constData());
    QCOMPARE(listed.out.count('\n'), entries.size());
    QVERIFY(listed.out.contains(QString(QStringLiteral("Property\tlocal0\t") + f->badNumber).toUtf8()));
    QVERIFY(listed.out.contains("Property\tlocal0\t-\t"));
    const CliResult listedJson =
        cli(*f, {QStringLiteral("rejected"), QStringLiteral("mls"), QStringLiteral("--json")});
    QVERIFY2(listedJson.exitCode == 0, listedJson.err.constData());
    const QJsonObject list = parsed(listedJson.out);
    QCOMPARE(list.value(QStringLiteral("source")).toString(), QStringLiteral("mls"));
    QCOMPARE(list.value(QStringLiteral("count")).toInt(), int(entries.size()));
    QCOMPARE(list.value(QStringLiteral("rejected")).toArray().size(), entries.size());

    // The server fixes the records: the next sync stores them and clears their entries.
    for (const QString& key : {f->keyless, f->badNumber, f->tooLong}) {
        if (key.isEmpty())
            continue;
        f->server->setRecordText(QStringLiteral("Property"), key, {});
        QVERIFY(!f->server->touchRecord(QStringLiteral("Property"), key).isEmpty());
    }
    const CliResult again = cli(*f, {QStringLiteral("sync"), QStringLiteral("mls")});
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QVERIFY2(otherWarnings(again.err).isEmpty(), again.err.constData());
    QCOMPARE(sqliteKeys(*f), serverKeys(*f));
    if (withMysql)
        QCOMPARE(mysqlKeys(*f), serverKeys(*f));
    // A keyless entry names no record a later version could match; it stays until removed by hand.
    const QList<QJsonObject> left = fileEntries(f->rejectedFile());
    QCOMPARE(left.size(), destinations.size());
    for (const QJsonObject& e : left)
        QVERIFY(e.value(QStringLiteral("key")).isNull());
    const QJsonObject after =
        parsed(cli(*f, {QStringLiteral("rejected"), QStringLiteral("mls"), QStringLiteral("--json")}).out);
    QCOMPARE(after.value(QStringLiteral("count")).toInt(), int(destinations.size()));
}

QTEST_GUILESS_MAIN(TestQuarantine)
#include "tst_quarantine.moc"
