// SolrDestination's writes: documents from rows (JSON update), deletes by id and by query, and
// purge's guarded deletes.
#include "destinations/SolrDestination.h"

#include "destinations/SolrQuery.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace ors {

namespace {

QJsonValue numberOf(const Cell& cell) {
    switch (cell.type) {
    case Cell::Type::Integer:
        return QJsonValue(cell.integer);
    case Cell::Type::Real:
        return QJsonValue(cell.real);
    case Cell::Type::Text:
        // Decimals arrive as exact digits; Solr's pdouble holds them as a double anyway.
        return QJsonValue(cell.text.toDouble());
    case Cell::Type::Null:
        break;
    }
    return QJsonValue();
}

QString cellText(const Cell& cell) {
    return QString::fromUtf8(keyText(cell));
}

// The JSON value a column's cell is indexed as, per its Solr field type (solrFieldType).
QJsonValue fieldValue(const ColumnPlan& column, const Cell& cell, bool isKey) {
    if (isKey || column.isParentKey)
        return cellText(cell);
    const Field& field = column.field;
    if (field.isCollection && field.kind != EdmKind::Complex && field.kind != EdmKind::Geography) {
        // The server's JSON array, element by element: a multiValued field takes an array.
        const QJsonDocument array = QJsonDocument::fromJson(cell.text);
        if (!array.isArray())
            return cellText(cell);
        QJsonArray values;
        for (const QJsonValue& element : array.array()) {
            if (element.isString() && field.kind == EdmKind::Date)
                values.append(QString(element.toString() + QLatin1String("T00:00:00Z")));
            else
                values.append(element);
        }
        return values;
    }
    switch (column.storage) {
    case ColumnStorage::Integer:
    case ColumnStorage::Decimal:
    case ColumnStorage::Real:
        return numberOf(cell);
    case ColumnStorage::Boolean:
        return cell.integer != 0;
    case ColumnStorage::Date:
        // pdate holds instants; a date is its UTC midnight, read back as the date alone.
        return QString(cellText(cell) + QLatin1String("T00:00:00Z"));
    default:
        return cellText(cell);
    }
}

QList<QList<QByteArray>> chunks(const QList<QByteArray>& keys) {
    QList<QList<QByteArray>> out;
    for (qsizetype i = 0; i < keys.size(); i += SolrDestination::kKeysPerRequest)
        out.append(keys.mid(i, SolrDestination::kKeysPerRequest));
    return out;
}

} // namespace

QJsonObject SolrDestination::document(const TablePlan& table, const Row& row,
                                      const CoreSchema& schema) const {
    QJsonObject doc;
    for (int i = 0; i < table.columns.size(); ++i) {
        const Cell& cell = row.at(i);
        if (cell.isNull())
            continue; // an absent field is Solr's null; adding a document replaces it whole
        doc.insert(table.columns.at(i).name, fieldValue(table.columns.at(i), cell, i == table.keyColumn));
    }
    // A core made from Solr's default configset has the uniqueKey "id": it holds the key too.
    if (schema.uniqueKey != table.columns.at(table.keyColumn).name)
        doc.insert(schema.uniqueKey, cellText(row.at(table.keyColumn)));
    return doc;
}

Expected<void> SolrDestination::addDocuments(const TablePlan& table, const TableRows& rows) {
    if (rows.rows.isEmpty())
        return {};
    const QString core = coreOf(table.table);
    auto schema = schemaOf(core);
    if (!schema)
        return schema.error();
    if (!schema->exists)
        return makeError(
            QStringLiteral("%1: Solr has no core \"%2\" for table %3").arg(where(), core, table.table));
    // One request per page: a JSON array of documents (Indexing with Update Handlers).
    QJsonArray docs;
    for (const Row& row : rows.rows)
        docs.append(document(table, row, *schema));
    auto written =
        update(core, QJsonDocument(docs).toJson(QJsonDocument::Compact),
               QStringLiteral("writing %1 document(s) to core %2").arg(rows.rows.size()).arg(core));
    if (written)
        return written;
    // "[doc=KEY] Error adding field …": that record's value does not fit its field, so
    // applyRejecting may leave the record out. An unknown field is the schema's fault, not a row's.
    static const QRegularExpression docId(QStringLiteral("\\[doc=([^\\]]*)\\]"));
    const QString message = written.errorMessage();
    const auto match = docId.match(message);
    if (written.error().httpStatus == 400 && match.hasMatch() &&
        !message.contains(QLatin1String("unknown field"))) {
        const QByteArray key = match.captured(1).toUtf8();
        for (const Row& row : rows.rows)
            if (keyText(row.at(table.keyColumn)) == key) {
                m_rowFault = RowFault{table.table, row};
                break;
            }
    }
    return written;
}

Expected<void> SolrDestination::deleteIds(const QString& core, const QList<QByteArray>& ids) {
    for (const QList<QByteArray>& chunk : chunks(ids)) {
        QJsonArray list;
        for (const QByteArray& id : chunk)
            list.append(QString::fromUtf8(id));
        // {"delete": [ids]}: delete by unique key (Indexing with Update Handlers).
        const QJsonObject command{{u"delete"_qs, list}};
        if (auto r =
                update(core, QJsonDocument(command).toJson(QJsonDocument::Compact),
                       QStringLiteral("deleting %1 document(s) from core %2").arg(chunk.size()).arg(core));
            !r)
            return r;
    }
    return {};
}

