#include "DdRecords.h"

#include "DestinationCases.h"

#include "reso/MetadataParser.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace ors::test {

using namespace Qt::StringLiterals;

namespace {

// Text of exactly `length` code points (MySQL's VARCHAR(n) counts code points): accents,
// four-byte emoji, quotes and backslashes, the way listing remarks look at their fullest.
QString realisticText(const QString& seed, int length) {
    static const QString filler = u"Sunny ✓ home 'near' \"the\" park \\ café 🏡 views "_s;
    QString out;
    int points = 0;
    const QString source = seed + u' ' + filler;
    for (int i = 0; points < length; ++i) {
        const QChar c = source.at(i % source.size());
        if (c.isHighSurrogate()) {
            out += c;
            out += source.at((i + 1) % source.size());
            ++i;
        } else {
            out += c;
        }
        ++points;
    }
    return out;
}

// How long a string value of a field with this MaxLength is.
int realisticLength(std::optional<int> maxLength, Fill fill) {
    const int max = maxLength.value_or(1 << 20);
    if (!fill.fullest) {
        if (max <= 10)
            return std::min(max, 6);
        if (max <= 25)
            return 12;
        if (max <= 50)
            return 16;
        if (max <= 255)
            return 60;
        return std::min(max, 600);
    }
    if (max <= 25)
        return max;
    if (max <= 50)
        return 40;
    if (max <= 255)
        return 80;
    if (max <= 1024)
        return 500;
    return std::min(max, 4000);
}

// The members of the field's enum, longest first; the median first unless the fill is fullest.
QStringList orderedMembers(const Metadata& metadata, const Field& field, Fill fill) {
    QStringList members;
    if (const EnumType* enumType =
            field.kind == EdmKind::Enum ? metadata.enumType(field.elementType) : nullptr)
        for (const EnumMember& member : enumType->members)
            members.append(member.name);
    if (members.isEmpty())
        members = QStringList{u"Unknown"_s, u"Other"_s};
    std::stable_sort(members.begin(), members.end(),
                     [](const QString& a, const QString& b) { return a.size() > b.size(); });
    if (!fill.fullest)
        std::rotate(members.begin(), members.begin() + members.size() / 2, members.end());
    return members;
}

// The JSON of one scalar value of `field` (n varies it), and what its column holds.
QByteArray scalarValue(const ColumnPlan& column, const QStringList& enumMembers, int n, Fill fill,
                       Expect& e) {
    const Field& field = column.field;
    switch (field.kind) {
    case EdmKind::String:
    case EdmKind::Unknown:
    case EdmKind::Binary: {
        const int length = realisticLength(field.maxLength, fill);
        // Short values are codes, ids and numbers (ASCII); longer ones free text.
        e.value = length <= 16 && !fill.fullest
                      ? QString(column.name.toUpper() + u"-0123456789"_s).right(length)
                      : realisticText(column.name, length);
        return jsonString(e.value);
    }
    case EdmKind::Boolean:
        e.type = u"integer"_s;
        e.value = n % 2 ? u"1"_s : u"0"_s;
        return n % 2 ? "true" : "false";
    case EdmKind::Byte:
    case EdmKind::SByte:
    case EdmKind::Int16:
    case EdmKind::Int32:
        e.type = u"integer"_s;
        e.value = QString::number(n % 100);
        return QByteArray::number(n % 100);
    case EdmKind::Int64:
        e.type = u"integer"_s;
        e.value = QString::number(Q_INT64_C(9007199254740993) + n);
        return e.value.toLatin1();
    case EdmKind::Decimal: {
        // As many digits as Precision/Scale allow: exact text, never a double.
        const int scale = field.scale.value_or(6);
        const int intDigits = field.precision ? qMax(1, qMin(*field.precision - scale, 20)) : 20;
        QByteArray number = QByteArray("98765432109876543210987654321").left(intDigits);
        if (scale > 0)
            number += '.' + QByteArray("12345678901234567890").left(scale);
        e.value = QString::fromLatin1(number);
        return number;
    }
    case EdmKind::Double:
    case EdmKind::Single:
        e.type = u"real"_s;
        e.value = QString::number(n) + u".25"_s;
        return e.value.toLatin1();
    case EdmKind::Date:
        e.value = u"2023-02-%1"_s.arg(10 + n % 18);
        return '"' + e.value.toLatin1() + '"';
    case EdmKind::DateTimeOffset: {
        const QString minute = QString::number(n % 60).rightJustified(2, u'0');
        e.value = u"2023-12-31T23:%1:07.123Z"_s.arg(minute);
        return "\"2024-01-01T01:" + minute.toLatin1() + ":07.1234567+02:00\"";
    }
    case EdmKind::TimeOfDay:
        e.value = u"10:15:30"_s;
        return "\"10:15:30\"";
    case EdmKind::Duration:
        e.value = u"PT1H30M"_s;
        return "\"PT1H30M\"";
    case EdmKind::Guid:
        e.value = u"3f2504e0-4f89-11d3-9a0c-0305e82c3301"_s;
        return "\"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"";
    case EdmKind::Geography:
    case EdmKind::Complex:
        e.value = u"{\"type\":\"Point\",\"coordinates\":[-122.4194,37.7749]}"_s;
        e.json = true;
        return e.value.toLatin1();
    case EdmKind::Enum:
        e.value = field.enumIsFlags && enumMembers.size() > 1 ? enumMembers.at(0) + u',' + enumMembers.at(1)
                                                              : enumMembers.at(0);
        return jsonString(e.value);
    }
    return "null";
}

} // namespace

