// `openresync-cli schedule [SOURCE] [--at T] [--json]` and the cron checks of `validate`, through
// the real executable: next fires in each source's zone (across Denver's 2026 spring-forward
// gap), overlaps, a never-firing expression, unknown sources and malformed arguments.
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace ors;
using namespace ors::test;

class TestScheduleCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void text();
    void json();
    void oneSourceAndArgumentErrors();
    void validateNamesTheExpression();

private:
    QStringList args(const QStringList& command) const;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_config;
};

namespace {

QJsonObject withSchedules(QJsonObject source, const char* schedules) {
    source.insert(QStringLiteral("schedules"), QJsonDocument::fromJson(QByteArray(schedules)).object());
    return source;
}

} // namespace

void TestScheduleCli::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const QString url = QStringLiteral("http://127.0.0.1:9/odata");
    const QJsonObject denver = withSchedules(
        sourceConfig(QStringLiteral("denver"), url, {m_dir->filePath(QStringLiteral("d.sqlite"))}),
        R"({"sync":["*/15 * * * *"],"purge":["30 2 * * *"],"reconcile":["0 4 * * SUN","0 0 30 2 *"]})");
    const QJsonObject berlin = withSchedules(
        sourceConfig(QStringLiteral("berlin"), url, {m_dir->filePath(QStringLiteral("b.sqlite"))}),
        R"({"sync":["0 3 * * *"],"timeZone":"Europe/Berlin","catchUp":true})");
    const QJsonObject idle =
        sourceConfig(QStringLiteral("idle"), url, {m_dir->filePath(QStringLiteral("i.sqlite"))});
    const QJsonObject root{{QStringLiteral("version"), 1},
                           {QStringLiteral("timeZone"), QStringLiteral("America/Denver")},
                           {QStringLiteral("sources"), QJsonArray{denver, berlin, idle}}};
    m_config = writeConfig(m_dir->path(), root);
}

QStringList TestScheduleCli::args(const QStringList& command) const {
    return QStringList{QStringLiteral("--config"), m_config, QStringLiteral("--data-dir"),
                       m_dir->filePath(QStringLiteral("data"))} +
           command;
}

// 01:59 MST on 2026-03-08, a minute before Denver's clocks jump to 03:00 MDT: the sync's 02:00
// and 02:15 do not exist (a wildcard job skips them), the purge's 02:30 fires at 03:00, so the two
// collide at 09:00Z.
void TestScheduleCli::text() {
    const CliResult result = runCli(
        args({QStringLiteral("schedule"), QStringLiteral("--at"), QStringLiteral("2026-03-08T08:59:00Z")}));
    QCOMPARE(result.exitCode, 0);
    const QByteArray expected =
        "denver (America/Denver)\n"
        "  sync[0]       */15 * * * *  next 2026-03-08 03:00:00 MDT = 2026-03-08T09:00:00Z  OVERLAPS "
        "purge[0]\n"
        "  purge[0]      30 2 * * *    next 2026-03-08 03:00:00 MDT = 2026-03-08T09:00:00Z  OVERLAPS "
        "sync[0]\n"
        "  reconcile[0]  0 4 * * SUN   next 2026-03-08 04:00:00 MDT = 2026-03-08T10:00:00Z\n"
        "  reconcile[1]  0 0 30 2 *    never fires (none within 8 years)\n"
        "berlin (Europe/Berlin, catch up)\n"
        "  sync[0]  0 3 * * *  next 2026-03-09 03:00:00 CET = 2026-03-09T02:00:00Z\n"
        "idle (America/Denver)\n"
        "  no schedules\n";
    QCOMPARE(result.out, expected);
    QVERIFY2(result.err.contains("warning: 2 schedule(s) overlap another of their source"),
             result.err.constData());
}

