// Reconcile through the real openresync-cli: rows removed by hand or made stale in a
// destination come back from the MLS with their children.
#include "CliFixture.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

#include <csignal>

using namespace ors;
using namespace ors::test;

class TestReconcile : public QObject {
    Q_OBJECT

private:
    struct Fixture : CliFixture {
        QString one;
        QString two;
    };

    std::unique_ptr<Fixture> synced(int listings) {
        auto f = std::make_unique<Fixture>();
        fake::ServerOptions options;
        options.listingCount = listings;
        options.trickyKeys = true;
        options.maxPageSize = 80;
        if (!f->startServer(options))
            return nullptr;
        f->one = f->path(QStringLiteral("one.sqlite"));
        f->two = f->path(QStringLiteral("two.sqlite"));
        f->writeSource(sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->one, f->two}, 50));
        if (f->run(QStringLiteral("sync")).exitCode != 0)
            return nullptr;
        return f;
    }

    void execSql(const QString& path, const QStringList& statements) {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("edit"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            for (const QString& sql : statements) {
                QSqlQuery query(db);
                QVERIFY2(query.exec(sql), qPrintable(sql));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("edit"));
    }

private Q_SLOTS:
    void restoresDeletedAndStaleRecordsWithChildren() {
        auto f = synced(250);
        QVERIFY(f);
        // Rows deleted by hand (with their Media), rows made stale, in different destinations;
        // keys chosen among those with quotes, '+' and non-ASCII characters where present.
        const auto keys = readTable(f->one, QStringLiteral("Property"), QStringLiteral("ListingKey")).keys();
        QStringList victims;
        for (const QString& key : keys)
            if (key.contains(QLatin1Char('\'')) || key.contains(QLatin1Char('+')) ||
                key.toUtf8().size() != key.size())
                victims.append(key);
        for (const QString& key : keys)
            if (victims.size() < 12 && !victims.contains(key))
                victims.append(key);
        QVERIFY(victims.size() >= 12);
        auto quoted = [](const QString& key) -> QString {
            QString k = key;
            k.replace(QLatin1Char('\''), QStringLiteral("''"));
            return QLatin1Char('\'') + k + QLatin1Char('\'');
        };
        QStringList oneEdits, twoEdits;
        for (int i = 0; i < 6; ++i) {
            oneEdits.append(
                QStringLiteral("DELETE FROM Property WHERE ListingKey = %1").arg(quoted(victims.at(i))));
            oneEdits.append(
                QStringLiteral("DELETE FROM Media WHERE ListingKey = %1").arg(quoted(victims.at(i))));
        }
        for (int i = 6; i < 12; ++i)
            twoEdits.append(QStringLiteral("UPDATE Property SET ListPrice = '1.00', ModificationTimestamp = "
                                           "'2001-01-01T00:00:00.000Z' WHERE ListingKey = %1")
                                .arg(quoted(victims.at(i))));
        twoEdits.append(QStringLiteral("DELETE FROM Media WHERE ListingKey = %1").arg(quoted(victims.at(7))));
        execSql(f->one, oneEdits);
        execSql(f->two, twoEdits);
        QVERIFY(!listingDifferences(*f->server, f->one).isEmpty());
        QVERIFY(!listingDifferences(*f->server, f->two).isEmpty());

        f->server->clearRequestLog();
        const CliResult reconcile = f->run(QStringLiteral("reconcile"));
        QVERIFY2(reconcile.exitCode == 0, reconcile.err.constData());
        for (const QString& path : {f->one, f->two}) {
            const QStringList diff = listingDifferences(*f->server, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        // Only the twelve records were fetched again, by key.
        QVERIFY2(reconcile.err.contains("12 missing or stale records fetched"), reconcile.err.constData());
        bool byKey = false;
        for (const QString& target : f->server->requestLog())
            if (target.contains(QStringLiteral("ListingKey%20in%20%28")))
                byKey = true;
        QVERIFY(byKey);
        QVERIFY(filesUnder(f->dataDir, QStringLiteral("*_batch_*")).isEmpty());
        // Nothing to do the second time.
        const CliResult again = f->run(QStringLiteral("reconcile"));
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.err.contains(" 0 missing or stale"), again.err.constData());
    }

    void neverDeletesParents() {
        auto f = synced(90);
        QVERIFY(f);
        f->server->deleteRecords(3);
        const CliResult reconcile = f->run(QStringLiteral("reconcile"));
        QVERIFY2(reconcile.exitCode == 0, reconcile.err.constData());
        QCOMPARE(readTable(f->one, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 90);
    }

    void resumesAfterKillDuringFetch() {
        auto f = synced(300);
        QVERIFY(f);
        execSql(f->one, {QStringLiteral("DELETE FROM Property WHERE rowid % 3 = 0")});
        fake::Fault slow;
        slow.kind = fake::Fault::Kind::Slow;
        slow.pathContains = QStringLiteral("ListingKey%20in");
        slow.delayMs = 300;
        slow.count = 1000;
        f->server->injectFault(slow);
        auto process = f->launch(QStringLiteral("reconcile"));
        const QString dir = f->pageDir();
        QTRY_VERIFY_WITH_TIMEOUT(filesUnder(dir, QStringLiteral("missing_batch_*.json")).size() >= 1, 30000);
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished();
        f->server->clearFaults();
        const CliResult resumed = f->run(QStringLiteral("reconcile"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QStringList diff = listingDifferences(*f->server, f->one);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        QVERIFY(filesUnder(f->dataDir, QStringLiteral("*_batch_*")).isEmpty());
    }

    void resumesAfterKillDuringKeyDownload() {
        auto f = synced(320); // four key pages of 80
        QVERIFY(f);
        execSql(f->two, {QStringLiteral("DELETE FROM Property WHERE rowid % 5 = 0")});
        // The client waits before each request, so the kill lands between key pages whatever the load.
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_DOWNLOAD_DELAY_MS"), QStringLiteral("700"));
        auto process = f->launch(QStringLiteral("reconcile"), env);
        const QString dir = f->pageDir();
        QTRY_VERIFY_WITH_TIMEOUT(filesUnder(dir, QStringLiteral("reconcile_batch_*.json")).size() >= 2,
                                 60000);
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished();
        QVERIFY2(filesUnder(dir, QStringLiteral("missingIds_batch_*")).isEmpty(),
                 "the run should have been killed before the comparison");
        const CliResult resumed = f->run(QStringLiteral("reconcile"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QVERIFY2(resumed.err.contains("reconcile mls: resumed the unfinished batch begun at 20"),
                 resumed.err.constData());
        for (const QString& path : {f->one, f->two}) {
            const QStringList diff = listingDifferences(*f->server, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        QVERIFY(filesUnder(f->dataDir, QStringLiteral("*_batch_*")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestReconcile)
#include "tst_reconcile.moc"
