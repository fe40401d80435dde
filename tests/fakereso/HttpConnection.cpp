#include "HttpConnection.h"

#include "Gzip.h"

#include <QFuture>
#include <QPromise>
#include <QTcpSocket>
#include <QThreadPool>

#include <sys/socket.h>

namespace ors::fake {

namespace {

constexpr qsizetype kMaxHead = 1024 * 1024; // long "Key in (...)" URLs are legitimate
constexpr qsizetype kMaxBody = 16 * 1024 * 1024;
constexpr qsizetype kCompressInline = 256 * 1024;

QByteArray reason(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket* socket, Handler handler, QObject* parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(std::move(handler)) {
    m_socket->setParent(this);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::onReadyRead() {
    m_buffer.append(m_socket->readAll());
    processBuffer();
}

void HttpConnection::processBuffer() {
    if (m_busy || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (!m_headParsed) {
        const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            if (m_buffer.size() > kMaxHead)
                fail(431, "Request head too large");
            return;
        }
        if (!parseHead(headEnd))
            return;
    }
    if (m_buffer.size() < m_bodyLength)
        return;
    m_current.body = m_buffer.left(m_bodyLength);
    m_buffer.remove(0, m_bodyLength);
    m_headParsed = false;
    m_busy = true;
    m_handler(this, m_current);
}

bool HttpConnection::parseHead(qsizetype headEnd) {
    const QByteArray head = m_buffer.left(headEnd);
    m_buffer.remove(0, headEnd + 4);
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
        fail(400, "Malformed request line");
        return false;
    }
    m_current = HttpRequest();
    m_current.method = requestLine[0];
    m_current.target = requestLine[1];
    m_current.version = requestLine[2];
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            fail(400, "Malformed header line");
            return false;
        }
        m_current.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    if (!m_current.header("transfer-encoding").isEmpty()) {
        fail(501, "Transfer-Encoding is not supported; send Content-Length");
        return false;
    }
    bool ok = true;
    const QByteArray length = m_current.header("content-length");
    m_bodyLength = length.isEmpty() ? 0 : length.toLongLong(&ok);
    if (!ok || m_bodyLength < 0 || m_bodyLength > kMaxBody) {
        fail(413, "Bad or too large Content-Length");
        return false;
    }
    const QByteArray connection = m_current.header("connection").toLower();
    m_closeAfter = connection.contains("close") ||
                   (m_current.version == "HTTP/1.0" && !connection.contains("keep-alive"));
    const QByteArray encoding = m_current.header("accept-encoding").toLower();
    m_acceptsGzip = encoding.contains("gzip") && !encoding.contains("gzip;q=0");
    m_headParsed = true;
    return true;
}

void HttpConnection::respond(const HttpResponse& response, Delivery delivery) {
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (!m_acceptsGzip || response.body.isEmpty()) {
        send(response, response.body, false, delivery);
        return;
    }
    if (response.body.size() < kCompressInline) {
        send(response, gzipCompress(response.body), true, delivery);
        return;
    }
    // A page of 1,000 listings takes ~100 ms to compress: do it on the thread pool so this
    // thread keeps serving other connections. then(this, ...) drops the continuation if the
    // connection is gone by then.
    auto promise = std::make_shared<QPromise<QByteArray>>();
    promise->future().then(this, [this, response, delivery](const QByteArray& compressed) {
        send(response, compressed, true, delivery);
    });
    promise->start();
    QThreadPool::globalInstance()->start([promise, body = response.body] {
        promise->addResult(gzipCompress(body));
        promise->finish();
    });
}

void HttpConnection::send(const HttpResponse& response, const QByteArray& body, bool gzip,
                          Delivery delivery) {
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    QByteArray head =
        "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reason(response.status) + "\r\n";
    head += "Content-Type: " + response.contentType + "\r\n";
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (gzip)
        head += "Content-Encoding: gzip\r\n";
    head += "OData-Version: 4.0\r\n";
    for (const auto& [name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    head += m_closeAfter ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n";

    switch (delivery) {
    case Delivery::Normal:
        m_socket->write(head);
        m_socket->write(body);
        m_busy = false;
        if (m_closeAfter)
            m_socket->disconnectFromHost();
        else
            QMetaObject::invokeMethod(this, &HttpConnection::processBuffer, Qt::QueuedConnection);
        return;
    case Delivery::TruncateAndClose:
        m_socket->write(head);
        m_socket->write(body.left(body.size() / 2));
        m_socket->disconnectFromHost(); // graceful: the half body arrives, then EOF
        return;
    case Delivery::ResetMidBody:
        m_socket->write(head);
        m_socket->write(body.left(body.size() / 2));
        m_socket->flush();
        abortWithReset();
        return;
    }
}

void HttpConnection::resetNow() {
    abortWithReset();
}

void HttpConnection::abortWithReset() {
    // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    const qintptr fd = m_socket->socketDescriptor();
    if (fd >= 0) {
        linger lin{1, 0};
        ::setsockopt(static_cast<int>(fd), SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
    }
    m_socket->abort();
    deleteLater();
}

void HttpConnection::fail(int status, const QByteArray& message) {
    m_closeAfter = true;
    m_busy = true;
    HttpResponse r;
    r.status = status;
    r.body = R"({"error":{"code":")" + QByteArray::number(status) + R"(","message":")" + message + "\"}}";
    respond(r);
}

} // namespace ors::fake
