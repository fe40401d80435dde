#include "JobProgressDelegate.h"

#include "JobsModel.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

#include <algorithm>

namespace ors {

void JobProgressDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                const QModelIndex& index) const {
    const qint64 done = index.data(JobsModel::DoneRole).toLongLong();
    if (!index.data(JobsModel::RunningRole).toBool() || done < 0) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const qint64 total = index.data(JobsModel::TotalRole).toLongLong();
    // The selection behind the bar, so a selected row still reads as selected.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);

    QStyleOptionProgressBar bar;
    bar.initFrom(widget);
    bar.state = option.state | QStyle::State_Horizontal;
    bar.direction = option.direction;
    bar.rect = option.rect.adjusted(2, 2, -2, -2);
    bar.fontMetrics = option.fontMetrics;
    bar.palette = option.palette;
    bar.textVisible = true;
    bar.text = index.data().toString();
    bar.textAlignment = Qt::AlignCenter;
    bar.minimum = 0;
    if (total > 0) {
        // Per mille: record counts outgrow the int a progress bar holds.
        bar.maximum = 1000;
        bar.progress = int(std::clamp<qint64>(done * 1000 / total, 0, 1000));
    } else if (total == 0) {
        bar.maximum = 1;
        bar.progress = 1;
    } else {
        bar.maximum = 0; // busy: the total is unknown
        bar.progress = 0;
    }
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

QSize JobProgressDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(std::max(size.width() + 24, 160));
    size.setHeight(std::max(size.height(), option.fontMetrics.height() + 8));
    return size;
}

} // namespace ors
