// The week of fires the Schedule page shows (schedule/WeekFires, runner/ConfiguredSchedules):
// overlaps between sources, the next-24-hours order, and the hours of DST weeks.
#include "runner/ConfiguredSchedules.h"
#include "schedule/WeekFires.h"

#include <QTest>

using namespace ors;

namespace {

QDateTime instant(const char* text) {
    return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate);
}

ScheduleEntry entry(const char* process, const char* cron, const QTimeZone& zone, int index = 0) {
    auto parsed = CronExpression::parse(QString::fromLatin1(cron));
    Q_ASSERT(parsed);
    return ScheduleEntry{QString::fromLatin1(process), index, *parsed, zone};
}

int firesOn(const WeekSchedule& week, int day) {
    int count = 0;
    for (int hour = 0; hour < 24; ++hour)
        count += int(week.cell(day, hour).fires.size());
    return count;
}

} // namespace

class TestWeekFires : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void collidingSyncsOfTwoSourcesOverlap();
    void nextDayOrder();
    void springForwardInDenver();
    void fallBackInDenver();
    void utcScheduleShownInDenverMovesWithDst();
    void everySecondIsCutOff();
    void configuredZones();
};

void TestWeekFires::collidingSyncsOfTwoSourcesOverlap() {
    const QTimeZone utc = QTimeZone::utc();
    const QList<SourceSchedules> sources{
        {QStringLiteral("crmls"), {entry("sync", "*/15 * * * *", utc)}},
        {QStringLiteral("armls"), {entry("sync", "0 * * * *", utc), entry("purge", "10 3 * * *", utc)}},
        {QStringLiteral("nwmls"), {entry("sync", "7 * * * *", utc)}},
    };
    const WeekSchedule week = weekSchedule(sources, instant("2026-01-05T00:00:00Z"), utc);
    QCOMPARE(week.firstDay, QDate(2026, 1, 5));
    // Every hour: crmls at :00 :15 :30 :45, armls at :00, nwmls at :07; the :00 pair overlaps.
    const HourCell& cell = week.cell(2, 14);
    QCOMPARE(cell.fires.size(), 6);
    QVERIFY(cell.overlap);
    QCOMPARE(cell.labels(week.fires), (QStringList{QStringLiteral("crmls sync"), QStringLiteral("armls sync"),
                                                   QStringLiteral("nwmls sync")}));
    const PlannedFire& first = week.fires.at(cell.fires.at(0));
    QCOMPARE(first.at, instant("2026-01-07T14:00:00Z"));
    QCOMPARE(week.overlapLabels(cell.fires.at(0)), QStringList{QStringLiteral("armls sync")});
    QCOMPARE(week.overlapLabels(cell.fires.at(1)), QStringList{QStringLiteral("crmls sync")});
    for (qsizetype i = 2; i < cell.fires.size(); ++i)
        QVERIFY2(week.fires.at(cell.fires.at(i)).overlaps.isEmpty(),
                 qPrintable(week.fires.at(cell.fires.at(i)).label()));
    // armls purge at 03:10 starts alone: a different minute from every sync.
    QCOMPARE(week.cell(0, 3).fires.size(), 7);
    // Without armls nothing overlaps anywhere.
    const WeekSchedule apart =
        weekSchedule({sources.at(0), sources.at(2)}, instant("2026-01-05T00:00:00Z"), utc);
    for (int day = 0; day < 7; ++day)
        for (int hour = 0; hour < 24; ++hour)
            QVERIFY(!apart.cell(day, hour).overlap);
    QCOMPARE(apart.fires.size(), 7 * 24 * 5);
}

void TestWeekFires::nextDayOrder() {
    const QTimeZone utc = QTimeZone::utc();
    const QList<SourceSchedules> sources{
        {QStringLiteral("a"), {entry("sync", "0 12 * * *", utc), entry("reconcile", "20 10 * * *", utc)}},
        {QStringLiteral("b"), {entry("sync", "30 11 * * *", utc)}},
        {QStringLiteral("c"), {entry("purge", "0 3 * * *", utc)}},
    };
    const WeekSchedule week = weekSchedule(sources, instant("2026-01-05T10:20:00Z"), utc);
    QStringList order;
    for (const int fire : week.next24Hours)
        order.append(week.fires.at(fire).label() + QLatin1Char(' ') +
                     week.fires.at(fire).at.toString(QStringLiteral("dd HH:mm")));
    // a's reconcile at 10:20 is now: included; tomorrow's 10:20 is 24 hours on: not.
    QCOMPARE(order, (QStringList{QStringLiteral("a reconcile 05 10:20"), QStringLiteral("b sync 05 11:30"),
                                 QStringLiteral("a sync 05 12:00"), QStringLiteral("c purge 06 03:00")}));
}

