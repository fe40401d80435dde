#include "FlowLayout.h"

#include <QWidget>

#include <algorithm>

namespace ors {

FlowLayout::FlowLayout(QWidget* parent, int spacing)
    : QLayout(parent) {
    setSpacing(spacing);
}

FlowLayout::~FlowLayout() {
    while (QLayoutItem* item = takeAt(0))
        delete item;
}

void FlowLayout::addItem(QLayoutItem* item) {
    m_items.append(item);
}

int FlowLayout::count() const {
    return int(m_items.size());
}

QLayoutItem* FlowLayout::itemAt(int index) const {
    return index >= 0 && index < m_items.size() ? m_items.at(index) : nullptr;
}

QLayoutItem* FlowLayout::takeAt(int index) {
    return index >= 0 && index < m_items.size() ? m_items.takeAt(index) : nullptr;
}

Qt::Orientations FlowLayout::expandingDirections() const {
    return {};
}

bool FlowLayout::hasHeightForWidth() const {
    return true;
}

int FlowLayout::heightForWidth(int width) const {
    return arrange(QRect(0, 0, width, 0), false);
}

QSize FlowLayout::minimumSize() const {
    QSize size;
    for (const QLayoutItem* item : m_items)
        size = size.expandedTo(item->minimumSize());
    const QMargins margins = contentsMargins();
    return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom());
}

QSize FlowLayout::sizeHint() const {
    return minimumSize();
}

void FlowLayout::setGeometry(const QRect& rect) {
    QLayout::setGeometry(rect);
    arrange(rect, true);
}

int FlowLayout::arrange(const QRect& rect, bool apply) const {
    const QRect area = rect.marginsRemoved(contentsMargins());
    int x = area.x();
    int y = area.y();
    int rowHeight = 0;
    // Items of a row share its height, so cards of one row line up at the bottom too.
    QList<QLayoutItem*> row;
    const auto placeRow = [&] {
        int left = area.x();
        for (QLayoutItem* item : row) {
            const QSize hint = item->sizeHint();
            if (apply)
                item->setGeometry(QRect(QPoint(left, y), QSize(hint.width(), rowHeight)));
            left += hint.width() + spacing();
        }
        row.clear();
    };
    for (QLayoutItem* item : m_items) {
        if (item->isEmpty())
            continue;
        const QSize hint = item->sizeHint();
        if (!row.isEmpty() && x + hint.width() > area.right() + 1) {
            placeRow();
            y += rowHeight + spacing();
            x = area.x();
            rowHeight = 0;
        }
        row.append(item);
        x += hint.width() + spacing();
        rowHeight = std::max(rowHeight, hint.height());
    }
    placeRow();
    return y + rowHeight - rect.y() + contentsMargins().bottom();
}

} // namespace ors
