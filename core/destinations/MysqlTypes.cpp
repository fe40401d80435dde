// Column types of MysqlDestination: how each field is declared, what it costs in the server's
// 65,535-byte row definition and in InnoDB's 8,126-byte record, and which metadata changes widen
// a column.
#include "destinations/MysqlDestination.h"
#include "destinations/OverflowPlacement.h"

#include <algorithm>
#include <climits>

namespace ors {

namespace {

// utf8mb4 takes up to 4 bytes a character and InnoDB index keys at most 3,072 bytes.
constexpr int kMaxIndexChars = 768;
// The server refuses a row whose fixed part (TEXT/BLOB pointers only) exceeds 65,535 bytes; keep
// room for the null bitmap and the record header.
constexpr int kRowLimit = 65535;
constexpr int kRowMargin = 1024;
// InnoDB (ROW_FORMAT=DYNAMIC) moves a long column's value (TEXT, or VARCHAR of more than 255
// bytes) out of the record once the record is too large, leaving a 20-byte pointer; a value of up
// to 40 bytes stays. With its 2 length bytes such a column takes at most 42 bytes of the record.
constexpr int kLongColumnInRow = 42;
// TEXT holds 65,535 bytes: 16,383 four-byte characters.
constexpr int kTextMaxChars = 16383;

int decimalBytes(int digits) {
    static constexpr int kLeftover[] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
    return digits / 9 * 4 + kLeftover[digits % 9];
}

int varcharBytes(int chars) {
    const int bytes = chars * 4;
    return bytes + (bytes > 255 ? 2 : 1);
}

MysqlColumnType textType(int maxChars) {
    if (maxChars > 0 && maxChars <= kTextMaxChars)
        return {QStringLiteral("TEXT"), 10, 0, false};
    return {QStringLiteral("MEDIUMTEXT"), 11, 0, false};
}

MysqlColumnType varcharType(int chars, bool binary) {
    return {QStringLiteral("VARCHAR(%1)").arg(chars), varcharBytes(chars), chars, binary};
}

} // namespace

DecimalShape mysqlDecimalShape(const Field& field) {
    // MySQL allows DECIMAL(65,30) at most. Without facets the widest type holds any realistic
    // value exactly; a precision with variable scale may put all its digits on either side.
    constexpr int kMaxPrecision = 65;
    constexpr int kMaxScale = 30;
    const auto clampInt = [](int v, int lo, int hi) { return std::min(std::max(v, lo), hi); };
    if (!field.precision && !field.scale)
        return {kMaxPrecision, kMaxScale};
    if (!field.scale) {
        const int p = clampInt(*field.precision, 1, kMaxPrecision);
        const int s = std::min(p, kMaxScale);
        return {std::min(kMaxPrecision, p + s), s};
    }
    const int s = clampInt(*field.scale, 0, kMaxScale);
    if (!field.precision)
        return {kMaxPrecision, s};
    return {clampInt(std::max(*field.precision, s), 1, kMaxPrecision), s};
}

QByteArray MysqlDestination::quote(const QString& identifier) {
    // Identifiers are checked by SchemaPlanner::isValidIdentifier before they get here; doubling
    // backticks keeps even an unchecked name from ending the quoted identifier.
    QByteArray quoted = identifier.toUtf8();
    quoted.replace('`', "``");
    quoted.prepend('`');
    quoted.append('`');
    return quoted;
}

namespace {

bool isIndexed(const TablePlan& table, const ColumnPlan& column) {
    return table.primaryKey.contains(column.name) || column.isParentKey ||
           table.indexes.contains(column.name);
}

} // namespace

MysqlColumnType MysqlDestination::columnType(const TablePlan& table, int index) {
    const int keyCount = int(std::max<qsizetype>(1, table.primaryKey.size()));
    const ColumnPlan& column = table.columns.at(index);
    {
        const Field& field = column.field;
        const bool isKey = table.primaryKey.contains(column.name);
        const int maxLength = field.maxLength && *field.maxLength > 0 ? *field.maxLength : 0;
        MysqlColumnType type;
        switch (column.storage) {
        case ColumnStorage::Integer:
            switch (field.kind) {
            case EdmKind::Byte:
                type = {QStringLiteral("TINYINT UNSIGNED"), 1, 0, false};
                break;
            case EdmKind::SByte:
                type = {QStringLiteral("TINYINT"), 1, 0, false};
                break;
            case EdmKind::Int16:
                type = {QStringLiteral("SMALLINT"), 2, 0, false};
                break;
            case EdmKind::Int32:
                type = {QStringLiteral("INT"), 4, 0, false};
                break;
            default:
                type = {QStringLiteral("BIGINT"), 8, 0, false};
                break;
            }
            break;
        case ColumnStorage::Decimal: {
            const DecimalShape shape = mysqlDecimalShape(field);
            type = {QStringLiteral("DECIMAL(%1,%2)").arg(shape.precision).arg(shape.scale),
                    decimalBytes(shape.precision - shape.scale) + decimalBytes(shape.scale), 0, false};
            break;
        }
        case ColumnStorage::Real:
            type = {QStringLiteral("DOUBLE"), 8, 0, false};
            break;
        case ColumnStorage::Boolean:
            type = {QStringLiteral("TINYINT(1)"), 1, 0, false};
            break;
        case ColumnStorage::Date:
            type = {QStringLiteral("DATE"), 3, 0, false};
            break;
        case ColumnStorage::Timestamp:
            type = {QStringLiteral("DATETIME(3)"), 7, 0, false};
            break;
        case ColumnStorage::Json:
            type = {QStringLiteral("LONGTEXT"), 12, 0, false};
            break;
        case ColumnStorage::Text:
        case ColumnStorage::LongText:
            if (isIndexed(table, column)) {
                // Keys and indexed columns must be VARCHAR to be indexed whole; a composite key
                // shares the 3,072-byte index limit.
                const int cap = isKey ? kMaxIndexChars / keyCount : kMaxIndexChars;
                type = varcharType(std::min(maxLength > 0 ? maxLength : 255, cap), true);
            } else if (column.storage == ColumnStorage::Text) {
                type = varcharType(std::min(maxLength > 0 ? maxLength : 255, kTextMaxChars), false);
            } else {
                type = textType(maxLength);
            }
            break;
        }
        return type;
    }
}

QList<MysqlColumnType> MysqlDestination::columnTypes(const TablePlan& table) {
    QList<MysqlColumnType> types;
    for (int i = 0; i < table.columns.size(); ++i)
        types.append(columnType(table, i));
    // Wide tables (the RESO Property has 600+ fields) exceed the server's row limit with every
    // short string as VARCHAR: the widest unindexed ones become TEXT, which only keep a pointer.
    int total = (int(table.columns.size()) + 7) / 8;
    for (const MysqlColumnType& type : std::as_const(types))
        total += type.rowBytes;
    QList<int> candidates;
    for (int i = 0; i < types.size(); ++i)
        if (types.at(i).varcharChars > 0 && !isIndexed(table, table.columns.at(i)))
            candidates.append(i);
    std::stable_sort(candidates.begin(), candidates.end(),
                     [&](int a, int b) { return types.at(a).varcharChars > types.at(b).varcharChars; });
    for (int i : std::as_const(candidates)) {
        if (total <= kRowLimit - kRowMargin)
            break;
        const MysqlColumnType text = textType(types.at(i).varcharChars);
        total += text.rowBytes - types.at(i).rowBytes;
        types[i] = text;
    }
    return types;
}

// What an existing column costs in the server's 65,535-byte row limit, as columnTypes() counts it.
int MysqlDestination::rowBytesOf(const ColumnShape& column) {
    static const QHash<QString, int> fixed = {
        {QStringLiteral("tinyint"), 1},   {QStringLiteral("smallint"), 2}, {QStringLiteral("mediumint"), 3},
        {QStringLiteral("int"), 4},       {QStringLiteral("bigint"), 8},   {QStringLiteral("double"), 8},
        {QStringLiteral("float"), 4},     {QStringLiteral("date"), 3},     {QStringLiteral("datetime"), 8},
        {QStringLiteral("timestamp"), 7}, {QStringLiteral("time"), 6},     {QStringLiteral("year"), 1},
    };
    if (column.type == u"varchar" || column.type == u"varbinary")
        return int(column.octets) + (column.octets > 255 ? 2 : 1);
    if (column.type == u"char" || column.type == u"binary")
        return int(column.octets);
    if (column.type == u"decimal" && column.decimal)
        return decimalBytes(column.decimal->precision - column.decimal->scale) +
               decimalBytes(column.decimal->scale);
    return fixed.value(column.type, 12);
}

MysqlColumnType MysqlDestination::textColumnType(int maxChars) {
    return textType(maxChars);
}

namespace {

// The most bytes a column of this type takes in InnoDB's record; keys are never moved out.
int inRowWidth(const MysqlColumnType& type, bool key) {
    if (type.varcharChars > 0) {
        const int bytes = type.varcharChars * 4;
        return bytes <= 255 || key ? bytes + (bytes > 255 ? 2 : 1) : kLongColumnInRow;
    }
    if (type.sql.endsWith(QLatin1String("TEXT")))
        return kLongColumnInRow;
    return type.rowBytes;
}

// Characters a string column holds.
int capacity(const QString& type, int chars) {
    if (type == u"varchar" || type == u"char")
        return chars;
    if (type == u"tinytext")
        return 63;
    if (type == u"text")
        return kTextMaxChars;
    if (type == u"mediumtext")
        return 4194303;
    return INT_MAX;
}

int capacity(const MysqlColumnType& type) {
    if (type.varcharChars > 0)
        return type.varcharChars;
    return capacity(type.sql.toLower(), 0);
}

} // namespace

int MysqlDestination::defaultOverflowBudget() const {
    // InnoDB's record holds 8,126 bytes with a 16 KB page; besides the columns it carries a
    // 5-byte header, the transaction id and roll pointer (13 bytes) and a null bit per column.
    // A budget of 8,000 keeps the worst case of every in-row column within that, measured with
    // bench_rowsize (a record with every in-row column at its widest stores; see
    // docs/user-guide.md for the figures).
    return 8000;
}

QList<int> MysqlDestination::inRowWidths(const TablePlan& table) const {
    // The types as declared before columnTypes() turns wide VARCHARs into TEXT to meet the row
    // definition limit: that only ever makes a column narrower in the record.
    QList<int> widths;
    for (int i = 0; i < table.columns.size(); ++i)
        widths.append(inRowWidth(columnType(table, i), table.primaryKey.contains(table.columns.at(i).name)));
    return widths;
}

int MysqlDestination::existingWidth(const ColumnShape& column, bool key) const {
    // Keys are never moved out of the record.
    if (column.type == u"varchar" || column.type == u"varbinary")
        return column.octets <= 255 || key ? int(column.octets) + (column.octets > 255 ? 2 : 1)
                                           : kLongColumnInRow;
    if (familyOfType(column.type) == Family::String || column.type.endsWith(QLatin1String("blob")))
        return kLongColumnInRow;
    return rowBytesOf(column);
}

QList<SqlTextDestination::DeclaredType> MysqlDestination::declaredTypes(const TablePlan& table) const {
    // The types before columnTypes() turns wide VARCHARs into TEXT: what the metadata asks for.
    QList<DeclaredType> declared;
    for (int i = 0; i < table.columns.size(); ++i) {
        const MysqlColumnType type = columnType(table, i);
        declared.append({type.sql, columnDefinition(type).toUtf8(), capacity(type)});
    }
    return declared;
}

SqlTextDestination::Family MysqlDestination::familyOfType(const QString& type) const {
    static const QStringList strings{QStringLiteral("varchar"),    QStringLiteral("char"),
                                     QStringLiteral("tinytext"),   QStringLiteral("text"),
                                     QStringLiteral("mediumtext"), QStringLiteral("longtext")};
    static const QStringList integers{QStringLiteral("tinyint"), QStringLiteral("smallint"),
                                      QStringLiteral("mediumint"), QStringLiteral("int"),
                                      QStringLiteral("bigint")};
    if (strings.contains(type))
        return Family::String;
    if (integers.contains(type))
        return Family::Integer;
    if (type == u"decimal")
        return Family::Decimal;
    if (type == u"double" || type == u"float")
        return Family::Real;
    if (type == u"date")
        return Family::Date;
    if (type == u"datetime" || type == u"timestamp")
        return Family::Timestamp;
    return Family::Other;
}

SqlTextDestination::Family MysqlDestination::storedFamily(ColumnStorage storage) const {
    // MySQL keeps booleans as TINYINT(1) and JSON as LONGTEXT.
    const Family family = familyOf(storage);
    return family == Family::Boolean ? Family::Integer : family == Family::Json ? Family::String : family;
}

int MysqlDestination::charsHeld(const ColumnShape& column) const {
    return capacity(column.type, column.chars);
}

int MysqlDestination::typeRank(const QString& type) const {
    // "TINYINT UNSIGNED", "TINYINT(1)" and the catalog's "tinyint" alike.
    static const QStringList ranks{QStringLiteral("tinyint"),   QStringLiteral("smallint"),
                                   QStringLiteral("mediumint"), QStringLiteral("int"),
                                   QStringLiteral("bigint"),    QStringLiteral("float"),
                                   QStringLiteral("double")};
    return int(ranks.indexOf(type.section(QLatin1Char(' '), 0, 0).section(QLatin1Char('('), 0, 0).toLower()));
}

bool MysqlDestination::widenDecimal(const ColumnPlan& column, const DecimalShape& held,
                                    ColumnChange* change) const {
    // The union of both: every value either holds, exactly.
    const DecimalShape want = mysqlDecimalShape(column.field);
    const int scale = std::min(30, std::max(want.scale, held.scale));
    const int whole = std::max(want.precision - want.scale, held.precision - held.scale);
    const int precision = std::min(65, whole + scale);
    if (precision == held.precision && scale == held.scale)
        return false;
    // Reported instead when DECIMAL(65,30) cannot hold both.
    change->to = QStringLiteral("DECIMAL(%1,%2)").arg(precision).arg(scale);
    if (precision - scale >= held.precision - held.scale && scale >= held.scale)
        change->definition = change->to.toUtf8() + " NULL";
    return true;
}

QByteArray MysqlDestination::overflowExpression(const QString& column, ColumnStorage storage) const {
    // The name is a checked identifier: nothing in it can end the path's quotes.
    const QByteArray path = "'$.\"" + column.toUtf8() + "\"'";
    const QByteArray json = quote(OverflowPlacement::column());
    // JSON_VALUE gives a scalar as text (strings unescaped); collections and complex values are
    // the JSON itself.
    const QByteArray function = storage == ColumnStorage::Json ? "JSON_EXTRACT(" : "JSON_VALUE(";
    return function + json + ", " + path + ")";
}

} // namespace ors
