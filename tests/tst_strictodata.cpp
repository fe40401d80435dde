// Paging that never stops silently (issue 10): every flavour of the fake server, the strict
// OData one first ($top as a total limit, $skip nextLinks over live data, a default page of 100,
// Prefer honoured per request, timestamps matched only in their .000Z form, slow $expand), synced,
// purged and reconciled at default settings through the real openresync-cli.
#include "FlavourFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

#include <algorithm>

using namespace ors;
using namespace ors::test;

namespace {

// Property keys in the order the server sorts them for a sync: by timestamp, then key.
QStringList keysByTimestamp(const fake::FakeResoServer& server, const QString& keyField) {
    QList<std::pair<QString, QString>> records;
    for (const QByteArray& raw : server.rawRecords(QStringLiteral("Property"))) {
        const QJsonObject o = QJsonDocument::fromJson(raw).object();
        records.append(
            {o.value(QStringLiteral("ModificationTimestamp")).toString(), o.value(keyField).toString()});
    }
    std::sort(records.begin(), records.end());
    QStringList keys;
    for (const auto& [time, key] : records)
        keys << key;
    return keys;
}

int visibleCount(const FlavourFixture& f) {
    int count = 0;
    for (const QByteArray& raw : f.server->rawRecords(QStringLiteral("Property")))
        if (f.platform != QLatin1String("mlsgrid") ||
            QJsonDocument::fromJson(raw).object().value(QStringLiteral("MlgCanView")).toBool())
            ++count;
    return count;
}

void deleteRows(const FlavourFixture& f, int count) {
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("damage"));
        db.setDatabaseName(f.db);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(
            QStringLiteral("DELETE FROM Property WHERE %1 IN (SELECT %1 FROM Property ORDER BY %1 DESC "
                           "LIMIT %2)")
                .arg(f.keyField())
                .arg(count)));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("damage"));
}

} // namespace

