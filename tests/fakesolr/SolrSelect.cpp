// SolrCore::select: filters, sort, rows, fl and cursorMark paging over the committed documents.
#include "SolrCore.h"

#include "SolrQuery.h"

#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace ors::fake {

namespace {

struct SortKey {
    QString field;
    bool descending = false;
};

// The mark names the sort values of the last document returned ("Pagination of Results":
// the cursor is the sort values, so it survives documents added or deleted meanwhile).
QString encodeMark(const QJsonArray& values) {
    return QStringLiteral("AoE") +
           QString::fromLatin1(
               QJsonDocument(values).toJson(QJsonDocument::Compact).toBase64(QByteArray::Base64UrlEncoding));
}

std::optional<QJsonArray> decodeMark(const QString& mark) {
    if (!mark.startsWith(QLatin1String("AoE")))
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray::fromBase64(mark.mid(3).toLatin1(), QByteArray::Base64UrlEncoding));
    if (!doc.isArray())
        return std::nullopt;
    return doc.array();
}

} // namespace

std::variant<SolrCore::Result, SolrError> SolrCore::select(const Params& params) const {
    const SolrCompare cmp = [this](const QString& f, const QJsonValue& v, const QString& t) {
        return compare(f, v, t);
    };
    QList<SolrQueryNode> filters;
    for (const QString& text : QStringList{params.q} + params.fq) {
        const SolrQueryParse parsed = parseSolrQuery(text);
        if (!parsed.query)
            return SolrError{400, parsed.error, {}};
        if (auto e = checkFields(queryFields(*parsed.query)))
            return *e;
        filters.append(*parsed.query);
    }

    QList<SortKey> sort;
    for (const QString& part : params.sort.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList words = part.simplified().split(QLatin1Char(' '));
        if (words.size() != 2 ||
            (words.at(1) != QLatin1String("asc") && words.at(1) != QLatin1String("desc")))
            return SolrError{
                400,
                QStringLiteral("Can't determine a Sort Order (asc or desc) in sort spec '%1'").arg(part),
                {}};
        if (auto e = checkFields({words.at(0)}))
            return *e;
        const SolrFieldDef& def = m_fields.value(words.at(0));
        if (def.multiValued)
            return SolrError{400, QStringLiteral("can not sort on multivalued field: %1").arg(def.name), {}};
        if (!def.docValues)
            return SolrError{400,
                             QStringLiteral("can not sort on a field w/o docValues unless it is indexed=true "
                                            "uninvertible=true and the type supports Uninversion: %1")
                                 .arg(def.name),
                             {}};
        sort.append({words.at(0), words.at(1) == QLatin1String("desc")});
    }

    std::optional<QJsonArray> after;
    if (params.cursorMark) {
        // Pagination of Results: a cursor needs start=0 and a sort with the uniqueKey as tie breaker.
        if (params.start != 0)
            return SolrError{400, u"Cursor functionality requires start=0"_qs, {}};
        const bool hasKey =
            std::any_of(sort.begin(), sort.end(), [&](const SortKey& k) { return k.field == m_uniqueKey; });
        if (!hasKey)
            return SolrError{
                400, u"Cursor functionality requires a sort containing a uniqueKey field tie breaker"_qs, {}};
        if (*params.cursorMark != QLatin1String("*")) {
            after = decodeMark(*params.cursorMark);
            if (!after || after->size() != sort.size())
                return SolrError{
                    400,
                    QStringLiteral("Unable to parse 'cursorMark' after totem: value must either be '*' "
                                   "or the nextCursorMark returned by a previous search: %1")
                        .arg(*params.cursorMark),
                    {}};
        }
    }

    QList<QJsonObject> hits;
    for (const QJsonObject& doc : m_visible) {
        const bool all = std::all_of(filters.begin(), filters.end(),
                                     [&](const SolrQueryNode& f) { return matchesQuery(f, doc, cmp); });
        if (all)
            hits.append(doc);
    }
    auto order = [&](const QJsonArray& a, const QJsonArray& b) {
        for (int i = 0; i < sort.size(); ++i) {
            const QString type = m_fields.value(sort.at(i).field).type;
            int c = 0;
            const QJsonValue x = a.at(i), y = b.at(i);
            if (x.isNull() || y.isNull())
                c = x.isNull() == y.isNull() ? 0 : (x.isNull() ? 1 : -1); // missing last
            else
                c = compare(sort.at(i).field, x,
                            y.isString() ? y.toString() : QString::number(y.toDouble(), 'g', 17));
            if (type == QLatin1String("boolean") && x.isBool() && y.isBool())
                c = int(x.toBool()) - int(y.toBool());
            if (c != 0)
                return sort.at(i).descending ? c > 0 : c < 0;
        }
        return false;
    };
    auto sortValues = [&](const QJsonObject& doc) {
        QJsonArray values;
        for (const SortKey& key : sort)
            values.append(doc.contains(key.field) ? doc.value(key.field) : QJsonValue());
        return values;
    };
    std::stable_sort(hits.begin(), hits.end(), [&](const QJsonObject& a, const QJsonObject& b) {
        return order(sortValues(a), sortValues(b));
    });

    const qsizetype numFound = hits.size();
    qsizetype from = params.start;
    if (after)
        from = std::find_if(hits.begin(), hits.end(),
                            [&](const QJsonObject& d) { return order(*after, sortValues(d)); }) -
               hits.begin();
    const QStringList fl = params.fl.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    QJsonArray docs;
    QJsonArray last;
    for (qsizetype i = from; i < hits.size() && i < from + params.rows; ++i) {
        QJsonObject out;
        const QJsonObject& doc = hits.at(i);
        for (auto it = doc.begin(); it != doc.end(); ++it)
            if (fl.isEmpty() || fl.contains(QLatin1String("*")) || fl.contains(it.key()))
                out.insert(it.key(), *it);
        docs.append(out);
        last = sortValues(doc);
    }
    Result result;
    result.response = QJsonObject{{u"numFound"_qs, QJsonValue(qint64(numFound))},
                                  {u"start"_qs, params.start},
                                  {u"numFoundExact"_qs, true},
                                  {u"docs"_qs, docs}};
    if (params.cursorMark)
        // With no document left the mark comes back unchanged: the client's end condition.
        result.nextCursorMark = docs.isEmpty() ? *params.cursorMark : encodeMark(last);
    return result;
}

} // namespace ors::fake
