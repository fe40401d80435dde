#include "ResoService.h"

#include "JsonWriter.h"
#include "MetadataXml.h"

#include <QJsonDocument>
#include <QRandomGenerator>

#include <algorithm>

namespace ors::fake {

namespace {

constexpr int kMaxPageTokens = 5000;

QString randomHex(int bytes) {
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(raw.data()), bytes / 4);
    return QString::fromLatin1(raw.toHex());
}

QByteArray jsonObject(std::initializer_list<std::pair<const char*, QString>> fields) {
    QByteArray out = "{";
    for (const auto& [name, value] : fields) {
        if (out.size() > 1)
            out += ',';
        json::appendString(out, QLatin1String(name));
        out += ':';
        json::appendString(out, value);
    }
    return out + '}';
}

} // namespace

ResoService::ResoService(const ServerOptions& options)
    : m_options(options)
    , m_store(options)
    , m_metadata(buildMetadataXml(m_store.schema())) {
    m_nextLinkLoop = options.nextLinkLoop;
    m_countSupport = options.countSupport;
    m_clock.start();
}

void ResoService::setBaseUrl(const QString& origin) {
    std::lock_guard lock(m_mutex);
    m_origin = origin;
}

void ResoService::setNextLinkOrigin(const QString& origin) {
    std::lock_guard lock(m_mutex);
    m_nextLinkOrigin = origin;
}

HttpResponse ResoService::error(int status, const QString& code, const QString& message) {
    HttpResponse r;
    r.status = status;
    r.body = "{\"error\":{\"code\":";
    json::appendString(r.body, code);
    r.body += ",\"message\":";
    json::appendString(r.body, message);
    r.body += "}}";
    return r;
}

HttpResponse ResoService::handle(const HttpRequest& request) {
    std::lock_guard lock(m_mutex);
    const QString path = QString::fromUtf8(QByteArray::fromPercentEncoding(request.path()));
    if (path == QLatin1String("/token")) {
        if (request.method != "POST")
            return error(405, QStringLiteral("MethodNotAllowed"),
                         QStringLiteral("The token endpoint takes POST"));
        return issueToken(request);
    }
    // Spark's replication host, simulated by a path prefix on the same server.
    const bool replicationHost = path.startsWith(QLatin1String("/replication/odata"));
    m_echoAccessToken.clear();
    if (m_options.nextLinkCarriesAccessToken)
        for (const auto& [name, value] : splitQuery(request.query()))
            if (name == QLatin1String("access_token"))
                m_echoAccessToken = value;
    if (!path.startsWith(QLatin1String("/odata")) && !replicationHost)
        return error(404, QStringLiteral("NotFound"), QStringLiteral("No such path: ") + path);
    if (request.method != "GET")
        return error(405, QStringLiteral("MethodNotAllowed"),
                     QStringLiteral("This server is read-only; use GET"));
    if (!authorized(request)) {
        HttpResponse r = error(401, QStringLiteral("Unauthorized"),
                               QStringLiteral("Missing, invalid or expired access token"));
        r.headers.append(header("WWW-Authenticate", "Bearer error=\"invalid_token\""));
        return r;
    }
    QString rest = path.mid(replicationHost ? 18 : 6);
    // Trestle's replication nextLinks and Bridge's replication endpoint: /Property/replication.
    const bool replicationPath = rest.endsWith(QLatin1String("/replication"));
    if (replicationPath)
        rest.chop(12);
    if (rest.isEmpty() || rest == QLatin1String("/"))
        return serviceDocument();
    if (rest == QLatin1String("/$metadata")) {
        HttpResponse r;
        r.contentType = "application/xml";
        r.body = m_metadata;
        return r;
    }
    const bool countPathAsked = rest.endsWith(QLatin1String("/$count"));
    if (countPathAsked)
        rest.chop(7);
    const EntitySchema* schema = m_store.schema().entity(rest.mid(1));
    if (!schema)
        return error(404, QStringLiteral("NotFound"),
                     QStringLiteral("Unknown resource or path '%1'").arg(rest.mid(1)));
    if (m_expireAfter >= 0 && m_expireAfter-- == 0) {
        m_pages.clear();
        m_pageOrder.clear();
    }
    applyPendingTouches();
    if (countPathAsked)
        return countPath(*schema, request);
    bool replication = replicationHost;
    if (m_options.flavour == Flavour::Trestle)
        replication = replicationPath || request.query().contains("replication=true");
    else if (m_options.flavour == Flavour::Bridge)
        replication = replicationPath;
    else if (replicationPath)
        return error(404, QStringLiteral("NotFound"), QStringLiteral("No such path: ") + path);
    return query(*schema, request, replication);
}

