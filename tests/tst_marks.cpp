// High-water marks cannot be poisoned: a mark never passes the time the download's first
// request was sent (the server's Date, else the local clock), unparsable timestamps never move
// it, unordered platforms stay an overlap behind; reset-mark lowers or clears marks and status
// shows them. Through the real openresync-cli against the fake server into real SQLite files.
#include "CliFixture.h"
#include "records/Timestamps.h"

#include "reso/HttpDate.h"
#include "reso/PageReader.h"
#include "store/SourceLock.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>

#include <csignal>

using namespace ors;
using namespace Qt::StringLiterals;
using namespace ors::test;
using DateHeader = fake::FakeResoServer::DateHeader;

namespace {

struct Fixture : CliFixture {
    QString db;

    CliResult sync() const { return run(QStringLiteral("sync")); }
    CliResult resetMark(const QStringList& options) const {
        return cli(QStringList{QStringLiteral("reset-mark"), QStringLiteral("mls")} + options);
    }
    // The high-water mark of Property for local0 in state.sqlite; "<none>" without one.
    QString mark() const {
        const QString name = QStringLiteral("marks-%1").arg(quintptr(this));
        QString value = QStringLiteral("<none>");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(QDir(dataDir).filePath(QStringLiteral("state.sqlite")));
            if (db.open()) {
                QSqlQuery q(db);
                if (q.exec(
                        QStringLiteral("SELECT timestamp FROM high_water WHERE source = 'mls' AND resource = "
                                       "'Property' AND destination = 'local0'")) &&
                    q.next())
                    value = q.value(0).toString();
            }
        }
        QSqlDatabase::removeDatabase(name);
        return value;
    }
    QString storedTimestamp(const QString& key) const {
        return readTable(db, QStringLiteral("Property"), QStringLiteral("ListingKey"))
            .value(key)
            .value(QStringLiteral("ModificationTimestamp"))
            .toString();
    }
    QStringList differences() const {
        return compareWithServer(*server, QStringLiteral("Property"), db, QStringLiteral("Property"),
                                 QStringLiteral("ListingKey"));
    }
    QStringList propertyRequests() const {
        QStringList out;
        for (const QString& target : server->requestLog())
            if (target.section(QLatin1Char('?'), 0, 0).endsWith(QLatin1String("/Property")))
                out << QUrl::fromPercentEncoding(target.toUtf8());
        return out;
    }
};

// One source "mls" with Property only, into one SQLite destination "local0".
std::unique_ptr<Fixture> makeFixture(fake::ServerOptions options,
                                     const QString& platform = QStringLiteral("generic"),
                                     const QJsonObject& extra = {}, int pageSize = 100) {
    auto f = std::make_unique<Fixture>();
    if (!f->startServer(options))
        return nullptr;
    f->db = f->path(QStringLiteral("local.sqlite"));
    QJsonObject source = sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->db}, pageSize);
    source.insert(QStringLiteral("platform"), platform);
    source.insert(QStringLiteral("resources"),
                  QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")}}});
    for (auto it = extra.begin(); it != extra.end(); ++it)
        source.insert(it.key(), it.value());
    f->writeSource(source);
    return f;
}

QString normalized(const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    return QString::fromUtf8(normalizeTimestamp(std::string_view(utf8.constData(), size_t(utf8.size())))
                                 .value_or(QByteArray("<invalid>")));
}

// Property timestamps as the server sends them (normalized), leaving out `skip`.
QStringList serverTimestamps(const fake::FakeResoServer& server, const QString& skip = {}) {
    QStringList out;
    for (const QJsonValue& v : server.records(QStringLiteral("Property"))) {
        const QJsonObject r = v.toObject();
        if (r.value(QStringLiteral("ListingKey")).toString() != skip)
            out << normalized(r.value(QStringLiteral("ModificationTimestamp")).toString());
    }
    std::sort(out.begin(), out.end());
    return out;
}

QString firstKey(const fake::FakeResoServer& server) {
    return server.records(QStringLiteral("Property"))
        .first()
        .toObject()
        .value(QStringLiteral("ListingKey"))
        .toString();
}

QString nowText() {
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz'Z'"));
}

