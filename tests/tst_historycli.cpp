// `openresync-cli history [SOURCE] [--process P] [--result R] [--limit N] [--json]` through the
// real executable, on the runs that real syncs and a purge against the fake RESO server recorded
// in the stats store: one with a count-mismatch event, one that failed, one purge.
#include "CliFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

QProcessEnvironment testEnvironment() {
    QProcessEnvironment env = cliEnvironment();
    env.insert(QStringLiteral("TZ"), QStringLiteral("UTC"));
    env.insert(QStringLiteral("OPENRESYNC_RETRY_ATTEMPTS"), QStringLiteral("3"));
    return env;
}

QJsonArray runsOf(const CliResult& result) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(result.out, &error);
    if (error.error != QJsonParseError::NoError || !document.isArray()) {
        qWarning() << "not a JSON array:" << result.out;
        return {};
    }
    return document.array();
}

QStringList column(const QJsonArray& runs, const char* key) {
    QStringList values;
    for (const QJsonValue run : runs)
        values.append(run.toObject().value(QLatin1String(key)).toVariant().toString());
    return values;
}

} // namespace

class TestHistoryCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void jsonShape();
    void text();
    void filtersAndLimit();
    void argumentErrors();
    void noRunsYet();

private:
    CliResult history(const QStringList& options) const {
        return m_f.cli(QStringList{QStringLiteral("history")} + options, testEnvironment());
    }

    CliFixture m_f;
};

void TestHistoryCli::initTestCase() {
    fake::ServerOptions options;
    options.listingCount = 40;
    QVERIFY(m_f.startServer(options));
    m_f.writeSource(sourceConfig(QStringLiteral("mls"), m_f.server->serviceUrl(),
                                 {m_f.path(QStringLiteral("d.sqlite"))}, 25));
    // The server announces 3 more than it sends: a count-mismatch event for each resource.
    m_f.server->setCountBias(3);
    const CliResult first = m_f.run(QStringLiteral("sync"), testEnvironment());
    QVERIFY2(first.exitCode == 0, first.err.constData());
    m_f.server->setCountBias(0);
    QCOMPARE(m_f.events(QStringLiteral("count-mismatch")).size(), 2); // Property and Member

    fake::Fault fault;
    fault.kind = fake::Fault::Kind::Status500;
    fault.pathContains = QStringLiteral("Property");
    fault.count = 100;
    m_f.server->injectFault(fault);
    m_f.server->changeRecords(0.2);
    const CliResult failed = m_f.run(QStringLiteral("sync"), testEnvironment());
    QCOMPARE(failed.exitCode, 1);
    m_f.server->clearFaults();

    const CliResult purge = m_f.run(QStringLiteral("purge"), testEnvironment());
    QVERIFY2(purge.exitCode == 0, purge.err.constData());
}

