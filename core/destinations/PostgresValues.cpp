// Values of PostgresDestination rows as SQL text: escaped by libpq, checked against their column
// first so that nothing is rounded, cut or reinterpreted (PostgreSQL itself rounds numeric(p,s)
// and cuts trailing spaces beyond varchar(n) without a word, and reads 'yesterday' as a time).
#include "destinations/PostgresDestination.h"

#include "logging/Redactor.h"
#include "util/DecimalText.h"

#include <libpq-fe.h>

#include <charconv>
#include <cmath>

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

// A decimal number in plain digits that the column holds exactly, or an empty array and the
// reason. Exponents are expanded; digits the column would round away are refused.
QByteArray plainDecimal(const QByteArray& text, const std::optional<PostgresDecimalShape>& shape,
                        QString* reason) {
    DecimalText::Problem problem = DecimalText::Problem::NotANumber;
    const std::optional<DecimalText> parsed = DecimalText::parse(text, 1000, &problem);
    if (!parsed) {
        *reason = problem == DecimalText::Problem::BadExponent
                      ? QStringLiteral("is not a number PostgreSQL can hold")
                      : QStringLiteral("is not a number");
        return {};
    }
    const QByteArray& whole = parsed->whole;
    QByteArray fraction = parsed->fraction;
    if (shape) {
        const qsizetype significant = parsed->significantFractionDigits();
        if (significant > shape->scale) {
            *reason = QStringLiteral("has %1 digits after the point, numeric(%2,%3) would round it")
                          .arg(significant)
                          .arg(shape->precision)
                          .arg(shape->scale);
            return {};
        }
        const qsizetype wholeDigits = whole == "0" ? 0 : whole.size();
        if (wholeDigits > shape->precision - shape->scale) {
            *reason = QStringLiteral("has %1 digits before the point, more than numeric(%2,%3) holds")
                          .arg(wholeDigits)
                          .arg(shape->precision)
                          .arg(shape->scale);
            return {};
        }
        fraction.truncate(
            std::max<qsizetype>(significant, std::min<qsizetype>(fraction.size(), shape->scale)));
    }
    QByteArray out;
    if (parsed->negative)
        out += '-';
    out += whole;
    if (!fraction.isEmpty())
        out += '.' + fraction;
    return out;
}

QString shortened(const QByteArray& value) {
    const QString text = QString::fromUtf8(value.left(80));
    return value.size() > 80 ? text + QStringLiteral("…") : text;
}

// "2024-05-01T10:00:00.123Z": digits and separators in the places PageReader puts them.
bool isStoredTimestamp(const QByteArray& text) {
    static constexpr char kShape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (text.size() != qsizetype(sizeof kShape - 1))
        return false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char expected = kShape[i];
        if (expected == 'd' ? (text[i] < '0' || text[i] > '9') : text[i] != expected)
            return false;
    }
    return true;
}

// Characters as PostgreSQL counts them for varchar(n): code points of the UTF-8 text.
qsizetype characters(const QByteArray& utf8) {
    qsizetype count = 0;
    for (const char c : utf8)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++count;
    return count;
}

void appendNumber(QByteArray& out, qint64 value) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr - buffer);
}

} // namespace

QString PostgresDestination::keyText(const TablePlan& table, const Row& row) {
    QStringList parts;
    for (const QString& key : table.primaryKey) {
        const Cell& cell = row.at(table.columnIndex(key));
        const QString value =
            cell.type == Cell::Type::Integer ? QString::number(cell.integer) : QString::fromUtf8(cell.text);
        parts.append(QStringLiteral("%1=\"%2\"").arg(key, value));
    }
    return parts.join(QStringLiteral(", "));
}