fake::ServerOptions smallFeed() {
    fake::ServerOptions options;
    options.listingCount = 40;
    options.memberCount = 5;
    return options;
}

} // namespace

class TestMarks : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Timestamps as PageReader normalizes them (UTC, milliseconds, Z): what QDateTime makes of
    // them, across days, months, leap days, years, fractions and the limits of the offsets
    // QTimeZone takes.
    void offsetTimestampsAsQDateTime() {
        QStringList texts{u"2024-02-28T23:30:00-05:00"_s,   u"2024-02-29T23:59:59.999+00:00"_s,
                          u"2023-12-31T22:00:00.5-02:00"_s, u"2024-01-01T01:00:00+01:30"_s,
                          u"2100-02-28T20:00:00-04:00"_s,   u"2000-02-28T20:00:00-04:00"_s,
                          u"0001-01-01T00:00:00+00:00"_s,   u"9999-12-31T23:59:59-00:00"_s,
                          u"2024-06-15T12:00:00+14:00"_s,   u"2024-06-15T12:00:00-14:00"_s,
                          u"1969-12-31T23:59:59-00:01"_s,   u"2024-02-29T23:59:59.1234Z"_s};
        // A sweep: every month's ends at offsets either side.
        for (int year : {1600, 1900, 1999, 2024, 2025})
            for (int month = 1; month <= 12; ++month)
                for (const char* tail : {"T00:00:01+13:45", "T23:59:58-11:15"}) {
                    const QDate first(year, month, 1);
                    for (const QDate& day : {first, first.addDays(first.daysInMonth() - 1)})
                        texts.append(day.toString(u"yyyy-MM-dd"_s) + QLatin1String(tail));
                }
        for (const QString& text : std::as_const(texts)) {
            const QDateTime local = QDateTime::fromString(text, Qt::ISODateWithMs);
            QVERIFY2(local.isValid(), qPrintable(text));
            const QDateTime utc = local.toUTC();
            const QString millis = text.mid(19, 1) == u"."_s ? text.mid(20).left(3) : QString();
            QString expected = utc.toString(u"yyyy-MM-ddTHH:mm:ss"_s) + u"."_s;
            const qsizetype digits = millis.indexOf(QRegularExpression(u"[^0-9]"_s));
            expected += (digits < 0 ? millis : millis.left(digits)).leftJustified(3, u'0') + u"Z"_s;
            QCOMPARE(normalized(text), expected);
        }
    }

    void httpDateParsing_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected"); // empty: refused
        QTest::newRow("imf-fixdate") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT")
                                     << QStringLiteral("1994-11-06T08:49:37.000Z");
        QTest::newRow("leap day") << QByteArray("Thu, 29 Feb 2024 23:59:59 GMT")
                                  << QStringLiteral("2024-02-29T23:59:59.000Z");
        QTest::newRow("rfc850") << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << QString();
        QTest::newRow("asctime") << QByteArray("Sun Nov  6 08:49:37 1994") << QString();
        QTest::newRow("wrong weekday") << QByteArray("Mon, 06 Nov 1994 08:49:37 GMT") << QString();
        QTest::newRow("no such day") << QByteArray("Fri, 30 Feb 2024 00:00:00 GMT") << QString();
        QTest::newRow("hour 24") << QByteArray("Sun, 06 Nov 1994 24:00:00 GMT") << QString();
        QTest::newRow("not GMT") << QByteArray("Sun, 06 Nov 1994 08:49:37 UTC") << QString();
        QTest::newRow("lower case month") << QByteArray("Sun, 06 nov 1994 08:49:37 GMT") << QString();
        QTest::newRow("trailing space") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT ") << QString();
        QTest::newRow("one-digit day") << QByteArray("Sun, 6 Nov 1994 08:49:37 GMT") << QString();
        QTest::newRow("garbage") << QByteArray("yesterday") << QString();
        QTest::newRow("empty") << QByteArray() << QString();
    }
    void httpDateParsing() {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const auto parsed = HttpDate::parse(text);
        if (expected.isEmpty()) {
            QVERIFY2(!parsed, qPrintable(parsed ? parsed->toString(Qt::ISODate) : QString()));
        } else {
            QVERIFY(parsed);
            QCOMPARE(parsed->toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz'Z'")), expected);
        }
    }

    // A record dated 2099 is stored, the mark stays at the download's start (the server's
    // Date), and a later change on the server is fetched by the next sync.
    void futureRecordDoesNotMoveMark() {
        auto f = makeFixture(smallFeed());
        QVERIFY(f);
        f->server->setDateHeader(DateHeader::Clock);
        const QString future = firstKey(*f->server);
        QVERIFY(f->server->setTimestamp(QStringLiteral("Property"), future,
                                        QStringLiteral("2099-01-01T00:00:00Z")));

        CliResult first = f->sync();
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QCOMPARE(f->storedTimestamp(future), QStringLiteral("2099-01-01T00:00:00.000Z"));
        // The server's Date was its clock (on a whole second), which has not moved since.
        const QString serverStart = normalized(f->server->maxModificationTimestamp());
        QCOMPARE(f->mark(), serverStart);

        const QStringList changed = f->server->changeRecords(0.25);
        QVERIFY(!changed.isEmpty());
        CliResult second = f->sync();
        QVERIFY2(second.exitCode == 0, second.err.constData());
        const QStringList diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        QCOMPARE(f->storedTimestamp(future), QStringLiteral("2099-01-01T00:00:00.000Z"));
        QVERIFY2(f->mark() < QStringLiteral("2099"), qPrintable(f->mark()));
    }

    // The start is the server's Date when it is one, in the past or the future; a Date that is
    // not an IMF-fixdate falls back to the local clock with a warning.
    void dateHeaderHonoured_data() {
        QTest::addColumn<QByteArray>("date");
        QTest::addColumn<bool>("futureRecord");
        QTest::addColumn<QString>("expected"); // empty: the local clock during the run
        QTest::newRow("past") << QByteArray("Thu, 01 Feb 2024 00:00:00 GMT") << false
                              << QStringLiteral("2024-02-01T00:00:00.000Z");
        QTest::newRow("future") << QByteArray("Tue, 01 Jan 2030 00:00:00 GMT") << true
                                << QStringLiteral("2030-01-01T00:00:00.000Z");
        QTest::newRow("garbage") << QByteArray("yesterday") << true << QString();
        QTest::newRow("wrong weekday") << QByteArray("Wed, 01 Jan 2030 00:00:00 GMT") << true << QString();
    }
    void dateHeaderHonoured() {
        QFETCH(QByteArray, date);
        QFETCH(bool, futureRecord);
        QFETCH(QString, expected);
        auto f = makeFixture(smallFeed());
        QVERIFY(f);
        f->server->setDateHeader(DateHeader::Fixed, date);
        if (futureRecord)
            QVERIFY(f->server->setTimestamp(QStringLiteral("Property"), firstKey(*f->server),
                                            QStringLiteral("2099-01-01T00:00:00Z")));
        else // the Date must be what bounds the mark, not the records
            QVERIFY(serverTimestamps(*f->server).last() > QStringLiteral("2024-02-01"));
        const QString before = nowText();
        CliResult sync = f->sync();
        const QString after = nowText();
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        if (!expected.isEmpty()) {
            QCOMPARE(f->mark(), expected);
        } else {
            QVERIFY2(f->mark() >= before && f->mark() <= after, qPrintable(f->mark()));
            QVERIFY2(f->sourceLog().contains("is not an HTTP date"), f->sourceLog().constData());
            QVERIFY(f->sourceLog().contains(date));
        }
    }

    // A timestamp that is no instant (or only looks like one) never moves the mark and is
    // reported: a warning naming resource, key and value, and an event. Its record is set aside
    // as not of its field's type.
    void unparsableTimestampReported_data() {
        QTest::addColumn<QString>("value");
        QTest::newRow("text") << QStringLiteral("not-a-date");
        QTest::newRow("month 13") << QStringLiteral("2024-13-45T00:00:00Z");
        QTest::newRow("30 February 2099") << QStringLiteral("2099-02-30T10:00:00Z");
    }
    void unparsableTimestampReported() {
        QFETCH(QString, value);
        auto f = makeFixture(smallFeed());
        QVERIFY(f);
        const QString bad = firstKey(*f->server);
        QVERIFY(f->server->setTimestamp(QStringLiteral("Property"), bad, value));
        CliResult sync = f->sync();
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        // Not a DateTimeOffset, the record is set aside (onBadRecord "quarantine"), not stored.
        QVERIFY(!readTable(f->db, QStringLiteral("Property"), QStringLiteral("ListingKey")).contains(bad));
        QFile rejected(QDir(f->dataDir).filePath(QStringLiteral("sources/mls/rejected/Property.ndjson")));
        QVERIFY(rejected.open(QIODevice::ReadOnly));
        const QByteArray entries = rejected.readAll();
        QVERIFY2(entries.contains(QByteArray("\"key\":\"" + bad.toUtf8() + "\"")) &&
                     entries.contains("field ModificationTimestamp: the value"),
                 entries.constData());
        QCOMPARE(f->mark(), serverTimestamps(*f->server, bad).last());
        const QByteArray log = f->sourceLog();
        bool named = false;
        for (const QByteArray& line : log.split('\n')) {
            const QJsonObject entry = QJsonDocument::fromJson(line).object();
            named = named || (entry.value(QStringLiteral("level")).toString() == QLatin1String("warn") &&
                              line.contains("\"resource\":\"Property\"") && line.contains(bad.toUtf8()) &&
                              line.contains(value.toUtf8()));
        }
        QVERIFY2(named, log.constData());
        const QStringList events = f->events(QStringLiteral("unparsable-timestamp"));
        QCOMPARE(events.size(), 1);
        QVERIFY2(events.first().startsWith(QLatin1String("1 record(s)")) && events.first().contains(bad),
                 qPrintable(events.first()));

        // The next sync asks from a real instant and works.
        f->server->changeRecords(0.1);
        CliResult next = f->sync();
        QVERIFY2(next.exitCode == 0, next.err.constData());
        QVERIFY(f->propertyRequests().last().contains(QStringLiteral("ModificationTimestamp gt 2024-")));
    }

    // Without $orderby a record changed during the download can arrive older than the newest
    // one seen: the mark is at most the start less the profile's overlap.
    void unorderedPlatformStaysAnOverlapBehind() {
        fake::ServerOptions options = smallFeed();
        options.flavour = fake::Flavour::MlsGrid;
        auto f =
            makeFixture(options, QStringLiteral("mlsgrid"),
                        {{QStringLiteral("originatingSystemName"), QStringLiteral("FakeMLS")},
                         {QStringLiteral("profile"), QJsonObject{{QStringLiteral("overlapMinutes"), 10}}}});
        QVERIFY(f);
        f->server->setDateHeader(DateHeader::Clock);
        CliResult sync = f->sync();
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        const QDateTime start =
            QDateTime::fromString(f->server->maxModificationTimestamp(), Qt::ISODateWithMs).toUTC();
        QVERIFY(start.isValid());
        QCOMPARE(f->mark(), start.addSecs(-600).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz'Z'")));
        for (const QString& r : f->propertyRequests())
            QVERIFY2(!r.contains(QLatin1String("$orderby")), qPrintable(r));
    }

    // A download killed after its first pages resumes with the start time of its first request.
    void resumedDownloadKeepsItsStartTime() {
        fake::ServerOptions options = smallFeed();
        options.listingCount = 60;
        auto f = makeFixture(options, QStringLiteral("generic"), {}, 5);
        QVERIFY(f);
        f->server->setDateHeader(DateHeader::Fixed, "Tue, 01 Jan 2030 00:00:00 GMT");
        QVERIFY(f->server->setTimestamp(QStringLiteral("Property"), firstKey(*f->server),
                                        QStringLiteral("2099-01-01T00:00:00Z")));
        fake::Fault slow;
        slow.kind = fake::Fault::Kind::Slow;
        slow.pathContains = QStringLiteral("Property");
        slow.delayMs = 200;
        slow.count = 1000;
        f->server->injectFault(slow);
        QProcessEnvironment env = cliEnvironment();
        // Pages stay on disk until the download ends, so the run is caught with several there.
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_AFTER_DOWNLOAD"), QStringLiteral("1"));
        auto process = f->launch(QStringLiteral("sync"), env);
        const QString pages = f->pageDir();
        QTRY_VERIFY_WITH_TIMEOUT(filesUnder(pages, QStringLiteral("sync_batch_*.json")).size() >= 2, 30000);
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished();
        f->server->clearFaults();
        f->server->setDateHeader(DateHeader::Fixed, "Wed, 01 Jan 2031 00:00:00 GMT");

        CliResult resumed = f->sync();
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QVERIFY2(f->sourceLog().contains("sync resumed"), f->sourceLog().constData());
        QCOMPARE(f->mark(), QStringLiteral("2030-01-01T00:00:00.000Z"));
    }

    void resetMarkTo() {
        auto f = makeFixture(smallFeed());
        QVERIFY(f);
        CliResult first = f->sync();
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QStringList stamps = serverTimestamps(*f->server);
        const QString newest = stamps.last();
        QCOMPARE(f->mark(), newest);

        // Later than the mark: a mark is never raised.
        CliResult later = f->resetMark({QStringLiteral("--to"), QStringLiteral("2030-01-01T00:00:00Z")});
        QVERIFY2(later.exitCode == 0, later.err.constData());
        QVERIFY2(later.out.contains("unchanged"), later.out.constData());
        QCOMPARE(f->mark(), newest);

        // Lowered to a middle record, given with an offset: normalized to UTC.
        const QString middle = stamps.at(stamps.size() / 2);
        const QDateTime middleTime = QDateTime::fromString(middle, Qt::ISODateWithMs);
        const QString withOffset =
            middleTime.toOffsetFromUtc(2 * 3600).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz+02:00"));
        CliResult reset = f->resetMark({QStringLiteral("--resource"), QStringLiteral("Property"),
                                        QStringLiteral("--destination"), QStringLiteral("local0"),
                                        QStringLiteral("--to"), withOffset});
        QVERIFY2(reset.exitCode == 0, reset.err.constData());
        QCOMPARE(QString::fromUtf8(reset.out).trimmed(),
                 QStringLiteral("Property local0: %1 → %2").arg(newest, middle));
        QCOMPARE(f->mark(), middle);

        f->server->clearRequestLog();
        CliResult again = f->sync();
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const qsizetype after =
            std::count_if(stamps.cbegin(), stamps.cend(), [&](const QString& s) { return s > middle; });
        QVERIFY2(
            f->propertyRequests().first().contains(QStringLiteral("ModificationTimestamp gt %1").arg(middle)),
            qPrintable(f->propertyRequests().first()));
        QVERIFY2(again.err.contains(QStringLiteral("%1 records downloaded").arg(after).toUtf8()),
                 again.err.constData());
        QCOMPARE(f->mark(), newest);
    }

    void resetMarkFull() {
        auto f = makeFixture(smallFeed());
        QVERIFY(f);
        CliResult first = f->sync();
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QString newest = f->mark();
        CliResult reset = f->resetMark({QStringLiteral("--full")});
        QVERIFY2(reset.exitCode == 0, reset.err.constData());
        QCOMPARE(QString::fromUtf8(reset.out).trimmed(),
                 QStringLiteral("Property local0: %1 → (cleared: full download next)").arg(newest));

        CliResult status =
            f->cli({QStringLiteral("status"), QStringLiteral("mls"), QStringLiteral("--json")});
        QCOMPARE(status.exitCode, 0);
        const QJsonObject destination =
            QJsonDocument::fromJson(status.out)
                .object()[QStringLiteral("sources")][0][QStringLiteral("resources")][0]
                         [QStringLiteral("destinations")][0]
                .toObject();
        QCOMPARE(destination.value(QStringLiteral("markState")).toString(), QStringLiteral("full"));
        QVERIFY(destination.value(QStringLiteral("mark")).isNull());

        f->server->clearRequestLog();
        CliResult again = f->sync();
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QVERIFY2(!f->propertyRequests().first().contains(QLatin1String("ModificationTimestamp gt")),
                 qPrintable(f->propertyRequests().first()));
        QVERIFY2(again.err.contains("40 records downloaded"), again.err.constData());
        QCOMPARE(f->mark(), newest);
    }

    void resetMarkArgumentErrors_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString mls = QStringLiteral("mls");
        QTest::newRow("no source") << QStringList{} << QStringLiteral("wrong number of arguments");
        QTest::newRow("neither") << QStringList{mls}
                                 << QStringLiteral("exactly one of --to TIMESTAMP and --full");
        QTest::newRow("both") << QStringList{mls, QStringLiteral("--full"), QStringLiteral("--to"),
                                             QStringLiteral("2024-01-01T00:00:00Z")}
                              << QStringLiteral("exactly one of");
        QTest::newRow("text") << QStringList{mls, QStringLiteral("--to"), QStringLiteral("yesterday")}
                              << QStringLiteral("--to \"yesterday\" is not an ISO-8601 instant");
        QTest::newRow("no zone") << QStringList{mls, QStringLiteral("--to"),
                                                QStringLiteral("2024-01-01T00:00:00")}
                                 << QStringLiteral("--to \"2024-01-01T00:00:00\"");
        QTest::newRow("month 13") << QStringList{mls, QStringLiteral("--to"),
                                                 QStringLiteral("2024-13-01T00:00:00Z")}
                                  << QStringLiteral("--to \"2024-13-01T00:00:00Z\"");
        QTest::newRow("unknown source") << QStringList{QStringLiteral("nosuch"), QStringLiteral("--full")}
                                        << QStringLiteral("unknown source \"nosuch\"");
        QTest::newRow("unknown resource") << QStringList{mls, QStringLiteral("--full"),
                                                         QStringLiteral("--resource"), QStringLiteral("Nope")}
                                          << QStringLiteral("has no resource \"Nope\"");
        QTest::newRow("unknown destination")
            << QStringList{mls, QStringLiteral("--full"), QStringLiteral("--destination"),
                           QStringLiteral("nope")}
            << QStringLiteral("has no destination \"nope\"");
    }
    void resetMarkArgumentErrors() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        auto f = makeFixture(smallFeed());
        QVERIFY(f);
        CliResult first = f->sync();
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QString mark = f->mark();
        CliResult r = f->cli(QStringList{QStringLiteral("reset-mark")} + arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
        QVERIFY(r.out.isEmpty());
        QCOMPARE(f->mark(), mark);
    }

    void resetMarkBusySource() {
        auto f = makeFixture(smallFeed());
        QVERIFY(f);
        CliResult first = f->sync();
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QString mark = f->mark();
        SourceLock lock;
        QVERIFY(
            lock.acquire(QDir(f->dataDir).filePath(QStringLiteral("locks/mls.lock")), QStringLiteral("mls")));
        CliResult r = f->resetMark({QStringLiteral("--full")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("busy") &&
                     r.err.contains(QByteArray::number(QCoreApplication::applicationPid())),
                 r.err.constData());
        QCOMPARE(f->mark(), mark);
    }

    void statusShowsMarks() {
        auto f = makeFixture(smallFeed());
        QVERIFY(f);
        auto destination = [&f] {
            CliResult status =
                f->cli({QStringLiteral("status"), QStringLiteral("mls"), QStringLiteral("--json")});
            return QJsonDocument::fromJson(status.out)
                .object()[QStringLiteral("sources")][0][QStringLiteral("resources")][0]
                         [QStringLiteral("destinations")][0]
                .toObject();
        };
        QCOMPARE(destination().value(QStringLiteral("markState")).toString(), QStringLiteral("none"));
        CliResult sync = f->sync();
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        const QJsonObject d = destination();
        QCOMPARE(d.value(QStringLiteral("markState")).toString(), QStringLiteral("set"));
        QCOMPARE(d.value(QStringLiteral("mark")).toString(), f->mark());
        QVERIFY(d.contains(QStringLiteral("newest"))); // existing fields stay
        CliResult text = f->run(QStringLiteral("status"));
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains(QStringLiteral("      mark %1\n").arg(f->mark()).toUtf8()),
                 text.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestMarks)
#include "tst_marks.moc"
