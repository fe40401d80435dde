// SolrDestination's reads for purge, reconcile and `record`: keys and timestamps page by page
// through cursorMark, an owned child table's rows by parent key, and one record's documents.
#include "destinations/SolrDestination.h"

#include "destinations/SolrQuery.h"
#include "records/Timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace ors {

namespace {

constexpr int kReadRows = 1000;

QJsonArray docsOf(const QJsonObject& answer) {
    return answer.value(QLatin1String("response")).toObject().value(QLatin1String("docs")).toArray();
}

// A pdate as the contract's text: Solr leaves out a zero fraction ("…:00Z"), the contract has
// milliseconds; anything that does not parse is kept as it came.
QByteArray timestampText(const QJsonValue& value) {
    const QByteArray text = value.toString().toUtf8();
    auto normalized = normalizeTimestamp(std::string_view(text.constData(), size_t(text.size())));
    return normalized ? *normalized : text;
}

std::optional<QByteArray> optionalTimestamp(const QJsonObject& doc, const QString& field) {
    if (field.isEmpty() || !doc.contains(field) || doc.value(field).isNull())
        return std::nullopt;
    return timestampText(doc.value(field));
}

} // namespace

// Keys sort as Solr's `string` type (StrField) sorts: by the UTF-8 bytes of the term, unsigned
// (Lucene's BytesRef order, which equals Unicode code point order), the memcmp order KeyDiff
// compares MLS keys in (KeyRecord::compareKeys). Hence keys are `string` fields, never text.
Expected<QList<KeyRecord>> SolrDestination::keysAfter(const TablePlan& table,
                                                      const std::optional<QByteArray>& afterKey, int limit,
                                                      const QStringList& timestampColumns) {
    QList<KeyRecord> keys;
    const QString core = coreOf(table.table);
    auto schema = schemaOf(core);
    if (!schema)
        return schema.error();
    if (!schema->exists)
        return keys;
    const QString keyField = table.columns.at(table.keyColumn).name;
    QStringList timestamps; // aligned with timestampColumns; empty where the core lacks it
    QStringList fields{keyField};
    for (const QString& column : timestampColumns) {
        const bool present = schema->fieldTypes.contains(column);
        timestamps.append(present ? column : QString());
        if (present)
            fields.append(column);
    }
    const QString fl = fields.join(QLatin1Char(','));
    QString sort = keyField + QLatin1String(" asc");
    if (schema->uniqueKey != keyField)
        sort += QLatin1String(", ") + schema->uniqueKey + QLatin1String(" asc"); // cursors need it

    // The page after the last one continues its cursor; any other start (the first page, a
    // resumed export) opens a cursor on the keys after afterKey.
    QStringList filters;
    QString mark = QStringLiteral("*");
    if (m_cursor && m_cursor->core == core && m_cursor->fields == fl && m_cursor->lastKey == afterKey) {
        filters = m_cursor->filters;
        mark = m_cursor->next;
    } else if (afterKey) {
        filters.append(solr::after(keyField, *afterKey));
    }
    QList<std::pair<QString, QString>> params{{u"q"_qs, u"*:*"_qs},
                                              {u"sort"_qs, sort},
                                              {u"rows"_qs, QString::number(limit)},
                                              {u"fl"_qs, fl},
                                              {u"cursorMark"_qs, mark}};
    for (const QString& filter : std::as_const(filters))
        params.append({u"fq"_qs, filter});
    auto answer = select(core, params, QStringLiteral("reading the keys of core %1").arg(core));
    if (!answer)
        return answer.error();
    if (!*answer)
        return keys;
    for (const QJsonValue& value : docsOf(**answer)) {
        const QJsonObject doc = value.toObject();
        KeyRecord record(doc.value(keyField).toString().toUtf8());
        for (int i = 0; i < timestamps.size() && i < KeyRecord::TimestampCount; ++i)
            record.timestamps[size_t(i)] = optionalTimestamp(doc, timestamps.at(i));
        keys.append(std::move(record));
    }
    const QString next = (*answer)->value(QLatin1String("nextCursorMark")).toString();
    if (next.isEmpty())
        return makeError(QStringLiteral("%1: reading the keys of core %2: the answer has no nextCursorMark")
                             .arg(where(), core));
    // When next equals the mark sent, the export is at its end (Pagination of Results); a page
    // asked after it returns nothing again.
    m_cursor = Cursor{core, filters, fl, keys.isEmpty() ? afterKey : std::optional(keys.last().key), next};
    return keys;
}

Expected<QList<QJsonObject>> SolrDestination::readAll(const QString& core, const QStringList& filters,
                                                      const QString& fields, const QString& sort,
                                                      const QString& what) {
    QList<QJsonObject> docs;
    QString mark = QStringLiteral("*");
    for (;;) {
        QList<std::pair<QString, QString>> params{{u"q"_qs, u"*:*"_qs},
                                                  {u"sort"_qs, sort},
                                                  {u"rows"_qs, QString::number(kReadRows)},
                                                  {u"fl"_qs, fields},
                                                  {u"cursorMark"_qs, mark}};
        for (const QString& filter : filters)
            params.append({u"fq"_qs, filter});
        auto answer = select(core, params, what);
        if (!answer)
            return answer.error();
        if (!*answer)
            return docs;
        for (const QJsonValue& doc : docsOf(**answer))
            docs.append(doc.toObject());
        const QString next = (*answer)->value(QLatin1String("nextCursorMark")).toString();
        if (next.isEmpty())
            return makeError(QStringLiteral("%1: %2: the answer has no nextCursorMark").arg(where(), what));
        if (next == mark)
            return docs;
        mark = next;
    }
}

