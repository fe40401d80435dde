#include "reso/ODataQuery.h"

#include <QRegularExpression>
#include <QTime>

namespace ors::odata {

namespace {

using namespace Qt::StringLiterals;

// QUrl::toPercentEncoding leaves only RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~) raw. That
// is deliberate: a raw '+' reads as a space to form decoders, and raw ';', '&', '#', '\'' or '='
// would change the structure of the query for some server or proxy along the way.
QByteArray encodeValue(const QString& value) {
    return QUrl::toPercentEncoding(value);
}

// System query option names keep their '$' so logs and servers see the familiar "$filter".
QByteArray encodeName(const QString& name) {
    return QUrl::toPercentEncoding(name, QByteArrayLiteral("$"));
}

void appendParameter(QByteArray& query, const QString& name, const QString& value) {
    if (!query.isEmpty())
        query += '&';
    query += encodeName(name);
    query += '=';
    query += encodeValue(value);
}

QString joinQuoted(const QStringList& keys, const QString& prefix, const QString& separator, bool numeric) {
    QString result;
    for (qsizetype i = 0; i < keys.size(); ++i) {
        if (i > 0)
            result += separator;
        result += prefix + keyLiteral(keys.at(i), numeric);
    }
    return result;
}

} // namespace

QString quoteString(const QString& value) {
    QString escaped = value;
    escaped.replace(u'\'', u"''"_s);
    return u'\'' + escaped + u'\'';
}

QString expandClause(const QList<ExpandSpec>& specs) {
    QStringList parts;
    parts.reserve(specs.size());
    for (const ExpandSpec& spec : specs) {
        QStringList options;
        if (!spec.select.isEmpty())
            options.append(u"$select="_s + spec.select.join(u','));
        if (!spec.expand.isEmpty())
            options.append(u"$expand="_s + expandClause(spec.expand));
        // OData v4 separates nested options with ';'. The original tool used '&', which only lenient
        // servers accept (reference §13 #14).
        parts.append(options.isEmpty() ? spec.name : spec.name + u'(' + options.join(u';') + u')');
    }
    return parts.join(u',');
}

QUrl buildUrl(const QString& resourceUrl, const QueryOptions& options) {
    const QUrl base(resourceUrl, QUrl::TolerantMode);
    QByteArray query = base.query(QUrl::FullyEncoded).toUtf8();

    if (!options.filter.isEmpty())
        appendParameter(query, u"$filter"_s, options.filter);
    if (!options.select.isEmpty())
        appendParameter(query, u"$select"_s, options.select.join(u','));
    if (!options.expand.isEmpty())
        appendParameter(query, u"$expand"_s, options.expand);
    if (!options.orderBy.isEmpty())
        appendParameter(query, u"$orderby"_s, options.orderBy);
    if (options.top)
        appendParameter(query, u"$top"_s, QString::number(*options.top));
    if (options.count)
        appendParameter(query, u"$count"_s, u"true"_s);
    for (const auto& [name, value] : options.extra)
        appendParameter(query, name, value);

    // Assembling the encoded bytes and parsing them strictly keeps QUrl from re-encoding or decoding
    // any part of the query: toEncoded() then returns exactly these bytes.
    QByteArray encoded = base.toEncoded(QUrl::RemoveQuery | QUrl::RemoveFragment);
    if (!query.isEmpty()) {
        encoded += '?';
        encoded += query;
    }
    return QUrl::fromEncoded(encoded, QUrl::StrictMode);
}

QString keyLiteral(const QString& key, bool numeric) {
    // A numeric key that is not a plain integer would inject syntax; quoting makes the server
    // reject it instead.
    static const QRegularExpression integer(QStringLiteral("^-?[0-9]{1,19}$"));
    return numeric && integer.match(key).hasMatch() ? key : quoteString(key);
}

QString keyInFilter(const QString& keyField, const QStringList& keys, bool numeric) {
    if (keys.isEmpty())
        return {};
    return keyField + u" in ("_s + joinQuoted(keys, QString(), u","_s, numeric) + u')';
}

QString keyEqOrFilter(const QString& keyField, const QStringList& keys, bool numeric) {
    if (keys.isEmpty())
        return {};
    return joinQuoted(keys, keyField + u" eq "_s, u" or "_s, numeric);
}

QString combineFilters(const QString& userFilter, const QString& extra) {
    if (userFilter.trimmed().isEmpty())
        return extra;
    if (extra.trimmed().isEmpty())
        return userFilter;
    return u'(' + userFilter + u") and "_s + extra;
}

} // namespace ors::odata
