// Column types of PostgresDestination: how each field is declared, what it costs in the 8,160-byte
// heap tuple, and which metadata changes widen a column.
#include "destinations/OverflowPlacement.h"
#include "destinations/PostgresDestination.h"

#include <algorithm>
#include <climits>

namespace ors {

namespace {

// Keys stay as narrow as MySQL's (768 characters over a composite key), so that one key is
// accepted or refused alike everywhere; a B-tree entry must also stay under ~2,700 bytes.
constexpr int kMaxIndexChars = 768;
// varchar(n) allows n up to 10,485,760.
constexpr int kMaxVarchar = 10485760;
// A varlena value of up to 24 bytes (MAXALIGN of an 18-byte TOAST pointer) is never moved out of
// the row; a longer one is, once the row is too large, leaving the pointer.
constexpr int kVarlenaInRow = 24;

PostgresColumnType varcharType(int chars, bool byteOrder) {
    return {QStringLiteral("varchar(%1)").arg(chars), chars, byteOrder};
}

} // namespace

std::optional<DecimalShape> postgresDecimalShape(const Field& field) {
    // numeric holds up to 1,000 digits of precision. Without both facets the column is an
    // unconstrained numeric: any value is kept exactly, as sent (PageReader has rounded to a
    // Scale already when there is one).
    constexpr int kMaxPrecision = 1000;
    if (!field.precision || !field.scale)
        return std::nullopt;
    const int scale = std::clamp(*field.scale, 0, kMaxPrecision);
    return DecimalShape{std::clamp(std::max(*field.precision, scale), 1, kMaxPrecision), scale};
}

QList<PostgresColumnType> PostgresDestination::columnTypes(const TablePlan& table) {
    QList<PostgresColumnType> types;
    const int keyCount = int(std::max<qsizetype>(1, table.primaryKey.size()));
    for (const ColumnPlan& column : table.columns) {
        const Field& field = column.field;
        const bool isKey = table.primaryKey.contains(column.name);
        const bool isIndexed = isKey || column.isParentKey || table.indexes.contains(column.name);
        const int maxLength = field.maxLength && *field.maxLength > 0 ? *field.maxLength : 0;
        PostgresColumnType type;
        switch (column.storage) {
        case ColumnStorage::Integer:
            switch (field.kind) {
            case EdmKind::Byte:
            case EdmKind::SByte:
            case EdmKind::Int16:
                type = {QStringLiteral("smallint"), 0, false};
                break;
            case EdmKind::Int32:
                type = {QStringLiteral("integer"), 0, false};
                break;
            default:
                type = {QStringLiteral("bigint"), 0, false};
                break;
            }
            break;
        case ColumnStorage::Decimal: {
            const auto shape = postgresDecimalShape(field);
            type = {shape ? QStringLiteral("numeric(%1,%2)").arg(shape->precision).arg(shape->scale)
                          : QStringLiteral("numeric"),
                    0, false};
            break;
        }
        case ColumnStorage::Real:
            type = {QStringLiteral("double precision"), 0, false};
            break;
        case ColumnStorage::Boolean:
            type = {QStringLiteral("boolean"), 0, false};
            break;
        case ColumnStorage::Date:
            type = {QStringLiteral("date"), 0, false};
            break;
        case ColumnStorage::Timestamp:
            type = {QStringLiteral("timestamptz"), 0, false};
            break;
        case ColumnStorage::Json:
            type = {QStringLiteral("jsonb"), 0, false};
            break;
        case ColumnStorage::Text:
        case ColumnStorage::LongText:
            if (isIndexed) {
                const int cap = isKey ? kMaxIndexChars / keyCount : kMaxIndexChars;
                type = varcharType(std::min(maxLength > 0 ? maxLength : 255, cap), true);
            } else if (column.storage == ColumnStorage::Text) {
                type = varcharType(std::min(maxLength > 0 ? maxLength : 255, kMaxVarchar), false);
            } else if (maxLength > 0 && maxLength <= kMaxVarchar) {
                // Long values are TOASTed out of the row: PostgreSQL has no row-size limit to meet,
                // so a declared MaxLength is kept as the column's limit.
                type = varcharType(maxLength, false);
            } else {
                type = {QStringLiteral("text"), 0, false};
            }
            break;
        }
        types.append(type);
    }
    return types;
}

QByteArray PostgresDestination::columnDefinition(const PostgresColumnType& type) {
    QByteArray sql = type.sql.toUtf8();
    if (type.byteOrder)
        sql += " COLLATE \"C\"";
    return sql;
}

int PostgresDestination::defaultOverflowBudget() const {
    // A heap tuple holds 8,160 bytes: a 24-byte header with the null bitmap (a bit per column)
    // and the values. A budget of 7,900 keeps the worst case of every in-row column within that,
    // measured with bench_rowsize (a record with every in-row column at its widest stores; see
    // docs/user-guide.md for the figures).
    return 7900;
}

namespace {

// The most bytes a value of this type takes in the tuple, alignment padding included.
int widthOf(const QString& type, int varcharChars) {
    if (type == u"boolean" || type == u"bool")
        return 1;
    if (type == u"smallint" || type == u"int2")
        return 3;
    if (type == u"integer" || type == u"int4" || type == u"date" || type == u"real" || type == u"float4")
        return 7;
    if (type == u"bigint" || type == u"int8" || type == u"double precision" || type == u"float8" ||
        type == u"timestamptz" || type == u"timestamp")
        return 15;
    // varlena: short values stay (one length byte), long ones leave a pointer.
    if (varcharChars > 0)
        return std::min(varcharChars * 4 + 1, kVarlenaInRow);
    return kVarlenaInRow;
}

} // namespace

QList<int> PostgresDestination::inRowWidths(const TablePlan& table) const {
    QList<int> widths;
    for (const PostgresColumnType& type : columnTypes(table))
        widths.append(widthOf(type.sql.section(QLatin1Char('('), 0, 0), type.varcharChars));
    return widths;
}

int PostgresDestination::existingWidth(const ColumnShape& column, bool) const {
    return widthOf(column.type, column.chars);
}

QList<SqlTextDestination::DeclaredType> PostgresDestination::declaredTypes(const TablePlan& table) const {
    QList<DeclaredType> declared;
    for (const PostgresColumnType& type : columnTypes(table))
        declared.append(
            {type.sql, columnDefinition(type), type.varcharChars > 0 ? type.varcharChars : INT_MAX});
    return declared;
}

SqlTextDestination::Family PostgresDestination::familyOfType(const QString& type) const {
    if (type == u"varchar" || type == u"text" || type == u"bpchar")
        return Family::String;
    if (type == u"int2" || type == u"int4" || type == u"int8")
        return Family::Integer;
    if (type == u"numeric")
        return Family::Decimal;
    if (type == u"float4" || type == u"float8")
        return Family::Real;
    if (type == u"bool")
        return Family::Boolean;
    if (type == u"date")
        return Family::Date;
    if (type == u"timestamptz" || type == u"timestamp")
        return Family::Timestamp;
    if (type == u"jsonb" || type == u"json")
        return Family::Json;
    return Family::Other;
}

int PostgresDestination::charsHeld(const ColumnShape& column) const {
    return column.type == u"varchar" && column.chars > 0 ? column.chars : INT_MAX;
}

int PostgresDestination::typeRank(const QString& type) const {
    // The catalog's names (int2, float4) and the declared ones (smallint, real) alike.
    if (type == u"int2" || type == u"smallint")
        return 2;
    if (type == u"int4" || type == u"integer" || type == u"float4" || type == u"real")
        return 4;
    return 8;
}

bool PostgresDestination::widenDecimal(const ColumnPlan& column, const DecimalShape& held,
                                       ColumnChange* change) const {
    const std::optional<DecimalShape> want = postgresDecimalShape(column.field);
    if (!want) {
        change->definition = "numeric"; // unconstrained: holds everything
        return true;
    }
    // The union of both: every value either holds, exactly.
    const int scale = std::max(want->scale, held.scale);
    const int whole = std::max(want->precision - want->scale, held.precision - held.scale);
    if (whole + scale == held.precision && scale == held.scale)
        return false;
    change->to = QStringLiteral("numeric(%1,%2)").arg(std::min(1000, whole + scale)).arg(scale);
    if (whole + scale <= 1000)
        change->definition = change->to.toUtf8();
    return true;
}

QByteArray PostgresDestination::overflowExpression(const QString& column, ColumnStorage) const {
    // ->> gives a scalar as text (strings unescaped) and a collection or complex value as its JSON.
    QByteArray name = column.toUtf8();
    name.replace('\'', "''");
    return "(" + quote(OverflowPlacement::column()) + "->>'" + name + "')";
}

} // namespace ors
