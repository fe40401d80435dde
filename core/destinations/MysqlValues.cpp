// Values of MysqlDestination rows as SQL text: escaped as the client library does, decimals checked
// against the column as it exists, UTC timestamps in DATETIME form.
#include "destinations/MysqlDestination.h"

#include "destinations/MysqlEscape.h"

#include <mysql.h>

namespace ors {

namespace {

using ValueKind = SqlTextDestination::ValueKind;

ValueKind kindOf(ColumnStorage storage) {
    switch (storage) {
    case ColumnStorage::Integer:
    case ColumnStorage::Boolean:
        return ValueKind::Integer;
    case ColumnStorage::Decimal:
        return ValueKind::Decimal;
    case ColumnStorage::Real:
        return ValueKind::Real;
    case ColumnStorage::Timestamp:
        return ValueKind::Timestamp;
    default:
        return ValueKind::Text;
    }
}

} // namespace

std::optional<QString> MysqlDestination::appendTimestamp(QByteArray& out, const QByteArray& text) const {
    // The stored contract "2024-05-01T10:00:00.123Z" is UTC: DATETIME(3) takes it without the T
    // and the Z. Only a value of exactly that shape is rewritten, and even that is escaped like
    // any text: a value from a server never reaches SQL unescaped. Anything else goes escaped as
    // sent, and strict mode names it if it is no time.
    if (isStoredTimestamp(text)) {
        QByteArray datetime = text.left(23);
        datetime[10] = ' ';
        appendLiteral(out, datetime);
    } else {
        appendLiteral(out, text);
    }
    return std::nullopt;
}

QList<SqlTextDestination::ColumnWriter> MysqlDestination::writersFor(const TablePlan& table,
                                                                     const TableShape& shape) const {
    const QList<MysqlColumnType> types = columnTypes(table);
    QList<ColumnWriter> writers;
    for (int i = 0; i < table.columns.size(); ++i) {
        const ColumnPlan& column = table.columns.at(i);
        ColumnWriter writer;
        writer.kind = kindOf(column.storage);
        writer.sqlType = types.at(i).sql;
        writer.shape = mysqlDecimalShape(column.field);
        const ColumnShape* existing = shape.find(column.name);
        if (existing && existing->type == u"decimal" && existing->decimal) {
            // The column as it is, which may predate the current metadata.
            writer.kind = ValueKind::Decimal;
            writer.shape = existing->decimal;
            writer.sqlType = QStringLiteral("DECIMAL(%1,%2)")
                                 .arg(existing->decimal->precision)
                                 .arg(existing->decimal->scale);
        }
        writers.append(writer);
    }
    return writers;
}

void MysqlDestination::appendEscaped(QByteArray& out, const QByteArray& text) const {
    // connectSession chose utf8mb4 and a sql_mode without NO_BACKSLASH_ESCAPES.
    if (appendMysqlEscapedUtf8(out, text))
        return;
    const qsizetype old = out.size();
    const qsizetype need = old + 2 * text.size() + 1;
    if (need > out.capacity())
        out.reserve(std::max(need, 2 * out.capacity()));
    out.resize(need);
    const unsigned long written = mysql_real_escape_string(m_mysql, out.data() + old, text.constData(),
                                                           static_cast<unsigned long>(text.size()));
    out.resize(old + qsizetype(written));
}

} // namespace ors
