#include "JsonWriter.h"

#include <QDate>

#include <charconv>

namespace ors::fake::json {

namespace {

constexpr char kHex[] = "0123456789abcdef";

void appendUnicodeEscape(QByteArray& out, char16_t unit) {
    const char buf[6] = {'\\',
                         'u',
                         kHex[(unit >> 12) & 0xF],
                         kHex[(unit >> 8) & 0xF],
                         kHex[(unit >> 4) & 0xF],
                         kHex[unit & 0xF]};
    out.append(buf, 6);
}

void appendAsciiEscaped(QByteArray& out, char c) {
    switch (c) {
    case '"':
        out.append("\\\"");
        return;
    case '\\':
        out.append("\\\\");
        return;
    case '\n':
        out.append("\\n");
        return;
    case '\r':
        out.append("\\r");
        return;
    case '\t':
        out.append("\\t");
        return;
    case '\b':
        out.append("\\b");
        return;
    case '\f':
        out.append("\\f");
        return;
    default:
        if (static_cast<unsigned char>(c) < 0x20)
            appendUnicodeEscape(out, static_cast<char16_t>(c));
        else
            out.append(c);
    }
}

void appendPadded(QByteArray& out, int value, int width) {
    char buf[8];
    for (int i = width - 1; i >= 0; --i) {
        buf[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out.append(buf, width);
}

} // namespace

void appendString(QByteArray& out, const QString& s, bool escapeNonAscii) {
    // Encodes UTF-16 to UTF-8 through a stack buffer: serializing 10,000 wide listings must
    // not cost an allocation per string.
    char buf[512];
    int n = 0;
    const auto flush = [&] {
        out.append(buf, n);
        n = 0;
    };
    out.append('"');
    const qsizetype size = s.size();
    const QChar* data = s.constData();
    for (qsizetype i = 0; i < size; ++i) {
        if (n > 500)
            flush();
        char32_t u = data[i].unicode();
        if (u < 0x80) {
            if (u == '"' || u == '\\' || u < 0x20) {
                flush();
                appendAsciiEscaped(out, static_cast<char>(u));
            } else {
                buf[n++] = static_cast<char>(u);
            }
            continue;
        }
        if (escapeNonAscii) {
            flush();
            appendUnicodeEscape(out,
                                static_cast<char16_t>(u)); // surrogate pairs give two escapes, as JSON wants
            continue;
        }
        if (QChar::isHighSurrogate(u) && i + 1 < size && data[i + 1].isLowSurrogate()) {
            u = QChar::surrogateToUcs4(static_cast<char16_t>(u), data[++i].unicode());
        } else if (QChar::isSurrogate(u)) {
            u = 0xFFFD;
        }
        if (u < 0x800) {
            buf[n++] = static_cast<char>(0xC0 | (u >> 6));
        } else if (u < 0x10000) {
            buf[n++] = static_cast<char>(0xE0 | (u >> 12));
            buf[n++] = static_cast<char>(0x80 | ((u >> 6) & 0x3F));
        } else {
            buf[n++] = static_cast<char>(0xF0 | (u >> 18));
            buf[n++] = static_cast<char>(0x80 | ((u >> 12) & 0x3F));
            buf[n++] = static_cast<char>(0x80 | ((u >> 6) & 0x3F));
        }
        buf[n++] = static_cast<char>(0x80 | (u & 0x3F));
    }
    flush();
    out.append('"');
}

void appendInstant(QByteArray& out, qint64 ms) {
    const qint64 dayMs = 86400000;
    qint64 days = ms / dayMs;
    qint64 rest = ms % dayMs;
    if (rest < 0) {
        rest += dayMs;
        --days;
    }
    const QDate date = QDate::fromJulianDay(QDate(1970, 1, 1).toJulianDay() + days);
    appendPadded(out, date.year(), 4);
    out.append('-');
    appendPadded(out, date.month(), 2);
    out.append('-');
    appendPadded(out, date.day(), 2);
    out.append('T');
    appendPadded(out, static_cast<int>(rest / 3600000), 2);
    out.append(':');
    appendPadded(out, static_cast<int>(rest / 60000 % 60), 2);
    out.append(':');
    appendPadded(out, static_cast<int>(rest / 1000 % 60), 2);
    out.append('.');
    appendPadded(out, static_cast<int>(rest % 1000), 3);
    out.append('Z');
}

QString formatInstant(qint64 ms) {
    QByteArray out;
    appendInstant(out, ms);
    return QString::fromLatin1(out);
}

QString formatDate(qint64 julianDay) {
    return QDate::fromJulianDay(julianDay).toString(Qt::ISODate);
}

void appendValue(QByteArray& out, const FieldDef& field, const Value& value, bool escapeNonAscii) {
    if (isNull(value)) {
        out.append("null");
        return;
    }
    switch (field.type) {
    case FieldType::String:
    case FieldType::Enum:
        appendString(out, std::get<QString>(value), escapeNonAscii);
        return;
    case FieldType::Boolean:
        out.append(std::get<bool>(value) ? "true" : "false");
        return;
    case FieldType::Int32:
    case FieldType::Int64: {
        char buf[24];
        const auto res = std::to_chars(buf, buf + sizeof(buf), std::get<qint64>(value));
        out.append(buf, res.ptr - buf);
        return;
    }
    case FieldType::Decimal:
        for (QChar c : std::get<DecimalValue>(value).text) // plain digits: written bare, never via double
            out.append(static_cast<char>(c.unicode()));
        return;
    case FieldType::Date:
        appendString(out, formatDate(std::get<qint64>(value)));
        return;
    case FieldType::DateTimeOffset:
        out.append('"');
        appendInstant(out, std::get<qint64>(value));
        out.append('"');
        return;
    case FieldType::FlagsEnum:
        appendString(out, std::get<QStringList>(value).join(QLatin1Char(',')));
        return;
    case FieldType::StringCollection:
    case FieldType::EnumCollection: {
        out.append('[');
        bool first = true;
        for (const QString& s : std::get<QStringList>(value)) {
            if (!first)
                out.append(',');
            first = false;
            appendString(out, s, escapeNonAscii);
        }
        out.append(']');
        return;
    }
    }
}

QByteArray serialize(const EntitySchema& schema, const Record& record, const std::vector<int>* selected) {
    // Built in a reused scratch buffer, then copied once at its exact size.
    thread_local QByteArray out;
    out.resize(0); // keeps the capacity, unlike clear()
    if (out.capacity() < 64 * 1024)
        out.reserve(64 * 1024);
    out.append('{');
    bool first = true;
    auto addField = [&](int index) {
        const FieldDef& f = schema.fields[static_cast<size_t>(index)];
        if (!first)
            out.append(',');
        first = false;
        appendString(out, f.name);
        out.append(':');
        for (const auto& [field, raw] : record.rawJson)
            if (field == index) {
                out.append(raw);
                return;
            }
        appendValue(out, f, record.values[static_cast<size_t>(index)], record.escapeNonAscii);
    };
    if (selected) {
        for (int i : *selected)
            addField(i);
    } else {
        for (int i = 0; i < static_cast<int>(schema.fields.size()); ++i)
            addField(i);
    }
    out.append('}');
    return QByteArray(out.constData(), out.size());
}

} // namespace ors::fake::json
