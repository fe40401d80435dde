// Reconcile's comparison of owned children, for servers that add, change or remove a child
// (an OpenHouse, a Media record) without touching its parent's ModificationTimestamp: the key
// download expands each owned child type that has a ModificationTimestamp with only its key and
// timestamp, every parent's child set is folded into a digest (ChildDigest), and the digests are
// compared in parent key order with the destination's child rows folded the same way. Memory
// stays bounded for any number of parents: the MLS side goes through the external sorter, the
// destination side is read by keyset pages of child rows, and one parent's children at a time.
#include "processes/ReconcileProcess.h"

#include "destinations/Destination.h"
#include "diff/ChildDigest.h"
#include "diff/ExternalKeySorter.h"
#include "diff/KeyDiff.h"
#include "diff/StoredKeyStream.h"
#include "logging/SourceLog.h"
#include "processes/BatchFiles.h"
#include "reso/ChildKeyReader.h"
#include "reso/ODataQuery.h"

namespace ors {

namespace {
constexpr int kChildRowPage = 5000;
} // namespace

QList<const ChildPlan*> ReconcileProcess::comparedChildren(const ResourcePlan& plan) {
    QList<const ChildPlan*> children;
    // Non-owned children are only ever upserted, so a destination may rightly hold more of them
    // than a parent lists; a child type without a timestamp could only be compared by key.
    for (const ChildPlan& child : plan.children)
        if (child.owned && child.table.timestampColumn >= 0 && child.table.keyColumn >= 0 &&
            child.parentKeyColumn >= 0)
            children.append(&child);
    return children;
}

QString ReconcileProcess::keyListExpand(const ResourcePlan& plan) const {
    QList<odata::ExpandSpec> expands;
    for (const ChildPlan* child : comparedChildren(plan)) {
        const TablePlan& table = child->table;
        expands.append(odata::ExpandSpec{child->navigation,
                                         {table.columns.at(table.keyColumn).field.name,
                                          table.columns.at(table.timestampColumn).field.name},
                                         {}});
    }
    return odata::expandClause(expands);
}

Expected<void> ReconcileProcess::compareChildren(const ResourcePlan& plan, Destination& destination,
                                                 const BatchFiles& pages, ExternalKeySorter& missing) {
    const QString dir = downloadDir(plan.resource);
    for (const ChildPlan* child : comparedChildren(plan)) {
        const TablePlan& table = child->table;
        const QString childKey = table.columns.at(table.keyColumn).field.name;
        const QString childTimestamp = table.columns.at(table.timestampColumn).field.name;
        ExternalKeySorter mlsSorter(dir);
        for (const QString& name : pages.list()) {
            auto body = pages.read(name);
            if (!body)
                return body.error();
            Destination* d = &destination;
            ChildKeyReader::KeyMap childKeyMap;
            if (d->mapsKeys())
                childKeyMap = [d](const QByteArray& key) { return d->storedKey(key); };
            auto digests = ChildKeyReader::digests(*body, plan.keyField, child->navigation, childKey,
                                                   childTimestamp, pages.path(name), childKeyMap);
            if (!digests)
                return digests.error();
            for (const KeyRecord& digest : std::as_const(*digests))
                if (auto r = mlsSorter.add(digest); !r)
                    return r;
        }
        auto mlsDigests = mlsSorter.finish();
        if (!mlsDigests)
            return mlsDigests.error();
        auto stored = storedKeys(destination, plan, **mlsDigests);
        if (!stored)
            return stored.error();
        SortedKeyStream& mls = *stored ? **stored : **mlsDigests;
        auto mlsKey = [&stored](const KeyRecord& r) { return *stored ? (*stored)->mlsKey() : r.key; };
        const QString parentColumn = table.columns.at(child->parentKeyColumn).name;
        Destination* d = &destination;
        const QString label =
            QStringLiteral("destination \"%1\" (%2 of %3)").arg(d->name(), child->navigation, plan.resource);
        ChildDigestStream held(
            label,
            [d, &table, &parentColumn](const std::optional<QByteArray>& after,
                                       const std::optional<QByteArray>& only, int limit) {
                return d->childKeys(table, parentColumn, after, only, limit);
            },
            kChildRowPage);
        KeyDiff::Options options;
        options.compareTimestamp = {true, false}; // the digest, compared as text
        options.mlsLabel = QStringLiteral("the MLS's %1 of %2").arg(child->navigation, plan.resource);
        options.destinationLabel = label;
        qint64 differing = 0;
        KeyDiff::Handlers handlers;
        // A destination holds no row for a parent without children, so the MLS's empty sets
        // agree with it; any other set only the MLS has is missing from the destination.
        handlers.onlyInMls = [&](const KeyRecord& r) -> Expected<void> {
            if (r.timestamps[0] == ChildDigest::emptyText())
                return {};
            ++differing;
            return missing.add(KeyRecord(mlsKey(r)));
        };
        handlers.changed = [&](const KeyRecord& r, const KeyRecord&) -> Expected<void> {
            ++differing;
            return missing.add(KeyRecord(mlsKey(r)));
        };
        // Children of a parent the key list lacks are not reconcile's: the parent is gone from the
        // MLS (purge takes it with its children) or its record did not carry the navigation.
        auto counts = KeyDiff(options).run(mls, held, handlers);
        if (!counts)
            return counts.error();
        log().info(QStringLiteral("compared children"), {{QStringLiteral("resource"), plan.resource},
                                                         {QStringLiteral("child"), child->navigation},
                                                         {QStringLiteral("destination"), d->name()},
                                                         {QStringLiteral("parents"), differing}});
    }
    return {};
}

} // namespace ors
