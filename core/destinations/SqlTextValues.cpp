// Values of SqlTextDestination rows as SQL text: escaped by the client library, checked against
// their column first so that nothing is rounded, cut or reinterpreted by the server.
#include "destinations/SqlTextDestination.h"

#include "util/DecimalText.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace ors {

namespace {

using ValueKind = SqlTextDestination::ValueKind;

// A decimal number in plain digits that the column holds exactly, or an empty array and the
// reason. Exponents are expanded; digits the column would round away are refused.
QByteArray plainDecimal(const QByteArray& text, const SqlTextDestination::ColumnWriter& writer,
                        int maxExponent, const QString& engine, QString* reason) {
    DecimalText::Problem problem = DecimalText::Problem::NotANumber;
    const std::optional<DecimalText> parsed = DecimalText::parse(text, maxExponent, &problem);
    if (!parsed) {
        *reason = problem == DecimalText::Problem::BadExponent
                      ? QStringLiteral("is not a number %1 can hold").arg(engine)
                      : QStringLiteral("is not a number");
        return {};
    }
    const QByteArray& whole = parsed->whole;
    QByteArray fraction = parsed->fraction;
    if (const std::optional<DecimalShape>& shape = writer.shape) {
        const qsizetype significant = parsed->significantFractionDigits();
        if (significant > shape->scale) {
            *reason = QStringLiteral("has %1 digits after the point, %2 would round it")
                          .arg(significant)
                          .arg(writer.sqlType);
            return {};
        }
        const qsizetype wholeDigits = whole == "0" ? 0 : whole.size();
        if (wholeDigits > shape->precision - shape->scale) {
            *reason = QStringLiteral("has %1 digits before the point, more than %2 holds")
                          .arg(wholeDigits)
                          .arg(writer.sqlType);
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

// Characters as the servers count them for varchar(n): code points of the UTF-8 text.
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

QString SqlTextDestination::shortened(const QByteArray& value) {
    const QString text = QString::fromUtf8(value.left(80));
    return value.size() > 80 ? text + QStringLiteral("…") : text;
}

bool SqlTextDestination::isStoredTimestamp(const QByteArray& text) {
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

QString SqlTextDestination::keyText(const TablePlan& table, const Row& row) {
    QStringList parts;
    for (const QString& key : table.primaryKey) {
        const Cell& cell = row.at(table.columnIndex(key));
        const QString value =
            cell.type == Cell::Type::Integer ? QString::number(cell.integer) : QString::fromUtf8(cell.text);
        parts.append(QStringLiteral("%1=\"%2\"").arg(key, value));
    }
    return parts.join(QStringLiteral(", "));
}

void SqlTextDestination::appendLiteral(QByteArray& out, const QByteArray& text) const {
    if (m_rowSyntax != RowSyntax::Values) {
        // COPY's and LOAD DATA's text format: the value as it is but for the characters that
        // delimit or escape (PostgreSQL's values never hold a NUL: nulRefusal; MariaDB's may,
        // as \0; the server still refuses invalid UTF-8).
        const auto special = [](char c) {
            return c == '\\' || c == '\t' || c == '\n' || c == '\r' || c == '\0';
        };
        const char* begin = text.constBegin();
        const char* const end = text.constEnd();
        for (const char* at = std::find_if(begin, end, special); at != end;
             at = std::find_if(begin, end, special)) {
            out.append(begin, at - begin);
            out += *at == '\\'   ? "\\\\"
                   : *at == '\t' ? "\\t"
                   : *at == '\n' ? "\\n"
                   : *at == '\r' ? "\\r"
                                 : "\\0";
            begin = at + 1;
        }
        out.append(begin, end - begin);
        return;
    }
    out += '\'';
    appendEscaped(out, text);
    out += '\'';
}

std::optional<QString> SqlTextDestination::realRefusal(const ColumnWriter& writer, double value) {
    if (writer.kind == ValueKind::Integer || writer.kind == ValueKind::Decimal ||
        writer.kind == ValueKind::Boolean)
        return QStringLiteral("is not exact in this column");
    if (!std::isfinite(value))
        return QStringLiteral("is not a finite number");
    return std::nullopt;
}

std::optional<QString> SqlTextDestination::appendBoolean(QByteArray& out, const Cell& cell, bool json,
                                                         bool digits) {
    bool value = false;
    if (cell.type == Cell::Type::Integer) {
        if (cell.integer != 0 && cell.integer != 1)
            return QStringLiteral("%1 is not a boolean").arg(cell.integer);
        value = cell.integer == 1;
    } else {
        const QByteArray& text = cell.text;
        if (text != "true" && text != "false" && text != "1" && text != "0")
            return QStringLiteral("is not a boolean");
        value = text == "true" || text == "1";
    }
    if (json)
        out += value ? "true" : "false";
    else if (digits)
        out += value ? '1' : '0'; // LOAD DATA converts like an assignment: TRUE would be text
    else
        out += value ? "TRUE" : "FALSE";
    return std::nullopt;
}

std::optional<QString> SqlTextDestination::nulRefusal(const QByteArray& text) const {
    // libpq sends C strings: a NUL would end the statement there. PostgreSQL's text cannot hold
    // one either, so the value is refused rather than cut.
    if (!textHoldsNul() && text.contains('\0'))
        return QStringLiteral("contains a NUL character, which %1 text cannot hold").arg(engineName());
    return std::nullopt;
}

QByteArray SqlTextDestination::shortestReal(double value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QByteArray(buffer, result.ptr - buffer);
}

SqlTextDestination::Family SqlTextDestination::familyOf(ColumnStorage storage) {
    switch (storage) {
    case ColumnStorage::Text:
    case ColumnStorage::LongText:
        return Family::String;
    case ColumnStorage::Json:
        return Family::Json;
    case ColumnStorage::Integer:
        return Family::Integer;
    case ColumnStorage::Decimal:
        return Family::Decimal;
    case ColumnStorage::Real:
        return Family::Real;
    case ColumnStorage::Boolean:
        return Family::Boolean;
    case ColumnStorage::Date:
        return Family::Date;
    case ColumnStorage::Timestamp:
        return Family::Timestamp;
    }
    return Family::Other;
}

QString SqlTextDestination::typeText(const ColumnShape& column) {
    if (column.chars > 0)
        return QStringLiteral("%1(%2)").arg(column.type).arg(column.chars);
    if (column.decimal)
        return QStringLiteral("%1(%2,%3)")
            .arg(column.type)
            .arg(column.decimal->precision)
            .arg(column.decimal->scale);
    return column.type;
}

// Appends one value; the reason when its column cannot hold it exactly.
std::optional<QString> SqlTextDestination::appendValue(QByteArray& sql, const ColumnWriter& writer,
                                                       const Cell& cell) const {
    switch (cell.type) {
    case Cell::Type::Null:
        sql += m_rowSyntax == RowSyntax::Values ? "NULL" : "\\N";
        return std::nullopt;
    case Cell::Type::Integer:
        switch (writer.kind) {
        case ValueKind::Boolean:
            return appendBoolean(sql, cell, false, m_rowSyntax == RowSyntax::LoadData);
        case ValueKind::Decimal: {
            QString reason;
            if (plainDecimal(QByteArray::number(cell.integer), writer, decimalExponentLimit(), engineName(),
                             &reason)
                    .isEmpty())
                return reason;
            appendNumber(sql, cell.integer);
            return std::nullopt;
        }
        case ValueKind::Integer:
        case ValueKind::Real:
            appendNumber(sql, cell.integer);
            return std::nullopt;
        default:
            // An integer key (keys are text) or a number in a text column: its digits as text.
            appendLiteral(sql, QByteArray::number(cell.integer));
            return std::nullopt;
        }
    case Cell::Type::Real: {
        if (auto refusal = realRefusal(writer, cell.real))
            return refusal;
        appendReal(sql, shortestReal(cell.real));
        return std::nullopt;
    }
    case Cell::Type::Text:
        break;
    }
    const QByteArray& text = cell.text;
    if (auto refusal = nulRefusal(text))
        return refusal;
    switch (writer.kind) {
    case ValueKind::Integer:
        // The server would round "2.5" into an integer column (MySQL) or reject it, but a bare text
        // must never reach SQL unchecked.
        if (!DecimalText::isInteger(text.trimmed()))
            return QStringLiteral("is not an integer");
        sql += text.trimmed();
        return std::nullopt;
    case ValueKind::Boolean:
        return appendBoolean(sql, cell, false, m_rowSyntax == RowSyntax::LoadData);
    case ValueKind::Decimal: {
        QString reason;
        const QByteArray plain = plainDecimal(text, writer, decimalExponentLimit(), engineName(), &reason);
        if (plain.isEmpty())
            return reason;
        sql += plain;
        return std::nullopt;
    }
    case ValueKind::Timestamp:
        return appendTimestamp(sql, text);
    case ValueKind::Text:
        if (writer.maxChars > 0) {
            const qsizetype length = characters(text);
            if (length > writer.maxChars)
                return QStringLiteral("is %1 characters long, more than the column holds").arg(length);
        }
        appendLiteral(sql, text);
        return std::nullopt;
    case ValueKind::Real:
    case ValueKind::Json:
        appendLiteral(sql, text);
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace ors
