// The alert conditions (alerts/AlertRules) driven with real JobResults against a real stats and
// state store: one alert per condition until it clears, then one "recovered"; the `alerts`
// configuration's checks; and the real openresync-cli telling a webhook that a sync failed and,
// after the next good sync, that it recovered.
#include "alerts/AlertRules.h"
#include "alerts/Notifier.h"
#include "AlertSinks.h"
#include "CliFixture.h"
#include "config/ConfigValidator.h"
#include "config/DataDir.h"
#include "stats/StatsStore.h"
#include "store/StateStore.h"
#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QtConcurrent/QtConcurrentRun>
#include <QTemporaryDir>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

template <typename E>
const char* why(const E& result) {
    static QByteArray text;
    text = result ? QByteArray() : result.errorMessage().toUtf8();
    return text.constData();
}

const QString kSource = QStringLiteral("mls");

// The source "mls" (generic, 100 requests an hour configured) and `alerts`, through the validator.
Config makeConfig(const QJsonObject& alerts) {
    QJsonObject source = sourceConfig(kSource, QStringLiteral("https://mls.example.com/odata"),
                                      {QStringLiteral("/tmp/unused.sqlite")});
    source.insert(QStringLiteral("rateLimit"), QJsonObject{{QStringLiteral("perHour"), 100}});
    QJsonObject root = configWith(source);
    root.insert(QStringLiteral("alerts"), alerts);
    ConfigValidator validator;
    auto config = validator.validate(root);
    if (!config)
        qWarning() << validator.errors();
    return config.value_or(Config());
}

JobResult result(const QString& process, ExitCode code, const QString& error = {}) {
    JobResult r;
    r.source = kSource;
    r.process = process;
    r.exitCode = code;
    r.error = error;
    return r;
}

// "condition/state" of each alert, in order.
QStringList names(const QList<Alert>& alerts) {
    QStringList out;
    for (const Alert& a : alerts)
        out.append(alertConditionName(a.condition) + QLatin1Char('/') + alertStateName(a.state));
    return out;
}

QJsonObject desktopOnly() {
    return QJsonObject{{QStringLiteral("channels"),
                        QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("desktop")}}}}};
}

} // namespace

class TestAlerts : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void failuresInARowAndRecovery();
    void concurrentRaisesSendOnce();
    void purgeRefused();
    void blockedStep();
    void syncAge();
    void quota();
    void notifierRunsTheCommandAndSignals();
    void invalidAlertsConfiguration_data();
    void invalidAlertsConfiguration();
    void cliValidateNamesTheKeyPath();
    void cliSyncFailureAndRecoveryReachTheWebhook();
};

void TestAlerts::failuresInARowAndRecovery() {
    QTemporaryDir dir;
    const Config config = makeConfig(desktopOnly());
    QCOMPARE(config.alerts.failuresInARow, 3);
    AlertRules rules(config, dir.path());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const JobResult failed = result(QStringLiteral("sync"), ExitCode::Failure, QStringLiteral("HTTP 500"));

    auto first = rules.afterJob(failed, now);
    QVERIFY2(first, why(first));
    QCOMPARE(names(*first), QStringList{QStringLiteral("run-failed/raised")});
    QCOMPARE(first->first().process, QStringLiteral("sync"));
    QVERIFY(first->first().message.contains(QStringLiteral("HTTP 500")));
    QVERIFY(first->first().text().contains(QStringLiteral("mls sync")));

    auto second = rules.afterJob(failed, now);
    QVERIFY2(second, why(second));
    QCOMPARE(names(*second), QStringList()); // no duplicate

    auto third = rules.afterJob(failed, now);
    QVERIFY2(third, why(third));
    QCOMPARE(names(*third), QStringList{QStringLiteral("failures-in-a-row/raised")});
    QVERIFY2(third->first().message.contains(QStringLiteral("3 times in a row")),
             qPrintable(third->first().message));

    // A failing purge of the same source is a condition of its own.
    auto purge = rules.afterJob(result(QStringLiteral("purge"), ExitCode::Failure, QStringLiteral("x")), now);
    QVERIFY2(purge, why(purge));
    QCOMPARE(names(*purge), QStringList{QStringLiteral("run-failed/raised")});

    // A fourth failure: both open, nothing new. A new rules object (as a later CLI run) agrees.
    AlertRules later(config, dir.path());
    auto fourth = later.afterJob(failed, now);
    QVERIFY2(fourth, why(fourth));
    QCOMPARE(names(*fourth), QStringList());

    auto ok = later.afterJob(result(QStringLiteral("sync"), ExitCode::Success), now);
    QVERIFY2(ok, why(ok));
    QCOMPARE(names(*ok), (QStringList{QStringLiteral("run-failed/recovered"),
                                      QStringLiteral("failures-in-a-row/recovered")}));
    for (const Alert& a : std::as_const(*ok))
        QCOMPARE(a.process, QStringLiteral("sync"));
    auto again = later.afterJob(result(QStringLiteral("sync"), ExitCode::Success), now);
    QVERIFY2(again, why(again));
    QCOMPARE(names(*again), QStringList()); // recovered once

    // The streak started over: one failure is one alert, not "in a row".
    auto next = later.afterJob(failed, now);
    QVERIFY2(next, why(next));
    QCOMPARE(names(*next), QStringList{QStringLiteral("run-failed/raised")});
}

