// Rate limits and quotas: the limiter on a fake clock (pacing, caps, bytes, usage carried over
// from earlier runs, Trestle and Bridge quota headers), the HTTP client's handling of 429, and
// whole syncs through openresync-cli against a fake server that paces, throttles and sends
// quota headers. Timing checks are lower bounds only: a loaded machine makes things slower,
// never faster.
#include "CliFixture.h"

#include "processes/UsageLedger.h"
#include "reso/HttpClient.h"
#include "reso/RateLimiter.h"
#include "stats/StatsStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

constexpr qint64 kHour = 3600 * 1000;

// A clock that only moves when the limiter sleeps, so a day of waiting takes no time.
struct FakeTime {
    qint64 now = 1'700'000'000'000 - 1'700'000'000'000 % kHour + kHour / 2; // half past an hour
    QList<qint64> sent;                                                     // when acquire() let one go

    void attach(RateLimiter& limiter) {
        limiter.setClock([this] { return now; });
        limiter.setSleeper([this](qint64 ms) {
            now += ms;
            return true;
        });
    }
    void acquire(RateLimiter& limiter, int times = 1) {
        for (int i = 0; i < times; ++i) {
            QVERIFY(limiter.acquire());
            sent << now;
        }
    }
};

RateLimits limits(double perSecond, int perMinute, int perHour, int perDay, qint64 bytesPerHour) {
    RateLimits l;
    l.perSecond = perSecond;
    l.perMinute = perMinute;
    l.perHour = perHour;
    l.perDay = perDay;
    l.bytesPerHour = bytesPerHour;
    return l;
}

RateLimiter::Headers headers(std::initializer_list<std::pair<const char*, QByteArray>> list) {
    RateLimiter::Headers out;
    for (const auto& [name, value] : list)
        out.append({QByteArray(name), value});
    return out;
}

qint64 sumOf(const QString& statsPath, const QString& sql) {
    qint64 value = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("stats-read"));
        db.setDatabaseName(statsPath);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(sql) && query.next())
                value = query.value(0).toLongLong();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("stats-read"));
    return value;
}

} // namespace

class TestRateLimit : public QObject {
    Q_OBJECT

private:
    // Largest number of requests the server saw within any window of `windowMs`.
    static int mostInWindow(const QList<qint64>& times, qint64 windowMs) {
        int most = 0;
        for (qsizetype i = 0; i < times.size(); ++i) {
            int n = 0;
            for (qsizetype j = i; j < times.size() && times.at(j) < times.at(i) + windowMs; ++j)
                ++n;
            most = std::max(most, n);
        }
        return most;
    }

private Q_SLOTS:
    // --- the limiter on a fake clock ---

    void perSecondPacing() {
        RateLimiter limiter(limits(2, 0, 0, 0, 0));
        FakeTime time;
        time.attach(limiter);
        time.acquire(limiter, 6);
        for (qsizetype i = 1; i < time.sent.size(); ++i)
            QVERIFY2(time.sent.at(i) - time.sent.at(i - 1) >= 500, qPrintable(QString::number(i)));
        QCOMPARE(limiter.requestCount(), 6);
    }

    void hourAndDayCaps() {
        RateLimiter limiter(limits(0, 0, 10, 15, 0));
        FakeTime time;
        time.attach(limiter);
        const qint64 start = time.now;
        time.acquire(limiter, 10);
        QCOMPARE(time.now, start); // the first ten go at once
        time.acquire(limiter);
        QVERIFY(time.now - start >= kHour); // the eleventh waits for the first to leave the hour
        time.acquire(limiter, 4);
        QCOMPARE(limiter.requestCount(), 15);
        const qint64 beforeDayCap = time.now;
        time.acquire(limiter);
        QVERIFY(time.now - start >= 24 * kHour);
        QVERIFY(time.now > beforeDayCap);
    }

    void perMinuteCap() {
        RateLimiter limiter(limits(0, 3, 0, 0, 0));
        FakeTime time;
        time.attach(limiter);
        time.acquire(limiter, 7);
        QCOMPARE(mostInWindow(time.sent, 60 * 1000), 3);
    }

