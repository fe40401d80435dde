#include "processes/ReconcileProcess.h"

#include "diff/ExternalKeySorter.h"
#include "diff/KeyDiff.h"
#include "diff/KeyListReader.h"
#include "diff/KeyListStream.h"
#include "diff/KeyListWriter.h"
#include "diff/PagedKeyStream.h"
#include "diff/StoredKeyStream.h"
#include "logging/SourceLog.h"
#include "processes/BatchFiles.h"
#include "processes/SourceContext.h"
#include "reso/ODataQuery.h"
#include "reso/PagedQuery.h"
#include "reso/PageReader.h"
#include "stats/StatsStore.h"
#include "store/StateStore.h"

#include <QDir>
#include <QFile>
#include <QUrl>

namespace ors {

namespace {
const QString kKeysPrefix = QStringLiteral("reconcile_batch_");
const QString kMissingPrefix = QStringLiteral("missing_batch_");
const QString kPhotosTimestamp = QStringLiteral("PhotosChangeTimestamp");
constexpr int kDestinationPage = 5000;
} // namespace

ReconcileProcess::ReconcileProcess(SourceConfig source, const QString& dataDir, ReconcileOptions options)
    : ProcessJob(std::move(source), dataDir, ProcessType::Reconcile)
    , m_options(std::move(options)) {}

ReconcileProcess::~ReconcileProcess() = default;

QString ReconcileProcess::missingListPath(const ResourcePlan& plan) const {
    return QDir(downloadDir(plan.resource))
        .filePath(QStringLiteral("missingIds_batch_%1.keys").arg(batchId()));
}

QStringList ReconcileProcess::timestampFields(const ResourcePlan& plan) const {
    QStringList fields;
    if (!plan.timestampField.isEmpty())
        fields.append(plan.timestampField);
    if (plan.table.fieldIndex(kPhotosTimestamp) >= 0)
        fields.append(kPhotosTimestamp);
    return fields;
}

Expected<void> ReconcileProcess::execute() {
    if (auto r = prepare(true); !r)
        return r;
    return withBehind(forEachResource(m_options.resource,
                                      [this](const ResourcePlan& plan) { return reconcileResource(plan); }));
}

Expected<qint64> ReconcileProcess::computeMissing(const ResourcePlan& plan,
                                                  const QStringList& timestampFields) {
    const QString dir = downloadDir(plan.resource);
    BatchFiles pages(dir, kKeysPrefix);
    // The union over destinations is itself sorted and deduplicated on disk.
    ExternalKeySorter missing(dir);
    for (auto& destination : context().destinations()) {
        if (isBehind(plan.resource, destination->name()))
            continue;
        // The MLS's side failing is the resource's failure; the destination's is its own.
        ExternalKeySorter mlsSorter(dir);
        if (auto r = pages.addKeys(mlsSorter, plan.keyField, timestampFields); !r)
            return r.error();
        auto mlsKeys = mlsSorter.finish();
        if (!mlsKeys)
            return mlsKeys.error();
        // A destination whose keys cannot be read falls behind; what the others miss is fetched.
        // Keys it added to the list before it failed are records the MLS has: fetching them harms
        // no one.
        if (auto r = compareDestination(plan, *destination, timestampFields, **mlsKeys, pages, missing); !r)
            (void)destinationFailed(plan.resource, destination->name(), QStringLiteral("compare keys"),
                                    QStringLiteral("compare keys"), r.errorMessage());
    }
    if (everyDestinationBehind(plan.resource))
        return allBehindError(plan.resource);
    auto sorted = missing.finish();
    if (!sorted)
        return sorted.error();
    return KeyListWriter::writeAll(**sorted, missingListPath(plan));
}

Expected<void> ReconcileProcess::compareDestination(const ResourcePlan& plan, Destination& destination,
                                                    const QStringList& timestampFields,
                                                    SortedKeyStream& mlsKeys, const BatchFiles& pages,
                                                    ExternalKeySorter& missing) {
    Destination* d = &destination;
    auto stored = storedKeys(*d, plan, mlsKeys);
    if (!stored)
        return stored.error();
    SortedKeyStream& mls = *stored ? **stored : mlsKeys;
    // What is missing is asked of the MLS by its own key.
    auto mlsKey = [&stored](const KeyRecord& r) { return *stored ? (*stored)->mlsKey() : r.key; };
    auto storedPlan = d->storedPlan(plan);
    if (!storedPlan)
        return storedPlan.error();
    const TablePlan& table = plan.table;
    PagedKeyStream held(
        QStringLiteral("destination \"%1\" (%2)").arg(d->name(), plan.resource),
        [d, &table, &timestampFields](const std::optional<QByteArray>& after, int limit) {
            return d->keysAfter(table, after, limit, timestampFields);
        },
        kDestinationPage);
    KeyDiff::Options options;
    // A timestamp the destination's mapping drops cannot be compared there.
    options.compareTimestamp = {!timestampFields.isEmpty(),
                                timestampFields.size() > 1 &&
                                    storedPlan->table.fieldIndex(timestampFields.at(1)) >= 0};
    KeyDiff::Handlers handlers;
    handlers.onlyInMls = [&missing, &mlsKey](const KeyRecord& r) {
        return missing.add(KeyRecord(mlsKey(r)));
    };
    handlers.changed = [&missing, &mlsKey](const KeyRecord& r, const KeyRecord&) {
        return missing.add(KeyRecord(mlsKey(r)));
    };
    auto counts = KeyDiff(options).run(mls, held, handlers);
    if (!counts)
        return counts.error();
    log().info(QStringLiteral("compared keys"), {{QStringLiteral("resource"), plan.resource},
                                                 {QStringLiteral("destination"), d->name()},
                                                 {QStringLiteral("missing"), counts->onlyInMls},
                                                 {QStringLiteral("stale"), counts->changed}});
    return compareChildren(plan, *d, pages, missing);
}

Expected<std::unique_ptr<StoredKeyStream>>
ReconcileProcess::storedKeys(Destination& destination, const ResourcePlan& plan, SortedKeyStream& mls) {
    if (!destination.mapsKeys())
        return std::unique_ptr<StoredKeyStream>();
    Destination* d = &destination;
    return StoredKeyStream::sort(
        mls, [d](const QByteArray& key) { return d->storedKey(key); }, downloadDir(plan.resource),
        QStringLiteral("destination \"%1\" (%2)").arg(d->name(), plan.resource));
}

Expected<void> ReconcileProcess::fetchMissing(const ResourcePlan& plan, ResourceProgress& progress) {
    KeyListReader reader;
    if (auto r = reader.open(missingListPath(plan)); !r)
        return r;
    const ResourceConfig* config = source().resource(plan.resource);
    QList<odata::ExpandSpec> expands;
    for (const ExpandConfig& e : config->expand)
        expands.append(odata::ExpandSpec{e.name, {}, {}});
    // progress.maxDownloaded holds the last key whose record is on disk: a resumed fetch
    // continues after it.
    const QByteArray resumeAfter = progress.maxDownloaded;
    QStringList chunk;
    qint64 fetched = 0;
    startPhase(0);

    const PlatformProfile& profile = context().profile();
    const bool ordered = context().allowsOrderBy();
    const int pageSize = std::min(context().pageSize(!expands.isEmpty()), profile.maxPlainPageSize);
    // A margin under the platform's limit for what a proxy or the server adds to the URL, and
    // for the keyset condition a cut-short chunk may add.
    const int maxUrlLength = profile.maxUrlLength - 168 - 2 * int(plan.keyField.size()) - 32;
    auto byKey = [&](const QStringList& keys) {
        return profile.keyListStyle == KeyListStyle::EqOr
                   ? odata::keyEqOrFilter(plan.keyField, keys, plan.numericKey)
                   : odata::keyInFilter(plan.keyField, keys, plan.numericKey);
    };
    auto specFor = [&](const QStringList& keys) {
        PagedQuerySpec spec;
        spec.what = QStringLiteral("fetch of missing %1 records").arg(plan.resource);
        spec.endpoint = context().resourceUrl(plan.resource);
        const QString list = byKey(keys);
        const bool group = profile.keyListStyle == KeyListStyle::EqOr;
        spec.filter = [this, resource = plan.resource, list, group](const QString& condition) {
            QString extra = list;
            if (!condition.isEmpty())
                extra = (group ? QLatin1Char('(') + list + QLatin1Char(')') : list) +
                        QStringLiteral(" and ") + condition;
            return context().filter(resource, extra, true);
        };
        spec.select = plan.selectFields;
        spec.expand = odata::expandClause(expands);
        spec.keyField = plan.keyField;
        spec.numericKey = plan.numericKey;
        spec.orderBy = ordered;
        spec.topIsPageSize = profile.topIsPageSize;
        spec.count = false;
        spec.pageSize = pageSize;
        // At most one record a key: when they are all there, nothing is left to ask for.
        spec.maxRecords = keys.size();
        return spec;
    };
    auto urlLength = [&](const QStringList& keys) {
        PagedQuery query(specFor(keys));
        return query.firstUrl().toEncoded().size();
    };
    PageWalk walk;
    walk.step = QStringLiteral("fetch missing");
    walk.prefix = kMissingPrefix;
    walk.timestampField = plan.timestampField;
    walk.onPage = [&](const Page& page) -> Expected<void> {
        const PageInfo& info = page.info;
        progress.received += info.recordCount;
        fetched += info.recordCount;
        runResult().recordsDownloaded += info.recordCount;
        // Records ordered by key: the last one received is a safe place to resume from.
        // Unordered, only a finished chunk is.
        if (ordered && !info.lastKey.isEmpty() && info.lastKey > progress.maxDownloaded)
            progress.maxDownloaded = info.lastKey;
        if (auto r = saveProgress(progress); !r)
            return r;
        countPage(plan.resource, info.recordCount, -1);
        report(plan.resource, QStringLiteral("fetch"), fetched, progress.expectedCount);
        return {};
    };
    auto fetchChunk = [&]() -> Expected<void> {
        if (chunk.isEmpty())
            return {};
        PagedQuery query(specFor(chunk));
        if (auto r = walkPages(plan, query, progress, walk); !r)
            return r.error();
        // Keys the MLS no longer returns (deleted meanwhile) are simply absent: not an error.
        const QByteArray last = chunk.last().toUtf8();
        if (last > progress.maxDownloaded)
            progress.maxDownloaded = last;
        chunk.clear();
        return saveProgress(progress);
    };

    while (true) {
        auto key = reader.next();
        if (!key)
            return key.error();
        if (!*key)
            break;
        if (!resumeAfter.isEmpty() && **key <= resumeAfter)
            continue;
        chunk.append(QString::fromUtf8(**key));
        // A chunk is as many keys as a page holds and the URL length allows.
        const bool full = chunk.size() >= pageSize || urlLength(chunk) > maxUrlLength;
        if (full) {
            QStringList overflow;
            if (chunk.size() > 1 && urlLength(chunk) > maxUrlLength)
                overflow.append(chunk.takeLast());
            if (auto r = fetchChunk(); !r)
                return r;
            chunk = overflow;
        }
    }
    return fetchChunk();
}

Expected<void> ReconcileProcess::reconcileResource(const ResourcePlan& plan) {
    auto stored = savedProgress(plan.resource);
    if (!stored)
        return stored.error();
    ResourceProgress progress = stored->value_or(ResourceProgress(plan.resource));
    progress.resource = plan.resource;
    if (progress.phase == ResourcePhase::Done)
        return {};
    // Destinations that cannot be opened or are blocked fall behind before anything is asked of
    // the MLS: the others are reconciled, and they compare again on a later run.
    noteUnavailable(plan.resource);
    for (auto& destination : context().destinations())
        if (!isBehind(plan.resource, destination->name()))
            if (auto blocked = blockedCheck(plan.resource, destination->name()); !blocked)
                fallBehind(plan.resource, destination->name(), blocked.errorMessage());
    if (everyDestinationBehind(plan.resource))
        return allBehindError(plan.resource);
    const QStringList fields = timestampFields(plan);
    if (progress.phase == ResourcePhase::Download)
        if (auto r = downloadKeys(plan, kKeysPrefix, fields, progress, ResourcePhase::Compare); !r)
            return r;
    if (progress.phase == ResourcePhase::Compare) {
        auto missing = computeMissing(plan, fields);
        if (!missing)
            return missing.error();
        // The phase moves on before the key pages go: a crash in between must never leave a
        // Download phase without its pages (it would compare against an empty key list).
        progress = ResourceProgress(plan.resource, ResourcePhase::Fetch);
        progress.expectedCount = *missing;
        if (auto r = saveProgress(progress); !r)
            return r;
        BatchFiles pages(downloadDir(plan.resource), kKeysPrefix);
        for (const QString& name : pages.list())
            QFile::remove(pages.path(name));
        log().info(QStringLiteral("missing or stale records"),
                   {{QStringLiteral("resource"), plan.resource}, {QStringLiteral("count"), *missing}});
    }
    if (progress.phase == ResourcePhase::Fetch) {
        if (auto r = fetchMissing(plan, progress); !r)
            return r;
        progress.phase = ResourcePhase::Apply;
        if (auto r = saveProgress(progress); !r)
            return r;
    }
    ResourceProgress applied(plan.resource, ResourcePhase::Apply);
    if (auto r = applyFiles(plan, kMissingPrefix, applied); !r)
        return r;
    if (auto r = finishApply(plan); !r)
        return r;
    QFile::remove(missingListPath(plan));
    return saveProgress(ResourceProgress(plan.resource, ResourcePhase::Done));
}

Expected<void> ReconcileProcess::finishApply(const ResourcePlan& plan) {
    // Pages kept for a destination behind would bring it records as they were in this run, after
    // a purge may have removed them; its own comparison next time fetches what it lacks then.
    const BatchFiles files(downloadDir(plan.resource), kMissingPrefix);
    for (const QString& name : files.list()) {
        const QString path = files.path(name);
        if (!QFile::remove(path) && QFile::exists(path))
            return fail(QStringLiteral("apply"), plan.resource, {},
                        QStringLiteral("%1: cannot delete").arg(path));
        if (auto r = state().forgetFile(source().name, processText(), path); !r)
            return r;
    }
    for (auto& destination : context().destinations())
        if (!isBehind(plan.resource, destination->name()))
            (void)state().clearFailures(source().name, processText(), plan.resource, destination->name());
    return {};
}

} // namespace ors