void TestAlerts::concurrentRaisesSendOnce() {
    QTemporaryDir dir;
    const Config config = makeConfig(desktopOnly());
    {
        // Create the stats store first, so the two do not race to create its schema.
        StatsStore stats(DataLayout(dir.path()).statsDatabase());
        QVERIFY(stats.open());
    }
    const JobResult failed = result(QStringLiteral("reconcile"), ExitCode::Failure, QStringLiteral("boom"));
    auto decide = [&] {
        AlertRules rules(config, dir.path());
        auto alerts = rules.afterJob(failed, QDateTime::currentDateTimeUtc());
        return alerts ? names(*alerts) : QStringList{alerts.errorMessage()};
    };
    QFuture<QStringList> a = QtConcurrent::run(decide);
    QFuture<QStringList> b = QtConcurrent::run(decide);
    const QStringList all = a.result() + b.result();
    QCOMPARE(all.count(QStringLiteral("run-failed/raised")), 1);
    QCOMPARE(all.size(), 1);
}

void TestAlerts::purgeRefused() {
    QTemporaryDir dir;
    AlertRules rules(makeConfig(desktopOnly()), dir.path());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const JobResult refused =
        result(QStringLiteral("purge"), ExitCode::Refused, QStringLiteral("would delete 60% of Property"));
    auto first = rules.afterJob(refused, now);
    QVERIFY2(first, why(first));
    QCOMPARE(names(*first), QStringList{QStringLiteral("purge-refused/raised")});
    QVERIFY(first->first().message.contains(QStringLiteral("60%")));
    auto second = rules.afterJob(refused, now);
    QVERIFY2(second, why(second));
    QCOMPARE(names(*second), QStringList());
    // A refusal is not a failure: it does not count towards "in a row".
    auto third = rules.afterJob(refused, now);
    QVERIFY2(third, why(third));
    QCOMPARE(names(*third), QStringList());
    auto ok = rules.afterJob(result(QStringLiteral("purge"), ExitCode::Success), now);
    QVERIFY2(ok, why(ok));
    QCOMPARE(names(*ok), QStringList{QStringLiteral("purge-refused/recovered")});
}

