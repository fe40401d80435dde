// Rotation and retention of a source's log (SourceLog, LogFiles), the reading side (LogReader:
// filters, --since, the readable line) and the "logs" configuration object. Real files in a
// temporary folder; two writers on two threads stand in for two processes sharing a log.
#include "config/ConfigValidator.h"
#include "ConfigTestSupport.h"
#include "logging/LogFiles.h"
#include "logging/LogReader.h"
#include "logging/SourceLog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <utime.h>

using namespace ors;
using namespace ors::test;

namespace {

QList<QByteArray> linesOf(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = file.readAll().split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

// Every line of the log and its rotated files, oldest first.
QList<QByteArray> allLines(const QString& base) {
    QList<QByteArray> lines;
    for (const LogFiles::Rotated& file : LogFiles::rotated(base))
        lines += linesOf(file.path);
    lines += linesOf(base);
    return lines;
}

void setAge(const QString& path, int days) {
    const time_t when = time(nullptr) - time_t(days) * 86400;
    struct utimbuf times {
        when, when
    };
    QVERIFY(::utime(QFile::encodeName(path).constData(), &times) == 0);
}

void writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

} // namespace

class TestLogRotation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rotatesAtTheLimitKeepingN();
    void oneLongLineIsNotRotatedAway();
    void retentionRemovesOldFiles();
    void concurrentWritersLoseNoLine();
    void filterAndFormat();
    void sinceParsing();
    void filesForSince();
    void configObject();
};

void TestLogRotation::rotatesAtTheLimitKeepingN() {
    QTemporaryDir dir;
    const QString base = dir.filePath(QStringLiteral("logs/mls.ndjson"));
    LogsConfig limits;
    limits.maxSizeBytes = 600;
    limits.keep = 3;
    SourceLog log(base, QStringLiteral("mls"), limits);
    log.setProcess(QStringLiteral("sync"));
    for (int i = 0; i < 200; ++i)
        log.info(QStringLiteral("line"), {{QStringLiteral("n"), i}});

    const QList<LogFiles::Rotated> rotated = LogFiles::rotated(base);
    QCOMPARE(rotated.size(), 3);
    QCOMPARE(rotated.at(0).number, 3);
    QCOMPARE(rotated.at(2).number, 1);
    QVERIFY(!QFileInfo::exists(LogFiles::rotatedPath(base, 4)));
    QVERIFY(!QFileInfo::exists(LogFiles::lockPath(base))); // released after each rotation
    for (const LogFiles::Rotated& file : rotated)
        QVERIFY2(QFileInfo(file.path).size() <= limits.maxSizeBytes, qPrintable(file.path));
    QVERIFY(QFileInfo(base).size() <= limits.maxSizeBytes);
    // What is kept is the newest lines, in order, ending with the last one written, and each
    // file starts where the one before it ended.
    const QList<QByteArray> lines = allLines(base);
    QVERIFY(lines.size() > 10 && lines.size() < 200);
    const int first = 200 - int(lines.size());
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QJsonObject object = QJsonDocument::fromJson(lines.at(i)).object();
        QCOMPARE(object.value(QStringLiteral("n")).toInt(-1), first + int(i));
    }
}

void TestLogRotation::oneLongLineIsNotRotatedAway() {
    QTemporaryDir dir;
    const QString base = dir.filePath(QStringLiteral("mls.ndjson"));
    LogsConfig limits;
    limits.maxSizeBytes = 100;
    limits.keep = 2;
    SourceLog log(base, QStringLiteral("mls"), limits);
    const QString longText(500, QLatin1Char('x'));
    log.info(longText);
    log.info(longText);
    // Each line longer than the limit gets a file of its own; none is cut or dropped early.
    QCOMPARE(linesOf(base).size(), 1);
    QCOMPARE(linesOf(LogFiles::rotatedPath(base, 1)).size(), 1);
    QVERIFY(linesOf(base).first().contains(longText.toUtf8()));
}