QString ddPath(const QString& fileName) {
    return QStringLiteral(ORS_SHARED_DATA_DIR) + u"/reso-dd/"_s + fileName;
}

Expected<DdPlan> loadDdPlan(const QString& fileName) {
    auto metadata = MetadataParser::parseFile(ddPath(fileName));
    if (!metadata)
        return metadata.error();
    auto plan = planFor(*metadata, u"Property"_s, {u"Media"_s});
    if (!plan)
        return plan.error();
    return DdPlan{std::move(*metadata), std::move(*plan)};
}

Generated generateRecord(const Metadata& metadata, const TablePlan& table, const QString& key, int seed,
                         Fill fill, int parentKeyColumn, const QString& parentKey) {
    Generated out;
    QByteArrayList members;
    int n = seed;
    for (int c = 0; c < table.columns.size(); ++c) {
        const ColumnPlan& column = table.columns.at(c);
        const Field& field = column.field;
        ++n;
        if (c == parentKeyColumn) {
            out.expects.append(Expect{column.name, u"text"_s, parentKey});
            continue;
        }
        const QStringList enumMembers = orderedMembers(metadata, field, fill);
        QByteArray json;
        Expect e{column.name, u"text"_s, {}};
        if (c == table.keyColumn) {
            json = jsonString(key);
            e.value = key;
        } else if (field.isCollection && field.kind == EdmKind::Enum && !fill.fullest &&
                   fill.lookupMembers == 0) {
            json = "null";
            e.type = u"null"_s;
        } else if (field.isCollection) {
            QJsonArray array;
            if (field.kind == EdmKind::Enum) {
                const int count =
                    std::min<int>(fill.fullest ? 5 : fill.lookupMembers, int(enumMembers.size()));
                for (int i = 0; i < count; ++i)
                    array.append(enumMembers.at(i));
            } else {
                array = QJsonArray{u"first ✓"_s, u"second \"quoted\""_s};
            }
            json = QJsonDocument(array).toJson(QJsonDocument::Compact);
            e.value = QString::fromUtf8(json);
            e.json = true;
        } else {
            json = scalarValue(column, enumMembers, n, fill, e);
        }
        members.append(jsonString(field.name) + ':' + json);
        out.expects.append(e);
    }
    out.json = '{' + members.join(',') + '}';
    return out;
}

DdListing generateListing(const DdPlan& dd, const QString& key, Fill fill) {
    const ChildPlan& media = dd.plan.children.first();
    DdListing out;
    out.parent = generateRecord(dd.metadata, dd.plan.table, key, 0, fill);
    out.photo1 = generateRecord(dd.metadata, media.table, u"DD-M1"_s, 7, fill, media.parentKeyColumn, key);
    out.photo2 = generateRecord(dd.metadata, media.table, u"DD-M2"_s, 8, fill, media.parentKeyColumn, key);
    out.json = out.parent.json;
    out.json.chop(1);
    out.json += ",\"Media\":[" + out.photo1.json + "," + out.photo2.json + "]}";
    return out;
}

} // namespace ors::test
