#include "inspect/RecordValues.h"
#include "records/Timestamps.h"

#include "util/DecimalText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cmath>
#include <limits>

namespace ors {

QJsonValue RecordValues::fromCell(const Cell& cell) {
    switch (cell.type) {
    case Cell::Type::Null:
        return QJsonValue();
    case Cell::Type::Integer:
        return QJsonValue(cell.integer);
    case Cell::Type::Real:
        return QJsonValue(cell.real);
    case Cell::Type::Text:
        return QJsonValue(QString::fromUtf8(cell.text));
    }
    return QJsonValue();
}

QByteArray RecordValues::text(const QJsonValue& value) {
    if (value.isString())
        return value.toString().toUtf8();
    if (value.isBool())
        return value.toBool() ? QByteArrayLiteral("true") : QByteArrayLiteral("false");
    if (value.isDouble()) {
        const double d = value.toDouble();
        const qint64 i = value.toInteger(std::numeric_limits<qint64>::min());
        if (i != std::numeric_limits<qint64>::min() || d == double(std::numeric_limits<qint64>::min()))
            return QByteArray::number(i);
        return QString::number(d, 'g', QLocale::FloatingPointShortest).toUtf8();
    }
    return {};
}

std::optional<qint64> RecordValues::integer(const QJsonValue& value) {
    if (value.isBool())
        return value.toBool() ? 1 : 0;
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (std::floor(d) != d)
            return std::nullopt;
        return value.toInteger(qint64(d));
    }
    if (value.isString()) {
        const QString s = value.toString().trimmed();
        if (s == u"true")
            return 1;
        if (s == u"false")
            return 0;
        bool ok = false;
        const qint64 i = s.toLongLong(&ok);
        if (ok)
            return i;
    }
    return std::nullopt;
}

std::optional<double> RecordValues::real(const QJsonValue& value) {
    if (value.isDouble())
        return value.toDouble();
    bool ok = false;
    const double d = value.toString().trimmed().toDouble(&ok);
    if (value.isString() && ok)
        return d;
    return std::nullopt;
}

QByteArray RecordValues::canonicalDecimal(const QByteArray& input) {
    // Beyond ±400 no stored decimal reaches; refusing keeps the expansion bounded.
    const std::optional<DecimalText> parsed = DecimalText::parse(input, 400);
    if (!parsed)
        return {};
    const bool negative = parsed->negative;
    const QByteArray& whole = parsed->whole;
    QByteArray fraction = parsed->fraction;
    while (fraction.endsWith('0'))
        fraction.chop(1);
    QByteArray out = whole;
    if (!fraction.isEmpty())
        out += '.' + fraction;
    if (negative && out != "0")
        out.prepend('-');
    return out;
}

namespace {

std::optional<QJsonValue> parsedJson(const QByteArray& text) {
    // Wrapped in an array, so that scalars parse too.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + text + ']', &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        return std::nullopt;
    return doc.array().at(0);
}

} // namespace

bool RecordValues::equal(ColumnStorage storage, const QJsonValue& a, const QJsonValue& b) {
    const bool aNull = a.isNull() || a.isUndefined();
    const bool bNull = b.isNull() || b.isUndefined();
    if (aNull || bNull)
        return aNull == bNull;
    switch (storage) {
    case ColumnStorage::Integer:
    case ColumnStorage::Boolean: {
        const auto x = integer(a);
        const auto y = integer(b);
        if (x && y)
            return *x == *y;
        break;
    }
    case ColumnStorage::Real: {
        const auto x = real(a);
        const auto y = real(b);
        if (x && y)
            return *x == *y;
        break;
    }
    case ColumnStorage::Decimal: {
        // Exact: digit strings, never through a double.
        const QByteArray x = canonicalDecimal(text(a));
        const QByteArray y = canonicalDecimal(text(b));
        if (!x.isEmpty() && !y.isEmpty())
            return x == y;
        break;
    }
    case ColumnStorage::Timestamp: {
        const QByteArray x = text(a);
        const QByteArray y = text(b);
        const auto nx = normalizeTimestamp(std::string_view(x.constData(), size_t(x.size())));
        const auto ny = normalizeTimestamp(std::string_view(y.constData(), size_t(y.size())));
        if (nx && ny)
            return *nx == *ny;
        break;
    }
    case ColumnStorage::Json: {
        const auto x = parsedJson(text(a));
        const auto y = parsedJson(text(b));
        if (x && y)
            return *x == *y;
        break;
    }
    case ColumnStorage::Text:
    case ColumnStorage::LongText:
    case ColumnStorage::Date:
        break;
    }
    // Text, or a value that does not parse as its storage class: it equals only the same text.
    return text(a) == text(b);
}

bool RecordValues::equalToMls(const ColumnPlan& column, const QJsonValue& mls, const QJsonValue& stored) {
    if (equal(column.storage, mls, stored))
        return true;
    if (column.storage != ColumnStorage::Decimal || !column.field.scale)
        return false;
    const std::optional<DecimalText> parsed = DecimalText::parse(text(mls), 400);
    if (!parsed || parsed->significantFractionDigits() <= *column.field.scale)
        return false;
    return equal(column.storage,
                 QJsonValue(QString::fromLatin1(parsed->rounded(*column.field.scale).plain())), stored);
}

QString RecordValues::display(const QJsonValue& value) {
    if (value.isUndefined())
        return QStringLiteral("(absent)");
    if (value.isNull())
        return QStringLiteral("null");
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    QString s = QString::fromUtf8(text(value));
    if (s.isEmpty() && value.isString())
        return QStringLiteral("\"\""); // visibly not null
    s.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    s.replace(QLatin1Char('\r'), QStringLiteral("\\r"));
    s.replace(QLatin1Char('\t'), QStringLiteral("\\t"));
    return s;
}

} // namespace ors
