// Each platform profile against a fake server that enforces that platform's rules (URL shapes,
// page caps, refused $orderby, required filters and headers, MlgCanView, expiring nextLinks,
// tokens in the query), through the real openresync-cli into real SQLite files.
#include "FlavourFixture.h"
#include "TestSupport.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <csignal>

using namespace ors;
using namespace ors::test;

namespace {

QString decoded(const QString& target) {
    return QUrl::fromPercentEncoding(target.toUtf8());
}

// Data requests for a resource (not $metadata, not the token endpoint).
QStringList dataRequests(const fake::FakeResoServer& server, const QString& resource) {
    QStringList out;
    for (const QString& target : server.requestLog()) {
        const QString path = target.section(QLatin1Char('?'), 0, 0);
        if (path.contains(QLatin1Char('/') + resource) && !path.contains(QLatin1String("$metadata")))
            out << decoded(target);
    }
    return out;
}

QList<QByteArray> visibleRecords(const fake::FakeResoServer& server) {
    QList<QByteArray> out;
    for (const QByteArray& raw : server.rawRecords(QStringLiteral("Property")))
        if (QJsonDocument::fromJson(raw).object().value(QStringLiteral("MlgCanView")).toBool())
            out << raw;
    return out;
}

} // namespace

class TestPlatforms : public QObject {
    Q_OBJECT

private:
    // Removes a few rows by hand and makes one stale, so reconcile has work.
    void damage(const FlavourFixture& f, const QString& key, int removed) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("damage"));
        db.setDatabaseName(f.db);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("DELETE FROM Property WHERE %1 IN (SELECT %1 FROM Property ORDER BY %1 "
                                      "LIMIT %2)")
                           .arg(key)
                           .arg(removed)));
        QVERIFY(q.exec(QStringLiteral("UPDATE Property SET ListPrice = 1, ModificationTimestamp = "
                                      "'2001-01-01T00:00:00.000Z' WHERE %1 = (SELECT MAX(%1) FROM Property)")
                           .arg(key)));
        q = QSqlQuery();
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("damage"));
    }

