// `openresync-cli logs SOURCE [--follow] [--level L] [--process P] [--since WHEN] [--json]`
// through the real executable, on the logs that real sync and purge runs against the fake RESO
// server wrote (one of them failing), with a few lines added by hand: an old one and a malformed
// one. --follow is stopped with SIGTERM; rotation follows the configuration's "logs" object.
#include "CliFixture.h"
#include "logging/LogFiles.h"
#include "logging/SourceLog.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

const QByteArray kOldLine = R"({"time":"2020-01-01T12:00:00.000Z","level":"info","msg":"crafted old line",)"
                            R"("source":"mls","process":"sync","resource":"Property","note":"two words"})";
const QByteArray kMalformed = "garbage { not json";

QProcessEnvironment utcEnvironment() {
    QProcessEnvironment env = cliEnvironment();
    env.insert(QStringLiteral("TZ"), QStringLiteral("UTC"));
    env.insert(QStringLiteral("OPENRESYNC_RETRY_ATTEMPTS"), QStringLiteral("3"));
    return env;
}

// The NDJSON lines of a `--json` output, parsed; a line that is not an object fails the test.
QList<QJsonObject> objectsOf(const QByteArray& out, bool* ok) {
    QList<QJsonObject> objects;
    *ok = true;
    for (const QByteArray& line : out.split('\n')) {
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject()) {
            qWarning() << "not a JSON object:" << line;
            *ok = false;
            continue;
        }
        objects.append(document.object());
    }
    return objects;
}

QStringList valuesOf(const QList<QJsonObject>& objects, const char* key) {
    QStringList values;
    for (const QJsonObject& object : objects)
        values.append(object.value(QLatin1String(key)).toString());
    return values;
}

void appendLine(const QString& path, const QByteArray& line) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::Append));
    file.write(line + '\n');
}

// Reads the process's stdout until it holds `needle`; false when the process ends first or
// nothing comes within the (generous) bound.
bool waitForOutput(QProcess& process, QByteArray& seen, const QByteArray& needle) {
    QDeadlineTimer deadline(60000);
    while (!seen.contains(needle)) {
        if (process.state() != QProcess::Running || deadline.hasExpired())
            return false;
        process.waitForReadyRead(int(std::min<qint64>(deadline.remainingTime(), 1000)));
        seen += process.readAllStandardOutput();
    }
    return true;
}

} // namespace

class TestLogsCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void readable();
    void levels();
    void processes();
    void since();
    void malformedInJson();
    void argumentErrors();
    void noLogYet();
    void rotatedFilesAndConfig();
    void follow();

private:
    CliResult logs(const QStringList& options) const {
        return m_f.cli(QStringList{QStringLiteral("logs"), QStringLiteral("mls")} + options,
                       utcEnvironment());
    }
    QString logFile() const { return QDir(m_f.dataDir).filePath(QStringLiteral("logs/mls.ndjson")); }

    CliFixture m_f;
};

void TestLogsCli::initTestCase() {
    fake::ServerOptions options;
    options.listingCount = 30;
    QVERIFY(m_f.startServer(options));
    m_f.writeSource(sourceConfig(QStringLiteral("mls"), m_f.server->serviceUrl(),
                                 {m_f.path(QStringLiteral("d.sqlite"))}));
    const CliResult ok = m_f.run(QStringLiteral("sync"), utcEnvironment());
    QVERIFY2(ok.exitCode == 0, ok.err.constData());
    const CliResult purge = m_f.run(QStringLiteral("purge"), utcEnvironment());
    QVERIFY2(purge.exitCode == 0, purge.err.constData());
    fake::Fault fault;
    fault.kind = fake::Fault::Kind::Status500;
    fault.pathContains = QStringLiteral("Property");
    fault.count = 100;
    m_f.server->injectFault(fault);
    m_f.server->changeRecords(0.2); // something for the failing sync to ask for
    const CliResult failed = m_f.run(QStringLiteral("sync"), utcEnvironment());
    QCOMPARE(failed.exitCode, 1);
    m_f.server->clearFaults();
    appendLine(logFile(), kOldLine);
    appendLine(logFile(), kMalformed);
}

