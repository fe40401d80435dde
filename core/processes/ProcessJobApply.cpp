// The apply step of ProcessJob: downloaded pages into every destination, with blocking after
// repeated failures and, under "onBadRecord": "quarantine", records that cannot be stored set
// aside in the source's rejected files while the rest of their page is written.
#include "processes/ProcessJob.h"
#include "records/Timestamps.h"

#include "logging/Redactor.h"
#include "logging/SourceLog.h"
#include "processes/BatchFiles.h"
#include "processes/SourceContext.h"
#include "reso/PageReader.h"
#include "stats/StatsStore.h"
#include "store/RejectedStore.h"
#include "store/StateStore.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <algorithm>
#include <future>

namespace ors {

QList<QByteArray> ProcessJob::hiddenKeys(const ResourcePlan& plan, const PageRows& rows) const {
    QList<QByteArray> keys;
    const int column = plan.table.fieldIndex(QStringLiteral("MlgCanView"));
    if (!m_context->profile().mlgCanView || column < 0)
        return keys;
    for (const Row& row : rows.parent.rows) {
        const Cell& visible = row.at(column);
        if (visible.type == Cell::Type::Integer && visible.integer == 0)
            keys.append(keyText(row.at(plan.table.keyColumn)));
    }
    return keys;
}

Expected<void> ProcessJob::blockedCheck(const QString& resource, const QString& destination) {
    // A step that failed kBlockAfter times in a row waits for the user instead of failing the
    // same way on every scheduled run.
    auto previous = m_state->failure(m_source.name, m_processText, resource, destination);
    if (!previous)
        return previous.error();
    if (*previous && (*previous)->count >= kBlockAfter)
        return makeError(QStringLiteral("blocked: destination %1 failed %2 times on %3 (%4); run "
                                        "\"openresync-cli unblock %5 %6\" to retry, with --skip-file to skip "
                                        "that file for %1, or --discard-batch to drop the batch")
                             .arg(destination)
                             .arg((*previous)->count)
                             .arg((*previous)->step, (*previous)->lastError, m_source.name, m_processText));
    return {};
}

// A page no destination can take (not whole JSON, or a bad record under "onBadRecord": "fail")
// fails that step for every destination still waiting for it, so it blocks and can be skipped.
Error ProcessJob::failFile(const ResourcePlan& plan, const QString& name, const QStringList& done,
                           const QString& message) {
    for (auto& destination : m_context->destinations()) {
        if (done.contains(destination->name()) || isBehind(plan.resource, destination->name()))
            continue;
        if (auto blocked = blockedCheck(plan.resource, destination->name()); !blocked)
            return blocked.error();
    }
    for (auto& destination : m_context->destinations()) {
        if (done.contains(destination->name()) || isBehind(plan.resource, destination->name()))
            continue;
        (void)m_state->recordFailure(StepFailure{m_source.name,
                                                 m_processText,
                                                 plan.resource,
                                                 destination->name(),
                                                 QStringLiteral("apply %1").arg(name),
                                                 0,
                                                 message,
                                                 {}});
    }
    return fail(QStringLiteral("apply"), plan.resource, {}, message);
}

Expected<void> ProcessJob::setAside(const ResourcePlan& plan, const BatchFiles& files,
                                    const QString& fileName, const PageRows& rows,
                                    const QList<RowRejection>& refused, const QString& destination,
                                    RejectedStore& store, QSet<QByteArray>& counted) {
    QSet<QByteArray> refusedKeys;
    for (const RowRejection& r : refused)
        refusedKeys.insert(r.key);
    // The page's JSON is not kept once its rows are read: the records a destination refused, rare,
    // are taken from its file, which stays on disk until every destination has the page.
    QHash<QByteArray, QByteArray> raw;
    if (!refused.isEmpty()) {
        auto body = files.read(fileName);
        if (!body)
            return body.error();
        raw = PageReader::rawRecords(*body, plan.keyField, refusedKeys);
    }
    const auto add = [&](const QByteArray& key, const QString& reason, const QString& child,
                         const QByteArray& record, const QByteArray& countAs) {
        RejectedEntry entry;
        entry.resource = plan.resource;
        entry.destination = destination;
        entry.key = key;
        entry.reason = Redactor::redact(reason);
        entry.child = child;
        entry.file = fileName;
        entry.record = record;
        store.add(std::move(entry));
        m_log->warning(QStringLiteral("record rejected"),
                       {{QStringLiteral("resource"), plan.resource},
                        {QStringLiteral("destination"), destination},
                        {QStringLiteral("key"), QString::fromUtf8(key)},
                        {QStringLiteral("reason"), Redactor::redact(reason)}});
        if (!counted.contains(countAs)) {
            counted.insert(countAs);
            ++m_rejected[plan.resource];
        }
    };
    for (const RecordRejection& r : rows.rejected)
        add(r.key, r.reason, r.child, r.raw,
            r.key.isEmpty() ? "#" + QByteArray::number(r.index) : "k" + r.key);
    for (const RowRejection& r : refused)
        add(r.key,
            r.child.isEmpty() ? r.reason
                              : QStringLiteral("the record's %1 item was refused, so the record is: %2")
                                    .arg(r.child, r.reason),
            r.child, raw.value(r.key), "k" + r.key);
    // A version this destination stored replaces whatever was set aside for that record before.
    if (!store.isEmpty()) {
        QList<QByteArray> stored;
        stored.reserve(rows.parent.rows.size());
        for (const Row& row : rows.parent.rows) {
            QByteArray key = keyText(row.at(plan.table.keyColumn));
            if (!refusedKeys.contains(key))
                stored.append(std::move(key));
        }
        if (const qsizetype cleared = store.clear(destination, stored); cleared > 0)
            m_log->info(QStringLiteral("rejected records cleared by a later version"),
                        {{QStringLiteral("resource"), plan.resource},
                         {QStringLiteral("destination"), destination},
                         {QStringLiteral("count"), cleared}});
    }
    return store.save();
}

void ProcessJob::reportRejected() {
    for (auto it = m_rejected.cbegin(); it != m_rejected.cend(); ++it) {
        const QString message = QStringLiteral("%1 record(s) of %2 could not be stored and were set aside; "
                                               "\"openresync-cli rejected %3\" lists them")
                                    .arg(it.value())
                                    .arg(it.key(), m_source.name);
        m_result.warnings.append(Redactor::redact(message));
        if (m_log)
            m_log->warning(message, {{QStringLiteral("resource"), it.key()}});
        if (m_stats)
            recordEvent(it.key(), QStringLiteral("rejected-records"), message);
    }
    m_rejected.clear();
}

ProcessJob::FileApply::FileApply(const QString& dir, const QString& prefix, const QString& rejectedFile)
    : files(dir, prefix)
    , rejected(rejectedFile) {}

Expected<std::unique_ptr<ProcessJob::FileApply>> ProcessJob::beginApply(const ResourcePlan& plan,
                                                                        const QString& prefix) {
    auto apply = std::make_unique<FileApply>(downloadDir(plan.resource), prefix,
                                             m_layout.rejectedFile(m_source.name, plan.resource));
    apply->quarantine = m_source.onBadRecord == BadRecordPolicy::Quarantine;
    if (auto r = apply->rejected.load(); !r)
        return fail(QStringLiteral("apply"), plan.resource, {}, r.errorMessage());
    return apply;
}

Expected<void> ProcessJob::applyFiles(const ResourcePlan& plan, const QString& prefix,
                                      ResourceProgress& progress) {
    auto apply = beginApply(plan, prefix);
    if (!apply)
        return apply.error();
    startPhase(0);
    // File N+1 is read and parsed on the worker while file N is written: two pages in memory.
    const QStringList names = (*apply)->files.list();
    PreparedFuture current =
        names.isEmpty() ? PreparedFuture() : prepareFile(**apply, plan, names.first(), std::nullopt);
    for (qsizetype i = 0; i < names.size(); ++i) {
        PreparedFuture next = i + 1 < names.size() ? prepareFile(**apply, plan, names.at(i + 1), std::nullopt)
                                                   : PreparedFuture();
        if (auto r = applyFile(**apply, plan, names.at(i), progress, &current); !r)
            return r;
        current = std::move(next);
    }
    return {};
}

ProcessJob::PreparedFuture ProcessJob::prepareFile(const FileApply& apply, const ResourcePlan& plan,
                                                   const QString& name, std::optional<QByteArray> body) {
    if (!m_worker) {
        m_worker = std::make_unique<QThreadPool>();
        m_worker->setMaxThreadCount(1);
        m_worker->setExpiryTimeout(-1);
    }
    auto promise = std::make_shared<std::promise<PreparedPage>>();
    PreparedFuture future(promise->get_future());
    // Lets the pipeline tests have a page's answer arrive before the rows of the page before it
    // are read (fast servers do); never set in production.
    static const int debugParseDelayMs = qEnvironmentVariableIntValue("OPENRESYNC_DEBUG_PARSE_DELAY_MS");
    // Nothing here logs or touches the job: warnings come back in PageRows for the job thread.
    m_worker->start([promise, files = apply.files, name, body = std::move(body), &plan]() {
        if (debugParseDelayMs > 0)
            QThread::msleep(quint64(debugParseDelayMs));
        PreparedPage prepared;
        QElapsedTimer step;
        step.start();
        prepared.body = body ? Expected<QByteArray>(*body) : files.read(name);
        prepared.readNs = body ? 0 : step.nsecsElapsed();
        if (prepared.body) {
            step.restart();
            prepared.rows = PageReader::read(*prepared.body, plan, files.path(name));
            prepared.parseNs = step.nsecsElapsed();
            // The rows hold copies of their values: the page's JSON, as large as they are, is
            // not kept while the page waits for its apply and during it (setAside reads the file).
            prepared.body = QByteArray();
        }
        promise->set_value(std::move(prepared));
    });
    return future;
}

Expected<bool> ProcessJob::holdsPage(const ResourcePlan& plan, const PageRows& rows,
                                     const QString& destination) {
    // Every change up to a mark is in the destination (the mark rule), so a record dated at or
    // before it is held in that version or a newer one. A record without a valid instant, or one
    // set aside, says nothing, and neither does a destination without a mark.
    if (plan.table.timestampColumn < 0 || rows.parent.rows.isEmpty() || !rows.rejected.isEmpty())
        return false;
    QByteArray newest;
    for (const Row& row : rows.parent.rows) {
        const Cell& ts = row.at(plan.table.timestampColumn);
        if (ts.type != Cell::Type::Text ||
            !normalizeTimestamp(std::string_view(ts.text.constData(), size_t(ts.text.size()))))
            return false;
        newest = std::max(newest, ts.text);
    }
    const QByteArray held = heldThrough(plan.resource, destination);
    return !held.isEmpty() && held >= newest;
}

QByteArray ProcessJob::heldThrough(const QString&, const QString&) const {
    return {};
}

Expected<void> ProcessJob::applyFile(FileApply& apply, const ResourcePlan& plan, const QString& name,
                                     ResourceProgress& progress, PreparedFuture* prepared) {
    // Lets the crash-recovery tests stop a run reliably while it applies; never set in production.
    static const int debugDelayMs = qEnvironmentVariableIntValue("OPENRESYNC_DEBUG_APPLY_DELAY_MS");
    if (debugDelayMs > 0)
        QThread::msleep(quint64(debugDelayMs));
    // Lets the pipeline tests look at a run held before it applies a page (what the server has
    // been asked by then): "<gate>.held" says it waits, "<gate>" lets it go; never set in production.
    static const QString debugGate = qEnvironmentVariable("OPENRESYNC_DEBUG_APPLY_GATE");
    if (!debugGate.isEmpty() && !QFile::exists(debugGate)) {
        QFile held(debugGate + QStringLiteral(".held"));
        (void)held.open(QIODevice::WriteOnly);
        held.close();
        while (!QFile::exists(debugGate) && !m_cancelled)
            QThread::msleep(10);
    }
    if (m_cancelled)
        return makeError(QStringLiteral("cancelled"));
    const bool quarantine = apply.quarantine;
    RejectedStore& rejected = apply.rejected;
    const QString path = apply.files.path(name);
    QElapsedTimer step; // m_times: where the time goes
    auto done = m_state->appliedDestinations(m_source.name, m_processText, path);
    if (!done)
        return done.error();
    // Which configured destinations lack the file (opened or not), and whether any of them is
    // tried in this run; a file only destinations behind lack waits on disk for them.
    QStringList lacking;
    for (const QString& destination : destinationNames())
        if (!done->contains(destination))
            lacking.append(destination);
    // A file every destination already has (skipped by unblock, or a crash before its
    // deletion) fails nothing: it only waits to be deleted.
    const bool waiting = !lacking.isEmpty();
    if (waiting && std::all_of(lacking.cbegin(), lacking.cend(), [&](const QString& destination) {
            return isBehind(plan.resource, destination);
        }))
        return {};
    step.start();
    PreparedPage page;
    if (prepared) {
        page = prepared->get();
        // Only the wait is the job thread's; what the worker did in the meantime is overlapped.
        m_times.parseNs += step.nsecsElapsed();
        m_times.workerNs += page.readNs + page.parseNs;
    } else {
        page.body = apply.files.read(name);
        m_times.filesNs += step.nsecsElapsed();
        if (page.body) {
            step.restart();
            page.rows = PageReader::read(*page.body, plan, path);
            m_times.parseNs += step.nsecsElapsed();
            page.body = QByteArray();
        }
    }
    const Expected<QByteArray>& body = page.body;
    if (!body)
        return fail(QStringLiteral("apply"), plan.resource, {}, body.errorMessage());
    Expected<PageRows>& rows = *page.rows;
    if (!rows && !waiting) {
        if (!QFile::remove(path) && QFile::exists(path))
            return fail(QStringLiteral("apply"), plan.resource, {},
                        QStringLiteral("%1: cannot delete").arg(path));
        if (auto r = m_state->forgetFile(m_source.name, m_processText, path); !r)
            return r;
        return {};
    }
    if (!rows)
        return failFile(plan, name, *done, rows.errorMessage());
    if (waiting && !quarantine && !rows->rejected.isEmpty()) {
        QString message = rows->rejected.first().reason;
        if (rows->rejected.size() > 1)
            message += QStringLiteral(" (and %1 more bad records)").arg(rows->rejected.size() - 1);
        return failFile(plan, name, *done, message);
    }
    for (const QString& warning : std::as_const(rows->warnings))
        m_log->warning(warning, {{QStringLiteral("resource"), plan.resource}});
    // A page without records (an empty answer) holds nothing a destination behind could lack: it
    // need not wait on disk for it.
    if (destinationsIndependent() && rows->parent.rows.isEmpty() && rows->rejected.isEmpty())
        for (const QString& destination : std::as_const(lacking))
            if (isBehind(plan.resource, destination)) {
                if (auto r = m_state->markApplied(m_source.name, m_processText, path, destination); !r)
                    return r;
                done->append(destination);
            }
    const QList<QByteArray> hidden = hiddenKeys(plan, *rows);
    QSet<QByteArray> counted; // records of this file set aside, once whatever the destinations
    bool written = false;     // some destination wrote the page in this call
    for (auto& destination : m_context->destinations()) {
        const QString& destinationName = destination->name();
        if (done->contains(destinationName) || isBehind(plan.resource, destinationName))
            continue;
        if (auto blocked = blockedCheck(plan.resource, destinationName); !blocked) {
            if (!destinationsIndependent())
                return blocked;
            fallBehind(plan.resource, destinationName, blocked.errorMessage());
            continue;
        }
        if (destinationsIndependent()) {
            // A catch-up download for a destination behind repeats what the others hold already.
            auto holds = holdsPage(plan, *rows, destinationName);
            if (!holds)
                return holds.error();
            if (*holds) {
                if (auto r = m_state->markApplied(m_source.name, m_processText, path, destinationName); !r)
                    return r;
                done->append(destinationName);
                continue;
            }
        }
        QList<RowRejection> refused;
        Expected<void> r;
        step.restart();
        if (quarantine) {
            auto stored = destination->applyRejecting(plan, *rows);
            if (stored)
                refused = *stored;
            else
                r = stored.error();
        } else {
            r = destination->apply(plan, *rows);
        }
        // MLS Grid: a record no longer visible to this feed is a deletion, owned children too.
        if (r && !hidden.isEmpty())
            r = destination->deleteKeys(plan, hidden);
        m_times.writeNs += step.nsecsElapsed();
        if (!r) {
            StepFailure failure{m_source.name,
                                m_processText,
                                plan.resource,
                                destinationName,
                                QStringLiteral("apply %1").arg(name),
                                0,
                                r.errorMessage(),
                                {}};
            (void)m_state->recordFailure(failure);
            Error failed = fail(QStringLiteral("apply"), plan.resource, destinationName,
                                QStringLiteral("%1 (file %2)").arg(r.errorMessage(), path));
            if (!destinationsIndependent())
                return failed;
            fallBehind(plan.resource, destinationName, failed.message);
            continue;
        }
        // Set aside before the file is marked: a crash in between repeats both.
        if (quarantine) {
            auto q = setAside(plan, apply.files, name, *rows, refused, destinationName, rejected, counted);
            if (!q)
                return fail(QStringLiteral("apply"), plan.resource, destinationName, q.errorMessage());
        }
        if (auto r = m_state->markApplied(m_source.name, m_processText, path, destinationName); !r)
            return r;
        (void)m_state->clearFailures(m_source.name, m_processText, plan.resource, destinationName);
        countApplied(plan.resource, destinationName, rows->parent.rows.size() - refused.size());
        done->append(destinationName);
        written = true;
    }
    if (everyDestinationBehind(plan.resource))
        return allBehindError(plan.resource);
    // Every destination took the file: it is no longer needed. Otherwise it waits on disk, with
    // its applied marks, for the destinations behind.
    const bool everyone = std::all_of(lacking.cbegin(), lacking.cend(), [&](const QString& destination) {
        return done->contains(destination);
    });
    if (everyone) {
        step.restart();
        const bool removed = QFile::remove(path) || !QFile::exists(path);
        m_times.filesNs += step.nsecsElapsed();
        if (!removed)
            return fail(QStringLiteral("apply"), plan.resource, {},
                        QStringLiteral("%1: cannot delete").arg(path));
        if (auto r = m_state->forgetFile(m_source.name, m_processText, path); !r)
            return r;
    }
    if (written || !waiting)
        m_result.recordsApplied += rows->parent.rows.size();
    // Pages left from a lost state still count toward the mark once every destination still
    // going has them (the marks of destinations behind are not raised).
    if (plan.table.timestampColumn >= 0)
        for (const Row& row : std::as_const(rows->parent.rows)) {
            const Cell& ts = row.at(plan.table.timestampColumn);
            // Text stored as sent (not an instant) would compare as bytes: it never counts.
            if (ts.type == Cell::Type::Text && ts.text > progress.maxDownloaded &&
                normalizeTimestamp(std::string_view(ts.text.constData(), size_t(ts.text.size()))))
                progress.maxDownloaded = ts.text;
        }
    apply.applied += rows->parent.rows.size();
    if (apply.reportProgress)
        report(plan.resource, QStringLiteral("apply"), apply.applied,
               std::max(progress.received, apply.applied));
    return {};
}

} // namespace ors
