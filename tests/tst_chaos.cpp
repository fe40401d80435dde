// The chaos run (issue 17): one source into SQLite and MariaDB through the real openresync-cli
// while the fake server adds, changes and deletes records and misbehaves in every way it can
// (429 with and without Retry-After, 500/502/503, 401 with tokens living 20 seconds, connection
// resets, cut-off bodies, 200s whose JSON is cut off, answers slower than the read timeout), the
// sync is SIGKILLed at random moments, and MariaDB is restarted during an apply. After a final
// sync, purge and reconcile both destinations must equal the server exactly.
//
// Short by default (CTest, CI): ORS_CHAOS_LISTINGS (3000), ORS_CHAOS_ROUNDS (6), ORS_CHAOS_SEED
// (random, printed, to replay a run). scripts/chaos runs the long mode (20,000 listings, more rounds).
#include "ServerFixture.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QMap>
#include <QRandomGenerator>
#include <QTest>

using namespace ors;
using namespace ors::test;
using namespace Qt::StringLiterals;

namespace {

const QString kPasswordVariable = u"ORS_CHAOS_MYSQL_PASSWORD"_s;
const QString kSecretVariable = u"ORS_CHAOS_CLIENT_SECRET"_s;
const QString kSecret = u"chaos-client-secret-7c1f"_s;

int setting(const char* name, int fallback) {
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value > 0 ? value : fallback;
}

QString kindName(fake::Fault::Kind kind) {
    using Kind = fake::Fault::Kind;
    switch (kind) {
    case Kind::Status429:
        return u"429"_s;
    case Kind::Status500:
        return u"500"_s;
    case Kind::Status502:
        return u"502"_s;
    case Kind::Status503:
        return u"503"_s;
    case Kind::Status401:
        return u"401"_s;
    case Kind::Slow:
        return u"slow"_s;
    case Kind::TruncatedBody:
        return u"body cut off"_s;
    case Kind::ConnectionReset:
        return u"connection reset"_s;
    case Kind::InvalidJson:
        return u"cut-off JSON"_s;
    case Kind::ResetMidBody:
        return u"reset mid-body"_s;
    case Kind::GzipBomb:
        return u"gzip bomb"_s;
    case Kind::CorruptGzip:
        return u"corrupt gzip"_s;
    case Kind::UnknownEncoding:
        return u"unknown encoding"_s;
    }
    return u"other"_s;
}

QString joined(const QStringList& list) {
    return list.join(u'\n');
}

} // namespace

class TestChaos : public QObject {
    Q_OBJECT

    MysqlServer m_mysql;
    QRandomGenerator m_random;
    QMap<QString, int> m_injected; // fault kind -> times
    int m_kills = 0;
    int m_restarts = 0;
    // Runs that ended with exit 1 (a fault outlasting the retries), per process: allowed.
    QMap<QString, int> m_failedRuns;

    QProcessEnvironment environment(const ServerFixture& f) const {
        QProcessEnvironment env = f.environment(kPasswordVariable);
        env.insert(kSecretVariable, kSecret);
        // A response that holds back longer than this times out (Fault::Kind::Slow waits longer).
        env.insert(u"OPENRESYNC_HTTP_TIMEOUT_MS"_s, u"1500"_s);
        return env;
    }

    void inject(fake::FakeResoServer& server) {
        using Kind = fake::Fault::Kind;
        struct Choice {
            Kind kind;
            const char* name;
            int retryAfter;
        };
        static const Choice choices[] = {
            {Kind::Status429, "429 with Retry-After", 1},
            {Kind::Status429, "429 without Retry-After", -1},
            {Kind::Status500, "500", 0},
            {Kind::Status502, "502", 0},
            {Kind::Status503, "503", 1},
            {Kind::Status401, "401", 0},
            {Kind::ConnectionReset, "connection reset", 0},
            {Kind::TruncatedBody, "body cut off", 0},
            {Kind::ResetMidBody, "reset mid-body", 0},
            {Kind::InvalidJson, "200 with cut-off JSON", 0},
            {Kind::Slow, "slower than the read timeout", 0},
        };
        static const char* const paths[] = {"Property", "Member", "", "$metadata"};
        const int faults = 3 + int(m_random.bounded(4));
        for (int i = 0; i < faults; ++i) {
            const Choice& choice = choices[m_random.bounded(int(std::size(choices)))];
            fake::Fault fault;
            fault.kind = choice.kind;
            fault.retryAfterSeconds = choice.retryAfter;
            fault.count = 1 + int(m_random.bounded(2));
            fault.pathContains = QString::fromLatin1(paths[m_random.bounded(int(std::size(paths)))]);
            if (choice.kind == Kind::Slow)
                fault.delayMs = 2500;
            server.injectFault(fault);
            m_injected[QString::fromLatin1(choice.name)] += fault.count;
        }
        if (m_random.bounded(3) == 0) {
            server.expireTokens();
            m_injected[u"tokens revoked"_s] += 1;
        }
    }