    void bytesPerHour() {
        RateLimiter limiter(limits(0, 0, 0, 0, 1000));
        FakeTime time;
        time.attach(limiter);
        time.acquire(limiter);
        limiter.recordResponse(200, 600, {});
        // Another response of the usual size would go over the budget: wait for the hour.
        QVERIFY(limiter.delayMs() > kHour - 1000);
        const qint64 before = time.now;
        time.acquire(limiter);
        QVERIFY(time.now - before >= kHour);
        QCOMPARE(limiter.takeUsage().constFirst().bytes, 600);
    }

    void usageOfEarlierRunsCounts() {
        RateLimiter limiter(limits(0, 0, 100, 0, 0));
        FakeTime time;
        time.attach(limiter);
        const qint64 hourStart = time.now - time.now % kHour;
        // The previous hour does not count against this one; this hour's 100 do.
        limiter.seed({UsageCount{hourStart - kHour, 100, 0, 0}});
        QCOMPARE(limiter.delayMs(), 0);
        limiter.seed({UsageCount{hourStart, 100, 5000, 0}});
        const qint64 delay = limiter.delayMs();
        QVERIFY2(delay > 0 && time.now + delay >= hourStart + kHour, qPrintable(QString::number(delay)));
        QVERIFY(time.now + delay <= hourStart + kHour + 60 * 1000);
    }

    void usageIsSplitByHour() {
        RateLimiter limiter(RateLimits{});
        FakeTime time;
        time.attach(limiter);
        time.now = time.now - time.now % kHour + kHour - 1000; // a second before the hour
        time.acquire(limiter);
        limiter.recordResponse(429, 10, {});
        time.now += 2000;
        time.acquire(limiter);
        limiter.recordResponse(200, 20, {});
        const QList<UsageCount> usage = limiter.takeUsage();
        QCOMPARE(usage.size(), 2);
        QCOMPARE(usage.at(1).hourStartMs - usage.at(0).hourStartMs, kHour);
        QCOMPARE(usage.at(0).requests, 1);
        QCOMPARE(usage.at(0).throttled, 1);
        QCOMPARE(usage.at(1).bytes, 20);
        QCOMPARE(limiter.throttledCount(), 1);
        QVERIFY(limiter.takeUsage().isEmpty());
    }

    void trestleLimitsLowerTheConfiguredOnes() {
        RateLimiter limiter(limits(0, 180, 7200, 0, 0));
        FakeTime time;
        time.attach(limiter);
        time.acquire(limiter);
        limiter.recordResponse(200, 100,
                               headers({{"Minute-Quota-Limit", "4.0"},
                                        {"Hour-Quota-Limit", "9000.0"},
                                        {"Hour-Quota-ResetTime", QByteArray::number(time.now + kHour / 2)},
                                        {"QuotaType", "Api"}}));
        QCOMPARE(limiter.effective().perMinute, 4);
        QCOMPARE(limiter.effective().perHour, 7200); // the configured limit is the lower one
        time.acquire(limiter, 6);
        QCOMPARE(mostInWindow(time.sent, 60 * 1000), 4);
    }

    void trestleAvailableIsSpreadUntilReset() {
        RateLimiter limiter(RateLimits{});
        FakeTime time;
        time.attach(limiter);
        time.acquire(limiter);
        const qint64 reset = time.now + 10000;
        // A server with 4 requests left this hour: each response says how many remain.
        int available = 4;
        auto respond = [&] {
            limiter.recordResponse(200, 100,
                                   headers({{"Minute-Quota-Limit", "180"},
                                            {"Hour-Quota-Limit", "7200"},
                                            {"Hour-Quota-ResetTime", QByteArray::number(reset)},
                                            {"Hour-Quota-Available", QByteArray::number(available)}}));
        };
        respond();
        for (int i = 0; i < 5; ++i) {
            time.acquire(limiter);
            if (time.now < reset)
                QVERIFY2(available-- > 0, "a request went over the quota");
            respond();
        }
        // The four were spread over the ten seconds (2 s apart), not sent at once.
        for (int i = 1; i <= 4; ++i)
            QVERIFY2(time.sent.at(i) - time.sent.at(i - 1) >= 1900, qPrintable(QString::number(i)));
        QVERIFY(time.sent.at(5) >= reset); // the fifth waited for the reset
    }

