#include "AlertSinks.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QMutexLocker>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

namespace ors::test {

namespace {

template <typename Done>
bool waitUntil(Done done, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(10);
    }
    return true;
}

} // namespace

// ---------------------------------------------------------------- HTTP

class HttpReceiverServer : public QTcpServer {
public:
    explicit HttpReceiverServer(HttpReceiver* owner)
        : m_owner(owner) {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

private:
    void read(QTcpSocket* socket) {
        QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
        socket->setProperty("buffer", buffer);
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        HttpReceiver::Request request;
        const QList<QByteArray> first = lines.first().trimmed().split(' ');
        request.method = first.value(0);
        request.path = first.value(1);
        qsizetype length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length")
                length = value.toLongLong();
            else if (name == "content-type")
                request.contentType = value;
        }
        if (buffer.size() < end + 4 + length)
            return;
        request.body = buffer.mid(end + 4, length);
        int status = 200;
        {
            QMutexLocker lock(&m_owner->m_mutex);
            m_owner->m_requests.append(request);
            if (!m_owner->m_statuses.isEmpty())
                status = m_owner->m_statuses.takeFirst();
        }
        socket->write("HTTP/1.1 " + QByteArray::number(status) +
                      " X\r\nContent-Length: 2\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nok");
        socket->disconnectFromHost();
    }

    HttpReceiver* m_owner;
};

HttpReceiver::HttpReceiver() = default;

HttpReceiver::~HttpReceiver() {
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

bool HttpReceiver::start() {
    m_server = new HttpReceiverServer(this);
    m_server->moveToThread(&m_thread);
    m_thread.start();
    bool ok = false;
    QMetaObject::invokeMethod(
        m_server,
        [this, &ok] {
            ok = m_server->listen(QHostAddress::LocalHost, 0);
            m_port = m_server->serverPort();
        },
        Qt::BlockingQueuedConnection);
    return ok;
}

QString HttpReceiver::url(const QString& path) const {
    return QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path);
}

void HttpReceiver::setStatuses(const QList<int>& statuses) {
    QMutexLocker lock(&m_mutex);
    m_statuses = statuses;
}