bool ResoService::authorized(const HttpRequest& request) const {
    if (m_options.auth == AuthMode::None)
        return true;
    const QByteArray header = request.header("authorization");
    QString token;
    if (header.left(7).toLower().startsWith("bearer "))
        token = QString::fromUtf8(header.mid(7).trimmed());
    else
        // Bridge takes the token as an access_token query parameter too.
        for (const auto& [name, value] : splitQuery(request.query()))
            if (name == QLatin1String("access_token"))
                token = value;
    if (token.isEmpty())
        return false;
    if (m_options.auth == AuthMode::Bearer)
        return token == m_options.bearerToken;
    const auto it = m_tokens.constFind(token);
    return it != m_tokens.cend() && m_clock.elapsed() < *it;
}

HttpResponse ResoService::issueToken(const HttpRequest& request) {
    QString grantType, clientId, clientSecret, username, password;
    for (const auto& [name, value] : splitQuery(request.body)) {
        if (name == QLatin1String("username"))
            username = value;
        else if (name == QLatin1String("password"))
            password = value;
        else if (name == QLatin1String("grant_type"))
            grantType = value;
        else if (name == QLatin1String("client_id"))
            clientId = value;
        else if (name == QLatin1String("client_secret"))
            clientSecret = value;
    }
    // RFC 6749 also allows the credentials in HTTP Basic auth.
    const QByteArray auth = request.header("authorization");
    if (auth.left(6).toLower() == "basic ") {
        const QByteArray decoded = QByteArray::fromBase64(auth.mid(6).trimmed());
        const qsizetype colon = decoded.indexOf(':');
        clientId = formDecode(decoded.left(colon));
        clientSecret = formDecode(decoded.mid(colon + 1));
    }
    HttpResponse r;
    r.headers.append(header("Cache-Control", "no-store"));
    if (grantType != QLatin1String("client_credentials") && grantType != QLatin1String("password")) {
        r.status = 400;
        r.body = jsonObject(
            {{"error", QStringLiteral("unsupported_grant_type")},
             {"error_description", QStringLiteral("Only client_credentials and password are supported")}});
        return r;
    }
    // The password grant (Rapattoni) may come from a public client without a secret.
    const bool passwordGrant = grantType == QLatin1String("password");
    if (passwordGrant && (username != m_options.username || password != m_options.password)) {
        r.status = 400;
        r.body = jsonObject({{"error", QStringLiteral("invalid_grant")}});
        return r;
    }
    if (clientId != m_options.clientId ||
        (!(passwordGrant && clientSecret.isEmpty()) && clientSecret != m_options.clientSecret)) {
        r.status = 401;
        r.body = jsonObject({{"error", QStringLiteral("invalid_client")}});
        return r;
    }
    const QString token = randomHex(32);
    m_tokens.insert(token, m_clock.elapsed() + qint64(m_options.tokenLifetimeSeconds) * 1000);
    r.body = "{\"access_token\":";
    json::appendString(r.body, token);
    r.body +=
        ",\"token_type\":\"Bearer\",\"expires_in\":" + QByteArray::number(m_options.tokenLifetimeSeconds) +
        '}';
    return r;
}

