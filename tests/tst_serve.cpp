// The headless service through real openresync-cli processes: `serve` runs the schedules and
// answers `jobs`, `run`, `cancel`, `pause` and `resume` on its control channel; it stops within
// ten seconds of SIGTERM, reloads on SIGHUP or a changed file (refusing an invalid one), waits in
// standby beside another instance, and keeps a heartbeat in stats.sqlite. Against the fake RESO
// server on loopback (pages answered late, so jobs are caught running), into real SQLite files.
#include "CliFixture.h"
#include "service/ControlChannel.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

#include <csignal>

using namespace ors;
using namespace ors::test;

namespace {

constexpr int kWaitMs = 60000;

using Serve = ServeProcess;

QJsonObject jsonOf(const CliResult& result) {
    return QJsonDocument::fromJson(result.out).object();
}

QList<QVariantMap> rows(const QString& sqlite, const QString& sql) {
    QList<QVariantMap> out;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tst_serve_read"));
        db.setDatabaseName(sqlite);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(sql)) {
                const QSqlRecord record = query.record();
                while (query.next()) {
                    QVariantMap row;
                    for (int i = 0; i < record.count(); ++i)
                        row.insert(record.fieldName(i), query.value(i));
                    out.append(row);
                }
            }
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tst_serve_read"));
    return out;
}

} // namespace

class TestServe : public QObject {
    Q_OBJECT

private:
    struct Fixture : CliFixture {
        QString sqlite;
        QString stats() const { return QDir(dataDir).filePath(QStringLiteral("stats.sqlite")); }
        QStringList differences() const { return listingDifferences(*server, sqlite); }
    };

    // "mls" with `schedules`, 200 listings in pages of 10, each page answered 150 ms late.
    static std::unique_ptr<Fixture> makeFixture(const QJsonObject& schedules = {}, int latencyMs = 150) {
        auto f = std::make_unique<Fixture>();
        fake::ServerOptions options;
        options.listingCount = 200;
        options.pageLatencyMs = latencyMs;
        if (!f->startServer(options))
            return nullptr;
        f->sqlite = f->path(QStringLiteral("dest/mls.sqlite"));
        QJsonObject source = sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->sqlite}, 10);
        if (!schedules.isEmpty())
            source.insert(QStringLiteral("schedules"), schedules);
        f->writeSource(source);
        return f;
    }

    // The job of "mls" as `jobs --json` lists it, once it has reported progress.
    static bool waitForProgress(const Fixture& f) {
        return QTest::qWaitFor(
            [&] {
                const QJsonArray jobs = jsonOf(f.cli({QStringLiteral("jobs"), QStringLiteral("--json")}))
                                            .value(QStringLiteral("jobs"))
                                            .toArray();
                return !jobs.isEmpty() && jobs.first()[QStringLiteral("progress")].isObject() &&
                       jobs.first()[QStringLiteral("progress")][QStringLiteral("phase")].toString() ==
                           QLatin1String("download") &&
                       jobs.first()[QStringLiteral("progress")][QStringLiteral("done")].toInteger() > 0;
            },
            kWaitMs);
    }

