// The pipelined download: a request runs while its caller does other work (HttpClient::start and
// PendingRequest), the next page is on its way while a page is written, saved and applied, and a
// stop while that next request is in flight, or a kill between applied pages, leaves a state the
// next sync finishes exactly. The real openresync-cli against the fake RESO server into real
// SQLite files.
#include "CliFixture.h"

#include "reso/HttpClient.h"
#include "reso/PendingRequest.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace ors;
using namespace ors::test;

class TestPipeline : public QObject {
    Q_OBJECT

private:
    struct Fixture : CliFixture {
        QString db;

        // Property page requests the server received (token and $metadata requests aside).
        int propertyRequests() const {
            int n = 0;
            for (const QString& target : server->requestLog())
                if (target.contains(QStringLiteral("/Property")))
                    ++n;
            return n;
        }
    };

    std::unique_ptr<Fixture> fixture(int listings, int maxPageSize) {
        auto f = std::make_unique<Fixture>();
        fake::ServerOptions options;
        options.listingCount = listings;
        options.maxPageSize = maxPageSize;
        if (!f->startServer(options))
            return nullptr;
        f->db = f->path(QStringLiteral("one.sqlite"));
        f->writeSource(sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->db}));
        return f;
    }

    QStringList differences(const Fixture& f) {
        return compareWithServer(*f.server, QStringLiteral("Property"), f.db, QStringLiteral("Property"),
                                 QStringLiteral("ListingKey")) +
               compareWithServer(*f.server, QStringLiteral("Media"), f.db, QStringLiteral("Media"),
                                 QStringLiteral("MediaKey"), QStringLiteral("ListingKey"),
                                 QStringLiteral("ResourceRecordKey"));
    }

    // The source log's summary of each walk over a query's pages: resource, pages, overlapped.
    static QList<QJsonObject> walkSummaries(const Fixture& f) {
        QList<QJsonObject> out;
        for (const QByteArray& line : f.sourceLog().split('\n')) {
            const QJsonObject entry = QJsonDocument::fromJson(line).object();
            if (entry.value(QStringLiteral("msg"))
                    .toString()
                    .contains(QLatin1String("written while the next page's request was in flight")))
                out.append(entry);
        }
        return out;
    }

