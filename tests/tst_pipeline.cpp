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
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <optional>

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

        // Runs SQL on the destination file, as a user might behind the program's back; the first
        // column of what a SELECT returns, in order.
        std::optional<QStringList> execute(const QString& sql) const {
            const QString name = QStringLiteral("exec-%1").arg(quintptr(this));
            std::optional<QStringList> out;
            {
                QSqlDatabase sqlite = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
                sqlite.setDatabaseName(db);
                QSqlQuery query(sqlite);
                if (sqlite.open() && query.exec(sql)) {
                    out.emplace();
                    while (query.next())
                        out->append(query.value(0).toString());
                }
                query.finish();
                sqlite.close();
            }
            QSqlDatabase::removeDatabase(name);
            return out;
        }

        // From now on every Property row written (inserted or updated) is noted, in order.
        bool noteWrites() const {
            return execute(QStringLiteral("CREATE TABLE written (ListingKey TEXT, ts TEXT)")) &&
                   execute(QStringLiteral("CREATE TRIGGER noteUpdate AFTER UPDATE ON Property BEGIN "
                                          "INSERT INTO written VALUES (NEW.ListingKey, "
                                          "NEW.ModificationTimestamp); END")) &&
                   execute(QStringLiteral("CREATE TRIGGER noteInsert AFTER INSERT ON Property BEGIN "
                                          "INSERT INTO written VALUES (NEW.ListingKey, "
                                          "NEW.ModificationTimestamp); END"));
        }

        // The rows noted, as "timestamp key", in the order they were written.
        QStringList written() const {
            return execute(QStringLiteral("SELECT ts || ' ' || ListingKey FROM written ORDER BY rowid"))
                .value_or(QStringList{QStringLiteral("<no table>")});
        }

        int pageFiles() const { return int(filesUnder(dataDir, QStringLiteral("sync_batch_*.json")).size()); }
    };

    // An initial sync ordered by timestamp and key wrote the records page after page in download
    // order: the noted writes are the server's records, sorted. Only the last record kept before
    // the stop may come twice, next to itself: the resumed query asks again from its timestamp
    // (inclusive, for ties) and the upsert absorbs it.
    static void verifyWrittenInOrder(const QStringList& written, int records) {
        QStringList sorted = written;
        sorted.sort();
        QCOMPARE(written, sorted);
        QCOMPARE(QSet<QString>(written.cbegin(), written.cend()).size(), records);
        QVERIFY2(written.size() <= records + 1, qPrintable(QString::number(written.size())));
    }

    // The next sync ends equal to the server with no page file left, having written every record
    // in download order.
    void resumeEndsExact(const Fixture& f, int records) {
        const CliResult resumed = f.run(QStringLiteral("sync"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QStringList diff = differences(f);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        QCOMPARE(f.pageFiles(), 0);
        verifyWrittenInOrder(f.written(), records);
    }

    // Launched with the apply gate shut: returns once the run waits before it applies its first
    // page (null if it never does). `answerFirst`: each page's rows are read 300 ms late, so the
    // next page's answer is always there before the page before it can be written (as from a
    // fast server); otherwise a page is written as soon as its rows are read when the next
    // answer is still on its way (as from a slow one).
    std::unique_ptr<QProcess> launchHeld(const Fixture& f, const QString& gate, bool answerFirst = true) {
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_GATE"), gate);
        if (answerFirst)
            env.insert(QStringLiteral("OPENRESYNC_DEBUG_PARSE_DELAY_MS"), QStringLiteral("300"));
        auto process = f.launch(QStringLiteral("sync"), env);
        const bool held =
            QTest::qWaitFor([&] { return QFile::exists(gate + QStringLiteral(".held")); }, 30000);
        return held ? std::move(process) : nullptr;
    }

    static bool openGate(const QString& gate) {
        QFile open(gate);
        const bool opened = open.open(QIODevice::WriteOnly);
        open.close();
        return opened;
    }

    std::unique_ptr<Fixture> fixture(int listings, int maxPageSize, int pageLatencyMs = 0) {
        auto f = std::make_unique<Fixture>();
        fake::ServerOptions options;
        options.listingCount = listings;
        options.maxPageSize = maxPageSize;
        options.pageLatencyMs = pageLatencyMs;
        if (!f->startServer(options))
            return nullptr;
        f->db = f->path(QStringLiteral("one.sqlite"));
        f->writeSource(sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->db}));
        return f;
    }

    // Opens the gate: the held run finishes and ends equal to the server, no page file left.
    void releaseEndsExact(const Fixture& f, QProcess& process, const QString& gate) {
        QVERIFY(openGate(gate));
        QVERIFY(process.waitForFinished(120000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        const QStringList diff = differences(f);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        QCOMPARE(f.pageFiles(), 0);
    }

    enum class Stop { Killed, Refused };
    // Held at its first write with `kept` page files on disk, the run is killed, or the
    // destination refuses every listing from then on (the run fails naming the refusal, at most
    // `asked` pages asked). Either way nothing is stored and the pages stay on disk, and the next
    // sync (the refusal gone) ends exact.
    void stopAtTheFirstWrite(Stop how, int pageLatencyMs, bool answerFirst, int kept, int asked = 0) {
        auto f = fixture(300, 30, pageLatencyMs);
        QVERIFY(f);
        const QString gate = f->dir.filePath(QStringLiteral("apply-gate"));
        auto process = launchHeld(*f, gate, answerFirst);
        QVERIFY(process);
        QCOMPARE(f->pageFiles(), kept);
        if (how == Stop::Killed) {
            QVERIFY(f->noteWrites());
            ::kill(pid_t(process->processId()), SIGKILL);
            process->waitForFinished();
            QVERIFY(f->written().isEmpty());
        } else {
            QVERIFY(f->execute(QStringLiteral("CREATE TRIGGER refuse BEFORE INSERT ON Property BEGIN "
                                              "SELECT RAISE(ABORT, 'disk says no'); END")));
            QVERIFY(openGate(gate));
            QVERIFY(process->waitForFinished(120000));
            const QByteArray err = process->readAllStandardError();
            QVERIFY2(process->exitCode() != 0, err.constData());
            QVERIFY2(err.contains("disk says no"), err.constData());
            QVERIFY(f->propertyRequests() <= asked);
            QVERIFY(f->execute(QStringLiteral("DROP TRIGGER refuse")));
            QVERIFY(f->noteWrites());
        }
        QCOMPARE(f->pageFiles(), kept);
        QCOMPARE(readTable(f->db, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 0);
        resumeEndsExact(*f, 300);
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

    // Held just before it applies its first page, the run has kept that page and the next one
    // (whose rows are read on the worker meanwhile: the apply runs one page behind the
    // download) and asked for the page after those, and nothing more: the apply of a page
    // overlaps the next page's download, keeping and parsing, and does not wait for the whole
    // download.
    void nextPageIsRequestedWhileAPageIsApplied() {
        auto f = fixture(300, 30);
        QVERIFY(f);
        const QString gate = f->dir.filePath(QStringLiteral("apply-gate"));
        auto process = launchHeld(*f, gate);
        QVERIFY(process);
        // The held page and the next one are on disk and nothing is in the destination yet.
        QCOMPARE(f->pageFiles(), 2);
        QCOMPARE(readTable(f->db, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 0);
        // The two pages kept and the one after them, which reaches the server while the run is held.
        QTRY_COMPARE_WITH_TIMEOUT(f->propertyRequests(), 3, 30000);
        QTest::qWait(300);
        QCOMPARE(f->propertyRequests(), 3);
        releaseEndsExact(*f, *process, gate);
        if (QTest::currentTestFailed())
            return;
        // The rows were read on the worker: the done line says how long that took.
        double worker = 0;
        for (const QByteArray& line : f->sourceLog().split('\n')) {
            const QJsonObject entry = QJsonDocument::fromJson(line).object();
            if (entry.value(QStringLiteral("msg")).toString() == QLatin1String("sync done"))
                worker = entry.value(QStringLiteral("seconds"))
                             .toObject()
                             .value(QStringLiteral("worker"))
                             .toDouble();
        }
        QVERIFY(worker > 0);
    }

    // A slow server: the first page is written while the second one's answer is still on its way,
    // not held until it arrives. Held at that write, the run has kept the first page only and
    // asked for the second, and asks nothing more while held; released, it ends equal to the
    // server.
    void pageIsWrittenWhileTheNextAnswerIsAwaited() {
        auto f = fixture(300, 30, 400);
        QVERIFY(f);
        const QString gate = f->dir.filePath(QStringLiteral("apply-gate"));
        auto process = launchHeld(*f, gate, false);
        QVERIFY(process);
        QCOMPARE(f->pageFiles(), 1);
        QCOMPARE(readTable(f->db, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 0);
        QCOMPARE(f->propertyRequests(), 2);
        // The second answer comes meanwhile; the third page is asked only once the write is done.
        QTest::qWait(800);
        QCOMPARE(f->propertyRequests(), 2);
        QCOMPARE(f->pageFiles(), 1);
        releaseEndsExact(*f, *process, gate);
    }

    // SIGKILL during that write: the next sync applies the page it left on disk, then continues,
    // and ends equal to the server.
    void killWhileAPageIsWrittenBeforeTheNextAnswerResumesExactly() {
        stopAtTheFirstWrite(Stop::Killed, 400, false, 1);
    }

    // SIGKILL while the apply of the first page is held and the page after it is kept (and being
    // parsed): the next sync applies both kept pages first, in download order, then continues,
    // and ends equal to the server.
    void killWhileAPageIsHeldResumesExactly() { stopAtTheFirstWrite(Stop::Killed, 0, true, 2); }

    // A failure while applying a page stops the run: the page kept after it stays on disk, not
    // applied, and the next sync applies both in download order, neither lost nor applied twice.
    void failedApplyLeavesTheNextPageForTheResume() { stopAtTheFirstWrite(Stop::Refused, 0, true, 2, 3); }

    // The same failure in a write made while the next answer was on its way: the page stays on
    // disk, the request in flight is abandoned, and the next sync ends exact.
    void failedApplyBeforeTheNextAnswerLeavesThePageForTheResume() {
        stopAtTheFirstWrite(Stop::Refused, 400, false, 1, 2);
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
