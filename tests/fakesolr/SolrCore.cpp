#include "SolrCore.h"

#include "SolrQuery.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

namespace ors::fake {

namespace {

const QStringList kTypes = {QStringLiteral("string"), QStringLiteral("text_general"),
                            QStringLiteral("pint"),   QStringLiteral("plong"),
                            QStringLiteral("pfloat"), QStringLiteral("pdouble"),
                            QStringLiteral("pdate"),  QStringLiteral("boolean")};

qint64 versionCounter = 1;

// Solr prints instants as Java's ISO_INSTANT does: no fraction when it is zero.
QString formatDate(const QDateTime& time) {
    const QDateTime utc = time.toUTC();
    return utc.time().msec() == 0 ? utc.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss'Z'"))
                                  : utc.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz'Z'"));
}

std::optional<QDateTime> parseDate(const QString& text) {
    if (!text.endsWith(QLatin1Char('Z')))
        return std::nullopt; // Solr's date syntax is UTC with Z, nothing else
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    return t.toUTC();
}

QString scalarText(const QJsonValue& v) {
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble()) {
        // A JSON integer keeps all its digits (Solr's JSON loader reads it as a long).
        if (const QVariant exact = v.toVariant(); exact.typeId() == QMetaType::LongLong)
            return QString::number(exact.toLongLong());
        const double d = v.toDouble();
        if (std::floor(d) == d && std::abs(d) < 1e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17);
    }
    return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
}

// A value as the field type holds it; nullopt (with Solr's reason) when it is none.
std::optional<QJsonValue> normalize(const QString& type, const QJsonValue& v, QString* reason) {
    const QString text = scalarText(v);
    if (type == QLatin1String("string") || type == QLatin1String("text_general"))
        return QJsonValue(text);
    if (type == QLatin1String("pint") || type == QLatin1String("plong")) {
        bool ok = false;
        const qint64 n = text.toLongLong(&ok);
        if (!ok || (type == QLatin1String("pint") && (n > INT32_MAX || n < INT32_MIN))) {
            *reason = QStringLiteral("For input string: \"%1\"").arg(text);
            return std::nullopt;
        }
        return QJsonValue(n);
    }
    if (type == QLatin1String("pdouble") || type == QLatin1String("pfloat")) {
        bool ok = false;
        const double d = v.isDouble() ? v.toDouble() : text.toDouble(&ok);
        if (!v.isDouble() && !ok) {
            *reason = QStringLiteral("For input string: \"%1\"").arg(text);
            return std::nullopt;
        }
        return QJsonValue(d);
    }
    if (type == QLatin1String("pdate")) {
        if (auto t = parseDate(text))
            return QJsonValue(formatDate(*t));
        *reason = QStringLiteral("Invalid Date String:'%1'").arg(text);
        return std::nullopt;
    }
    if (type == QLatin1String("boolean"))
        return QJsonValue(v.isBool() ? v.toBool() : text == QLatin1String("true"));
    return QJsonValue(text);
}

int compareStored(const QString& type, const QJsonValue& a, const QJsonValue& b) {
    const bool aMissing = a.isUndefined() || a.isNull(), bMissing = b.isUndefined() || b.isNull();
    if (aMissing || bMissing)
        return aMissing == bMissing ? 0 : (aMissing ? 1 : -1); // missing values sort last
    if (type == QLatin1String("pdate")) {
        const qint64 x = parseDate(a.toString())->toMSecsSinceEpoch(),
                     y = parseDate(b.toString())->toMSecsSinceEpoch();
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a.isDouble() && b.isDouble()) {
        const double x = a.toDouble(), y = b.toDouble();
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a.isBool() && b.isBool())
        return int(a.toBool()) - int(b.toBool());
    // StrField terms compare as UTF-8 bytes, unsigned.
    const QByteArray x = scalarText(a).toUtf8(), y = scalarText(b).toUtf8();
    const int c = std::memcmp(x.constData(), y.constData(), size_t(std::min(x.size(), y.size())));
    return c != 0 ? (c < 0 ? -1 : 1) : (x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0);
}

QJsonValue firstValue(const QJsonValue& v) {
    return v.isArray() ? v.toArray().first() : v;
}

} // namespace

QJsonObject SolrFieldDef::toJson() const {
    QJsonObject o{{u"name"_qs, name}, {u"type"_qs, type}};
    if (multiValued)
        o.insert(u"multiValued"_qs, true);
    o.insert(u"indexed"_qs, indexed);
    o.insert(u"stored"_qs, stored);
    if (!docValues)
        o.insert(u"docValues"_qs, false);
    if (required)
        o.insert(u"required"_qs, true);
    return o;
}

SolrCore::SolrCore(QString name, QString uniqueKey)
    : m_name(std::move(name))
    , m_uniqueKey(std::move(uniqueKey))
    , m_types(kTypes) {
    // The fields of the _default configset's managed-schema.xml.
    m_fields.insert(m_uniqueKey, SolrFieldDef{m_uniqueKey, u"string"_qs, false, true, true, true, true});
    m_fields.insert(u"_version_"_qs,
                    SolrFieldDef{u"_version_"_qs, u"plong"_qs, false, false, false, true, false});
    m_fields.insert(u"_root_"_qs, SolrFieldDef{u"_root_"_qs, u"string"_qs, false, false, true, false, false});
    m_fields.insert(u"_text_"_qs,
                    SolrFieldDef{u"_text_"_qs, u"text_general"_qs, true, false, true, false, false});
}

