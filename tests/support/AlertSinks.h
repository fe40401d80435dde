#pragma once

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QString>
#include <QThread>

#include <memory>

namespace ors::test {

class HttpReceiverServer;
class SmtpSinkServer;

// A webhook receiver on loopback, on a thread of its own (so a test may block, or a CLI run in a
// child process may post, while it answers). Answers each request with the next status of
// `statuses`, then 200.
class HttpReceiver {
public:
    struct Request {
        QByteArray method;
        QByteArray path;
        QByteArray contentType;
        QByteArray body;
    };

    HttpReceiver();
    ~HttpReceiver();
    bool start();
    QString url(const QString& path = QStringLiteral("/hook")) const;
    void setStatuses(const QList<int>& statuses);
    QList<Request> requests() const;
    // Waits (processing events) until `count` requests arrived.
    bool waitFor(int count, int timeoutMs = 30000) const;

private:
    friend class HttpReceiverServer;
    QThread m_thread;
    HttpReceiverServer* m_server = nullptr;
    quint16 m_port = 0;
    mutable QMutex m_mutex;
    QList<Request> m_requests;
    QList<int> m_statuses;
};

// An SMTP server on loopback that offers STARTTLS with the given certificate and key (PEM files),
// refuses mail before TLS, takes AUTH PLAIN after it, and keeps every message it receives.
class SmtpSink {
public:
    struct Mail {
        bool tls = false;     // the transaction ran after STARTTLS
        QByteArray auth;      // the decoded AUTH PLAIN response ("\0user\0password"), if any
        QByteArray from;      // MAIL FROM address
        QList<QByteArray> to; // RCPT TO addresses
        QByteArray data;      // the message, dot-stuffing undone
    };

    SmtpSink(QString certificateFile, QString keyFile);
    ~SmtpSink();
    bool start();
    quint16 port() const { return m_port; }
    QList<Mail> mails() const;
    bool waitFor(int count, int timeoutMs = 30000) const;

private:
    friend class SmtpSinkServer;
    QString m_certificateFile;
    QString m_keyFile;
    QThread m_thread;
    SmtpSinkServer* m_server = nullptr;
    quint16 m_port = 0;
    mutable QMutex m_mutex;
    QList<Mail> m_mails;
};

// A self-signed certificate for 127.0.0.1 and localhost made with the openssl command in `dir`:
// <dir>/cert.pem and <dir>/key.pem; false when openssl failed.
bool makeSelfSignedCertificate(const QString& dir);

} // namespace ors::test