void TestAlerts::blockedStep() {
    QTemporaryDir dir;
    AlertRules rules(makeConfig(desktopOnly()), dir.path());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    StateStore state(DataLayout(dir.path()).stateDatabase());
    QVERIFY(state.open());
    StepFailure failure;
    failure.source = kSource;
    failure.process = QStringLiteral("sync");
    failure.resource = QStringLiteral("Property");
    failure.destination = QStringLiteral("local0");
    failure.step = QStringLiteral("apply");
    failure.lastError = QStringLiteral("disk I/O error");
    const JobResult failed =
        result(QStringLiteral("sync"), ExitCode::Failure, QStringLiteral("apply failed"));
    for (int i = 1; i < kBlockAfter; ++i) {
        QVERIFY(state.recordFailure(failure));
        auto alerts = rules.afterJob(failed, now);
        QVERIFY2(alerts, why(alerts));
        QVERIFY2(!names(*alerts).contains(QStringLiteral("step-blocked/raised")),
                 qPrintable(names(*alerts).join(QLatin1Char(','))));
    }
    QVERIFY(state.recordFailure(failure));
    auto blocked = rules.check(now);
    QVERIFY2(blocked, why(blocked));
    QCOMPARE(names(*blocked), QStringList{QStringLiteral("step-blocked/raised")});
    QCOMPARE(blocked->first().subject, QStringLiteral("Property -> local0"));
    QVERIFY(blocked->first().message.contains(QStringLiteral("disk I/O error")));
    QVERIFY(blocked->first().message.contains(QStringLiteral("openresync-cli unblock mls sync")));
    auto still = rules.check(now);
    QVERIFY2(still, why(still));
    QCOMPARE(names(*still), QStringList());
    // `unblock` clears the failure: recovered, once.
    QVERIFY(state.clearFailures(kSource, QStringLiteral("sync"), QStringLiteral("Property"),
                                QStringLiteral("local0")));
    auto cleared = rules.check(now);
    QVERIFY2(cleared, why(cleared));
    QCOMPARE(names(*cleared), QStringList{QStringLiteral("step-blocked/recovered")});
    QCOMPARE(cleared->first().subject, QStringLiteral("Property -> local0"));
    auto after = rules.check(now);
    QVERIFY2(after, why(after));
    QCOMPARE(names(*after), QStringList());
}

void TestAlerts::syncAge() {
    QTemporaryDir dir;
    QJsonObject alerts = desktopOnly();
    alerts.insert(QStringLiteral("maxSyncAgeMinutes"), 60);
    AlertRules rules(makeConfig(alerts), dir.path());
    StatsStore stats(DataLayout(dir.path()).statsDatabase());
    QVERIFY(stats.open());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // No sync ever tried: nothing is late.
    auto none = rules.check(now.addSecs(10 * 3600));
    QVERIFY2(none, why(none));
    QCOMPARE(names(*none), QStringList());

    auto run = stats.startRun(kSource, QStringLiteral("sync"), QStringLiteral("b1"));
    QVERIFY(run);
    QVERIFY(stats.finishRun(*run, QStringLiteral("success"), {}));
    auto fresh = rules.check(now.addSecs(30 * 60));
    QVERIFY2(fresh, why(fresh));
    QCOMPARE(names(*fresh), QStringList());

    auto late = rules.check(now.addSecs(2 * 3600));
    QVERIFY2(late, why(late));
    QCOMPARE(names(*late), QStringList{QStringLiteral("sync-age/raised")});
    QVERIFY2(late->first().message.contains(QStringLiteral("alert after 60")),
             qPrintable(late->first().message));
    auto later = rules.check(now.addSecs(3 * 3600));
    QVERIFY2(later, why(later));
    QCOMPARE(names(*later), QStringList());
    // A failed sync does not make it fresh.
    auto failedRun = stats.startRun(kSource, QStringLiteral("sync"), QStringLiteral("b2"));
    QVERIFY(failedRun);
    QVERIFY(stats.finishRun(*failedRun, QStringLiteral("error"), QStringLiteral("x")));
    auto stillLate = rules.check(now.addSecs(4 * 3600));
    QVERIFY2(stillLate, why(stillLate));
    QCOMPARE(names(*stillLate), QStringList());

    // A successful sync (its run finishes now): the next check, as the job's own, recovers.
    auto good = stats.startRun(kSource, QStringLiteral("sync"), QStringLiteral("b3"));
    QVERIFY(good);
    QVERIFY(stats.finishRun(*good, QStringLiteral("success"), {}));
    auto back =
        rules.afterJob(result(QStringLiteral("sync"), ExitCode::Success), QDateTime::currentDateTimeUtc());
    QVERIFY2(back, why(back));
    QCOMPARE(names(*back), QStringList{QStringLiteral("sync-age/recovered")});
}