void TestHistoryCli::jsonShape() {
    const CliResult result = history({QStringLiteral("mls"), QStringLiteral("--json")});
    QCOMPARE(result.exitCode, 0);
    const QJsonArray runs = runsOf(result);
    QCOMPARE(runs.size(), 3);
    // Newest first.
    QCOMPARE(column(runs, "process"),
             (QStringList{QStringLiteral("purge"), QStringLiteral("sync"), QStringLiteral("sync")}));
    QCOMPARE(column(runs, "result"),
             (QStringList{QStringLiteral("success"), QStringLiteral("error"), QStringLiteral("success")}));
    QVERIFY(runs.at(0)[QStringLiteral("id")].toInteger() > runs.at(1)[QStringLiteral("id")].toInteger());
    const QStringList keys{QStringLiteral("id"),
                           QStringLiteral("source"),
                           QStringLiteral("process"),
                           QStringLiteral("batch"),
                           QStringLiteral("started"),
                           QStringLiteral("finished"),
                           QStringLiteral("durationSeconds"),
                           QStringLiteral("result"),
                           QStringLiteral("error"),
                           QStringLiteral("records"),
                           QStringLiteral("host"),
                           QStringLiteral("resources"),
                           QStringLiteral("destinations"),
                           QStringLiteral("failures"),
                           QStringLiteral("events")};
    for (const QJsonValue run : runs) {
        QStringList present = run.toObject().keys();
        present.sort();
        QStringList expected = keys;
        expected.sort();
        QCOMPARE(present, expected);
        QCOMPARE(run[QStringLiteral("source")].toString(), QStringLiteral("mls"));
        QVERIFY(!run[QStringLiteral("batch")].toString().isEmpty());
        QVERIFY(run[QStringLiteral("durationSeconds")].toDouble(-1) >= 0);
        // The machine that ran it: in a shared stats database, runs of several come together.
        QCOMPARE(run[QStringLiteral("host")].toString(), QSysInfo::machineHostName());
    }

    // The first sync: every listing downloaded and applied, the count mismatch as an event.
    const QJsonObject first = runs.at(2).toObject();
    QVERIFY(first[QStringLiteral("error")].isNull());
    QVERIFY(first[QStringLiteral("failures")].toArray().isEmpty());
    QJsonObject property;
    for (const QJsonValue r : first[QStringLiteral("resources")].toArray())
        if (r[QStringLiteral("resource")].toString() == QLatin1String("Property"))
            property = r.toObject();
    QCOMPARE(property[QStringLiteral("downloaded")].toInteger(), 40);
    QCOMPARE(property[QStringLiteral("expected")].toInteger(), 43);
    QVERIFY(property[QStringLiteral("pages")].toInteger() >= 2);
    qint64 applied = -1;
    for (const QJsonValue d : first[QStringLiteral("destinations")].toArray())
        if (d[QStringLiteral("resource")].toString() == QLatin1String("Property")) {
            QCOMPARE(d[QStringLiteral("destination")].toString(), QStringLiteral("local0"));
            applied = d[QStringLiteral("applied")].toInteger();
        }
    QCOMPARE(applied, 40);
    // Other events may come with it (Media's count, say); the mismatches of the two resources
    // are among them.
    const QJsonArray events = first[QStringLiteral("events")].toArray();
    QStringList resources;
    for (const QJsonValue event : events) {
        if (event[QStringLiteral("kind")].toString() != QLatin1String("count-mismatch"))
            continue;
        resources.append(event[QStringLiteral("resource")].toString());
        if (resources.last() == QLatin1String("Property"))
            QVERIFY(event[QStringLiteral("message")].toString().contains(QLatin1String("43")));
    }
    resources.sort();
    QCOMPARE(resources, (QStringList{QStringLiteral("Member"), QStringLiteral("Property")}));

    // The failed sync: its error and the failure recorded against it.
    const QJsonObject failed = runs.at(1).toObject();
    QVERIFY2(failed[QStringLiteral("error")].toString().contains(QLatin1String("HTTP 500")),
             qPrintable(failed[QStringLiteral("error")].toString()));
    const QJsonArray failures = failed[QStringLiteral("failures")].toArray();
    QVERIFY(!failures.isEmpty());
    QCOMPARE(failures.at(0)[QStringLiteral("resource")].toString(), QStringLiteral("Property"));
    QVERIFY(!failures.at(0)[QStringLiteral("step")].toString().isEmpty());
    QVERIFY(failures.at(0)[QStringLiteral("message")].toString().contains(QLatin1String("HTTP 500")));
}

void TestHistoryCli::text() {
    const CliResult result = history({});
    QCOMPARE(result.exitCode, 0);
    const QString out = QString::fromUtf8(result.out);
    const QStringList headers =
        out.split(QLatin1Char('\n')).filter(QRegularExpression(QStringLiteral("^#\\d+ ")));
    QCOMPARE(headers.size(), 3);
    QVERIFY2(headers.at(0).contains(QLatin1String(" mls  purge ")) &&
                 headers.at(0).contains(QLatin1String("success")),
             qPrintable(out));
    QVERIFY(headers.at(1).contains(QLatin1String(" mls  sync ")) &&
            headers.at(1).contains(QLatin1String(" error ")));
    QVERIFY(out.contains(QRegularExpression(QStringLiteral("\\n    error: [^\\n]*HTTP 500"))));
    QVERIFY(
        out.contains(QRegularExpression(QStringLiteral("\\n    failure [^\\n]* Property[^\\n]*HTTP 500"))));
    QVERIFY(out.contains(QRegularExpression(QStringLiteral("\\n    event count-mismatch Property at "))));
    QVERIFY(out.contains(QLatin1String("    Property: 40 downloaded of 43 expected, ")));
    QVERIFY(out.contains(QLatin1String("    Property -> local0: 40 applied")));
}