    void trestleLimitOnlyEstimatesWhatIsLeft() {
        RateLimiter limiter(RateLimits{});
        FakeTime time;
        time.attach(limiter);
        time.acquire(limiter, 16);
        // 16 of 20 used since the server's hour began: 4 left for 100 s.
        limiter.recordResponse(200, 100,
                               headers({{"Hour-Quota-Limit", "20.0"},
                                        {"Hour-Quota-ResetTime", QByteArray::number(time.now + 100000)}}));
        const qint64 delay = limiter.delayMs();
        QVERIFY2(delay >= 15000 && delay <= 25000, qPrintable(QString::number(delay)));
    }

    void bridgeBurstIsSpreadUntilReset_data() {
        QTest::addColumn<QString>("format");
        QTest::newRow("seconds from now") << QStringLiteral("seconds");
        QTest::newRow("Unix seconds") << QStringLiteral("unix");
        QTest::newRow("ISO date") << QStringLiteral("iso");
    }

    void bridgeBurstIsSpreadUntilReset() {
        QFETCH(QString, format);
        RateLimiter limiter(limits(0, 0, 0, 0, 0));
        FakeTime time;
        time.now -= time.now % 1000; // whole seconds, for the formats that have no more
        time.attach(limiter);
        time.acquire(limiter);
        const qint64 reset = time.now + 8000;
        int remaining = 3;
        auto respond = [&] {
            QByteArray resetText;
            if (format == QLatin1String("seconds"))
                resetText = QByteArray::number((reset - time.now) / 1000);
            else if (format == QLatin1String("unix"))
                resetText = QByteArray::number(reset / 1000);
            else
                resetText = QDateTime::fromMSecsSinceEpoch(reset, Qt::UTC).toString(Qt::ISODate).toLatin1();
            limiter.recordResponse(200, 100,
                                   headers({{"Burst-RateLimit-Limit", "334"},
                                            {"Burst-RateLimit-Remaining", QByteArray::number(remaining)},
                                            {"Burst-RateLimit-Reset", resetText}}));
        };
        respond();
        QCOMPARE(limiter.effective().perMinute, 334);
        for (int i = 0; i < 4; ++i) {
            time.acquire(limiter);
            if (time.now < reset)
                QVERIFY2(remaining-- > 0, "a request went over the burst quota");
            respond();
        }
        QVERIFY2(time.sent.at(1) - time.sent.at(0) >= 1500, qPrintable(QString::number(time.sent.at(1))));
        QVERIFY(time.sent.at(4) >= reset);
    }

    void plentyLeftMeansNoDelay() {
        RateLimiter limiter(RateLimits{});
        FakeTime time;
        time.attach(limiter);
        time.acquire(limiter);
        limiter.recordResponse(200, 100,
                               headers({{"Burst-RateLimit-Limit", "334"},
                                        {"Burst-RateLimit-Remaining", "300"},
                                        {"Burst-RateLimit-Reset", "50"},
                                        {"RateLimit-Limit", "5000"},
                                        {"RateLimit-Remaining", "4000"},
                                        {"RateLimit-Reset", "3000"}}));
        QCOMPARE(limiter.delayMs(), 0);
    }

    // A quota "used up" until a reset years away would park the job for as long: the wait is
    // capped at an hour, with one warning naming the header.
    void bogusResetTimeIsCappedAtAnHour_data() {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("remaining");
        QTest::addColumn<QByteArray>("reset");
        const qint64 years = qint64(10) * 365 * 24 * kHour;
        QTest::newRow("Bridge burst, seconds from now")
            << QByteArray("Burst-RateLimit-Reset") << QByteArray("Burst-RateLimit-Remaining")
            << QByteArray::number(years / 1000);
        QTest::newRow("RateLimit, a date in 2099")
            << QByteArray("RateLimit-Reset") << QByteArray("RateLimit-Remaining")
            << QByteArray("2099-01-01T00:00:00Z");
        QTest::newRow("Trestle hour, Unix ms")
            << QByteArray("Hour-Quota-ResetTime") << QByteArray("Hour-Quota-Available")
            << QByteArray::number(FakeTime().now + years);
    }

