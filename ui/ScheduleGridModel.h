#pragma once

#include "schedule/WeekFires.h"

#include <QAbstractTableModel>

namespace ors {

// The week of schedules as a 7 × 24 table: a row per day, a column per hour of the display zone,
// each cell the number of jobs starting in that hour. An hour where jobs start in the same minute
// (WeekSchedule's overlaps) says so in its text ("⚠ 2"), its tooltip and its colour; an hour the
// day does not have (clocks go forward) shows a dash.
class ScheduleGridModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // The overlap flag and the fire lines of a cell, for tests and the page's details line.
    static constexpr int OverlapRole = Qt::UserRole + 1;
    static constexpr int FireCountRole = Qt::UserRole + 2;

    explicit ScheduleGridModel(QObject* parent = nullptr);

    void setWeek(const WeekSchedule& week);
    const WeekSchedule& week() const { return m_week; }

    // What a cell holds, one line per fire: "10:00 crmls sync (overlaps with armls sync)".
    QString describe(const QModelIndex& index) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString cellText(const HourCell& cell) const;
    QString dayName(int day) const;

    WeekSchedule m_week;
    bool m_hasWeek = false;
};

} // namespace ors