void TestWeekFires::springForwardInDenver() {
    const QTimeZone denver("America/Denver");
    QVERIFY(denver.isValid());
    const QList<SourceSchedules> sources{
        {QStringLiteral("crmls"), {entry("sync", "30 2 * * *", denver), entry("purge", "0 * * * *", denver)}},
    };
    // Thursday 5 March 2026; clocks go from 02:00 to 03:00 on Sunday 8 March (row 3).
    const WeekSchedule week = weekSchedule(sources, instant("2026-03-05T19:00:00Z"), denver);
    QCOMPARE(week.firstDay, QDate(2026, 3, 5));
    QCOMPARE(week.cell(3, 2).occurrences, 0);
    QVERIFY(week.cell(3, 2).fires.isEmpty());
    QCOMPARE(week.cell(3, 3).occurrences, 1);
    // The 02:30 sync fires at the gap's end, 03:00, beside the hourly purge.
    // Same instant: the configuration's order, sync before purge.
    QCOMPARE(week.cell(3, 3).labels(week.fires),
             (QStringList{QStringLiteral("crmls sync"), QStringLiteral("crmls purge")}));
    QVERIFY(week.cell(3, 3).overlap); // sync and purge of one source start in the same minute
    QCOMPARE(week.fires.at(week.cell(3, 3).fires.at(0)).at, instant("2026-03-08T09:00:00Z"));
    QCOMPARE(firesOn(week, 3), 23 + 1);
    for (const int day : {0, 1, 2, 4, 5, 6}) {
        QCOMPARE(week.cell(day, 2).occurrences, 1);
        QCOMPARE(week.cell(day, 2).labels(week.fires),
                 (QStringList{QStringLiteral("crmls purge"), QStringLiteral("crmls sync")}));
        QCOMPARE(firesOn(week, day), 24 + 1);
    }
}

void TestWeekFires::fallBackInDenver() {
    const QTimeZone denver("America/Denver");
    const QList<SourceSchedules> sources{
        {QStringLiteral("crmls"), {entry("sync", "0 * * * *", denver), entry("purge", "30 1 * * *", denver)}},
    };
    // Thursday 29 October 2026; 02:00 MDT becomes 01:00 MST on Sunday 1 November (row 3).
    const WeekSchedule week = weekSchedule(sources, instant("2026-10-29T18:00:00Z"), denver);
    QCOMPARE(week.cell(3, 1).occurrences, 2);
    // The wildcard sync runs in both 01:00 hours, the fixed 01:30 purge once.
    QCOMPARE(week.cell(3, 1).fires.size(), 3);
    QCOMPARE(firesOn(week, 3), 25 + 1);
    QCOMPARE(week.cell(2, 1).occurrences, 1);
    QCOMPARE(firesOn(week, 2), 24 + 1);
}

void TestWeekFires::utcScheduleShownInDenverMovesWithDst() {
    const QList<SourceSchedules> sources{
        {QStringLiteral("crmls"), {entry("sync", "0 12 * * *", QTimeZone::utc())}}};
    const WeekSchedule week =
        weekSchedule(sources, instant("2026-03-05T19:00:00Z"), QTimeZone("America/Denver"));
    for (const int day : {0, 1, 2})
        QCOMPARE(week.cell(day, 5).fires.size(), 1); // 12:00 UTC is 05:00 MST
    for (const int day : {3, 4, 5, 6})
        QCOMPARE(week.cell(day, 6).fires.size(), 1); // and 06:00 MDT
}

void TestWeekFires::everySecondIsCutOff() {
    const QList<SourceSchedules> sources{
        {QStringLiteral("x"), {entry("sync", "* * * * * *", QTimeZone::utc())}}};
    const WeekSchedule week = weekSchedule(sources, instant("2026-01-05T00:00:00Z"), QTimeZone::utc());
    QCOMPARE(week.fires.size(), WeekSchedule::kMaxFiresPerEntry);
    QCOMPARE(week.truncated, QStringList{QStringLiteral("x sync[0] (* * * * * *)")});
}

void TestWeekFires::configuredZones() {
    Config config;
    config.timeZone = QStringLiteral("America/Denver");
    SourceConfig a;
    a.name = QStringLiteral("a");
    a.schedules.sync = {QStringLiteral("0 6 * * *"), QStringLiteral("0 18 * * *")};
    a.schedules.purge = {QStringLiteral("0 3 * * SUN")};
    SourceConfig b;
    b.name = QStringLiteral("b");
    b.schedules.reconcile = {QStringLiteral("0 4 * * *")};
    b.schedules.timeZone = QStringLiteral("Europe/Berlin");
    SourceConfig c;
    c.name = QStringLiteral("c");
    config.sources = {a, b, c};
    const QList<SourceSchedules> schedules = configuredSchedules(config);
    QCOMPARE(schedules.size(), 3);
    QCOMPARE(schedules.at(0).entries.size(), 3);
    QCOMPARE(schedules.at(0).entries.at(1).label(), QStringLiteral("sync[1]"));
    QCOMPARE(schedules.at(0).entries.at(2).process, QStringLiteral("purge"));
    QCOMPARE(schedules.at(0).entries.at(0).zone.id(), QByteArray("America/Denver"));
    QCOMPARE(schedules.at(1).entries.at(0).zone.id(), QByteArray("Europe/Berlin"));
    QVERIFY(schedules.at(2).entries.isEmpty());
}

QTEST_GUILESS_MAIN(TestWeekFires)
#include "tst_weekfires.moc"
