#include "FakeSolrServer.h"

#include "HttpServer.h"
#include "SolrCore.h"

#include <QJsonDocument>
#include <QSet>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <mutex>

namespace ors::fake {

namespace {

using Params = QList<std::pair<QString, QString>>;

// application/x-www-form-urlencoded, as a URL query or a POST body ('+' is a space).
Params decodeForm(const QByteArray& text) {
    Params params;
    for (const QByteArray& pair : text.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        auto decode = [](QByteArray part) { return QUrl::fromPercentEncoding(part.replace('+', ' ')); };
        params.append(
            {decode(eq < 0 ? pair : pair.left(eq)), decode(eq < 0 ? QByteArray() : pair.mid(eq + 1))});
    }
    return params;
}

QString param(const Params& params, const char* name, const QString& fallback = {}) {
    for (const auto& [key, value] : params)
        if (key == QLatin1String(name))
            return value;
    return fallback;
}

QJsonObject header(int status) {
    return QJsonObject{{u"status"_qs, status}, {u"QTime"_qs, 0}};
}

HttpResponse json(int status, QJsonObject body) {
    body.insert(u"responseHeader"_qs, header(status == 200 ? 0 : status));
    HttpResponse response;
    response.status = status;
    response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return response;
}

// The JSON response writer's error shape: error.metadata, msg, code (and a Schema API's details).
HttpResponse error(const SolrError& e) {
    QJsonObject err{
        {u"metadata"_qs, QJsonArray{u"error-class"_qs, u"org.apache.solr.common.SolrException"_qs,
                                    u"root-error-class"_qs, u"org.apache.solr.common.SolrException"_qs}},
        {u"msg"_qs, e.msg},
        {u"code"_qs, e.status}};
    if (!e.details.isEmpty())
        err.insert(u"details"_qs, e.details);
    return json(e.status, QJsonObject{{u"error"_qs, err}});
}

} // namespace

struct FakeSolrServer::Impl {
    QThread thread;
    QObject* context = nullptr;
    HttpServer* http = nullptr;
    quint16 port = 0;

    mutable std::mutex mutex;
    QMap<QString, SolrCore> cores;
    QList<SolrFault> faults;
    QList<SolrRequestSeen> seen;
    QByteArray authorization; // required "Authorization" value; empty: none
    QSet<QString> commitPending;
    int explicitCommits = 0;
    int timedCommits = 0;

