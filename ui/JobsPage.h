#pragma once

#include "config/Config.h"

#include <QDateTime>
#include <QPointer>
#include <QTimeZone>
#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace ors {

class JobBoard;
class JobsModel;

// The Jobs page: the running jobs, then the queued ones, with live progress (phase, resource,
// records done of the total, records/s, ETA); Cancel for the selected job; Pause all / Resume
// all schedules. With no job it says so and names the next scheduled run instead of showing an
// empty table. Only reads the window's JobBoard (this program's queue and scheduler, or an attached
// `serve`): what the user asks for goes out as requests that the window routes.
class JobsPage : public QWidget {
    Q_OBJECT
public:
    // The board outlives the page.
    explicit JobsPage(const JobBoard* board, QWidget* parent = nullptr);

    void setDisplayZone(const QTimeZone& zone);
    // Fixes "now" (tests, screenshots).
    void setNow(const QDateTime& now);

    JobsModel* model() const { return m_model; }

Q_SIGNALS:
    // Cancel of a running job (its source's queued requests are dropped with it, as
    // JobQueue::cancel does).
    void cancelRequested(const QString& source);
    // Cancel of one queued request, leaving the source's running job alone
    // (JobQueue::cancelQueued(source, process)).
    void cancelQueuedRequested(const QString& source, ors::ProcessType process);
    // Pause (true) or resume every schedule: `source` is empty.
    void pauseRequested(bool paused, const QString& source);

private:
    void buildUi();
    void refreshState();
    void cancelSelected();
    QString nextRunText() const;
    QDateTime now() const;

    QPointer<const JobBoard> m_board;
    JobsModel* m_model = nullptr;
    bool m_paused = false;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
    QDateTime m_fixedNow;
    quint64 m_selectedJob = 0;

    QLabel* m_summary = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_empty = nullptr;
    QTableView* m_table = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_pause = nullptr;
    QPushButton* m_resume = nullptr;
};

} // namespace ors
