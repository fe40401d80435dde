// SolrDestination: requests, errors, and the reads that are one query (count, newest timestamp).
#include "destinations/SolrDestination.h"

#include "config/SecretResolver.h"
#include "destinations/SolrQuery.h"
#include "logging/Redactor.h"
#include "records/Timestamps.h"
#include "reso/HttpClient.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ors {

namespace {

// A destination's requests are short and idempotent; retried less patiently than an MLS's
// downloads, so an unreachable server is reported within seconds.
RetryPolicy solrRetryPolicy() {
    RetryPolicy policy;
    policy.maxAttempts = 3;
    policy.baseDelayMs = 500;
    policy.maxDelayMs = 4000;
    return policy;
}

// Solr's own explanation of an error answer: error.msg, and for the Schema API each command's
// errorMessages (under error.details in Solr 8 and later, a top-level "errors" array before).
QString solrMessage(const QByteArray& body) {
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    const QJsonObject error = json.value(QLatin1String("error")).toObject();
    QStringList parts;
    QJsonArray details = error.value(QLatin1String("details")).toArray();
    if (details.isEmpty())
        details = json.value(QLatin1String("errors")).toArray();
    for (const auto& detail : std::as_const(details)) {
        const QJsonObject object = detail.toObject();
        QString field;
        for (auto it = object.begin(); it != object.end(); ++it)
            if (it.key() != QLatin1String("errorMessages"))
                field = it.value().toObject().value(QLatin1String("name")).toString();
        for (const auto& message : object.value(QLatin1String("errorMessages")).toArray()) {
            const QString text = message.toString().trimmed();
            parts.append(field.isEmpty() ? text : QStringLiteral("field %1: %2").arg(field, text));
        }
    }
    const QString msg = error.value(QLatin1String("msg")).toString().trimmed();
    if (!msg.isEmpty() && parts.isEmpty())
        parts.append(msg);
    else if (!msg.isEmpty())
        parts.prepend(msg);
    return parts.join(QLatin1String("; "));
}

} // namespace

SolrDestination::SolrDestination(DestinationConfig config, QString sourceName)
    : m_config(std::move(config))
    , m_sourceName(std::move(sourceName)) {}

SolrDestination::~SolrDestination() = default;

QString SolrDestination::describe() const {
    return QStringLiteral("solr %1").arg(describeUrl(QUrl(m_config.url)));
}

QString SolrDestination::where() const {
    return QStringLiteral("destination %1 (%2)").arg(m_config.name, describe());
}

int SolrDestination::requestCount() const {
    return m_http ? m_http->requestCount() : 0;
}

QString SolrDestination::coreOf(const QString& table) const {
    QString core = m_config.core;
    core.replace(QLatin1String("{source}"), m_sourceName);
    core.replace(QLatin1String("{table}"), table);
    return core;
}

Expected<void> SolrDestination::open() {
    const QUrl base(m_config.url);
    if (!base.isValid() ||
        (base.scheme() != QLatin1String("http") && base.scheme() != QLatin1String("https")))
        return makeError(QStringLiteral("%1: url is not an http(s) URL").arg(where()));
    m_http = std::make_unique<HttpClient>(solrRetryPolicy());
    OriginPolicy origins;
    origins.addConfiguredUrl(m_config.url);
    m_http->setOriginPolicy(origins);
    if (!m_config.user.isEmpty()) {
        QString password;
        if (m_config.password.isSet()) {
            auto resolved = SecretResolver::resolve(
                m_config.password,
                QStringLiteral("source %1, destination %2: password").arg(m_sourceName, m_config.name));
            if (!resolved)
                return resolved.error();
            password = *resolved;
            Redactor::addSecret(password);
        }
        const QByteArray basic = (m_config.user + QLatin1Char(':') + password).toUtf8().toBase64();
        Redactor::addSecret(QString::fromLatin1(basic));
        m_http->setStaticAuthorization("Basic " + basic);
    }
    return {};
}

QUrl SolrDestination::urlFor(const QString& core, const QString& path, const QUrlQuery& query) const {
    QUrl url(m_config.url);
    QString base = url.path(QUrl::FullyEncoded);
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(core)) +
                    QLatin1Char('/') + path,
                QUrl::StrictMode);
    url.setQuery(query);
    return url;
}

Error SolrDestination::failure(const QString& what, const HttpResponse& response) const {
    QString explanation = solrMessage(response.body);
    if (explanation.isEmpty())
        explanation = Redactor::redact(QString::fromUtf8(response.body.left(300)).simplified());
    Error error = makeError(QStringLiteral("%1: %2: HTTP %3: \"%4\"")
                                .arg(where(), what, QString::number(response.status), explanation));
    error.httpStatus = response.status;
    return error;
}

