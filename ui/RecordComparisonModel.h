#pragma once

#include "inspect/RecordComparison.h"

#include <QAbstractTableModel>
#include <QSet>

namespace ors {

// One record side by side: a row per field of the parent table, a column for the MLS and one per
// destination. A destination's cell that differs from the MLS carries a warning icon, a tint and
// the word "differs" in the Compared column; "Only differences" hides the equal rows.
class RecordComparisonModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum FixedColumn { FieldColumn, ComparedColumn, MlsColumn, FirstDestinationColumn };
    // Whether any destination differs from the MLS in this row (bool).
    static constexpr int DiffersRole = Qt::UserRole + 1;

    explicit RecordComparisonModel(QObject* parent = nullptr);

    void setComparison(const RecordComparison& comparison);
    void setOnlyDifferences(bool only);
    const RecordComparison& comparison() const { return m_comparison; }
    // The row showing `field`, or -1 (hidden or unknown).
    int rowOf(const QString& field) const;
    // Whether destination `index`'s value of `field` differs from the MLS's.
    bool differs(int destination, const QString& field) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void rebuild();
    QString sideState(int destination) const; // "not found", "error", or empty
    QStringList differingDestinations(const QString& field) const;

    RecordComparison m_comparison;
    // Per destination, the parent fields with a Value or MissingField difference.
    QList<QSet<QString>> m_differing;
    QStringList m_fields; // shown, in the plan's order
    bool m_onlyDifferences = false;
};

} // namespace ors
