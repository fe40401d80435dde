// Cron expressions: a table of expressions, a start instant and the fire times that follow,
// across daylight-saving changes in America/Denver and Europe/Berlin; previous(); the exact
// messages of invalid expressions.
#include "schedule/CronExpression.h"
#include "schedule/NextFires.h"

#include <QTest>

using namespace ors;

namespace {

QDateTime instant(const QString& text) {
    const QDateTime time = QDateTime::fromString(text, Qt::ISODate);
    if (!time.isValid())
        qFatal("bad instant in the test table: %s", qPrintable(text));
    return time.toUTC();
}

// Fire times as UTC ISO text, so a failure shows both lists readably.
QStringList utcList(const QStringList& texts) {
    QStringList out;
    for (const QString& text : texts)
        out.append(instant(text).toString(Qt::ISODate));
    return out;
}

CronExpression parsed(const QString& text) {
    auto cron = CronExpression::parse(text);
    if (!cron)
        qFatal("%s", qPrintable(cron.errorMessage()));
    return *cron;
}

} // namespace

class TestCron : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void next_data();
    void next();
    void previous_data();
    void previous();
    void neverFires();
    void previousUndoesNext_data();
    void previousUndoesNext();
    void invalid_data();
    void invalid();
    void whitespaceAndCase();
    void overlaps();
};

