// Destinations that progress independently (issue 15): a destination that fails, is blocked or
// cannot be opened falls behind for the resource while the others take every change; it keeps
// its high-water mark and the page files it lacks, the next downloads start from the oldest mark
// among the destinations still going, and once it works again it catches up from its own
// position: the files kept for it first, then a download from its own mark that the others skip.
// Through the real openresync-cli against the fake RESO server into two real SQLite files.
#include "CliFixture.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>

using namespace ors;
using namespace ors::test;

namespace {

QString joined(const QStringList& list) {
    return list.join(QLatin1Char('\n'));
}

struct Fixture : CliFixture {
    QString good; // local0
    QString bad;  // local1

    CliResult sync() const { return run(QStringLiteral("sync")); }

    // Runs SQL on one of the SQLite files, as a user might behind the program's back.
    bool execute(const QString& path, const QString& sql) const {
        const QString name = QStringLiteral("exec-%1").arg(quintptr(this));
        bool ok = false;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            ok = db.open() && QSqlQuery(db).exec(sql);
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        return ok;
    }
    // local1 refuses every change to an existing Property row (a trigger), or takes them again.
    bool refuse(bool on) const {
        return execute(bad, on ? QStringLiteral("CREATE TRIGGER refuse BEFORE UPDATE ON Property BEGIN "
                                                "SELECT RAISE(ABORT, 'disk says no'); END")
                               : QStringLiteral("DROP TRIGGER refuse"));
    }

    // The high-water mark of a resource for a destination in state.sqlite; "<none>" without one.
    QString mark(const QString& destination, const QString& resource = QStringLiteral("Property")) const {
        const QString name = QStringLiteral("marks-%1").arg(quintptr(this));
        QString value = QStringLiteral("<none>");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(QDir(dataDir).filePath(QStringLiteral("state.sqlite")));
            if (db.open()) {
                QSqlQuery q(db);
                q.prepare(
                    QStringLiteral("SELECT timestamp FROM high_water WHERE source = 'mls' AND resource = ? "
                                   "AND destination = ?"));
                q.addBindValue(resource);
                q.addBindValue(destination);
                if (q.exec() && q.next())
                    value = q.value(0).toString();
            }
        }
        QSqlDatabase::removeDatabase(name);
        return value;
    }

    // status --json's object for one resource and destination.
    QJsonObject status(const QString& destination,
                       const QString& resource = QStringLiteral("Property")) const {
        const CliResult result = cli({QStringLiteral("status"), QStringLiteral("--json")});
        const QJsonObject source =
            QJsonDocument::fromJson(result.out).object()[QStringLiteral("sources")][0].toObject();
        for (const QJsonValue r : source[QStringLiteral("resources")].toArray())
            if (r[QStringLiteral("name")].toString() == resource)
                for (const QJsonValue d : r[QStringLiteral("destinations")].toArray())
                    if (d[QStringLiteral("name")].toString() == destination)
                        return d.toObject();
        return {};
    }

    // The lower bounds of the Property downloads the server was asked for, decoded.
    QStringList propertyLowerBounds() const {
        QStringList out;
        for (const QString& target : server->requestLog()) {
            if (!target.section(QLatin1Char('?'), 0, 0).endsWith(QLatin1String("/Property")))
                continue;
            const QString decoded = QUrl::fromPercentEncoding(target.toUtf8());
            const qsizetype at = decoded.indexOf(QLatin1String("ModificationTimestamp gt "));
            out << (at < 0 ? QStringLiteral("<everything>") : decoded.mid(at + 25, 24));
        }
        out.removeDuplicates(); // the pages of one download, its count check
        return out;
    }

    QStringList differences(const QString& sqlite) const { return listingDifferences(*server, sqlite, true); }
    qsizetype pageFiles() const { return filesUnder(dataDir, QStringLiteral("sync_batch_*.json")).size(); }
};

std::unique_ptr<Fixture> makeFixture(int listings, int pageSize) {
    auto f = std::make_unique<Fixture>();
    fake::ServerOptions options;
    options.listingCount = listings;
    if (!f->startServer(options))
        return nullptr;
    f->good = f->path(QStringLiteral("good.sqlite"));
    f->bad = f->path(QStringLiteral("bad.sqlite"));
    f->writeSource(sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->good, f->bad}, pageSize));
    return f;
}

} // namespace

