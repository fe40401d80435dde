#pragma once

#include "schedule/WeekFires.h"

#include <QAbstractTableModel>

namespace ors {

// The jobs that start in the next 24 hours, in order: time in the display zone and in UTC,
// source, process, the expression (with its own zone when that differs from the display zone)
// and what it overlaps with.
class ScheduleTimelineModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        UtcColumn,
        SourceColumn,
        ProcessColumn,
        ScheduleColumn,
        OverlapColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    explicit ScheduleTimelineModel(QObject* parent = nullptr);

    void setWeek(const WeekSchedule& week);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(const PlannedFire& fire, int fireIndex, int column) const;

    WeekSchedule m_week;
};

} // namespace ors