class TestStrictOData : public QObject {
    Q_OBJECT

private:
    static void flavours() {
        QTest::addColumn<int>("flavour");
        QTest::addColumn<QString>("platform");
        QTest::newRow("strict-odata") << int(fake::Flavour::StrictOData) << QStringLiteral("generic");
        QTest::newRow("generic") << int(fake::Flavour::Generic) << QStringLiteral("generic");
        QTest::newRow("trestle") << int(fake::Flavour::Trestle) << QStringLiteral("trestle");
        QTest::newRow("mlsgrid") << int(fake::Flavour::MlsGrid) << QStringLiteral("mlsgrid");
        QTest::newRow("bridge") << int(fake::Flavour::Bridge) << QStringLiteral("bridge");
        QTest::newRow("spark") << int(fake::Flavour::Spark) << QStringLiteral("spark");
    }

private Q_SLOTS:
    void bigResourceIsExactAtDefaultSettings_data() { flavours(); }
    void bigResourceIsExactAtDefaultSettings() {
        QFETCH(int, flavour);
        QFETCH(QString, platform);
        fake::ServerOptions options;
        options.flavour = fake::Flavour(flavour);
        options.listingCount = 5500;
        options.lightListings = platform != QLatin1String("mlsgrid"); // light listings have no ListingId
        auto f = FlavourFixture::make(options, platform);
        QVERIFY(f);
        const CliResult sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QCOMPARE(f->rows(QStringLiteral("Property")), visibleCount(*f));
        QStringList diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));

        // Purge: the key list is whole, so the count check passes and exactly the deleted go.
        f->server->deleteRecords(7);
        const CliResult purge = f->run(QStringLiteral("purge"));
        QVERIFY2(purge.exitCode == 0, purge.err.constData());
        QCOMPARE(f->rows(QStringLiteral("Property")), visibleCount(*f));

        // Reconcile compares every key, not the first 5,000: rows at the end of the key order
        // are brought back.
        deleteRows(*f, 5);
        const CliResult reconcile = f->run(QStringLiteral("reconcile"));
        QVERIFY2(reconcile.exitCode == 0, reconcile.err.constData());
        QCOMPARE(f->rows(QStringLiteral("Property")), visibleCount(*f));
        diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void recordChangedBetweenPagesIsNotLost_data() { flavours(); }
    void recordChangedBetweenPagesIsNotLost() {
        QFETCH(int, flavour);
        QFETCH(QString, platform);
        fake::ServerOptions options;
        options.flavour = fake::Flavour(flavour);
        options.listingCount = 600;
        options.lightListings = platform != QLatin1String("mlsgrid"); // light listings have no ListingId
        auto f = FlavourFixture::make(options, platform, QJsonObject{{QStringLiteral("pageSize"), 100}});
        QVERIFY(f);
        // A record of the first page changes after it was sent: with $skip paging every later
        // record shifts one place forward and the one at the page boundary is never sent.
        const QStringList order = keysByTimestamp(*f->server, f->keyField());
        f->server->touchRecordAfterRequests(QStringLiteral("Property"), order.at(10), 1);
        const CliResult first = f->run(QStringLiteral("sync"));
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QCOMPARE(f->rows(QStringLiteral("Property")), visibleCount(*f));
        const CliResult second = f->run(QStringLiteral("sync"));
        QVERIFY2(second.exitCode == 0, second.err.constData());
        const QStringList diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void twentyIncrementalSyncsEndExact_data() { flavours(); }
    void twentyIncrementalSyncsEndExact() {
        QFETCH(int, flavour);
        QFETCH(QString, platform);
        fake::ServerOptions options;
        options.flavour = fake::Flavour(flavour);
        options.listingCount = 400;
        options.lightListings = platform != QLatin1String("mlsgrid"); // light listings have no ListingId
        options.sameTimestampGroupSize = 25; // page boundaries fall inside groups of one timestamp
        auto f = FlavourFixture::make(options, platform, QJsonObject{{QStringLiteral("pageSize"), 50}});
        QVERIFY(f);
        const CliResult initial = f->run(QStringLiteral("sync"));
        QVERIFY2(initial.exitCode == 0, initial.err.constData());
        for (int round = 0; round < 20; ++round) {
            f->server->changeRecords(0.03);
            f->server->addRecords(2);
            const QStringList order = keysByTimestamp(*f->server, f->keyField());
            // Mid-download, an early record changes again.
            f->server->touchRecordAfterRequests(QStringLiteral("Property"), order.at(order.size() - 20), 1);
            const CliResult sync = f->run(QStringLiteral("sync"));
            QVERIFY2(sync.exitCode == 0,
                     qPrintable(QStringLiteral("round %1: %2").arg(round).arg(QString::fromUtf8(sync.err))));
        }
        // The last change may have come after the last download's start: one more run takes it.
        const CliResult last = f->run(QStringLiteral("sync"));
        QVERIFY2(last.exitCode == 0, last.err.constData());
        QCOMPARE(f->rows(QStringLiteral("Property")), visibleCount(*f));
        const QStringList diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void slowServerCompletesWithAdaptivePages_data() {
        QTest::addColumn<int>("flavour");
        QTest::newRow("strict-odata") << int(fake::Flavour::StrictOData);
        QTest::newRow("generic") << int(fake::Flavour::Generic);
    }
    void slowServerCompletesWithAdaptivePages() {
        QFETCH(int, flavour);
        fake::ServerOptions options;
        options.flavour = fake::Flavour(flavour);
        options.listingCount = 300;
        options.expandDelayMsPerRecord = 10; // 300 listings with Media: 3 s a page
        auto f = FlavourFixture::make(options, QStringLiteral("generic"));
        QVERIFY(f);
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_HTTP_TIMEOUT_MS"), QStringLiteral("1500"));
        const CliResult sync = f->run(QStringLiteral("sync"), env);
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        const QStringList diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        const QStringList timeouts = f->events(QStringLiteral("page-timeout"));
        QVERIFY(!timeouts.isEmpty());
        const QString all = timeouts.join(QLatin1Char('\n'));
        QVERIFY2(timeouts.first().contains(QStringLiteral("timed out after 1.5 s")), qPrintable(all));
        // The message names the request as sent (%2C stays %2C) and the smaller page asked next.
        QVERIFY2(timeouts.first().contains(QStringLiteral("ModificationTimestamp%20asc%2CListingKey%20asc")),
                 qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("asking again with pages of 500 records")), qPrintable(all));
        QVERIFY(!sync.err.contains("device not open"));
    }
};

QTEST_GUILESS_MAIN(TestStrictOData)
#include "tst_strictodata.moc"
