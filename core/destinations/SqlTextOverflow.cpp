// A row's fields in _overflow, as one JSON object: numbers as JSON numbers (decimals with exactly
// their digits), booleans as true/false, timestamps and text as strings, collections and complex
// values as the JSON they are. Each value is checked as its column would check it; null values
// are left out.
#include "destinations/OverflowPlacement.h"
#include "destinations/SqlTextDestination.h"

#include "logging/Redactor.h"
#include "util/DecimalText.h"

#include <QScopeGuard>

#include <cmath>

namespace ors {

namespace {

using ValueKind = SqlTextDestination::ValueKind;

void appendJsonString(QByteArray& out, const QByteArray& utf8) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (u < 0x20) {
                out += "\\u00";
                out += kHex[u >> 4];
                out += kHex[u & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

} // namespace

SqlTextDestination::RowFormat SqlTextDestination::rowFormat(const TablePlan& table,
                                                            const TableShape& shape) const {
    RowFormat format;
    format.writers = writersFor(table, shape);
    for (int i = 0; i < table.columns.size(); ++i) {
        // A column the table lacks that is not in _overflow either stays in the statement: the
        // server then names it.
        if (shape.inOverflow(table.columns.at(i).name)) {
            format.overflow.append(i);
            format.writers[i].sqlType = QStringLiteral("JSON in %1").arg(OverflowPlacement::column());
        } else {
            format.columns.append(i);
        }
    }
    return format;
}

QByteArrayList SqlTextDestination::columnNames(const TablePlan& table, const RowFormat& format) const {
    QByteArrayList names;
    for (int i : format.columns)
        names.append(quoteIdentifier(table.columns.at(i).name));
    if (!format.overflow.isEmpty())
        names.append(quoteIdentifier(OverflowPlacement::column()));
    return names;
}

std::optional<QString> SqlTextDestination::appendJsonValue(QByteArray& json, const ColumnWriter& writer,
                                                           ColumnStorage storage, const Cell& cell) const {
    switch (cell.type) {
    case Cell::Type::Null:
        return std::nullopt;
    case Cell::Type::Integer:
        switch (writer.kind) {
        case ValueKind::Boolean:
            return appendBoolean(json, cell, true);
        case ValueKind::Integer:
        case ValueKind::Decimal:
        case ValueKind::Real: {
            QByteArray checked;
            if (auto reason = appendValue(checked, writer, cell))
                return reason;
            json += QByteArray::number(cell.integer);
            return std::nullopt;
        }
        default:
            appendJsonString(json, QByteArray::number(cell.integer));
            return std::nullopt;
        }
    case Cell::Type::Real:
        if (auto refusal = realRefusal(writer, cell.real))
            return refusal;
        json += shortestReal(cell.real);
        return std::nullopt;
    case Cell::Type::Text:
        break;
    }
    const QByteArray& text = cell.text;
    if (auto refusal = nulRefusal(text))
        return refusal;
    switch (writer.kind) {
    case ValueKind::Integer: {
        bool ok = false;
        const qint64 number = text.trimmed().toLongLong(&ok);
        if (!ok || !DecimalText::isInteger(text.trimmed()))
            return QStringLiteral("is not an integer of 64 bits");
        json += QByteArray::number(number);
        return std::nullopt;
    }
    case ValueKind::Boolean:
        return appendBoolean(json, cell, true);
    case ValueKind::Decimal: {
        // appendValue checks the digits against the field's Precision and Scale and writes them
        // plain (no exponent): a JSON number with exactly the digits sent.
        QByteArray plain;
        if (auto reason = appendValue(plain, writer, cell))
            return reason;
        json += plain;
        return std::nullopt;
    }
    case ValueKind::Real: {
        bool ok = false;
        const double number = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(number))
            return QStringLiteral("is not a number");
        json += shortestReal(number);
        return std::nullopt;
    }
    case ValueKind::Timestamp:
        if (!isStoredTimestamp(text))
            return QStringLiteral("is not a UTC timestamp of the stored form");
        appendJsonString(json, text);
        return std::nullopt;
    case ValueKind::Json:
    case ValueKind::Text:
        // Collections and complex values are the JSON the server sent (PageReader kept it whole).
        if (storage == ColumnStorage::Json)
            json += text;
        else
            appendJsonString(json, text);
        return std::nullopt;
    }
    return std::nullopt;
}

Expected<void> SqlTextDestination::appendRow(QByteArray& sql, const TablePlan& table, const RowFormat& format,
                                             const Row& row, RowSyntax syntax) const {
    const bool copy = syntax != RowSyntax::Values;
    const char separator = copy ? '\t' : ',';
    m_rowSyntax = syntax;
    const auto restore = qScopeGuard([this] { m_rowSyntax = RowSyntax::Values; });
    if (!copy)
        sql += '(';
    const auto refuse = [&](int i, const QString& reason) {
        const Cell& cell = row.at(i);
        return makeError(Redactor::redact(
            QStringLiteral("%1: %2 record %3, column %4: the value \"%5\" %6 (column type %7)")
                .arg(where(), table.table, keyText(table, row), table.columns.at(i).name,
                     cell.type == Cell::Type::Text ? shortened(cell.text) : QString(), reason,
                     format.writers.at(i).sqlType)));
    };
    bool first = true;
    for (int i : format.columns) {
        if (!first)
            sql += separator;
        first = false;
        if (const std::optional<QString> reason = appendValue(sql, format.writers.at(i), row.at(i)))
            return refuse(i, *reason);
    }
    if (!format.overflow.isEmpty()) {
        QByteArray json = "{";
        for (int i : format.overflow) {
            if (row.at(i).type == Cell::Type::Null)
                continue;
            const qsizetype mark = json.size();
            if (json.size() > 1)
                json += ',';
            appendJsonString(json, table.columns.at(i).name.toUtf8());
            json += ':';
            if (const auto reason =
                    appendJsonValue(json, format.writers.at(i), table.columns.at(i).storage, row.at(i)))
                return refuse(i, *reason);
            if (json.size() == mark)
                json.truncate(mark);
        }
        json += '}';
        if (!first)
            sql += separator;
        if (json.size() == 2)
            sql += copy ? "\\N" : "NULL";
        else
            appendLiteral(sql, json);
    }
    sql += copy ? '\n' : ')';
    return {};
}

} // namespace ors
