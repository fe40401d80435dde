// Failure paths through the real openresync-cli: transient server faults are retried to
// success, permanent ones fail the job with a clear message, and secrets never leak.
#include "CliFixture.h"

#include "reso/HttpClient.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace ors;
using namespace ors::test;

class TestFailures : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cancelAbortsARequestInFlight() {
        fake::FakeResoServer server(fake::ServerOptions{});
        QVERIFY(server.start());
        fake::Fault slow;
        slow.kind = fake::Fault::Kind::Slow;
        slow.delayMs = 30000;
        server.injectFault(slow);
        std::atomic<bool> cancelled{false};
        HttpClient client(RetryPolicy{}, &cancelled);
        QTimer::singleShot(300, [&cancelled] { cancelled = true; });
        QElapsedTimer timer;
        timer.start();
        auto response =
            client.get(QUrl(server.serviceUrl() + QStringLiteral("/Property?$top=1")), "application/json");
        QVERIFY(!response);
        QVERIFY2(response.errorMessage().contains(QLatin1String("cancelled")),
                 qPrintable(response.errorMessage()));
        // Far below the 30 s the server would take, and the 120 s transfer timeout.
        QVERIFY2(timer.elapsed() < 15000, qPrintable(QString::number(timer.elapsed())));
    }

    void transientFaultsAreRetried_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("path");
        QTest::newRow("429 with Retry-After")
            << int(fake::Fault::Kind::Status429) << QStringLiteral("Property");
        QTest::newRow("500") << int(fake::Fault::Kind::Status500) << QStringLiteral("Property");
        QTest::newRow("truncated body")
            << int(fake::Fault::Kind::TruncatedBody) << QStringLiteral("Property");
        QTest::newRow("connection reset")
            << int(fake::Fault::Kind::ConnectionReset) << QStringLiteral("Property");
        QTest::newRow("reset mid-body") << int(fake::Fault::Kind::ResetMidBody) << QStringLiteral("Property");
        QTest::newRow("200 with cut-off JSON")
            << int(fake::Fault::Kind::InvalidJson) << QStringLiteral("Property");
        QTest::newRow("metadata 500") << int(fake::Fault::Kind::Status500) << QStringLiteral("$metadata");
        QTest::newRow("metadata cut off")
            << int(fake::Fault::Kind::TruncatedBody) << QStringLiteral("$metadata");
    }

    void transientFaultsAreRetried() {
        QFETCH(int, kind);
        QFETCH(QString, path);
        fake::ServerOptions options;
        options.listingCount = 120;
        CliFixture f;
        QVERIFY(f.startServer(options));
        fake::FakeResoServer& server = *f.server;
        const QString sqlite = f.path(QStringLiteral("d.sqlite"));
        f.writeSource(sourceConfig(QStringLiteral("mls"), server.serviceUrl(), {sqlite}, 50));
        fake::Fault fault;
        fault.kind = fake::Fault::Kind(kind);
        fault.pathContains = path;
        fault.count = 2;
        fault.retryAfterSeconds = 1;
        server.injectFault(fault);
        const CliResult result = f.run(QStringLiteral("sync"));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QStringList diff = compareWithServer(server, QStringLiteral("Property"), sqlite,
                                                   QStringLiteral("Property"), QStringLiteral("ListingKey"));
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        // The retries are in the source's log.
        QVERIFY(f.sourceLog().contains("retrying"));
    }

    void persistentFailureFailsTheJobWithAReason() {
        fake::ServerOptions options;
        options.listingCount = 30;
        CliFixture f;
        QVERIFY(f.startServer(options));
        fake::FakeResoServer& server = *f.server;
        const QString sqlite = f.path(QStringLiteral("d.sqlite"));
        f.writeSource(sourceConfig(QStringLiteral("mls"), server.serviceUrl(), {sqlite}));
        fake::Fault fault;
        fault.kind = fake::Fault::Kind::Status500;
        fault.pathContains = QStringLiteral("Property");
        fault.count = 100;
        server.injectFault(fault);
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_RETRY_ATTEMPTS"), QStringLiteral("3"));
        const CliResult result = f.run(QStringLiteral("sync"), env);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("HTTP 500") && result.err.contains("gave up after 3 attempts"),
                 result.err.constData());
        // A failing resource does not keep the others from syncing; the run names it.
        QVERIFY2(result.err.contains("1 of 2 resources failed: ") && result.err.contains("Property"),
                 result.err.constData());
        QCOMPARE(readTable(sqlite, QStringLiteral("Member"), QStringLiteral("MemberKey")).size(),
                 qsizetype(options.memberCount));
        // The failure is in the stats store and shown by status; the next run completes.
        const CliResult status = f.cli({QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY(status.out.contains("\"result\": \"error\""));
        server.clearFaults();
        const CliResult again = f.run(QStringLiteral("sync"));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(readTable(sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 30);
    }

    void oauthTokenIsRefreshedOn401() {
        fake::ServerOptions options;
        options.listingCount = 80;
        options.auth = fake::AuthMode::OAuth2;
        options.clientSecret = QStringLiteral("s3cr3t-client-value");
        CliFixture f;
        QVERIFY(f.startServer(options));
        fake::FakeResoServer& server = *f.server;
        const QString sqlite = f.path(QStringLiteral("d.sqlite"));
        QJsonObject source = sourceConfig(QStringLiteral("mls"), server.serviceUrl(), {sqlite}, 20);
        source.insert(QStringLiteral("auth"),
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("oauth2")},
                                  {QStringLiteral("tokenUrl"), server.tokenUrl()},
                                  {QStringLiteral("clientId"), options.clientId},
                                  {QStringLiteral("clientSecret"), QStringLiteral("env:ORS_TEST_SECRET")},
                                  {QStringLiteral("scope"), QStringLiteral("api")}});
        f.writeSource(source);
        fake::Fault fault;
        fault.kind = fake::Fault::Kind::Status401;
        fault.pathContains = QStringLiteral("Property");
        server.injectFault(fault);
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("ORS_TEST_SECRET"), options.clientSecret);
        const CliResult result = f.run(QStringLiteral("sync"), env);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(readTable(sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 80);
        // Two token requests: the first, and the one after the injected 401; form fields in the body.
        const QList<QByteArray> bodies = server.requestBodies();
        QCOMPARE(bodies.size(), 2);
        QVERIFY(bodies.first().contains("grant_type=client_credentials"));
        QVERIFY(bodies.first().contains("client_id=client"));
        QVERIFY(bodies.first().contains("scope=api"));
        // The secret is nowhere the program wrote, nor on its outputs.
        const QByteArray written = contentsUnder(f.dataDir) + result.out + result.err;
        QVERIFY(!written.contains(options.clientSecret.toUtf8()));
    }

    void wrongCredentialsFailClearly() {
        fake::ServerOptions options;
        options.listingCount = 10;
        options.auth = fake::AuthMode::OAuth2;
        CliFixture f;
        QVERIFY(f.startServer(options));
        const fake::FakeResoServer& server = *f.server;
        const QString sqlite = f.path(QStringLiteral("d.sqlite"));
        QJsonObject source = sourceConfig(QStringLiteral("mls"), server.serviceUrl(), {sqlite});
        const QString wrong = QStringLiteral("wrong-secret-4711");
        QFile secretFile(f.path(QStringLiteral("secret")));
        QVERIFY(secretFile.open(QIODevice::WriteOnly));
        secretFile.write(wrong.toUtf8() + '\n');
        secretFile.close();
        source.insert(QStringLiteral("auth"),
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("oauth2")},
                                  {QStringLiteral("tokenUrl"), server.tokenUrl()},
                                  {QStringLiteral("clientId"), options.clientId},
                                  {QStringLiteral("clientSecret"),
                                   QString(QStringLiteral("file:") + secretFile.fileName())}});
        f.writeSource(source);
        const CliResult result = f.run(QStringLiteral("sync"));
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("token") && result.err.contains("401"), result.err.constData());
        QVERIFY(!QFile::exists(sqlite) ||
                readTable(sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey")).isEmpty());
        const QByteArray written = contentsUnder(f.dataDir) + result.out + result.err;
        QVERIFY(!written.contains(wrong.toUtf8()));
    }

    void bearerTokenNeverLeaks() {
        fake::ServerOptions options;
        options.listingCount = 25;
        options.auth = fake::AuthMode::Bearer;
        options.bearerToken = QStringLiteral("bearer-token-value-9876");
        CliFixture f;
        QVERIFY(f.startServer(options));
        QJsonObject source =
            sourceConfig(QStringLiteral("mls"), f.server->serviceUrl(), {f.path(QStringLiteral("d.sqlite"))});
        // A literal secret works, with a warning that names the key, not the value.
        source.insert(QStringLiteral("auth"), QJsonObject{{QStringLiteral("type"), QStringLiteral("bearer")},
                                                          {QStringLiteral("token"), options.bearerToken}});
        f.writeSource(source);
        const CliResult result = f.run(QStringLiteral("sync"));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY(result.err.contains("sources[0].auth.token"));
        QVERIFY(result.err.contains("plain text"));
        const CliResult status = f.cli({QStringLiteral("status"), QStringLiteral("--json")});
        const QByteArray written =
            contentsUnder(f.dataDir) + result.out + result.err + status.out + status.err;
        QVERIFY(!written.contains(options.bearerToken.toUtf8()));
    }

    void secondSyncOfOneSourceIsRefused() {
        fake::ServerOptions options;
        options.listingCount = 100;
        CliFixture f;
        QVERIFY(f.startServer(options));
        fake::FakeResoServer& server = *f.server;
        f.writeSource(sourceConfig(QStringLiteral("mls"), server.serviceUrl(),
                                   {f.path(QStringLiteral("d.sqlite"))}, 10));
        fake::Fault slow;
        slow.kind = fake::Fault::Kind::Slow;
        slow.pathContains = QStringLiteral("Property");
        slow.delayMs = 300;
        slow.count = 100;
        server.injectFault(slow);
        auto first = f.launch(QStringLiteral("sync"));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(QDir(f.dataDir).filePath(QStringLiteral("locks/mls.lock"))),
                                 10000);
        QTest::qWait(300);
        const CliResult second = f.run(QStringLiteral("sync"));
        QCOMPARE(second.exitCode, 1);
        QVERIFY2(second.err.contains(QByteArray::number(first->processId())), second.err.constData());
        // Read-only commands take no lock.
        const CliResult status = f.cli({QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(status.exitCode, 0);
        server.clearFaults();
        QVERIFY(first->waitForFinished(60000));
        QCOMPARE(first->exitCode(), 0);
    }

    void failingDestinationBecomesBlockedUntilUnblocked_data() {
        QTest::addColumn<QString>("mode");
        QTest::newRow("retry") << QString();
        QTest::newRow("skip file") << QStringLiteral("--skip-file");
        QTest::newRow("discard batch") << QStringLiteral("--discard-batch");
    }

    void failingDestinationBecomesBlockedUntilUnblocked() {
        QFETCH(QString, mode);
        fake::ServerOptions options;
        options.listingCount = 60;
        CliFixture f;
        QVERIFY(f.startServer(options));
        fake::FakeResoServer& server = *f.server;
        const QString good = f.path(QStringLiteral("good.sqlite"));
        const QString bad = f.path(QStringLiteral("bad.sqlite"));
        f.writeSource(sourceConfig(QStringLiteral("mls"), server.serviceUrl(), {good, bad}, 100));
        const QString sync = QStringLiteral("sync");
        QCOMPARE(f.run(sync).exitCode, 0);

        // The second destination starts refusing every write to Property.
        auto setTrigger = [&](bool on) {
            {
                QSqlDatabase db =
                    QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("trigger"));
                db.setDatabaseName(bad);
                QVERIFY(db.open());
                QSqlQuery query(db);
                QVERIFY(
                    query.exec(on ? QStringLiteral("CREATE TRIGGER refuse BEFORE UPDATE ON Property BEGIN "
                                                   "SELECT RAISE(ABORT, 'disk says no'); END")
                                  : QStringLiteral("DROP TRIGGER refuse")));
                db.close();
            }
            QSqlDatabase::removeDatabase(QStringLiteral("trigger"));
        };
        setTrigger(true);
        server.changeRecords(0.2);
        for (int attempt = 1; attempt <= 3; ++attempt) {
            const CliResult failed = f.run(sync);
            QCOMPARE(failed.exitCode, 1);
            QVERIFY2(failed.err.contains("disk says no") && failed.err.contains("local1"),
                     failed.err.constData());
        }
        // Blocked: the step is not even tried again, and status says so.
        const CliResult blocked = f.run(sync);
        QCOMPARE(blocked.exitCode, 1);
        QVERIFY2(blocked.err.contains("blocked") && blocked.err.contains("unblock mls sync"),
                 blocked.err.constData());
        const CliResult status = f.cli({QStringLiteral("status"), QStringLiteral("--json")});
        const QJsonArray failures = QJsonDocument::fromJson(status.out)
                                        .object()[QStringLiteral("sources")][0][QStringLiteral("failures")]
                                        .toArray();
        QCOMPARE(failures.size(), 1);
        QVERIFY(failures.at(0)[QStringLiteral("blocked")].toBool());
        QCOMPARE(failures.at(0)[QStringLiteral("destination")].toString(), QStringLiteral("local1"));
        QCOMPARE(failures.at(0)[QStringLiteral("count")].toInt(), 3);
        // The healthy destination kept every file that reached it; nothing was lost.
        QVERIFY(!filesUnder(f.dataDir, QStringLiteral("sync_batch_*.json")).isEmpty());

        setTrigger(false);
        QStringList unblock{QStringLiteral("unblock"), QStringLiteral("mls"), QStringLiteral("sync")};
        if (!mode.isEmpty())
            unblock.append(mode);
        const CliResult unblocked = f.cli(unblock);
        QVERIFY2(unblocked.exitCode == 0, unblocked.err.constData());
        const CliResult next = f.run(sync);
        QVERIFY2(next.exitCode == 0, next.err.constData());
        QVERIFY(filesUnder(f.dataDir, QStringLiteral("sync_batch_*.json")).isEmpty());
        const QStringList goodDiff =
            compareWithServer(server, QStringLiteral("Property"), good, QStringLiteral("Property"),
                              QStringLiteral("ListingKey"));
        const QStringList badDiff =
            compareWithServer(server, QStringLiteral("Property"), bad, QStringLiteral("Property"),
                              QStringLiteral("ListingKey"));
        if (mode == QLatin1String("--skip-file")) {
            // The skipped page is missing from the blocked destination only (reconcile's job).
            QVERIFY2(goodDiff.isEmpty(), qPrintable(goodDiff.join(QLatin1Char('\n'))));
            QVERIFY(!badDiff.isEmpty());
        } else {
            // Retried, or discarded and downloaded again from the marks: both equal the server.
            QVERIFY2(goodDiff.isEmpty(), qPrintable(goodDiff.join(QLatin1Char('\n'))));
            QVERIFY2(badDiff.isEmpty(), qPrintable(badDiff.join(QLatin1Char('\n'))));
        }
        const CliResult after = f.cli({QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY(QJsonDocument::fromJson(after.out)
                    .object()[QStringLiteral("sources")][0][QStringLiteral("failures")]
                    .toArray()
                    .isEmpty());
    }

    void configurationErrorsExitTwo() {
        QTemporaryDir dir;
        QJsonObject source = sourceConfig(QStringLiteral("mls"), QStringLiteral("http://127.0.0.1:1/odata"),
                                          {dir.filePath(QStringLiteral("x.sqlite"))});
        QJsonArray destinations = source.value(QStringLiteral("destinations")).toArray();
        QJsonObject misspelt;
        misspelt.insert(QStringLiteral("name"), QStringLiteral("db"));
        misspelt.insert(QStringLiteral("type"), QStringLiteral("mysq"));
        destinations.append(misspelt);
        source.insert(QStringLiteral("destinations"), destinations);
        source.insert(QStringLiteral("platform"), QStringLiteral("foo"));
        const QString config = writeConfig(dir.path(), configWith(source));
        const CliResult validate = runCli({QStringLiteral("--config"), config, QStringLiteral("validate")});
        QCOMPARE(validate.exitCode, 2);
        QVERIFY2(validate.err.contains(
                     "sources[0].destinations[1].type: unknown destination type \"mysq\" (expected "
                     "sqlite, mysql, postgresql, solr)"),
                 validate.err.constData());
        QVERIFY(validate.err.contains("sources[0].platform: unknown platform \"foo\""));
        const CliResult sync =
            runCli({QStringLiteral("sync"), QStringLiteral("mls"), QStringLiteral("--config"), config});
        QCOMPARE(sync.exitCode, 2);
        const CliResult usage = runCli({QStringLiteral("frobnicate")});
        QCOMPARE(usage.exitCode, 2);
    }

    void unreachableServerFailsWithoutTouchingDestination() {
        QTemporaryDir dir;
        const QString sqlite = dir.filePath(QStringLiteral("d.sqlite"));
        const QString config = writeConfig(
            dir.path(), configWith(sourceConfig(QStringLiteral("mls"),
                                                QStringLiteral("http://127.0.0.1:9/odata"), {sqlite})));
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_RETRY_ATTEMPTS"), QStringLiteral("2"));
        const CliResult result = runCli(cliArgs(config, dir.filePath(QStringLiteral("data")),
                                                {QStringLiteral("sync"), QStringLiteral("mls")}),
                                        env);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("$metadata") && result.err.contains("network error"),
                 result.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestFailures)
#include "tst_failures.moc"
