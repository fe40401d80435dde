// How SyncProcess lets destinations progress independently: each keeps its own position (its
// high-water mark), a download starts from the oldest position among the destinations still
// going, the files a destination behind lacks wait on disk with what their download covered, and
// a destination that was behind catches up from its own position on a later run.
#include "processes/SyncProcess.h"

#include "logging/SourceLog.h"
#include "processes/BatchFiles.h"
#include "processes/SourceContext.h"
#include "reso/ODataQuery.h"
#include "store/StateStore.h"

#include <QDateTime>
#include <QRegularExpression>

namespace ors {

namespace {

// A destination's newest row further ahead than this is taken for a future-dated record.
constexpr qint64 kFutureToleranceSeconds = 3600;

// "2 h 5 min", "40 s", "120 ms": how far one instant is behind another, for the run's message.
QString spanWords(qint64 ms) {
    const qint64 s = ms / 1000;
    if (s >= 86400)
        return QStringLiteral("%1 d %2 h").arg(s / 86400).arg(s % 86400 / 3600);
    if (s >= 3600)
        return QStringLiteral("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60);
    if (s >= 60)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
    if (s > 0)
        return QStringLiteral("%1 s").arg(s);
    return QStringLiteral("%1 ms").arg(ms);
}

} // namespace

bool SyncProcess::covers(const QByteArray& position, const QByteArray& lowerBound) {
    // Normalized UTC text compares as the instants it holds; an empty position needs everything.
    return lowerBound.isEmpty() || (!position.isEmpty() && position >= lowerBound);
}

Expected<QByteArray> SyncProcess::positionOf(Destination& destination, const ResourcePlan& plan) {
    auto newest = destination.newestTimestamp(plan.table);
    if (!newest)
        return newest.error();
    // An empty destination (new, or emptied by hand) needs everything.
    if (!*newest)
        return QByteArray();
    auto mark = state().highWater(source().name, plan.resource, destination.name());
    if (!mark)
        return mark.error();
    // Rows another resource stored as its children say nothing about how far this resource's own
    // download got (a top-level Media beside Property's expanded Media).
    if (!*mark && holdsOtherChildren(plan))
        return QByteArray();
    // Nor do rows another source wrote into a table both share (TableWriters).
    if (!*mark && sharesTable(destination, plan))
        return QByteArray();
    const QByteArray future =
        odata::formatTimestamp(QDateTime::currentDateTimeUtc().addSecs(kFutureToleranceSeconds)).toUtf8();
    if (*mark && **mark > future)
        log().warning(QStringLiteral("the high-water mark of %1 for destination %2 is in the future (%3); "
                                     "changes before it are skipped until \"openresync-cli reset-mark %4 "
                                     "--resource %1 --to TIMESTAMP\"")
                          .arg(plan.resource, destination.name(), QString::fromUtf8(**mark), source().name),
                      {{QStringLiteral("resource"), plan.resource}});
    if (!*mark && **newest > future) {
        // A future-dated row says nothing about how far the destination got.
        log().warning(QStringLiteral("destination %1 has no high-water mark for %2 and its newest row is "
                                     "dated in the future (%3); downloading everything")
                          .arg(destination.name(), plan.resource, QString::fromUtf8(**newest)),
                      {{QStringLiteral("resource"), plan.resource}});
        return QByteArray();
    }
    return mark->value_or(**newest);
}

QByteArray SyncProcess::heldThrough(const QString& resource, const QString& destination) const {
    return resource == m_measured ? m_held.value(destination) : QByteArray();
}

Expected<void> SyncProcess::measurePositions(const ResourcePlan& plan) {
    m_measured = plan.resource;
    m_positions.clear();
    m_held.clear();
    for (auto& destination : context().destinations()) {
        const QString name = destination->name();
        if (isBehind(plan.resource, name))
            continue;
        // A blocked destination waits for `unblock`: its stale mark must not pull every download
        // back to where it stopped.
        if (auto blocked = blockedCheck(plan.resource, name); !blocked) {
            fallBehind(plan.resource, name, blocked.errorMessage());
            continue;
        }
        auto position = positionOf(*destination, plan);
        if (!position) {
            (void)state().recordFailure(StepFailure{source().name,
                                                    processText(),
                                                    plan.resource,
                                                    name,
                                                    QStringLiteral("read newest"),
                                                    0,
                                                    position.errorMessage(),
                                                    {}});
            const Error failed =
                fail(QStringLiteral("download"), plan.resource, name, position.errorMessage());
            fallBehind(plan.resource, name, failed.message);
            continue;
        }
        m_positions.insert(name, *position);
        // Only a mark vouches for every change before it; a position taken from the rows held, or
        // an empty table under a mark (emptied by hand, a new file), does not.
        auto mark = state().highWater(source().name, plan.resource, name);
        if (!mark)
            return mark.error();
        if (*mark && !position->isEmpty() && **mark == *position)
            m_held.insert(name, *position);
    }
    if (everyDestinationBehind(plan.resource))
        return allBehindError(plan.resource);
    return {};
}

Expected<QByteArray> SyncProcess::startingPoint(const ResourcePlan& plan) {
    // The oldest point a destination still going needs; destinations behind catch up later from
    // their own positions, so a dead one does not pull every download back to its stale mark.
    std::optional<QByteArray> start;
    for (auto it = m_positions.cbegin(); it != m_positions.cend(); ++it)
        if (!isBehind(plan.resource, it.key()) && (!start || *it < *start))
            start = *it;
    if (!start)
        return allBehindError(plan.resource);
    return *start;
}

Expected<void> SyncProcess::catchUp(const ResourcePlan& plan) {
    auto kept = state().keptDownloads(source().name, plan.resource);
    if (!kept)
        return kept.error();
    if (kept->isEmpty())
        return {};
    auto apply = beginApply(plan, filePrefix());
    if (!apply)
        return apply.error();
    // The files' timestamps belong to their own downloads, not to the one this run may resume.
    ResourceProgress scratch(plan.resource, ResourcePhase::Apply);
    QString previous;
    for (const KeptDownload& download : std::as_const(*kept)) {
        const auto ofDownload = [&](const QString& name) {
            return name > previous && name <= download.lastFile;
        };
        for (const QString& name : (*apply)->files.list())
            if (ofDownload(name))
                if (auto r = applyFile(**apply, plan, name, scratch); !r)
                    return r;
        for (auto& destination : context().destinations()) {
            const QString name = destination->name();
            const auto position = m_positions.constFind(name);
            // Only a destination that has every file of the download, and whose position the
            // download began at or before, has every change up to its mark.
            if (download.mark.isEmpty() || isBehind(plan.resource, name) || position == m_positions.cend() ||
                !covers(*position, download.lowerBound) || *position >= download.mark)
                continue;
            if (auto r = state().raiseHighWater(source().name, plan.resource, name, download.mark); !r)
                return r;
            log().info(QStringLiteral("destination %1 caught up on %2 from the files kept for it")
                           .arg(name, plan.resource),
                       {{QStringLiteral("resource"), plan.resource},
                        {QStringLiteral("destination"), name},
                        {QStringLiteral("mark"), QString::fromUtf8(download.mark)}});
            m_positions.insert(name, download.mark);
            m_held.insert(name, download.mark);
        }
        const QStringList left = (*apply)->files.list();
        if (std::none_of(left.cbegin(), left.cend(), ofDownload))
            if (auto r = state().forgetKeptDownload(source().name, plan.resource, download.lastFile); !r)
                return r;
        previous = download.lastFile;
    }
    return {};
}

Expected<void> SyncProcess::finishResource(const ResourcePlan& plan, ResourceProgress& progress) {
    const QByteArray mark = newMark(plan, progress);
    for (auto& destination : context().destinations()) {
        const QString name = destination->name();
        if (isBehind(plan.resource, name))
            continue; // keeps its mark, and catches up from it
        if (!mark.isEmpty()) {
            if (covers(m_positions.value(name), progress.lowerBound)) {
                if (auto r = state().raiseHighWater(source().name, plan.resource, name, mark); !r)
                    return r;
            } else {
                // It took the download, which began after its position: the changes in between
                // come with the next download, which starts from its mark.
                log().info(
                    QStringLiteral("destination %1 was further behind than where this download of %2 "
                                   "began (%3); its high-water mark stays until it catches up")
                        .arg(name, plan.resource, QString::fromUtf8(progress.lowerBound)),
                    {{QStringLiteral("resource"), plan.resource}, {QStringLiteral("destination"), name}});
            }
        }
        // It has every file of the resource: whatever failed before is over.
        (void)state().clearFailures(source().name, processText(), plan.resource, name);
    }
    // Files of this download still on disk wait for a destination behind; what they cover is kept
    // beside them, since the batch may close before that destination is back.
    if (progress.nextSeq > 1) {
        const BatchFiles files(downloadDir(plan.resource), filePrefix());
        const QString last = files.fileName(batchId(), progress.nextSeq - 1);
        auto kept = state().keptDownloads(source().name, plan.resource);
        if (!kept)
            return kept.error();
        QString previous;
        for (const KeptDownload& k : std::as_const(*kept))
            if (k.lastFile < last)
                previous = k.lastFile;
        const QStringList left = files.list();
        if (std::any_of(left.cbegin(), left.cend(),
                        [&](const QString& name) { return name > previous && name <= last; }))
            if (auto r = state().keepDownload(source().name,
                                              KeptDownload{plan.resource, last, progress.lowerBound, mark});
                !r)
                return r;
    }
    progress.phase = ResourcePhase::Done;
    if (auto r = saveProgress(progress); !r)
        return r;
    report(plan.resource, QStringLiteral("done"), progress.received, progress.received);
    log().info(QStringLiteral("resource done"),
               {{QStringLiteral("resource"), plan.resource}, {QStringLiteral("count"), progress.received}});
    return {};
}

int SyncProcess::nextFreeSeq(const QString& resource) const {
    static const QRegularExpression seqPattern(QStringLiteral("_seq_(\\d+)\\.json$"));
    const QString prefix = filePrefix() + batchId() + QStringLiteral("_seq_");
    int next = 1;
    for (const QString& name : BatchFiles(downloadDir(resource), prefix).list())
        if (const auto match = seqPattern.match(name); match.hasMatch())
            next = std::max(next, match.captured(1).toInt() + 1);
    return next;
}

QString SyncProcess::lagOf(const QString& resource, const QString& name) {
    // How far: its mark against the newest mark any destination of the source has.
    auto mark = state().highWater(source().name, resource, name);
    QByteArray newest;
    for (const QString& other : destinationNames())
        if (auto m = state().highWater(source().name, resource, other); m && *m)
            newest = std::max(newest, **m);
    QString lag;
    if (!mark || !*mark || (*mark)->isEmpty()) {
        lag = QStringLiteral("no high-water mark");
    } else if (**mark >= newest) {
        lag = QStringLiteral("mark %1, the newest").arg(QString::fromUtf8(**mark));
    } else {
        const auto at = odata::parseTimestamp(QString::fromUtf8(**mark));
        const auto to = odata::parseTimestamp(QString::fromUtf8(newest));
        lag = QStringLiteral("mark %1%2 the newest mark %3")
                  .arg(QString::fromUtf8(**mark),
                       at && to ? QStringLiteral(", %1 behind").arg(spanWords(at->msecsTo(*to)))
                                : QStringLiteral(", behind"),
                       QString::fromUtf8(newest));
    }
    if (auto waiting = filesWaitingFor(resource, filePrefix(), name); waiting && *waiting > 0)
        lag += QStringLiteral(", %1 page file(s) kept for it").arg(*waiting);
    return lag;
}

} // namespace ors