void TestLogRotation::retentionRemovesOldFiles() {
    QTemporaryDir dir;
    const QString base = dir.filePath(QStringLiteral("mls.ndjson"));
    writeFile(base, "{\"msg\":\"current\"}\n");
    writeFile(LogFiles::rotatedPath(base, 1), "{\"msg\":\"one\"}\n");
    writeFile(LogFiles::rotatedPath(base, 2), "{\"msg\":\"two\"}\n");
    writeFile(LogFiles::rotatedPath(base, 3), "{\"msg\":\"three\"}\n");
    writeFile(LogFiles::rotatedPath(base, 12), "{\"msg\":\"twelve\"}\n"); // beyond keep
    writeFile(base + QStringLiteral(".old"), "not a rotated log\n");
    setAge(LogFiles::rotatedPath(base, 2), 40);
    setAge(LogFiles::rotatedPath(base, 3), 45);
    setAge(LogFiles::rotatedPath(base, 1), 5);
    setAge(base, 60); // the current file is never removed for its age

    {
        LogsConfig noAgeLimit;
        noAgeLimit.retentionDays = 0;
        SourceLog log(base, QStringLiteral("mls"), noAgeLimit);
        QVERIFY(QFileInfo::exists(LogFiles::rotatedPath(base, 3)));
        QVERIFY(!QFileInfo::exists(LogFiles::rotatedPath(base, 12)));
    }
    LogsConfig limits; // 30 days
    SourceLog log(base, QStringLiteral("mls"), limits);
    QVERIFY(QFileInfo::exists(base));
    QVERIFY(QFileInfo::exists(LogFiles::rotatedPath(base, 1)));
    QVERIFY(!QFileInfo::exists(LogFiles::rotatedPath(base, 2)));
    QVERIFY(!QFileInfo::exists(LogFiles::rotatedPath(base, 3)));
    QVERIFY(QFileInfo::exists(base + QStringLiteral(".old")));

    // At rotation too: a file that became too old since the log was opened goes.
    setAge(base, 1);
    LogsConfig small;
    small.maxSizeBytes = 10;
    SourceLog rotating(base, QStringLiteral("mls"), small);
    QVERIFY(QFileInfo::exists(LogFiles::rotatedPath(base, 1)));
    setAge(LogFiles::rotatedPath(base, 1), 31);
    rotating.info(QStringLiteral("rotate now"));
    const QList<LogFiles::Rotated> left = LogFiles::rotated(base);
    QCOMPARE(left.size(), 1); // the former current file, now .1; the aged .1 (now .2) is gone
    QCOMPARE(linesOf(left.first().path), QList<QByteArray>{"{\"msg\":\"current\"}"});
    QCOMPARE(linesOf(base).size(), 1);
    QVERIFY(linesOf(base).first().contains("rotate now"));
}

// Two SourceLogs on two threads: as two processes appending to one log, each opening the file
// per line and rotating under the lock. Every line arrives once, whole, in one of the files.
void TestLogRotation::concurrentWritersLoseNoLine() {
    QTemporaryDir dir;
    const QString base = dir.filePath(QStringLiteral("mls.ndjson"));
    LogsConfig limits;
    limits.maxSizeBytes = 4000;
    limits.keep = 1000; // nothing dropped, so every line can be counted
    constexpr int kLines = 600;
    const auto writer = [&](const QString& name) {
        SourceLog log(base, QStringLiteral("mls"), limits);
        log.setProcess(name);
        for (int i = 0; i < kLines; ++i)
            log.info(QStringLiteral("line from %1").arg(name), {{QStringLiteral("n"), i}});
    };
    std::unique_ptr<QThread> a(QThread::create(writer, QStringLiteral("sync")));
    std::unique_ptr<QThread> b(QThread::create(writer, QStringLiteral("purge")));
    a->start();
    b->start();
    QVERIFY(a->wait(120000));
    QVERIFY(b->wait(120000));

    QVERIFY(LogFiles::rotated(base).size() > 5);
    QSet<QString> seen;
    const QList<QByteArray> lines = allLines(base);
    for (const QByteArray& line : lines) {
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        const QString id = object.value(QStringLiteral("process")).toString() + QLatin1Char('/') +
                           QString::number(object.value(QStringLiteral("n")).toInt(-1));
        QVERIFY2(!seen.contains(id), qPrintable(id));
        seen.insert(id);
    }
    QCOMPARE(lines.size(), qsizetype(2 * kLines));
    QCOMPARE(seen.size(), qsizetype(2 * kLines));
}

