#include "LogFilterProxy.h"

#include "LogTableModel.h"

namespace ors {

LogFilterProxy::LogFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent) {}

void LogFilterProxy::setFilter(const LogLineFilter& filter) {
    m_filter = filter;
    invalidateFilter();
}

bool LogFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (sourceParent.isValid())
        return false;
    const auto* model = qobject_cast<const LogTableModel*>(sourceModel());
    return model == nullptr || m_filter.accepts(model->line(sourceRow));
}

} // namespace ors