private Q_SLOTS:
    // --- the client: a started request runs while its caller does other things ---

    void requestsRunSideBySide() {
        fake::FakeResoServer server(fake::ServerOptions{});
        QVERIFY(server.start());
        fake::Fault slow;
        slow.kind = fake::Fault::Kind::Slow;
        slow.delayMs = 1500;
        slow.pathContains = QStringLiteral("Member");
        server.injectFault(slow);
        HttpClient client(RetryPolicy{});
        auto members =
            client.start(QUrl(server.serviceUrl() + QStringLiteral("/Member?$top=1")), "application/json");
        auto listings =
            client.start(QUrl(server.serviceUrl() + QStringLiteral("/Property?$top=1")), "application/json");
        // Both are sent before either is waited for, and the slow one does not hold up the other.
        QVERIFY(!members->isFinished());
        QVERIFY(!listings->isFinished());
        auto second = listings->wait();
        QVERIFY2(second, second ? "" : qPrintable(second.errorMessage()));
        QCOMPARE(second->status, 200);
        QCOMPARE(server.requestCount(), 2);
        auto first = members->wait();
        QVERIFY2(first, first ? "" : qPrintable(first.errorMessage()));
        QVERIFY(first->body.contains("MemberKey"));
        QCOMPARE(client.requestCount(), 2);
    }

    void abandonedRequestEndsAtOnce() {
        fake::FakeResoServer server(fake::ServerOptions{});
        QVERIFY(server.start());
        fake::Fault slow;
        slow.kind = fake::Fault::Kind::Slow;
        slow.delayMs = 30000;
        server.injectFault(slow);
        HttpClient client(RetryPolicy{});
        auto pending =
            client.start(QUrl(server.serviceUrl() + QStringLiteral("/Property?$top=1")), "application/json");
        QTRY_COMPARE(server.requestCount(), 1);
        pending->abort();
        QVERIFY(pending->isFinished());
        auto result = pending->wait();
        QVERIFY(!result);
        QVERIFY2(result.errorMessage().contains(QLatin1String("abandoned")),
                 qPrintable(result.errorMessage()));
        // The client goes on with the next request as usual.
        auto next =
            client.get(QUrl(server.serviceUrl() + QStringLiteral("/Member?$top=1")), "application/json");
        QVERIFY2(next, next ? "" : qPrintable(next.errorMessage()));
    }

    // --- the download: page N+1 in flight while page N is kept ---

    void nextPageIsInFlightWhileAPageIsKept() {
        auto f = fixture(300, 30);
        QVERIFY(f);
        const CliResult result = f->run(QStringLiteral("sync"));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QStringList diff = differences(*f);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        const QList<QJsonObject> walks = walkSummaries(*f);
        QVERIFY(!walks.isEmpty());
        bool sawProperty = false;
        for (const QJsonObject& walk : walks) {
            const qint64 pages = walk.value(QStringLiteral("pages")).toInteger();
            const qint64 overlapped = walk.value(QStringLiteral("overlapped")).toInteger();
            // Every page but the last had its successor requested before it was written.
            QVERIFY2(overlapped == pages - 1, QJsonDocument(walk).toJson().constData());
            if (walk.value(QStringLiteral("resource")).toString() == QLatin1String("Property")) {
                sawProperty = true;
                QVERIFY(pages >= 10);
                // No request asked twice or left over: one request per page kept.
                QCOMPARE(f->propertyRequests(), int(pages));
            }
        }
        QVERIFY(sawProperty);
    }

    // The "sync done" line says where the run's time went. With each page answered 150 ms late,
    // the waits for pages add up to most of that; parsing and writing are never zero, and the
    // parts never add up to more than the whole.
    void doneLineSaysWhereTheTimeWent() {
        auto f = std::make_unique<Fixture>();
        fake::ServerOptions options;
        options.listingCount = 200;
        options.maxPageSize = 25;
        options.pageLatencyMs = 150;
        QVERIFY(f->startServer(options));
        f->db = f->path(QStringLiteral("one.sqlite"));
        f->writeSource(sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->db}));
        const CliResult result = f->run(QStringLiteral("sync"));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QJsonObject seconds;
        for (const QByteArray& line : f->sourceLog().split('\n')) {
            const QJsonObject entry = QJsonDocument::fromJson(line).object();
            if (entry.value(QStringLiteral("msg")).toString() == QLatin1String("sync done"))
                seconds = entry.value(QStringLiteral("seconds")).toObject();
        }
        const QByteArray shown = QJsonDocument(seconds).toJson(QJsonDocument::Compact);
        const double total = seconds.value(QStringLiteral("total")).toDouble();
        const double download = seconds.value(QStringLiteral("download")).toDouble();
        const double parse = seconds.value(QStringLiteral("parse")).toDouble();
        const double write = seconds.value(QStringLiteral("write")).toDouble();
        const double files = seconds.value(QStringLiteral("files")).toDouble();
        // Property and Member: 8 + 2 pages answered 150 ms late, less what each page's apply hid.
        QVERIFY2(download >= 0.9, shown.constData());
        QVERIFY2(parse > 0 && write > 0 && files > 0, shown.constData());
        QVERIFY2(download + parse + write + files <= total, shown.constData());
        QVERIFY2(total < 60, shown.constData());
    }

    // Held just before it applies its first page, the run has kept that page and asked for the
    // next one, and nothing more: the next page's request leaves while a page is applied (not
    // when the run next waits), and the apply does not wait for the whole download.
    void nextPageIsRequestedWhileAPageIsApplied() {
        auto f = fixture(300, 30);
        QVERIFY(f);
        const QString gate = f->dir.filePath(QStringLiteral("apply-gate"));
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_GATE"), gate);
        auto process = f->launch(QStringLiteral("sync"), env);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(gate + QStringLiteral(".held")), 30000);
        // The held page is on disk and nothing of it is in the destination yet.
        QCOMPARE(filesUnder(f->dataDir, QStringLiteral("sync_batch_*.json")).size(), 1);
        QCOMPARE(readTable(f->db, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 0);
        // The first page and the one after it, which reaches the server while the run is held.
        QTRY_COMPARE_WITH_TIMEOUT(f->propertyRequests(), 2, 30000);
        QFile open(gate);
        QVERIFY(open.open(QIODevice::WriteOnly));
        open.close();
        QVERIFY(process->waitForFinished(120000));
        QVERIFY2(process->exitCode() == 0, process->readAllStandardError().constData());
        const QStringList diff = differences(*f);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        QVERIFY(filesUnder(f->dataDir, QStringLiteral("sync_batch_*.json")).isEmpty());
    }

    // SIGKILL after some pages were applied while later ones were still being downloaded: the
    // next sync applies what the killed run left on disk and continues, ending equal to the server.
    void killBetweenInterleavedAppliesResumesExactly() {
        auto f = fixture(300, 30);
        QVERIFY(f);
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_DELAY_MS"), QStringLiteral("300"));
        auto process = f->launch(QStringLiteral("sync"), env);
        auto stored = [&] {
            return readTable(f->db, QStringLiteral("Property"), QStringLiteral("ListingKey")).size();
        };
        QTRY_VERIFY_WITH_TIMEOUT(stored() >= 60, 30000);
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished();
        // Killed in the middle: pages applied, the download not finished.
        QVERIFY(stored() >= 60);
        QVERIFY(stored() < 300);
        QVERIFY(f->propertyRequests() < 10);
        // The server moves on while the program is down.
        QVERIFY(!f->server->changeRecords(0.05).isEmpty());
        const CliResult resumed = f->run(QStringLiteral("sync"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QStringList diff = differences(*f);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        QVERIFY(filesUnder(f->dataDir, QStringLiteral("sync_batch_*.json")).isEmpty());
        // Nothing left to resume: the next sync has nothing to apply from before.
        const CliResult next = f->run(QStringLiteral("sync"));
        QVERIFY2(next.exitCode == 0, next.err.constData());
        QVERIFY2(!next.err.contains("resumed"), next.err.constData());
    }

    void stopDuringThePrefetchResumesExactly() {
        auto f = fixture(300, 30);
        QVERIFY(f);
        // Each request waits 300 ms before it goes: time to hold back the one after the first.
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_DOWNLOAD_DELAY_MS"), QStringLiteral("300"));
        auto process = f->launch(QStringLiteral("sync"), env);
        QTRY_VERIFY_WITH_TIMEOUT(f->propertyRequests() >= 1, 30000);
        const int before = f->propertyRequests();
        fake::Fault slow;
        slow.kind = fake::Fault::Kind::Slow;
        slow.delayMs = 60000;
        slow.pathContains = QStringLiteral("/Property");
        f->server->injectFault(slow);
        // The held-back request has arrived: it is the prefetch of the page after one the CLI has.
        QTRY_VERIFY_WITH_TIMEOUT(f->propertyRequests() > before, 30000);
        ::kill(pid_t(process->processId()), SIGTERM);
        // Far less than the 60 s the server holds the answer: the request in flight is aborted.
        QVERIFY(process->waitForFinished(20000));
        const QByteArray err = process->readAllStandardError();
        QVERIFY2(process->exitCode() == 143, err.constData());
        QVERIFY2(err.contains("stopped by") && err.contains("resume"), err.constData());
        QVERIFY(readTable(f->db, QStringLiteral("Property"), QStringLiteral("ListingKey")).size() < 300);
        const CliResult resumed = f->run(QStringLiteral("sync"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QStringList diff = differences(*f);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"
