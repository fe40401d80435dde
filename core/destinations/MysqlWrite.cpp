// Writing of MysqlDestination: multi-row upserts cut to the statement limit, owned children
// replaced, errors mapped back to the record and column that caused them.
#include "destinations/MysqlDestination.h"

#include "logging/LogCategories.h"
#include "logging/Redactor.h"

#include <QRegularExpression>

#include <mysql.h>
#include <mysqld_error.h>

namespace ors {

Error MysqlDestination::statementError(const TablePlan& table, const Row* row, unsigned code,
                                       const QString& message) const {
    QString text = QStringLiteral("%1: writing %2").arg(where(), table.table);
    if (row)
        text += QStringLiteral(" record ") + keyText(table, *row);
    // "Data too long for column 'X' at row 2", "Incorrect integer value: 'x' for column `db`.`T`.`X` at row
    // 1"
    const qsizetype at = message.indexOf(QStringLiteral("column "));
    if (at >= 0) {
        QString column = message.mid(at + 7);
        column.truncate(column.indexOf(QStringLiteral(" at row")) >= 0
                            ? column.indexOf(QStringLiteral(" at row"))
                            : column.size());
        column = column.split(QLatin1Char('.')).last();
        column.remove(QLatin1Char('`'));
        column.remove(QLatin1Char('\''));
        if (!column.isEmpty())
            text += QStringLiteral(", column ") + column;
    }
    text += QStringLiteral(" failed: %1 (MySQL error %2)").arg(message).arg(code);
    if (code == ER_DATA_TOO_LONG && row && at >= 0) {
        // The server names the column; how long the value was is for the person who fixes it.
        QString column = message.mid(at + 7).section(QLatin1Char('\''), 1, 1);
        const int index = table.columnIndex(column) >= 0 ? table.columnIndex(column) : -1;
        if (index >= 0 && row->at(index).type == Cell::Type::Text)
            text += QStringLiteral("; the value is %1 characters (%2 bytes) long")
                        .arg(QString::fromUtf8(row->at(index).text).toUcs4().size())
                        .arg(row->at(index).text.size());
    }
    if (connectionLost(code))
        text += QStringLiteral("; the connection to %1:%2 was lost").arg(m_config.host).arg(m_config.port);
    if (code == ER_TOO_BIG_ROWSIZE || code == 139)
        text +=
            QStringLiteral("; the record does not fit one InnoDB row: lower the destination's overflowBudget "
                           "(%1 bytes now) or name fields in overflowFields, so that more of them go to the "
                           "JSON column _overflow, or limit the fields with \"select\"")
                .arg(overflowBudget());
    return makeError(Redactor::redact(text));
}

// Errors that one row's values cause, and that leave the session and transaction usable.
bool MysqlDestination::rowLevel(unsigned code) {
    switch (code) {
    case ER_BAD_NULL_ERROR:
    case ER_TOO_BIG_ROWSIZE:
    case 139: // InnoDB: row too big
    case ER_WARN_NULL_TO_NOTNULL:
    case ER_WARN_DATA_OUT_OF_RANGE:
    case WARN_DATA_TRUNCATED:
    case ER_TRUNCATED_WRONG_VALUE:
    case ER_INVALID_CHARACTER_STRING:
    case ER_DIVISION_BY_ZERO:
    case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD:
    case ER_DATA_TOO_LONG:
    case ER_WRONG_VALUE_FOR_TYPE:
    case ER_CANT_CREATE_GEOMETRY_OBJECT:
    case ER_WRONG_VALUE:
    case ER_CONSTRAINT_FAILED:
        return true;
    default:
        return false;
    }
}

// statementError, and when one row's values caused it, that row remembered for applyRejecting.
Error MysqlDestination::rowError(const TablePlan& table, const Row* row, unsigned code,
                                 const QString& message) {
    if (row && rowLevel(code))
        m_rowFault = RowFault{table.table, *row};
    return statementError(table, row, code, message);
}

// Runs one statement of `rows`; a failure is mapped back to the record and column that caused it.
Expected<void> MysqlDestination::execute(const TablePlan& table, const QByteArray& sql,
                                         const QList<const Row*>& rows, const QByteArray& header,
                                         const QByteArray& trailer, const RowFormat& format) {
    ++m_statementsSent;
    m_largestStatement = std::max(m_largestStatement, sql.size());
    if (mysql_real_query(m_mysql, sql.constData(), static_cast<unsigned long>(sql.size())) == 0) {
        if (MYSQL_RES* result = mysql_store_result(m_mysql))
            mysql_free_result(result);
        if (mysql_warning_count(m_mysql) == 0)
            return {};
        // Strict mode turns what would change a value into an error; what is left as a warning
        // (a rounded decimal, a truncated value) is refused all the same.
        if (mysql_real_query(m_mysql, "SHOW WARNINGS", 13) != 0)
            return serverError(QStringLiteral("reading warnings"));
        MYSQL_RES* result = mysql_store_result(m_mysql);
        std::optional<Error> failure;
        while (MYSQL_ROW warning = result ? mysql_fetch_row(result) : nullptr) {
            const QByteArray level = warning[0];
            const unsigned code = QByteArray(warning[1]).toUInt();
            const QString message = QString::fromUtf8(warning[2]);
            if (code == ER_WARN_DEPRECATED_SYNTAX || (level == "Note" && code != WARN_DATA_TRUNCATED))
                continue;
            static const QRegularExpression rowNumber(QStringLiteral("at row (\\d+)"));
            const auto match = rowNumber.match(message);
            const int index = match.hasMatch() ? match.captured(1).toInt() - 1 : -1;
            failure =
                rowError(table, index >= 0 && index < rows.size() ? rows.at(index) : nullptr, code, message);
            break;
        }
        if (result)
            mysql_free_result(result);
        if (failure)
            return *failure;
        return {};
    }
    const unsigned code = mysql_errno(m_mysql);
    const QString message = QString::fromUtf8(mysql_error(m_mysql));
    if (code == ER_LOCK_DEADLOCK || code == ER_LOCK_WAIT_TIMEOUT)
        m_conflict = true; // inTransaction runs the page again
    static const QRegularExpression rowNumber(QStringLiteral("at row (\\d+)"));
    if (const auto match = rowNumber.match(message); match.hasMatch()) {
        const int index = match.captured(1).toInt() - 1;
        return rowError(table, index >= 0 && index < rows.size() ? rows.at(index) : nullptr, code, message);
    }
    if (rows.size() > 1 && !transactionLost(code)) {
        // The server did not say which row (e.g. a row too large for InnoDB): only this statement
        // was undone, so its rows are tried one at a time to name the record.
        for (const Row* row : rows) {
            QByteArray single = header;
            if (!appendRow(single, table, format, *row))
                continue;
            single += trailer;
            if (auto r = execute(table, single, {row}, header, trailer, format); !r)
                return r;
        }
    }
    return rowError(table, rows.size() == 1 ? rows.first() : nullptr, code, message);
}

Expected<void> MysqlDestination::upsertRows(const TablePlan& table, const TableRows& rows) {
    if (rows.rows.isEmpty())
        return {};
    auto shape = tableShape(table);
    if (!shape)
        return shape.error();
    const RowFormat format = rowFormat(table, **shape);
    const QByteArrayList columns = columnNames(table, format);
    QByteArrayList keys;
    for (const QString& key : table.primaryKey)
        keys.append(quote(key));

    const QByteArray header = "INSERT INTO " + quote(table.table) + " (" + columns.join(',') + ") VALUES ";
    QByteArray trailer = " ON DUPLICATE KEY UPDATE ";
    bool anyUpdate = false;
    for (const QByteArray& column : columns) {
        if (keys.contains(column))
            continue;
        if (anyUpdate)
            trailer += ',';
        trailer += column + "=VALUES(" + column + ')';
        anyUpdate = true;
    }
    if (!anyUpdate) {
        const QByteArray key = quote(table.primaryKey.first());
        trailer += key + '=' + key;
    }

    // LOAD DATA … REPLACE is the upsert only when it names every column of the table, and the
    // table has no other unique keys, references or triggers (replaceIsUpsert).
    bool load = m_loadData && columns.size() == (*shape)->columns.size();
    if (load) {
        auto upsert = replaceIsUpsert(table.table);
        if (!upsert)
            return upsert.error();
        load = *upsert;
    }
    if (load) {
        QList<const Row*> all;
        all.reserve(rows.rows.size());
        for (const Row& row : rows.rows)
            all.append(&row);
        auto loaded = loadRows(table, format, columns, all);
        if (!loaded)
            return loaded.error();
        if (*loaded)
            return {};
    }

    QByteArray sql;
    sql.reserve(m_statementLimit + 64 * 1024);
    sql = header;
    QList<const Row*> pending;
    for (const Row& row : rows.rows) {
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
    if (sql.size() + trailer.size() > m_maxPacket - 1024) {
        m_rowFault = RowFault{table.table, *pending.last()};
        return makeError(QStringLiteral("%1: writing %2 record %3 needs a statement of %4 bytes, more than "
                                        "the server's max_allowed_packet (%5) allows; raise it or limit the "
                                        "fields with \"select\"")
                             .arg(where(), table.table, keyText(table, *pending.last()))
                             .arg(sql.size() + trailer.size())
                             .arg(m_maxPacket));
    }
    sql += trailer;
    return execute(table, sql, pending, header, trailer, format);
}

Expected<void> MysqlDestination::begin() {
    return query("START TRANSACTION", QStringLiteral("starting a transaction"));
}

Expected<void> MysqlDestination::commit() {
    return query("COMMIT", QStringLiteral("committing"));
}

void MysqlDestination::rollback() {
    // Harmless when the connection is gone: the server drops the transaction with it.
    if (mysql_real_query(m_mysql, "ROLLBACK", 8) != 0)
        qCWarning(lcDestination) << m_config.name << "rollback failed:" << mysql_error(m_mysql);
}

} // namespace ors
