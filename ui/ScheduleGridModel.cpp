#include "ScheduleGridModel.h"

#include "DisplayTime.h"
#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

namespace ors {

namespace {

// A tint of `colour` over the palette's base, so it stays readable on light and dark themes.
QColor tint(const QColor& colour, double amount) {
    const QColor base = QGuiApplication::palette().color(QPalette::Base);
    return QColor::fromRgbF(float(base.redF() * (1 - amount) + colour.redF() * amount),
                            float(base.greenF() * (1 - amount) + colour.greenF() * amount),
                            float(base.blueF() * (1 - amount) + colour.blueF() * amount));
}

QString hourText(int hour) {
    return QStringLiteral("%1:00").arg(hour, 2, 10, QLatin1Char('0'));
}

} // namespace

ScheduleGridModel::ScheduleGridModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void ScheduleGridModel::setWeek(const WeekSchedule& week) {
    beginResetModel();
    m_week = week;
    m_hasWeek = true;
    endResetModel();
}

int ScheduleGridModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_hasWeek ? 0 : 7;
}

int ScheduleGridModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : 24;
}

QString ScheduleGridModel::dayName(int day) const {
    return dayText(m_week.firstDay.addDays(day));
}

QString ScheduleGridModel::cellText(const HourCell& cell) const {
    if (cell.occurrences == 0)
        return QStringLiteral("–");
    if (cell.fires.isEmpty())
        return {};
    const QString count = QLocale().toString(cell.fires.size());
    return cell.overlap ? QStringLiteral("⚠ ") + count : count;
}

QString ScheduleGridModel::describe(const QModelIndex& index) const {
    if (!index.isValid() || !m_hasWeek)
        return {};
    const HourCell& cell = m_week.cell(index.row(), index.column());
    QStringList lines;
    const QString when = tr("%1, %2–%3")
                             .arg(dayName(index.row()), hourText(index.column()),
                                  index.column() == 23 ? hourText(0) : hourText(index.column() + 1));
    if (cell.occurrences == 0)
        return tr("%1: this hour does not exist on this day (clocks go forward).").arg(when);
    if (cell.fires.isEmpty())
        lines.append(tr("%1: no job starts.").arg(when));
    else
        lines.append(cell.fires.size() == 1
                         ? tr("%1: 1 job starts.").arg(when)
                         : tr("%1: %2 jobs start.").arg(when, QLocale().toString(cell.fires.size())));
    if (cell.occurrences == 2)
        lines.append(tr("This hour occurs twice on this day (clocks go back)."));
    for (const int fire : cell.fires) {
        const PlannedFire& planned = m_week.fires.at(fire);
        const QString time = clockTime(planned.at, m_week.zone);
        const QStringList overlaps = m_week.overlapLabels(fire);
        if (overlaps.isEmpty())
            lines.append(tr("%1 %2").arg(time, planned.label()));
        else
            lines.append(tr("%1 %2, overlaps with %3").arg(time, planned.label(), overlaps.join(tr(", "))));
    }
    return lines.join(QLatin1Char('\n'));
}

QVariant ScheduleGridModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_hasWeek)
        return {};
    const HourCell& cell = m_week.cell(index.row(), index.column());
    switch (role) {
    case Qt::DisplayRole:
        return cellText(cell);
    case Qt::ToolTipRole:
    case Qt::AccessibleTextRole:
        return describe(index);
    case Qt::TextAlignmentRole:
        return int(Qt::AlignCenter);
    case Qt::BackgroundRole:
        if (cell.occurrences == 0)
            return QGuiApplication::palette().color(QPalette::Window);
        if (cell.overlap)
            return tint(QColor(230, 120, 0), 0.45);
        if (!cell.fires.isEmpty())
            return tint(QGuiApplication::palette().color(QPalette::Highlight), 0.25);
        return {};
    case Qt::FontRole:
        if (cell.overlap || cell.occurrences == 2) {
            QFont font;
            font.setBold(cell.overlap);
            font.setItalic(cell.occurrences == 2);
            return font;
        }
        return {};
    case OverlapRole:
        return cell.overlap;
    case FireCountRole:
        return int(cell.fires.size());
    default:
        return {};
    }
}

QVariant ScheduleGridModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole && m_hasWeek)
            return dayName(section);
        if (role == Qt::ToolTipRole && m_hasWeek)
            return longDayText(m_week.firstDay.addDays(section));
        return {};
    }
    if (role == Qt::DisplayRole)
        return QStringLiteral("%1").arg(section, 2, 10, QLatin1Char('0'));
    if (role == Qt::ToolTipRole)
        return tr("%1 to %2").arg(hourText(section), section == 23 ? hourText(0) : hourText(section + 1));
    return {};
}

} // namespace ors
