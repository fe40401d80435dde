// A source behind HTTPS with a self-signed certificate (made here with the openssl command), through
// the real openresync-cli: refused by default with a message saying what to do, synced exactly
// with the certificate as the source's tls.ca, synced with tls.insecure and a warning in the
// log; a tls.ca that holds no certificate, or does not exist, named.
#include "TestSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace ors;
using namespace ors::test;
using namespace Qt::StringLiterals;

class TestTls : public QObject {
    Q_OBJECT

    QTemporaryDir m_keys;
    QString m_certificate;
    QString m_key;

    fake::ServerOptions httpsServer() const {
        fake::ServerOptions options;
        options.listingCount = 30;
        options.tlsCertificate = m_certificate;
        options.tlsKey = m_key;
        return options;
    }

    // A config with one HTTPS source of Property into one SQLite file, and `tls` when given.
    QString config(const QTemporaryDir& dir, const fake::FakeResoServer& server, const QJsonObject& tls) {
        QJsonObject source = sourceConfig(u"mls"_s, server.serviceUrl(), {dir.filePath(u"d.sqlite"_s)}, 10);
        source.insert(u"resources"_s, QJsonArray{QJsonObject{{u"name"_s, u"Property"_s}}});
        if (!tls.isEmpty())
            source.insert(u"tls"_s, tls);
        return writeConfig(dir.path(), configWith(source));
    }

    static CliResult sync(const QTemporaryDir& dir, const QString& config) {
        return runCli(cliArgs(config, dir.filePath(u"data"_s), {u"sync"_s, u"mls"_s}));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_keys.isValid());
        m_certificate = m_keys.filePath(u"server.pem"_s);
        m_key = m_keys.filePath(u"server.key"_s);
        QProcess openssl;
        openssl.start(u"openssl"_s,
                      {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-days"_s, u"2"_s,
                       u"-subj"_s, u"/CN=127.0.0.1"_s, u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s,
                       u"-keyout"_s, m_key, u"-out"_s, m_certificate});
        QVERIFY2(openssl.waitForFinished(60000) && openssl.exitCode() == 0,
                 openssl.readAllStandardError().constData());
    }

    void refusedByDefault() {
        fake::FakeResoServer server(httpsServer());
        QVERIFY(server.start());
        QVERIFY(server.serviceUrl().startsWith(u"https://"_s));
        QTemporaryDir dir;
        const CliResult result = sync(dir, config(dir, server, {}));
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("TLS: the server's certificate is not trusted (The certificate is "
                                     "self-signed, and untrusted)"),
                 result.err.constData());
        QVERIFY2(result.err.contains("set the source's tls.ca"), result.err.constData());
        // Refused at the handshake: the server never saw a request.
        QVERIFY(server.requestsSeen().isEmpty());
    }

    void acceptedWithItsCa() {
        fake::FakeResoServer server(httpsServer());
        QVERIFY(server.start());
        QTemporaryDir dir;
        const CliResult result = sync(dir, config(dir, server, QJsonObject{{u"ca"_s, m_certificate}}));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY(!result.err.contains("not verified"));
        const QStringList differences = compareWithServer(server, u"Property"_s, dir.filePath(u"d.sqlite"_s),
                                                          u"Property"_s, u"ListingKey"_s);
        QVERIFY2(differences.isEmpty(), qPrintable(differences.join(u'\n')));
    }

    void insecureSyncsWithAWarning() {
        fake::FakeResoServer server(httpsServer());
        QVERIFY(server.start());
        QTemporaryDir dir;
        const CliResult result = sync(dir, config(dir, server, QJsonObject{{u"insecure"_s, true}}));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        // Said when the configuration is read (the window shows the same warning) ...
        QVERIFY2(result.err.contains("sources[0].tls.insecure: the certificates of this source's servers are "
                                     "not verified"),
                 result.err.constData());
        // ... and in the source's log at every run.
        QVERIFY(contentsUnder(dir.filePath(u"data"_s))
                    .contains(
                        "TLS certificates of this source's servers are not verified (tls.insecure is true)"));
        const QStringList differences = compareWithServer(server, u"Property"_s, dir.filePath(u"d.sqlite"_s),
                                                          u"Property"_s, u"ListingKey"_s);
        QVERIFY2(differences.isEmpty(), qPrintable(differences.join(u'\n')));
    }

    void badCaNamed() {
        fake::FakeResoServer server(httpsServer());
        QVERIFY(server.start());
        QTemporaryDir dir;
        // A file that is not a certificate: the run fails naming it, before any request.
        const QString notCertificate = dir.filePath(u"notes.txt"_s);
        QFile notes(notCertificate);
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("not a certificate\n");
        notes.close();
        const CliResult wrong = sync(dir, config(dir, server, QJsonObject{{u"ca"_s, notCertificate}}));
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains(qPrintable(
                     u"source \"mls\": tls.ca: %1 holds no certificate (PEM or DER)"_s.arg(notCertificate))),
                 wrong.err.constData());
        QVERIFY(server.requestsSeen().isEmpty());
        // A file that does not exist, or a switch that is not a boolean: the configuration is refused by key
        // path.
        const CliResult missing =
            sync(dir, config(dir, server, QJsonObject{{u"ca"_s, dir.filePath(u"none.pem"_s)}}));
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains("sources[0].tls.ca: file"), missing.err.constData());
        const CliResult notBool = sync(dir, config(dir, server, QJsonObject{{u"insecure"_s, u"yes"_s}}));
        QCOMPARE(notBool.exitCode, 2);
        QVERIFY2(notBool.err.contains("sources[0].tls.insecure: must be true or false"),
                 notBool.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