void TestScheduleCli::json() {
    const CliResult result =
        runCli(args({QStringLiteral("schedule"), QStringLiteral("--json"), QStringLiteral("--at"),
                     QStringLiteral("2026-03-08T01:59:00-07:00")}));
    QCOMPARE(result.exitCode, 0);
    QJsonParseError error;
    const QJsonObject doc = QJsonDocument::fromJson(result.out, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(doc.value(QStringLiteral("at")).toString(), QStringLiteral("2026-03-08T08:59:00Z"));
    const QJsonArray sources = doc.value(QStringLiteral("sources")).toArray();
    QCOMPARE(sources.size(), 3);

    const QJsonObject denver = sources.at(0).toObject();
    QCOMPARE(denver.value(QStringLiteral("source")).toString(), QStringLiteral("denver"));
    QCOMPARE(denver.value(QStringLiteral("timeZone")).toString(), QStringLiteral("America/Denver"));
    QCOMPARE(denver.value(QStringLiteral("catchUp")).toBool(true), false);
    const QJsonArray schedules = denver.value(QStringLiteral("schedules")).toArray();
    QCOMPARE(schedules.size(), 4);
    const QJsonObject purge = schedules.at(1).toObject();
    QCOMPARE(purge.value(QStringLiteral("process")).toString(), QStringLiteral("purge"));
    QCOMPARE(purge.value(QStringLiteral("index")).toInt(-1), 0);
    QCOMPARE(purge.value(QStringLiteral("expression")).toString(), QStringLiteral("30 2 * * *"));
    QCOMPARE(purge.value(QStringLiteral("nextLocal")).toString(),
             QStringLiteral("2026-03-08T03:00:00-06:00"));
    QCOMPARE(purge.value(QStringLiteral("nextUtc")).toString(), QStringLiteral("2026-03-08T09:00:00Z"));
    QCOMPARE(purge.value(QStringLiteral("overlaps")).toArray(), QJsonArray{QStringLiteral("sync[0]")});
    const QJsonObject second = schedules.at(3).toObject();
    QCOMPARE(second.value(QStringLiteral("process")).toString(), QStringLiteral("reconcile"));
    QCOMPARE(second.value(QStringLiteral("index")).toInt(-1), 1);
    QVERIFY(second.value(QStringLiteral("nextLocal")).isNull());
    QVERIFY(second.value(QStringLiteral("nextUtc")).isNull());
    QCOMPARE(second.value(QStringLiteral("overlaps")).toArray(), QJsonArray());

    const QJsonObject berlin = sources.at(1).toObject();
    QCOMPARE(berlin.value(QStringLiteral("timeZone")).toString(), QStringLiteral("Europe/Berlin"));
    QCOMPARE(berlin.value(QStringLiteral("catchUp")).toBool(false), true);
    const QJsonObject sync = berlin.value(QStringLiteral("schedules")).toArray().at(0).toObject();
    QCOMPARE(sync.value(QStringLiteral("nextLocal")).toString(), QStringLiteral("2026-03-09T03:00:00+01:00"));
    QCOMPARE(sources.at(2).toObject().value(QStringLiteral("schedules")).toArray(), QJsonArray());
}

void TestScheduleCli::oneSourceAndArgumentErrors() {
    const CliResult one = runCli(args({QStringLiteral("schedule"), QStringLiteral("berlin"),
                                       QStringLiteral("--at"), QStringLiteral("2026-03-08T08:59:00Z")}));
    QCOMPARE(one.exitCode, 0);
    QCOMPARE(one.out,
             QByteArray("berlin (Europe/Berlin, catch up)\n"
                        "  sync[0]  0 3 * * *  next 2026-03-09 03:00:00 CET = 2026-03-09T02:00:00Z\n"));
    QVERIFY(!one.err.contains("overlap"));

    const CliResult unknown = runCli(args({QStringLiteral("schedule"), QStringLiteral("nosuch")}));
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains("unknown source \"nosuch\""), unknown.err.constData());
    QVERIFY(unknown.out.isEmpty());

    const CliResult badAt =
        runCli(args({QStringLiteral("schedule"), QStringLiteral("--at"), QStringLiteral("soon")}));
    QCOMPARE(badAt.exitCode, 2);
    QVERIFY2(badAt.err.contains("schedule: --at \"soon\" is not an ISO-8601 instant"), badAt.err.constData());

    const CliResult extra =
        runCli(args({QStringLiteral("schedule"), QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(extra.exitCode, 2);
    QVERIFY2(extra.err.contains("schedule: wrong number of arguments"), extra.err.constData());
}

// validate exits 2 naming the key path and the expression; so does every other command at load.
void TestScheduleCli::validateNamesTheExpression() {
    QJsonObject source =
        withSchedules(sourceConfig(QStringLiteral("mls"), QStringLiteral("http://127.0.0.1:9/odata"),
                                   {m_dir->filePath(QStringLiteral("m.sqlite"))}),
                      R"({"sync":["0 * * * *","*/0 * * * *"],"timeZone":"America/Denvr"})");
    writeConfig(m_dir->path(), configWith(source));
    for (const char* command : {"validate", "schedule"}) {
        const CliResult result = runCli(args({QString::fromLatin1(command)}));
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(
            result.err.contains(R"(sources[0].schedules.sync[1]: "*/0 * * * *": step must be at least 1)"),
            result.err.constData());
        QVERIFY2(result.err.contains(R"(sources[0].schedules.timeZone: unknown time zone "America/Denvr")"),
                 result.err.constData());
        QVERIFY(result.out.isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestScheduleCli)
#include "tst_schedulecli.moc"