HttpResponse ResoService::serviceDocument() const {
    HttpResponse r;
    r.body = "{\"@odata.context\":";
    json::appendString(r.body, m_origin + QStringLiteral("/odata/$metadata"));
    r.body += ",\"value\":[";
    const ResoSchema& s = m_store.schema();
    bool first = true;
    for (const EntitySchema* e : {&s.property, &s.media, &s.member}) {
        if (!first)
            r.body += ',';
        first = false;
        r.body += jsonObject({{"name", e->name}, {"kind", QStringLiteral("EntitySet")}, {"url", e->name}});
    }
    r.body += "]}";
    return r;
}

HttpResponse ResoService::query(const EntitySchema& schema, const HttpRequest& request, bool replication) {
    QString message;
    QByteArray raw = request.query();
    // Trestle's replication nextLink carries its cursor as "id".
    if (m_options.flavour == Flavour::Trestle && raw.startsWith("id="))
        raw = "$skiptoken=" + raw.mid(3);
    const std::optional<QueryOptions> parsed = parseQueryOptions(raw, schema, &message, parseRules());
    if (!parsed)
        return error(400, QStringLiteral("BadRequest"), message);
    if (auto refused = checkFlavour(request, *parsed, replication))
        return *refused;
    if (m_options.flavour == Flavour::StrictOData)
        return strictQuery(schema, request, *parsed);

    if (!parsed->skipToken.isEmpty()) {
        const auto it = m_pages.find(parsed->skipToken);
        if (it == m_pages.end() || it->snapshot->schema != &schema ||
            m_clock.elapsed() - it->lastUsedMs > qint64(m_options.cursorLifetimeSeconds) * 1000)
            return error(400, QStringLiteral("BadRequest"), QStringLiteral("Unknown or expired $skiptoken"));
        it->lastUsedMs = m_clock.elapsed();
        // A copy: page() adds the next token to m_pages, and a rehash would free `*it`.
        return page(std::shared_ptr<const Snapshot>(it->snapshot), it->position);
    }

    auto snapshot = std::make_shared<Snapshot>();
    snapshot->schema = &schema;
    snapshot->options = *parsed;
    snapshot->replication = replication;
    if (m_loopScope.isEmpty() ||
        QString::fromUtf8(QByteArray::fromPercentEncoding(raw)).contains(m_loopScope))
        snapshot->loop = m_nextLinkLoop;
    // Bridge's replication endpoint has no count.
    if (m_options.flavour == Flavour::Bridge && replication)
        snapshot->options.count = false;
    int pageSize = m_options.defaultPageSize;
    if (parsed->top >= 0) {
        pageSize = parsed->top;
    } else {
        // Prefer: odata.maxpagesize=N, the OData way to ask for a page size.
        const QByteArray prefer = request.header("prefer");
        const qsizetype at = prefer.indexOf("odata.maxpagesize=");
        if (at >= 0)
            pageSize = prefer.mid(at + 18).split(',').value(0).trimmed().toInt();
    }
    snapshot->pageSize = qBound(0, pageSize, m_options.maxPageSize);

    const std::vector<Record*> matched = match(schema, *parsed, false);
    snapshot->keys.reserve(static_cast<qsizetype>(matched.size()));
    for (const Record* r : matched)
        snapshot->keys << r->key;
    return page(snapshot, 0);
}

ParseRules ResoService::parseRules() const {
    ParseRules rules;
    rules.allowSkip = m_options.flavour == Flavour::StrictOData;
    rules.textualInstants = m_options.flavour == Flavour::StrictOData;
    return rules;
}

std::vector<Record*> ResoService::match(const EntitySchema& schema, const QueryOptions& options,
                                        bool byKey) const {
    const DataStore::Table* table = m_store.table(schema.name);
    std::vector<Record*> matched;
    matched.reserve(table->ordered.size());
    for (const RecordPtr& r : table->ordered) {
        if (!options.filter || options.filter->matches(*r))
            matched.push_back(r.get());
    }
    if (options.orderBy.empty() && !byKey)
        return matched;
    const auto& keys = options.orderBy;
    std::sort(matched.begin(), matched.end(), [&](const Record* a, const Record* b) {
        for (const SortKey& k : keys) {
            const FieldType t = schema.fields[static_cast<size_t>(k.field)].type;
            const int c = compareValues(t, a->values[static_cast<size_t>(k.field)],
                                        b->values[static_cast<size_t>(k.field)]);
            if (c != 0)
                return k.descending ? c > 0 : c < 0;
        }
        return a->key < b->key; // ties broken by key so pages never overlap
    });
    return matched;
}

