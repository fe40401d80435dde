// Downloads always end (PagingGuard in every loop following @odata.nextLink), and the CLI can be
// stopped by SIGINT/SIGTERM at a checkpoint, resumably; the real openresync-cli against the fake
// RESO server into real SQLite files.
#include "CliFixture.h"

#include "reso/PagingGuard.h"

#include <QElapsedTimer>
#include <QTest>

#include <csignal>

using namespace ors;
using namespace ors::test;

namespace {

QUrl page(int n) {
    return QUrl(QStringLiteral("https://mls.example/odata/Property?$skiptoken=%1").arg(n));
}

} // namespace

class TestDownloadBounds : public QObject {
    Q_OBJECT

private:
    struct Fixture : CliFixture {
        QString db;
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

private Q_SLOTS:
    // --- PagingGuard itself ---

    void guardPassesAnOrdinaryDownload() {
        PagingGuard guard(QStringLiteral("download of Property"), page(0));
        for (int i = 1; i < 10; ++i)
            QVERIFY(guard.next(100, i == 1 ? std::optional<qint64>(950) : std::nullopt, page(i)));
        QVERIFY(guard.next(50, std::nullopt, QUrl()));
        QCOMPARE(guard.pages(), qint64(10));
        QCOMPARE(guard.bound(), qint64(2 * 10 + 10));
    }

    void guardFailsANextLinkToItself() {
        PagingGuard guard(QStringLiteral("download of Property"), page(0));
        QVERIFY(guard.next(100, std::nullopt, page(1)));
        const auto r = guard.next(100, std::nullopt, page(1));
        QVERIFY(!r);
        QVERIFY2(r.errorMessage().contains(QStringLiteral("download of Property")) &&
                     r.errorMessage().contains(QStringLiteral("repeats")) &&
                     r.errorMessage().contains(QStringLiteral("mls.example/odata/Property")),
                 qPrintable(r.errorMessage()));
        // The first URL counts as followed too.
        PagingGuard first(QStringLiteral("x"), page(0));
        QVERIFY(!first.next(100, std::nullopt, page(0)));
    }

    void guardFailsACycle() {
        PagingGuard guard(QStringLiteral("x"), page(0));
        QVERIFY(guard.next(10, std::nullopt, page(1)));
        QVERIFY(guard.next(10, std::nullopt, page(2)));
        QVERIFY(!guard.next(10, std::nullopt, page(1)));
    }

    void guardBoundsPagesByTheCount() {
        // 95 records announced in pages of 10: 10 pages expected, 30 allowed.
        PagingGuard guard(QStringLiteral("x"), page(0));
        QVERIFY(guard.next(10, 95, page(1)));
        int n = 1;
        Expected<void> r;
        while (r && n < 1000)
            r = guard.next(0, std::nullopt, page(++n));
        QVERIFY(!r);
        QCOMPARE(guard.pages(), qint64(30));
        QVERIFY2(r.errorMessage().contains(QStringLiteral("@odata.count")), qPrintable(r.errorMessage()));
    }

    void guardHasACeilingWithoutCount() {
        PagingGuard guard(QStringLiteral("x"), page(0), 50);
        int n = 0;
        Expected<void> r;
        while (r && n < 1000)
            r = guard.next(100, std::nullopt, page(++n));
        QVERIFY(!r);
        QCOMPARE(guard.pages(), qint64(50));
        QVERIFY2(r.errorMessage().contains(QStringLiteral("without @odata.count")),
                 qPrintable(r.errorMessage()));
    }

    // --- every loop following nextLink, through the CLI ---

    void syncFailsOnALoopingNextLink_data() {
        QTest::addColumn<int>("loop");
        QTest::newRow("self") << int(fake::NextLinkLoop::Self);
        QTest::newRow("cycle of two") << int(fake::NextLinkLoop::Cycle2);
        QTest::newRow("endless (count bound)") << int(fake::NextLinkLoop::Endless);
    }

