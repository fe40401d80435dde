#pragma once

#include "schedule/WeekFires.h"

#include <QDateTime>
#include <QTimer>
#include <QTimeZone>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QTableView;

namespace ors {

struct Config;
class ScheduleGridModel;
class ScheduleTimelineModel;

// Every schedule of every source on one page: a 7-day × 24-hour grid of job starts in the display
// time zone, and the jobs of the next 24 hours in order, with overlaps (jobs starting in the same
// minute) marked in text and colour so users can stagger sources. The fires are computed by core
// (weekSchedule) on a pool thread, again every minute, and shown when they arrive.
class SchedulePage : public QWidget {
    Q_OBJECT
public:
    explicit SchedulePage(QWidget* parent = nullptr);

    void setConfig(const Config& config);
    void setSchedules(const QList<SourceSchedules>& schedules);
    // The zone rows and times are shown in; the system's zone until set.
    void setDisplayZone(const QTimeZone& zone);
    // Fixes "now" (tests, screenshots); without it the page follows the clock.
    void setNow(const QDateTime& now);

    const ScheduleGridModel* gridModel() const { return m_grid; }
    const ScheduleTimelineModel* timelineModel() const { return m_timeline; }

Q_SIGNALS:
    // A newly computed week is shown.
    void updated();

private:
    void buildUi();
    void recompute();
    void showWeek(const WeekSchedule& week);
    void showSelectedCell();
    void fillZones();

    QList<SourceSchedules> m_schedules;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
    std::optional<QDateTime> m_fixedNow;
    quint64 m_generation = 0;
    QTimer m_clock;

    ScheduleGridModel* m_grid = nullptr;
    ScheduleTimelineModel* m_timeline = nullptr;
    QComboBox* m_zoneBox = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_cellDetails = nullptr;
    QLabel* m_warning = nullptr;
    QTableView* m_gridView = nullptr;
    QTableView* m_timelineView = nullptr;
};

} // namespace ors