void ResoService::beginPage(QByteArray& out, const EntitySchema& schema, const QueryOptions& opts,
                            qsizetype matched) const {
    QString context = m_origin + QStringLiteral("/odata/$metadata#") + schema.name;
    if (!opts.selectAll)
        context += QLatin1Char('(') + opts.selectNames.join(QLatin1Char(',')) + QLatin1Char(')');
    out += "{\"@odata.context\":";
    json::appendString(out, context);
    if (opts.count && m_countSupport.load() == CountSupport::Both)
        out += ",\"@odata.count\":" + QByteArray::number(matched + m_countBias.load());
    out += ",\"value\":[";
}

int ResoService::expandDelay(const QueryOptions& options, qsizetype served) {
    if (options.expand.empty() || m_options.expandDelayMsPerRecord <= 0)
        return 0;
    const int delay = static_cast<int>(served) * m_options.expandDelayMsPerRecord;
    m_expandDelayTotalMs += delay;
    return delay;
}

HttpResponse ResoService::page(const std::shared_ptr<const Snapshot>& snapshot, qsizetype position) {
    const EntitySchema& schema = *snapshot->schema;
    const QueryOptions& opts = snapshot->options;
    const DataStore::Table* table = m_store.table(schema.name);
    const qsizetype end = qMin(position + snapshot->pageSize, snapshot->keys.size());

    HttpResponse r;
    QByteArray& out = r.body;
    out.reserve(static_cast<qsizetype>(std::max<qsizetype>(0, end - position)) * 8192 + 256);
    beginPage(out, schema, opts, snapshot->keys.size());
    qsizetype served = 0;
    bool first = true;
    for (qsizetype i = position; i < end; ++i) {
        const RecordPtr rec = table->byKey.value(snapshot->keys[i]);
        if (!rec)
            continue; // deleted since the query ran
        if (!first)
            out += ',';
        first = false;
        appendRecord(out, schema, *rec, opts);
        ++served;
    }
    out += ']';
    r.delayMs = expandDelay(opts, served) + m_options.pageLatencyMs;
    if (const qsizetype next = nextPosition(*snapshot, position, end); next >= 0) {
        out += ",\"@odata.nextLink\":";
        json::appendString(out, nextLink(schema, snapshot->replication, newPageToken(snapshot, next)));
    }
    out += '}';
    return r;
}

void ResoService::appendRecord(QByteArray& out, const EntitySchema& schema, Record& record,
                               const QueryOptions& opts) const {
    const auto replaced = m_recordText.constFind(schema.name + QLatin1Char('/') + record.key);
    const QByteArray base = replaced != m_recordText.cend() ? *replaced
                            : opts.selectAll                ? m_store.json(schema, record)
                                                            : json::serialize(schema, record, &opts.select);
    if (opts.expand.empty()) {
        out += base;
        return;
    }
    out.append(base.constData(), base.size() - 1); // reopen the object to add navigation properties
    bool empty = base.size() == 2;
    for (const ExpandSpec& spec : opts.expand) {
        if (!empty)
            out += ',';
        empty = false;
        json::appendString(out, spec.navigation->name);
        out += ':';
        appendExpansion(out, spec, record);
    }
    out += '}';
}