void TestLogRotation::filterAndFormat() {
    const LogEntry warning = LogReader::parse(
        R"({"time":"2026-03-08T10:00:01.5Z","level":"warn","msg":"retrying","source":"mls","process":"sync",)"
        R"("resource":"Property","url":"http://h/p q","count":1000000,"ok":true,"why":""})");
    QVERIFY(warning.valid);
    QCOMPARE(warning.time, QDateTime(QDate(2026, 3, 8), QTime(10, 0, 1, 500), Qt::UTC));
    QCOMPARE(warning.level, std::optional<LogLevel>(LogLevel::Warning));
    const LogEntry malformed = LogReader::parse("{\"time\": \"2026-03-08T10:0");
    QVERIFY(!malformed.valid);
    const LogEntry array = LogReader::parse("[1, 2]");
    QVERIFY(!array.valid);

    {
        EnvGuard zone("TZ", QByteArray("America/Denver"));
        QCOMPARE(
            LogReader::format(warning, false),
            QStringLiteral("2026-03-08 04:00:01.500 WARN  sync      Property retrying count=1000000 ok=true "
                           "url=\"http://h/p q\" why=\"\""));
    }
    QVERIFY(LogReader::format(warning, true).contains(QStringLiteral("\x1b[33mWARN ")));
    QCOMPARE(LogReader::format(malformed, true),
             QStringLiteral("[malformed log line] {\"time\": \"2026-03-08T10:0"));

    LogFilter filter;
    QVERIFY(filter.accepts(warning));
    filter.minLevel = LogLevel::Error;
    QVERIFY(!filter.accepts(warning));
    QVERIFY(filter.accepts(malformed)); // what cannot be read is shown whatever the filter
    filter.minLevel = logLevelFromName(QStringLiteral("warning"));
    QVERIFY(filter.accepts(warning));
    filter.process = QStringLiteral("purge");
    QVERIFY(!filter.accepts(warning));
    filter.process = QStringLiteral("sync");
    filter.since = QDateTime(QDate(2026, 3, 8), QTime(10, 0, 2), Qt::UTC);
    QVERIFY(!filter.accepts(warning));
    filter.since = QDateTime(QDate(2026, 3, 8), QTime(10, 0, 1), Qt::UTC);
    QVERIFY(filter.accepts(warning));
}

void TestLogRotation::sinceParsing() {
    const QDateTime now(QDate(2026, 3, 8), QTime(12, 0), Qt::UTC);
    QCOMPARE(LogReader::parseSince(QStringLiteral("90s"), now), now.addSecs(-90));
    QCOMPARE(LogReader::parseSince(QStringLiteral("15m"), now), now.addSecs(-900));
    QCOMPARE(LogReader::parseSince(QStringLiteral("2h"), now), now.addSecs(-7200));
    QCOMPARE(LogReader::parseSince(QStringLiteral("3d"), now), now.addDays(-3));
    QCOMPARE(LogReader::parseSince(QStringLiteral("2026-03-07T08:00:00Z"), now),
             QDateTime(QDate(2026, 3, 7), QTime(8, 0), Qt::UTC));
    QCOMPARE(LogReader::parseSince(QStringLiteral("2026-03-07T08:00:00+02:00"), now),
             QDateTime(QDate(2026, 3, 7), QTime(6, 0), Qt::UTC));
    {
        EnvGuard zone("TZ", QByteArray("America/Denver"));
        QCOMPARE(LogReader::parseSince(QStringLiteral("2026-03-07T08:00:00"), now),
                 QDateTime(QDate(2026, 3, 7), QTime(15, 0), Qt::UTC));
    }
    QVERIFY(!LogReader::parseSince(QStringLiteral("2 hours"), now));
    QVERIFY(!LogReader::parseSince(QStringLiteral("5w"), now));
    QVERIFY(!LogReader::parseSince(QStringLiteral("yesterday"), now));
}

void TestLogRotation::filesForSince() {
    QTemporaryDir dir;
    const QString base = dir.filePath(QStringLiteral("mls.ndjson"));
    writeFile(base, "{}\n");
    writeFile(LogFiles::rotatedPath(base, 1), "{}\n");
    writeFile(LogFiles::rotatedPath(base, 2), "{}\n");
    setAge(LogFiles::rotatedPath(base, 1), 1);
    setAge(LogFiles::rotatedPath(base, 2), 3);
    LogFilter filter;
    QCOMPARE(LogReader::filesFor(base, filter), QStringList{base});
    filter.since = QDateTime::currentDateTimeUtc().addSecs(-36 * 3600);
    QCOMPARE(LogReader::filesFor(base, filter), (QStringList{LogFiles::rotatedPath(base, 1), base}));
    filter.since = QDateTime::currentDateTimeUtc().addDays(-4);
    QCOMPARE(LogReader::filesFor(base, filter),
             (QStringList{LogFiles::rotatedPath(base, 2), LogFiles::rotatedPath(base, 1), base}));
    QFile::remove(base);
    QCOMPARE(LogReader::filesFor(base, LogFilter{}), QStringList());
}

void TestLogRotation::configObject() {
    const auto validate = [](const char* logs, QStringList* errors) {
        QJsonObject root{{QStringLiteral("sources"), QJsonArray{minimalSource()}}};
        root.insert(QStringLiteral("logs"), QJsonDocument::fromJson(QByteArray(logs)).object());
        ConfigValidator validator;
        auto config = validator.validate(root);
        *errors = validator.errors();
        return config;
    };
    QStringList errors;
    auto config = validate(R"({"maxSizeMB": 0.5, "keep": 4, "retentionDays": 7})", &errors);
    QVERIFY2(config, qPrintable(errors.join(QLatin1Char('\n'))));
    QCOMPARE(config->logs.maxSizeBytes, qint64(512 * 1024));
    QCOMPARE(config->logs.keep, 4);
    QCOMPARE(config->logs.retentionDays, 7);
    QCOMPARE(config->sources.first().logs.keep, 4); // each source's jobs carry it

    config = validate(R"({})", &errors);
    QVERIFY(config);
    QCOMPARE(config->logs.maxSizeBytes, qint64(20 * 1024 * 1024));
    QCOMPARE(config->logs.keep, 10);
    QCOMPARE(config->logs.retentionDays, 30);

    config = validate(R"({"maxSizeMB": "20", "keep": 0, "retentionDays": 1.5})", &errors);
    QVERIFY(!config);
    QCOMPARE(errors, (QStringList{QStringLiteral("logs.maxSizeMB: must be a number from 0.001 to 1048576"),
                                  QStringLiteral("logs.keep: must be an integer from 1 to 1000"),
                                  QStringLiteral("logs.retentionDays: must be an integer from 0 to 36500")}));
}

QTEST_GUILESS_MAIN(TestLogRotation)
#include "tst_logrotation.moc"
