#include "HttpServer.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>

namespace ors::fake {

HttpServer::HttpServer(HttpConnection::Handler handler, QObject* parent)
    : QObject(parent)
    , m_handler(std::move(handler)) {}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(quint16 port, const QString& tlsCertificate, const QString& tlsKey) {
    if (tlsCertificate.isEmpty()) {
        m_server = new QTcpServer(this);
    } else {
        const QList<QSslCertificate> chain = QSslCertificate::fromPath(tlsCertificate);
        QFile keyFile(tlsKey);
        if (chain.isEmpty() || !keyFile.open(QIODevice::ReadOnly)) {
            m_error =
                QStringLiteral("cannot read the TLS certificate %1 or key %2").arg(tlsCertificate, tlsKey);
            return false;
        }
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setLocalCertificateChain(chain);
        ssl.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa));
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone); // clients bring no certificate
        auto* server = new QSslServer(this);
        server->setSslConfiguration(ssl);
        m_server = server;
    }
    // Emitted once a connection is usable: for TLS, after the handshake.
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &HttpServer::onNewConnection);
    return m_server->listen(QHostAddress::LocalHost, port);
}

quint16 HttpServer::port() const {
    return m_server ? m_server->serverPort() : 0;
}

QString HttpServer::errorString() const {
    return m_error.isEmpty() && m_server ? m_server->errorString() : m_error;
}

void HttpServer::onNewConnection() {
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        // Without TCP_NODELAY, Nagle holds a response's last segment until the client's delayed
        // ACK (40 ms on Linux): one stall per page, most of a key download's wall time.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        new HttpConnection(socket, m_handler, this);
    }
}

} // namespace ors::fake