    void bogusResetTimeIsCappedAtAnHour() {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, remaining);
        QFETCH(QByteArray, reset);
        RateLimiter limiter(RateLimits{});
        FakeTime time;
        time.attach(limiter);
        QStringList warnings;
        limiter.onWarning = [&warnings](const QString& note) { warnings << note; };
        time.acquire(limiter);
        const qint64 start = time.now;
        const auto used = headers({{remaining.constData(), "0"}, {name.constData(), reset}});
        limiter.recordResponse(200, 100, used);
        limiter.recordResponse(200, 100, used); // told again: still one warning
        time.acquire(limiter);
        const qint64 waited = time.now - start;
        QVERIFY2(waited > kHour / 2 && waited <= kHour + 2000, qPrintable(QString::number(waited)));
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings.first().contains(QString::fromLatin1(name)) &&
                     warnings.first().contains(QStringLiteral("3600 s")),
                 qPrintable(warnings.first()));
    }

    void cancelStopsTheWait() {
        std::atomic<bool> cancelled{true};
        RateLimiter limiter(limits(0, 0, 1, 0, 0), &cancelled);
        QVERIFY(limiter.acquire()); // no wait: cancelling is not looked at
        QVERIFY(!limiter.acquire());
    }

    // --- the stats store ---

    void statsStoreKeepsUsagePerHour() {
        QTemporaryDir dir;
        StatsStore stats(dir.filePath(QStringLiteral("stats.sqlite")));
        QVERIFY(stats.open());
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(stats.addUsage(QStringLiteral("mls"), now, 3, 300, 1));
        QVERIFY(stats.addUsage(QStringLiteral("mls"), now, 2, 200, 0));
        QVERIFY(stats.addUsage(QStringLiteral("mls"), now.addSecs(-5 * 3600), 7, 700, 0));
        QVERIFY(stats.addUsage(QStringLiteral("mls"), now.addSecs(-30 * 3600), 100, 100, 0));
        QVERIFY(stats.addUsage(QStringLiteral("other"), now, 50, 50, 0));
        auto usage = stats.usage(QStringLiteral("mls"), 24);
        QVERIFY(usage);
        QCOMPARE(usage->size(), 2);
        QCOMPARE(usage->at(1).requests, 5);
        QCOMPARE(usage->at(1).bytes, 500);
        QCOMPARE(usage->at(1).throttled, 1);
        QCOMPARE(usage->at(1).hour.time().minute(), 0);
        const QJsonObject summary = UsageLedger::summary(stats, QStringLiteral("mls"));
        const QJsonObject hour = summary.value(QStringLiteral("currentHour")).toObject();
        const QJsonObject day = summary.value(QStringLiteral("last24Hours")).toObject();
        if (QDateTime::currentDateTimeUtc().time().hour() != now.time().hour())
            QSKIP("the hour changed meanwhile");
        QCOMPARE(hour.value(QStringLiteral("requests")).toInteger(), 5);
        QCOMPARE(day.value(QStringLiteral("requests")).toInteger(), 12);
        QCOMPARE(day.value(QStringLiteral("bytes")).toInteger(), 1200);
    }

    // --- the HTTP client against the fake server ---

    void throttlingDoesNotUseUpAttempts() {
        fake::FakeResoServer server;
        QVERIFY(server.start());
        fake::Fault fault;
        fault.kind = fake::Fault::Kind::Status429;
        fault.count = 5;
        fault.retryAfterSeconds = -1; // exponential backoff
        server.injectFault(fault);
        RetryPolicy policy;
        policy.maxAttempts = 2;
        policy.baseDelayMs = 10;
        HttpClient client(policy);
        RateLimiter limiter(RateLimits{});
        client.setRateLimiter(&limiter);
        auto response =
            client.get(QUrl(server.serviceUrl() + QStringLiteral("/$metadata")), "application/xml");
        QVERIFY2(response, response ? "" : qPrintable(response.errorMessage()));
        QCOMPARE(client.throttledCount(), 5);
        QCOMPARE(limiter.throttledCount(), 5);
        QCOMPARE(limiter.requestCount(), 6);
        QCOMPARE(server.requestCount(), 6);
    }

    void endlessThrottlingFailsClearly() {
        fake::FakeResoServer server;
        QVERIFY(server.start());
        fake::Fault fault;
        fault.kind = fake::Fault::Kind::Status429;
        fault.count = 1000;
        fault.retryAfterSeconds = 0;
        server.injectFault(fault);
        RetryPolicy policy;
        policy.baseDelayMs = 50;
        policy.maxThrottleWaitMs = 400;
        HttpClient client(policy);
        auto response =
            client.get(QUrl(server.serviceUrl() + QStringLiteral("/$metadata")), "application/xml");
        QVERIFY(!response);
        QCOMPARE(response.error().httpStatus, 429);
        QVERIFY2(response.errorMessage().contains(QLatin1String("still throttled")),
                 qPrintable(response.errorMessage()));
        QVERIFY(client.throttledCount() >= 8);
    }

    // --- whole syncs through openresync-cli ---

    void configuredPerSecondLimitHolds() {
        fake::ServerOptions options;
        options.listingCount = 50;
        options.memberCount = 20;
        CliFixture f;
        QVERIFY(f.startServer(options));
        const fake::FakeResoServer& server = *f.server;
        const QString sqlite = f.path(QStringLiteral("d.sqlite"));
        QJsonObject source = sourceConfig(QStringLiteral("mls"), server.serviceUrl(), {sqlite}, 10);
        source.insert(QStringLiteral("rateLimit"), QJsonObject{{QStringLiteral("perSecond"), 5}});
        f.writeSource(source);
        const CliResult result = f.run(QStringLiteral("sync"));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QList<qint64> times = server.requestTimesMs();
        QVERIFY(times.size() >= 8);
        QVERIFY2(mostInWindow(times, 1000) <= 5, qPrintable(QString::number(mostInWindow(times, 1000))));
        qint64 smallestGap = std::numeric_limits<qint64>::max();
        for (qsizetype i = 1; i < times.size(); ++i)
            smallestGap = std::min(smallestGap, times.at(i) - times.at(i - 1));
        qInfo("%lld requests, smallest gap %lld ms, %lld ms in all", qint64(times.size()), smallestGap,
              times.constLast() - times.constFirst());
        const QStringList diff = compareWithServer(server, QStringLiteral("Property"), sqlite,
                                                   QStringLiteral("Property"), QStringLiteral("ListingKey"));
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void throttledSyncCompletes_data() {
        QTest::addColumn<int>("retryAfter");
        QTest::newRow("server sends Retry-After") << 1;
        QTest::newRow("server sends no Retry-After") << -1;
    }

    void throttledSyncCompletes() {
        QFETCH(int, retryAfter);
        fake::ServerOptions options;
        options.listingCount = 40;
        options.memberCount = 20;
        options.rateLimitPerSecond = 3;
        options.rateLimitRetryAfterSeconds = retryAfter;
        CliFixture f;
        QVERIFY(f.startServer(options));
        fake::FakeResoServer& server = *f.server;
        fake::Fault withRetryAfter;
        withRetryAfter.kind = fake::Fault::Kind::Status429;
        withRetryAfter.pathContains = QStringLiteral("Property");
        withRetryAfter.count = 2;
        withRetryAfter.retryAfterSeconds = 1;
        server.injectFault(withRetryAfter);
        fake::Fault without = withRetryAfter;
        without.pathContains = QStringLiteral("Member");
        without.retryAfterSeconds = -1;
        server.injectFault(without);
        const QString sqlite = f.path(QStringLiteral("d.sqlite"));
        f.writeSource(sourceConfig(QStringLiteral("mls"), server.serviceUrl(), {sqlite}, 10));
        // Few attempts: a 429 must not use them up.
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_RETRY_ATTEMPTS"), QStringLiteral("2"));
        const CliResult result = f.run(QStringLiteral("sync"), env);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QStringList diff = compareWithServer(server, QStringLiteral("Property"), sqlite,
                                             QStringLiteral("Property"), QStringLiteral("ListingKey"));
        diff += compareWithServer(server, QStringLiteral("Member"), sqlite, QStringLiteral("Member"),
                                  QStringLiteral("MemberKey"));
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        QVERIFY(server.throttledCount() > 0);
        // Every 429 the server sent is counted, and the run has one event saying so.
        const QString stats = QDir(f.dataDir).filePath(QStringLiteral("stats.sqlite"));
        const qint64 throttled = sumOf(stats, QStringLiteral("SELECT SUM(throttled) FROM usage_hour"));
        QCOMPARE(throttled, qint64(server.throttledCount() + 4));
        QCOMPARE(sumOf(stats, QStringLiteral("SELECT COUNT(*) FROM event WHERE kind = 'throttled'")), 1);
        qInfo("%d requests, %lld answered 429", server.requestCount(), throttled);
    }

    void lowQuotaSpreadsRequests_data() {
        QTest::addColumn<int>("flavour");
        QTest::newRow("Bridge Burst-RateLimit-*") << int(fake::QuotaHeaders::Bridge);
        QTest::newRow("Trestle Hour-Quota-*") << int(fake::QuotaHeaders::Trestle);
    }

    void lowQuotaSpreadsRequests() {
        QFETCH(int, flavour);
        fake::ServerOptions options;
        options.listingCount = 30;
        options.memberCount = 10;
        options.quotaHeaders = fake::QuotaHeaders(flavour);
        CliFixture f;
        QVERIFY(f.startServer(options));
        fake::FakeResoServer& server = *f.server;
        server.setQuotaRemaining(4, 3000); // from the first request on; then it is full again
        const QString sqlite = f.path(QStringLiteral("d.sqlite"));
        f.writeSource(sourceConfig(QStringLiteral("mls"), server.serviceUrl(), {sqlite}, 10));
        const CliResult result = f.run(QStringLiteral("sync"));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(server.throttledCount(), 0); // slowed down before the limit, not after
        const QList<qint64> times = server.requestTimesMs();
        QVERIFY(times.size() >= 5);
        // The first response said 3 left for 3 s: they came about 750 ms apart, the fifth after
        // the reset.
        for (int i = 1; i <= 3; ++i)
            QVERIFY2(times.at(i) - times.at(i - 1) >= 500,
                     qPrintable(QString::number(times.at(i) - times.at(i - 1))));
        QVERIFY(times.at(4) - times.at(0) >= 3000);
        qInfo("gaps %lld, %lld, %lld, %lld ms", times.at(1) - times.at(0), times.at(2) - times.at(1),
              times.at(3) - times.at(2), times.at(4) - times.at(3));
        const QStringList diff = compareWithServer(server, QStringLiteral("Property"), sqlite,
                                                   QStringLiteral("Property"), QStringLiteral("ListingKey"));
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void usageIsRecorded() {
        fake::ServerOptions options;
        options.listingCount = 30;
        options.memberCount = 10;
        CliFixture f;
        QVERIFY(f.startServer(options));
        const fake::FakeResoServer& server = *f.server;
        f.writeSource(sourceConfig(QStringLiteral("mls"), server.serviceUrl(),
                                   {f.path(QStringLiteral("d.sqlite"))}, 10));
        const CliResult result = f.run(QStringLiteral("sync"));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QString stats = QDir(f.dataDir).filePath(QStringLiteral("stats.sqlite"));
        const qint64 requests =
            sumOf(stats, QStringLiteral("SELECT SUM(requests) FROM usage_hour WHERE source = 'mls'"));
        QCOMPARE(requests, qint64(server.requestCount()));
        QVERIFY(sumOf(stats, QStringLiteral("SELECT SUM(bytes) FROM usage_hour WHERE source = 'mls'")) >
                10000);
        QCOMPARE(sumOf(stats, QStringLiteral("SELECT SUM(throttled) FROM usage_hour")), 0);
        QCOMPARE(sumOf(stats, QStringLiteral("SELECT COUNT(*) FROM event WHERE kind = 'throttled'")), 0);
        // status shows it.
        const CliResult status = f.cli({QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(status.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(status.out).object();
        const QJsonObject usage = report.value(QStringLiteral("sources"))
                                      .toArray()
                                      .at(0)
                                      .toObject()
                                      .value(QStringLiteral("usage"))
                                      .toObject();
        QCOMPARE(usage.value(QStringLiteral("last24Hours"))
                     .toObject()
                     .value(QStringLiteral("requests"))
                     .toInteger(),
                 requests);
        const CliResult text = f.cli({QStringLiteral("status")});
        QVERIFY2(text.out.contains("requests: "), text.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestRateLimit)
#include "tst_ratelimit.moc"