    void handle(HttpConnection* connection, const HttpRequest& request) {
        connection->respond(answer(request));
    }
    HttpResponse answer(const HttpRequest& request);
    HttpResponse update(SolrCore& core, const Params& params, const QByteArray& body);
    HttpResponse select(const SolrCore& core, const Params& params);
    HttpResponse schema(SolrCore& core, const QString& path, const QByteArray& method,
                        const QByteArray& body);
};

HttpResponse FakeSolrServer::Impl::answer(const HttpRequest& request) {
    const std::lock_guard lock(mutex);
    const QString path = QUrl::fromPercentEncoding(request.path());
    Params params = decodeForm(request.query());
    const bool form = request.header("content-type").startsWith("application/x-www-form-urlencoded");
    if (request.method == "POST" && form)
        params += decodeForm(request.body);
    const QStringList parts = path.split(QLatin1Char('/'));
    // "/solr/<core>/<handler…>"
    if (parts.size() < 4 || parts.at(1) != QLatin1String("solr")) {
        HttpResponse notFound;
        notFound.status = 404;
        notFound.contentType = "text/html";
        notFound.body = "<html><body><h2>HTTP ERROR 404 Not Found</h2></body></html>";
        return notFound;
    }
    const QString coreName = parts.at(2);
    const QString handler = parts.mid(3).join(QLatin1Char('/'));
    QStringList query;
    for (const auto& [k, v] : decodeForm(request.query()))
        query.append(k + QLatin1Char('=') + v);
    seen.append(
        {QString::fromLatin1(request.method), coreName, handler, query.join(QLatin1Char('&')), request.body});

    if (!authorization.isEmpty() && request.header("authorization") != authorization) {
        HttpResponse denied = error(SolrError{401, u"require authentication"_qs, {}});
        denied.headers.append(header("WWW-Authenticate", "Basic realm=\"solr\""));
        return denied;
    }
    auto core = cores.find(coreName);
    if (core == cores.end()) {
        // Jetty's page for a path no core answers.
        HttpResponse notFound;
        notFound.status = 404;
        notFound.contentType = "text/html";
        notFound.body =
            "<html><body><h2>HTTP ERROR 404 Not Found</h2><p>URI: " + request.path() + "</p></body></html>";
        return notFound;
    }
    for (qsizetype i = 0; i < faults.size(); ++i) {
        SolrFault& fault = faults[i];
        if ((fault.core.isEmpty() || fault.core == coreName) &&
            (fault.path.isEmpty() || fault.path == handler)) {
            const SolrError e{fault.status, fault.msg, {}};
            if (--fault.times <= 0)
                faults.removeAt(i);
            return error(e);
        }
    }
    if (handler == QLatin1String("update") && request.method == "POST")
        return update(*core, params, request.body);
    if (handler == QLatin1String("select"))
        return select(*core, params);
    if (handler.startsWith(QLatin1String("schema")))
        return schema(*core, handler, request.method, request.body);
    return error(SolrError{404, QStringLiteral("no handler for %1").arg(handler), {}});
}

HttpResponse FakeSolrServer::Impl::update(SolrCore& core, const Params& params, const QByteArray& body) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    std::optional<SolrError> failed;
    if (doc.isNull()) {
        failed = SolrError{
            400, QStringLiteral("Cannot parse provided JSON: %1").arg(parseError.errorString()), {}};
    } else if (doc.isArray()) {
        // Documents are added in order; one refused stops the request, those before it stay.
        for (const QJsonValue& value : doc.array())
            if ((failed = core.add(value.toObject())))
                break;
    } else {
        const QJsonObject command = doc.object();
        if (command.contains(QLatin1String("add")))
            failed = core.add(
                command.value(QLatin1String("add")).toObject().value(QLatin1String("doc")).toObject());
        const QJsonValue del = command.value(QLatin1String("delete"));
        const QJsonArray deletes =
            del.isArray() ? del.toArray() : (del.isUndefined() ? QJsonArray{} : QJsonArray{del});
        for (const QJsonValue& item : deletes) {
            if (failed)
                break;
            if (item.isString())
                core.deleteById(item.toString());
            else if (item.toObject().contains(QLatin1String("id")))
                core.deleteById(item.toObject().value(QLatin1String("id")).toString());
            else if (item.toObject().contains(QLatin1String("query")))
                failed = core.deleteByQuery(item.toObject().value(QLatin1String("query")).toString());
            else
                failed = SolrError{400, u"Unknown delete command"_qs, {}};
        }
    }
    if (param(params, "commit") == QLatin1String("true") ||
        (!failed && doc.object().contains(QLatin1String("commit")))) {
        core.commit();
        ++explicitCommits;
    }
    bool ok = false;
    const int within = param(params, "commitWithin").toInt(&ok);
    if (ok && within > 0 && !commitPending.contains(core.name())) {
        commitPending.insert(core.name());
        const QString name = core.name();
        QTimer::singleShot(within, context, [this, name] {
            const std::lock_guard lock(mutex);
            commitPending.remove(name);
            if (auto it = cores.find(name); it != cores.end()) {
                it->commit();
                ++timedCommits;
            }
        });
    }
    if (failed)
        return error(*failed);
    return json(200, {});
}

HttpResponse FakeSolrServer::Impl::select(const SolrCore& core, const Params& params) {
    SolrCore::Params p;
    p.q = param(params, "q", QStringLiteral("*:*"));
    for (const auto& [key, value] : params)
        if (key == QLatin1String("fq"))
            p.fq.append(value);
    p.sort = param(params, "sort");
    p.rows = param(params, "rows", QStringLiteral("10")).toInt();
    p.start = param(params, "start", QStringLiteral("0")).toInt();
    p.fl = param(params, "fl");
    const QString mark = param(params, "cursorMark");
    if (!mark.isEmpty())
        p.cursorMark = mark;
    const auto result = core.select(p);
    if (const auto* e = std::get_if<SolrError>(&result))
        return error(*e);
    const auto& r = std::get<SolrCore::Result>(result);
    QJsonObject body{{u"response"_qs, r.response}};
    if (r.nextCursorMark)
        body.insert(u"nextCursorMark"_qs, *r.nextCursorMark);
    return json(200, body);
}

HttpResponse FakeSolrServer::Impl::schema(SolrCore& core, const QString& path, const QByteArray& method,
                                          const QByteArray& body) {
    if (path == QLatin1String("schema/fields") && method == "GET") {
        QJsonArray list;
        for (const SolrFieldDef& def : core.fields())
            list.append(def.toJson());
        return json(200, QJsonObject{{u"fields"_qs, list}});
    }
    if (path == QLatin1String("schema/uniquekey") && method == "GET")
        return json(200, QJsonObject{{u"uniqueKey"_qs, core.uniqueKey()}});
    if (path == QLatin1String("schema") && method == "POST") {
        const QJsonObject commands = QJsonDocument::fromJson(body).object();
        for (auto it = commands.begin(); it != commands.end(); ++it)
            if (it.key() != QLatin1String("add-field"))
                return error(SolrError{400, QStringLiteral("Unknown command '%1'").arg(it.key()), {}});
        const QJsonValue add = commands.value(QLatin1String("add-field"));
        if (auto e = core.addFields(add.isArray() ? add.toArray() : QJsonArray{add}))
            return error(*e);
        return json(200, {});
    }
    return error(SolrError{
        404, QStringLiteral("no schema handler for %1 %2").arg(QString::fromLatin1(method), path), {}});
}