    // One run of `process`: killed after `killAfterMs` when that is > 0 and it is still running.
    // False (with the reason in `why`) when it ended in a way a chaos run must never cause.
    // `applyDelayMs` > 0 holds each page's apply that long (OPENRESYNC_DEBUG_APPLY_DELAY_MS).
    bool runOnce(const ServerFixture& f, const QString& process, int killAfterMs, QString* why,
                 int applyDelayMs = 0) {
        QProcessEnvironment env = environment(f);
        if (applyDelayMs > 0)
            env.insert(u"OPENRESYNC_DEBUG_APPLY_DELAY_MS"_s, QString::number(applyDelayMs));
        std::unique_ptr<QProcess> run = f.launch(process, env);
        if (!run->waitForStarted(10000)) {
            *why = u"%1 did not start"_s.arg(process);
            return false;
        }
        const bool ended = run->waitForFinished(killAfterMs > 0 ? killAfterMs : 300000);
        if (!ended && killAfterMs > 0) {
            run->kill(); // SIGKILL
            run->waitForFinished(10000);
            ++m_kills;
            return true;
        }
        if (!ended) {
            *why = u"%1 did not end within 5 minutes"_s.arg(process);
            return false;
        }
        const QByteArray err = run->readAllStandardError();
        if (run->exitStatus() != QProcess::NormalExit) {
            *why = u"%1 crashed: %2"_s.arg(process, QString::fromUtf8(err.right(2000)));
            return false;
        }
        // 0: done; 1: failed cleanly (a fault outlasted the retries, MariaDB was down). Anything
        // else (2: bad usage or configuration, 3+) is not a way a run may end here.
        if (run->exitCode() == 1) {
            m_failedRuns[process] += 1;
            return true;
        }
        if (run->exitCode() != 0) {
            *why = u"%1 exited %2: %3"_s.arg(process)
                       .arg(run->exitCode())
                       .arg(QString::fromUtf8(err.right(2000)));
            return false;
        }
        return true;
    }

    std::unique_ptr<ServerFixture> fixture(int listings) {
        fake::ServerOptions options;
        options.listingCount = listings;
        options.memberCount = 200;
        options.auth = fake::AuthMode::OAuth2;
        options.clientSecret = kSecret;
        options.tokenLifetimeSeconds = 20;
        auto f =
            ServerFixture::make(ServerKind::Mysql, m_mysql, options, 200, u"generic"_s, kPasswordVariable);
        if (!f)
            return nullptr;
        // OAuth2 with the secret from the environment, into the config the fixture wrote.
        QFile file(f->config);
        if (!file.open(QIODevice::ReadOnly))
            return nullptr;
        QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        QJsonArray sources = root.value(u"sources"_s).toArray();
        QJsonObject source = sources.first().toObject();
        source.insert(u"auth"_s, QJsonObject{{u"type"_s, u"oauth2"_s},
                                             {u"tokenUrl"_s, f->server->tokenUrl()},
                                             {u"clientId"_s, options.clientId},
                                             {u"clientSecret"_s, QString(u"env:"_s + kSecretVariable)}});
        f->writeSource(source);
        return f;
    }

private Q_SLOTS:
    void initTestCase() {
        const std::optional<MysqlServer> server = mysqlServer();
        QVERIFY2(server, "needs the test MariaDB (ORS_TEST_MYSQL_*; scripts/test or scripts/chaos start it)");
        m_mysql = *server;
    }

