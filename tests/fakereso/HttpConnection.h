#pragma once

#include "HttpMessage.h"

#include <QObject>

#include <functional>

class QTcpSocket;

namespace ors::fake {

// One keep-alive HTTP/1.1 connection, hand-written so faults can break the protocol at
// exactly the point a test wants. Requests are answered strictly in order: the next one is
// not read until the current response has gone out.
class HttpConnection : public QObject {
    Q_OBJECT
public:
    enum class Delivery {
        Normal,
        TruncateAndClose, // announce the full Content-Length, send half, close
        ResetMidBody,     // headers and half the body, then RST
    };
    using Handler = std::function<void(HttpConnection*, const HttpRequest&)>;

    HttpConnection(QTcpSocket* socket, Handler handler, QObject* parent = nullptr);
    ~HttpConnection() override;

    void respond(const HttpResponse& response, Delivery delivery = Delivery::Normal);
    void resetNow(); // RST without a response
    // `gzipBody` as is, with Content-Encoding: gzip, whatever the client asked for.
    void respondCompressed(const HttpResponse& response, const QByteArray& gzipBody) {
        send(response, gzipBody, true, Delivery::Normal);
    }
    // `response` exactly as given, never compressed (its headers may claim otherwise).
    void respondAsIs(const HttpResponse& response) { send(response, response.body, false, Delivery::Normal); }

private:
    void onReadyRead();
    void processBuffer();
    bool parseHead(qsizetype headEnd);
    void send(const HttpResponse& response, const QByteArray& body, bool gzip, Delivery delivery);
    void fail(int status, const QByteArray& message);
    void abortWithReset();

    QTcpSocket* m_socket;
    Handler m_handler;
    QByteArray m_buffer;
    HttpRequest m_current;
    bool m_busy = false;
    bool m_headParsed = false;
    qsizetype m_bodyLength = 0;
    bool m_closeAfter = false;
    bool m_acceptsGzip = false;
};

} // namespace ors::fake
