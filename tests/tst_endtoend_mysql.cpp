// End to end through the real openresync-cli against the fake RESO server, into a SQLite file
// and a MariaDB/MySQL database of one source at once. Needs the test server scripts/test starts
// (ORS_TEST_MYSQL_*) and fails without it.
//
// Each test function uses a database of its own (ors_test_e2e_<pid>_<n>), so the suite can run
// beside other suites; it stops and starts the shared server, so CTest runs it under the
// resource lock "mariadb" together with every other suite that uses that server.
#include "ServerFixture.h"

#include <QAtomicInt>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>

#include <csignal>

using namespace ors;
using namespace ors::test;

namespace {

const QString kPasswordVariable = QStringLiteral("ORS_E2E_MYSQL_PASSWORD");

QString joined(const QStringList& list) {
    return list.join(QLatin1Char('\n'));
}

// The line of the CLI's stderr that reports the failed sync.
// The CLI's one-line reason ("sync mls failed: …"), not a log line that also says "failed: ".
QString failureLine(const QByteArray& err) {
    for (const QByteArray& line : err.split('\n'))
        if (!line.startsWith("openresync.") && line.contains(" failed: "))
            return QString::fromUtf8(line);
    return {};
}

} // namespace

class TestEndToEndMysql : public QObject {
    Q_OBJECT

private:
    MysqlServer m_mysql;

    using Fixture = ServerFixture;

    std::unique_ptr<Fixture> makeFixture(const fake::ServerOptions& options, int pageSize,
                                         const QString& platform = QStringLiteral("generic")) {
        return ServerFixture::make(ServerKind::Mysql, m_mysql, options, pageSize, platform,
                                   kPasswordVariable);
    }

    QProcessEnvironment environment(int applyDelayMs = 0) const {
        QProcessEnvironment env = mysqlCliEnvironment(kPasswordVariable, m_mysql);
        if (applyDelayMs > 0) {
            env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_DELAY_MS"), QString::number(applyDelayMs));
            // The kill tests catch the whole batch on disk before it is applied, as a run stopped
            // before per-page apply or during the last page's apply leaves it.
            env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_AFTER_DOWNLOAD"), QStringLiteral("1"));
        }
        return env;
    }

    CliResult sync(const Fixture& f, int timeoutMs = 300000) const {
        return f.run(QStringLiteral("sync"), environment(), timeoutMs);
    }

    // Keys of the records in the page files still on disk.
    QSet<QString> keysInPageFiles(const Fixture& f, const QString& resource, const QString& keyField) const {
        QSet<QString> keys;
        for (const QString& path : filesUnder(f.pageDir(resource), QStringLiteral("*.json"))) {
            const QJsonDocument doc = QJsonDocument::fromJson(fileText(path));
            for (const QJsonValue& record : doc.object().value(QStringLiteral("value")).toArray())
                keys.insert(record.toObject().value(keyField).toString());
        }
        return keys;
    }

    bool mysqlRunning() const { return mysqlCtl(m_mysql, QStringLiteral("status")) == 0; }

