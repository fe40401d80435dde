#pragma once

#include "logging/LogTail.h"

#include <QAbstractTableModel>
#include <QList>
#include <QTimeZone>

namespace ors {

// A source's log lines as a table: time (display zone), level, process, resource, message. Holds
// at most maxLines() lines, the most recent: appending past that drops the oldest. Lines arrive
// parsed (LogStream); the model only stores and shows them.
class LogTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, LevelColumn, ProcessColumn, ResourceColumn, MessageColumn, ColumnCount };
    Q_ENUM(Column)

    static constexpr int kDefaultMaxLines = 50000;

    explicit LogTableModel(int maxLines = kDefaultMaxLines, QObject* parent = nullptr);

    void setLines(QList<LogLine> lines);
    void appendLines(const QList<LogLine>& lines);
    void clear();

    int maxLines() const { return m_maxLines; }
    const LogLine& line(int row) const { return m_lines.at(row); }
    // Lines dropped from the front since setLines() to stay within maxLines().
    qint64 droppedLines() const { return m_dropped; }
    void setDisplayZone(const QTimeZone& zone);
    const QTimeZone& displayZone() const { return m_zone; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The words shown for a level, and for a line that is not JSON.
    static QString levelText(const LogLine& line);

private:
    QVariant display(const LogLine& line, int column) const;

    QList<LogLine> m_lines;
    int m_maxLines;
    qint64 m_dropped = 0;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
};

} // namespace ors
