#include "FakeResoServer.h"

#include "Gzip.h"
#include "HttpServer.h"
#include "RateGate.h"
#include "ResoService.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QLocale>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <mutex>
#include <optional>

namespace ors::fake {

struct FakeResoServer::Impl {
    explicit Impl(const ServerOptions& o)
        : options(o)
        , service(o)
        , gate(o) {
        clock.start();
    }

    void handle(HttpConnection* connection, const HttpRequest& request);
    std::optional<Fault> takeFault(const HttpRequest& request);
    void answer(HttpConnection* connection, const HttpRequest& request, const std::optional<Fault>& fault,
                const RateGate::Headers& quota);

    ServerOptions options;
    ResoService service;
    QThread thread;
    QObject* context = nullptr; // lives in `thread`; parent of the HTTP server
    HttpServer* http = nullptr;
    quint16 port = 0;

    mutable std::mutex mutex; // guards everything below
    QList<Fault> faults;
    QList<Fault::Kind> faultsServed;
    QList<Redirect> redirects;
    int requests = 0;
    QStringList log;
    QList<QByteArray> bodies;
    QList<SeenRequest> seen;
    RateGate gate;
    QElapsedTimer clock;
    QList<qint64> times;
    DateHeader dateMode = DateHeader::None;
    QByteArray fixedDate;
};

FakeResoServer::FakeResoServer(ServerOptions options)
    : d(std::make_unique<Impl>(options)) {
    d->thread.setObjectName(QStringLiteral("FakeResoServer"));
}

FakeResoServer::~FakeResoServer() {
    stop();
}

bool FakeResoServer::start(quint16 port) {
    if (d->http)
        return true;
    d->context = new QObject;
    d->context->moveToThread(&d->thread);
    d->thread.start();
    bool ok = false;
    Impl* impl = d.get();
    QMetaObject::invokeMethod(
        d->context,
        [impl, port, &ok] {
            impl->http = new HttpServer(
                [impl](HttpConnection* c, const HttpRequest& r) { impl->handle(c, r); }, impl->context);
            ok = impl->http->listen(port, impl->options.tlsCertificate, impl->options.tlsKey);
            if (ok)
                impl->port = impl->http->port();
            else
                qWarning("FakeResoServer: cannot listen: %s", qPrintable(impl->http->errorString()));
        },
        Qt::BlockingQueuedConnection);
    if (!ok) {
        stop();
        return false;
    }
    d->service.setBaseUrl(scheme() + QStringLiteral("://127.0.0.1:%1").arg(d->port));
    return true;
}

void FakeResoServer::stop() {
    if (!d->context)
        return;
    Impl* impl = d.get();
    // Delete the server and its connections in their own thread, then end the thread.
    QMetaObject::invokeMethod(
        d->context,
        [impl] {
            delete impl->http;
            impl->http = nullptr;
        },
        Qt::BlockingQueuedConnection);
    d->thread.quit();
    d->thread.wait();
    delete d->context;
    d->context = nullptr;
}

quint16 FakeResoServer::port() const {
    return d->port;
}

QString FakeResoServer::scheme() const {
    return d->options.tlsCertificate.isEmpty() ? QStringLiteral("http") : QStringLiteral("https");
}

QString FakeResoServer::serviceUrl() const {
    return scheme() + QStringLiteral("://127.0.0.1:%1/odata").arg(d->port);
}

QString FakeResoServer::origin() const {
    return scheme() + QStringLiteral("://127.0.0.1:%1").arg(d->port);
}

QList<FakeResoServer::SeenRequest> FakeResoServer::requestsSeen() const {
    std::lock_guard lock(d->mutex);
    return d->seen;
}

void FakeResoServer::setNextLinkOrigin(const QString& origin) {
    d->service.setNextLinkOrigin(origin);
}

QString FakeResoServer::tokenUrl() const {
    return scheme() + QStringLiteral("://127.0.0.1:%1/token").arg(d->port);
}

const ServerOptions& FakeResoServer::options() const {
    return d->options;
}

QByteArray FakeResoServer::metadataXml() const {
    return d->service.metadataXml();
}

QJsonArray FakeResoServer::records(const QString& resource) const {
    return d->service.records(resource);
}

QList<QByteArray> FakeResoServer::rawRecords(const QString& resource) const {
    return d->service.rawRecords(resource);
}

QString FakeResoServer::maxModificationTimestamp() const {
    return d->service.maxModificationTimestamp();
}

QStringList FakeResoServer::changeRecords(double fraction) {
    return d->service.changeRecords(fraction);
}

QStringList FakeResoServer::addRecords(int count) {
    return d->service.addRecords(count);
}

QStringList FakeResoServer::deleteRecords(int count) {
    return d->service.deleteRecords(count);
}

void FakeResoServer::setRecordText(const QString& resource, const QString& key, const QByteArray& json) {
    d->service.setRecordText(resource, key, json);
}

QString FakeResoServer::touchRecord(const QString& resource, const QString& key) {
    return d->service.touchRecord(resource, key);
}

void FakeResoServer::touchRecordAfterRequests(const QString& resource, const QString& key, int requests) {
    d->service.touchRecordAfterRequests(resource, key, requests);
}

qint64 FakeResoServer::expandDelayAppliedMs() const {
    return d->service.expandDelayAppliedMs();
}

QString FakeResoServer::addChild(const QString& resource, const QString& parentKey) {
    return d->service.addChild(resource, parentKey);
}

bool FakeResoServer::removeChild(const QString& resource, const QString& childKey) {
    return d->service.removeChild(resource, childKey);
}

void FakeResoServer::injectFault(const Fault& fault) {
    std::lock_guard lock(d->mutex);
    d->faults.append(fault);
}

QList<Fault::Kind> FakeResoServer::faultsServed() const {
    std::lock_guard lock(d->mutex);
    return d->faultsServed;
}

void FakeResoServer::injectRedirect(const Redirect& redirect) {
    std::lock_guard lock(d->mutex);
    d->redirects.append(redirect);
}

void FakeResoServer::clearFaults() {
    std::lock_guard lock(d->mutex);
    d->faults.clear();
    d->redirects.clear();
}

void FakeResoServer::expireTokens() {
    d->service.expireTokens();
}

void FakeResoServer::expireCursors() {
    d->service.expireCursors();
}

void FakeResoServer::expireCursorsAfter(int requests) {
    d->service.expireCursorsAfter(requests);
}

void FakeResoServer::setCountBias(int bias) {
    d->service.setCountBias(bias);
}

void FakeResoServer::setNextLinkLoop(NextLinkLoop loop, const QString& scope) {
    d->service.setNextLinkLoop(loop, scope);
}

void FakeResoServer::setCountSupport(CountSupport support) {
    d->service.setCountSupport(support);
}

void FakeResoServer::setWallClockTimestamps(bool on) {
    d->service.setWallClockTimestamps(on);
}

void FakeResoServer::setDateHeader(DateHeader mode, const QByteArray& fixed) {
    std::lock_guard lock(d->mutex);
    d->dateMode = mode;
    d->fixedDate = fixed;
}

bool FakeResoServer::setTimestamp(const QString& resource, const QString& key, const QString& text) {
    return d->service.setTimestamp(resource, key, text);
}

void FakeResoServer::setQuotaRemaining(int remaining, int resetInMs) {
    std::lock_guard lock(d->mutex);
    d->gate.setQuotaRemaining(remaining, resetInMs);
}

int FakeResoServer::throttledCount() const {
    std::lock_guard lock(d->mutex);
    return d->gate.throttled();
}

QList<qint64> FakeResoServer::requestTimesMs() const {
    std::lock_guard lock(d->mutex);
    return d->times;
}

int FakeResoServer::requestCount() const {
    std::lock_guard lock(d->mutex);
    return d->requests;
}

QStringList FakeResoServer::requestLog() const {
    std::lock_guard lock(d->mutex);
    return d->log;
}

QList<QByteArray> FakeResoServer::requestBodies() const {
    std::lock_guard lock(d->mutex);
    return d->bodies;
}

void FakeResoServer::clearRequestLog() {
    std::lock_guard lock(d->mutex);
    d->log.clear();
    d->times.clear();
    d->bodies.clear();
    d->seen.clear();
    d->requests = 0;
}

std::optional<Fault> FakeResoServer::Impl::takeFault(const HttpRequest& request) {
    const QString target = QString::fromUtf8(request.target);
    const bool isToken = request.path() == "/token";
    for (qsizetype i = 0; i < faults.size(); ++i) {
        Fault& f = faults[i];
        const bool matches = f.pathContains.isEmpty() ? !isToken : target.contains(f.pathContains);
        if (!matches)
            continue;
        Fault taken = f;
        faultsServed.append(f.kind);
        if (--f.count <= 0)
            faults.removeAt(i);
        return taken;
    }
    return std::nullopt;
}

void FakeResoServer::Impl::handle(HttpConnection* connection, const HttpRequest& request) {
    std::optional<Fault> fault;
    std::optional<HttpResponse> refused;
    RateGate::Headers quota;
    {
        std::lock_guard lock(mutex);
        ++requests;
        log << QString::fromUtf8(request.target);
        seen << SeenRequest{request.method, request.header("host"), request.target,
                            request.header("authorization")};
        times << clock.elapsed();
        if (request.method == "POST")
            bodies << request.body;
        refused = gate.admit(request, &quota);
        const QString target = QString::fromUtf8(request.target);
        const bool isToken = request.path() == "/token";
        for (qsizetype i = 0; !refused && i < redirects.size(); ++i) {
            Redirect& r = redirects[i];
            if (r.pathContains.isEmpty() ? isToken : !target.contains(r.pathContains))
                continue;
            HttpResponse moved;
            moved.status = r.status;
            moved.headers.append(header("Location", r.location.toUtf8()));
            moved.contentType = "text/plain";
            moved.body = "Moved to " + r.location.toUtf8();
            moved.headers += quota;
            refused = moved;
            if (--r.count <= 0)
                redirects.removeAt(i);
        }
        if (!refused)
            fault = takeFault(request);
    }
    if (refused) {
        connection->respond(*refused);
        return;
    }
    if (fault && fault->kind == Fault::Kind::Slow) {
        // A timer, not a sleep: other connections keep being served meanwhile.
        QPointer<HttpConnection> guard(connection);
        QTimer::singleShot(fault->delayMs, connection, [this, guard, request, quota] {
            if (guard)
                answer(guard, request, std::nullopt, quota);
        });
        return;
    }
    answer(connection, request, fault, quota);
}

void FakeResoServer::Impl::answer(HttpConnection* connection, const HttpRequest& request,
                                  const std::optional<Fault>& fault, const RateGate::Headers& quota) {
    using Kind = Fault::Kind;
    DateHeader mode = DateHeader::None;
    QByteArray date;
    {
        std::lock_guard lock(mutex);
        mode = dateMode;
        date = fixedDate;
    }
    if (mode == DateHeader::Clock)
        date = QLocale::c()
                   .toString(QDateTime::fromMSecsSinceEpoch(service.advanceToSecond(), Qt::UTC),
                             QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
                   .toLatin1();
    // Quota headers (and Date, when asked for) go on every response, as the platforms send them.
    auto respond = [&](HttpResponse response,
                       HttpConnection::Delivery delivery = HttpConnection::Delivery::Normal) {
        response.headers += quota;
        if (mode != DateHeader::None)
            response.headers.append(header("Date", date));
        connection->respond(response, delivery);
    };
    if (!fault) {
        HttpResponse response = service.handle(request);
        if (response.delayMs <= 0) {
            respond(response);
            return;
        }
        // A slow $expand: a timer, not a sleep, as for Fault::Kind::Slow.
        response.headers += quota;
        if (mode != DateHeader::None)
            response.headers.append(header("Date", date));
        QPointer<HttpConnection> guard(connection);
        QTimer::singleShot(response.delayMs, connection, [guard, response] {
            if (guard)
                guard->respond(response);
        });
        return;
    }
    // Fault::retryAfterSeconds, when not negative, as a Retry-After header.
    auto withRetryAfter = [&fault](HttpResponse r) {
        if (fault->retryAfterSeconds >= 0)
            r.headers.append(header("Retry-After", QByteArray::number(fault->retryAfterSeconds)));
        return r;
    };
    switch (fault->kind) {
    case Kind::Status429:
        respond(withRetryAfter(ResoService::error(429, QStringLiteral("TooManyRequests"),
                                                  QStringLiteral("Rate limit exceeded; retry later"))));
        return;
    case Kind::Status500:
        respond(ResoService::error(500, QStringLiteral("InternalServerError"),
                                   QStringLiteral("Injected server failure")));
        return;
    case Kind::Status502:
        respond(ResoService::error(502, QStringLiteral("BadGateway"),
                                   QStringLiteral("Injected gateway failure")));
        return;
    case Kind::Status503:
        respond(withRetryAfter(ResoService::error(503, QStringLiteral("ServiceUnavailable"),
                                                  QStringLiteral("Injected maintenance window"))));
        return;
    case Kind::Status401: {
        HttpResponse r = ResoService::error(401, QStringLiteral("Unauthorized"),
                                            QStringLiteral("Access token expired or revoked"));
        r.headers.append(header("WWW-Authenticate", "Bearer error=\"invalid_token\""));
        respond(r);
        return;
    }
    case Kind::ConnectionReset:
        connection->resetNow();
        return;
    case Kind::TruncatedBody:
        respond(service.handle(request), HttpConnection::Delivery::TruncateAndClose);
        return;
    case Kind::ResetMidBody:
        respond(service.handle(request), HttpConnection::Delivery::ResetMidBody);
        return;
    case Kind::InvalidJson: {
        HttpResponse r = service.handle(request);
        r.body.truncate(r.body.size() / 2);
        respond(r);
        return;
    }
    case Kind::Slow:
        respond(service.handle(request));
        return;
    case Kind::GzipBomb: {
        // Made once: 128 MB of a "value" array that never closes, compressed about 1,000 to 1.
        static const QByteArray bomb = [] {
            QByteArray inflated = "{\"value\":[";
            inflated += QByteArray(128 << 20, ' ');
            return gzipCompress(inflated, 9);
        }();
        connection->respondCompressed(HttpResponse{}, bomb);
        return;
    }
    case Kind::CorruptGzip: {
        const HttpResponse r = service.handle(request);
        QByteArray zipped = gzipCompress(r.body);
        zipped[zipped.size() - 8] = char(zipped.at(zipped.size() - 8) ^ 0x01); // the CRC-32
        connection->respondCompressed(r, zipped);
        return;
    }
    case Kind::UnknownEncoding: {
        HttpResponse r = service.handle(request);
        r.headers.append(header("Content-Encoding", "br"));
        connection->respondAsIs(r);
        return;
    }
    }
}

} // namespace ors::fake