void TestAlerts::quota() {
    QTemporaryDir dir;
    AlertRules rules(makeConfig(desktopOnly()), dir.path());
    StatsStore stats(DataLayout(dir.path()).statsDatabase());
    QVERIFY(stats.open());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(stats.addUsage(kSource, now, 89, 1000, 0)); // 89 of 100 an hour: under 90%
    auto under = rules.check(now);
    QVERIFY2(under, why(under));
    QCOMPARE(names(*under), QStringList());
    QVERIFY(stats.addUsage(kSource, now, 2, 1000, 0)); // 91
    auto over = rules.check(now);
    QVERIFY2(over, why(over));
    QCOMPARE(names(*over), QStringList{QStringLiteral("quota/raised")});
    QCOMPARE(over->first().subject, QStringLiteral("requests per hour"));
    QVERIFY2(over->first().message.contains(QStringLiteral("91 of 100")), qPrintable(over->first().message));
    QVERIFY(over->first().process.isEmpty());
    auto same = rules.check(now);
    QVERIFY2(same, why(same));
    QCOMPARE(names(*same), QStringList());
    // The next clock hour starts with nothing used.
    auto nextHour = rules.check(now.addSecs(3600));
    QVERIFY2(nextHour, why(nextHour));
    QCOMPARE(names(*nextHour), QStringList{QStringLiteral("quota/recovered")});
}

void TestAlerts::notifierRunsTheCommandAndSignals() {
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("alerts.txt"));
    QFile script(dir.filePath(QStringLiteral("alert.sh")));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("#!/bin/sh\n{ echo \"$ALERT_CONDITION $ALERT_STATE $ALERT_SOURCE $ALERT_PROCESS $1\"; cat; "
                 "} >> \"$1\"\n");
    script.close();
    script.setPermissions(script.permissions() | QFileDevice::ExeOwner);
    const QJsonObject alerts{{QStringLiteral("channels"),
                              QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("desktop")}},
                                         QJsonObject{{QStringLiteral("type"), QStringLiteral("command")},
                                                     {QStringLiteral("name"), QStringLiteral("sms")},
                                                     {QStringLiteral("program"), script.fileName()},
                                                     {QStringLiteral("args"), QJsonArray{out}}}}}};
    Notifier notifier(makeConfig(alerts), dir.path());
    QVERIFY(notifier.enabled());
    QSignalSpy spy(&notifier, &Notifier::alertRaised);
    auto raised =
        notifier.jobFinished(result(QStringLiteral("sync"), ExitCode::Failure, QStringLiteral("HTTP 503")));
    QTRY_VERIFY_WITH_TIMEOUT(raised.isFinished(), 30000);
    QCOMPARE(names(raised.result()), QStringList{QStringLiteral("run-failed/raised")});
    QTRY_COMPARE(spy.count(), 1);
    QCOMPARE(spy.first().first().value<Alert>().condition, AlertCondition::RunFailed);

    QFile written(out);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = written.readAll().split('\n');
    QVERIFY(lines.size() >= 2);
    QCOMPARE(lines.at(0), QByteArray("run-failed raised mls sync ") + out.toUtf8());
    const QJsonObject json = QJsonDocument::fromJson(lines.at(1)).object();
    QCOMPARE(json.value(QStringLiteral("condition")).toString(), QStringLiteral("run-failed"));
    QCOMPARE(json.value(QStringLiteral("state")).toString(), QStringLiteral("raised"));
    QVERIFY(json.value(QStringLiteral("message")).toString().contains(QStringLiteral("HTTP 503")));
    QVERIFY(json.value(QStringLiteral("text"))
                .toString()
                .startsWith(QStringLiteral("[OpenReSync] ALERT mls sync")));
}

