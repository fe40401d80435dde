// A page written on two connections at once (MysqlDestination::apply): the parents on the
// destination's own connection, the children (their deletion and their load) on a second one,
// each from a helper thread. The database server runs each connection's statements on a thread of
// its own, so the two tables' loads use both cores where one connection leaves one of them idle:
// on the benchmark's data the children are a fifth to a quarter of a page's load time. Meanwhile
// the job thread runs its event loop, so the next page's answer, already requested, is received,
// inflated and inspected while the server writes this page rather than after it.
//
// Both transactions are committed only when both parts succeeded, the children's first. Anything
// else (a value refused, a lost connection, a lock wait) rolls both back and writes the page again
// on the one connection, as before, so errors, rejected records and retries after a conflict are
// exactly those of the one-connection path. Between the two commits a reader may see a page's new
// children beside their parents' old rows. A crash there leaves the page unapplied in state.sqlite
// and the high-water mark where it was, so the page is written again on resume, or fetched again
// after a discarded batch (replacing parents and children is idempotent). And since the parents
// commit last, the newest timestamp of the parents' table, where a destination without a mark
// starts, never covers a page whose children were not stored.
//
// Only for tables that cannot wait for each other: no foreign keys between them or to them and no
// triggers (independentTables), since the parents' transaction stays open until the children's
// part is done. OPENRESYNC_MYSQL_SPLIT=0 keeps every page on one connection, on the job thread.
#include "destinations/MysqlDestination.h"

#include "logging/LogCategories.h"
#include "logging/Redactor.h"

#include <QEventLoop>
#include <QFutureWatcher>
#include <QtConcurrentRun>
#include <QThreadPool>

#include <mysql.h>

#include <algorithm>
#include <utility>