QList<HttpReceiver::Request> HttpReceiver::requests() const {
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

bool HttpReceiver::waitFor(int count, int timeoutMs) const {
    return waitUntil([&] { return requests().size() >= count; }, timeoutMs);
}

// ---------------------------------------------------------------- SMTP

class SmtpSinkServer : public QTcpServer {
public:
    explicit SmtpSinkServer(SmtpSink* owner)
        : m_owner(owner) {}

protected:
    void incomingConnection(qintptr descriptor) override {
        auto* socket = new QSslSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        QFile cert(m_owner->m_certificateFile);
        QFile key(m_owner->m_keyFile);
        if (cert.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly)) {
            socket->setLocalCertificate(QSslCertificate(cert.readAll(), QSsl::Pem));
            socket->setPrivateKey(QSslKey(key.readAll(), QSsl::Rsa, QSsl::Pem));
        }
        auto* session = new Session{socket, {}, {}, false, false};
        connect(socket, &QSslSocket::readyRead, this, [this, session] { read(session); });
        connect(socket, &QSslSocket::disconnected, this, [session] {
            session->socket->deleteLater();
            delete session;
        });
        socket->write("220 sink ESMTP ready\r\n");
    }

private:
    struct Session {
        QSslSocket* socket;
        QByteArray buffer;
        SmtpSink::Mail mail;
        bool inData;
        bool awaitingAuth;
    };

    void reply(Session* s, const QByteArray& line) { s->socket->write(line + "\r\n"); }

    void read(Session* s) {
        s->buffer += s->socket->readAll();
        qsizetype nl;
        while ((nl = s->buffer.indexOf("\r\n")) >= 0) {
            const QByteArray line = s->buffer.left(nl);
            s->buffer.remove(0, nl + 2);
            handle(s, line);
            if (s->socket->state() != QAbstractSocket::ConnectedState)
                return;
        }
    }

    void handle(Session* s, const QByteArray& line) {
        if (s->inData) {
            if (line == ".") {
                s->inData = false;
                {
                    QMutexLocker lock(&m_owner->m_mutex);
                    m_owner->m_mails.append(s->mail);
                }
                s->mail = SmtpSink::Mail{s->mail.tls, s->mail.auth, {}, {}, {}};
                reply(s, "250 queued");
            } else {
                s->mail.data += (line.startsWith("..") ? line.mid(1) : line) + "\r\n";
            }
            return;
        }
        if (s->awaitingAuth) {
            s->awaitingAuth = false;
            s->mail.auth = QByteArray::fromBase64(line);
            reply(s, "235 authenticated");
            return;
        }
        const QByteArray upper = line.toUpper();
        const bool tls = s->socket->isEncrypted();
        if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
            if (tls)
                reply(s, "250-sink\r\n250-AUTH PLAIN\r\n250 8BITMIME");
            else
                reply(s, "250-sink\r\n250-STARTTLS\r\n250 8BITMIME");
        } else if (upper == "STARTTLS" && !tls) {
            reply(s, "220 go ahead");
            s->socket->flush();
            s->socket->startServerEncryption();
        } else if (upper == "QUIT") {
            reply(s, "221 bye");
            s->socket->disconnectFromHost();
        } else if (!tls) {
            reply(s, "530 must issue STARTTLS first");
        } else if (upper.startsWith("AUTH PLAIN")) {
            const QByteArray initial = line.mid(10).trimmed();
            if (initial.isEmpty()) {
                s->awaitingAuth = true;
                reply(s, "334 ");
            } else {
                s->mail.auth = QByteArray::fromBase64(initial);
                reply(s, "235 authenticated");
            }
        } else if (upper.startsWith("MAIL FROM:")) {
            s->mail.tls = true;
            s->mail.from = line.mid(10).trimmed().split(' ').first();
            s->mail.from = s->mail.from.mid(1, s->mail.from.size() - 2);
            reply(s, "250 ok");
        } else if (upper.startsWith("RCPT TO:")) {
            QByteArray to = line.mid(8).trimmed();
            s->mail.to.append(to.mid(1, to.size() - 2));
            reply(s, "250 ok");
        } else if (upper == "DATA") {
            s->inData = true;
            reply(s, "354 end with .");
        } else if (upper == "RSET" || upper == "NOOP") {
            reply(s, "250 ok");
        } else {
            reply(s, "502 not implemented");
        }
    }

    SmtpSink* m_owner;
};

SmtpSink::SmtpSink(QString certificateFile, QString keyFile)
    : m_certificateFile(std::move(certificateFile))
    , m_keyFile(std::move(keyFile)) {}

SmtpSink::~SmtpSink() {
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

bool SmtpSink::start() {
    m_server = new SmtpSinkServer(this);
    m_server->moveToThread(&m_thread);
    m_thread.start();
    bool ok = false;
    QMetaObject::invokeMethod(
        m_server,
        [this, &ok] {
            ok = m_server->listen(QHostAddress::LocalHost, 0);
            m_port = m_server->serverPort();
        },
        Qt::BlockingQueuedConnection);
    return ok;
}

QList<SmtpSink::Mail> SmtpSink::mails() const {
    QMutexLocker lock(&m_mutex);
    return m_mails;
}

bool SmtpSink::waitFor(int count, int timeoutMs) const {
    return waitUntil([&] { return mails().size() >= count; }, timeoutMs);
}

bool makeSelfSignedCertificate(const QString& dir) {
    auto run = [](const QStringList& args) {
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"), args);
        return openssl.waitForFinished(60000) && openssl.exitStatus() == QProcess::NormalExit &&
               openssl.exitCode() == 0;
    };
    const QString key = dir + QStringLiteral("/key.pem");
    const QString cert = dir + QStringLiteral("/cert.pem");
    // -traditional: "BEGIN RSA PRIVATE KEY", which QSslKey(…, QSsl::Rsa) reads.
    return run({QStringLiteral("genrsa"), QStringLiteral("-traditional"), QStringLiteral("-out"), key,
                QStringLiteral("2048")}) &&
           run({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-key"), key,
                QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("2"),
                QStringLiteral("-subj"), QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1")});
}

} // namespace ors::test
