// Values of MysqlDestination rows as SQL text: escaped by the client library, decimals checked
// against their column so that nothing is rounded, UTC timestamps in DATETIME form.
#include "destinations/MysqlDestination.h"

#include "logging/Redactor.h"
#include "util/DecimalText.h"

#include <mysql.h>

#include <charconv>
#include <cmath>

namespace ors {

namespace {

using ValueKind = MysqlDestination::ValueKind;

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

// A decimal number in plain digits that DECIMAL(precision, scale) holds exactly, or an empty
// array and the reason. Exponents are expanded; digits the column would round away are refused.
QByteArray plainDecimal(const QByteArray& text, MysqlDecimalShape shape, QString* reason) {
    DecimalText::Problem problem = DecimalText::Problem::NotANumber;
    const std::optional<DecimalText> parsed = DecimalText::parse(text, 100, &problem);
    if (!parsed) {
        *reason = problem == DecimalText::Problem::BadExponent
                      ? QStringLiteral("is not a number MySQL can hold")
                      : QStringLiteral("is not a number");
        return {};
    }
    const bool negative = parsed->negative;
    const QByteArray& whole = parsed->whole;
    QByteArray fraction = parsed->fraction;
    qsizetype significant = fraction.size();
    while (significant > 0 && fraction[significant - 1] == '0')
        --significant;
    if (significant > shape.scale) {
        *reason = QStringLiteral("has %1 digits after the point, DECIMAL(%2,%3) would round it")
                      .arg(significant)
                      .arg(shape.precision)
                      .arg(shape.scale);
        return {};
    }
    const qsizetype wholeDigits = whole == "0" ? 0 : whole.size();
    if (wholeDigits > shape.precision - shape.scale) {
        *reason = QStringLiteral("has %1 digits before the point, more than DECIMAL(%2,%3) holds")
                      .arg(wholeDigits)
                      .arg(shape.precision)
                      .arg(shape.scale);
        return {};
    }
    fraction.truncate(std::max<qsizetype>(significant, std::min<qsizetype>(fraction.size(), shape.scale)));
    QByteArray out;
    if (negative)
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

void appendNumber(QByteArray& out, qint64 value) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr - buffer);
}

void appendNumber(QByteArray& out, double value) {
    // The shortest text that reads back as the same double.
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr - buffer);
}
} // namespace

QString MysqlDestination::keyText(const TablePlan& table, const Row& row) {
    QStringList parts;
    for (const QString& key : table.primaryKey) {
        const int index = table.columnIndex(key);
        const Cell& cell = row.at(index);
        const QString value =
            cell.type == Cell::Type::Integer ? QString::number(cell.integer) : QString::fromUtf8(cell.text);
        parts.append(QStringLiteral("%1=\"%2\"").arg(key, value));
    }
    return parts.join(QStringLiteral(", "));
}

// Appends one row's "(v1,v2,...)"; on a value the column cannot hold exactly, returns the reason.
Expected<void> MysqlDestination::appendRow(QByteArray& sql, const TablePlan& table,
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
            if (writer.kind == ValueKind::Decimal) {
                QString reason;
                const QByteArray plain =
                    plainDecimal(QByteArray::number(cell.integer), writer.shape, &reason);
                if (plain.isEmpty())
                    return refuse(reason);
            }
            appendNumber(sql, cell.integer);
            continue;
        case Cell::Type::Real:
            if (writer.kind == ValueKind::Integer || writer.kind == ValueKind::Decimal)
                return refuse(QStringLiteral("is not exact in this column"));
            if (!std::isfinite(cell.real))
                return refuse(QStringLiteral("is not a finite number"));
            appendNumber(sql, cell.real);
            continue;
        case Cell::Type::Text:
            break;
        }
        const QByteArray& text = cell.text;
        switch (writer.kind) {
        case ValueKind::Integer:
            // The server would round "2.5" into an integer column without complaint.
            if (!DecimalText::isInteger(text.trimmed()))
                return refuse(QStringLiteral("is not an integer"));
            sql += text.trimmed();
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
            // The stored contract "2024-05-01T10:00:00.123Z" is UTC: DATETIME(3) takes it without
            // the T and the Z. Only a value of exactly that shape is rewritten, and even that is
            // escaped like any text: a value from a server never reaches SQL unescaped. Anything
            // else goes escaped as sent, and strict mode names it if it is no time.
            if (isStoredTimestamp(text)) {
                QByteArray datetime = text.left(23);
                datetime[10] = ' ';
                sql += '\'';
                appendEscaped(sql, datetime.constData(), datetime.size());
                sql += '\'';
                break;
            }
            [[fallthrough]];
        case ValueKind::Real:
        case ValueKind::Text:
            sql += '\'';
            appendEscaped(sql, text.constData(), text.size());
            sql += '\'';
            break;
        }
    }
    sql += ')';
    return {};
}

QList<MysqlDestination::ColumnWriter> MysqlDestination::writersFor(const TablePlan& table,
                                                                   const TableInfo& info) const {
    const QList<MysqlColumnType> types = columnTypes(table);
    QList<ColumnWriter> writers;
    for (int i = 0; i < table.columns.size(); ++i) {
        const ColumnPlan& column = table.columns.at(i);
        ColumnWriter writer;
        writer.kind = kindOf(column.storage);
        writer.sqlType = types.at(i).sql;
        const MysqlColumnInfo existing = info.columns.value(column.name.toLower());
        if (existing.dataType == u"decimal") {
            // The column as it is, which may predate the current metadata.
            writer.kind = ValueKind::Decimal;
            writer.shape = {existing.precision, existing.scale};
            writer.sqlType = QStringLiteral("DECIMAL(%1,%2)").arg(existing.precision).arg(existing.scale);
        } else {
            writer.shape = mysqlDecimalShape(column.field);
        }
        writers.append(writer);
    }
    return writers;
}

void MysqlDestination::appendEscaped(QByteArray& out, const char* data, qsizetype size) const {
    const qsizetype old = out.size();
    const qsizetype need = old + 2 * size + 1;
    if (need > out.capacity())
        out.reserve(std::max(need, 2 * out.capacity()));
    out.resize(need);
    const unsigned long written =
        mysql_real_escape_string(m_mysql, out.data() + old, data, static_cast<unsigned long>(size));
    out.resize(old + qsizetype(written));
}

} // namespace ors