private Q_SLOTS:
    void trestle() {
        fake::ServerOptions options;
        options.flavour = fake::Flavour::Trestle;
        options.listingCount = 260;
        options.maxPageSize = 60;
        options.auth = fake::AuthMode::OAuth2;
        qputenv("ORS_PLATFORM_TEST_SECRET", "secret");
        auto f = FlavourFixture::make(
            options, QStringLiteral("trestle"),
            {{QStringLiteral("auth"),
              QJsonObject{{QStringLiteral("type"), QStringLiteral("oauth2")},
                          {QStringLiteral("tokenUrl"), QStringLiteral("@ORIGIN@/token")},
                          {QStringLiteral("clientId"), QStringLiteral("client")},
                          {QStringLiteral("clientSecret"), QStringLiteral("env:ORS_PLATFORM_TEST_SECRET")}}},
             // Trestle's profile drops the vendor's X_ fields; this feed keeps them to compare all.
             {QStringLiteral("profile"), QJsonObject{{QStringLiteral("excludeFields"), QJsonArray{}}}}});
        QVERIFY(f);
        // The replication cursor expires in the middle of the first download.
        f->server->expireCursorsAfter(3);
        CliResult sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QVERIFY2(f->allDifferences().isEmpty(), qPrintable(f->allDifferences().join(QLatin1Char('\n'))));
        QCOMPARE(f->events(QStringLiteral("nextlink-expired")).size(), 1);

        const QStringList requests = dataRequests(*f->server, QStringLiteral("Property"));
        QVERIFY(requests.first().contains(QLatin1String("replication=true")));
        QVERIFY(requests.first().contains(QLatin1String("$orderby=ModificationTimestamp asc")));
        bool followed = false;
        for (const QString& r : requests)
            followed = followed || r.contains(QLatin1String("/Property/replication?id="));
        QVERIFY2(followed, "the replication nextLinks were not followed verbatim");

        f->server->changeRecords(0.1);
        f->server->addRecords(7);
        sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QVERIFY(f->allDifferences().isEmpty());

        // Deletions are not signalled: purge finds them with a key-only replication query.
        f->server->clearRequestLog();
        f->server->deleteRecords(5);
        const CliResult purge = f->run(QStringLiteral("purge"));
        QVERIFY2(purge.exitCode == 0, purge.err.constData());
        QVERIFY(f->allDifferences().isEmpty());
        const QStringList keys = dataRequests(*f->server, QStringLiteral("Property"));
        QVERIFY(keys.first().contains(QLatin1String("$select=ListingKey&")));
        QVERIFY(keys.first().contains(QLatin1String("$top=100000")));

        // Keys with timestamps are not key-only: Trestle allows 1000 of them a page.
        f->server->clearRequestLog();
        damage(*f, QStringLiteral("ListingKey"), 3);
        const CliResult reconcile = f->run(QStringLiteral("reconcile"));
        QVERIFY2(reconcile.exitCode == 0, reconcile.err.constData());
        QVERIFY(f->allDifferences().isEmpty());
        const QString first = dataRequests(*f->server, QStringLiteral("Property")).first();
        QVERIFY2(first.contains(QLatin1String("$select=ListingKey,ModificationTimestamp")) &&
                     first.contains(QLatin1String("$top=1000&")),
                 qPrintable(first));
    }

    void mlsGrid() {
        fake::ServerOptions options;
        options.flavour = fake::Flavour::MlsGrid;
        options.listingCount = 240;
        options.maxPageSize = 70;
        options.auth = fake::AuthMode::Bearer;
        qputenv("ORS_PLATFORM_TEST_TOKEN", "test-token");
        auto f = FlavourFixture::make(
            options, QStringLiteral("mlsgrid"),
            {{QStringLiteral("originatingSystemName"), QStringLiteral("FakeMLS")},
             {QStringLiteral("auth"),
              QJsonObject{{QStringLiteral("type"), QStringLiteral("bearer")},
                          {QStringLiteral("token"), QStringLiteral("env:ORS_PLATFORM_TEST_TOKEN")}}}});
        QVERIFY(f);
        const QString key = QStringLiteral("ListingId");
        CliResult sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QVERIFY(f->allDifferences().isEmpty());
        QStringList requests = dataRequests(*f->server, QStringLiteral("Property"));
        QVERIFY(requests.first().contains(
            QLatin1String("OriginatingSystemName eq 'FakeMLS' and MlgCanView eq true")));
        QVERIFY(requests.first().contains(QLatin1String("$top=1000&"))); // the cap with $expand
        for (const QString& r : std::as_const(requests))
            QVERIFY2(!r.contains(QLatin1String("$orderby")), qPrintable(r));

        // A withdrawn record stays in the feed with MlgCanView=false; the sync deletes it.
        f->server->clearRequestLog();
        const QStringList hidden = f->server->deleteRecords(6);
        f->server->changeRecords(0.05);
        const int mediaBefore = f->rows(QStringLiteral("Media"));
        sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        requests = dataRequests(*f->server, QStringLiteral("Property"));
        QVERIFY2(!requests.first().contains(QLatin1String("MlgCanView")), qPrintable(requests.first()));
        const QList<QByteArray> visible = visibleRecords(*f->server);
        QCOMPARE(f->rows(QStringLiteral("Property")), int(visible.size()));
        const QStringList diff = compareRecords(visible, f->db, QStringLiteral("Property"), key);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        QVERIFY(f->rows(QStringLiteral("Media")) < mediaBefore);
        const auto table = readTable(f->db, QStringLiteral("Property"), key);
        for (const QString& gone : hidden)
            QVERIFY(!table.contains(QStringLiteral("ML") + gone));

        // Without $orderby: purge and reconcile sort keys themselves and start over when cut.
        damage(*f, key, 3);
        const CliResult reconcile = f->run(QStringLiteral("reconcile"));
        QVERIFY2(reconcile.exitCode == 0, reconcile.err.constData());
        QVERIFY(compareRecords(visible, f->db, QStringLiteral("Property"), key).isEmpty());
        const CliResult purge = f->run(QStringLiteral("purge"));
        QVERIFY2(purge.exitCode == 0, purge.err.constData());
        QCOMPARE(f->rows(QStringLiteral("Property")), int(visible.size()));

        // status counts what the feed shows (MlgCanView eq true) and cannot ask for the newest
        // record without $orderby: it says so instead of guessing.
        const CliResult status =
            f->cli({QStringLiteral("status"), QStringLiteral("mls"), QStringLiteral("--json")});
        QVERIFY2(status.exitCode == 0, status.err.constData());
        const QJsonObject mls = QJsonDocument::fromJson(status.out)
                                    .object()
                                    .value(QStringLiteral("sources"))
                                    .toArray()
                                    .at(0)
                                    .toObject()
                                    .value(QStringLiteral("resources"))
                                    .toArray()
                                    .at(0)
                                    .toObject()
                                    .value(QStringLiteral("mls"))
                                    .toObject();
        QCOMPARE(mls.value(QStringLiteral("count")).toInteger(), qint64(visible.size()));
        QVERIFY(mls.value(QStringLiteral("newest")).isNull());
        QVERIFY2(
            mls.value(QStringLiteral("newestUnavailable")).toString().contains(QLatin1String("$orderby")),
            status.out.constData());
    }

    void bridgeWithTokenInQuery() {
        fake::ServerOptions options;
        options.flavour = fake::Flavour::Bridge;
        options.listingCount = 230;
        options.maxPageSize = 60;
        options.sameTimestampGroupSize = 90; // a group sharing one timestamp spans pages
        options.auth = fake::AuthMode::Bearer;
        qputenv("ORS_PLATFORM_TEST_TOKEN", "test-token");
        auto f = FlavourFixture::make(
            options, QStringLiteral("bridge"),
            {{QStringLiteral("auth"),
              QJsonObject{{QStringLiteral("type"), QStringLiteral("bearer")},
                          {QStringLiteral("token"), QStringLiteral("env:ORS_PLATFORM_TEST_TOKEN")},
                          {QStringLiteral("sendAs"), QStringLiteral("query")}}}});
        QVERIFY(f);
        CliResult sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QVERIFY(f->allDifferences().isEmpty());
        const QStringList requests = dataRequests(*f->server, QStringLiteral("Property"));
        QVERIFY(requests.size() >= 4);
        for (const QString& r : requests) {
            QVERIFY2(r.contains(QLatin1String("/Property/replication?")), qPrintable(r));
            QVERIFY2(r.contains(QLatin1String("access_token=test-token")), qPrintable(r));
            QVERIFY2(!r.contains(QLatin1String("$orderby")), qPrintable(r));
        }
        QVERIFY(!sync.err.contains("test-token"));
        QVERIFY(!sync.out.contains("test-token"));

        f->server->deleteRecords(4);
        f->server->changeRecords(0.05);
        sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        CliResult purge = f->run(QStringLiteral("purge"));
        QVERIFY2(purge.exitCode == 0, purge.err.constData());
        QVERIFY(f->allDifferences().isEmpty());

        // Records fetched by key come from the plain endpoint, at most 200 a page.
        f->server->clearRequestLog();
        damage(*f, QStringLiteral("ListingKey"), 4);
        const CliResult reconcile = f->run(QStringLiteral("reconcile"));
        QVERIFY2(reconcile.exitCode == 0, reconcile.err.constData());
        QVERIFY2(f->allDifferences().isEmpty(), qPrintable(f->allDifferences().join(QLatin1Char('\n'))));
        bool fetched = false;
        for (const QString& r : dataRequests(*f->server, QStringLiteral("Property")))
            if (r.contains(QLatin1String("ListingKey in ("))) {
                fetched = true;
                QVERIFY2(!r.contains(QLatin1String("/replication")), qPrintable(r));
                QVERIFY2(r.contains(QLatin1String("$top=200")), qPrintable(r));
            }
        QVERIFY(fetched);
    }

    void bridgeResumesInsideTimestampGroup() {
        // Unordered pages: a cut download starts again from the previous mark and loses nothing.
        fake::ServerOptions options;
        options.flavour = fake::Flavour::Bridge;
        options.listingCount = 400;
        options.maxPageSize = 40;
        options.sameTimestampGroupSize = 150;
        auto f = FlavourFixture::make(options, QStringLiteral("bridge"));
        QVERIFY(f);
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_DOWNLOAD_DELAY_MS"), QStringLiteral("150"));
        // Pages stay on disk until the download ends, so the run is caught with several there.
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_AFTER_DOWNLOAD"), QStringLiteral("1"));
        auto process = f->launch(QStringLiteral("sync"), env);
        const QString dir = f->pageDir();
        QTRY_VERIFY_WITH_TIMEOUT(filesUnder(dir, QStringLiteral("sync_batch_*.json")).size() >= 3, 60000);
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished();
        f->server->changeRecords(0.05);
        const CliResult resumed = f->run(QStringLiteral("sync"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QVERIFY2(f->allDifferences().isEmpty(), qPrintable(f->allDifferences().join(QLatin1Char('\n'))));
    }

    void sparkReplicationHostAndOverlap() {
        fake::ServerOptions options;
        options.flavour = fake::Flavour::Spark;
        options.listingCount = 200;
        options.maxPageSize = 80;
        // The replication host is a separate URL; in the fake server a path prefix.
        auto f = FlavourFixture::make(
            options, QStringLiteral("spark"),
            {{QStringLiteral("profile"), QJsonObject{{QStringLiteral("replicationUrl"),
                                                      QStringLiteral("@ORIGIN@/replication/odata")}}}});
        QVERIFY(f);
        CliResult sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QVERIFY(f->allDifferences().isEmpty());
        const QString newest = f->server->maxModificationTimestamp();

        f->server->clearRequestLog();
        f->server->changeRecords(0.1);
        sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QVERIFY(f->allDifferences().isEmpty());
        const QString first = dataRequests(*f->server, QStringLiteral("Property")).first();
        QVERIFY2(first.contains(QLatin1String("/replication/odata/Property?")), qPrintable(first));
        // 20 minutes behind the mark, for Spark's server-side caching.
        const QDateTime mark = QDateTime::fromString(newest, Qt::ISODateWithMs);
        const QString expected = QStringLiteral("ModificationTimestamp gt ") +
                                 mark.addSecs(-1200).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
        QVERIFY2(first.contains(expected), qPrintable(first + QStringLiteral(" lacks ") + expected));

        f->server->deleteRecords(3);
        const CliResult purge = f->run(QStringLiteral("purge"));
        QVERIFY2(purge.exitCode == 0, purge.err.constData());
        QVERIFY(f->allDifferences().isEmpty());
    }

    void passwordGrant() {
        fake::ServerOptions options;
        options.listingCount = 50;
        options.auth = fake::AuthMode::OAuth2;
        qputenv("ORS_PLATFORM_TEST_PASSWORD", "hunter2");
        auto f = FlavourFixture::make(
            options, QStringLiteral("generic"),
            {{QStringLiteral("auth"),
              QJsonObject{{QStringLiteral("type"), QStringLiteral("oauth2")},
                          {QStringLiteral("grantType"), QStringLiteral("password")},
                          {QStringLiteral("tokenUrl"), QStringLiteral("@ORIGIN@/token")},
                          {QStringLiteral("clientId"), QStringLiteral("client")},
                          {QStringLiteral("username"), QStringLiteral("agent")},
                          {QStringLiteral("password"), QStringLiteral("env:ORS_PLATFORM_TEST_PASSWORD")}}}});
        QVERIFY(f);
        const CliResult sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QVERIFY(f->allDifferences().isEmpty());
        const QList<QByteArray> bodies = f->server->requestBodies();
        QVERIFY(!bodies.isEmpty());
        QVERIFY(bodies.first().contains("grant_type=password"));
        QVERIFY(bodies.first().contains("username=agent"));
        QVERIFY(!bodies.first().contains("client_secret"));
        QVERIFY(!sync.err.contains("hunter2"));
    }

    void countMismatchIsRecorded() {
        fake::ServerOptions options;
        options.listingCount = 120;
        options.maxPageSize = 50;
        auto f = FlavourFixture::make(options, QStringLiteral("generic"));
        QVERIFY(f);
        f->server->setCountBias(4); // the server announces 4 records more than it sends
        const CliResult sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QVERIFY(f->allDifferences().isEmpty());
        const QStringList recorded = f->events(QStringLiteral("count-mismatch"));
        QCOMPARE(recorded.size(), 1);
        QVERIFY2(recorded.first().contains(QLatin1String("124 records (@odata.count) but sent 120")),
                 qPrintable(recorded.first()));
        // status shows the recent events.
        const CliResult status = f->run(QStringLiteral("status"));
        QVERIFY2(status.out.contains("sync Property count-mismatch: the server announced 124"),
                 status.out.constData());
        // An honest count leaves no event.
        f->server->setCountBias(0);
        f->server->changeRecords(0.1);
        QCOMPARE(f->run(QStringLiteral("sync")).exitCode, 0);
        QCOMPARE(f->events(QStringLiteral("count-mismatch")).size(), 1);
    }

    void throttledRunKeepsTheRate_data() {
        QTest::addColumn<int>("flavour");
        QTest::addColumn<QString>("platform");
        QTest::newRow("trestle") << int(fake::Flavour::Trestle) << QStringLiteral("trestle");
        QTest::newRow("mlsgrid") << int(fake::Flavour::MlsGrid) << QStringLiteral("mlsgrid");
        QTest::newRow("bridge") << int(fake::Flavour::Bridge) << QStringLiteral("bridge");
        QTest::newRow("spark") << int(fake::Flavour::Spark) << QStringLiteral("spark");
        QTest::newRow("generic") << int(fake::Flavour::Generic) << QStringLiteral("generic");
    }

    void throttledRunKeepsTheRate() {
        QFETCH(int, flavour);
        QFETCH(QString, platform);
        fake::ServerOptions options;
        options.flavour = fake::Flavour(flavour);
        options.listingCount = 150;
        options.maxPageSize = 30;
        options.rateLimitPerSecond = 5; // the server answers 429 above this
        constexpr int kRate = 4;        // what the source is configured to stay under
        // make() adds MLS Grid's system name and Spark's replication host.
        const QJsonObject extra{
            {QStringLiteral("rateLimit"), QJsonObject{{QStringLiteral("perSecond"), kRate}}}};
        auto f = FlavourFixture::make(options, platform, extra);
        QVERIFY(f);
        fake::Fault throttled;
        throttled.kind = fake::Fault::Kind::Status429;
        throttled.pathContains = QStringLiteral("Property");
        throttled.count = 3;
        f->server->injectFault(throttled);
        const CliResult sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        const QString key = f->keyField();
        if (platform == QLatin1String("trestle")) {
            // Trestle's profile leaves out the vendor's X_ fields by default: those, and only
            // those, are missing.
            QStringList diff = compareWithServer(*f->server, QStringLiteral("Property"), f->db,
                                                 QStringLiteral("Property"), key, {}, {}, 1000000);
            diff.removeIf([](const QString& line) {
                return QRegularExpression(QStringLiteral(": no column X_\\w+$")).match(line).hasMatch();
            });
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
            const auto table = readTable(f->db, QStringLiteral("Property"), key);
            QVERIFY(!table.isEmpty() && !table.cbegin()->contains(QStringLiteral("X_Keywords")));
        } else {
            QVERIFY2(f->allDifferences().isEmpty(), qPrintable(f->allDifferences().join(QLatin1Char('\n'))));
        }
        // Never more than the configured rate in any one-second window, 429s included.
        const QList<qint64> times = f->server->requestTimesMs();
        QVERIFY(times.size() >= 8);
        for (qsizetype i = 0; i + kRate < times.size(); ++i)
            QVERIFY2(times.at(i + kRate) - times.at(i) >= 1000,
                     qPrintable(QStringLiteral("%1 requests within %2 ms")
                                    .arg(kRate + 1)
                                    .arg(times.at(i + kRate) - times.at(i))));
        // The server's own limit was never hit; the injected 429s were waited out and recorded.
        QCOMPARE(f->server->throttledCount(), 0);
        qint64 recorded = 0;
        const auto usage = readTable(QDir(f->dataDir).filePath(QStringLiteral("stats.sqlite")),
                                     QStringLiteral("usage_hour"), QStringLiteral("hour"));
        for (const QVariantMap& hour : usage)
            recorded += hour.value(QStringLiteral("throttled")).toLongLong();
        QCOMPARE(recorded, qint64(3));
    }

    void checkReportsWhatWorksAndWhy() {
        fake::ServerOptions options;
        options.flavour = fake::Flavour::Trestle;
        options.listingCount = 30;
        options.auth = fake::AuthMode::OAuth2;
        options.quotaHeaders = fake::QuotaHeaders::Trestle;
        options.clientSecret = QStringLiteral("s3cr3t-Xy9"); // distinctive: the output is redacted
        qputenv("ORS_PLATFORM_TEST_SECRET", "s3cr3t-Xy9");
        const QJsonObject oauth{
            {QStringLiteral("type"), QStringLiteral("oauth2")},
            {QStringLiteral("tokenUrl"), QStringLiteral("@ORIGIN@/token")},
            {QStringLiteral("clientId"), QStringLiteral("client")},
            {QStringLiteral("clientSecret"), QStringLiteral("env:ORS_PLATFORM_TEST_SECRET")}};
        auto f = FlavourFixture::make(options, QStringLiteral("trestle"), {{QStringLiteral("auth"), oauth}});
        QVERIFY(f);
        CliResult check = f->cli({QStringLiteral("check"), QStringLiteral("mls"), QStringLiteral("--json")});
        QVERIFY2(check.exitCode == 0, check.out.constData());
        const QJsonObject report = QJsonDocument::fromJson(check.out).object();
        QVERIFY(report.value(QStringLiteral("ok")).toBool());
        QStringList names;
        for (const QJsonValue& step : report.value(QStringLiteral("steps")).toArray())
            names << step.toObject().value(QStringLiteral("name")).toString();
        QCOMPARE(names,
                 (QStringList{QStringLiteral("secrets"), QStringLiteral("token"), QStringLiteral("metadata"),
                              QStringLiteral("Property"), QStringLiteral("quota")}));
        QVERIFY2(check.out.contains("Hour-Quota-Limit="), check.out.constData());
        QVERIFY(check.out.contains("30 in all (@odata.count)"));
        // Nothing was written: check is a dry look.
        QVERIFY(!QFileInfo::exists(f->db));

        // A wrong secret: the token step fails and says why; later steps are not attempted.
        qputenv("ORS_PLATFORM_TEST_SECRET", "wr0ng-Zq7");
        check = f->run(QStringLiteral("check"));
        QCOMPARE(check.exitCode, 1);
        QVERIFY2(check.out.contains("failed") && check.out.contains("token") &&
                     check.out.contains("invalid_client"),
                 check.out.constData());
        QVERIFY(!check.out.contains("wr0ng-Zq7"));

        // A feed that breaks a platform rule: MLS Grid's required filter, checked as generic.
        fake::ServerOptions grid;
        grid.flavour = fake::Flavour::MlsGrid;
        grid.listingCount = 20;
        auto g = FlavourFixture::make(grid, QStringLiteral("generic"));
        QVERIFY(g);
        check = g->run(QStringLiteral("check"));
        QCOMPARE(check.exitCode, 1);
        QVERIFY2(check.out.contains("OriginatingSystemName"), check.out.constData());
        QVERIFY(check.out.contains("result: 1 problem"));
    }

    // Latitude (Scale 8) sent with 12 fractional digits on several pages: stored rounded, and the
    // source's log says so once per field and run, not once per page or record.
    void decimalRoundingIsLoggedOncePerRun() {
        fake::ServerOptions options;
        options.listingCount = 20;
        auto f = FlavourFixture::make(options, QStringLiteral("generic"), {{QStringLiteral("pageSize"), 5}});
        QVERIFY(f);
        QStringList keys;
        for (const QByteArray& raw : f->server->rawRecords(QStringLiteral("Property")))
            keys << QJsonDocument::fromJson(raw).object().value(QStringLiteral("ListingKey")).toString();
        QCOMPARE(keys.size(), 20);
        static const QRegularExpression latitude(QStringLiteral("\"Latitude\":[-+0-9.eE]+"));
        const QList<qsizetype> fine{1, 7, 13, 19}; // on four different pages of five
        for (const qsizetype i : fine) {
            QString text = QString::fromUtf8(f->server->rawRecords(QStringLiteral("Property")).at(i));
            QVERIFY(text.contains(latitude));
            text.replace(latitude, QStringLiteral("\"Latitude\":37.77491234%1678").arg(i % 10));
            f->server->setRecordText(QStringLiteral("Property"), keys.at(i), text.toUtf8());
        }
        const auto roundingLines = [&] {
            QFile log(QDir(f->dataDir).filePath(QStringLiteral("logs/mls.ndjson")));
            if (!log.open(QIODevice::ReadOnly))
                return QList<QByteArray>();
            QList<QByteArray> lines;
            for (const QByteArray& line : log.readAll().split('\n'))
                if (line.contains("Property field Latitude: values with more fractional digits"))
                    lines << line;
            return lines;
        };
        QCOMPARE(f->run(QStringLiteral("sync")).exitCode, 0);
        QVERIFY(dataRequests(*f->server, QStringLiteral("Property")).size() >= 4);
        QList<QByteArray> lines = roundingLines();
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().contains("stored as 37.7749123"), lines.first().constData());
        const auto table = readTable(f->db, QStringLiteral("Property"), QStringLiteral("ListingKey"));
        for (const qsizetype i : fine)
            QCOMPARE(table.value(keys.at(i)).value(QStringLiteral("Latitude")).toString(),
                     i % 10 >= 5 ? QStringLiteral("37.77491235") : QStringLiteral("37.77491234"));

        // The next run that meets them says it again, once.
        QCOMPARE(
            f->cli({QStringLiteral("reset-mark"), QStringLiteral("mls"), QStringLiteral("--full")}).exitCode,
            0);
        QCOMPARE(f->run(QStringLiteral("sync")).exitCode, 0);
        QCOMPARE(roundingLines().size(), 2);
    }

    // A server that takes $top as a total: a full first page, no nextLink, and a count that says
    // more records match. check says so, naming the resource and the counts.
    void checkWarnsWhenTopLooksLikeATotal() {
        fake::ServerOptions options;
        options.listingCount = 10; // one full page of the 10 check asks for, hence no nextLink
        auto f = FlavourFixture::make(
            options, QStringLiteral("generic"),
            {{QStringLiteral("profile"), QJsonObject{{QStringLiteral("topIsPageSize"), true}}}});
        QVERIFY(f);
        f->server->setCountBias(4990); // @odata.count: 5000

        CliResult check = f->run(QStringLiteral("check"));
        QVERIFY2(check.exitCode == 0, check.out.constData()); // a warning, not a failure
        QVERIFY2(
            check.out.contains("warning: Property: a full first page (10 records of the 10 asked for with "
                               "$top) came without an @odata.nextLink, while @odata.count says 5000 "
                               "records match: the server likely treats $top as a limit on the whole "
                               "result"),
            check.out.constData());
        QVERIFY2(check.out.contains("\"topIsPageSize\": false"), check.out.constData());
        check = f->cli({QStringLiteral("check"), QStringLiteral("mls"), QStringLiteral("--json")});
        QCOMPARE(check.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(check.out).object();
        QString detail;
        for (const QJsonValue& step : report.value(QStringLiteral("steps")).toArray())
            if (step[QStringLiteral("name")].toString() == QLatin1String("Property"))
                detail = step[QStringLiteral("detail")].toString();
        QVERIFY2(detail.contains(QStringLiteral("likely treats $top as a limit")), qPrintable(detail));

        // The count agrees with the page: everything arrived, nothing to warn about.
        f->server->setCountBias(0);
        check = f->run(QStringLiteral("check"));
        QCOMPARE(check.exitCode, 0);
        QVERIFY2(check.out.contains("10 records on a first page of 10, 10 in all"), check.out.constData());
        QVERIFY2(!check.out.contains("warning"), check.out.constData());

        // With topIsPageSize false $top is meant as a total, so a page it cut is expected.
        auto g = FlavourFixture::make(
            options, QStringLiteral("generic"),
            {{QStringLiteral("profile"), QJsonObject{{QStringLiteral("topIsPageSize"), false}}}});
        QVERIFY(g);
        g->server->setCountBias(4990);
        check = g->run(QStringLiteral("check"));
        QCOMPARE(check.exitCode, 0);
        QVERIFY2(!check.out.contains("warning"), check.out.constData());

        // More records than the page, with a nextLink: the server pages, no warning either.
        fake::ServerOptions paging;
        paging.listingCount = 30;
        auto h = FlavourFixture::make(
            paging, QStringLiteral("generic"),
            {{QStringLiteral("profile"), QJsonObject{{QStringLiteral("topIsPageSize"), true}}}});
        QVERIFY(h);
        check = h->run(QStringLiteral("check"));
        QCOMPARE(check.exitCode, 0);
        QVERIFY2(check.out.contains("30 in all (@odata.count)") && check.out.contains("nextLink present"),
                 check.out.constData());
        QVERIFY2(!check.out.contains("warning"), check.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestPlatforms)
#include "tst_platforms.moc"