void TestHistoryCli::filtersAndLimit() {
    const QJsonArray syncs =
        runsOf(history({QStringLiteral("--process"), QStringLiteral("sync"), QStringLiteral("--json")}));
    QCOMPARE(column(syncs, "process"), (QStringList{QStringLiteral("sync"), QStringLiteral("sync")}));
    const QJsonArray errors =
        runsOf(history({QStringLiteral("--result"), QStringLiteral("error"), QStringLiteral("--json")}));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.at(0)[QStringLiteral("process")].toString(), QStringLiteral("sync"));
    const QJsonArray both =
        runsOf(history({QStringLiteral("mls"), QStringLiteral("--process"), QStringLiteral("sync"),
                        QStringLiteral("--result"), QStringLiteral("success"), QStringLiteral("--json")}));
    QCOMPARE(both.size(), 1);
    QCOMPARE(both.at(0)[QStringLiteral("events")].toArray(),
             runsOf(history({QStringLiteral("--json")})).at(2)[QStringLiteral("events")].toArray());
    const QJsonArray newest =
        runsOf(history({QStringLiteral("--limit"), QStringLiteral("1"), QStringLiteral("--json")}));
    QCOMPARE(column(newest, "process"), QStringList{QStringLiteral("purge")});
    const QJsonArray two =
        runsOf(history({QStringLiteral("--limit"), QStringLiteral("2"), QStringLiteral("--json")}));
    QCOMPARE(column(two, "result"), (QStringList{QStringLiteral("success"), QStringLiteral("error")}));
    const CliResult none =
        history({QStringLiteral("--result"), QStringLiteral("refused"), QStringLiteral("--json")});
    QCOMPARE(none.exitCode, 0);
    QCOMPARE(runsOf(none), QJsonArray());
    QVERIFY(none.err.contains("history: no runs"));
}

void TestHistoryCli::argumentErrors() {
    const CliResult result = history({QStringLiteral("--result"), QStringLiteral("ok")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("--result \"ok\" is not one of success, error, refused, cancelled, running"),
             result.err.constData());
    const CliResult unknown = history({QStringLiteral("elsewhere")});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(unknown.err.contains("unknown source \"elsewhere\""));
    const CliResult process = history({QStringLiteral("--process"), QStringLiteral("backup")});
    QCOMPARE(process.exitCode, 2);
    QVERIFY(process.err.contains("--process \"backup\" is not one of sync, purge, reconcile"));
    for (const QString& limit : {QStringLiteral("0"), QStringLiteral("ten"), QStringLiteral("-3")}) {
        const CliResult bad = history({QStringLiteral("--limit"), limit});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains("--limit"));
    }
    const CliResult tooMany = history({QStringLiteral("mls"), QStringLiteral("extra")});
    QCOMPARE(tooMany.exitCode, 2);
}

void TestHistoryCli::noRunsYet() {
    CliFixture fresh;
    fresh.dataDir = fresh.path(QStringLiteral("data"));
    fresh.writeSource(sourceConfig(QStringLiteral("mls"), QStringLiteral("http://127.0.0.1:9/odata"),
                                   {fresh.path(QStringLiteral("d.sqlite"))}));
    const CliResult result = fresh.cli({QStringLiteral("history"), QStringLiteral("--json")});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(result.out).array(), QJsonArray());
    QVERIFY(result.err.contains("history: no runs"));
    QVERIFY(!QFileInfo::exists(fresh.dataDir)); // reading made nothing
}

QTEST_GUILESS_MAIN(TestHistoryCli)
#include "tst_historycli.moc"
