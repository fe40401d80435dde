// The alert channels against real receivers on loopback: a webhook receiver (retries after a 500,
// none after a 400, the token in the URL never in a message), an SMTP sink offering STARTTLS with a
// self-signed certificate made by openssl for this run (From, To, Subject, body, AUTH), and a
// command that outlives its timeout.
#include "alerts/AlertChannel.h"
#include "AlertSinks.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentRun>
#include <QTemporaryDir>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

// QVERIFY2 evaluates its message whatever the outcome: no errorMessage() of a success.
const char* why(const Expected<void>& result) {
    static QByteArray text;
    text = result ? QByteArray() : result.errorMessage().toUtf8();
    return text.constData();
}

Alert sampleAlert() {
    Alert alert;
    alert.source = QStringLiteral("mls");
    alert.process = QStringLiteral("sync");
    alert.condition = AlertCondition::FailuresInARow;
    alert.state = AlertState::Raised;
    alert.time = QDateTime(QDate(2026, 3, 8), QTime(9, 30), Qt::UTC);
    alert.message = QStringLiteral("sync of mls failed 3 times in a row; last error: HTTP 500 — Größe");
    return alert;
}

// send() blocks: it runs on a pool thread while this one keeps the event loop going.
Expected<void> sendOnWorker(AlertChannel& channel, const Alert& alert) {
    QFuture<Expected<void>> future = QtConcurrent::run([&channel, alert] { return channel.send(alert); });
    while (!future.isFinished())
        QTest::qWait(20);
    return future.result();
}

AlertChannelConfig webhook(const QString& url) {
    AlertChannelConfig config;
    config.type = AlertChannelType::Webhook;
    config.name = QStringLiteral("slack");
    config.keyPath = QStringLiteral("alerts.channels[0]");
    config.url = SecretRef{SecretRef::Kind::Env, QStringLiteral("ORS_TEST_WEBHOOK")};
    qputenv("ORS_TEST_WEBHOOK", url.toUtf8());
    config.timeoutSeconds = 10;
    return config;
}

} // namespace

class TestAlertChannels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void webhookPostsJsonWithText();
    void webhookRetriesAfter500();
    void webhookGivesUpWithoutShowingTheUrl();
    void webhookDoesNotRetryA400();
    void emailThroughStartTls();
    void emailRefusesAnUntrustedCertificate();
    void commandTimesOut();

private:
    QTemporaryDir m_certDir;
};

void TestAlertChannels::initTestCase() {
    WebhookChannel::setBackoffMs(50);
    QVERIFY2(makeSelfSignedCertificate(m_certDir.path()), "openssl could not make a certificate");
}

void TestAlertChannels::webhookPostsJsonWithText() {
    HttpReceiver receiver;
    QVERIFY(receiver.start());
    auto channel = AlertChannel::create(webhook(receiver.url()));
    QVERIFY(channel);
    auto sent = sendOnWorker(*channel, sampleAlert());
    QVERIFY2(sent, why(sent));
    const auto requests = receiver.requests();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().method, QByteArray("POST"));
    QCOMPARE(requests.first().path, QByteArray("/hook"));
    QCOMPARE(requests.first().contentType, QByteArray("application/json"));
    const QJsonObject json = QJsonDocument::fromJson(requests.first().body).object();
    QCOMPARE(json.value(QStringLiteral("text")).toString(),
             QStringLiteral(
                 "[OpenReSync] ALERT mls sync: sync of mls failed 3 times in a row; last error: HTTP 500 "
                 "— Größe"));
    QCOMPARE(json.value(QStringLiteral("source")).toString(), QStringLiteral("mls"));
    QCOMPARE(json.value(QStringLiteral("process")).toString(), QStringLiteral("sync"));
    QCOMPARE(json.value(QStringLiteral("condition")).toString(), QStringLiteral("failures-in-a-row"));
    QCOMPARE(json.value(QStringLiteral("state")).toString(), QStringLiteral("raised"));
    QCOMPARE(json.value(QStringLiteral("time")).toString(), QStringLiteral("2026-03-08T09:30:00Z"));
    QVERIFY(json.value(QStringLiteral("message")).toString().endsWith(QStringLiteral("Größe")));
}

void TestAlertChannels::webhookRetriesAfter500() {
    HttpReceiver receiver;
    QVERIFY(receiver.start());
    receiver.setStatuses({500, 429});
    auto channel = AlertChannel::create(webhook(receiver.url()));
    auto sent = sendOnWorker(*channel, sampleAlert());
    QVERIFY2(sent, why(sent));
    const auto requests = receiver.requests();
    QCOMPARE(requests.size(), 3);
    QCOMPARE(requests.at(0).body, requests.at(2).body);
}

void TestAlertChannels::webhookGivesUpWithoutShowingTheUrl() {
    HttpReceiver receiver;
    QVERIFY(receiver.start());
    receiver.setStatuses({500, 502, 503, 200});
    auto channel = AlertChannel::create(webhook(receiver.url(QStringLiteral("/services/T1/B2/sEcReTtOkEn"))));
    auto sent = sendOnWorker(*channel, sampleAlert());
    QVERIFY(!sent);
    QCOMPARE(receiver.requests().size(), 3);
    QVERIFY2(sent.errorMessage().contains(QStringLiteral("gave up after 3 attempts: HTTP 503")),
             qPrintable(sent.errorMessage()));
    QVERIFY2(sent.errorMessage().contains(QStringLiteral("webhook \"slack\"")),
             qPrintable(sent.errorMessage()));
    QVERIFY2(!sent.errorMessage().contains(QStringLiteral("sEcReTtOkEn")), qPrintable(sent.errorMessage()));
}

