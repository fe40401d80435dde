#include "inspect/RecordInspector.h"

#include "inspect/RecordValues.h"
#include "processes/SourceContext.h"
#include "reso/ODataQuery.h"
#include "reso/PageReader.h"

#include <QJsonArray>
#include <QMap>

#include <algorithm>

namespace ors {

QString differenceKindName(DifferenceKind kind) {
    switch (kind) {
    case DifferenceKind::Value:
        return QStringLiteral("value");
    case DifferenceKind::MissingField:
        return QStringLiteral("missingField");
    case DifferenceKind::MissingRecord:
        return QStringLiteral("missingRecord");
    case DifferenceKind::OnlyInDestination:
        return QStringLiteral("onlyInDestination");
    case DifferenceKind::MissingChild:
        return QStringLiteral("missingChild");
    case DifferenceKind::ExtraChild:
        return QStringLiteral("extraChild");
    }
    return QStringLiteral("value");
}

namespace {

QJsonObject rowObject(const TablePlan& table, const Row& row) {
    QJsonObject object;
    for (int i = 0; i < table.columns.size() && i < row.size(); ++i)
        object.insert(table.columns.at(i).name, RecordValues::fromCell(row.at(i)));
    return object;
}

// A key as text, whatever its storage (RESO keys are strings; a few servers use integers).
QString keyOf(const QJsonObject& object, const QString& keyColumn) {
    const QJsonValue value = object.value(keyColumn);
    return value.isString() ? value.toString() : RecordValues::display(value);
}

} // namespace

Expected<std::optional<PageRows>>
RecordInspector::fetchFromMls(SourceContext& context, const ResourcePlan& plan, const QString& key) {
    const QString literal = odata::keyLiteral(key, plan.numericKey);
    const ResourceConfig* config = context.source().resource(plan.resource);
    QList<odata::ExpandSpec> expands;
    if (config)
        for (const ExpandConfig& e : config->expand)
            expands.append(odata::ExpandSpec{e.name, {}, {}});
    // By key alone, not with the resource's filter: a record that left the filter is still
    // shown as the MLS has it. Only what the platform requires is added (MLS Grid: its
    // OriginatingSystemName, and MlgCanView eq true, so a record it flags deleted is not found).
    odata::QueryOptions query;
    query.filter =
        context.profile().filter(QString(), plan.keyField + QStringLiteral(" eq ") + literal, true);
    query.select = plan.selectFields;
    query.expand = odata::expandClause(expands);
    const QUrl url = odata::buildUrl(context.resourceUrl(plan.resource), query);
    auto response = context.http().get(url, "application/json");
    if (!response)
        return response.error();
    // As sent: the comparison rounds to each column's Scale itself, and the MLS side shows the
    // digits the MLS has.
    auto page = PageReader::read(response->body, plan, describeUrl(url), DecimalScale::AsSent);
    if (!page)
        return page.error();
    // A server comparing keys without regard to case may send more than the one asked for.
    int found = -1;
    for (int i = 0; i < page->parent.rows.size(); ++i) {
        const Row& row = page->parent.rows.at(i);
        // Rows are keyed by column name, which for a case twin differs from the field name.
        if (keyOf(rowObject(plan.table, row), plan.table.columns.at(plan.table.keyColumn).name) == key) {
            found = i;
            break;
        }
    }
    if (found < 0) {
        // Sent, but not storable (no key in a child, a malformed number): say why, as sync would.
        for (const RecordRejection& rejection : std::as_const(page->rejected))
            if (QString::fromUtf8(rejection.key) == key)
                return makeError(rejection.reason);
        return std::optional<PageRows>();
    }
    // The record alone: its row and its children's.
    PageRows record;
    record.parent.rows.append(page->parent.rows.at(found));
    const QByteArray keyBytes = keyText(page->parent.rows.at(found).at(plan.table.keyColumn));
    record.children.resize(page->children.size());
    for (int c = 0; c < plan.children.size() && c < page->children.size(); ++c) {
        const int parentColumn = plan.children.at(c).parentKeyColumn;
        for (const Row& row : page->children.at(c).rows.rows)
            if (keyText(row.at(parentColumn)) == keyBytes)
                record.children[c].rows.rows.append(row);
        if (page->children.at(c).parentKeys.contains(keyBytes))
            record.children[c].parentKeys.append(keyBytes);
    }
    return std::optional<PageRows>(std::move(record));
}

QJsonObject RecordInspector::recordObject(const ResourcePlan& plan, const PageRows& rows) {
    if (rows.parent.rows.isEmpty())
        return {};
    QJsonObject record = rowObject(plan.table, rows.parent.rows.first());
    for (int c = 0; c < plan.children.size() && c < rows.children.size(); ++c) {
        const ChildPlan& child = plan.children.at(c);
        if (!child.owned)
            continue;
        const QString childKey = child.table.columns.at(child.table.keyColumn).name;
        // Ordered by the child's key in byte order, as the destinations return them.
        QMap<QByteArray, QJsonObject> byKey;
        for (const Row& row : rows.children.at(c).rows.rows) {
            const QJsonObject object = rowObject(child.table, row);
            byKey.insert(keyOf(object, childKey).toUtf8(), object);
        }
        QJsonArray array;
        for (const QJsonObject& object : std::as_const(byKey))
            array.append(object);
        record.insert(child.navigation, array);
    }
    return record;
}

RecordComparison RecordInspector::inspect(const SourceConfig& source, const QString& dataDir,
                                          const QString& resource, const QString& key,
                                          const std::atomic<bool>* cancelled) {
    RecordComparison result;
    result.source = source.name;
    result.resource = resource;
    result.key = key;
    if (key.isEmpty() || key.size() > 4096) {
        result.error = QStringLiteral("bad key: a key is 1 to 4096 characters");
        return result;
    }
    if (!source.resource(resource)) {
        QStringList names;
        for (const ResourceConfig& r : source.resources)
            names.append(r.name);
        result.error = QStringLiteral("source \"%1\" has no resource \"%2\" (configured: %3)")
                           .arg(source.name, resource, names.join(QStringLiteral(", ")));
        return result;
    }
    SourceContext context(source, DataLayout(dataDir), cancelled);
    if (auto r = context.connect(); !r) {
        result.error = r.errorMessage();
        return result;
    }
    if (auto r = context.loadMetadata(); !r) {
        result.error = r.errorMessage();
        return result;
    }
    const ResourcePlan* plan = context.plan(resource);
    if (!plan) {
        result.error = QStringLiteral("resource %1 has no plan").arg(resource);
        return result;
    }
    result.keyField = plan->keyField;
    for (const ColumnPlan& column : plan->table.columns)
        result.columns.append(RecordColumn{column.name, column.storage});

    if (plan->table.columns.at(plan->table.keyColumn).storage == ColumnStorage::Integer) {
        bool ok = false;
        (void)key.toLongLong(&ok);
        if (!ok) {
            result.error = QStringLiteral("bad key \"%1\": %2.%3 is an integer")
                               .arg(key, plan->resource, plan->keyField);
            return result;
        }
    }

    std::optional<QJsonObject> mls;
    std::optional<PageRows> mlsRows;
    auto fetched = fetchFromMls(context, *plan, key);
    if (!fetched) {
        result.mlsError = fetched.errorMessage();
    } else if (*fetched) {
        mlsRows = *fetched;
        mls = recordObject(*plan, *mlsRows);
        result.mlsFound = true;
        result.mlsFields = *mls;
        result.mlsChildren = childCounts(*plan, *mls);
    }

    const QByteArray keyBytes = key.toUtf8();
    for (const DestinationConfig& config : source.destinations) {
        DestinationRecord record;
        record.name = config.name;
        record.type = destinationTypeName(config.type);
        auto destination = createDestination(config, source.name, dataDir);
        if (!destination) {
            record.error = destination.errorMessage();
            result.destinations.append(record);
            continue;
        }
        (*destination)->setReadOnly(true);
        std::optional<QJsonObject> stored;
        if (auto r = (*destination)->open(); !r) {
            record.error = r.errorMessage();
        } else if (auto read = (*destination)->fetchRecord(*plan, keyBytes); !read) {
            record.error = read.errorMessage();
        } else {
            stored = *read;
        }
        // A destination with a field mapping is compared with the MLS's record mapped the same
        // way, in its own column names: equal means it holds what the mapping makes of the MLS's.
        ResourcePlan storedPlan = *plan;
        std::optional<QJsonObject> expected = mls;
        if (record.error.isEmpty()) {
            if (auto mapped = (*destination)->storedPlan(*plan); !mapped) {
                record.error = mapped.errorMessage();
            } else {
                storedPlan = *mapped;
                if (mlsRows) {
                    auto rows = (*destination)->storedRows(*plan, *mlsRows);
                    if (rows)
                        expected = recordObject(storedPlan, *rows);
                    else
                        record.error = rows.errorMessage();
                }
            }
        }
        if (record.error.isEmpty()) {
            if (result.mlsError.isEmpty()) {
                compare(storedPlan, expected, stored, record);
            } else if (stored) {
                // Without the MLS's side there is nothing to compare against; show what is held.
                record.found = true;
                record.fields = *stored;
                record.children = childCounts(storedPlan, *stored);
            }
        }
        result.destinations.append(record);
    }
    return result;
}

QList<ChildCount> RecordInspector::childCounts(const ResourcePlan& plan, const QJsonObject& record) {
    QList<ChildCount> counts;
    for (const ChildPlan& child : plan.children)
        if (child.owned)
            counts.append(ChildCount{child.navigation, record.value(child.navigation).toArray().size()});
    return counts;
}

void RecordInspector::addDifference(DestinationRecord& out, FieldDifference difference) {
    if (out.differences.size() >= kMaxDifferences) {
        ++out.differencesOmitted;
        return;
    }
    out.differences.append(std::move(difference));
}

void RecordInspector::compare(const ResourcePlan& plan, const std::optional<QJsonObject>& mls,
                              const std::optional<QJsonObject>& destination, DestinationRecord& out) {
    out.found = destination.has_value();
    if (destination) {
        for (auto it = destination->begin(); it != destination->end(); ++it)
            if (plan.table.columnIndex(it.key()) >= 0)
                out.fields.insert(it.key(), it.value());
        out.children = childCounts(plan, *destination);
    }
    if (!mls && !destination)
        return;
    if (!destination) {
        addDifference(out, {DifferenceKind::MissingRecord,
                            {},
                            QJsonValue(QJsonValue::Undefined),
                            QJsonValue(QJsonValue::Undefined)});
        return;
    }
    if (!mls) {
        addDifference(out, {DifferenceKind::OnlyInDestination,
                            {},
                            QJsonValue(QJsonValue::Undefined),
                            QJsonValue(QJsonValue::Undefined)});
        return;
    }
    for (const ColumnPlan& column : plan.table.columns) {
        const QJsonValue theirs = mls->value(column.name);
        if (!destination->contains(column.name)) {
            ++out.fieldsDiffering;
            addDifference(
                out, {DifferenceKind::MissingField, column.name, theirs, QJsonValue(QJsonValue::Undefined)});
        } else if (const QJsonValue ours = destination->value(column.name);
                   !RecordValues::equalToMls(column, theirs, ours)) {
            ++out.fieldsDiffering;
            addDifference(out, {DifferenceKind::Value, column.name, theirs, ours});
        }
    }
    for (const ChildPlan& child : plan.children)
        if (child.owned)
            compareChildren(child, mls->value(child.navigation).toArray(),
                            destination->value(child.navigation).toArray(), out);
}

void RecordInspector::compareChildren(const ChildPlan& child, const QJsonArray& mls,
                                      const QJsonArray& destination, DestinationRecord& out) {
    const QString keyColumn = child.table.columns.at(child.table.keyColumn).name;
    QMap<QByteArray, QJsonObject> theirs, ours;
    for (const QJsonValue v : mls)
        theirs.insert(keyOf(v.toObject(), keyColumn).toUtf8(), v.toObject());
    for (const QJsonValue v : destination)
        ours.insert(keyOf(v.toObject(), keyColumn).toUtf8(), v.toObject());
    QList<QByteArray> keys = theirs.keys() + ours.keys();
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const QByteArray& key : std::as_const(keys)) {
        const QString name = child.navigation + QLatin1Char('[') + QString::fromUtf8(key) + QLatin1Char(']');
        const auto t = theirs.constFind(key);
        const auto o = ours.constFind(key);
        if (o == ours.constEnd()) {
            ++out.childrenDiffering;
            addDifference(out, {DifferenceKind::MissingChild, name, QJsonValue(QJsonValue::Undefined),
                                QJsonValue(QJsonValue::Undefined)});
            continue;
        }
        if (t == theirs.constEnd()) {
            ++out.childrenDiffering;
            addDifference(out, {DifferenceKind::ExtraChild, name, QJsonValue(QJsonValue::Undefined),
                                QJsonValue(QJsonValue::Undefined)});
            continue;
        }
        bool differs = false;
        for (const ColumnPlan& column : child.table.columns) {
            const QString field = name + QLatin1Char('.') + column.name;
            if (!o->contains(column.name)) {
                differs = true;
                addDifference(out, {DifferenceKind::MissingField, field, t->value(column.name),
                                    QJsonValue(QJsonValue::Undefined)});
            } else if (!RecordValues::equalToMls(column, t->value(column.name), o->value(column.name))) {
                differs = true;
                addDifference(out,
                              {DifferenceKind::Value, field, t->value(column.name), o->value(column.name)});
            }
        }
        if (differs)
            ++out.childrenDiffering;
    }
}

} // namespace ors