    // The high-water mark of a resource for a destination in state.sqlite; "<none>" without one.
    static QString markOf(const Fixture& f, const QString& destination,
                          const QString& resource = QStringLiteral("Property")) {
        const QString name = QStringLiteral("marks-%1").arg(quintptr(&f));
        QString value = QStringLiteral("<none>");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(QDir(f.dataDir).filePath(QStringLiteral("state.sqlite")));
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

    // status --json's object for one destination of a resource.
    QJsonObject destinationStatus(const Fixture& f, const QString& destination,
                                  const QString& resource = QStringLiteral("Property")) const {
        const CliResult result = f.cli({QStringLiteral("status"), QStringLiteral("--json")}, environment());
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
    static QStringList propertyLowerBounds(const Fixture& f) {
        QStringList out;
        for (const QString& target : f.server->requestLog()) {
            if (!target.section(QLatin1Char('?'), 0, 0).endsWith(QLatin1String("/Property")))
                continue;
            const QString decoded = QUrl::fromPercentEncoding(target.toUtf8());
            const qsizetype at = decoded.indexOf(QLatin1String("ModificationTimestamp gt "));
            out << (at < 0 ? QStringLiteral("<everything>") : decoded.mid(at + 25, 24));
        }
        out.removeDuplicates(); // the pages of one download, its count check
        return out;
    }

    // Waits until the number of page files in dir satisfies `until`; gives up early (with the
    // CLI's stderr in *why) when the CLI exits first.
    template <typename Predicate>
    bool waitForPageFiles(QProcess& process, const QString& dir, Predicate until, QByteArray* why) const {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 30000) {
            if (until(int(filesUnder(dir, QStringLiteral("sync_batch_*.json")).size())))
                return true;
            if (process.state() == QProcess::NotRunning) {
                *why = "the CLI ended early (exit code " + QByteArray::number(process.exitCode()) +
                       "): " + process.readAllStandardError();
                return false;
            }
            QTest::qWait(20);
        }
        *why = "timed out; page files now: " +
               QByteArray::number(filesUnder(dir, QStringLiteral("sync_batch_*.json")).size());
        return false;
    }

private Q_SLOTS:
    void initTestCase() {
        const std::optional<MysqlServer> server = mysqlServer();
        if (!server)
            QFAIL(
                "ORS_TEST_MYSQL_* are not set: run this suite through scripts/test, which starts a MariaDB");
        QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QMYSQL")),
                 "the Qt MySQL driver is missing (Debian: libqt6sql6-mysql)");
        m_mysql = *server;
        QVERIFY2(!m_mysql.ctl.isEmpty(), "ORS_TEST_MYSQL_CTL is not set");
        QString output;
        QVERIFY2(mysqlCtl(m_mysql, QStringLiteral("status"), &output) == 0, qPrintable(output));
        QCOMPARE(canonicalDecimal("-0012.3400"), QByteArray("-12.34"));
        QCOMPARE(canonicalDecimal("100.00"), QByteArray("100"));
        QCOMPARE(canonicalDecimal("-0.000"), QByteArray("0"));
        QCOMPARE(canonicalDecimal(".5"), QByteArray("0.5"));
        QVERIFY(canonicalDecimal("1e5").isEmpty());
    }

    // Whatever a test did, the next one finds the server running.
    void cleanup() {
        if (!m_mysql.ctl.isEmpty() && !mysqlRunning()) {
            QString output;
            const int rc = mysqlCtl(m_mysql, QStringLiteral("start"), &output);
            if (rc != 0)
                qWarning("restarting the test MariaDB failed: %s", qPrintable(output));
        }
    }

