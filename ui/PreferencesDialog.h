#pragma once

#include "AppSettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;

namespace ors {

// Edit ▸ Preferences: the window's own preferences (AppSettings), not modal. OK and Apply write
// them; the window follows AppSettings::changed. Nothing here changes what runs.
class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    // `configZone` is the configuration's timeZone (may be empty), to name the default choice.
    PreferencesDialog(AppSettings& settings, const QString& configZone, QWidget* parent = nullptr);

    // What the fields say.
    Preferences preferences() const;
    void setPreferences(const Preferences& preferences);
    // Writes the fields to the settings.
    void apply();

private:
    AppSettings& m_settings;
    QComboBox* m_zone = nullptr;
    QComboBox* m_times = nullptr;
    QCheckBox* m_tray = nullptr;
    QCheckBox* m_failures = nullptr;
    QCheckBox* m_blocked = nullptr;
    QCheckBox* m_recovered = nullptr;
    QCheckBox* m_refused = nullptr;
    QComboBox* m_logLevel = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace ors
