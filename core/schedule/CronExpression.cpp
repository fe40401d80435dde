// Parsing of cron expressions; the fire-time search is in CronTimes.cpp.
#include "schedule/CronExpression.h"

#include <QRegularExpression>
#include <QStringList>

#include <array>
#include <optional>

namespace ors {

namespace {

struct FieldSpec {
    const char* name;
    int min;
    int max;
    // Names for the values min, min+1, ... (months from 1, days from 0); empty when the field has none.
    std::array<const char*, 12> names;
    int nameCount;
};

constexpr FieldSpec kSecond{"second", 0, 59, {}, 0};
constexpr FieldSpec kMinute{"minute", 0, 59, {}, 0};
constexpr FieldSpec kHour{"hour", 0, 23, {}, 0};
constexpr FieldSpec kDayOfMonth{"day-of-month", 1, 31, {}, 0};
constexpr FieldSpec kMonth{
    "month", 1, 12, {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}, 12};
constexpr FieldSpec kDayOfWeek{"day-of-week", 0, 7, {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}, 7};

// A field's problem, without the quoted expression (parse adds it).
struct FieldError {
    QString problem;
};

// A value of a field: a number within the field's range or (months, days) a name. `rangeEnd`:
// SUN at the end of a range means 7, so FRI-SUN is Friday to Sunday.
std::optional<int> readValue(const FieldSpec& spec, const QString& text, bool rangeEnd, FieldError& error) {
    const QLatin1String name(spec.name);
    if (text.isEmpty()) {
        error.problem = QStringLiteral("%1 value is missing").arg(name);
        return std::nullopt;
    }
    bool digits = true;
    for (const QChar c : text)
        digits = digits && c >= QLatin1Char('0') && c <= QLatin1Char('9');
    if (digits) {
        // Long digit strings are out of range whatever they say; no overflow on the way.
        const int value = text.size() > 4 ? spec.max + 1 : text.toInt();
        if (value < spec.min || value > spec.max) {
            error.problem =
                QStringLiteral("%1 %2 is out of range %3-%4").arg(name, text).arg(spec.min).arg(spec.max);
            return std::nullopt;
        }
        return value;
    }
    for (int i = 0; i < spec.nameCount; ++i) {
        if (text.compare(QLatin1String(spec.names[size_t(i)]), Qt::CaseInsensitive) == 0) {
            const int value = (spec.min == 0 ? 0 : 1) + i;
            return (rangeEnd && &spec == &kDayOfWeek && value == 0) ? 7 : value;
        }
    }
    if (spec.nameCount == 0)
        error.problem = QStringLiteral("%1 \"%2\" is not a number").arg(name, text);
    else
        error.problem =
            QStringLiteral("%1 \"%2\" is not a number or a %3 name (%4-%5)")
                .arg(name, text, &spec == &kMonth ? QStringLiteral("month") : QStringLiteral("day"),
                     QLatin1String(spec.names[0]), QLatin1String(spec.names[size_t(spec.nameCount - 1)]));
    return std::nullopt;
}

// One field as a bit set (bit n: value n). Day-of-week 7 is folded into 0 by the caller.
std::optional<uint64_t> readField(const FieldSpec& spec, const QString& field, FieldError& error) {
    const QLatin1String name(spec.name);
    uint64_t bits = 0;
    const QStringList items = field.split(QLatin1Char(','));
    for (const QString& item : items) {
        if (item.isEmpty()) {
            error.problem = QStringLiteral("%1 has an empty list item").arg(name);
            return std::nullopt;
        }
        const QStringList stepParts = item.split(QLatin1Char('/'));
        if (stepParts.size() > 2) {
            error.problem = QStringLiteral("%1 item \"%2\" has more than one step").arg(name, item);
            return std::nullopt;
        }
        int step = 1;
        if (stepParts.size() == 2) {
            const QString& stepText = stepParts.at(1);
            bool digits = !stepText.isEmpty();
            for (const QChar c : stepText)
                digits = digits && c >= QLatin1Char('0') && c <= QLatin1Char('9');
            if (!digits) {
                error.problem = QStringLiteral("%1 step \"%2\" is not a number").arg(name, stepText);
                return std::nullopt;
            }
            step = stepText.size() > 4 ? 100000 : stepText.toInt();
            if (step < 1) {
                error.problem = QStringLiteral("step must be at least 1");
                return std::nullopt;
            }
            if (step > spec.max - spec.min) {
                error.problem = QStringLiteral("%1 step %2 is larger than the field's range %3-%4")
                                    .arg(name, stepText)
                                    .arg(spec.min)
                                    .arg(spec.max);
                return std::nullopt;
            }
        }
        const QString& base = stepParts.at(0);
        int first = spec.min;
        int last = spec.max;
        if (base == QLatin1String("*")) {
            // the whole range
        } else {
            const qsizetype dash = base.indexOf(QLatin1Char('-'));
            if (base.isEmpty()) {
                error.problem = QStringLiteral("%1 item \"%2\" has no value before the step").arg(name, item);
                return std::nullopt;
            }
            if (dash == 0 || dash == base.size() - 1) {
                error.problem = QStringLiteral("%1 range \"%2\" is incomplete").arg(name, base);
                return std::nullopt;
            }
            const QString startText = dash < 0 ? base : base.left(dash);
            const auto start = readValue(spec, startText, false, error);
            if (!start)
                return std::nullopt;
            first = *start;
            if (dash >= 0) {
                const auto end = readValue(spec, base.mid(dash + 1), true, error);
                if (!end)
                    return std::nullopt;
                last = *end;
                if (last < first) {
                    error.problem =
                        QStringLiteral("%1 range %2 is reversed (ranges do not wrap around)").arg(name, base);
                    return std::nullopt;
                }
            } else if (stepParts.size() == 1) {
                last = first; // a single value; `5/10` runs from 5 to the field's end
            }
        }
        for (int v = first; v <= last; v += step)
            bits |= uint64_t(1) << v;
    }
    return bits;
}

std::optional<QString> macroExpansion(const QString& macro) {
    static const std::array<std::pair<const char*, const char*>, 7> kMacros{{
        {"@yearly", "0 0 1 1 *"},
        {"@annually", "0 0 1 1 *"},
        {"@monthly", "0 0 1 * *"},
        {"@weekly", "0 0 * * 0"},
        {"@daily", "0 0 * * *"},
        {"@midnight", "0 0 * * *"},
        {"@hourly", "0 * * * *"},
    }};
    for (const auto& [name, expansion] : kMacros)
        if (macro.compare(QLatin1String(name), Qt::CaseInsensitive) == 0)
            return QString::fromLatin1(expansion);
    return std::nullopt;
}

} // namespace

Expected<CronExpression> CronExpression::parse(const QString& text) {
    const auto fail = [&text](const QString& problem) {
        return makeError(QStringLiteral("\"%1\": %2").arg(text, problem));
    };
    QString body = text.trimmed();
    if (body.startsWith(QLatin1Char('@'))) {
        const auto expansion = macroExpansion(body);
        if (!expansion)
            return fail(QStringLiteral("unknown macro %1 (expected @yearly, @annually, @monthly, @weekly, "
                                       "@daily, @midnight or @hourly)")
                            .arg(body));
        body = *expansion;
    }
    static const QRegularExpression kSpace(QStringLiteral("\\s+"));
    QStringList fields = body.split(kSpace, Qt::SkipEmptyParts);
    if (fields.size() != 5 && fields.size() != 6)
        return fail(QStringLiteral("expected 5 or 6 space-separated fields, got %1").arg(fields.size()));

    CronExpression cron;
    cron.m_text = text;
    cron.m_hasSeconds = fields.size() == 6;
    if (!cron.m_hasSeconds)
        fields.prepend(QStringLiteral("0"));
    FieldError error;
    const auto seconds = readField(kSecond, fields.at(0), error);
    const auto minutes = seconds ? readField(kMinute, fields.at(1), error) : std::nullopt;
    const auto hours = minutes ? readField(kHour, fields.at(2), error) : std::nullopt;
    const auto days = hours ? readField(kDayOfMonth, fields.at(3), error) : std::nullopt;
    const auto months = days ? readField(kMonth, fields.at(4), error) : std::nullopt;
    const auto weekdays = months ? readField(kDayOfWeek, fields.at(5), error) : std::nullopt;
    if (!weekdays)
        return fail(error.problem);
    cron.m_seconds = *seconds;
    cron.m_minutes = *minutes;
    cron.m_hours = uint32_t(*hours);
    cron.m_daysOfMonth = uint32_t(*days);
    cron.m_months = uint16_t(*months);
    // 7 is Sunday as well as 0.
    cron.m_daysOfWeek = uint8_t((*weekdays & 0x7f) | ((*weekdays >> 7) & 1));
    // Vixie cron's flags: a field whose text starts with `*` counts as unrestricted.
    cron.m_minuteStar = fields.at(1).startsWith(QLatin1Char('*'));
    cron.m_hourStar = fields.at(2).startsWith(QLatin1Char('*'));
    cron.m_domStar = fields.at(3).startsWith(QLatin1Char('*'));
    cron.m_dowStar = fields.at(5).startsWith(QLatin1Char('*'));
    return cron;
}

} // namespace ors