    // The comparison itself reads MariaDB's types as the contract says, so an empty or wrong
    // reading cannot make the tests below pass.
    void readsMariadbTypes() {
        const QString database =
            QStringLiteral("ors_test_e2e_%1_types").arg(QCoreApplication::applicationPid());
        QCOMPARE(recreateMysqlDatabase(m_mysql, database), QString());
        const QString error = mysqlExec(
            m_mysql, database,
            {QStringLiteral("CREATE TABLE t (k VARCHAR(40) COLLATE utf8mb4_bin PRIMARY KEY, ts DATETIME(3), "
                            "d DECIMAL(28,10), b TINYINT(1), j JSON, dt DATE, i BIGINT, r DOUBLE, s TEXT, d2 "
                            "DECIMAL(28,10))"),
             QStringLiteral(
                 "INSERT INTO t VALUES ('Key', '2024-05-01 10:00:00.120', 12.5, 1, '[\"x\",\"y\"]', "
                 "'2024-05-01', 9007199254740993, 0.1, 'caf\u00e9', 123456789012345678.0123456789)"),
             QStringLiteral("INSERT INTO t (k) VALUES ('key')")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QString readError;
        QHash<QString, QString> types;
        const QHash<QString, QVariantMap> rows =
            readMysqlTable(m_mysql, database, QStringLiteral("t"), QStringLiteral("k"), &readError, &types);
        (void)mysqlExec(m_mysql, {}, {QStringLiteral("DROP DATABASE `%1`").arg(database)});
        QVERIFY2(readError.isEmpty(), qPrintable(readError));
        QCOMPARE(rows.size(), 2);
        const QVariantMap row = rows.value(QStringLiteral("Key"));
        QCOMPARE(row.value(QStringLiteral("ts")).toString(), QStringLiteral("2024-05-01T10:00:00.120Z"));
        QCOMPARE(row.value(QStringLiteral("d")).toString(), QStringLiteral("12.5000000000"));
        QCOMPARE(row.value(QStringLiteral("d2")).toString(), QStringLiteral("123456789012345678.0123456789"));
        QCOMPARE(canonicalDecimal(row.value(QStringLiteral("d")).toString().toUtf8()), QByteArray("12.5"));
        QCOMPARE(row.value(QStringLiteral("b")).toLongLong(), 1);
        QCOMPARE(QJsonDocument::fromJson(row.value(QStringLiteral("j")).toString().toUtf8()).array(),
                 (QJsonArray{QStringLiteral("x"), QStringLiteral("y")}));
        QCOMPARE(row.value(QStringLiteral("dt")).toDate(), QDate(2024, 5, 1));
        QCOMPARE(row.value(QStringLiteral("i")).toLongLong(), 9007199254740993LL);
        QCOMPARE(row.value(QStringLiteral("r")).toDouble(), 0.1);
        QCOMPARE(row.value(QStringLiteral("s")).toString(), QStringLiteral("caf\u00e9"));
        QVERIFY(rows.value(QStringLiteral("key")).value(QStringLiteral("ts")).isNull());
        QCOMPARE(types.value(QStringLiteral("ts")), QStringLiteral("datetime"));
        QCOMPARE(types.value(QStringLiteral("d")), QStringLiteral("decimal"));
    }

    // Two sources of one configuration writing different tables (prefixed "a_" and "b_") of one
    // MariaDB database, synced by two processes at once: both end without an error, and both sets
    // of tables equal the server's. (A deadlock or lock wait timeout between them would be retried.)
    void twoSourcesAtOnce() {
        fake::ServerOptions options;
        options.listingCount = 400;
        auto f = makeFixture(options, 40);
        QVERIFY(f);
        QJsonArray sources;
        for (const char* name : {"a", "b"}) {
            QJsonObject source = sourceConfig(QString::fromLatin1(name), f->server->serviceUrl(), {}, 40);
            QJsonObject destination = f->destinationEntry(QStringLiteral("db"), kPasswordVariable);
            destination.insert(QStringLiteral("tablePrefix"),
                               QString(QString::fromLatin1(name) + QLatin1Char('_')));
            source.insert(QStringLiteral("destinations"), QJsonArray{destination});
            sources.append(source);
        }
        f->config = writeConfig(
            f->dir.path(), QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("sources"), sources}});
        auto a = startCli(f->args({QStringLiteral("sync"), QStringLiteral("a")}), environment());
        auto b = startCli(f->args({QStringLiteral("sync"), QStringLiteral("b")}), environment());
        QVERIFY(a->waitForFinished(300000) && b->waitForFinished(300000));
        const QByteArray aErr = a->readAllStandardError();
        const QByteArray bErr = b->readAllStandardError();
        QVERIFY2(a->exitStatus() == QProcess::NormalExit && a->exitCode() == 0, aErr.constData());
        QVERIFY2(b->exitStatus() == QProcess::NormalExit && b->exitCode() == 0, bErr.constData());
        QVERIFY2(!aErr.contains("failed") && !bErr.contains("failed"), QByteArray(aErr + bErr).constData());
        const QStringList diff =
            f->serverDifferences(QStringLiteral("a_")) + f->serverDifferences(QStringLiteral("b_"));
        QVERIFY2(diff.isEmpty(), qPrintable(joined(diff)));
    }