void TestAlerts::invalidAlertsConfiguration_data() {
    QTest::addColumn<QByteArray>("alerts");
    QTest::addColumn<QString>("error");
    QTest::addRow("not an object") << QByteArray("[]") << QStringLiteral("alerts: must be an object");
    QTest::addRow("unknown type") << QByteArray(R"({"channels": [{"type": "pager"}]})")
                                  << QStringLiteral(
                                         "alerts.channels[0].type: unknown channel type \"pager\"");
    QTest::addRow("webhook without url") << QByteArray(R"({"channels": [{"type": "webhook"}]})")
                                         << QStringLiteral("alerts.channels[0].url: missing required key");
    QTest::addRow("webhook url not http")
        << QByteArray(R"({"channels": [{"type": "webhook", "url": "ftp://x/T0/B0/secretpart"}]})")
        << QStringLiteral("alerts.channels[0].url: not an http(s) URL or a secret reference");
    QTest::addRow("email scheme")
        << QByteArray(
               R"({"channels": [{"type": "email", "server": "imap://mail.example.com", "from": "a@b", "to": ["c@d"]}]})")
        << QStringLiteral("alerts.channels[0].server: \"imap://mail.example.com\" is not "
                          "smtp://");
    QTest::addRow("email no to")
        << QByteArray(
               R"({"channels": [{"type": "email", "server": "smtp://mail.example.com", "from": "a@b"}]})")
        << QStringLiteral("alerts.channels[0].to: missing required key");
    QTest::addRow("email bad to")
        << QByteArray(
               R"({"channels": [{"type": "desktop"}, {"type": "email", "server": "smtp://m.example.com", "from": "a@b", "to": ["c@d", "nobody"]}]})")
        << QStringLiteral("alerts.channels[1].to[1]: \"nobody\" is not an e-mail address");
    QTest::addRow("username without password")
        << QByteArray(
               R"({"channels": [{"type": "email", "server": "smtp://m.example.com", "from": "a@b", "to": ["c@d"], "username": "u"}]})")
        << QStringLiteral("alerts.channels[0].password: required with \"username\"");
    QTest::addRow("missing ca file")
        << QByteArray(
               R"({"channels": [{"type": "email", "server": "smtps://m.example.com", "from": "a@b", "to": ["c@d"], "caFile": "/nonexistent/ca.pem"}]})")
        << QStringLiteral("alerts.channels[0].caFile: file \"/nonexistent/ca.pem\" does not exist");
    QTest::addRow("command without program")
        << QByteArray(R"({"channels": [{"type": "command", "args": ["x"]}]})")
        << QStringLiteral("alerts.channels[0].program: missing required key");
    QTest::addRow("threshold") << QByteArray(R"({"failuresInARow": 0, "channels": []})")
                               << QStringLiteral("alerts.failuresInARow: must be an integer from 1 to 1000");
    QTest::addRow("percent") << QByteArray(R"({"quotaPercent": 150, "channels": []})")
                             << QStringLiteral("alerts.quotaPercent: must be an integer from 1 to 100");
    QTest::addRow("duplicate names")
        << QByteArray(
               R"({"channels": [{"type": "command", "program": "a"}, {"type": "command", "program": "b"}]})")
        << QStringLiteral("alerts.channels[1].name: duplicate channel name \"command\"");
}

void TestAlerts::invalidAlertsConfiguration() {
    QFETCH(QByteArray, alerts);
    QFETCH(QString, error);
    QJsonObject root = configWith(sourceConfig(kSource, QStringLiteral("https://mls.example.com/odata"), {}));
    const QJsonDocument doc = QJsonDocument::fromJson("{\"a\": " + alerts + "}");
    root.insert(QStringLiteral("alerts"), doc.object().value(QStringLiteral("a")));
    ConfigValidator validator;
    QVERIFY(!validator.validate(root));
    const QString all = validator.errors().join(QLatin1Char('\n'));
    QVERIFY2(all.contains(error), qPrintable(all));
    // The part of a URL after the host may be a token: it never appears in a message.
    QVERIFY(!all.contains(QStringLiteral("secretpart")));
}

void TestAlerts::cliValidateNamesTheKeyPath() {
    QTemporaryDir dir;
    QJsonObject root = configWith(sourceConfig(kSource, QStringLiteral("https://mls.example.com/odata"),
                                               {dir.filePath(QStringLiteral("d.sqlite"))}));
    root.insert(QStringLiteral("alerts"),
                QJsonObject{{QStringLiteral("channels"),
                             QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("webhook")},
                                                    {QStringLiteral("url"), QStringLiteral("env:")}}}}});
    const QString config = writeConfig(dir.path(), root);
    const CliResult r =
        runCli(cliArgs(config, dir.filePath(QStringLiteral("data")), {QStringLiteral("validate")}));
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("alerts.channels[0].url:"), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1); // the one mistake only

    // A valid one passes, a plain-text secret or http:// only warns.
    root.insert(
        QStringLiteral("alerts"),
        QJsonObject{
            {QStringLiteral("channels"),
             QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("webhook")},
                                    {QStringLiteral("url"), QStringLiteral("env:SLACK_URL")}},
                        QJsonObject{{QStringLiteral("type"), QStringLiteral("email")},
                                    {QStringLiteral("server"), QStringLiteral("smtp://m.example.com:587")},
                                    {QStringLiteral("from"), QStringLiteral("ors@example.com")},
                                    {QStringLiteral("to"), QJsonArray{QStringLiteral("ops@example.com")}},
                                    {QStringLiteral("username"), QStringLiteral("ors")},
                                    {QStringLiteral("password"), QStringLiteral("hunter2")}}}}});
    writeConfig(dir.path(), root);
    const CliResult ok =
        runCli(cliArgs(config, dir.filePath(QStringLiteral("data")), {QStringLiteral("validate")}));
    QVERIFY2(ok.exitCode == 0, ok.err.constData());
    QVERIFY2(ok.err.contains("alerts.channels[1].password: secret is stored in plain text"),
             ok.err.constData());
    QVERIFY(!ok.err.contains("hunter2"));
}