void TestAlertChannels::webhookDoesNotRetryA400() {
    HttpReceiver receiver;
    QVERIFY(receiver.start());
    receiver.setStatuses({404});
    auto channel = AlertChannel::create(webhook(receiver.url()));
    auto sent = sendOnWorker(*channel, sampleAlert());
    QVERIFY(!sent);
    QCOMPARE(sent.error().httpStatus, 404);
    QCOMPARE(receiver.requests().size(), 1);
}

void TestAlertChannels::emailThroughStartTls() {
    SmtpSink sink(m_certDir.filePath(QStringLiteral("cert.pem")),
                  m_certDir.filePath(QStringLiteral("key.pem")));
    QVERIFY(sink.start());
    AlertChannelConfig config;
    config.type = AlertChannelType::Email;
    config.name = QStringLiteral("ops");
    config.keyPath = QStringLiteral("alerts.channels[1]");
    config.server = QStringLiteral("smtp://127.0.0.1:%1").arg(sink.port());
    config.from = QStringLiteral("openresync@example.com");
    config.to = {QStringLiteral("ops@example.com"), QStringLiteral("oncall@example.com")};
    config.username = QStringLiteral("mailer");
    qputenv("ORS_TEST_SMTP_PASSWORD", "s3cret-pw");
    config.password = SecretRef{SecretRef::Kind::Env, QStringLiteral("ORS_TEST_SMTP_PASSWORD")};
    config.caFile = m_certDir.filePath(QStringLiteral("cert.pem"));
    config.timeoutSeconds = 20;
    auto channel = AlertChannel::create(config);
    QVERIFY(channel);
    Alert alert = sampleAlert();
    alert.message += QStringLiteral("\n.leading dot line");
    auto sent = sendOnWorker(*channel, alert);
    QVERIFY2(sent, why(sent));
    QVERIFY(sink.waitFor(1));
    const SmtpSink::Mail mail = sink.mails().first();
    QVERIFY(mail.tls);
    QCOMPARE(mail.auth, QByteArray("\0mailer\0s3cret-pw", 17));
    QCOMPARE(mail.from, QByteArray("openresync@example.com"));
    QCOMPARE(mail.to, (QList<QByteArray>{"ops@example.com", "oncall@example.com"}));
    const QByteArray data = mail.data;
    QVERIFY2(data.contains("\r\nFrom: openresync@example.com\r\n"), data.constData());
    QVERIFY2(data.contains("\r\nTo: ops@example.com, oncall@example.com\r\n"), data.constData());
    // The subject has a non-ASCII letter: one RFC 2047 word.
    const qsizetype at = data.indexOf("\r\nSubject: =?UTF-8?B?");
    QVERIFY2(at >= 0, data.constData());
    const QByteArray word = data.mid(at + 21, data.indexOf("?=", at + 21) - at - 21);
    QCOMPARE(QString::fromUtf8(QByteArray::fromBase64(word)), alert.title());
    const QByteArray body = data.mid(data.indexOf("\r\n\r\n") + 4);
    QVERIFY2(body.startsWith("sync of mls failed 3 times in a row"), body.constData());
    QVERIFY2(body.contains("\r\n.leading dot line\r\n"), body.constData());
    QVERIFY2(body.contains("condition: failures-in-a-row\r\n"), body.constData());
    QVERIFY2(body.contains("state:     raised\r\n"), body.constData());
}

void TestAlertChannels::emailRefusesAnUntrustedCertificate() {
    SmtpSink sink(m_certDir.filePath(QStringLiteral("cert.pem")),
                  m_certDir.filePath(QStringLiteral("key.pem")));
    QVERIFY(sink.start());
    AlertChannelConfig config;
    config.type = AlertChannelType::Email;
    config.name = QStringLiteral("ops");
    config.server = QStringLiteral("smtp://127.0.0.1:%1").arg(sink.port());
    config.from = QStringLiteral("openresync@example.com");
    config.to = {QStringLiteral("ops@example.com")};
    config.timeoutSeconds = 20;
    auto channel = AlertChannel::create(config); // no caFile: the self-signed certificate is not trusted
    auto sent = sendOnWorker(*channel, sampleAlert());
    QVERIFY(!sent);
    QVERIFY2(sent.errorMessage().startsWith(QStringLiteral("email \"ops\" via smtp://127.0.0.1")),
             qPrintable(sent.errorMessage()));
    QCOMPARE(sink.mails().size(), 0);
}

void TestAlertChannels::commandTimesOut() {
    AlertChannelConfig config;
    config.type = AlertChannelType::Command;
    config.name = QStringLiteral("sms");
    config.program = QStringLiteral("/bin/sh");
    config.args = {QStringLiteral("-c"), QStringLiteral("sleep 30")};
    config.timeoutSeconds = 1;
    auto channel = AlertChannel::create(config);
    auto sent = sendOnWorker(*channel, sampleAlert());
    QVERIFY(!sent);
    QVERIFY2(sent.errorMessage().contains(QStringLiteral("did not finish within 1 s")),
             qPrintable(sent.errorMessage()));

    config.args = {QStringLiteral("-c"), QStringLiteral("echo gateway says no >&2; exit 4")};
    auto failing = AlertChannel::create(config);
    auto refused = sendOnWorker(*failing, sampleAlert());
    QVERIFY(!refused);
    QVERIFY2(refused.errorMessage().contains(QStringLiteral("exited with code 4: gateway says no")),
             qPrintable(refused.errorMessage()));
}

QTEST_MAIN(TestAlertChannels)
#include "tst_alertchannels.moc"