    // Fields kept in _overflow (named in overflowFields, and beyond a small budget) through every
    // command: record agrees with the MLS, status counts and newest match, purge deletes, and
    // reconcile finds a record whose PhotosChangeTimestamp in _overflow is stale.
    void overflowThroughEveryCommand() {
        const QStringList problems =
            overflowThroughTheCli(ServerKind::Mysql, m_mysql, kPasswordVariable, environment());
        QVERIFY2(problems.isEmpty(), qPrintable(joined(problems)));
    }

    void initialAndIncrementalSync() {
        fake::ServerOptions options;
        options.listingCount = 400;
        options.sameTimestampGroupSize = 150; // a group sharing one timestamp spans pages of 100
        options.trickyKeys = true;            // includes keys that differ only in case
        auto f = makeFixture(options, 100);
        QVERIFY(f);

        const CliResult first = sync(*f);
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QStringList diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(joined(diff)));
        QVERIFY2(f->leftovers().isEmpty(), qPrintable(joined(f->leftovers())));

        // 10% changed and a few added: the incremental run brings both destinations level again.
        const QStringList changed = f->server->changeRecords(0.1);
        QVERIFY(changed.size() >= 40);
        f->server->addRecords(7);
        f->server->clearRequestLog();
        const CliResult second = sync(*f);
        QVERIFY2(second.exitCode == 0, second.err.constData());
        diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(joined(diff)));
        bool incremental = false;
        for (const QString& target : f->server->requestLog())
            if (target.contains(QStringLiteral("/Property?")) &&
                target.contains(QStringLiteral("ModificationTimestamp%20gt%20")))
                incremental = true;
        QVERIFY2(incremental, qPrintable(joined(f->server->requestLog())));

        // status --json: each destination's count and newest timestamp beside the MLS's.
        const CliResult status = f->cli({QStringLiteral("status"), QStringLiteral("--json")}, environment());
        QVERIFY2(status.exitCode == 0, status.err.constData());
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(status.out, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, status.out.constData());
        const QJsonArray resources =
            doc.object()[QStringLiteral("sources")][0][QStringLiteral("resources")].toArray();
        QCOMPARE(resources.size(), 2);
        for (const QJsonValue& r : resources) {
            const QString resource = r[QStringLiteral("name")].toString();
            const QJsonObject mls = r[QStringLiteral("mls")].toObject();
            const qint64 mlsCount = mls[QStringLiteral("count")].toInteger(-1);
            QCOMPARE(mlsCount, qint64(f->server->records(resource).size()));
            const QString mlsNewest = mls[QStringLiteral("newest")].toString();
            QVERIFY2(!mlsNewest.isEmpty(), status.out.constData());
            const QJsonArray destinations = r[QStringLiteral("destinations")].toArray();
            QCOMPARE(destinations.size(), 2);
            QStringList names;
            for (const QJsonValue& d : destinations) {
                names.append(d[QStringLiteral("name")].toString());
                const QByteArray where =
                    (resource + QLatin1Char('/') + names.last()).toUtf8() + ": " + status.out;
                QVERIFY2(d[QStringLiteral("error")].isNull(), where.constData());
                QVERIFY2(d[QStringLiteral("count")].toInteger(-1) == mlsCount, where.constData());
                QVERIFY2(d[QStringLiteral("newest")].toString() == mlsNewest, where.constData());
                QVERIFY2(d[QStringLiteral("countMatches")].toBool(), where.constData());
                QVERIFY2(d[QStringLiteral("newestMatches")].toBool(), where.constData());
            }
            QCOMPARE(names, (QStringList{QStringLiteral("local0"), QStringLiteral("db")}));
        }
        QCOMPARE(doc.object()[QStringLiteral("sources")][0][QStringLiteral("lastRuns")]
                             [QStringLiteral("sync")][QStringLiteral("result")]
                                 .toString(),
                 QStringLiteral("success"));

        // The password came from the environment and is nowhere the program wrote.
        const QByteArray password = m_mysql.password.toUtf8();
        QVERIFY(!first.out.contains(password) && !first.err.contains(password));
        QVERIFY(!status.out.contains(password) && !status.err.contains(password));
        QVERIFY(!contentsUnder(f->dir.path()).contains(password));
    }

    void resumesAfterKillDuringApply() {
        fake::ServerOptions options;
        options.listingCount = 500;
        auto f = makeFixture(options, 50);
        QVERIFY(f);
        auto process = f->launch(QStringLiteral("sync"), environment(200));
        const QString dir = f->pageDir();
        // All ten pages downloaded, then files disappear one by one as they are applied.
        QByteArray why;
        QVERIFY2(waitForPageFiles(
                     *process, dir, [](int n) { return n == 10; }, &why),
                 why.constData());
        QVERIFY2(waitForPageFiles(
                     *process, dir, [](int n) { return n <= 7; }, &why),
                 why.constData());
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished();
        const int remaining = int(filesUnder(dir, QStringLiteral("sync_batch_*.json")).size());
        QVERIFY2(remaining > 0, "the run should have been killed while applying");
        // The server moves on while the program is down: one sync must bring in the batch on
        // disk and everything changed since.
        QVERIFY(f->server->changeRecords(0.1).size() >= 40);
        f->server->addRecords(9);

        const CliResult resumed = sync(*f);
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QStringList diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(joined(diff)));
        QVERIFY2(f->leftovers().isEmpty(), qPrintable(joined(f->leftovers())));
        QVERIFY(resumed.err.contains("records downloaded"));
        QVERIFY2(resumed.err.contains("sync mls: resumed the unfinished batch begun at "),
                 resumed.err.constData());
    }

    void purgeAndReconcileOnBothDestinations_data() { addOrderingRows(); }

    void purgeAndReconcileOnBothDestinations() {
        QFETCH(QString, platform);
        QFETCH(int, flavour);
        auto f = makeFixture(orderingCaseOptions(flavour), 100, platform);
        QVERIFY(f);
        const CliResult first = sync(*f);
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QStringList problems = purgeAndReconcileThroughTheCli(*f, environment());
        QVERIFY2(problems.isEmpty(), qPrintable(joined(problems)));
    }

    // The purge guard is one DELETE per chunk in MariaDB too (DATETIME(3) against the instant the
    // key download began): a record synced after the key download survives the resumed purge;
    // rows older than it, and rows without a timestamp while the list is young, go.
    void recordSyncedAfterKeyDownloadSurvivesResumedPurge() {
        fake::ServerOptions options;
        options.listingCount = 200;
        options.maxPageSize = 60;
        auto f = makeFixture(options, 100);
        QVERIFY(f);
        const CliResult first = sync(*f);
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QStringList deleted = f->server->deleteRecords(2);
        QString error =
            mysqlExec(m_mysql, f->database(),
                      {QStringLiteral("INSERT INTO Property (ListingKey, ModificationTimestamp) VALUES "
                                      "('ZZ-OLD', '2001-01-01 00:00:00.000'), ('ZZ-NULL', NULL)")});
        QVERIFY2(error.isEmpty(), qPrintable(error));

        auto process = f->launch(QStringLiteral("purge"), environment(5000));
        QElapsedTimer timer;
        timer.start();
        while (filesUnder(f->dataDir, QStringLiteral("purge_batch_*.deletes")).size() < 2 &&
               timer.elapsed() < 30000 && process->state() != QProcess::NotRunning)
            QTest::qWait(20);
        QCOMPARE(filesUnder(f->dataDir, QStringLiteral("purge_batch_*.deletes")).size(), 2);
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished();

        f->server->setWallClockTimestamps(true);
        const QStringList added = f->server->addRecords(1);
        const CliResult between = sync(*f);
        QVERIFY2(between.exitCode == 0, between.err.constData());
        QVERIFY(
            f->serverDifferences().join(QLatin1Char(' ')).contains(QStringLiteral("destination 203 rows")));

        const CliResult resumed = f->run(QStringLiteral("purge"), environment());
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        // Both destinations equal the MLS: the new record kept, the deleted ones and both
        // MariaDB-only rows gone.
        const QStringList diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(joined(diff)));
        QVERIFY2(resumed.err.contains(
                     "-> db: deleted 4 of 203 rows (kept 1 changed since the key download began)"),
                 resumed.err.constData());
        QVERIFY2(resumed.err.contains("-> local0: deleted 2 of 201 rows (kept 1"), resumed.err.constData());
        QVERIFY(readTable(f->sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey"))
                    .contains(added.first()));
    }

    // MariaDB stopped in the middle of a sync: SQLite still takes every change and its mark moves;
    // MariaDB keeps its mark and the page files it lacks, status shows its lag and failure, and
    // while it is down each sync starts from SQLite's mark and fails at once naming it. Started
    // again, MariaDB catches up from the files kept for it (a SIGKILL in the middle of that
    // resumes exactly), and the download then starts from the newest mark: nothing SQLite already
    // has is asked for again.
    void mysqlStoppedDuringSync() {
        fake::ServerOptions options;
        options.listingCount = 500;
        auto f = makeFixture(options, 25);
        QVERIFY(f);
        const CliResult initial = sync(*f);
        QVERIFY2(initial.exitCode == 0, initial.err.constData());
        const QString before = markOf(*f, QStringLiteral("db"));
        QCOMPARE(markOf(*f, QStringLiteral("local0")), before);
        QVERIFY(f->server->changeRecords(0.4).size() >= 200);
        f->server->addRecords(50);

        auto process = f->launch(QStringLiteral("sync"), environment(600));
        const QString dir = f->pageDir();
        // All ten pages downloaded; once two reached both destinations, MariaDB goes away.
        QByteArray why;
        QVERIFY2(waitForPageFiles(
                     *process, dir, [](int n) { return n == 10; }, &why),
                 why.constData());
        QVERIFY2(waitForPageFiles(
                     *process, dir, [](int n) { return n <= 8; }, &why),
                 why.constData());
        QString output;
        QVERIFY2(mysqlCtl(m_mysql, QStringLiteral("stop"), &output) == 0, qPrintable(output));
        QVERIFY(!mysqlRunning());

        QVERIFY2(process->waitForFinished(120000), "the CLI did not give up after MariaDB stopped");
        const QByteArray err = process->readAllStandardError();
        QCOMPARE(process->exitStatus(), QProcess::NormalExit);
        QVERIFY2(process->exitCode() == 1, err.constData());
        const QString line = failureLine(err);
        qInfo("MariaDB stopped during the sync: %s", qPrintable(line));
        QVERIFY2(line.startsWith(QLatin1String("sync mls failed: destination db fell behind (Property: ")),
                 err.constData());
        QVERIFY2(line.contains(QLatin1String("local0 kept going")), err.constData());
        QVERIFY2(!err.contains(m_mysql.password.toUtf8()), err.constData());

        // SQLite took every change and its mark moved; MariaDB's stayed, and what it lacks is in
        // the page files kept for it.
        QStringList local = listingDifferences(*f->server, f->sqlite, true);
        QVERIFY2(local.isEmpty(), qPrintable(joined(local)));
        const QString ahead = markOf(*f, QStringLiteral("local0"));
        QVERIFY2(ahead > before, qPrintable(ahead));
        QCOMPARE(markOf(*f, QStringLiteral("db")), before);
        const QStringList keptFiles = filesUnder(dir, QStringLiteral("sync_batch_*.json"));
        QVERIFY2(keptFiles.size() >= 2, "the page files MariaDB lacks must stay on disk");
        QVERIFY(keysInPageFiles(*f, QStringLiteral("Property"), QStringLiteral("ListingKey")).size() >= 25);

        // status, with MariaDB down: its lag behind SQLite's mark, the files waiting and the failure.
        const QJsonObject lagging = destinationStatus(*f, QStringLiteral("db"));
        QCOMPARE(lagging[QStringLiteral("mark")].toString(), before);
        QCOMPARE(lagging[QStringLiteral("newestMark")].toString(), ahead);
        QVERIFY2(lagging[QStringLiteral("lagSeconds")].toInteger() > 0,
                 QJsonDocument(lagging).toJson().constData());
        QCOMPARE(lagging[QStringLiteral("pendingFiles")].toInteger(), keptFiles.size());
        QVERIFY(lagging[QStringLiteral("failing")].toBool());
        QVERIFY(!lagging[QStringLiteral("lastError")].toString().isEmpty());
        QCOMPARE(
            destinationStatus(*f, QStringLiteral("local0"))[QStringLiteral("pendingFiles")].toInteger(-1), 0);

        // While MariaDB is down a sync fails at once naming it, SQLite still gets what changed,
        // and the download starts from SQLite's mark, not MariaDB's.
        QVERIFY(f->server->changeRecords(0.05).size() >= 20);
        f->server->clearRequestLog();
        QElapsedTimer timer;
        timer.start();
        const CliResult down = sync(*f, 120000);
        QCOMPARE(down.exitCode, 1);
        QVERIFY2(failureLine(down.err).contains(QLatin1String("destination db fell behind")),
                 down.err.constData());
        qInfo("MariaDB down at the start: %s (%lld ms)", qPrintable(failureLine(down.err)),
              qint64(timer.elapsed()));
        QVERIFY2(timer.elapsed() < 60000, "connecting to a stopped server should fail quickly");
        QCOMPARE(propertyLowerBounds(*f).value(0), ahead);
        local = listingDifferences(*f->server, f->sqlite, true);
        QVERIFY2(local.isEmpty(), qPrintable(joined(local)));
        QCOMPARE(markOf(*f, QStringLiteral("db")), before);
        const qsizetype waiting = filesUnder(dir, QStringLiteral("sync_batch_*.json")).size();
        QVERIFY(waiting > keptFiles.size());

        // MariaDB back: the catch-up from the kept files is killed half way, then resumed.
        output.clear();
        QVERIFY2(mysqlCtl(m_mysql, QStringLiteral("start"), &output) == 0, qPrintable(output));
        auto catchUp = f->launch(QStringLiteral("sync"), environment(600));
        QVERIFY2(waitForPageFiles(
                     *catchUp, dir, [&](int n) { return n <= int(waiting) - 2; }, &why),
                 why.constData());
        ::kill(pid_t(catchUp->processId()), SIGKILL);
        catchUp->waitForFinished();
        QVERIFY(filesUnder(dir, QStringLiteral("sync_batch_*.json")).size() > 0);

        const QString newest = markOf(*f, QStringLiteral("local0"));
        f->server->clearRequestLog();
        const CliResult again = sync(*f);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const QStringList diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(joined(diff)));
        QVERIFY2(f->leftovers().isEmpty(), qPrintable(joined(f->leftovers())));
        QCOMPARE(markOf(*f, QStringLiteral("db")), markOf(*f, QStringLiteral("local0")));
        // MariaDB needed nothing the kept files did not hold: one download, from the newest mark.
        QCOMPARE(propertyLowerBounds(*f), QStringList{newest});
        const QJsonObject after = destinationStatus(*f, QStringLiteral("db"));
        QVERIFY(!after[QStringLiteral("failing")].toBool());
        QCOMPARE(after[QStringLiteral("lagSeconds")].toInteger(-1), 0);
        QCOMPARE(after[QStringLiteral("pendingFiles")].toInteger(-1), 0);
    }
};

QTEST_GUILESS_MAIN(TestEndToEndMysql)
#include "tst_endtoend_mysql.moc"
