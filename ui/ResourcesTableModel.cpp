#include "ResourcesTableModel.h"

#include "DisplayTime.h"
#include <QApplication>
#include <QColor>
#include <QFont>
#include <QLocale>
#include <QStyle>

namespace ors {

ResourcesTableModel::ResourcesTableModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void ResourcesTableModel::setStatus(const SourceStatus& status) {
    beginResetModel();
    m_status = status;
    m_rows.clear();
    for (int r = 0; r < m_status.resources.size(); ++r) {
        const ResourceStatus& resource = m_status.resources.at(r);
        for (int d = 0; d < resource.destinations.size(); ++d)
            m_rows.append(Row{r, d, describeDifference(resource.mls, resource.destinations.at(d))});
    }
    endResetModel();
}

void ResourcesTableModel::clear() {
    setStatus({});
}

void ResourcesTableModel::setDisplayZone(const QTimeZone& zone) {
    beginResetModel();
    m_zone = zone;
    endResetModel();
    Q_EMIT headerDataChanged(Qt::Horizontal, NewestColumn, MlsNewestColumn);
}

QStringList ResourcesTableModel::differenceSummary() const {
    QStringList out;
    for (const Row& row : m_rows) {
        if (row.difference.inSync)
            continue;
        const ResourceStatus& resource = m_status.resources.at(row.resource);
        out.append(tr("%1 → %2: %3")
                       .arg(resource.resource, resource.destinations.at(row.destination).name,
                            row.difference.text()));
    }
    return out;
}

int ResourcesTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ResourcesTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString ResourcesTableModel::timeText(const std::optional<QDateTime>& instant, const QString& text) const {
    if (!instant)
        return text.isEmpty() ? tr("—") : text; // shown as stored when it is not a timestamp
    return fullTime(*instant, m_zone, TimePrecision::Seconds);
}

QString ResourcesTableModel::behindText(const DestinationStatus& destination) const {
    // Its high-water mark against the newest any destination of the source has, and the page
    // files kept on disk until it takes them.
    QStringList parts;
    if (destination.lagMs && *destination.lagMs > 0)
        parts.append(tr("%1 behind").arg(spanText(*destination.lagMs)));
    if (destination.pendingFiles > 0)
        parts.append(tr("%n file(s) waiting", nullptr, int(destination.pendingFiles)));
    if (!parts.isEmpty())
        return parts.join(QStringLiteral(", "));
    return destination.lagMs ? tr("up to date") : tr("—");
}

QString ResourcesTableModel::problem(const Row& row) const {
    const ResourceStatus& resource = m_status.resources.at(row.resource);
    const DestinationStatus& destination = resource.destinations.at(row.destination);
    QStringList problems;
    if (!destination.opened)
        problems.append(
            tr("Destination cannot be opened: %1")
                .arg(destination.openError.isEmpty() ? tr("not available") : destination.openError));
    else if (!destination.error.isEmpty())
        problems.append(destination.error);
    if (!resource.mls.error.isEmpty())
        problems.append(tr("MLS: %1").arg(resource.mls.error));
    else if (!resource.mls.newestUnavailable.isEmpty())
        problems.append(tr("MLS newest unknown: %1").arg(resource.mls.newestUnavailable));
    if (destination.blocked)
        problems.append(tr("Sync blocked: %1").arg(destination.lastError));
    else if (destination.failing)
        problems.append(tr("Sync failing: %1").arg(destination.lastError));
    if (destination.rejected > 0)
        problems.append(tr("%1 record(s) rejected").arg(QLocale().toString(destination.rejected)));
    return problems.join(QLatin1Char('\n'));
}

QVariant ResourcesTableModel::display(const Row& row, int column) const {
    const ResourceStatus& resource = m_status.resources.at(row.resource);
    const DestinationStatus& destination = resource.destinations.at(row.destination);
    const QLocale locale;
    switch (column) {
    case ResourceColumn:
        return resource.resource;
    case DestinationColumn:
        return destination.name;
    case RecordsColumn:
        return destination.count ? locale.toString(*destination.count) : tr("—");
    case MlsRecordsColumn:
        return resource.mls.count ? locale.toString(*resource.mls.count) : tr("—");
    case DifferenceColumn:
        return row.difference.text();
    case NewestColumn:
        return timeText(destination.newest, destination.newestText);
    case MlsNewestColumn:
        return timeText(resource.mls.newest, resource.mls.newestText);
    case BehindColumn:
        return behindText(destination);
    case ProblemColumn:
        return problem(row).replace(QLatin1Char('\n'), QStringLiteral("; "));
    default:
        return {};
    }
}

QVariant ResourcesTableModel::toolTip(const Row& row, int column) const {
    const ResourceStatus& resource = m_status.resources.at(row.resource);
    const DestinationStatus& destination = resource.destinations.at(row.destination);
    const auto utc = [](const std::optional<QDateTime>& instant, const QString& text) {
        return instant ? utcTime(*instant) : text;
    };
    switch (column) {
    case NewestColumn:
        return utc(destination.newest, destination.newestText);
    case MlsNewestColumn:
        return utc(resource.mls.newest, resource.mls.newestText);
    case BehindColumn:
        if (destination.newestMark.isEmpty())
            return display(row, column);
        return tr("High-water mark %1; the newest of the source's destinations %2")
            .arg(destination.mark.isEmpty() ? tr("none") : destination.mark, destination.newestMark);
    case DifferenceColumn:
    case ProblemColumn: {
        const QString text = problem(row);
        return text.isEmpty() ? display(row, column) : QVariant(text);
    }
    default:
        return display(row, column);
    }
}

QVariant ResourcesTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row& row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case Qt::ToolTipRole:
        return toolTip(row, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() == RecordsColumn || index.column() == MlsRecordsColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::DecorationRole:
        if (index.column() == DifferenceColumn) {
            const QStyle::StandardPixmap icon = row.difference.inSync    ? QStyle::SP_DialogApplyButton
                                                : row.difference.unknown ? QStyle::SP_MessageBoxQuestion
                                                                         : QStyle::SP_MessageBoxWarning;
            return QApplication::style()->standardIcon(icon);
        }
        if (index.column() == ProblemColumn && !problem(row).isEmpty())
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxCritical);
        return {};
    case Qt::FontRole:
        if (index.column() == DifferenceColumn && !row.difference.inSync) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::BackgroundRole:
        // A translucent tint reads on light and dark palettes alike; the icon and the words carry
        // the meaning, the tint only draws the eye.
        if (index.column() == DifferenceColumn && !row.difference.inSync)
            return row.difference.unknown ? QColor::fromRgbF(0.5f, 0.5f, 0.5f, 0.18f)
                                          : QColor::fromRgbF(1.0f, 0.55f, 0.0f, 0.28f);
        return {};
    case InSyncRole:
        return row.difference.inSync;
    default:
        return {};
    }
}

QVariant ResourcesTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return section == RecordsColumn || section == MlsRecordsColumn
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (section) {
    case ResourceColumn:
        return tr("Resource");
    case DestinationColumn:
        return tr("Destination");
    case RecordsColumn:
        return tr("Records");
    case MlsRecordsColumn:
        return tr("MLS records");
    case DifferenceColumn:
        return tr("Difference");
    case NewestColumn:
        return tr("Newest held");
    case MlsNewestColumn:
        return tr("Newest at the MLS");
    case BehindColumn:
        return tr("Behind");
    case ProblemColumn:
        return tr("Problems");
    default:
        return {};
    }
}

} // namespace ors