void TestLogsCli::readable() {
    const CliResult result = logs({});
    QCOMPARE(result.exitCode, 0);
    const QList<QByteArray> lines = result.out.split('\n');
    QVERIFY2(result.out.contains("2020-01-01 12:00:00.000 INFO  sync      Property crafted old line "
                                 "note=\"two words\"\n"),
             result.out.constData());
    QVERIFY(result.out.contains("[malformed log line] garbage { not json\n"));
    QVERIFY(result.err.contains("logs mls: 1 malformed line(s)"));
    QVERIFY(result.out.contains(" INFO  purge     - purge started batch="));
    QVERIFY(result.out.contains(" ERROR sync      - sync failed error="));
    QVERIFY(!result.out.contains("\x1b[")); // stdout is a pipe here, not a terminal
    // Every line but the malformed one starts with the local time and a level.
    static const QRegularExpression start(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (DEBUG|INFO |WARN |ERROR) "));
    int readableLines = 0;
    for (const QByteArray& line : lines) {
        if (line.isEmpty() || line.startsWith("[malformed"))
            continue;
        QVERIFY2(start.match(QString::fromUtf8(line)).hasMatch(), line.constData());
        ++readableLines;
    }
    QCOMPARE(readableLines, int(m_f.sourceLog().count('\n')) - 1);
}

void TestLogsCli::levels() {
    bool ok = false;
    const CliResult errors =
        logs({QStringLiteral("--level"), QStringLiteral("error"), QStringLiteral("--json")});
    QCOMPARE(errors.exitCode, 0);
    const QList<QJsonObject> errorLines = objectsOf(errors.out, &ok);
    QVERIFY(ok);
    QVERIFY(!errorLines.isEmpty());
    QVERIFY(valuesOf(errorLines, "msg").contains(QStringLiteral("sync failed")));
    for (const QString& level : valuesOf(errorLines, "level"))
        QCOMPARE(level, QStringLiteral("error"));

    const CliResult warn =
        logs({QStringLiteral("--level"), QStringLiteral("warn"), QStringLiteral("--json")});
    const CliResult warning =
        logs({QStringLiteral("--level"), QStringLiteral("warning"), QStringLiteral("--json")});
    QCOMPARE(warning.out, warn.out);
    const QList<QJsonObject> warnLines = objectsOf(warn.out, &ok);
    QVERIFY(ok);
    const QStringList levels = valuesOf(warnLines, "level");
    QVERIFY2(levels.contains(QStringLiteral("warn")),
             warn.out.constData()); // the retries of the failing sync
    QVERIFY(levels.size() > errorLines.size());
    for (const QString& level : levels)
        QVERIFY(level == QLatin1String("warn") || level == QLatin1String("error"));

    const CliResult info =
        logs({QStringLiteral("--level"), QStringLiteral("info"), QStringLiteral("--json")});
    QVERIFY(objectsOf(info.out, &ok).size() > warnLines.size());
}

void TestLogsCli::processes() {
    bool ok = false;
    const CliResult purge =
        logs({QStringLiteral("--process"), QStringLiteral("purge"), QStringLiteral("--json")});
    QCOMPARE(purge.exitCode, 0);
    const QStringList purgeProcesses = valuesOf(objectsOf(purge.out, &ok), "process");
    QVERIFY(ok);
    QVERIFY(purgeProcesses.size() >= 2); // started and done
    QCOMPARE(purgeProcesses.count(QStringLiteral("purge")), purgeProcesses.size());

    const CliResult sync =
        logs({QStringLiteral("--process"), QStringLiteral("sync"), QStringLiteral("--json")});
    const QStringList syncProcesses = valuesOf(objectsOf(sync.out, &ok), "process");
    QVERIFY(ok);
    QCOMPARE(syncProcesses.count(QStringLiteral("sync")), syncProcesses.size());
    // The two add up to every readable line: each has one or the other.
    QCOMPARE(purgeProcesses.size() + syncProcesses.size(), qsizetype(m_f.sourceLog().count('\n')) - 1);

    const CliResult none =
        logs({QStringLiteral("--process"), QStringLiteral("reconcile"), QStringLiteral("--json")});
    QCOMPARE(none.exitCode, 0);
    QVERIFY(none.out.isEmpty());
}

void TestLogsCli::since() {
    bool ok = false;
    const CliResult recent =
        logs({QStringLiteral("--since"), QStringLiteral("2h"), QStringLiteral("--json")});
    QCOMPARE(recent.exitCode, 0);
    const QStringList recentMessages = valuesOf(objectsOf(recent.out, &ok), "msg");
    QVERIFY(ok);
    QVERIFY(recentMessages.contains(QStringLiteral("sync started")));
    QVERIFY(!recentMessages.contains(QStringLiteral("crafted old line")));

    const CliResult fromDate =
        logs({QStringLiteral("--since"), QStringLiteral("2019-12-31T00:00:00Z"), QStringLiteral("--json")});
    const QStringList all = valuesOf(objectsOf(fromDate.out, &ok), "msg");
    QVERIFY(all.contains(QStringLiteral("crafted old line")));
    QCOMPARE(all.size(), recentMessages.size() + 1);
    const CliResult justAfter = logs(
        {QStringLiteral("--since"), QStringLiteral("2020-01-01T12:00:00.001Z"), QStringLiteral("--json")});
    QVERIFY(!justAfter.out.contains("crafted old line"));
    // A time without an offset is local (TZ=UTC here).
    const CliResult local =
        logs({QStringLiteral("--since"), QStringLiteral("2020-01-01T12:00:00"), QStringLiteral("--json")});
    QVERIFY(local.out.contains("crafted old line"));

    // Filters combine.
    const CliResult combined = logs(
        {QStringLiteral("--since"), QStringLiteral("3d"), QStringLiteral("--level"), QStringLiteral("error"),
         QStringLiteral("--process"), QStringLiteral("sync"), QStringLiteral("--json")});
    const QList<QJsonObject> objects = objectsOf(combined.out, &ok);
    QVERIFY(ok);
    QVERIFY(!objects.isEmpty());
    for (const QJsonObject& object : objects) {
        QCOMPARE(object.value(QStringLiteral("level")).toString(), QStringLiteral("error"));
        QCOMPARE(object.value(QStringLiteral("process")).toString(), QStringLiteral("sync"));
    }
}

void TestLogsCli::malformedInJson() {
    const CliResult result = logs({QStringLiteral("--json")});
    QCOMPARE(result.exitCode, 0);
    bool ok = false;
    const QList<QJsonObject> objects = objectsOf(result.out, &ok);
    QVERIFY(ok); // stdout stays NDJSON
    QCOMPARE(objects.size(), qsizetype(m_f.sourceLog().count('\n')) - 1);
    QVERIFY(result.err.contains("[malformed log line] garbage { not json"));
    // The lines go out as written, byte for byte.
    QVERIFY(result.out.contains(QByteArray(kOldLine + '\n')));
}

void TestLogsCli::argumentErrors() {
    const CliResult unknown = m_f.cli({QStringLiteral("logs"), QStringLiteral("nowhere")}, utcEnvironment());
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(unknown.err.contains("unknown source \"nowhere\""));
    const CliResult level = logs({QStringLiteral("--level"), QStringLiteral("loud")});
    QCOMPARE(level.exitCode, 2);
    QVERIFY(level.err.contains("--level \"loud\" is not one of debug, info, warn, error"));
    const CliResult process = logs({QStringLiteral("--process"), QStringLiteral("backup")});
    QCOMPARE(process.exitCode, 2);
    QVERIFY(process.err.contains("--process \"backup\" is not one of sync, purge, reconcile"));
    const CliResult since = logs({QStringLiteral("--since"), QStringLiteral("yesterday")});
    QCOMPARE(since.exitCode, 2);
    QVERIFY(since.err.contains("--since \"yesterday\" is neither a duration"));
    const CliResult noSource = m_f.cli({QStringLiteral("logs")}, utcEnvironment());
    QCOMPARE(noSource.exitCode, 2);
}

void TestLogsCli::noLogYet() {
    CliFixture fresh;
    QVERIFY(fresh.dir.isValid());
    fresh.dataDir = fresh.path(QStringLiteral("data"));
    fresh.writeSource(sourceConfig(QStringLiteral("mls"), QStringLiteral("http://127.0.0.1:9/odata"),
                                   {fresh.path(QStringLiteral("d.sqlite"))}));
    const CliResult result = fresh.cli({QStringLiteral("logs"), QStringLiteral("mls")});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.isEmpty());
    QVERIFY2(result.err.contains("logs mls: no log yet"), result.err.constData());
}