void TestAlerts::cliSyncFailureAndRecoveryReachTheWebhook() {
    HttpReceiver receiver;
    QVERIFY(receiver.start());
    CliFixture fixture;
    fake::ServerOptions options;
    options.listingCount = 20;
    options.memberCount = 5;
    QVERIFY(fixture.startServer(options));
    QJsonObject root = configWith(
        sourceConfig(kSource, fixture.server->serviceUrl(), {fixture.path(QStringLiteral("d.sqlite"))}));
    // The URL through a secret reference, as a Slack webhook's would be.
    root.insert(
        QStringLiteral("alerts"),
        QJsonObject{{QStringLiteral("channels"),
                     QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("webhook")},
                                            {QStringLiteral("name"), QStringLiteral("slack")},
                                            {QStringLiteral("url"), QStringLiteral("env:ORS_TEST_HOOK")}}}}});
    fixture.config = writeConfig(fixture.dir.path(), root);
    QProcessEnvironment env = cliEnvironment();
    env.insert(QStringLiteral("ORS_TEST_HOOK"),
               receiver.url(QStringLiteral("/services/T000/B000/tokentoken")));
    env.insert(QStringLiteral("OPENRESYNC_RETRY_ATTEMPTS"), QStringLiteral("2"));

    fake::Fault fault;
    fault.kind = fake::Fault::Kind::Status500;
    fault.pathContains = QStringLiteral("Property");
    fault.count = 1000;
    fixture.server->injectFault(fault);
    const CliResult failed = fixture.run(QStringLiteral("sync"), env);
    QCOMPARE(failed.exitCode, 1);
    QVERIFY(receiver.waitFor(1));
    auto requests = receiver.requests();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().method, QByteArray("POST"));
    QCOMPARE(requests.first().path, QByteArray("/services/T000/B000/tokentoken"));
    QCOMPARE(requests.first().contentType, QByteArray("application/json"));
    const QJsonObject raised = QJsonDocument::fromJson(requests.first().body).object();
    QCOMPARE(raised.value(QStringLiteral("condition")).toString(), QStringLiteral("run-failed"));
    QCOMPARE(raised.value(QStringLiteral("state")).toString(), QStringLiteral("raised"));
    QCOMPARE(raised.value(QStringLiteral("source")).toString(), kSource);
    QCOMPARE(raised.value(QStringLiteral("process")).toString(), QStringLiteral("sync"));
    QVERIFY2(raised.value(QStringLiteral("text")).toString().contains(QStringLiteral("HTTP 500")),
             requests.first().body.constData());
    QVERIFY(!failed.err.contains("tokentoken"));

    fixture.server->clearFaults();
    const CliResult ok = fixture.run(QStringLiteral("sync"), env);
    QVERIFY2(ok.exitCode == 0, ok.err.constData());
    QVERIFY(receiver.waitFor(2));
    requests = receiver.requests();
    QCOMPARE(requests.size(), 2);
    const QJsonObject recovered = QJsonDocument::fromJson(requests.at(1).body).object();
    QCOMPARE(recovered.value(QStringLiteral("condition")).toString(), QStringLiteral("run-failed"));
    QCOMPARE(recovered.value(QStringLiteral("state")).toString(), QStringLiteral("recovered"));
    QVERIFY(recovered.value(QStringLiteral("text"))
                .toString()
                .startsWith(QStringLiteral("[OpenReSync] RECOVERED mls sync")));

    // Another good sync tells nothing.
    const CliResult again = fixture.run(QStringLiteral("sync"), env);
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(receiver.requests().size(), 2);
}

QTEST_MAIN(TestAlerts)
#include "tst_alerts.moc"