Expected<std::optional<QJsonObject>> SolrDestination::request(const QString& core, const QString& path,
                                                              const QUrlQuery& query, const Body& body,
                                                              const QString& what) {
    if (!m_http)
        return makeError(QStringLiteral("%1: not opened").arg(where()));
    const QUrl url = urlFor(core, path, query);
    RequestOptions options;
    options.clientErrorsAnswer = true;
    Expected<HttpResponse> response = makeError(QString());
    if (body.contentType.isEmpty()) {
        response = m_http->get(url, "application/json", {}, options);
    } else {
        options.contentType = body.contentType;
        response = m_http->post(url, body.data, "application/json", options);
    }
    if (!response) {
        if (response.error().httpStatus == 0)
            return makeError(
                QStringLiteral("%1: Solr at %2 cannot be reached (%3): %4")
                    .arg(where(), describeUrl(QUrl(m_config.url)), what, response.errorMessage()));
        return makeError(QStringLiteral("%1: %2: %3").arg(where(), what, response.errorMessage()));
    }
    if (response->status == 404)
        return std::optional<QJsonObject>();
    if (response->status >= 400)
        return failure(what, *response);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(response->body, &parseError);
    if (!document.isObject())
        return makeError(QStringLiteral("%1: %2: the answer is no JSON object (%3)")
                             .arg(where(), what, parseError.errorString()));
    return std::optional<QJsonObject>(document.object());
}

Expected<void> SolrDestination::update(const QString& core, const QByteArray& body, const QString& what) {
    QUrlQuery query;
    // Searchable within commitWithin, by Solr's own schedule: never a commit per page.
    query.addQueryItem(QStringLiteral("commitWithin"), QString::number(m_config.commitWithinMs));
    query.addQueryItem(QStringLiteral("wt"), QStringLiteral("json"));
    auto answer = request(core, QStringLiteral("update"), query, Body{"application/json", body}, what);
    if (!answer)
        return answer.error();
    if (!*answer)
        return makeError(QStringLiteral("%1: %2: Solr has no core \"%3\" at %4")
                             .arg(where(), what, core, describeUrl(QUrl(m_config.url))));
    m_uncommitted.insert(core);
    return {};
}

Expected<std::optional<QJsonObject>> SolrDestination::select(const QString& core,
                                                             const QList<std::pair<QString, QString>>& params,
                                                             const QString& what) {
    if (m_uncommitted.contains(core)) {
        // One explicit commit before this process reads what it wrote (a count after a sync,
        // the next purge chunk), instead of one per page.
        // {"commit": {}}: an explicit hard commit, which opens a new searcher (Indexing with
        // Update Handlers, JSON update commands).
        QUrlQuery commit;
        commit.addQueryItem(QStringLiteral("wt"), QStringLiteral("json"));
        auto answer =
            request(core, QStringLiteral("update"), commit, Body{"application/json", R"({"commit":{}})"},
                    QStringLiteral("committing core %1").arg(core));
        if (!answer)
            return answer.error();
        m_uncommitted.remove(core);
    }
    QByteArray form = "wt=json";
    for (const auto& [name, value] : params)
        form += '&' + name.toLatin1() + '=' + QUrl::toPercentEncoding(value);
    return request(core, QStringLiteral("select"), {}, Body{"application/x-www-form-urlencoded", form}, what);
}

Expected<qint64> SolrDestination::count(const TablePlan& table) {
    const QString core = coreOf(table.table);
    // rows=0: only numFound, no documents (Common Query Parameters, "rows").
    auto answer = select(core, {{u"q"_qs, u"*:*"_qs}, {u"rows"_qs, u"0"_qs}},
                         QStringLiteral("counting core %1").arg(core));
    if (!answer)
        return answer.error();
    if (!*answer)
        return qint64(0);
    const QJsonValue found =
        (*answer)->value(QLatin1String("response")).toObject().value(QLatin1String("numFound"));
    if (!found.isDouble())
        return makeError(
            QStringLiteral("%1: counting core %2: the answer has no response.numFound").arg(where(), core));
    return qint64(found.toDouble());
}

Expected<std::optional<QByteArray>> SolrDestination::newestTimestamp(const TablePlan& table) {
    if (table.timestampColumn < 0)
        return std::optional<QByteArray>();
    const QString core = coreOf(table.table);
    auto schema = schemaOf(core);
    if (!schema)
        return schema.error();
    const QString field = table.columns.at(table.timestampColumn).name;
    if (!schema->fieldTypes.contains(field))
        return std::optional<QByteArray>();
    auto answer = select(core,
                         {{u"q"_qs, u"*:*"_qs},
                          {u"fq"_qs, solr::exists(field)},
                          {u"sort"_qs, field + QLatin1String(" desc")},
                          {u"rows"_qs, u"1"_qs},
                          {u"fl"_qs, field}},
                         QStringLiteral("reading the newest %1 of core %2").arg(field, core));
    if (!answer)
        return answer.error();
    if (!*answer)
        return std::optional<QByteArray>();
    const QJsonArray docs =
        (*answer)->value(QLatin1String("response")).toObject().value(QLatin1String("docs")).toArray();
    if (docs.isEmpty())
        return std::optional<QByteArray>();
    const QString text = docs.first().toObject().value(field).toString();
    // Solr writes whole seconds without a fraction ("…:00Z"); the contract wants milliseconds.
    auto normalized = normalizeTimestamp(text.toStdString());
    if (!normalized)
        return makeError(QStringLiteral("%1: core %2 holds %3 \"%4\", which is no timestamp")
                             .arg(where(), core, field, text));
    return std::optional<QByteArray>(*normalized);
}

} // namespace ors
