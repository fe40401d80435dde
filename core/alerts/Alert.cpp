#include "alerts/Alert.h"

#include <array>
#include <utility>

namespace ors {

namespace {

constexpr std::array<std::pair<AlertCondition, const char*>, 6> kConditions{{
    {AlertCondition::RunFailed, "run-failed"},
    {AlertCondition::FailuresInARow, "failures-in-a-row"},
    {AlertCondition::StepBlocked, "step-blocked"},
    {AlertCondition::SyncAge, "sync-age"},
    {AlertCondition::PurgeRefused, "purge-refused"},
    {AlertCondition::Quota, "quota"},
}};

} // namespace

QString alertConditionName(AlertCondition condition) {
    for (const auto& [value, name] : kConditions)
        if (value == condition)
            return QString::fromLatin1(name);
    return {};
}

std::optional<AlertCondition> alertConditionFromName(const QString& name) {
    for (const auto& [value, text] : kConditions)
        if (name == QLatin1String(text))
            return value;
    return std::nullopt;
}

QString alertStateName(AlertState state) {
    return state == AlertState::Raised ? QStringLiteral("raised") : QStringLiteral("recovered");
}

QString Alert::text() const {
    const QString what = process.isEmpty() ? source : source + QLatin1Char(' ') + process;
    if (state == AlertState::Recovered)
        return QStringLiteral("[OpenReSync] RECOVERED %1: %2").arg(what, message);
    return QStringLiteral("[OpenReSync] %1 %2: %3")
        .arg(condition == AlertCondition::Quota ? QStringLiteral("WARNING") : QStringLiteral("ALERT"), what,
             message);
}

QString Alert::title() const {
    const QString line = text().simplified();
    return line.size() <= 120 ? line : line.left(117) + QStringLiteral("...");
}

QJsonObject Alert::toJson() const {
    return QJsonObject{{QStringLiteral("text"), text()},
                       {QStringLiteral("source"), source},
                       {QStringLiteral("process"), process},
                       {QStringLiteral("condition"), alertConditionName(condition)},
                       {QStringLiteral("subject"), subject},
                       {QStringLiteral("state"), alertStateName(state)},
                       {QStringLiteral("time"), time.toUTC().toString(Qt::ISODate)},
                       {QStringLiteral("message"), message}};
}

} // namespace ors