// Appends one row's "(v1,v2,...)"; on a value the column cannot hold exactly, returns the reason.
Expected<void> PostgresDestination::appendRow(QByteArray& sql, const TablePlan& table,
                                              const QList<ColumnWriter>& writers, const Row& row) const {
    sql += '(';
    for (int i = 0; i < row.size(); ++i) {
        if (i > 0)
            sql += ',';
        const Cell& cell = row.at(i);
        const ColumnWriter& writer = writers.at(i);
        const auto refuse = [&](const QString& reason) {
            return makeError(Redactor::redact(
                QStringLiteral("%1: %2 record %3, column %4: the value \"%5\" %6 (column type %7)")
                    .arg(where(), table.table, keyText(table, row), table.columns.at(i).name,
                         cell.type == Cell::Type::Text ? shortened(cell.text) : QString(), reason,
                         writer.sqlType)));
        };
        switch (cell.type) {
        case Cell::Type::Null:
            sql += "NULL";
            continue;
        case Cell::Type::Integer:
            switch (writer.kind) {
            case ValueKind::Boolean:
                if (cell.integer != 0 && cell.integer != 1)
                    return refuse(QStringLiteral("%1 is not a boolean").arg(cell.integer));
                sql += cell.integer ? "TRUE" : "FALSE";
                continue;
            case ValueKind::Decimal: {
                QString reason;
                if (plainDecimal(QByteArray::number(cell.integer), writer.shape, &reason).isEmpty())
                    return refuse(reason);
                appendNumber(sql, cell.integer);
                continue;
            }
            case ValueKind::Integer:
            case ValueKind::Real:
                appendNumber(sql, cell.integer);
                continue;
            default:
                // An integer key (keys are text) or a number in a text column: its digits as text.
                appendLiteral(sql, QByteArray::number(cell.integer));
                continue;
            }
        case Cell::Type::Real: {
            if (writer.kind == ValueKind::Integer || writer.kind == ValueKind::Decimal ||
                writer.kind == ValueKind::Boolean)
                return refuse(QStringLiteral("is not exact in this column"));
            if (!std::isfinite(cell.real))
                return refuse(QStringLiteral("is not a finite number"));
            // The shortest text that reads back as the same double, quoted: float8's input
            // parses it exactly, where a bare literal would be a numeric first.
            char buffer[32];
            const auto result = std::to_chars(buffer, buffer + sizeof buffer, cell.real);
            appendLiteral(sql, QByteArray(buffer, result.ptr - buffer));
            continue;
        }
        case Cell::Type::Text:
            break;
        }
        const QByteArray& text = cell.text;
        // libpq sends C strings: a NUL would end the statement there. PostgreSQL's text cannot
        // hold one either, so the value is refused rather than cut.
        if (text.contains('\0'))
            return refuse(QStringLiteral("contains a NUL character, which PostgreSQL text cannot hold"));
        switch (writer.kind) {
        case ValueKind::Integer:
            // The server would reject "2.5" here, but a bare text must never reach SQL unchecked.
            if (!DecimalText::isInteger(text.trimmed()))
                return refuse(QStringLiteral("is not an integer"));
            sql += text.trimmed();
            break;
        case ValueKind::Boolean:
            if (text != "true" && text != "false" && text != "1" && text != "0")
                return refuse(QStringLiteral("is not a boolean"));
            sql += text == "true" || text == "1" ? "TRUE" : "FALSE";
            break;
        case ValueKind::Decimal: {
            QString reason;
            const QByteArray plain = plainDecimal(text, writer.shape, &reason);
            if (plain.isEmpty())
                return refuse(reason);
            sql += plain;
            break;
        }
        case ValueKind::Timestamp:
            // The stored contract "2024-05-01T10:00:00.123Z" is what timestamptz reads as that
            // instant. Anything else is refused: PostgreSQL would take 'now' or 'yesterday'.
            if (!isStoredTimestamp(text))
                return refuse(QStringLiteral("is not a UTC timestamp of the stored form"));
            appendLiteral(sql, text);
            break;
        case ValueKind::Text:
            if (writer.maxChars > 0) {
                const qsizetype length = characters(text);
                if (length > writer.maxChars)
                    return refuse(
                        QStringLiteral("is %1 characters long, more than the column holds").arg(length));
            }
            appendLiteral(sql, text);
            break;
        case ValueKind::Real:
        case ValueKind::Json:
            appendLiteral(sql, text);
            break;
        }
    }
    sql += ')';
    return {};
}

QList<PostgresDestination::ColumnWriter> PostgresDestination::writersFor(const TablePlan& table,
                                                                         const TableInfo& info) const {
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
        const auto it = info.columns.constFind(column.name);
        if (it != info.columns.constEnd()) {
            if (it->typeName == u"numeric") {
                writer.kind = ValueKind::Decimal;
                writer.shape = it->decimal;
                writer.sqlType =
                    it->decimal
                        ? QStringLiteral("numeric(%1,%2)").arg(it->decimal->precision).arg(it->decimal->scale)
                        : QStringLiteral("numeric");
            } else if (it->typeName == u"varchar") {
                writer.maxChars = it->varcharChars;
                writer.sqlType = it->varcharChars > 0 ? QStringLiteral("varchar(%1)").arg(it->varcharChars)
                                                      : QStringLiteral("varchar");
            } else if (it->typeName == u"text") {
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

void PostgresDestination::appendLiteral(QByteArray& out, const QByteArray& text) const {
    out += '\'';
    appendEscaped(out, text);
    out += '\'';
}

} // namespace ors
