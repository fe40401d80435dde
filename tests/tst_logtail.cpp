// Reading the end of a source's log in chunks (logging/LogTail), the log table's filter
// (LogLineFilter) and the follower picking up where the tail read stopped.
#include "logging/LogFollower.h"
#include "logging/LogTail.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ors;

namespace {

QByteArray jsonLine(int n, const char* level = "info", const char* process = "sync",
                    const char* resource = "Property") {
    return QStringLiteral(
               R"({"time":"2026-01-05T10:00:%1.000Z","level":"%2","msg":"line %3","source":"crmls","process":"%4","resource":"%5","url":"https://x/%3"})")
        .arg(n % 60, 2, 10, QLatin1Char('0'))
        .arg(QLatin1String(level))
        .arg(n)
        .arg(QLatin1String(process), QLatin1String(resource))
        .toUtf8();
}

void write(const QString& path, const QByteArray& bytes, QIODevice::OpenMode mode = QIODevice::WriteOnly) {
    QFile file(path);
    QVERIFY(file.open(mode));
    QCOMPARE(file.write(bytes), bytes.size());
}

QStringList messages(const QList<LogLine>& lines) {
    QStringList out;
    for (const LogLine& line : lines)
        out.append(line.valid ? line.message : QString::fromUtf8(line.raw));
    return out;
}

} // namespace

class TestLogTail : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void lastLinesAcrossChunkBoundaries();
    void wholeFileWhenShort();
    void unfinishedLastLineIsLeftForTheFollower();
    void missingFileIsEmpty();
    void filter();
    void followerStartsWhereTheTailStopped();
};

void TestLogTail::lastLinesAcrossChunkBoundaries() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("crmls.ndjson"));
    QByteArray bytes;
    for (int i = 0; i < 100; ++i)
        bytes += jsonLine(i) + '\n';
    write(path, bytes);
    // Chunks of 7 bytes split every line several times.
    for (const qint64 chunk : {qint64(7), qint64(64), qint64(1000), LogTail::kChunkBytes}) {
        const LogTailRead read = LogTail::read(path, 10, chunk);
        QVERIFY(read.error.isEmpty());
        QCOMPARE(read.lines.size(), 10);
        QCOMPARE(read.lines.first().message, QStringLiteral("line 90"));
        QCOMPARE(read.lines.last().message, QStringLiteral("line 99"));
        QVERIFY(read.olderLinesLeftOut);
        QCOMPARE(read.end.offset, bytes.size());
        QCOMPARE(read.fileSize, bytes.size());
    }
    const LogLine line = LogTail::read(path, 1).lines.first();
    QCOMPARE(line.process, QStringLiteral("sync"));
    QCOMPARE(line.resource, QStringLiteral("Property"));
    QCOMPARE(line.level, LogLevel::Info);
    QCOMPARE(line.time, QDateTime::fromString(QStringLiteral("2026-01-05T10:00:39Z"), Qt::ISODate));
    QCOMPARE(line.extra,
             (QList<std::pair<QString, QString>>{{QStringLiteral("url"), QStringLiteral("https://x/99")}}));
}

void TestLogTail::wholeFileWhenShort() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("crmls.ndjson"));
    write(path, jsonLine(1) + "\n\nnot json at all\r\n" + jsonLine(2) + '\n');
    for (const qint64 chunk : {qint64(5), LogTail::kChunkBytes}) {
        const LogTailRead read = LogTail::read(path, 50, chunk);
        QCOMPARE(messages(read.lines),
                 (QStringList{QStringLiteral("line 1"), QStringLiteral("not json at all"),
                              QStringLiteral("line 2")}));
        QVERIFY(!read.lines.at(1).valid);
        QVERIFY(!read.olderLinesLeftOut);
    }
    // Exactly as many lines as asked for: nothing left out.
    QVERIFY(!LogTail::read(path, 3, 5).olderLinesLeftOut);
    QVERIFY(LogTail::read(path, 2, 5).olderLinesLeftOut);
}

