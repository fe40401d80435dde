#pragma once

#include "HttpConnection.h"

#include <QObject>

class QTcpServer;

namespace ors::fake {

// Accepts loopback connections and hands every parsed request to one handler. Lives, with
// its connections, in the fake server's own thread.
class HttpServer : public QObject {
    Q_OBJECT
public:
    explicit HttpServer(HttpConnection::Handler handler, QObject* parent = nullptr);
    ~HttpServer() override;

    // With a PEM certificate and key, connections are TLS (QSslServer), handed on once encrypted.
    bool listen(quint16 port, const QString& tlsCertificate = {}, const QString& tlsKey = {});
    quint16 port() const;
    QString errorString() const;

private:
    void onNewConnection();

    QTcpServer* m_server = nullptr;
    QString m_error;
    HttpConnection::Handler m_handler;
};

} // namespace ors::fake