// A tiny maxSizeMB makes real runs rotate their log: --since reaches into the rotated files,
// oldest first, and without it only the current file is read.
void TestLogsCli::rotatedFilesAndConfig() {
    CliFixture f;
    fake::ServerOptions options;
    options.listingCount = 30;
    QVERIFY(f.startServer(options));
    QJsonObject root = configWith(
        sourceConfig(QStringLiteral("mls"), f.server->serviceUrl(), {f.path(QStringLiteral("d.sqlite"))}));
    root.insert(QStringLiteral("logs"), QJsonObject{{QStringLiteral("maxSizeMB"), 0.001},
                                                    {QStringLiteral("keep"), 50},
                                                    {QStringLiteral("retentionDays"), 1}});
    f.config = writeConfig(f.dir.path(), root);
    for (int i = 0; i < 3; ++i) {
        const CliResult sync = f.run(QStringLiteral("sync"), utcEnvironment());
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
    }
    const QString base = QDir(f.dataDir).filePath(QStringLiteral("logs/mls.ndjson"));
    const QList<LogFiles::Rotated> rotated = LogFiles::rotated(base);
    QVERIFY(rotated.size() >= 2);
    QByteArray everything;
    for (const LogFiles::Rotated& file : rotated) {
        QVERIFY(QFileInfo(file.path).size() <= 1048);
        QFile in(file.path);
        QVERIFY(in.open(QIODevice::ReadOnly));
        everything += in.readAll();
    }
    QFile current(base);
    QVERIFY(current.open(QIODevice::ReadOnly));
    const QByteArray currentLines = current.readAll();
    everything += currentLines;

    const CliResult reachingBack =
        f.cli({QStringLiteral("logs"), QStringLiteral("mls"), QStringLiteral("--json"),
               QStringLiteral("--since"), QStringLiteral("1h")},
              utcEnvironment());
    QCOMPARE(reachingBack.exitCode, 0);
    QCOMPARE(reachingBack.out, everything);
    QCOMPARE(reachingBack.out.count("\"msg\":\"sync started\""), 3);
    const CliResult currentOnly =
        f.cli({QStringLiteral("logs"), QStringLiteral("mls"), QStringLiteral("--json")}, utcEnvironment());
    QCOMPARE(currentOnly.out, currentLines);

    // Retention at the next open: the lines of a rotated file last written two days ago are gone,
    // those of one written today stay.
    const auto firstLine = [](const QString& path) {
        QFile in(path);
        return in.open(QIODevice::ReadOnly) ? in.readLine() : QByteArray();
    };
    const QByteArray oldLine = firstLine(rotated.at(0).path);
    const QByteArray keptLine = firstLine(rotated.at(1).path);
    QVERIFY(!oldLine.isEmpty() && !keptLine.isEmpty());
    QFile file(rotated.at(0).path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTime().addDays(-2), QFileDevice::FileModificationTime));
    file.close();
    QCOMPARE(f.run(QStringLiteral("sync"), utcEnvironment()).exitCode, 0);
    const CliResult after = f.cli({QStringLiteral("logs"), QStringLiteral("mls"), QStringLiteral("--json"),
                                   QStringLiteral("--since"), QStringLiteral("1d")},
                                  utcEnvironment());
    QVERIFY(!after.out.contains(oldLine));
    QVERIFY(after.out.contains(keptLine));
}