    void syncFailsOnALoopingNextLink() {
        QFETCH(int, loop);
        auto f = fixture(300, 30);
        QVERIFY(f);
        f->server->setNextLinkLoop(fake::NextLinkLoop(loop));
        const CliResult sync = f->run(QStringLiteral("sync"), cliEnvironment(), 120000);
        QCOMPARE(sync.exitCode, 1);
        QVERIFY2(sync.err.contains("@odata.nextLink") && sync.err.contains("download of Property"),
                 sync.err.constData());
        // 10 pages expected: a loop is stopped long before it fills the disk.
        QVERIFY(filesUnder(f->pageDir(), QStringLiteral("sync_batch_*.json")).size() <= 30);
        // Fixed server, same batch: the sync resumes and ends exact (the lock was released).
        f->server->setNextLinkLoop(fake::NextLinkLoop::None);
        const CliResult again = f->run(QStringLiteral("sync"));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const QStringList diff = listingDifferences(*f->server, f->db);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void purgeKeyDownloadFailsOnALoopingNextLink() {
        auto f = fixture(300, 30);
        QVERIFY(f);
        QCOMPARE(f->run(QStringLiteral("sync")).exitCode, 0);
        f->server->deleteRecords(3);
        f->server->setNextLinkLoop(fake::NextLinkLoop::Cycle2);
        const CliResult purge = f->run(QStringLiteral("purge"), cliEnvironment(), 120000);
        QCOMPARE(purge.exitCode, 1);
        QVERIFY2(purge.err.contains("key download of Property") && purge.err.contains("repeats"),
                 purge.err.constData());
        QCOMPARE(readTable(f->db, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 300);
        f->server->setNextLinkLoop(fake::NextLinkLoop::None);
        const CliResult again = f->run(QStringLiteral("purge"));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(readTable(f->db, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 297);
    }

    void reconcileFetchFailsOnALoopingNextLink() {
        auto f = fixture(300, 30);
        QVERIFY(f);
        QCOMPARE(f->run(QStringLiteral("sync")).exitCode, 0);
        f->server->changeRecords(0.5); // stale: fetched by key in chunks of 100, pages of 30
        f->server->setNextLinkLoop(fake::NextLinkLoop::Self, QStringLiteral("ListingKey in ("));
        const CliResult reconcile = f->run(QStringLiteral("reconcile"), cliEnvironment(), 120000);
        QCOMPARE(reconcile.exitCode, 1);
        QVERIFY2(reconcile.err.contains("fetch of missing Property records") &&
                     reconcile.err.contains("repeats"),
                 reconcile.err.constData());
        f->server->setNextLinkLoop(fake::NextLinkLoop::None);
        const CliResult again = f->run(QStringLiteral("reconcile"));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const QStringList diff = listingDifferences(*f->server, f->db);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    // --- SIGINT / SIGTERM ---

    void signalStopsTheJobResumably_data() {
        QTest::addColumn<int>("signal");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("SIGTERM") << int(SIGTERM) << 143;
        QTest::newRow("SIGINT") << int(SIGINT) << 130;
    }

    void signalStopsTheJobResumably() {
        QFETCH(int, signal);
        QFETCH(int, exitCode);
        auto f = fixture(300, 30);
        QVERIFY(f);
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_DOWNLOAD_DELAY_MS"), QStringLiteral("300"));
        // Pages stay on disk until the download ends, so the run is caught with several there.
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_AFTER_DOWNLOAD"), QStringLiteral("1"));
        auto process = f->launch(QStringLiteral("sync"), env);
        QTRY_VERIFY_WITH_TIMEOUT(filesUnder(f->pageDir(), QStringLiteral("sync_batch_*.json")).size() >= 2,
                                 30000);
        QElapsedTimer timer;
        timer.start();
        ::kill(pid_t(process->processId()), signal);
        QVERIFY(process->waitForFinished(10000));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(process->exitStatus(), QProcess::NormalExit);
        const QByteArray err = process->readAllStandardError();
        QVERIFY2(process->exitCode() == exitCode, err.constData());
        QVERIFY2(err.contains("stopped by") && err.contains("resume"), err.constData());
        // Stopped before the end, and the next run resumes from where it stopped and ends exact.
        QVERIFY(readTable(f->db, QStringLiteral("Property"), QStringLiteral("ListingKey")).size() < 300);
        f->server->clearRequestLog();
        const CliResult resumed = f->run(QStringLiteral("sync"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QStringList diff = listingDifferences(*f->server, f->db);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        bool continued = false;
        for (const QString& target : f->server->requestLog())
            if (target.contains(QStringLiteral("ModificationTimestamp%20ge%20")))
                continued = true;
        QVERIFY(continued);
    }

    void secondSignalExitsAtOnce() {
        auto f = fixture(300, 30);
        QVERIFY(f);
        // Each page waits 4 s before it is asked for: the first signal would wait for that.
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_DOWNLOAD_DELAY_MS"), QStringLiteral("4000"));
        // A page applied at once leaves the disk within milliseconds; kept there, it marks that
        // the first page is in and the second one's delay has begun.
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_AFTER_DOWNLOAD"), QStringLiteral("1"));
        auto process = f->launch(QStringLiteral("sync"), env);
        QTRY_VERIFY_WITH_TIMEOUT(filesUnder(f->pageDir(), QStringLiteral("sync_batch_*.json")).size() >= 1,
                                 30000);
        QTest::qWait(300); // inside the next page's delay
        ::kill(pid_t(process->processId()), SIGTERM);
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += process->readAllStandardError()).contains("SIGTERM received"), 2000);
        QElapsedTimer timer;
        timer.start();
        ::kill(pid_t(process->processId()), SIGTERM);
        QVERIFY(process->waitForFinished(10000));
        QVERIFY2(timer.elapsed() < 1500, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(process->exitCode(), 143);
        // Even cut short, the state resumes.
        const CliResult resumed = f->run(QStringLiteral("sync"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QStringList diff = listingDifferences(*f->server, f->db);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestDownloadBounds)
#include "tst_downloadbounds.moc"
