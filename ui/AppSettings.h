#pragma once

#include "logging/SourceLog.h"

#include <QObject>
#include <QString>
#include <QTimeZone>

#include <memory>

class QSettings;

namespace ors {

struct Config;

// The desktop window's own preferences: how it shows things and tells about them. Whatever
// changes what runs (schedules and their zone, the data directory, alerts) stays in the
// configuration file that `serve` reads too, never here.
struct Preferences {
    // Empty: the configuration's timeZone; "local": this computer's zone; else an IANA id.
    QString displayZone;
    bool relativeTimes = true; // "4 min ago" rather than "10:30" where a page offers both
    bool minimizeToTray = true;
    bool notifyFailures = true; // failed runs, failures in a row, late syncs, quotas
    bool notifyBlockedSteps = true;
    bool notifyRecovered = true;
    bool notifyRefusedPurges = true;
    LogLevel logLevel = LogLevel::Info; // of the window's own diagnostics (openresync.* categories)

    bool operator==(const Preferences&) const = default;
};

// Preferences over QSettings, with their defaults; one instance per window.
class AppSettings : public QObject {
    Q_OBJECT
public:
    // The user's settings (organization and application name of the program).
    explicit AppSettings(QObject* parent = nullptr);
    // An INI file of its own: tests, so they never touch the user's settings.
    explicit AppSettings(const QString& iniFile, QObject* parent = nullptr);
    ~AppSettings() override;

    const Preferences& preferences() const { return m_preferences; }
    // Writes them; changed() follows when they differ from the ones before.
    void setPreferences(const Preferences& preferences);

    // The one-time "still running in the tray" notice was shown.
    bool trayNoticeShown() const;
    void setTrayNoticeShown(bool shown);

    // The zone times are shown in: the preference, else the configuration's valid timeZone,
    // else the system's.
    QTimeZone displayZone(const Config* config) const;

    // Written to disk now (QSettings otherwise writes later, from the event loop).
    void sync();

Q_SIGNALS:
    void changed();

private:
    void read();

    std::unique_ptr<QSettings> m_settings;
    Preferences m_preferences;
};

// "openresync.*.debug=false" and so on: the logging rules of a level.
QString loggingRules(LogLevel level);

} // namespace ors