Expected<void> SolrDestination::deleteByQuery(const QString& core, const QString& query) {
    const QJsonObject command{{u"delete"_qs, QJsonObject{{u"query"_qs, query}}}};
    return update(core, QJsonDocument(command).toJson(QJsonDocument::Compact),
                  QStringLiteral("deleting by query from core %1").arg(core));
}

Expected<void> SolrDestination::deleteChildren(const ChildPlan& child, const QList<QByteArray>& parentKeys) {
    const QString core = coreOf(child.table.table);
    const QString parentField = child.table.columns.at(child.parentKeyColumn).name;
    // A core (or parent key field) that does not exist holds no children.
    auto schema = schemaOf(core);
    if (!schema)
        return schema.error();
    if (!schema->fieldTypes.contains(parentField))
        return {};
    for (const QList<QByteArray>& chunk : chunks(parentKeys))
        if (auto r = deleteByQuery(core, solr::anyOf(parentField, chunk)); !r)
            return r;
    return {};
}

Expected<void> SolrDestination::apply(const ResourcePlan& plan, const PageRows& page) {
    if (m_readOnly)
        return makeError(QStringLiteral("%1: opened read-only; rows are not written").arg(where()));
    // Children first, parents last: a page cut short by an error is written again whole, and
    // until then the parents still carry their old timestamps, so nothing looks complete early.
    for (qsizetype i = 0; i < plan.children.size() && i < page.children.size(); ++i) {
        const ChildPlan& child = plan.children.at(i);
        const ChildRows& rows = page.children.at(i);
        if (child.owned && !rows.parentKeys.isEmpty())
            if (auto r = deleteChildren(child, rows.parentKeys); !r)
                return r;
        if (auto r = addDocuments(child.table, rows.rows); !r)
            return r;
    }
    return addDocuments(plan.table, page.parent);
}

Expected<void> SolrDestination::deleteKeys(const ResourcePlan& plan, const QList<QByteArray>& keys) {
    if (m_readOnly)
        return makeError(QStringLiteral("%1: opened read-only; nothing is deleted").arg(where()));
    if (keys.isEmpty())
        return {};
    for (const ChildPlan& child : plan.children)
        if (child.owned)
            if (auto r = deleteChildren(child, keys); !r)
                return r;
    // The documents' unique key holds the record's key, whatever the field is called.
    return deleteIds(coreOf(plan.table.table), keys);
}

Expected<qint64> SolrDestination::purgeKeys(const ResourcePlan& plan, const QList<QByteArray>& keys,
                                            const PurgeGuard& guard) {
    if (m_readOnly)
        return makeError(QStringLiteral("%1: opened read-only; nothing is purged").arg(where()));
    const TablePlan& table = plan.table;
    const QString core = coreOf(table.table);
    auto schema = schemaOf(core);
    if (!schema)
        return schema.error();
    if (keys.isEmpty() || !schema->exists)
        return qint64(0);
    const QString keyField = table.columns.at(table.keyColumn).name;
    QStringList filters;
    const QString ts = table.timestampColumn >= 0 ? table.columns.at(table.timestampColumn).name : QString();
    if (!ts.isEmpty() && schema->fieldTypes.contains(ts)) {
        const QString older = solr::before(ts, guard.olderThan);
        filters.append(guard.untimestamped ? QStringLiteral("(%1 OR %2)").arg(older, solr::absent(ts))
                                           : older);
    } else if (!guard.untimestamped) {
        return qint64(0); // no document has a timestamp, and the key list is too old for those
    }
    for (const QString& column : guard.ownedBy)
        if (schema->fieldTypes.contains(column))
            filters.append(QLatin1Char('-') + solr::exists(column));

    // Solr deletes by query without saying what it deleted, so the guarded query is asked first
    // and exactly the documents it names are deleted, children with them. Nothing writes this
    // source's cores meanwhile: a source's processes hold its lock.
    qint64 deleted = 0;
    for (const QList<QByteArray>& chunk : chunks(keys)) {
        QList<std::pair<QString, QString>> params{{u"q"_qs, u"*:*"_qs},
                                                  {u"fq"_qs, solr::anyOf(keyField, chunk)},
                                                  {u"fl"_qs, keyField},
                                                  {u"rows"_qs, QString::number(chunk.size())}};
        for (const QString& filter : std::as_const(filters))
            params.append({u"fq"_qs, filter});
        auto answer =
            select(core, params, QStringLiteral("finding the documents of core %1 to purge").arg(core));
        if (!answer)
            return answer.error();
        if (!*answer)
            return deleted;
        QList<QByteArray> gone;
        const QJsonArray docs =
            (*answer)->value(QLatin1String("response")).toObject().value(QLatin1String("docs")).toArray();
        for (const QJsonValue& doc : docs)
            gone.append(doc.toObject().value(keyField).toString().toUtf8());
        if (gone.isEmpty())
            continue;
        for (const ChildPlan& child : plan.children)
            if (child.owned)
                if (auto r = deleteChildren(child, gone); !r)
                    return r.error();
        if (auto r = deleteIds(core, gone); !r)
            return r.error();
        deleted += gone.size();
    }
    return deleted;
}

} // namespace ors