void TestCron::next_data() {
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("start");
    QTest::addColumn<QStringList>("expected");
    const auto row = [](const char* name, const char* expression, const char* zone, const char* start,
                        const QStringList& expected) {
        QTest::newRow(name) << QString::fromLatin1(expression) << QString::fromLatin1(zone)
                            << QString::fromLatin1(start) << expected;
    };
    const auto l = [](std::initializer_list<const char*> items) {
        QStringList list;
        for (const char* item : items)
            list.append(QString::fromLatin1(item));
        return list;
    };
    // --- fields, lists, ranges, steps, names (UTC) ---
    row("every 15 minutes", "*/15 * * * *", "UTC", "2026-01-01T00:07:00Z",
        l({"2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:45:00Z", "2026-01-01T01:00:00Z"}));
    row("start is exclusive", "0 3 * * *", "UTC", "2026-01-01T03:00:00Z",
        l({"2026-01-02T03:00:00Z", "2026-01-03T03:00:00Z"}));
    row("start with milliseconds", "* * * * *", "UTC", "2026-01-01T03:00:00.500Z",
        l({"2026-01-01T03:01:00Z", "2026-01-01T03:02:00Z"}));
    row("range with step", "1-30/10 9 * * *", "UTC", "2026-01-01T00:00:00Z",
        l({"2026-01-01T09:01:00Z", "2026-01-01T09:11:00Z", "2026-01-01T09:21:00Z", "2026-01-02T09:01:00Z"}));
    row("start with step", "5/20 * * * *", "UTC", "2026-01-01T00:00:00Z",
        l({"2026-01-01T00:05:00Z", "2026-01-01T00:25:00Z", "2026-01-01T00:45:00Z", "2026-01-01T01:05:00Z"}));
    row("list of hours and minutes", "0,30 8,17 * * *", "UTC", "2026-01-01T08:15:00Z",
        l({"2026-01-01T08:30:00Z", "2026-01-01T17:00:00Z", "2026-01-01T17:30:00Z", "2026-01-02T08:00:00Z"}));
    row("month and day names", "0 12 * JAN,jul MON-fri", "UTC", "2026-01-30T13:00:00Z",
        l({"2026-07-01T12:00:00Z", "2026-07-02T12:00:00Z", "2026-07-03T12:00:00Z", "2026-07-06T12:00:00Z"}));
    row("month range by name", "0 0 1 jan-mar *", "UTC", "2026-01-01T00:00:00Z",
        l({"2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "2027-01-01T00:00:00Z"}));
    row("day of week 7 is Sunday", "0 9 * * 7", "UTC", "2026-01-01T00:00:00Z",
        l({"2026-01-04T09:00:00Z", "2026-01-11T09:00:00Z"}));
    row("FRI-SUN runs to Sunday", "0 9 * * FRI-SUN", "UTC", "2026-01-01T00:00:00Z",
        l({"2026-01-02T09:00:00Z", "2026-01-03T09:00:00Z", "2026-01-04T09:00:00Z", "2026-01-09T09:00:00Z"}));
    row("Vixie OR: the 10th or Mondays", "0 0 10 * MON", "UTC", "2026-02-01T00:00:00Z",
        l({"2026-02-02T00:00:00Z", "2026-02-09T00:00:00Z", "2026-02-10T00:00:00Z", "2026-02-16T00:00:00Z"}));
    row("Vixie: */2 counts as *, so AND", "0 0 */2 * MON", "UTC", "2026-02-01T00:00:00Z",
        l({"2026-02-09T00:00:00Z", "2026-02-23T00:00:00Z", "2026-03-09T00:00:00Z", "2026-03-23T00:00:00Z"}));
    row("day 31 skips short months", "0 0 31 * *", "UTC", "2026-01-31T00:00:00Z",
        l({"2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z"}));
    row("Feb 29", "0 0 29 2 *", "UTC", "2026-01-01T00:00:00Z",
        l({"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z"}));
    row("Feb 29 across 2100", "0 0 29 2 *", "UTC", "2097-01-01T00:00:00Z", l({"2104-02-29T00:00:00Z"}));
    row("year end", "59 23 31 12 *", "UTC", "2026-06-01T00:00:00Z",
        l({"2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z"}));
    // --- macros ---
    row("@hourly", "@hourly", "UTC", "2026-01-01T00:30:00Z",
        l({"2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z"}));
    row("@daily", "@daily", "UTC", "2026-01-01T00:00:00Z",
        l({"2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"}));
    row("@midnight", "@midnight", "UTC", "2026-01-01T12:00:00Z", l({"2026-01-02T00:00:00Z"}));
    row("@weekly", "@weekly", "UTC", "2026-01-01T00:00:00Z",
        l({"2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"}));
    row("@monthly", "@monthly", "UTC", "2026-01-15T00:00:00Z",
        l({"2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"}));
    row("@yearly", "@yearly", "UTC", "2026-01-01T00:00:00Z",
        l({"2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"}));
    row("@annually", "@ANNUALLY", "UTC", "2026-03-01T00:00:00Z", l({"2027-01-01T00:00:00Z"}));
    // --- six fields, seconds first ---
    row("every 20 seconds", "*/20 * * * * *", "UTC", "2026-01-01T00:00:00Z",
        l({"2026-01-01T00:00:20Z", "2026-01-01T00:00:40Z", "2026-01-01T00:01:00Z"}));
    row("seconds at a fixed time", "30 0 12 * * *", "UTC", "2026-01-01T12:00:30Z",
        l({"2026-01-02T12:00:30Z"}));
    // --- a zone without DST changes in the range: wall time, not UTC ---
    row("Denver winter", "0 3 * * *", "America/Denver", "2026-01-01T00:00:00Z",
        l({"2026-01-01T03:00:00-07:00", "2026-01-02T03:00:00-07:00"}));
    // --- America/Denver, 2026-03-08: 02:00 MST becomes 03:00 MDT ---
    row("Denver gap, fixed time fires once after the gap", "30 2 * * *", "America/Denver",
        "2026-03-07T00:00:00-07:00",
        l({"2026-03-07T02:30:00-07:00", "2026-03-08T03:00:00-06:00", "2026-03-09T02:30:00-06:00"}));
    row("Denver gap, two fixed times in the gap fire once", "0,30 2 * * *", "America/Denver",
        "2026-03-08T00:00:00-07:00", l({"2026-03-08T03:00:00-06:00", "2026-03-09T02:00:00-06:00"}));
    row("Denver gap, start right before it", "30 2 * * *", "America/Denver", "2026-03-08T01:59:59-07:00",
        l({"2026-03-08T03:00:00-06:00"}));
    row("Denver gap, wildcard skips it", "*/30 * * * *", "America/Denver", "2026-03-08T01:00:00-07:00",
        l({"2026-03-08T01:30:00-07:00", "2026-03-08T03:00:00-06:00", "2026-03-08T03:30:00-06:00"}));
    row("Denver gap, hourly wildcard", "15 * * * *", "America/Denver", "2026-03-08T01:00:00-07:00",
        l({"2026-03-08T01:15:00-07:00", "2026-03-08T03:15:00-06:00"}));
    row("Denver gap, 3:00 itself", "0 3 * * *", "America/Denver", "2026-03-08T00:00:00-07:00",
        l({"2026-03-08T03:00:00-06:00", "2026-03-09T03:00:00-06:00"}));
    // --- America/Denver, 2026-11-01: 02:00 MDT becomes 01:00 MST, 01:00-01:59 twice ---
    row("Denver repeat, fixed time fires once", "30 1 * * *", "America/Denver", "2026-10-31T12:00:00-06:00",
        l({"2026-11-01T01:30:00-06:00", "2026-11-02T01:30:00-07:00"}));
    row("Denver repeat, start in the second pass", "30 1 * * *", "America/Denver",
        "2026-11-01T01:10:00-07:00", l({"2026-11-02T01:30:00-07:00"}));
    row("Denver repeat, wildcard fires on each real half hour", "*/30 * * * *", "America/Denver",
        "2026-11-01T00:45:00-06:00",
        l({"2026-11-01T01:00:00-06:00", "2026-11-01T01:30:00-06:00", "2026-11-01T01:00:00-07:00",
           "2026-11-01T01:30:00-07:00", "2026-11-01T02:00:00-07:00"}));
    row("Denver repeat, hourly", "0 * * * *", "America/Denver", "2026-11-01T00:30:00-06:00",
        l({"2026-11-01T01:00:00-06:00", "2026-11-01T01:00:00-07:00", "2026-11-01T02:00:00-07:00"}));
    // --- Europe/Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST ---
    row("Berlin gap, fixed time", "30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00+01:00",
        l({"2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"}));
    row("Berlin gap, range of hours fires once at 3:00", "0 1-3 * * *", "Europe/Berlin",
        "2026-03-29T00:00:00+01:00",
        l({"2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-30T01:00:00+02:00"}));
    row("Berlin gap, every 20 minutes", "*/20 * * * *", "Europe/Berlin", "2026-03-29T01:30:00+01:00",
        l({"2026-03-29T01:40:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T03:20:00+02:00"}));
    // --- Europe/Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET, 02:00-02:59 twice ---
    row("Berlin repeat, fixed time", "30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00+02:00",
        l({"2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"}));
    row("Berlin repeat, fixed list", "0,30 2 * * *", "Europe/Berlin", "2026-10-25T00:00:00+02:00",
        l({"2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-26T02:00:00+01:00"}));
    row("Berlin repeat, minute wildcard in a fixed hour", "*/20 2 * * *", "Europe/Berlin",
        "2026-10-25T01:50:00+02:00",
        l({"2026-10-25T02:00:00+02:00", "2026-10-25T02:20:00+02:00", "2026-10-25T02:40:00+02:00",
           "2026-10-25T02:00:00+01:00", "2026-10-25T02:20:00+01:00", "2026-10-25T02:40:00+01:00",
           "2026-10-26T02:00:00+01:00"}));
    row("Berlin repeat, seconds", "0 30 2 * * *", "Europe/Berlin", "2026-10-25T02:30:00+02:00",
        l({"2026-10-26T02:30:00+01:00"}));
}

void TestCron::next() {
    QFETCH(QString, expression);
    QFETCH(QString, zone);
    QFETCH(QString, start);
    QFETCH(QStringList, expected);
    const CronExpression cron = parsed(expression);
    const QTimeZone tz(zone.toUtf8());
    QVERIFY(tz.isValid());
    QStringList fires;
    QDateTime at = instant(start);
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const auto fire = cron.next(at, tz);
        if (!fire)
            break;
        QCOMPARE(fire->timeSpec(), Qt::UTC);
        fires.append(fire->toString(Qt::ISODate));
        at = *fire;
    }
    QCOMPARE(fires, utcList(expected));
}

void TestCron::previous_data() {
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("before");
    QTest::addColumn<QStringList>("expected");
    const auto l = [](std::initializer_list<const char*> items) {
        QStringList list;
        for (const char* item : items)
            list.append(QString::fromLatin1(item));
        return list;
    };
    QTest::newRow("every 15 minutes")
        << QStringLiteral("*/15 * * * *") << QStringLiteral("UTC") << QStringLiteral("2026-01-01T00:07:00Z")
        << l({"2026-01-01T00:00:00Z", "2025-12-31T23:45:00Z", "2025-12-31T23:30:00Z"});
    QTest::newRow("before is exclusive, milliseconds count")
        << QStringLiteral("0 * * * *") << QStringLiteral("UTC") << QStringLiteral("2026-01-01T01:00:00.001Z")
        << l({"2026-01-01T01:00:00Z", "2026-01-01T00:00:00Z"});
    QTest::newRow("Feb 29 back") << QStringLiteral("0 0 29 2 *") << QStringLiteral("UTC")
                                 << QStringLiteral("2026-01-01T00:00:00Z")
                                 << l({"2024-02-29T00:00:00Z", "2020-02-29T00:00:00Z"});
    QTest::newRow("Vixie OR back") << QStringLiteral("0 0 10 * MON") << QStringLiteral("UTC")
                                   << QStringLiteral("2026-02-17T00:00:00Z")
                                   << l({"2026-02-16T00:00:00Z", "2026-02-10T00:00:00Z",
                                         "2026-02-09T00:00:00Z"});
    QTest::newRow("Denver gap back") << QStringLiteral("30 2 * * *") << QStringLiteral("America/Denver")
                                     << QStringLiteral("2026-03-09T00:00:00-06:00")
                                     << l({"2026-03-08T03:00:00-06:00", "2026-03-07T02:30:00-07:00"});
    QTest::newRow("Denver repeat back, wildcard")
        << QStringLiteral("0 * * * *") << QStringLiteral("America/Denver")
        << QStringLiteral("2026-11-01T02:30:00-07:00")
        << l({"2026-11-01T02:00:00-07:00", "2026-11-01T01:00:00-07:00", "2026-11-01T01:00:00-06:00",
              "2026-11-01T00:00:00-06:00"});
    QTest::newRow("Berlin repeat back, fixed time")
        << QStringLiteral("30 2 * * *") << QStringLiteral("Europe/Berlin")
        << QStringLiteral("2026-10-26T00:00:00+01:00")
        << l({"2026-10-25T02:30:00+02:00", "2026-10-24T02:30:00+02:00"});
    QTest::newRow("Berlin gap back") << QStringLiteral("0 1-3 * * *") << QStringLiteral("Europe/Berlin")
                                     << QStringLiteral("2026-03-29T12:00:00+02:00")
                                     << l({"2026-03-29T03:00:00+02:00", "2026-03-29T01:00:00+01:00",
                                           "2026-03-28T03:00:00+01:00"});
}

void TestCron::previous() {
    QFETCH(QString, expression);
    QFETCH(QString, zone);
    QFETCH(QString, before);
    QFETCH(QStringList, expected);
    const CronExpression cron = parsed(expression);
    const QTimeZone tz(zone.toUtf8());
    QStringList fires;
    QDateTime at = instant(before);
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const auto fire = cron.previous(at, tz);
        if (!fire)
            break;
        fires.append(fire->toString(Qt::ISODate));
        at = *fire;
    }
    QCOMPARE(fires, utcList(expected));
}

// An expression that can never fire gives up after the bounded search instead of looping.
void TestCron::neverFires() {
    for (const char* text : {"0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 31 2 *"}) {
        const CronExpression cron = parsed(QString::fromLatin1(text));
        for (const char* zone : {"UTC", "Europe/Berlin"}) {
            QVERIFY2(!cron.next(instant(QStringLiteral("2026-01-01T00:00:00Z")), QTimeZone(zone)), text);
            QVERIFY2(!cron.previous(instant(QStringLiteral("2026-01-01T00:00:00Z")), QTimeZone(zone)), text);
        }
    }
}

// Walking forward over two years of fires (both DST changes each year) and back again gives
// the same instants, strictly increasing, each on a matching wall time or (fixed-time jobs) at
// the end of a gap that skipped one.
void TestCron::previousUndoesNext_data() {
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("zone");
    const QStringList expressions{QStringLiteral("30 2 * * *"),     QStringLiteral("0 */3 * * *"),
                                  QStringLiteral("0,30 1,2 * * *"), QStringLiteral("15 2 * * SUN"),
                                  QStringLiteral("0 0 10 * MON"),   QStringLiteral("0 2 29 2 *")};
    for (const char* zone : {"America/Denver", "Europe/Berlin", "Australia/Lord_Howe", "UTC"})
        for (const QString& e : expressions)
            QTest::newRow(qPrintable(QStringLiteral("%1 in %2").arg(e, QLatin1String(zone))))
                << e << QString::fromLatin1(zone);
}

void TestCron::previousUndoesNext() {
    QFETCH(QString, expression);
    QFETCH(QString, zone);
    const CronExpression cron = parsed(expression);
    const QTimeZone tz(zone.toUtf8());
    const QDateTime end = instant(QStringLiteral("2028-06-01T00:00:00Z"));
    QList<QDateTime> fires;
    QDateTime at = instant(QStringLiteral("2026-01-01T00:00:00Z"));
    while (true) {
        const auto fire = cron.next(at, tz);
        QVERIFY(fire);
        if (*fire > end)
            break;
        QVERIFY(*fire > at);
        const QDateTime local = fire->toTimeZone(tz);
        const qint64 wall = local.toSecsSinceEpoch() + local.offsetFromUtc();
        const bool atGapEnd =
            !cron.isWildcard() && tz.offsetFromUtc(fire->addSecs(-1)) < tz.offsetFromUtc(*fire);
        QVERIFY2(cron.matchesWall(wall) || atGapEnd, qPrintable(fire->toString(Qt::ISODate)));
        fires.append(*fire);
        at = *fire;
    }
    QVERIFY(!fires.isEmpty());
    for (qsizetype i = fires.size() - 1; i > 0; --i) {
        const auto back = cron.previous(fires.at(i), tz);
        QVERIFY(back);
        QCOMPARE(back->toString(Qt::ISODate), fires.at(i - 1).toString(Qt::ISODate));
    }
}

void TestCron::invalid_data() {
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("message");
    const auto row = [](const char* expression, const char* problem) {
        const QString text = QString::fromLatin1(expression);
        QTest::newRow(expression) << text << QStringLiteral("\"%1\": %2").arg(text, QLatin1String(problem));
    };
    row("*/0 * * * *", "step must be at least 1");
    row("61 * * * *", "minute 61 is out of range 0-59");
    row("60 * * * * *", "second 60 is out of range 0-59");
    row("* 24 * * *", "hour 24 is out of range 0-23");
    row("* * 0 * *", "day-of-month 0 is out of range 1-31");
    row("* * 32 * *", "day-of-month 32 is out of range 1-31");
    row("* * * 13 *", "month 13 is out of range 1-12");
    row("* * * * 8", "day-of-week 8 is out of range 0-7");
    row("99999999999 * * * *", "minute 99999999999 is out of range 0-59");
    row("* * * FOO *", "month \"FOO\" is not a number or a month name (JAN-DEC)");
    row("* * * * FUN", "day-of-week \"FUN\" is not a number or a day name (SUN-SAT)");
    row("* * * * SUNDAY", "day-of-week \"SUNDAY\" is not a number or a day name (SUN-SAT)");
    row("x * * * *", "minute \"x\" is not a number");
    row("* * *", "expected 5 or 6 space-separated fields, got 3");
    row("* * * * * * *", "expected 5 or 6 space-separated fields, got 7");
    row("", "expected 5 or 6 space-separated fields, got 0");
    row("1,,2 * * * *", "minute has an empty list item");
    row("* 1, * * *", "hour has an empty list item");
    row("30-10 * * * *", "minute range 30-10 is reversed (ranges do not wrap around)");
    row("* * * * SAT-MON", "day-of-week range SAT-MON is reversed (ranges do not wrap around)");
    row("*/x * * * *", "minute step \"x\" is not a number");
    row("*/ * * * *", "minute step \"\" is not a number");
    row("*/60 * * * *", "minute step 60 is larger than the field's range 0-59");
    row("1/2/3 * * * *", "minute item \"1/2/3\" has more than one step");
    row("/5 * * * *", "minute item \"/5\" has no value before the step");
    row("1- * * * *", "minute range \"1-\" is incomplete");
    row("* * * * -MON", "day-of-week range \"-MON\" is incomplete");
    row("1-2-3 * * * *", "minute \"2-3\" is not a number");
    row("? * * * *", "minute \"?\" is not a number");
    row("@reboot", "unknown macro @reboot (expected @yearly, @annually, @monthly, @weekly, @daily, @midnight "
                   "or @hourly)");
}

void TestCron::invalid() {
    QFETCH(QString, expression);
    QFETCH(QString, message);
    const auto cron = CronExpression::parse(expression);
    QVERIFY(!cron);
    QCOMPARE(cron.errorMessage(), message);
}

void TestCron::whitespaceAndCase() {
    const auto cron = CronExpression::parse(QStringLiteral("  0\t12  *   jan-MAR   mon-Fri "));
    QVERIFY2(cron, qPrintable(cron ? QString() : cron.errorMessage()));
    QCOMPARE(cron->text(), QStringLiteral("  0\t12  *   jan-MAR   mon-Fri "));
    QVERIFY(!cron->hasSeconds());
    QVERIFY(!cron->isWildcard());
    QVERIFY(parsed(QStringLiteral("*/5 3 * * *")).isWildcard());
    QVERIFY(parsed(QStringLiteral("5 * * * *")).isWildcard());
    QVERIFY(parsed(QStringLiteral("0 0 * * * *")).hasSeconds());
    const auto fire = cron->next(instant(QStringLiteral("2026-01-01T00:00:00Z")), QTimeZone::utc());
    QVERIFY(fire);
    QCOMPARE(fire->toString(Qt::ISODate), QStringLiteral("2026-01-01T12:00:00Z"));
}

void TestCron::overlaps() {
    const QTimeZone utc = QTimeZone::utc();
    const QList<ScheduleEntry> entries{
        {QStringLiteral("sync"), 0, parsed(QStringLiteral("*/15 * * * *")), utc},
        {QStringLiteral("sync"), 1, parsed(QStringLiteral("0 * * * *")), utc},
        {QStringLiteral("purge"), 0, parsed(QStringLiteral("30 0 3 * * *")), utc},
        {QStringLiteral("reconcile"), 0, parsed(QStringLiteral("0 4 * * *")), utc},
        {QStringLiteral("reconcile"), 1, parsed(QStringLiteral("0 0 30 2 *")), utc},
    };
    // At 02:50 the next fires are sync[0] 03:00, sync[1] 03:00, purge[0] 03:00:30, reconcile[0] 04:00.
    const QList<ScheduleFire> fires = nextFires(entries, instant(QStringLiteral("2026-01-01T02:50:00Z")));
    QCOMPARE(fires.size(), 5);
    QCOMPARE(fires.at(0).next->toString(Qt::ISODate), QStringLiteral("2026-01-01T03:00:00Z"));
    QCOMPARE(fires.at(2).next->toString(Qt::ISODate), QStringLiteral("2026-01-01T03:00:30Z"));
    QCOMPARE(fires.at(0).overlaps, (QList<int>{1, 2})); // same instant as sync[1]; purge within the minute
    QCOMPARE(fires.at(1).overlaps, (QList<int>{0, 2}));
    QCOMPARE(fires.at(2).overlaps, (QList<int>{0, 1}));
    QVERIFY(fires.at(3).overlaps.isEmpty());
    QVERIFY(!fires.at(4).next);
    QVERIFY(fires.at(4).overlaps.isEmpty());
    // Two expressions of one process within the same minute but not the same instant do not overlap.
    const QList<ScheduleFire> sameProcess =
        nextFires({{QStringLiteral("sync"), 0, parsed(QStringLiteral("0 0 3 * * *")), utc},
                   {QStringLiteral("sync"), 1, parsed(QStringLiteral("30 0 3 * * *")), utc}},
                  instant(QStringLiteral("2026-01-01T02:50:00Z")));
    QVERIFY(sameProcess.at(0).overlaps.isEmpty());
    QVERIFY(sameProcess.at(1).overlaps.isEmpty());
    QCOMPARE(entries.at(4).label(), QStringLiteral("reconcile[1]"));
}

QTEST_GUILESS_MAIN(TestCron)
#include "tst_cron.moc"
