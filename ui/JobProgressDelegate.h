#pragma once

#include <QStyledItemDelegate>

namespace ors {

// Paints a running job's progress cell as a progress bar (records done of the total, the cell's
// text on it); busy, without a fill level, while the total is unknown. Reads JobsModel's
// RunningRole, DoneRole and TotalRole; other cells are painted as usual.
class JobProgressDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace ors
