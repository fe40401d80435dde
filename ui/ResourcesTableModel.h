#pragma once

#include "inspect/SourceStatus.h"

#include <QAbstractTableModel>
#include <QTimeZone>

namespace ors {

// The resources table's rows: one per resource and destination of one source, from a collected
// SourceStatus (core's `status`). Mismatches carry an icon and their worded difference, never a
// colour alone; errors (the MLS request, a destination that cannot be read) stay on their row.
class ResourcesTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ResourceColumn,
        DestinationColumn,
        RecordsColumn,
        MlsRecordsColumn,
        DifferenceColumn,
        NewestColumn,
        MlsNewestColumn,
        BehindColumn, // how far its sync lags the source's other destinations
        ProblemColumn,
        ColumnCount
    };
    // Qt::UserRole: whether the row's destination matches the MLS (bool).
    static constexpr int InSyncRole = Qt::UserRole + 1;

    explicit ResourcesTableModel(QObject* parent = nullptr);

    void setStatus(const SourceStatus& status);
    void clear();
    void setDisplayZone(const QTimeZone& zone);

    const SourceStatus& status() const { return m_status; }
    // "Property → local: missing 1" for every row not in sync.
    QStringList differenceSummary() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        int resource = 0;
        int destination = 0;
        StatusDifference difference;
    };
    QVariant display(const Row& row, int column) const;
    QVariant toolTip(const Row& row, int column) const;
    QString problem(const Row& row) const;
    QString timeText(const std::optional<QDateTime>& instant, const QString& text) const;
    QString behindText(const DestinationStatus& destination) const;

    SourceStatus m_status;
    QList<Row> m_rows;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
};

} // namespace ors
