// Writing of PostgresDestination through COPY. A multi-row INSERT of a page's literals spends most
// of the server's time parsing and planning them (for 1,000 Property rows of ~170 columns: about
// 0.5 s parse and 0.7 s bind against 0.3 s of execution, docs/PERFORMANCE.md), where COPY runs
// each value once through its type's input function. So a page's rows go by COPY into a temporary
// table of the same columns and types, and one INSERT … SELECT … ON CONFLICT moves them into the
// table: the upsert stays one statement, and nothing else about the write changes.
#include "destinations/PostgresDestination.h"

#include <QCryptographicHash>

#include <libpq-fe.h>

namespace ors {

namespace {

// How much of the COPY data one PQputCopyData call hands to libpq.
constexpr qsizetype kCopyChunk = qsizetype(1) << 20;

} // namespace

Expected<QByteArray> PostgresDestination::stagingTable(const TablePlan& table, const TableShape& shape,
                                                       const QByteArrayList& columns) {
    // Named after the table, its columns and their types: a table that gained or widened a
    // column gets a staging table of its new shape, and COPY never parses a value into an older,
    // narrower type than the INSERT writes it to.
    QByteArray signature = table.table.toUtf8() + '\n' + columns.join(',');
    for (const ColumnShape& column : shape.columns)
        signature += '\n' + typeText(column).toUtf8();
    const QByteArray local =
        "ors_stage_" + QCryptographicHash::hash(signature, QCryptographicHash::Sha1).toHex().left(20);
    const QByteArray name = "pg_temp." + local; // never a table of the destination's schema
    if (m_stages.contains(name))
        return name;
    // CREATE TABLE AS copies the columns' types and nothing else (no key, no NOT NULL, no check):
    // COPY only parses, and the INSERT meets the table's own constraints. ON COMMIT DELETE ROWS
    // empties it cheaply at every commit.
    const QByteArray sql = "CREATE TEMPORARY TABLE IF NOT EXISTS " + local +
                           " ON COMMIT DELETE ROWS AS SELECT " + columns.join(',') + " FROM " +
                           qualified(table.table) + " WITH NO DATA";
    if (auto r = query(sql, QStringLiteral("writing %1 (staging table)").arg(table.table)); !r)
        return r.error();
    m_stages.insert(name);
    return name;
}

bool PostgresDestination::copyIn(const QByteArray& sql, const QByteArray& data, Failure* failure) {
    ++m_statementsSent;
    PGresult* result = PQexec(m_pg, sql.constData());
    if (!result || PQresultStatus(result) != PGRES_COPY_IN) {
        *failure = failureOf(result);
        if (result)
            PQclear(result);
        return false;
    }
    PQclear(result);
    bool sent = true;
    for (qsizetype at = 0; sent && at < data.size(); at += kCopyChunk)
        sent = PQputCopyData(m_pg, data.constData() + at, int(std::min(kCopyChunk, data.size() - at))) == 1;
    // A failed send ends the COPY with an error of our own, so the server does not take a part.
    const bool ended = PQputCopyEnd(m_pg, sent ? nullptr : "the client could not send the rows") == 1;
    bool ok = sent && ended;
    while ((result = PQgetResult(m_pg)) != nullptr) {
        if (PQresultStatus(result) != PGRES_COMMAND_OK && ok) {
            *failure = failureOf(result);
            ok = false;
        }
        PQclear(result);
    }
    if (!ok && failure->message.isEmpty())
        *failure = failureOf(nullptr);
    return ok;
}

Expected<bool> PostgresDestination::copyRows(const TablePlan& table, const TableShape& shape,
                                             const RowFormat& format, const QByteArrayList& columns,
                                             const QByteArray& trailer, const QList<const Row*>& rows,
                                             const Replacing* replacing) {
    // The values are checked as the statements check them: a value refused here is its
    // record's fault alone.
    QByteArray data;
    data.reserve(rows.size() * 2048);
    for (const Row* row : rows)
        if (auto r = appendRow(data, table, format, *row, RowSyntax::CopyText); !r) {
            m_rowFault = RowFault{table.table, *row};
            return r.error();
        }
    auto stage = stagingTable(table, shape, columns);
    if (!stage)
        return stage.error();
    const QString what = QStringLiteral("writing %1").arg(table.table);
    const QString savepoint = what + QStringLiteral(" (savepoint)");
    if (auto r = query("SAVEPOINT ors_copy", savepoint); !r)
        return r.error();
    const QByteArray list = columns.join(',');
    Failure failure;
    bool ok = true;
    if (m_stagesDirty.contains(*stage))
        ok = run("DELETE FROM " + *stage, {}, what, nullptr, &failure).ok();
    ok = ok && copyIn("COPY " + *stage + " (" + list + ") FROM STDIN", data, &failure);
    m_stagesDirty.insert(*stage);
    if (ok && replacing)
        if (auto r = deleteStaleChildren(*replacing, *stage); !r)
            return r.error();
    ok = ok && run("INSERT INTO " + qualified(table.table) + " AS t (" + list + ") SELECT " + list +
                       " FROM " + *stage + trailer,
                   {}, what, nullptr, &failure)
                   .ok();
    if (ok) {
        if (auto r = query("RELEASE SAVEPOINT ors_copy", savepoint); !r)
            return r.error();
        return true;
    }
    if (failure.sqlState == "40001" || failure.sqlState == "40P01")
        m_conflict = true; // inTransaction runs the transaction again
    if (!rowLevel(failure.sqlState))
        return statementError(table, nullptr, failure);
    // A row's value: back to before the COPY, and the statements name the record.
    if (auto r = query("ROLLBACK TO SAVEPOINT ors_copy", savepoint); !r)
        return r.error();
    return false;
}

} // namespace ors