    void nothingLost() {
        const int listings = setting("ORS_CHAOS_LISTINGS", 3000);
        const int rounds = std::max(setting("ORS_CHAOS_ROUNDS", 6), 5);
        const quint32 seed =
            quint32(setting("ORS_CHAOS_SEED", int(QRandomGenerator::system()->bounded(1 << 30))));
        m_random.seed(seed);
        qInfo("chaos: seed %u (ORS_CHAOS_SEED replays it), %d listings, %d rounds", seed, listings, rounds);
        QElapsedTimer clock;
        clock.start();
        auto f = fixture(listings);
        QVERIFY(f);
        fake::FakeResoServer& server = *f->server;
        QString why;

        // The initial sync, under faults and killed once part of the way in, then completed.
        inject(server);
        QVERIFY2(runOnce(*f, u"sync"_s, 1500 + int(m_random.bounded(3000)), &why), qPrintable(why));
        QVERIFY2(runOnce(*f, u"sync"_s, 0, &why), qPrintable(why));

        const int restartRound = 1 + int(m_random.bounded(rounds - 1));
        for (int round = 0; round < rounds; ++round) {
            server.changeRecords(0.03);
            server.addRecords(20 + int(m_random.bounded(40)));
            server.deleteRecords(5 + int(m_random.bounded(15)));
            inject(server);
            if (round == restartRound) {
                // MariaDB goes away while pages are applied, and comes back.
                QProcessEnvironment env = environment(*f);
                env.insert(u"OPENRESYNC_DEBUG_APPLY_DELAY_MS"_s, u"150"_s);
                server.changeRecords(0.2); // enough pages that the restart lands in an apply
                std::unique_ptr<QProcess> run = f->launch(u"sync"_s, env);
                QVERIFY(run->waitForStarted(10000));
                run->waitForFinished(600 + int(m_random.bounded(600)));
                QCOMPARE(mysqlCtl(m_mysql, u"stop"_s), 0);
                QCOMPARE(mysqlCtl(m_mysql, u"start"_s), 0);
                ++m_restarts;
                // It may have finished before the restart (waitForFinished is false for a process
                // that already ended).
                QVERIFY(run->state() == QProcess::NotRunning || run->waitForFinished(300000));
                QVERIFY2(run->exitStatus() == QProcess::NormalExit && run->exitCode() <= 1,
                         run->readAllStandardError().right(2000).constData());
                continue;
            }
            // A SIGKILL at a random moment, then a run left to finish (faults may outlast it).
            QVERIFY2(runOnce(*f, u"sync"_s, 200 + int(m_random.bounded(1500)), &why), qPrintable(why));
            QVERIFY2(runOnce(*f, m_random.bounded(4) == 0 ? u"purge"_s : u"sync"_s, 0, &why),
                     qPrintable(why));
        }
        // At least five kills in every run, whatever the timing gave: the last ones with short waits,
        // and the applies held a little, since a sync of 150 changed listings can end within them.
        for (int extra = 0; m_kills < 5 && extra < 20; ++extra) {
            server.changeRecords(0.05);
            QVERIFY2(runOnce(*f, u"sync"_s, 150 + int(m_random.bounded(300)), &why, 300), qPrintable(why));
        }
        QVERIFY2(m_kills >= 5, qPrintable(u"only %1 SIGKILLs landed"_s.arg(m_kills)));

        // The end: no more faults; sync, purge and reconcile; both destinations exact.
        server.clearFaults();
        const QByteArray resumed = ": resumed the unfinished batch begun at ";
        for (const QString& process : {u"sync"_s, u"purge"_s, u"reconcile"_s}) {
            // A purge that failed along the way left its key list, which the final one takes up:
            // that list began before the later rounds' deletions, and a resumed purge only deletes
            // what its list lacks (documented, user guide "Resuming"). A purge that lists the keys
            // afresh must then leave nothing the MLS deleted.
            for (int run = 0;; ++run) {
                const CliResult result = f->run(process, environment(*f));
                QVERIFY2(result.exitCode == 0,
                         qPrintable(process + u": "_s + QString::fromUtf8(result.err.right(3000))));
                if (process != u"purge"_s || !result.err.contains(resumed))
                    break;
                QVERIFY2(run == 0, result.err.constData()); // the purge after it lists afresh
                qInfo("chaos: the final purge took up a failed purge's key list; purging once more");
            }
        }
        const QStringList differences = f->differences();
        QVERIFY2(differences.isEmpty(), qPrintable(joined(differences.mid(0, 40))));
        QVERIFY2(f->leftovers().isEmpty(), qPrintable(joined(f->leftovers())));
        // The client secret went nowhere the program writes.
        QVERIFY(!contentsUnder(f->dataDir).contains(kSecret.toUtf8()));

        auto tally = [](const QMap<QString, int>& counts) {
            QStringList parts;
            for (auto it = counts.cbegin(); it != counts.cend(); ++it)
                parts.append(u"%1 x%2"_s.arg(it.key()).arg(it.value()));
            return parts.join(u", "_s);
        };
        QMap<QString, int> served;
        for (const fake::Fault::Kind kind : server.faultsServed())
            served[kindName(kind)] += 1;
        const qsizetype answered = server.faultsServed().size();
        QVERIFY2(answered >= 10, qPrintable(u"only %1 faults reached the program"_s.arg(answered)));
        qInfo("chaos: injected %s", qPrintable(tally(m_injected)));
        qInfo("chaos: survived %lld faults answered to the program (%s), %d SIGKILLs, %d MariaDB restart(s); "
              "runs failed cleanly along the way: %s; %lld listings on the server at the end, both "
              "destinations equal to it; %.0f s",
              qlonglong(answered), qPrintable(tally(served)), m_kills, m_restarts,
              qPrintable(m_failedRuns.isEmpty() ? u"none"_s : tally(m_failedRuns)),
              qlonglong(server.records(u"Property"_s).size()), double(clock.elapsed()) / 1000.0);
    }
};

QTEST_GUILESS_MAIN(TestChaos)
#include "tst_chaos.moc"