void ResoService::appendExpansion(QByteArray& out, const ExpandSpec& spec, const Record& listing) const {
    const EntitySchema& target = *spec.target;
    if (!spec.navigation->collection) {
        const int local = m_store.schema().property.indexOf(spec.navigation->localField);
        const Value& v = listing.values[static_cast<size_t>(local)];
        const RecordPtr m = isNull(v) ? nullptr : m_store.member(std::get<QString>(v));
        if (!m || (spec.filter && !spec.filter->matches(*m)))
            out += "null";
        else
            out += spec.selectAll ? m_store.json(target, *m) : json::serialize(target, *m, &spec.select);
        return;
    }
    std::vector<Record*> children;
    for (const RecordPtr& m : m_store.mediaFor(listing.key)) {
        if (!spec.filter || spec.filter->matches(*m))
            children.push_back(m.get());
    }
    if (!spec.orderBy.empty()) {
        std::stable_sort(children.begin(), children.end(), [&](const Record* a, const Record* b) {
            for (const SortKey& k : spec.orderBy) {
                const int c = compareValues(target.fields[static_cast<size_t>(k.field)].type,
                                            a->values[static_cast<size_t>(k.field)],
                                            b->values[static_cast<size_t>(k.field)]);
                if (c != 0)
                    return k.descending ? c > 0 : c < 0;
            }
            return false;
        });
    }
    if (spec.top >= 0 && static_cast<size_t>(spec.top) < children.size())
        children.resize(static_cast<size_t>(spec.top));
    out += '[';
    for (size_t i = 0; i < children.size(); ++i) {
        if (i > 0)
            out += ',';
        out += spec.selectAll ? m_store.json(target, *children[i])
                              : json::serialize(target, *children[i], &spec.select);
    }
    out += ']';
}

QString ResoService::newPageToken(const std::shared_ptr<const Snapshot>& snapshot, qsizetype position) {
    const QString existing = snapshot->tokens.value(position);
    if (!existing.isEmpty() && m_pages.contains(existing))
        return existing;
    const QString token = randomHex(16);
    snapshot->tokens.insert(position, token);
    m_pages.insert(token, PageToken{snapshot, position, m_clock.elapsed()});
    m_pageOrder.enqueue(token);
    while (m_pageOrder.size() > kMaxPageTokens)
        m_pages.remove(m_pageOrder.dequeue());
    return token;
}

QJsonArray ResoService::records(const QString& resource) const {
    std::lock_guard lock(m_mutex);
    return m_store.toJson(resource);
}

QList<QByteArray> ResoService::rawRecords(const QString& resource) const {
    std::lock_guard lock(m_mutex);
    QList<QByteArray> out;
    const DataStore::Table* t = m_store.table(resource);
    const EntitySchema* schema = m_store.schema().entity(resource);
    if (t && schema) {
        for (const RecordPtr& r : t->ordered)
            out << m_store.json(*schema, *r);
    }
    return out;
}

QStringList ResoService::changeRecords(double fraction) {
    std::lock_guard lock(m_mutex);
    return m_store.changeRecords(fraction);
}

QStringList ResoService::addRecords(int count) {
    std::lock_guard lock(m_mutex);
    return m_store.addRecords(count);
}

QStringList ResoService::deleteRecords(int count) {
    std::lock_guard lock(m_mutex);
    // MLS Grid keeps a withdrawn record, with MlgCanView=false, for seven days.
    if (m_options.flavour == Flavour::MlsGrid)
        return m_store.hideRecords(count);
    return m_store.deleteRecords(count);
}

QString ResoService::maxModificationTimestamp() const {
    std::lock_guard lock(m_mutex);
    return json::formatInstant(m_store.maxTimestamp());
}

void ResoService::expireTokens() {
    std::lock_guard lock(m_mutex);
    m_tokens.clear();
}

void ResoService::expireCursors() {
    std::lock_guard lock(m_mutex);
    m_pages.clear();
    m_pageOrder.clear();
}

bool ResoService::setTimestamp(const QString& resource, const QString& key, const QString& text) {
    std::lock_guard lock(m_mutex);
    return m_store.setTimestamp(resource, key, text);
}

qint64 ResoService::advanceToSecond() {
    std::lock_guard lock(m_mutex);
    return m_store.advanceToSecond();
}

} // namespace ors::fake