FakeSolrServer::FakeSolrServer()
    : d(std::make_unique<Impl>()) {
    d->thread.setObjectName(QStringLiteral("FakeSolrServer"));
}

FakeSolrServer::~FakeSolrServer() {
    stop();
}

bool FakeSolrServer::start() {
    if (d->http)
        return true;
    d->context = new QObject;
    d->context->moveToThread(&d->thread);
    d->thread.start();
    bool ok = false;
    Impl* impl = d.get();
    QMetaObject::invokeMethod(
        d->context,
        [impl, &ok] {
            impl->http = new HttpServer(
                [impl](HttpConnection* c, const HttpRequest& r) { impl->handle(c, r); }, impl->context);
            ok = impl->http->listen(0);
            if (ok)
                impl->port = impl->http->port();
        },
        Qt::BlockingQueuedConnection);
    if (!ok)
        stop();
    return ok;
}

void FakeSolrServer::stop() {
    if (!d->context)
        return;
    Impl* impl = d.get();
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

QString FakeSolrServer::baseUrl() const {
    return QStringLiteral("http://127.0.0.1:%1/solr").arg(d->port);
}

void FakeSolrServer::createCore(const QString& name, const QString& uniqueKey) {
    const std::lock_guard lock(d->mutex);
    d->cores.insert(name, SolrCore(name, uniqueKey));
}

void FakeSolrServer::addField(const QString& core, const QString& name, const QString& type,
                              bool multiValued) {
    const std::lock_guard lock(d->mutex);
    SolrFieldDef def{name, type};
    def.multiValued = multiValued;
    d->cores[core].addField(def);
}

void FakeSolrServer::removeFieldType(const QString& core, const QString& type) {
    const std::lock_guard lock(d->mutex);
    d->cores[core].removeType(type);
}

void FakeSolrServer::deleteDocument(const QString& core, const QString& id) {
    const std::lock_guard lock(d->mutex);
    d->cores[core].deleteById(id);
    d->cores[core].commit();
}

QHash<QString, QJsonObject> FakeSolrServer::fields(const QString& core) const {
    const std::lock_guard lock(d->mutex);
    QHash<QString, QJsonObject> out;
    if (auto it = d->cores.constFind(core); it != d->cores.constEnd())
        for (const SolrFieldDef& def : it->fields())
            out.insert(def.name, def.toJson());
    return out;
}

QList<QJsonObject> FakeSolrServer::documents(const QString& core) const {
    const std::lock_guard lock(d->mutex);
    auto it = d->cores.constFind(core);
    return it == d->cores.constEnd() ? QList<QJsonObject>() : it->documents();
}

QJsonObject FakeSolrServer::document(const QString& core, const QString& id) const {
    const std::lock_guard lock(d->mutex);
    auto it = d->cores.constFind(core);
    if (it == d->cores.constEnd())
        return {};
    for (const QJsonObject& doc : it->documents())
        if (doc.value(it->uniqueKey()).toString() == id)
            return doc;
    return {};
}

qsizetype FakeSolrServer::searchableCount(const QString& core) const {
    const std::lock_guard lock(d->mutex);
    auto it = d->cores.constFind(core);
    return it == d->cores.constEnd() ? 0 : it->visibleCount();
}

void FakeSolrServer::injectFault(const SolrFault& fault) {
    const std::lock_guard lock(d->mutex);
    d->faults.append(fault);
}

void FakeSolrServer::clearFaults() {
    const std::lock_guard lock(d->mutex);
    d->faults.clear();
}

void FakeSolrServer::requireBasicAuth(const QString& user, const QString& password) {
    const std::lock_guard lock(d->mutex);
    d->authorization = "Basic " + (user + QLatin1Char(':') + password).toUtf8().toBase64();
}

QList<SolrRequestSeen> FakeSolrServer::requests() const {
    const std::lock_guard lock(d->mutex);
    return d->seen;
}

void FakeSolrServer::clearRequests() {
    const std::lock_guard lock(d->mutex);
    d->seen.clear();
}

int FakeSolrServer::explicitCommits() const {
    const std::lock_guard lock(d->mutex);
    return d->explicitCommits;
}

int FakeSolrServer::timedCommits() const {
    const std::lock_guard lock(d->mutex);
    return d->timedCommits;
}

} // namespace ors::fake
