// Writing of PostgresDestination through COPY. A multi-row INSERT of a page's literals spends most
// of the server's time parsing and planning them (for 1,000 Property rows of ~170 columns: about
// 0.5 s parse and 0.7 s bind against 0.3 s of execution, docs/PERFORMANCE.md), where COPY runs
// each value once through its type's input function. So a page's rows go by COPY into a temporary
// table of the same columns and types, and one INSERT … SELECT … ON CONFLICT moves them into the
// table: the upsert stays one statement, and nothing else about the write changes.
//
// Into a table that was empty when the session first wrote to it (an initial load), the staging
// table's extra pass is not needed: a page's rows are new there, so COPY puts them straight into
// the table, under a savepoint. A key already stored (a record that changed while the server
// paged, a page applied again) makes that COPY fail on the primary key, and the page goes the
// staging way.
#include "destinations/PostgresDestination.h"

#include "logging/LogCategories.h"

#include <QCryptographicHash>

#include <libpq-fe.h>

namespace ors {

namespace {

// How much of the COPY data is formatted before it is handed to libpq (PQputCopyData): small
// enough that the server starts on a page's first rows early, large enough to cost few calls.
constexpr qsizetype kCopyChunk = qsizetype(256) << 10;

} // namespace

void PostgresDestination::beforeApply(const ResourcePlan& plan, const PageRows& page) {
    (void)page;
    m_pageParent = plan.table.table;
}

void PostgresDestination::tableShapeRenewed(const QString& table) {
    m_direct.remove(table); // read again at the next write: a run starts with ensureSchema
}

Expected<bool> PostgresDestination::copiesDirectly(const TablePlan& table, const Replacing* replacing) {
    if (table.primaryKey.isEmpty() || table.keyColumn < 0)
        return false; // no key would refuse a row stored twice
    // Owned children are replaced: copied straight in only when their parents were, in this
    // transaction, since only then no child of theirs can be stored (the table, empty at first,
    // holds only the children of parents written since, and those are not this page's).
    if (replacing)
        for (const QByteArray& parent : *replacing->parentKeys)
            if (!m_copiedParents.contains(parent))
                return false;
    auto known = m_direct.find(table.table);
    if (known == m_direct.end()) {
        // Only a unique index on exactly the key makes a stored key fail the COPY: a table made by
        // hand without one would otherwise take a record twice instead of refusing the page.
        QByteArrayList keys; // the key's column names as SQL literals
        for (const QString& key : table.primaryKey) {
            QByteArray literal = "'";
            appendEscaped(literal, key.toUtf8());
            keys.append(literal + '\'');
        }
        auto read = run("SELECT EXISTS (SELECT FROM " + qualified(table.table) +
                            "), EXISTS (SELECT FROM pg_index i WHERE i.indrelid = $1::regclass AND "
                            "i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL AND "
                            "i.indnkeyatts = $2::int AND NOT EXISTS (SELECT FROM unnest((i.indkey::int2[])"
                            "[0:i.indnkeyatts - 1]) AS k(n) JOIN pg_attribute a ON a.attrelid = i.indrelid "
                            "AND a.attnum = k.n WHERE a.attname <> ALL (ARRAY[" +
                            keys.join(',') + "]::text[])))",
                        {qualified(table.table), QByteArray::number(table.primaryKey.size())},
                        QStringLiteral("reading whether %1 is empty").arg(table.table));
        if (!read)
            return read.error();
        const bool empty = !read->isEmpty() && read->first().value(0).value_or("t") == "f";
        const bool keyed = !read->isEmpty() && read->first().value(1).value_or("f") == "t";
        known = m_direct.insert(table.table, DirectCopy{empty && keyed, 0});
    }
    return known->allowed;
}

void PostgresDestination::directCopyRefused(const TablePlan& table) {
    DirectCopy& direct = m_direct[table.table];
    if (++direct.refusals >= kDirectRefusals)
        direct.allowed = false;
    qCDebug(lcDestination) << m_config.name << table.table << "held a key of the page, written by staging"
                           << direct.refusals << "times";
}

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

bool PostgresDestination::copyIn(const QByteArray& sql, const TablePlan& table, const RowFormat& format,
                                 const QList<const Row*>& rows, std::optional<Error>* refused,
                                 Failure* failure) {
    ++m_statementsSent;
    PGresult* result = PQexec(m_pg, sql.constData());
    if (!result || PQresultStatus(result) != PGRES_COPY_IN) {
        *failure = failureOf(result);
        if (result)
            PQclear(result);
        return false;
    }
    PQclear(result);
    // The rows go out as they are formatted, a chunk at a time: the server parses and stores the
    // first while the client formats the rest, where formatting the whole page first left the
    // server idle meanwhile.
    QByteArray chunk;
    chunk.reserve(kCopyChunk + 64 * 1024);
    bool sent = true;
    for (const Row* row : rows) {
        // The values are checked as the statements check them: a value refused here is its
        // record's fault alone.
        if (auto r = appendRow(chunk, table, format, *row, RowSyntax::CopyText); !r) {
            m_rowFault = RowFault{table.table, *row};
            *refused = r.error();
            break;
        }
        if (chunk.size() >= kCopyChunk) {
            sent = PQputCopyData(m_pg, chunk.constData(), int(chunk.size())) == 1;
            chunk.resize(0); // keeps its capacity
            if (!sent)
                break;
        }
    }
    if (sent && !*refused && !chunk.isEmpty())
        sent = PQputCopyData(m_pg, chunk.constData(), int(chunk.size())) == 1;
    // A refused value or a failed send ends the COPY with an error of our own, so the server does
    // not take a part.
    const char* error = !sent      ? "the client could not send the rows"
                        : *refused ? "a value was refused"
                                   : nullptr;
    const bool ended = PQputCopyEnd(m_pg, error) == 1;
    bool ok = sent && !*refused && ended;
    while ((result = PQgetResult(m_pg)) != nullptr) {
        if (PQresultStatus(result) != PGRES_COMMAND_OK && ok) {
            *failure = failureOf(result);
            ok = false;
        }
        PQclear(result);
    }
    if (!ok && !*refused && failure->message.isEmpty())
        *failure = failureOf(nullptr);
    return ok;
}

Expected<bool> PostgresDestination::copyRows(const TablePlan& table, const TableShape& shape,
                                             const RowFormat& format, const QByteArrayList& columns,
                                             const QByteArray& trailer, const QList<const Row*>& rows,
                                             const Replacing* replacing) {
    const QString what = QStringLiteral("writing %1").arg(table.table);
    const QString savepoint = what + QStringLiteral(" (savepoint)");
    const QByteArray list = columns.join(',');
    std::optional<Error> refusedValue; // set by copyIn when a value of a row is refused
    // What a refused COPY leaves: the transaction as it was, and the statements to name a record.
    const auto refused = [&](const Failure& failure) -> Expected<bool> {
        if (refusedValue) { // the client's refusal ended the COPY: that record's fault alone
            if (auto r = query("ROLLBACK TO SAVEPOINT ors_copy", savepoint); !r)
                return r.error();
            return *refusedValue;
        }
        if (failure.sqlState == "40001" || failure.sqlState == "40P01")
            m_conflict = true; // inTransaction runs the transaction again
        if (!rowLevel(failure.sqlState))
            return statementError(table, nullptr, failure);
        // A row's value: back to before the COPY, and the statements name the record.
        if (auto r = query("ROLLBACK TO SAVEPOINT ors_copy", savepoint); !r)
            return r.error();
        return false;
    };

    auto direct = copiesDirectly(table, replacing);
    if (!direct)
        return direct.error();
    if (*direct) {
        if (auto r = query("SAVEPOINT ors_copy", savepoint); !r)
            return r.error();
        Failure failure;
        if (copyIn("COPY " + qualified(table.table) + " (" + list + ") FROM STDIN", table, format, rows,
                   &refusedValue, &failure)) {
            if (auto r = query("RELEASE SAVEPOINT ors_copy", savepoint); !r)
                return r.error();
            if (!replacing && table.table == m_pageParent)
                for (const Row* row : rows)
                    m_copiedParents.insert(::ors::keyText(row->at(table.keyColumn)));
            return true;
        }
        if (refusedValue || failure.sqlState != "23505") // 23505 unique_violation: a key is stored
            return refused(failure);
        for (const char* sql : {"ROLLBACK TO SAVEPOINT ors_copy", "RELEASE SAVEPOINT ors_copy"})
            if (auto r = query(sql, savepoint); !r)
                return r.error();
        directCopyRefused(table);
    }

    auto stage = stagingTable(table, shape, columns);
    if (!stage)
        return stage.error();
    if (auto r = query("SAVEPOINT ors_copy", savepoint); !r)
        return r.error();
    Failure failure;
    bool ok = true;
    if (m_stagesDirty.contains(*stage))
        ok = run("DELETE FROM " + *stage, {}, what, nullptr, &failure).ok();
    ok = ok && copyIn("COPY " + *stage + " (" + list + ") FROM STDIN", table, format, rows, &refusedValue,
                      &failure);
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
    return refused(failure);
}

} // namespace ors