class TestIndependent : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // One destination refusing Property: the other takes every change and its mark moves; the
    // refusing one keeps its mark and the files, status shows its lag and failure, the next
    // download starts from the healthy mark, and once it takes writes again it catches up from
    // the files kept for it without any download from its old mark.
    void healthyDestinationGoesOnAndTheOtherCatchesUp() {
        auto f = makeFixture(200, 20);
        QVERIFY(f);
        const CliResult first = f->sync();
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QString before = f->mark(QStringLiteral("local1"));
        QCOMPARE(f->mark(QStringLiteral("local0")), before);

        QVERIFY(f->refuse(true));
        QVERIFY(f->server->changeRecords(0.3).size() >= 60);
        const CliResult partial = f->sync();
        QCOMPARE(partial.exitCode, 1);
        QVERIFY2(partial.err.contains("sync mls failed: destination local1 fell behind (Property: ") &&
                     partial.err.contains("disk says no") && partial.err.contains("local0 kept going"),
                 partial.err.constData());
        QVERIFY2(f->differences(f->good).isEmpty(), qPrintable(joined(f->differences(f->good))));
        QVERIFY(!f->differences(f->bad).isEmpty());
        const QString ahead = f->mark(QStringLiteral("local0"));
        QVERIFY2(ahead > before, qPrintable(ahead + QStringLiteral(" vs ") + before));
        QCOMPARE(f->mark(QStringLiteral("local1")), before);
        // Member was not refused: local1 kept up there.
        QCOMPARE(f->mark(QStringLiteral("local1"), QStringLiteral("Member")),
                 f->mark(QStringLiteral("local0"), QStringLiteral("Member")));
        const qsizetype kept = f->pageFiles();
        QVERIFY(kept >= 3);

        // status: local1's lag behind the newest mark, its kept files and its failure.
        const QJsonObject lagging = f->status(QStringLiteral("local1"));
        QCOMPARE(lagging[QStringLiteral("mark")].toString(), before);
        QCOMPARE(lagging[QStringLiteral("newestMark")].toString(), ahead);
        QVERIFY2(lagging[QStringLiteral("lagSeconds")].toInteger() > 0,
                 QJsonDocument(lagging).toJson().constData());
        QCOMPARE(lagging[QStringLiteral("pendingFiles")].toInteger(), kept);
        QVERIFY(lagging[QStringLiteral("failing")].toBool());
        QVERIFY(!lagging[QStringLiteral("blocked")].toBool());
        QVERIFY(lagging[QStringLiteral("lastError")].toString().contains(QStringLiteral("disk says no")));
        const QJsonObject current = f->status(QStringLiteral("local0"));
        QCOMPARE(current[QStringLiteral("lagSeconds")].toInteger(-1), 0);
        QCOMPARE(current[QStringLiteral("pendingFiles")].toInteger(-1), 0);
        QVERIFY(!current[QStringLiteral("failing")].toBool());
        QVERIFY(current[QStringLiteral("lastError")].isNull());
        const CliResult text = f->cli({QStringLiteral("status")});
        QVERIFY2(text.out.contains("page file(s) waiting for it") && text.out.contains("sync failing: "),
                 text.out.constData());

        // Still refusing: the download starts from the healthy mark, not from local1's.
        QVERIFY(f->server->changeRecords(0.05).size() >= 5);
        f->server->clearRequestLog();
        const CliResult again = f->sync();
        QCOMPARE(again.exitCode, 1);
        QCOMPARE(f->propertyLowerBounds().value(0), ahead);
        QVERIFY2(f->differences(f->good).isEmpty(), qPrintable(joined(f->differences(f->good))));
        QCOMPARE(f->mark(QStringLiteral("local1")), before);
        QVERIFY(f->pageFiles() > kept);

        // Back: local1 applies what was kept for it and its mark reaches local0's; the download
        // then starts from that mark, so nothing before it is asked for again.
        QVERIFY(f->refuse(false));
        const QString newest = f->mark(QStringLiteral("local0"));
        f->server->clearRequestLog();
        const CliResult caughtUp = f->sync();
        QVERIFY2(caughtUp.exitCode == 0, caughtUp.err.constData());
        QCOMPARE(f->propertyLowerBounds(), QStringList{newest});
        QVERIFY2(f->differences(f->good).isEmpty(), qPrintable(joined(f->differences(f->good))));
        QVERIFY2(f->differences(f->bad).isEmpty(), qPrintable(joined(f->differences(f->bad))));
        QCOMPARE(f->mark(QStringLiteral("local1")), f->mark(QStringLiteral("local0")));
        QVERIFY2(f->leftovers().isEmpty(), qPrintable(joined(f->leftovers())));
        const QJsonObject after = f->status(QStringLiteral("local1"));
        QVERIFY(!after[QStringLiteral("failing")].toBool());
        QCOMPARE(after[QStringLiteral("pendingFiles")].toInteger(-1), 0);
        QCOMPARE(after[QStringLiteral("lagSeconds")].toInteger(-1), 0);
    }

    // A destination that cannot even be opened falls behind for every resource; after
    // kBlockAfter runs it is blocked (status says so, it is no longer tried) until `unblock`, and
    // then catches up from the files kept for it.
    void unopenableDestinationBlocksAndCatchesUpAfterUnblock() {
        auto f = makeFixture(80, 20);
        QVERIFY(f);
        QVERIFY(f->sync().exitCode == 0);
        const QString aside = f->path(QStringLiteral("aside.sqlite"));
        QVERIFY(QFile::rename(f->bad, aside));
        QVERIFY(QDir().mkpath(f->bad)); // a folder where the database file was: it cannot be opened
        for (int run = 1; run <= 3; ++run) {
            f->server->changeRecords(0.1);
            const CliResult down = f->sync();
            QCOMPARE(down.exitCode, 1);
            QVERIFY2(
                down.err.contains("destination local1 fell behind (Property: destination local1 could not "
                                  "be opened: ") &&
                    down.err.contains("| Member: "),
                down.err.constData());
            QVERIFY2(f->differences(f->good).isEmpty(), qPrintable(joined(f->differences(f->good))));
        }
        QJsonObject status = f->status(QStringLiteral("local1"));
        QVERIFY(status[QStringLiteral("blocked")].toBool());
        QVERIFY(status[QStringLiteral("pendingFiles")].toInteger() > 0);
        const QJsonObject member = f->status(QStringLiteral("local1"), QStringLiteral("Member"));
        QVERIFY(member[QStringLiteral("blocked")].toBool());
        // Member did not change: its empty answers did not wait on disk for local1.
        QCOMPARE(member[QStringLiteral("pendingFiles")].toInteger(-1), 0);

        // Blocked: even with the file back it is not tried until the user says so.
        QVERIFY(QDir(f->bad).removeRecursively());
        QVERIFY(QFile::rename(aside, f->bad));
        const CliResult blocked = f->sync();
        QCOMPARE(blocked.exitCode, 1);
        QVERIFY2(blocked.err.contains("blocked: destination local1 failed 3 times") &&
                     blocked.err.contains("openresync-cli unblock mls sync"),
                 blocked.err.constData());
        QVERIFY(!f->differences(f->bad).isEmpty());

        const CliResult unblocked =
            f->cli({QStringLiteral("unblock"), QStringLiteral("mls"), QStringLiteral("sync")});
        QVERIFY2(unblocked.exitCode == 0, unblocked.err.constData());
        const CliResult caughtUp = f->sync();
        QVERIFY2(caughtUp.exitCode == 0, caughtUp.err.constData());
        QVERIFY2(f->differences(f->bad).isEmpty(), qPrintable(joined(f->differences(f->bad))));
        QVERIFY2(f->differences(f->good).isEmpty(), qPrintable(joined(f->differences(f->good))));
        QVERIFY2(f->leftovers().isEmpty(), qPrintable(joined(f->leftovers())));
        status = f->status(QStringLiteral("local1"));
        QVERIFY(!status[QStringLiteral("failing")].toBool());
        QCOMPARE(status[QStringLiteral("mark")], f->status(QStringLiteral("local0"))[QStringLiteral("mark")]);
    }

    // Without files kept for it (the batch discarded), a destination behind catches up by a
    // download from its own mark; the destination already past those records skips them (its
    // rows are not written again), and both end equal to the server.
    void catchUpDownloadFromItsOwnMarkSkipsTheOthers() {
        auto f = makeFixture(120, 20);
        QVERIFY(f);
        QVERIFY(f->sync().exitCode == 0);
        const QString before = f->mark(QStringLiteral("local1"));
        QVERIFY(f->refuse(true));
        f->server->changeRecords(0.25);
        QCOMPARE(f->sync().exitCode, 1);
        const QString ahead = f->mark(QStringLiteral("local0"));
        QVERIFY(ahead > before);
        const CliResult discarded = f->cli({QStringLiteral("unblock"), QStringLiteral("mls"),
                                            QStringLiteral("sync"), QStringLiteral("--discard-batch")});
        QVERIFY2(discarded.exitCode == 0, discarded.err.constData());
        QCOMPARE(f->pageFiles(), 0);
        QVERIFY(f->refuse(false));

        // Every write to local0's Property from now on is noted.
        QVERIFY(f->execute(f->good, QStringLiteral("CREATE TABLE written (ListingKey TEXT, ts TEXT)")));
        QVERIFY(f->execute(f->good, QStringLiteral("CREATE TRIGGER noteUpdate AFTER UPDATE ON Property BEGIN "
                                                   "INSERT INTO written VALUES (NEW.ListingKey, "
                                                   "NEW.ModificationTimestamp); END")));
        QVERIFY(f->execute(f->good, QStringLiteral("CREATE TRIGGER noteInsert AFTER INSERT ON Property BEGIN "
                                                   "INSERT INTO written VALUES (NEW.ListingKey, "
                                                   "NEW.ModificationTimestamp); END")));
        const QStringList changedSince = f->server->changeRecords(0.05);
        QVERIFY(!changedSince.isEmpty());
        f->server->clearRequestLog();
        const CliResult caughtUp = f->sync();
        QVERIFY2(caughtUp.exitCode == 0, caughtUp.err.constData());
        QCOMPARE(f->propertyLowerBounds().value(0), before);
        QVERIFY2(f->differences(f->bad).isEmpty(), qPrintable(joined(f->differences(f->bad))));
        QVERIFY2(f->differences(f->good).isEmpty(), qPrintable(joined(f->differences(f->good))));
        QCOMPARE(f->mark(QStringLiteral("local1")), f->mark(QStringLiteral("local0")));
        // local0 got what changed after its own mark; of the 30 records before it only those
        // sharing the boundary page with newer ones (pages of 20) were written again.
        const QHash<QString, QVariantMap> written =
            readTable(f->good, QStringLiteral("written"), QStringLiteral("ListingKey"));
        int older = 0;
        for (auto it = written.cbegin(); it != written.cend(); ++it)
            older += it->value(QStringLiteral("ts")).toString() <= ahead ? 1 : 0;
        for (const QString& key : changedSince)
            QVERIFY2(written.contains(key), qPrintable(key));
        QVERIFY2(older < 20, qPrintable(QString::number(older)));
    }

    // Every destination failing: the job fails as it would with one, nothing moves.
    void everyDestinationFailingFailsTheJob() {
        auto f = makeFixture(60, 20);
        QVERIFY(f);
        QVERIFY(f->sync().exitCode == 0);
        const QString before = f->mark(QStringLiteral("local0"));
        QVERIFY(f->refuse(true));
        QVERIFY(f->execute(f->good, QStringLiteral("CREATE TRIGGER refuse BEFORE UPDATE ON Property BEGIN "
                                                   "SELECT RAISE(ABORT, 'disk says no too'); END")));
        f->server->changeRecords(0.3);
        const CliResult failed = f->sync();
        QCOMPARE(failed.exitCode, 1);
        QVERIFY2(failed.err.contains("every destination failed (local0: ") &&
                     failed.err.contains("disk says no too") && failed.err.contains("; local1: "),
                 failed.err.constData());
        QVERIFY2(!failed.err.contains("fell behind"), failed.err.constData());
        QCOMPARE(f->mark(QStringLiteral("local0")), before);
        QCOMPARE(f->mark(QStringLiteral("local1")), before);
        QVERIFY(f->execute(f->good, QStringLiteral("DROP TRIGGER refuse")));
        QVERIFY(f->refuse(false));
        const CliResult again = f->sync();
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QVERIFY2(f->differences(f->good).isEmpty(), qPrintable(joined(f->differences(f->good))));
        QVERIFY2(f->differences(f->bad).isEmpty(), qPrintable(joined(f->differences(f->bad))));
        QVERIFY2(f->leftovers().isEmpty(), qPrintable(joined(f->leftovers())));
    }
};

QTEST_GUILESS_MAIN(TestIndependent)
#include "tst_independent.moc"
