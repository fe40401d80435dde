#pragma once

#include "config/Config.h"

#include <QDateTime>
#include <QWizardPage>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace ors {

// Step 6: when the source runs. Presets (every 15 minutes, hourly, nightly purge, weekly
// reconcile) or free cron text, checked on every keystroke with core's cron parser: the next
// five fire times of each entry, and the fires that fall in the same minute as another
// source's (core/schedule/WeekFires), as a warning.
class SchedulesPage : public QWizardPage {
    Q_OBJECT
public:
    explicit SchedulesPage(QWidget* parent = nullptr);
    void prefill(const SourceConfig& source);
    void initializePage() override;
    bool isComplete() const override;

    // Tests pin "now" so the overlaps shown do not depend on the clock.
    void setNow(const QDateTime& now) { m_now = now; }
    QString overlapText() const;

private:
    void update();
    QTimeZone zone() const;

    QComboBox* m_syncPreset = nullptr;
    QLineEdit* m_sync = nullptr;
    QCheckBox* m_purgeOn = nullptr;
    QLineEdit* m_purge = nullptr;
    QCheckBox* m_reconcileOn = nullptr;
    QLineEdit* m_reconcile = nullptr;
    QLabel* m_fires = nullptr;
    QLabel* m_overlaps = nullptr;
    QDateTime m_now;
    QString m_timeZone; // the edited source's schedules.timeZone
    bool m_valid = true;
};

} // namespace ors