std::optional<SolrError> SolrCore::addFields(const QJsonArray& commands) {
    SolrError error{400, u"error processing commands"_qs, {}};
    QMap<QString, SolrFieldDef> added;
    for (const QJsonValue& value : commands) {
        const QJsonObject command = value.toObject();
        const QString name = command.value(QLatin1String("name")).toString();
        const QString type = command.value(QLatin1String("type")).toString();
        QString message;
        if (name.isEmpty())
            message = u"The field name is required"_qs;
        else if (m_fields.contains(name) || added.contains(name))
            message = QStringLiteral("Field '%1' already exists.").arg(name);
        else if (!isKnownType(type))
            message = QStringLiteral("Field '%1': Field type '%2' not found.").arg(name, type);
        if (!message.isEmpty()) {
            error.details.append(QJsonObject{{u"add-field"_qs, command},
                                             {u"errorMessages"_qs, QJsonArray{QString(message + u"\n"_qs)}}});
            continue;
        }
        SolrFieldDef def{name, type};
        def.multiValued = command.value(QLatin1String("multiValued")).toBool(false);
        def.stored = command.value(QLatin1String("stored")).toBool(true);
        def.indexed = command.value(QLatin1String("indexed")).toBool(true);
        def.docValues =
            command.value(QLatin1String("docValues")).toBool(type != QLatin1String("text_general"));
        added.insert(name, def);
    }
    if (!error.details.isEmpty())
        return error;
    m_fields.insert(added);
    return std::nullopt;
}

std::optional<SolrError> SolrCore::add(const QJsonObject& input) {
    const QJsonValue idValue = input.value(m_uniqueKey);
    if (idValue.isUndefined() || idValue.isNull())
        return SolrError{
            400, QStringLiteral("Document is missing mandatory uniqueKey field: %1").arg(m_uniqueKey), {}};
    const QString id = scalarText(firstValue(idValue));
    QJsonObject doc;
    for (auto it = input.begin(); it != input.end(); ++it) {
        const auto def = m_fields.constFind(it.key());
        if (def == m_fields.constEnd())
            return SolrError{400, QStringLiteral("ERROR: [doc=%1] unknown field '%2'").arg(id, it.key()), {}};
        const QJsonArray values = it->isArray() ? it->toArray() : QJsonArray{*it};
        if (values.size() > 1 && !def->multiValued) {
            QStringList shown;
            for (const QJsonValue& v : values)
                shown.append(scalarText(v));
            return SolrError{
                400,
                QStringLiteral(
                    "ERROR: [doc=%1] multiple values encountered for non multiValued field %2: [%3]")
                    .arg(id, it.key(), shown.join(u", "_qs)),
                {}};
        }
        QJsonArray normalized;
        for (const QJsonValue& v : values) {
            QString reason;
            auto value = normalize(def->type, v, &reason);
            if (!value)
                return SolrError{400,
                                 QStringLiteral("ERROR: [doc=%1] Error adding field '%2'='%3' msg=%4")
                                     .arg(id, it.key(), scalarText(v), reason),
                                 {}};
            normalized.append(*value);
        }
        if (def->stored)
            doc.insert(it.key(), def->multiValued ? QJsonValue(normalized) : normalized.first());
    }
    doc.insert(u"_version_"_qs, QJsonValue(++versionCounter));
    m_docs.insert(id.toUtf8(), doc);
    return std::nullopt;
}

void SolrCore::deleteById(const QString& id) {
    m_docs.remove(id.toUtf8());
}

std::optional<SolrError> SolrCore::checkFields(const QStringList& names) const {
    for (const QString& name : names)
        if (!m_fields.contains(name))
            return SolrError{400, QStringLiteral("undefined field %1").arg(name), {}};
    return std::nullopt;
}

int SolrCore::compare(const QString& field, const QJsonValue& stored, const QString& text) const {
    const QString type = m_fields.value(field).type;
    QString reason;
    const auto value = normalize(type, QJsonValue(text), &reason);
    return compareStored(type, stored, value ? *value : QJsonValue(text));
}

std::optional<SolrError> SolrCore::deleteByQuery(const QString& query) {
    const SolrQueryParse parsed = parseSolrQuery(query);
    if (!parsed.query)
        return SolrError{400, parsed.error, {}};
    if (auto e = checkFields(queryFields(*parsed.query)))
        return e;
    const SolrCompare cmp = [this](const QString& f, const QJsonValue& v, const QString& t) {
        return compare(f, v, t);
    };
    for (auto it = m_docs.begin(); it != m_docs.end();)
        it = matchesQuery(*parsed.query, *it, cmp) ? m_docs.erase(it) : std::next(it);
    return std::nullopt;
}

} // namespace ors::fake