namespace ors {

namespace {
// Pages in a row that failed on two connections for another reason than a refused value before
// the session writes on one.
constexpr int kSplitFailures = 3;

// The outcome of a part of the page, this thread's event loop running until it is there: the
// answer to the next page's request, already on its way (ProcessJob::walkPages), is received,
// inflated and inspected while the server writes this page, instead of after it.
Expected<void> resultServingEvents(const QFuture<Expected<void>>& part) {
    if (!part.isFinished()) {
        QEventLoop loop;
        QFutureWatcher<Expected<void>> watcher;
        QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
        watcher.setFuture(part);
        // Finished since the test above, the watcher still reports it, by an event this loop reads.
        loop.exec();
    }
    return part.result();
}
} // namespace

Expected<void> MysqlDestination::apply(const ResourcePlan& plan, const PageRows& page) {
    if (!worthSplitting(page))
        return SqlDestination::apply(plan, page);
    if (auto r = refuseWrite(WriteKind::Rows); !r)
        return r;
    MysqlDestination* children = childWriter(plan);
    if (!children)
        return SqlDestination::apply(plan, page);
    beforeApply(plan, page);
    auto split = applySplit(*children, plan, page);
    if (split) {
        m_splitFailures = 0;
        return {};
    }
    qCDebug(lcDestination).noquote() << QStringLiteral(
                                            "%1: the page is written again on one connection after: %2")
                                            .arg(where(), split.errorMessage());
    // The children's connection may be the one that failed: a new one is made for the next page,
    // unless that keeps failing.
    if (!children->m_rowFault) {
        m_childWriter.reset();
        if (++m_splitFailures >= kSplitFailures)
            stopSplitting(QStringLiteral("%1 pages in a row failed on two connections, the last: %2")
                              .arg(m_splitFailures)
                              .arg(split.errorMessage()));
    }
    m_rowFault.reset();
    return SqlDestination::apply(plan, page);
}

void MysqlDestination::prepareWrites(const ResourcePlan& plan) {
    if (auto r = refuseWrite(WriteKind::Rows); !r || !m_loadData)
        return;
    // Each step that fails here fails the same way at the first page, which reports it; what is
    // set up stays for the session, as the first page would have left it.
    (void)tableShape(plan.table);
    (void)replaceIsUpsert(plan.table.table);
    if (splitsPages() && !plan.children.isEmpty())
        (void)childWriter(plan);
    if (!m_prefetchOff)
        (void)openPrefetch();
}

bool MysqlDestination::worthSplitting(const PageRows& page) const {
    if (!splitsPages() || page.parent.rows.isEmpty())
        return false;
    for (const ChildRows& child : page.children)
        if (!child.rows.rows.isEmpty() || !child.parentKeys.isEmpty())
            return true;
    return false;
}

MysqlDestination* MysqlDestination::childWriter(const ResourcePlan& plan) {
    auto independent = independentTables(plan);
    if (!independent) {
        stopSplitting(independent.errorMessage());
        return nullptr;
    }
    if (!*independent)
        return nullptr;
    if (m_childWriter)
        return m_childWriter.get();
    auto writer = std::make_unique<MysqlDestination>(m_config, m_sourceName);
    auto opened = writer->open();
    if (opened) {
        // The shapes of the children's tables are read here, on the thread that owns the
        // connection (Qt Sql's queries must run there); the helper thread only sends statements.
        for (const ChildPlan& child : plan.children) {
            if (auto shape = writer->tableShape(child.table); !shape) {
                opened = shape.error();
                break;
            }
            if (auto upsert = writer->replaceIsUpsert(child.table.table); !upsert) {
                opened = upsert.error();
                break;
            }
        }
    }
    if (!opened || !writer->m_loadData) {
        stopSplitting(opened ? QStringLiteral("the second connection cannot use LOAD DATA")
                             : opened.errorMessage());
        return nullptr;
    }
    m_childWriter = std::move(writer);
    if (!m_splitPool) {
        m_splitPool = std::make_unique<QThreadPool>();
        m_splitPool->setMaxThreadCount(2);
    }
    return m_childWriter.get();
}

void MysqlDestination::stopSplitting(const QString& why) {
    m_splitOff = true;
    m_childWriter.reset();
    qCInfo(lcDestination).noquote() << Redactor::redact(
        QStringLiteral("%1: writing children on a second connection stopped (%2); pages are written on one "
                       "connection")
            .arg(where(), why));
}

Expected<bool> MysqlDestination::independentTables(const ResourcePlan& plan) {
    if (const auto known = m_independent.constFind(plan.table.table); known != m_independent.constEnd())
        return *known;
    QStringList tables{plan.table.table};
    for (const ChildPlan& child : plan.children) {
        // Children kept in the parents' own table would have both connections write one table.
        if (child.table.table.compare(plan.table.table, Qt::CaseInsensitive) == 0) {
            m_independent.insert(plan.table.table, false);
            return false;
        }
        tables.append(child.table.table);
    }
    QByteArray names = "(";
    for (const QString& table : std::as_const(tables)) {
        if (names.size() > 1)
            names += ',';
        appendLiteral(names, table.toUtf8());
    }
    names += ')';
    // A foreign key would make one connection wait for the other's uncommitted rows, and a
    // trigger may write to the other connection's table.
    const QByteArray sql =
        "SELECT (SELECT COUNT(*) FROM information_schema.KEY_COLUMN_USAGE WHERE "
        "REFERENCED_TABLE_NAME IS NOT NULL AND ((TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN " +
        names + ") OR (REFERENCED_TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IN " + names +
        "))) + (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE "
        "EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE IN " +
        names + ")";
    auto rows =
        selectText(sql, QStringLiteral("reading the foreign keys and triggers of %1").arg(plan.table.table));
    if (!rows)
        return rows.error();
    const bool independent = rows->size() == 1 && rows->first().size() == 1 && rows->first().first() == "0";
    if (!independent)
        qCInfo(lcDestination).noquote()
            << QStringLiteral("%1: %2 and its children's tables have foreign keys or triggers, so a page's "
                              "children are written on the same connection as their parents")
                   .arg(where(), plan.table.table);
    m_independent.insert(plan.table.table, independent);
    return independent;
}

Expected<void> MysqlDestination::applySplit(MysqlDestination& children, const ResourcePlan& plan,
                                            const PageRows& page) {
    children.m_rowFault.reset();
    children.m_conflict = false;
    // A failed attempt is written again on one connection, which counts its own loads.
    const qint64 loadedBefore = m_rowsLoaded;
    // What the parents' part would otherwise ask its connection from the other thread: Qt Sql's
    // queries run on the thread that owns the connection; the helpers only send statements.
    if (auto shape = tableShape(plan.table); !shape)
        return shape.error();
    // (A split page always has LOAD DATA: splitsPages.)
    if (auto upsert = replaceIsUpsert(plan.table.table); !upsert)
        return upsert.error();
    QFuture<Expected<void>> childrenDone = QtConcurrent::run(m_splitPool.get(), [&]() -> Expected<void> {
        if (auto r = children.begin(); !r)
            return r;
        return children.writeChildren(plan, page);
    });
    QFuture<Expected<void>> parentsDone = QtConcurrent::run(m_splitPool.get(), [&]() -> Expected<void> {
        if (auto r = begin(); !r)
            return r;
        return upsertRows(plan.table, page.parent);
    });
    Expected<void> parents = resultServingEvents(parentsDone);
    Expected<void> kids = resultServingEvents(childrenDone);
    // The diagnostics count what both connections sent, and rows loaded in pages that were stored.
    const qint64 childrenLoaded = std::exchange(children.m_rowsLoaded, 0);
    m_statementsSent += std::exchange(children.m_statementsSent, 0);
    m_largestStatement = std::max(m_largestStatement, children.m_largestStatement);
    const auto failed = [&](Expected<void> r) {
        m_rowsLoaded = loadedBefore;
        return r;
    };
    if (!parents || !kids) {
        rollback();
        children.rollback();
        return failed(parents ? kids : parents);
    }
    // The children first: a page whose parents are stored has its children stored too. A COMMIT
    // that fails has ended its transaction already.
    if (auto r = children.commit(); !r) {
        rollback();
        return failed(r);
    }
    // The children are stored; the caller writes the whole page again if this fails.
    if (auto r = commit(); !r)
        return failed(r);
    m_rowsLoaded += childrenLoaded;
    return {};
}

void MysqlDestination::tableShapeRenewed(const QString& table) {
    (void)table;
    // Its shapes of the tables would be old: the next page opens a new one, which reads them again.
    m_childWriter.reset();
}

unsigned long MysqlDestination::childConnection() const {
    return m_childWriter && m_childWriter->m_mysql ? mysql_thread_id(m_childWriter->m_mysql) : 0;
}

} // namespace ors