private Q_SLOTS:
    // run through the channel starts a sync that jobs lists; cancel stops it (recorded as
    // cancelled, not as an error) and the next run resumes and ends equal to the server.
    void runJobsAndCancelThroughTheChannel() {
        auto f = makeFixture(QJsonObject{{QStringLiteral("sync"), QJsonArray{QStringLiteral("0 3 1 1 *")}}});
        QVERIFY(f);
        // The job holds before it applies its first page until the gate file exists, so the cancel
        // below surely arrives mid-run however slowly this machine runs the CLI calls before it.
        const QString gate = f->path(QStringLiteral("apply-gate"));
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_GATE"), gate);
        Serve serve(*f, env);
        QVERIFY2(serve.waitFor("serving "), serve.err.constData());
        QVERIFY2(serve.err.contains("next scheduled run 20"), serve.err.constData());

        CliResult idle = f->cli({QStringLiteral("jobs")});
        QCOMPARE(idle.exitCode, 0);
        QVERIFY2(idle.out.contains(QStringLiteral("scheduler: serve (process %1)").arg(serve.pid()).toUtf8()),
                 idle.out.constData());
        QVERIFY2(idle.out.contains("no jobs running or queued"), idle.out.constData());

        // A follower sees the job's events as they happen.
        ControlWatcher watcher;
        QStringList events;
        QHash<QString, QJsonObject> last;
        connect(&watcher, &ControlWatcher::received, this,
                [&](const QString& kind, const QJsonObject& fields) {
                    events.append(kind);
                    last.insert(kind, fields);
                });
        const QString path = ControlChannel::socketPath(f->dataDir);
        QVERIFY(watcher.connectTo(path));
        // The watch request goes out once this thread's loop runs: pause and resume until the
        // watcher hears one of them, so it surely hears everything the run below causes.
        QVERIFY(QTest::qWaitFor(
            [&] {
                (void)ControlClient::request(
                    path, QJsonObject{{QStringLiteral("command"), QStringLiteral("pause")}});
                (void)ControlClient::request(
                    path, QJsonObject{{QStringLiteral("command"), QStringLiteral("resume")}});
                return !events.isEmpty();
            },
            kWaitMs));
        events.clear();

        CliResult run = f->cli({QStringLiteral("run"), QStringLiteral("mls"), QStringLiteral("sync")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains(
                     QStringLiteral("sync mls started in serve (process %1)").arg(serve.pid()).toUtf8()),
                 run.err.constData());
        QVERIFY(waitForProgress(*f));
        // Progress reaches followers at most every 300 ms: on a fast machine the calls below can
        // all end within that, and the held progress then goes with the job's end.
        QVERIFY2(QTest::qWaitFor([&] { return events.contains(QLatin1String("progress")); }, kWaitMs),
                 qPrintable(events.join(u' ')));

        CliResult listed = f->cli({QStringLiteral("jobs"), QStringLiteral("--json")});
        QCOMPARE(listed.exitCode, 0);
        const QJsonObject doc = jsonOf(listed);
        QCOMPARE(doc[QStringLiteral("instance")][QStringLiteral("kind")].toString(), QStringLiteral("serve"));
        QCOMPARE(doc[QStringLiteral("instance")][QStringLiteral("pid")].toInteger(), serve.pid());
        QCOMPARE(doc[QStringLiteral("paused")].toBool(true), false);
        const QJsonArray jobs = doc[QStringLiteral("jobs")].toArray();
        QCOMPARE(jobs.size(), 1);
        const QJsonObject job = jobs.first().toObject();
        QVERIFY(job[QStringLiteral("id")].toInteger() > 0);
        QCOMPARE(job[QStringLiteral("source")].toString(), QStringLiteral("mls"));
        QCOMPARE(job[QStringLiteral("process")].toString(), QStringLiteral("sync"));
        QCOMPARE(job[QStringLiteral("state")].toString(), QStringLiteral("running"));
        QCOMPARE(job[QStringLiteral("origin")].toString(), QStringLiteral("manual"));
        QVERIFY(job[QStringLiteral("queuedAt")].isString());
        QVERIFY(job[QStringLiteral("startedAt")].isString());
        const QJsonObject progress = job[QStringLiteral("progress")].toObject();
        for (const char* key : {"resource", "phase", "done", "total", "eta"})
            QVERIFY2(progress.contains(QLatin1String(key)), key);
        CliResult table = f->cli({QStringLiteral("jobs")});
        QVERIFY2(table.out.contains("mls") && table.out.contains("running") &&
                     table.out.contains("downloading"),
                 table.out.constData());

        // A second run of the running (source, process) waits once behind it, then is not stacked.
        CliResult again = f->cli({QStringLiteral("run"), QStringLiteral("mls"), QStringLiteral("sync")});
        QVERIFY2(again.err.contains("queued in serve"), again.err.constData());
        CliResult third = f->cli({QStringLiteral("run"), QStringLiteral("mls"), QStringLiteral("sync")});
        QVERIFY2(third.err.contains("already queued"), third.err.constData());

        // A cancel naming the process drops only that queued request; the running job goes on.
        const auto dropOne =
            ControlClient::request(path, QJsonObject{{QStringLiteral("command"), QStringLiteral("cancel")},
                                                     {QStringLiteral("source"), QStringLiteral("mls")},
                                                     {QStringLiteral("process"), QStringLiteral("sync")}});
        QVERIFY2(dropOne, dropOne ? "" : qPrintable(dropOne.errorMessage()));
        QCOMPARE(dropOne->value(QStringLiteral("cancelled")).toBool(), true);
        const QJsonArray left =
            jsonOf(f->cli({QStringLiteral("jobs"), QStringLiteral("--json")}))[QStringLiteral("jobs")]
                .toArray();
        QCOMPARE(left.size(), 1);
        QCOMPARE(left.first()[QStringLiteral("state")].toString(), QStringLiteral("running"));
        const auto badProcess =
            ControlClient::request(path, QJsonObject{{QStringLiteral("command"), QStringLiteral("cancel")},
                                                     {QStringLiteral("source"), QStringLiteral("mls")},
                                                     {QStringLiteral("process"), QStringLiteral("sink")}});
        QVERIFY(!badProcess);
        QVERIFY2(badProcess.errorMessage().contains(QStringLiteral("unknown process \"sink\"")),
                 qPrintable(badProcess.errorMessage()));
        CliResult requeued = f->cli({QStringLiteral("run"), QStringLiteral("mls"), QStringLiteral("sync")});
        QVERIFY2(requeued.err.contains("queued in serve"), requeued.err.constData());

        CliResult cancel = f->cli({QStringLiteral("cancel"), QStringLiteral("mls")});
        QCOMPARE(cancel.exitCode, 0);
        QVERIFY2(cancel.err.contains("stops at the next checkpoint"), cancel.err.constData());
        QVERIFY2(serve.waitFor("cancelled sync mls"), serve.err.constData());
        QVERIFY2(serve.err.contains("dropped queued sync mls"), serve.err.constData());
        QVERIFY(QTest::qWaitFor([&] { return last.contains(QStringLiteral("finished")); }, kWaitMs));
        for (const char* kind : {"queued", "started", "progress", "finished", "dropped"})
            QVERIFY2(events.contains(QLatin1String(kind)), qPrintable(events.join(u' ')));
        const QJsonObject result =
            last.value(QStringLiteral("finished"))[QStringLiteral("result")].toObject();
        QCOMPARE(result[QStringLiteral("ok")].toBool(true), false);
        QCOMPARE(result[QStringLiteral("cancelled")].toBool(), true);
        QVERIFY(!f->differences().isEmpty());
        const auto cancelled = rows(f->stats(), QStringLiteral("SELECT result FROM run ORDER BY id"));
        QCOMPARE(cancelled.size(), 1);
        QCOMPARE(cancelled.first().value(QStringLiteral("result")).toString(), QStringLiteral("cancelled"));

        QFile open(gate);
        QVERIFY(open.open(QIODevice::WriteOnly));
        open.close();
        CliResult resumed = f->cli({QStringLiteral("run"), QStringLiteral("mls"), QStringLiteral("sync")});
        QCOMPARE(resumed.exitCode, 0);
        QVERIFY2(serve.waitFor("finished sync mls"), serve.err.constData());
        const QStringList diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        QVERIFY2(f->leftovers().isEmpty(), qPrintable(f->leftovers().join(QLatin1Char(' '))));
        QCOMPARE(jsonOf(f->cli({QStringLiteral("jobs"), QStringLiteral("--json")}))[QStringLiteral("jobs")]
                     .toArray()
                     .size(),
                 0);

        // pause and resume reach the scheduler.
        QCOMPARE(f->cli({QStringLiteral("pause")}).exitCode, 0);
        QVERIFY(jsonOf(f->cli({QStringLiteral("jobs"), QStringLiteral("--json")}))[QStringLiteral("paused")]
                    .toBool());
        QCOMPARE(f->cli({QStringLiteral("resume")}).exitCode, 0);
        QVERIFY(!jsonOf(f->cli({QStringLiteral("jobs"), QStringLiteral("--json")}))[QStringLiteral("paused")]
                     .toBool(true));
        QVERIFY2(serve.waitFor("schedules resumed"), serve.err.constData());
        // One source's schedules: pause [SOURCE] / resume [SOURCE]; an unknown one is a usage error.
        CliResult pauseOne = f->cli({QStringLiteral("pause"), QStringLiteral("mls")});
        QCOMPARE(pauseOne.exitCode, 0);
        QVERIFY2(pauseOne.err.contains("schedules of mls paused"), pauseOne.err.constData());
        QVERIFY2(serve.waitFor("schedules of mls paused"), serve.err.constData());
        const QJsonObject pausedJobs = jsonOf(f->cli({QStringLiteral("jobs"), QStringLiteral("--json")}));
        QVERIFY(!pausedJobs[QStringLiteral("paused")].toBool(true));
        QCOMPARE(pausedJobs[QStringLiteral("pausedSources")].toArray(), QJsonArray{QStringLiteral("mls")});
        QVERIFY(f->cli({QStringLiteral("jobs")}).out.contains("schedules of mls paused"));
        CliResult pauseNope = f->cli({QStringLiteral("pause"), QStringLiteral("nope")});
        QCOMPARE(pauseNope.exitCode, 2);
        QVERIFY2(pauseNope.err.contains("unknown source \"nope\""), pauseNope.err.constData());
        QCOMPARE(f->cli({QStringLiteral("resume"), QStringLiteral("mls")}).exitCode, 0);
        QVERIFY2(serve.waitFor("schedules of mls resumed"), serve.err.constData());
        QCOMPARE(jsonOf(f->cli(
                     {QStringLiteral("jobs"), QStringLiteral("--json")}))[QStringLiteral("pausedSources")]
                     .toArray()
                     .size(),
                 0);

        CliResult unknown = f->cli({QStringLiteral("run"), QStringLiteral("nope"), QStringLiteral("sync")});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("unknown source \"nope\""), unknown.err.constData());
        QCOMPARE(serve.terminate(), 0);
    }

    // SIGTERM mid-sync: serve stops the job at its next checkpoint and exits 0 within ten
    // seconds; the next sync resumes and ends equal to the server.
    void stopsWithinTenSecondsOfSigterm() {
        auto f = makeFixture({}, 300);
        QVERIFY(f);
        Serve serve(*f);
        QVERIFY2(serve.waitFor("serving "), serve.err.constData());
        QCOMPARE(f->cli({QStringLiteral("run"), QStringLiteral("mls"), QStringLiteral("sync")}).exitCode, 0);
        QVERIFY(waitForProgress(*f));
        QCOMPARE(serve.terminate(), 0);
        QVERIFY2(serve.err.contains("SIGTERM received"), serve.err.constData());
        QVERIFY2(serve.err.contains("serve stopped"), serve.err.constData());
        QVERIFY(!f->differences().isEmpty());

        CliResult next = f->run(QStringLiteral("sync"));
        QVERIFY2(next.exitCode == 0, next.err.constData());
        QVERIFY2(next.err.contains("resumed the unfinished batch"), next.err.constData());
        const QStringList diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        const auto runs = rows(f->stats(), QStringLiteral("SELECT result FROM run ORDER BY id"));
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs.at(0).value(QStringLiteral("result")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(runs.at(1).value(QStringLiteral("result")).toString(), QStringLiteral("success"));
    }

    // SIGHUP (and a changed file) reload: an invalid file is refused, the old configuration kept
    // and the instance still answers; a valid one adds a source that runs at once.
    void reloadsOnSighupKeepingTheOldConfigWhenInvalid() {
        auto f = makeFixture({}, 0);
        QVERIFY(f);
        Serve serve(*f);
        QVERIFY2(serve.waitFor("serving "), serve.err.constData());
        QFile file(f->config);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject original = QJsonDocument::fromJson(file.readAll()).object();
        file.close();

        QJsonObject invalid = original;
        QJsonArray sources = invalid[QStringLiteral("sources")].toArray();
        QJsonObject first = sources.at(0).toObject();
        first.insert(QStringLiteral("schedules"),
                     QJsonObject{{QStringLiteral("sync"), QJsonArray{QStringLiteral("*/0 * * * *")}}});
        sources.replace(0, first);
        invalid.insert(QStringLiteral("sources"), sources);
        writeConfig(f->dir.path(), invalid);
        serve.signal(SIGHUP);
        QVERIFY2(serve.waitFor("reload (SIGHUP) refused"), serve.err.constData());
        QVERIFY2(serve.err.contains("step must be at least 1"), serve.err.constData());
        // The file on disk is invalid now, so the CLI itself refuses it (exit 2); the instance
        // still answers on its channel, with its old configuration.
        QCOMPARE(f->cli({QStringLiteral("jobs")}).exitCode, 2);
        const auto hello = ControlClient::hello(ControlChannel::socketPath(f->dataDir));
        QVERIFY(hello);
        QCOMPARE(hello->value(QStringLiteral("pid")).toInteger(), serve.pid());
        const auto jobs =
            ControlClient::request(ControlChannel::socketPath(f->dataDir),
                                   QJsonObject{{QStringLiteral("command"), QStringLiteral("jobs")}});
        QVERIFY(bool(jobs));
        QFile log(QDir(f->dataDir).filePath(QStringLiteral("logs/serve.ndjson")));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY2(log.readAll().contains("step must be at least 1"), "the refusal is not in serve.ndjson");

        // A valid file with a second source: the file watcher or SIGHUP reloads it.
        QJsonObject valid = original;
        sources = valid[QStringLiteral("sources")].toArray();
        const QString secondDb = f->path(QStringLiteral("dest/second.sqlite"));
        sources.append(sourceConfig(QStringLiteral("second"), f->server->serviceUrl(), {secondDb}, 50));
        valid.insert(QStringLiteral("sources"), sources);
        writeConfig(f->dir.path(), valid);
        serve.signal(SIGHUP);
        QVERIFY2(serve.waitFor("reloaded the configuration (SIGHUP): 2 source(s)"), serve.err.constData());
        CliResult run = f->cli({QStringLiteral("run"), QStringLiteral("second"), QStringLiteral("sync")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(serve.waitFor("finished sync second"), serve.err.constData());
        const QStringList diff = listingDifferences(*f->server, secondDb);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));

        // Without a signal: an editor's save (a new file renamed over the old) is noticed.
        const QString temporary = f->path(QStringLiteral("config.json.new"));
        QFile replacement(temporary);
        QVERIFY(replacement.open(QIODevice::WriteOnly));
        replacement.write(QJsonDocument(original).toJson());
        replacement.close();
        QVERIFY(QFile::remove(f->config));
        QVERIFY(QFile::rename(temporary, f->config));
        QVERIFY2(serve.waitFor("reloaded the configuration (the configuration file changed): 1 source(s)"),
                 serve.err.constData());
        // ...and the file is still watched after the rename.
        serve.err.clear();
        writeConfig(f->dir.path(), valid);
        QVERIFY2(serve.waitFor("reloaded the configuration (the configuration file changed): 2 source(s)"),
                 serve.err.constData());
        QCOMPARE(serve.terminate(), 0);
    }

    // A second serve waits in standby while the first runs, and takes over when it ends.
    void secondServeWaitsInStandbyAndTakesOver() {
        auto f = makeFixture({}, 0);
        QVERIFY(f);
        Serve first(*f);
        QVERIFY2(first.waitFor("serving "), first.err.constData());
        Serve second(*f);
        QVERIFY2(
            second.waitFor(
                QStringLiteral("serve (process %1) already runs the schedules").arg(first.pid()).toUtf8()),
            second.err.constData());
        QVERIFY(!second.err.contains("serving "));
        QCOMPARE(jsonOf(f->cli({QStringLiteral("jobs"),
                                QStringLiteral("--json")}))[QStringLiteral("instance")][QStringLiteral("pid")]
                     .toInteger(),
                 first.pid());

        QCOMPARE(first.terminate(), 0);
        QVERIFY2(second.waitFor("serving "), second.err.constData());
        QCOMPARE(jsonOf(f->cli({QStringLiteral("jobs"),
                                QStringLiteral("--json")}))[QStringLiteral("instance")][QStringLiteral("pid")]
                     .toInteger(),
                 second.pid());
        QCOMPARE(second.terminate(), 0);
    }

    // Without an instance: jobs says so (exit 0), cancel/pause/resume exit 1, run runs in-process.
    void withoutAnInstance() {
        auto f = makeFixture({}, 0);
        QVERIFY(f);
        CliResult jobs = f->cli({QStringLiteral("jobs")});
        QCOMPARE(jobs.exitCode, 0);
        QVERIFY2(jobs.err.contains(QStringLiteral("no scheduler is running for %1").arg(f->dataDir).toUtf8()),
                 jobs.err.constData());
        CliResult json = f->cli({QStringLiteral("jobs"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        QVERIFY(jsonOf(json)[QStringLiteral("instance")].isNull());
        QCOMPARE(jsonOf(json)[QStringLiteral("jobs")].toArray().size(), 0);
        for (const QStringList& command :
             {QStringList{QStringLiteral("cancel"), QStringLiteral("mls")},
              QStringList{QStringLiteral("pause")}, QStringList{QStringLiteral("resume")}}) {
            CliResult r = f->cli(command);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("no scheduler is running"), r.err.constData());
        }
        CliResult unknown = f->cli({QStringLiteral("run"), QStringLiteral("nope"), QStringLiteral("sync")});
        QCOMPARE(unknown.exitCode, 2);
        CliResult badProcess =
            f->cli({QStringLiteral("run"), QStringLiteral("mls"), QStringLiteral("fetch")});
        QCOMPARE(badProcess.exitCode, 2);

        CliResult run = f->cli({QStringLiteral("run"), QStringLiteral("mls"), QStringLiteral("sync")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.err.contains("sync mls: "), run.err.constData());
        const QStringList diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        // A purge through run, in-process, with its own options: a dry run deletes nothing.
        CliResult purge = f->cli({QStringLiteral("run"), QStringLiteral("mls"), QStringLiteral("purge"),
                                  QStringLiteral("--dry-run")});
        QVERIFY2(purge.exitCode == 0, purge.err.constData());
        QVERIFY2(purge.err.contains("would delete 0"), purge.err.constData());
    }

    // The heartbeat row while serve runs and after it stopped, as status --json reports it.
    void heartbeatAndStatus() {
        auto f = makeFixture({}, 0);
        QVERIFY(f);
        Serve serve(*f);
        QVERIFY2(serve.waitFor("serving "), serve.err.constData());
        auto instances = rows(f->stats(), QStringLiteral("SELECT * FROM instance ORDER BY id"));
        QCOMPARE(instances.size(), 1);
        QCOMPARE(instances.first().value(QStringLiteral("kind")).toString(), QStringLiteral("serve"));
        QCOMPARE(instances.first().value(QStringLiteral("pid")).toLongLong(), serve.pid());
        QVERIFY(!instances.first().value(QStringLiteral("host")).toString().isEmpty());
        QVERIFY(instances.first().value(QStringLiteral("stopped")).isNull());

        CliResult status = f->cli({QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(status.exitCode, 0);
        QJsonObject scheduler = jsonOf(status)[QStringLiteral("scheduler")].toObject();
        QCOMPARE(scheduler[QStringLiteral("running")].toBool(), true);
        QCOMPARE(scheduler[QStringLiteral("kind")].toString(), QStringLiteral("serve"));
        QCOMPARE(scheduler[QStringLiteral("pid")].toInteger(), serve.pid());
        QCOMPARE(scheduler[QStringLiteral("started")].toString(),
                 instances.first().value(QStringLiteral("started")).toString());
        QVERIFY(scheduler[QStringLiteral("stopped")].isNull());
        CliResult text = f->cli({QStringLiteral("status")});
        QVERIFY2(text.out.contains(QStringLiteral("scheduler: serve (process %1").arg(serve.pid()).toUtf8()),
                 text.out.constData());

        const qint64 pid = serve.pid();
        QCOMPARE(serve.terminate(), 0);
        instances = rows(f->stats(), QStringLiteral("SELECT * FROM instance ORDER BY id"));
        QCOMPARE(instances.size(), 1);
        QVERIFY(!instances.first().value(QStringLiteral("stopped")).isNull());
        scheduler =
            jsonOf(f->cli({QStringLiteral("status"), QStringLiteral("--json")}))[QStringLiteral("scheduler")]
                .toObject();
        QCOMPARE(scheduler[QStringLiteral("running")].toBool(true), false);
        QCOMPARE(scheduler[QStringLiteral("pid")].toInteger(), pid);
        QVERIFY(scheduler[QStringLiteral("stopped")].isString());
    }

    // The desktop window runs the schedules while no serve does, and `jobs`/`run` reach it; a
    // serve started beside it waits, and a window opened beside a serve runs no scheduler.
    void desktopWindowRunsTheSchedulesUnlessServeDoes() {
        auto f = makeFixture({}, 0);
        QVERIFY(f);
        const QString path = ControlChannel::socketPath(f->dataDir);
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        auto openWindow = [&] {
            auto window = std::make_unique<QProcess>();
            window->setProcessEnvironment(env);
            window->start(QStringLiteral(ORS_WINDOW_PATH), f->args({}));
            window->waitForStarted(10000);
            return window;
        };
        auto closeWindow = [](QProcess& window) {
            window.terminate();
            if (!window.waitForFinished(30000)) {
                window.kill();
                window.waitForFinished();
            }
        };

        auto window = openWindow();
        QByteArray windowErr;
        QVERIFY(QTest::qWaitFor(
            [&] {
                windowErr += window->readAllStandardError();
                return windowErr.contains("running the schedules of");
            },
            kWaitMs));
        const qint64 windowPid = window->processId();
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto hello = ControlClient::hello(path);
                return hello && hello->value(QStringLiteral("pid")).toInteger() == windowPid;
            },
            kWaitMs));
        const QJsonObject instance =
            jsonOf(f->cli({QStringLiteral("jobs"), QStringLiteral("--json")}))[QStringLiteral("instance")]
                .toObject();
        QCOMPARE(instance[QStringLiteral("kind")].toString(), QStringLiteral("desktop"));
        CliResult run = f->cli({QStringLiteral("run"), QStringLiteral("mls"), QStringLiteral("sync")});
        QVERIFY2(run.exitCode == 0 && run.err.contains("started in desktop"), run.err.constData());
        QVERIFY(QTest::qWaitFor([&] { return f->differences().isEmpty(); }, kWaitMs));

        Serve serve(*f);
        QVERIFY2(serve.waitFor(
                     QStringLiteral("desktop (process %1) already runs").arg(window->processId()).toUtf8()),
                 serve.err.constData());
        closeWindow(*window);
        QVERIFY2(serve.waitFor("serving "), serve.err.constData());

        auto second = openWindow();
        // The window sees the serve and attaches: it writes no heartbeat row of its own, and the
        // channel still answers as the serve.
        QByteArray secondErr;
        QVERIFY(QTest::qWaitFor(
            [&] {
                secondErr += second->readAllStandardError();
                return secondErr.contains("schedules run in serve");
            },
            kWaitMs));
        QVERIFY2(secondErr.contains(QStringLiteral("(process %1)").arg(serve.pid()).toUtf8()),
                 secondErr.constData());
        CliResult again = f->cli({QStringLiteral("run"), QStringLiteral("mls"), QStringLiteral("sync")});
        QVERIFY2(again.err.contains(QStringLiteral("in serve (process %1)").arg(serve.pid()).toUtf8()),
                 again.err.constData());
        closeWindow(*second);
        const auto desktops =
            rows(f->stats(), QStringLiteral("SELECT * FROM instance WHERE kind = 'desktop' ORDER BY id"));
        QCOMPARE(desktops.size(), 1);
        QCOMPARE(desktops.first().value(QStringLiteral("pid")).toLongLong(), windowPid);
        QCOMPARE(serve.terminate(), 0);
    }

    // An invalid configuration: serve exits 2, as every command.
    void invalidConfigurationExitsTwo() {
        auto f =
            makeFixture(QJsonObject{{QStringLiteral("sync"), QJsonArray{QStringLiteral("61 * * * *")}}}, 0);
        QVERIFY(f);
        CliResult serve = f->cli({QStringLiteral("serve")});
        QCOMPARE(serve.exitCode, 2);
        QVERIFY2(serve.err.contains("schedules.sync[0]"), serve.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
