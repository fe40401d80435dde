#pragma once

#include "processes/JobTypes.h"

#include <QWidget>

#include <optional>

class QLabel;
class QProgressBar;
class QPushButton;

namespace ors {

// The controls for the selected source: "Sync now", "Cancel", a progress bar and a line
// with records done/total, records/s and ETA. Shows state; the window decides what to do
// with its requests.
class SyncPanel : public QWidget {
    Q_OBJECT
public:
    explicit SyncPanel(QWidget* parent = nullptr);

    // No job for the selected source: the label says `text`; syncing is offered if allowed.
    void showIdle(const QString& text, bool canSync);
    // A job runs for the selected source; nullopt until its first progress report.
    void showRunning(const std::optional<JobProgress>& progress);
    // Cancel was asked for; the job stops at its next checkpoint.
    void showCancelling();

Q_SIGNALS:
    void syncRequested();
    void cancelRequested();

private:
    QPushButton* m_sync = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_bar = nullptr;
    QLabel* m_label = nullptr;
};

} // namespace ors
