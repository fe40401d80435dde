#include "processes/PurgeProcess.h"

#include "diff/ExternalKeySorter.h"
#include "diff/KeyDiff.h"
#include "diff/KeyListReader.h"
#include "diff/KeyListStream.h"
#include "diff/KeyListWriter.h"
#include "diff/PagedKeyStream.h"
#include "diff/StoredKeyStream.h"
#include "logging/Redactor.h"
#include "logging/SourceLog.h"
#include "processes/BatchFiles.h"
#include "processes/SourceContext.h"
#include "reso/ODataQuery.h"
#include "reso/PageReader.h"
#include "stats/StatsStore.h"
#include "store/StateStore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QThread>

#include <cmath>

namespace ors {

namespace {
const QString kProcess = QStringLiteral("purge");
const QString kFilePrefix = QStringLiteral("purge_batch_");
constexpr int kDeleteBatch = 500;      // keys per delete transaction
constexpr int kDestinationPage = 5000; // keys per keyset page read from a destination

QString stepName(const QString& resource) {
    return QStringLiteral("purge %1").arg(resource);
}
} // namespace

PurgeProcess::PurgeProcess(SourceConfig source, const QString& dataDir, PurgeOptions options)
    : ProcessJob(std::move(source), dataDir, ProcessType::Purge)
    , m_options(std::move(options)) {}

PurgeProcess::~PurgeProcess() = default;

QString PurgeProcess::resourceDir(const ResourcePlan& plan) const {
    return downloadDir(plan.resource);
}

Expected<void> PurgeProcess::execute() {
    if (auto r = prepare(false); !r)
        return r;
    if (!m_options.resource.isEmpty() && !context().plan(m_options.resource))
        return makeError(
            QStringLiteral("source %1 has no resource \"%2\"").arg(source().name, m_options.resource));
    if (m_options.dryRun) {
        // A preview leaves nothing behind that a real run could mistake for its own work.
        for (const ResourcePlan& plan : context().plans())
            if (m_options.resource.isEmpty() || plan.resource == m_options.resource)
                if (auto r = purgeResource(plan); !r)
                    return withBehind(r);
        for (const ResourcePlan& plan : context().plans())
            (void)discardResourceFiles(plan);
        return withBehind(finishBatch());
    }
    return withBehind(forEachResource(m_options.resource,
                                      [this](const ResourcePlan& plan) { return purgeResource(plan); }));
}

Expected<void> PurgeProcess::noteBlocked(const ResourcePlan& plan, const QStringList& done) {
    for (auto& destination : context().destinations()) {
        const QString& name = destination->name();
        if (done.contains(name) || isBehind(plan.resource, name))
            continue;
        // A destination whose purge failed kBlockAfter times waits for `unblock`; the others go on.
        auto previous = state().failure(source().name, kProcess, plan.resource, name);
        if (!previous)
            return previous.error();
        if (*previous && (*previous)->count >= kBlockAfter)
            fallBehind(plan.resource, name,
                       QStringLiteral("blocked: purging %1 from destination %2 failed %3 times (%4); run "
                                      "\"openresync-cli unblock %5 purge\" to retry")
                           .arg(plan.resource, name)
                           .arg((*previous)->count)
                           .arg((*previous)->lastError, source().name));
    }
    return {};
}

void PurgeProcess::removeResourceFiles(const ResourcePlan& plan) {
    QDir dir(resourceDir(plan));
    for (const QString& name : dir.entryList({kFilePrefix + QStringLiteral("*")}, QDir::Files))
        QFile::remove(dir.filePath(name));
}

Expected<void> PurgeProcess::discardResourceFiles(const ResourcePlan& plan) {
    removeResourceFiles(plan);
    return saveProgress(ResourceProgress{plan.resource, ResourcePhase::Done});
}

Expected<QString> PurgeProcess::sortKeys(const ResourcePlan& plan, qint64* uniqueKeys) {
    // The server's collation is never trusted: every key goes through a local byte-order sort
    // that spills to disk, so memory stays flat however many keys the MLS has.
    BatchFiles files(resourceDir(plan), kFilePrefix);
    ExternalKeySorter sorter(resourceDir(plan));
    if (auto r = files.addKeys(sorter, plan.keyField, {}); !r)
        return r.error();
    auto sorted = sorter.finish();
    if (!sorted)
        return sorted.error();
    const QString path =
        QDir(resourceDir(plan)).filePath(kFilePrefix + batchId() + QStringLiteral(".sorted"));
    auto written = KeyListWriter::writeAll(**sorted, path);
    if (!written)
        return written.error();
    *uniqueKeys = *written;
    return path;
}

qint64 PurgeProcess::keyListAgeMinutes(const ResourceProgress& progress) const {
    const auto started = odata::parseTimestamp(QString::fromUtf8(progress.keysStarted));
    if (!started)
        return -1;
    return started->msecsTo(QDateTime::currentDateTimeUtc()) / 60000;
}

bool PurgeProcess::keyListTooOld(const ResourceProgress& progress) const {
    const auto started = odata::parseTimestamp(QString::fromUtf8(progress.keysStarted));
    if (!started)
        return true; // a list from before its start was recorded: its age is unknown
    return started->msecsTo(QDateTime::currentDateTimeUtc()) >=
           qint64(source().purge.maxKeyListAgeMinutes) * 60000;
}

Expected<void> PurgeProcess::keyListStarting(const ResourcePlan& plan, ResourceProgress& progress) {
    // A key download that will carry no @odata.count is checked against counts asked apart.
    progress.countBefore = -1;
    if (context().profile().count)
        return {};
    auto count = serverCount(plan);
    if (!count)
        return fail(QStringLiteral("download keys"), plan.resource, {}, count.errorMessage());
    progress.countBefore = count->value_or(-1);
    return {};
}

Expected<std::optional<qint64>> PurgeProcess::serverCount(const ResourcePlan& plan) {
    // Of what the destinations should hold: visible records, with the resource's filter.
    return context().countMatching(plan.resource, context().filter(plan.resource, {}, true));
}

Expected<void> PurgeProcess::checkAgainstSeparateCounts(const ResourcePlan& plan,
                                                        const ResourceProgress& progress, qint64 unique) {
    auto after = serverCount(plan);
    if (!after)
        return fail(QStringLiteral("download keys"), plan.resource, {}, after.errorMessage());
    qint64 fewest = -1;
    for (const qint64 count : {progress.countBefore, after->value_or(-1)})
        if (count >= 0)
            fewest = fewest < 0 ? count : std::min(fewest, count);
    if (fewest < 0) {
        const QString warning =
            QStringLiteral("the server sent no record count for %1 (neither @odata.count nor /$count): "
                           "the deletion limits purge.maxDeletes and purge.maxDeletePercent are the only "
                           "guard against an incomplete key list")
                .arg(plan.resource);
        m_warnings.append(warning);
        log().warning(warning, {{QStringLiteral("resource"), plan.resource}});
        return {};
    }
    if (unique >= fewest)
        return {};
    (void)discardResourceFiles(plan);
    (void)finishBatch();
    return refuse(
        QStringLiteral("purge of %1 %2 refused: the MLS counts %3 records (before the key download: "
                       "%4, after: %5) but %6 distinct keys arrived; nothing was deleted")
            .arg(source().name, plan.resource)
            .arg(fewest)
            .arg(progress.countBefore >= 0 ? QString::number(progress.countBefore)
                                           : QStringLiteral("unknown"),
                 *after ? QString::number(**after) : QStringLiteral("unknown"))
            .arg(unique));
}

Expected<void> PurgeProcess::purgeResource(const ResourcePlan& plan) {
    auto stored = savedProgress(plan.resource);
    if (!stored)
        return stored.error();
    ResourceProgress progress = stored->value_or(ResourceProgress{plan.resource});
    progress.resource = plan.resource;
    if (progress.phase == ResourcePhase::Done)
        return {};
    // Destinations that already purged this resource in the batch (a resumed run) are done with it.
    auto done = state().appliedDestinations(source().name, kProcess, plan.resource);
    if (!done)
        return done.error();
    // Destinations that cannot be opened or are blocked fall behind before any key is downloaded:
    // the others purge, and they purge again on a later run (a full comparison of their own).
    noteUnavailable(plan.resource, *done);
    if (auto r = noteBlocked(plan, *done); !r)
        return r;
    if (everyDestinationBehind(plan.resource))
        return allBehindError(plan.resource);
    if (auto r = refuseSharedTables(plan); !r)
        return r;
    // A resumed purge trusts a key list only while it is young: the MLS may have gained records
    // since, which a sync may have brought in.
    const bool listStarted =
        progress.phase != ResourcePhase::Download || progress.received > 0 || !progress.keysStarted.isEmpty();
    if (listStarted && keyListTooOld(progress)) {
        const QString message =
            QStringLiteral(
                "the key list of %1 began %2 minutes ago, more than purge.maxKeyListAgeMinutes=%3: "
                "downloading the keys again")
                .arg(plan.resource, progress.keysStarted.isEmpty()
                                        ? QStringLiteral("an unknown number of")
                                        : QString::number(keyListAgeMinutes(progress)))
                .arg(source().purge.maxKeyListAgeMinutes);
        log().warning(message, {{QStringLiteral("resource"), plan.resource}});
        recordEvent(plan.resource, QStringLiteral("key-list-expired"), message);
        removeResourceFiles(plan);
        progress = ResourceProgress{plan.resource};
        if (auto r = saveProgress(progress); !r)
            return r;
    }
    if (progress.phase == ResourcePhase::Download)
        if (auto r = downloadKeys(plan, kFilePrefix, {}, progress, ResourcePhase::Apply); !r)
            return r;

    qint64 unique = 0;
    auto sorted = sortKeys(plan, &unique);
    if (!sorted)
        return fail(QStringLiteral("sort keys"), plan.resource, {}, sorted.errorMessage());
    if (progress.expectedCount < 0)
        if (auto r = checkAgainstSeparateCounts(plan, progress, unique); !r)
            return r;
    if (progress.expectedCount >= 0 && unique != progress.expectedCount) {
        (void)discardResourceFiles(plan);
        (void)finishBatch();
        return refuse(
            QStringLiteral("purge of %1 %2 refused: the MLS announced %3 records (@odata.count) but "
                           "%4 distinct keys arrived; nothing was deleted")
                .arg(source().name, plan.resource)
                .arg(progress.expectedCount)
                .arg(unique));
    }

    // Every destination's deletions are computed and checked against the limits before any
    // destination is touched.
    struct Pending {
        Destination* destination;
        QString list;
        qint64 deletes;
        qint64 rows;
        qsizetype finding;
    };
    QList<Pending> pending;
    // A destination whose keys cannot be read falls behind; the others' comparisons go on.
    const auto failed = [&](const QString& name, const QString& message) {
        (void)destinationFailed(plan.resource, name, QStringLiteral("purge"), stepName(plan.resource),
                                message);
    };
    for (auto& destination : context().destinations()) {
        if (done->contains(destination->name()) || isBehind(plan.resource, destination->name()))
            continue;
        auto rows = destination->count(plan.table);
        if (!rows) {
            failed(destination->name(), rows.errorMessage());
            continue;
        }
        const QString list = QDir(resourceDir(plan))
                                 .filePath(kFilePrefix + batchId() + QLatin1Char('_') + destination->name() +
                                           QStringLiteral(".deletes"));
        KeyListWriter writer;
        if (auto r = writer.open(list); !r)
            return r.error();
        KeyListStream mlsKeys;
        if (auto r = mlsKeys.open(*sorted); !r)
            return r.error();
        Destination* d = destination.get();
        // A destination storing keys mapped (stripKeyPrefix) is compared with the MLS's keys
        // mapped the same way; what only it holds is then in its own form, as purgeKeys takes it.
        std::unique_ptr<SortedKeyStream> storedKeys;
        if (d->mapsKeys()) {
            auto mapped = StoredKeyStream::sort(
                mlsKeys, [d](const QByteArray& key) { return d->storedKey(key); }, resourceDir(plan),
                QStringLiteral("destination \"%1\" (%2)").arg(d->name(), plan.resource));
            if (!mapped) {
                failed(d->name(), mapped.errorMessage());
                continue;
            }
            storedKeys = std::move(*mapped);
        }
        SortedKeyStream& mls = storedKeys ? *storedKeys : static_cast<SortedKeyStream&>(mlsKeys);
        const TablePlan& table = plan.table;
        PagedKeyStream held(
            QStringLiteral("destination \"%1\" (%2)").arg(d->name(), plan.resource),
            [d, &table](const std::optional<QByteArray>& after, int limit) {
                return d->keysAfter(table, after, limit, {});
            },
            kDestinationPage);
        KeyDiff::Options options;
        options.compareTimestamp = {false, false};
        auto counts = KeyDiff(options).run(mls, held, KeyDiff::writeTo(nullptr, &writer, nullptr));
        if (!counts) {
            failed(d->name(), counts.errorMessage());
            continue;
        }
        if (auto r = writer.commit(); !r)
            return r.error();
        pending.append(Pending{d, list, counts->onlyInDestination, *rows, m_findings.size()});
        m_findings.append(QJsonObject{{QStringLiteral("resource"), plan.resource},
                                      {QStringLiteral("destination"), d->name()},
                                      {QStringLiteral("deletes"), counts->onlyInDestination},
                                      {QStringLiteral("destinationRows"), *rows},
                                      {QStringLiteral("mlsKeys"), unique}});
    }
    if (everyDestinationBehind(plan.resource))
        return allBehindError(plan.resource);
    if (m_options.dryRun) {
        // The preview carries the keys themselves, up to a bound that keeps a huge diff printable.
        constexpr qint64 kListed = 100000;
        for (qsizetype i = 0; i < pending.size(); ++i) {
            KeyListReader reader;
            if (auto r = reader.open(pending.at(i).list); !r)
                return r.error();
            QJsonArray keys;
            while (keys.size() < kListed) {
                auto key = reader.next();
                if (!key)
                    return key.error();
                if (!*key)
                    break;
                keys.append(QString::fromUtf8(**key));
            }
            const qsizetype index = m_findings.size() - pending.size() + i;
            QJsonObject finding = m_findings.at(index).toObject();
            finding.insert(QStringLiteral("keys"), keys);
            finding.insert(QStringLiteral("keysTruncated"), pending.at(i).deletes > keys.size());
            finding.remove(QStringLiteral("listFile"));
            m_findings.replace(index, finding);
        }
        return {};
    }

    for (const Pending& p : std::as_const(pending)) {
        const double percent = p.rows > 0 ? 100.0 * double(p.deletes) / double(p.rows) : 0;
        const bool tooMany = p.deletes > source().purge.maxDeletes;
        const bool tooLarge = p.deletes > 0 && percent > source().purge.maxDeletePercent;
        if ((tooMany || tooLarge) && !m_options.allowLargeDelete) {
            (void)discardResourceFiles(plan);
            (void)finishBatch();
            return refuse(
                QStringLiteral("purge of %1 %2 refused: it would delete %3 of %4 rows (%5%) from "
                               "destination %6, above purge.maxDeletes=%7 or purge.maxDeletePercent=%8; "
                               "check with --dry-run, then rerun with --allow-large-delete")
                    .arg(source().name, plan.resource)
                    .arg(p.deletes)
                    .arg(p.rows)
                    .arg(percent, 0, 'f', 1)
                    .arg(p.destination->name())
                    .arg(source().purge.maxDeletes)
                    .arg(source().purge.maxDeletePercent));
        }
    }

    // Lets the crash-recovery tests stop a run reliably while it deletes; never set in production.
    const int debugDelayMs = qEnvironmentVariableIntValue("OPENRESYNC_DEBUG_APPLY_DELAY_MS");
    for (const Pending& p : std::as_const(pending)) {
        KeyListReader reader;
        if (auto r = reader.open(p.list); !r)
            return r.error();
        QList<QByteArray> batch;
        qint64 deleted = 0;
        startPhase(0);
        qint64 considered = 0;
        auto flush = [&]() -> Expected<void> {
            if (batch.isEmpty())
                return {};
            if (debugDelayMs > 0)
                QThread::msleep(quint64(debugDelayMs));
            if (cancelled())
                return makeError(QStringLiteral("cancelled"));
            // Rows changed since the key download began stay; the guard is part of the DELETE.
            const PurgeGuard guard{progress.keysStarted, !keyListTooOld(progress), ownedBy(plan)};
            auto removed = p.destination->purgeKeys(plan, batch, guard);
            if (!removed)
                return removed.error();
            deleted += *removed;
            considered += batch.size();
            batch.clear();
            report(plan.resource, QStringLiteral("purge"), considered, p.deletes);
            return {};
        };
        Expected<void> outcome;
        while (outcome) {
            auto key = reader.next();
            if (!key) {
                outcome = key.error();
                break;
            }
            if (!*key)
                break;
            batch.append(**key);
            if (batch.size() >= kDeleteBatch)
                outcome = flush();
        }
        if (outcome)
            outcome = flush();
        if (!outcome && cancelled())
            return outcome; // stopped by the user: not a failure of this destination
        if (!outcome) {
            // Its deletions so far stay (each batch is a transaction of its own); it purges again,
            // from a new comparison, on a later run.
            failed(p.destination->name(), outcome.errorMessage());
            QJsonObject finding = m_findings.at(p.finding).toObject();
            finding.insert(QStringLiteral("deletes"), deleted);
            finding.insert(QStringLiteral("failed"), Redactor::redact(outcome.errorMessage()));
            m_findings.replace(p.finding, finding);
            runResult().recordsApplied += deleted;
            countApplied(plan.resource, p.destination->name(), deleted);
            continue;
        }
        if (auto r = state().markApplied(source().name, kProcess, plan.resource, p.destination->name()); !r)
            return r;
        (void)state().clearFailures(source().name, kProcess, plan.resource, p.destination->name());
        countApplied(plan.resource, p.destination->name(), deleted);
        runResult().recordsApplied += deleted;
        const qint64 kept = p.deletes - deleted;
        QJsonObject finding = m_findings.at(p.finding).toObject();
        finding.insert(QStringLiteral("deletes"), deleted);
        finding.insert(QStringLiteral("kept"), kept);
        m_findings.replace(p.finding, finding);
        log().info(QStringLiteral("purged"), {{QStringLiteral("resource"), plan.resource},
                                              {QStringLiteral("destination"), p.destination->name()},
                                              {QStringLiteral("count"), deleted},
                                              {QStringLiteral("kept"), kept}});
        if (kept > 0)
            log().info(QStringLiteral("kept rows changed since the key download began"),
                       {{QStringLiteral("resource"), plan.resource},
                        {QStringLiteral("destination"), p.destination->name()},
                        {QStringLiteral("count"), kept},
                        {QStringLiteral("keysStarted"), QString::fromUtf8(progress.keysStarted)}});
    }
    // Every destination left failed: the resource failed, its key list kept for the next run.
    if (everyDestinationBehind(plan.resource))
        return allBehindError(plan.resource);
    // A destination behind needs nothing of this batch: its next purge compares afresh.
    (void)state().forgetFile(source().name, kProcess, plan.resource);
    return discardResourceFiles(plan);
}

Expected<void> PurgeProcess::refuseSharedTables(const ResourcePlan& plan) {
    // Rows of another source in the same table look like rows the MLS no longer has. Sync and
    // reconcile only write this source's records, so only purge must tell them apart, and it
    // cannot: refused, with the way out.
    for (auto& destination : context().destinations()) {
        const DestinationConfig* config = source().destination(destination->name());
        if (!config || config->sharedTables.isEmpty())
            continue;
        if (isBehind(plan.resource, destination->name()))
            continue;
        auto stored = destination->storedPlan(plan);
        if (!stored) {
            (void)destinationFailed(plan.resource, destination->name(), QStringLiteral("purge"),
                                    stepName(plan.resource), stored.errorMessage());
            continue;
        }
        for (const auto& [table, other] : config->sharedTables) {
            if (table.compare(stored->table.table, Qt::CaseInsensitive) != 0)
                continue;
            (void)discardResourceFiles(plan);
            (void)finishBatch();
            return refuse(QStringLiteral("purge of %1 %2 refused: destination %3 writes table %4, which %5 "
                                         "writes too; a purge would delete the other source's rows. Give "
                                         "one of them its own tables (tablePrefix, or tableName "
                                         "\"{source}_{resource}\"), then sync it again")
                              .arg(source().name, plan.resource, destination->name(), table, other));
        }
    }
    return {};
}

QStringList PurgeProcess::ownedBy(const ResourcePlan& plan) const {
    QStringList columns;
    for (const ResourcePlan& other : context().plans()) {
        if (other.resource == plan.resource)
            continue;
        for (const ChildPlan& child : other.children) {
            if (!child.owned || child.table.table.compare(plan.table.table, Qt::CaseInsensitive) != 0)
                continue;
            const QString column = child.table.columns.at(child.parentKeyColumn).name;
            if (!columns.contains(column, Qt::CaseInsensitive))
                columns.append(column);
        }
    }
    return columns;
}

} // namespace ors