Expected<QList<ChildKeyRow>> SolrDestination::childKeys(const TablePlan& table, const QString& parentColumn,
                                                        const std::optional<QByteArray>& afterParent,
                                                        const std::optional<QByteArray>& onlyParent,
                                                        int limit) {
    QList<ChildKeyRow> rows;
    const QString core = coreOf(table.table);
    auto schema = schemaOf(core);
    if (!schema)
        return schema.error();
    if (!schema->fieldTypes.contains(parentColumn))
        return rows;
    const QString keyField = table.columns.at(table.keyColumn).name;
    QString ts;
    if (table.timestampColumn >= 0 &&
        schema->fieldTypes.contains(table.columns.at(table.timestampColumn).name))
        ts = table.columns.at(table.timestampColumn).name;
    QStringList fields{parentColumn, keyField};
    if (!ts.isEmpty())
        fields.append(ts);
    const QString sort = parentColumn + QLatin1String(" asc, ") + schema->uniqueKey + QLatin1String(" asc");
    const QString filter = onlyParent    ? solr::equals(parentColumn, *onlyParent)
                           : afterParent ? solr::after(parentColumn, *afterParent)
                                         : solr::exists(parentColumn);
    const QString what = QStringLiteral("reading the rows of core %1 by %2").arg(core, parentColumn);
    QList<QJsonObject> docs;
    if (onlyParent) {
        auto all = readAll(core, {filter}, fields.join(QLatin1Char(',')), sort, what);
        if (!all)
            return all.error();
        docs = std::move(*all);
    } else {
        // At most `limit` rows: a parent cut by the end is read again whole (ChildDigestStream).
        auto answer = select(core,
                             {{u"q"_qs, u"*:*"_qs},
                              {u"fq"_qs, filter},
                              {u"sort"_qs, sort},
                              {u"rows"_qs, QString::number(limit)},
                              {u"fl"_qs, fields.join(QLatin1Char(','))}},
                             what);
        if (!answer)
            return answer.error();
        if (*answer)
            for (const QJsonValue& doc : docsOf(**answer))
                docs.append(doc.toObject());
    }
    for (const QJsonObject& doc : std::as_const(docs))
        rows.append(ChildKeyRow{doc.value(parentColumn).toString().toUtf8(),
                                doc.value(keyField).toString().toUtf8(), optionalTimestamp(doc, ts)});
    return rows;
}

QJsonValue SolrDestination::storedValue(const ColumnPlan& column, const QJsonValue& value) const {
    if (value.isUndefined() || value.isNull())
        return QJsonValue();
    const Field& field = column.field;
    if (column.isParentKey)
        return value.toString();
    if (value.isArray()) {
        // A multiValued field back to the JSON array text the server sent.
        QJsonArray array = value.toArray();
        if (field.kind == EdmKind::Date)
            for (auto it = array.begin(); it != array.end(); ++it)
                *it = it->toString().left(10);
        return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
    }
    switch (column.storage) {
    case ColumnStorage::Integer:
        if (value.isDouble())
            return QJsonValue(value.toInteger());
        break;
    case ColumnStorage::Boolean:
        if (value.isBool())
            return QJsonValue(qint64(value.toBool() ? 1 : 0));
        break;
    case ColumnStorage::Real:
        if (value.isDouble())
            return value.toDouble();
        break;
    case ColumnStorage::Decimal:
        if (value.isDouble())
            return QString::number(value.toDouble(), 'f', QLocale::FloatingPointShortest);
        break;
    case ColumnStorage::Date:
        return value.toString().left(10);
    case ColumnStorage::Timestamp:
        return QString::fromUtf8(timestampText(value));
    default:
        break;
    }
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
}

Expected<QList<QJsonObject>> SolrDestination::readRows(const TablePlan& table, const QString& whereColumn,
                                                       const QByteArray& value) {
    QList<QJsonObject> rows;
    const QString core = coreOf(table.table);
    auto schema = schemaOf(core);
    if (!schema)
        return schema.error();
    if (!schema->fieldTypes.contains(whereColumn))
        return rows;
    const QString keyField = table.columns.at(table.keyColumn).name;
    QString sort = keyField + QLatin1String(" asc");
    if (schema->uniqueKey != keyField)
        sort += QLatin1String(", ") + schema->uniqueKey + QLatin1String(" asc");
    auto docs = readAll(
        core, {solr::equals(whereColumn, value)}, QStringLiteral("*"), sort,
        QStringLiteral("reading %1 %2 from core %3").arg(whereColumn, QString::fromUtf8(value), core));
    if (!docs)
        return docs.error();
    for (const QJsonObject& doc : std::as_const(*docs)) {
        QJsonObject row;
        // Only the plan's fields the core has: one added to the metadata since is reported
        // missing rather than failing the read.
        for (const ColumnPlan& column : table.columns)
            if (schema->fieldTypes.contains(column.name))
                row.insert(column.name, storedValue(column, doc.value(column.name)));
        rows.append(std::move(row));
    }
    return rows;
}

} // namespace ors
