// Values of PostgresDestination rows as SQL text: escaped by libpq, and the writers that check them
// against their column first (PostgreSQL itself rounds numeric(p,s) and cuts trailing spaces
// beyond varchar(n) without a word, and reads 'yesterday' as a time).
#include "destinations/PostgresDestination.h"

#include <libpq-fe.h>

namespace ors {

namespace {

using ValueKind = PostgresDestination::ValueKind;

ValueKind kindOf(ColumnStorage storage) {
    switch (storage) {
    case ColumnStorage::Integer:
        return ValueKind::Integer;
    case ColumnStorage::Boolean:
        return ValueKind::Boolean;
    case ColumnStorage::Decimal:
        return ValueKind::Decimal;
    case ColumnStorage::Real:
        return ValueKind::Real;
    case ColumnStorage::Timestamp:
        return ValueKind::Timestamp;
    case ColumnStorage::Json:
        return ValueKind::Json;
    default:
        return ValueKind::Text;
    }
}

} // namespace

void PostgresDestination::appendReal(QByteArray& out, const QByteArray& shortest) const {
    // Quoted: float8's input parses it exactly, where a bare literal would be a numeric first.
    appendLiteral(out, shortest);
}

std::optional<QString> PostgresDestination::appendTimestamp(QByteArray& out, const QByteArray& text) const {
    // The stored contract "2024-05-01T10:00:00.123Z" is what timestamptz reads as that instant.
    // Anything else is refused: PostgreSQL would take 'now' or 'yesterday'.
    if (!isStoredTimestamp(text))
        return QStringLiteral("is not a UTC timestamp of the stored form");
    appendLiteral(out, text);
    return std::nullopt;
}

QList<SqlTextDestination::ColumnWriter> PostgresDestination::writersFor(const TablePlan& table,
                                                                        const TableShape& shape) const {
    const QList<PostgresColumnType> types = columnTypes(table);
    QList<ColumnWriter> writers;
    for (int i = 0; i < table.columns.size(); ++i) {
        const ColumnPlan& column = table.columns.at(i);
        ColumnWriter writer;
        writer.kind = kindOf(column.storage);
        writer.sqlType = types.at(i).sql;
        writer.shape = postgresDecimalShape(column.field);
        writer.maxChars = types.at(i).varcharChars;
        // The column as it is, which may predate the current metadata.
        if (const ColumnShape* it = shape.find(column.name)) {
            if (it->type == u"numeric") {
                writer.kind = ValueKind::Decimal;
                writer.shape = it->decimal;
                writer.sqlType =
                    it->decimal
                        ? QStringLiteral("numeric(%1,%2)").arg(it->decimal->precision).arg(it->decimal->scale)
                        : QStringLiteral("numeric");
            } else if (it->type == u"varchar") {
                writer.maxChars = it->chars;
                writer.sqlType =
                    it->chars > 0 ? QStringLiteral("varchar(%1)").arg(it->chars) : QStringLiteral("varchar");
            } else if (it->type == u"text") {
                writer.maxChars = 0;
                writer.sqlType = QStringLiteral("text");
            }
        }
        writers.append(writer);
    }
    return writers;
}

void PostgresDestination::appendEscaped(QByteArray& out, const QByteArray& text) const {
    const qsizetype old = out.size();
    const qsizetype need = old + 2 * text.size() + 1;
    if (need > out.capacity())
        out.reserve(std::max(need, 2 * out.capacity()));
    out.resize(need);
    int error = 0;
    const size_t written =
        PQescapeStringConn(m_pg, out.data() + old, text.constData(), size_t(text.size()), &error);
    // An invalid UTF-8 sequence is escaped as far as it is valid; the server then refuses the
    // statement, so nothing is stored cut.
    out.resize(old + qsizetype(written));
}

} // namespace ors