// --follow prints what is there, then each line appended (by another writer), across a
// rotation, and only what the filter lets through; SIGTERM ends it with exit 0.
void TestLogsCli::follow() {
    const QStringList args =
        m_f.args({QStringLiteral("logs"), QStringLiteral("mls"), QStringLiteral("--follow"),
                  QStringLiteral("--process"), QStringLiteral("sync"), QStringLiteral("--json")});
    std::unique_ptr<QProcess> process = startCli(args, utcEnvironment());
    QVERIFY(process->state() == QProcess::Running);
    QByteArray seen;
    QVERIFY2(waitForOutput(*process, seen, "crafted old line"), seen.constData());
    QVERIFY(seen.contains("\"msg\":\"sync failed\""));
    QVERIFY(!seen.contains("\"process\":\"purge\""));

    SourceLog purgeWriter(logFile(), QStringLiteral("mls"));
    purgeWriter.setProcess(QStringLiteral("purge"));
    SourceLog syncWriter(logFile(), QStringLiteral("mls"));
    syncWriter.setProcess(QStringLiteral("sync"));
    purgeWriter.info(QStringLiteral("purge line while following"));
    syncWriter.info(QStringLiteral("appended while following"));
    QVERIFY2(waitForOutput(*process, seen, "appended while following"), seen.constData());

    // Rotation as SourceLog does it: the file renamed to .1, the next line in a new file.
    QVERIFY(QFile::rename(logFile(), LogFiles::rotatedPath(logFile(), 1)));
    syncWriter.warning(QStringLiteral("first line after rotation"));
    QVERIFY2(waitForOutput(*process, seen, "first line after rotation"), seen.constData());
    syncWriter.info(QStringLiteral("second line after rotation"));
    QVERIFY2(waitForOutput(*process, seen, "second line after rotation"), seen.constData());
    QVERIFY(!seen.contains("purge line while following"));
    QCOMPARE(seen.count("appended while following"), 1);

    process->terminate(); // SIGTERM
    QVERIFY(process->waitForFinished(30000));
    seen += process->readAllStandardOutput();
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(process->exitCode(), 0);
    bool ok = false;
    objectsOf(seen, &ok);
    QVERIFY(ok);
}

QTEST_GUILESS_MAIN(TestLogsCli)
#include "tst_logscli.moc"
