#include "LogTableModel.h"

#include "DisplayTime.h"
#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

namespace ors {

LogTableModel::LogTableModel(int maxLines, QObject* parent)
    : QAbstractTableModel(parent)
    , m_maxLines(std::max(1, maxLines)) {}

void LogTableModel::setLines(QList<LogLine> lines) {
    beginResetModel();
    if (lines.size() > m_maxLines)
        lines.remove(0, lines.size() - m_maxLines);
    m_lines = std::move(lines);
    m_dropped = 0;
    endResetModel();
}

void LogTableModel::appendLines(const QList<LogLine>& lines) {
    if (lines.isEmpty())
        return;
    // Only the newest maxLines of a large batch can stay.
    const qsizetype take = std::min<qsizetype>(lines.size(), m_maxLines);
    const qsizetype excess = m_lines.size() + take - m_maxLines;
    if (excess > 0) {
        beginRemoveRows({}, 0, int(excess) - 1);
        m_lines.remove(0, excess);
        endRemoveRows();
        m_dropped += excess;
    }
    m_dropped += lines.size() - take;
    beginInsertRows({}, int(m_lines.size()), int(m_lines.size() + take) - 1);
    m_lines.append(lines.mid(lines.size() - take));
    endInsertRows();
}

void LogTableModel::clear() {
    setLines({});
}

void LogTableModel::setDisplayZone(const QTimeZone& zone) {
    m_zone = zone;
    if (!m_lines.isEmpty())
        Q_EMIT dataChanged(index(0, TimeColumn), index(int(m_lines.size()) - 1, TimeColumn));
    Q_EMIT headerDataChanged(Qt::Horizontal, TimeColumn, TimeColumn);
}

int LogTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_lines.size());
}

int LogTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString LogTableModel::levelText(const LogLine& line) {
    if (!line.valid)
        return tr("malformed");
    if (!line.level)
        return line.levelText.isEmpty() ? QStringLiteral("–") : line.levelText;
    switch (*line.level) {
    case LogLevel::Debug:
        return tr("debug");
    case LogLevel::Info:
        return tr("info");
    case LogLevel::Warning:
        return tr("warning");
    case LogLevel::Error:
        return tr("error");
    }
    return {};
}

QVariant LogTableModel::display(const LogLine& line, int column) const {
    switch (column) {
    case TimeColumn:
        return line.time.isValid() ? fullTime(line.time, m_zone, TimePrecision::Milliseconds)
                                   : QStringLiteral("–");
    case LevelColumn:
        return levelText(line);
    case ProcessColumn:
        return line.process;
    case ResourceColumn:
        return line.resource;
    case MessageColumn:
        if (!line.valid)
            return tr("[malformed log line] %1").arg(QString::fromUtf8(line.raw.left(500)));
        return line.message;
    default:
        return {};
    }
}

QVariant LogTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_lines.size())
        return {};
    const LogLine& line = m_lines.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(line, index.column());
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn && line.time.isValid())
            return utcTime(line.time);
        if (index.column() == MessageColumn)
            return display(line, index.column());
        return {};
    case Qt::ForegroundRole:
        if (index.column() == LevelColumn && line.valid && line.level == LogLevel::Debug)
            return QGuiApplication::palette().color(QPalette::PlaceholderText);
        return {};
    case Qt::BackgroundRole:
        // Text says the level too; the tint only helps the eye find errors in a long list.
        if (!line.valid || line.level == LogLevel::Error)
            return QColor::fromRgbF(0.9f, 0.1f, 0.1f, 0.18f);
        if (line.level == LogLevel::Warning)
            return QColor::fromRgbF(1.0f, 0.6f, 0.0f, 0.18f);
        return {};
    case Qt::FontRole:
        if (index.column() == LevelColumn && (!line.valid || line.level == LogLevel::Error)) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    default:
        return {};
    }
}

QVariant LogTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time (%1)").arg(QString::fromUtf8(m_zone.id()));
    case LevelColumn:
        return tr("Level");
    case ProcessColumn:
        return tr("Process");
    case ResourceColumn:
        return tr("Resource");
    case MessageColumn:
        return tr("Message");
    default:
        return {};
    }
}

} // namespace ors
