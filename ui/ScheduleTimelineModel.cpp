#include "ScheduleTimelineModel.h"

#include "DisplayTime.h"
#include <QColor>
#include <QFont>

namespace ors {

ScheduleTimelineModel::ScheduleTimelineModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void ScheduleTimelineModel::setWeek(const WeekSchedule& week) {
    beginResetModel();
    m_week = week;
    endResetModel();
}

int ScheduleTimelineModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_week.next24Hours.size());
}

int ScheduleTimelineModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScheduleTimelineModel::display(const PlannedFire& fire, int fireIndex, int column) const {
    switch (column) {
    case TimeColumn: {
        const QDateTime local = fire.at.toTimeZone(m_week.zone);
        // The day only when it is not today, so the eye finds the times.
        if (local.date() == m_week.now.toTimeZone(m_week.zone).date())
            return clockTime(fire.at, m_week.zone);
        return tr("%1 (tomorrow)").arg(clockTime(fire.at, m_week.zone));
    }
    case UtcColumn:
        return clockTime(fire.at, QTimeZone::utc());
    case SourceColumn:
        return fire.source;
    case ProcessColumn:
        return fire.entry.process;
    case ScheduleColumn:
        if (fire.entry.zone != m_week.zone)
            return tr("%1 (%2)").arg(fire.entry.cron.text(), QString::fromUtf8(fire.entry.zone.id()));
        return fire.entry.cron.text();
    case OverlapColumn: {
        const QStringList overlaps = m_week.overlapLabels(fireIndex);
        return overlaps.isEmpty() ? QString() : tr("⚠ overlaps with %1").arg(overlaps.join(tr(", ")));
    }
    default:
        return {};
    }
}

QVariant ScheduleTimelineModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_week.next24Hours.size())
        return {};
    const int fireIndex = m_week.next24Hours.at(index.row());
    const PlannedFire& fire = m_week.fires.at(fireIndex);
    switch (role) {
    case Qt::DisplayRole:
        return display(fire, fireIndex, index.column());
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn || index.column() == UtcColumn)
            return tr("%1\n%2").arg(absoluteTime(fire.at, m_week.zone),
                                    utcTime(fire.at, TimePrecision::Seconds));
        return display(fire, fireIndex, index.column());
    case Qt::BackgroundRole:
        if (!fire.overlaps.isEmpty())
            return QColor::fromRgbF(1.0f, 0.55f, 0.0f, 0.25f);
        return {};
    case Qt::FontRole:
        if (!fire.overlaps.isEmpty() && index.column() == OverlapColumn) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    default:
        return {};
    }
}

QVariant ScheduleTimelineModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return m_week.zone.isValid() ? tr("Time (%1)").arg(QString::fromUtf8(m_week.zone.id())) : tr("Time");
    case UtcColumn:
        return tr("UTC");
    case SourceColumn:
        return tr("Source");
    case ProcessColumn:
        return tr("Process");
    case ScheduleColumn:
        return tr("Schedule");
    case OverlapColumn:
        return tr("Overlaps");
    default:
        return {};
    }
}

} // namespace ors
