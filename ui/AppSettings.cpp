#include "AppSettings.h"

#include "config/Config.h"
#include "DisplayTime.h"
#include "logging/LogReader.h"

#include <QSettings>

namespace ors {

namespace {

const QString kZone = QStringLiteral("display/timeZone");
const QString kRelative = QStringLiteral("display/relativeTimes");
const QString kMinimize = QStringLiteral("tray/minimizeToTray");
const QString kNotice = QStringLiteral("tray/noticeShown");
const QString kFailures = QStringLiteral("notifications/failures");
const QString kBlocked = QStringLiteral("notifications/blockedSteps");
const QString kRecovered = QStringLiteral("notifications/recovered");
const QString kRefused = QStringLiteral("notifications/refusedPurges");
const QString kLogLevel = QStringLiteral("logging/level");

} // namespace

AppSettings::AppSettings(QObject* parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>()) {
    read();
}

AppSettings::AppSettings(const QString& iniFile, QObject* parent)
    : QObject(parent)
    , m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat)) {
    read();
}

AppSettings::~AppSettings() = default;

void AppSettings::read() {
    const Preferences defaults;
    QSettings& s = *m_settings;
    m_preferences.displayZone = s.value(kZone, defaults.displayZone).toString();
    m_preferences.relativeTimes = s.value(kRelative, defaults.relativeTimes).toBool();
    m_preferences.minimizeToTray = s.value(kMinimize, defaults.minimizeToTray).toBool();
    m_preferences.notifyFailures = s.value(kFailures, defaults.notifyFailures).toBool();
    m_preferences.notifyBlockedSteps = s.value(kBlocked, defaults.notifyBlockedSteps).toBool();
    m_preferences.notifyRecovered = s.value(kRecovered, defaults.notifyRecovered).toBool();
    m_preferences.notifyRefusedPurges = s.value(kRefused, defaults.notifyRefusedPurges).toBool();
    // An unknown level (a hand-edited file) falls back to the default rather than failing.
    m_preferences.logLevel = logLevelFromName(s.value(kLogLevel, logLevelName(defaults.logLevel)).toString())
                                 .value_or(defaults.logLevel);
}

void AppSettings::setPreferences(const Preferences& preferences) {
    if (preferences == m_preferences)
        return;
    m_preferences = preferences;
    QSettings& s = *m_settings;
    s.setValue(kZone, preferences.displayZone);
    s.setValue(kRelative, preferences.relativeTimes);
    s.setValue(kMinimize, preferences.minimizeToTray);
    s.setValue(kFailures, preferences.notifyFailures);
    s.setValue(kBlocked, preferences.notifyBlockedSteps);
    s.setValue(kRecovered, preferences.notifyRecovered);
    s.setValue(kRefused, preferences.notifyRefusedPurges);
    s.setValue(kLogLevel, logLevelName(preferences.logLevel));
    Q_EMIT changed();
}

bool AppSettings::trayNoticeShown() const {
    return m_settings->value(kNotice, false).toBool();
}

void AppSettings::setTrayNoticeShown(bool shown) {
    m_settings->setValue(kNotice, shown);
}

QTimeZone AppSettings::displayZone(const Config* config) const {
    const QString& chosen = m_preferences.displayZone;
    if (chosen == QLatin1String("local"))
        return QTimeZone::systemTimeZone();
    if (!chosen.isEmpty()) {
        const QTimeZone zone(chosen.toUtf8());
        if (zone.isValid())
            return zone;
    }
    return ors::displayZone(config);
}

void AppSettings::sync() {
    m_settings->sync();
}

QString loggingRules(LogLevel level) {
    // Each level turns off the ones below it; warnings and errors of other libraries stay as Qt has them.
    QStringList rules;
    if (level > LogLevel::Debug)
        rules.append(QStringLiteral("openresync.*.debug=false"));
    else
        rules.append(QStringLiteral("openresync.*.debug=true"));
    if (level > LogLevel::Info)
        rules.append(QStringLiteral("openresync.*.info=false"));
    if (level > LogLevel::Warning)
        rules.append(QStringLiteral("openresync.*.warning=false"));
    return rules.join(QLatin1Char('\n'));
}

} // namespace ors
