// Writing of PostgresDestination: multi-row upserts cut to the statement limit, owned children
// replaced, errors mapped back to the record and column that caused them.
#include "destinations/PostgresDestination.h"

#include "logging/LogCategories.h"
#include "logging/Redactor.h"

#include <QSet>

#include <libpq-fe.h>

namespace ors {

// Errors that one row's values cause (class 22 data exceptions: too long, out of range, invalid
// text for the type, untranslatable characters; NOT NULL and CHECK violations; an index entry
// too large). They abort the transaction, but a savepoint taken before the statement restores it.
bool PostgresDestination::rowLevel(const QByteArray& sqlState) {
    return sqlState.startsWith("22") || sqlState == "23502" || sqlState == "23514" || sqlState == "54000";
}

Error PostgresDestination::statementError(const TablePlan& table, const Row* row,
                                          const Failure& failure) const {
    QString text = QStringLiteral("%1: writing %2").arg(where(), table.table);
    if (row)
        text += QStringLiteral(" record ") + keyText(table, *row);
    text += QStringLiteral(" failed: %1").arg(failure.message);
    if (!failure.sqlState.isEmpty())
        text += QStringLiteral(" (PostgreSQL error %1)").arg(QString::fromLatin1(failure.sqlState));
    if (connectionLost(failure.sqlState))
        text += QStringLiteral("; the connection to %1:%2 was lost").arg(m_config.host).arg(m_config.port);
    else if (failure.sqlState == "54000" && failure.message.startsWith(QStringLiteral("row is too big")))
        text +=
            QStringLiteral("; the record does not fit one PostgreSQL row (8,160 bytes after TOAST, 18 bytes "
                           "for each value moved out): lower the destination's overflowBudget (%1 bytes now) "
                           "or name fields in overflowFields, so that more of them go to the JSON column "
                           "_overflow, or limit the fields with \"select\"")
                .arg(overflowBudget());
    else if (failure.sqlState == "40001" || failure.sqlState == "40P01")
        text += QStringLiteral("; another transaction held the rows (the next run writes this page again)");
    return makeError(Redactor::redact(text));
}

// statementError, and when one row's values caused it, that row remembered for applyRejecting.
Error PostgresDestination::rowError(const TablePlan& table, const Row* row, const Failure& failure) {
    if (row && rowLevel(failure.sqlState))
        m_rowFault = RowFault{table.table, *row};
    return statementError(table, row, failure);
}

// Runs one statement of `rows`; a failure is mapped back to the record that caused it.
Expected<void> PostgresDestination::execute(const TablePlan& table, const QByteArray& sql,
                                            const QList<const Row*>& rows, const QByteArray& header,
                                            const QByteArray& trailer, const RowFormat& format) {
    // PostgreSQL does not say which row of a statement failed, and a failed statement aborts the
    // transaction: a savepoint lets the rows be tried one at a time to name the record.
    const bool several = rows.size() > 1;
    if (several)
        if (auto r = query("SAVEPOINT ors_rows", QStringLiteral("writing %1 (savepoint)").arg(table.table));
            !r)
            return r;
    Failure failure;
    if (run(sql, {}, QStringLiteral("writing %1").arg(table.table), nullptr, &failure)) {
        if (several)
            return query("RELEASE SAVEPOINT ors_rows",
                         QStringLiteral("writing %1 (savepoint)").arg(table.table));
        return {};
    }
    if (several && rowLevel(failure.sqlState)) {
        if (auto r = query("ROLLBACK TO SAVEPOINT ors_rows",
                           QStringLiteral("writing %1 (savepoint)").arg(table.table));
            !r)
            return r;
        for (const Row* row : rows) {
            QByteArray single = header;
            if (!appendRow(single, table, format, *row))
                continue;
            single += trailer;
            if (auto r = execute(table, single, {row}, header, trailer, format); !r)
                return r;
        }
    }
    return rowError(table, rows.size() == 1 ? rows.first() : nullptr, failure);
}

Expected<void> PostgresDestination::upsertRows(const TablePlan& table, const TableRows& rows) {
    return writeRows(table, rows, nullptr);
}

Expected<void> PostgresDestination::writeRows(const TablePlan& table, const TableRows& rows,
                                              const Replacing* replacing) {
    if (rows.rows.isEmpty())
        return replacing ? deleteChildren(*replacing->child, *replacing->parentKeys) : Expected<void>();
    auto shape = tableShape(table);
    if (!shape)
        return shape.error();
    const RowFormat format = rowFormat(table, **shape);
    const QByteArrayList columns = columnNames(table, format);
    QByteArrayList keys;
    for (const QString& key : table.primaryKey)
        keys.append(quote(key));

    const QByteArray header =
        "INSERT INTO " + qualified(table.table) + " AS t (" + columns.join(',') + ") VALUES ";
    QByteArrayList updated; // every column but the key
    for (const QByteArray& column : columns)
        if (!keys.contains(column))
            updated.append(column);
    QByteArray updates;
    for (const QByteArray& column : std::as_const(updated)) {
        if (!updates.isEmpty())
            updates += ',';
        updates += column + "=EXCLUDED." + column;
    }
    const QByteArray trailer = " ON CONFLICT (" + keys.join(',') + ") DO " +
                               (updates.isEmpty() ? QByteArray("NOTHING") : "UPDATE SET " + updates);
    const QByteArray copyTrailer =
        replacing && !updated.isEmpty() ? trailer + unchangedRowsKept(updated) : trailer;

    // ON CONFLICT DO UPDATE refuses to touch one row twice in a statement: of a key repeated in
    // the page (a record changed while the server paged) only the last copy is written, which is
    // what writing them one after the other would leave.
    QList<int> keyColumns;
    for (const QString& key : table.primaryKey)
        keyColumns.append(table.columnIndex(key));
    const auto keyOf = [&](const Row& row) {
        QByteArray key;
        for (int column : std::as_const(keyColumns))
            key += ::ors::keyText(row.at(column)) + '\x1f';
        return key;
    };
    QSet<QByteArray> later;
    QList<bool> keep(rows.rows.size(), true);
    for (qsizetype i = rows.rows.size() - 1; i >= 0; --i) {
        const QByteArray key = keyOf(rows.rows.at(i));
        if (later.contains(key))
            keep[i] = false;
        else
            later.insert(key);
    }

    QList<const Row*> kept;
    kept.reserve(rows.rows.size());
    for (qsizetype i = 0; i < rows.rows.size(); ++i)
        if (keep.at(i))
            kept.append(&rows.rows.at(i));
    auto copied = copyRows(table, **shape, format, columns, copyTrailer, kept, replacing);
    if (!copied)
        return copied.error();
    if (*copied)
        return {};
    // The statements replace the children the plain way: every row of the parents goes first.
    if (replacing)
        if (auto r = deleteChildren(*replacing->child, *replacing->parentKeys); !r)
            return r;

    // A row's value made the server refuse the page: multi-row statements, and the rows of the
    // one that fails one at a time, find and name the record.
    QByteArray sql;
    sql.reserve(m_statementLimit + 64 * 1024);
    sql = header;
    QList<const Row*> pending;
    for (qsizetype i = 0; i < rows.rows.size(); ++i) {
        if (!keep.at(i))
            continue;
        const Row& row = rows.rows.at(i);
        const qsizetype mark = sql.size();
        if (!pending.isEmpty())
            sql += ',';
        if (auto r = appendRow(sql, table, format, row); !r) {
            // A value the column cannot hold exactly: this record's fault alone.
            m_rowFault = RowFault{table.table, row};
            return r;
        }
        if (sql.size() + trailer.size() <= m_statementLimit || pending.isEmpty()) {
            pending.append(&row);
            continue;
        }
        // This row would make the statement too long: send the others, start again with it.
        const QByteArray rowText = sql.mid(mark + 1);
        sql.truncate(mark);
        sql += trailer;
        if (auto r = execute(table, sql, pending, header, trailer, format); !r)
            return r;
        sql.truncate(0);
        sql += header;
        sql += rowText;
        pending = {&row};
    }
    sql += trailer;
    return execute(table, sql, pending, header, trailer, format);
}

Expected<void> PostgresDestination::begin() {
    return query("BEGIN", QStringLiteral("starting a transaction"));
}

Expected<void> PostgresDestination::commit() {
    // COMMIT of a transaction the server has aborted succeeds as a ROLLBACK: check which it was.
    if (!m_pg)
        return makeError(QStringLiteral("%1: committing: not connected").arg(where()));
    PGresult* result = PQexec(m_pg, "COMMIT");
    const bool ok =
        result && PQresultStatus(result) == PGRES_COMMAND_OK && qstrcmp(PQcmdStatus(result), "COMMIT") == 0;
    Failure failure;
    if (!ok) {
        if (result && PQresultErrorField(result, PG_DIAG_SQLSTATE))
            failure.sqlState = PQresultErrorField(result, PG_DIAG_SQLSTATE);
        failure.message = result && PQresultStatus(result) == PGRES_COMMAND_OK
                              ? QStringLiteral("the server rolled the transaction back")
                              : QString::fromUtf8(PQerrorMessage(m_pg)).trimmed();
        if (PQstatus(m_pg) == CONNECTION_BAD)
            failure.sqlState.clear();
        if (failure.sqlState == "40001" || failure.sqlState == "40P01")
            m_conflict = true; // inTransaction runs the transaction again
    }
    if (result)
        PQclear(result);
    m_stagesDirty.clear();
    m_copiedParents.clear();
    if (!ok) {
        m_stages.clear(); // created in the transaction the server undid
        return serverError(QStringLiteral("committing"), failure);
    }
    return {};
}

void PostgresDestination::rollback() {
    // Staging tables created in the transaction go with it.
    m_stages.clear();
    m_stagesDirty.clear();
    m_copiedParents.clear();
    // Harmless when the connection is gone: the server drops the transaction with it.
    if (!m_pg || PQstatus(m_pg) == CONNECTION_BAD)
        return;
    PGresult* result = PQexec(m_pg, "ROLLBACK");
    if (!result || PQresultStatus(result) != PGRES_COMMAND_OK)
        qCWarning(lcDestination) << m_config.name << "rollback failed:" << PQerrorMessage(m_pg);
    if (result)
        PQclear(result);
}

} // namespace ors