void TestLogTail::unfinishedLastLineIsLeftForTheFollower() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("crmls.ndjson"));
    const QByteArray complete = jsonLine(1) + '\n' + jsonLine(2) + '\n';
    write(path, complete + R"({"time":"2026-01-05T10:00:03.000Z","lev)");
    const LogTailRead read = LogTail::read(path, 10, 16);
    QCOMPARE(messages(read.lines), (QStringList{QStringLiteral("line 1"), QStringLiteral("line 2")}));
    QCOMPARE(read.end.offset, complete.size());
    // A file that is one unfinished line: nothing yet.
    const QString partial = dir.filePath(QStringLiteral("partial.ndjson"));
    write(partial, "{\"time\":");
    QVERIFY(LogTail::read(partial, 10).lines.isEmpty());
    QCOMPARE(LogTail::read(partial, 10).end.offset, 0);
}

void TestLogTail::missingFileIsEmpty() {
    QTemporaryDir dir;
    const LogTailRead read = LogTail::read(dir.filePath(QStringLiteral("none.ndjson")), 10);
    QVERIFY(read.error.isEmpty());
    QVERIFY(read.lines.isEmpty());
}

void TestLogTail::filter() {
    const LogLine info = LogLine::from(LogReader::parse(jsonLine(1, "info", "sync", "Property")));
    const LogLine warn = LogLine::from(LogReader::parse(jsonLine(2, "warn", "purge", "Member")));
    const LogLine bad = LogLine::from(LogReader::parse("garbage Member"));
    LogLineFilter filter;
    QVERIFY(filter.accepts(info) && filter.accepts(warn) && filter.accepts(bad));
    filter.minLevel = LogLevel::Warning;
    QVERIFY(!filter.accepts(info));
    QVERIFY(filter.accepts(warn));
    QVERIFY(filter.accepts(bad)); // what cannot be read passes the level, process and resource filters
    filter = {};
    filter.process = QStringLiteral("sync");
    QVERIFY(filter.accepts(info) && !filter.accepts(warn));
    filter = {};
    filter.resource = QStringLiteral("Member");
    QVERIFY(!filter.accepts(info) && filter.accepts(warn));
    filter = {};
    filter.text = QStringLiteral("LINE 2");
    QVERIFY(!filter.accepts(info) && filter.accepts(warn));
    QVERIFY(!filter.accepts(bad));       // text is matched against the raw line
    filter.text = QStringLiteral("x/1"); // a field beyond the columns (url)
    QVERIFY(filter.accepts(info) && !filter.accepts(warn));
    filter.text = QStringLiteral("garbage");
    QVERIFY(filter.accepts(bad) && !filter.accepts(info));
}

void TestLogTail::followerStartsWhereTheTailStopped() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("crmls.ndjson"));
    write(path, jsonLine(1) + '\n' + jsonLine(2) + '\n' + R"({"time":"2026-01-05T)");
    const LogTailRead read = LogTail::read(path, 10);
    LogFollower follower(path);
    QSignalSpy spy(&follower, &LogFollower::lines);
    follower.startAt(read.end);
    write(path, QByteArray(R"(10:00:03.000Z","msg":"line 3"})") + '\n', QIODevice::Append);
    QList<QByteArray> seen;
    QTRY_VERIFY([&] {
        for (const QList<QVariant>& args : spy)
            for (const QByteArray& line : args.at(0).value<QList<QByteArray>>())
                if (!seen.contains(line))
                    seen.append(line);
        spy.clear();
        return seen.size() >= 1;
    }());
    QCOMPARE(seen.size(), 1);
    QCOMPARE(LogReader::parse(seen.first()).fields.value(QStringLiteral("msg")).toString(),
             QStringLiteral("line 3"));
}

QTEST_GUILESS_MAIN(TestLogTail)
#include "tst_logtail.moc"
