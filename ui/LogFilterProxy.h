#pragma once

#include "logging/LogTail.h"

#include <QSortFilterProxyModel>

namespace ors {

// Narrows a LogTableModel by level, process, resource and text (core's LogLineFilter).
class LogFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit LogFilterProxy(QObject* parent = nullptr);

    void setFilter(const LogLineFilter& filter);
    const LogLineFilter& filter() const { return m_filter; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    LogLineFilter m_filter;
};

} // namespace ors
