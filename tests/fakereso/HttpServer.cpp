#include "HttpServer.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace ors::fake {

HttpServer::HttpServer(HttpConnection::Handler handler, QObject* parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_handler(std::move(handler)) {
    connect(m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(quint16 port) {
    return m_server->listen(QHostAddress::LocalHost, port);
}

quint16 HttpServer::port() const {
    return m_server->serverPort();
}

QString HttpServer::errorString() const {
    return m_server->errorString();
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
