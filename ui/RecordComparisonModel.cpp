#include "RecordComparisonModel.h"

#include "inspect/RecordValues.h"

#include <QApplication>
#include <QColor>
#include <QFont>
#include <QSet>
#include <QStyle>

namespace ors {

RecordComparisonModel::RecordComparisonModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void RecordComparisonModel::setComparison(const RecordComparison& comparison) {
    beginResetModel();
    m_comparison = comparison;
    m_differing.clear();
    for (const DestinationRecord& d : m_comparison.destinations) {
        QSet<QString> fields;
        for (const FieldDifference& difference : d.differences)
            if (difference.kind == DifferenceKind::Value || difference.kind == DifferenceKind::MissingField)
                fields.insert(difference.field);
        m_differing.append(fields);
    }
    rebuild();
    endResetModel();
}

void RecordComparisonModel::setOnlyDifferences(bool only) {
    if (only == m_onlyDifferences)
        return;
    beginResetModel();
    m_onlyDifferences = only;
    rebuild();
    endResetModel();
}

void RecordComparisonModel::rebuild() {
    m_fields.clear();
    for (const RecordColumn& column : m_comparison.columns)
        if (!m_onlyDifferences || !differingDestinations(column.name).isEmpty())
            m_fields.append(column.name);
}

QStringList RecordComparisonModel::differingDestinations(const QString& field) const {
    QStringList out;
    for (int i = 0; i < m_differing.size(); ++i)
        if (m_differing.at(i).contains(field))
            out.append(m_comparison.destinations.at(i).name);
    return out;
}

bool RecordComparisonModel::differs(int destination, const QString& field) const {
    return destination >= 0 && destination < m_differing.size() &&
           m_differing.at(destination).contains(field);
}

int RecordComparisonModel::rowOf(const QString& field) const {
    return int(m_fields.indexOf(field));
}

int RecordComparisonModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_fields.size());
}

int RecordComparisonModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : FirstDestinationColumn + int(m_comparison.destinations.size());
}

QString RecordComparisonModel::sideState(int destination) const {
    if (destination < 0) {
        if (!m_comparison.mlsError.isEmpty())
            return tr("error");
        return m_comparison.mlsFound ? QString() : tr("not found");
    }
    const DestinationRecord& d = m_comparison.destinations.at(destination);
    if (!d.error.isEmpty())
        return tr("error");
    return d.found ? QString() : tr("not found");
}

QVariant RecordComparisonModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_fields.size())
        return {};
    const QString& field = m_fields.at(index.row());
    const QStringList differing = differingDestinations(field);
    const int destination = index.column() - FirstDestinationColumn;
    const bool cellDiffers = destination >= 0 && differs(destination, field);
    const auto value = [&]() -> QString {
        const int side = index.column() == MlsColumn ? -1 : destination;
        if (!sideState(side).isEmpty())
            return QString();
        const QJsonObject& fields =
            side < 0 ? m_comparison.mlsFields : m_comparison.destinations.at(side).fields;
        if (!fields.contains(field))
            return tr("(no column)");
        return RecordValues::display(fields.value(field));
    };
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == FieldColumn)
            return field;
        if (index.column() == ComparedColumn)
            return differing.isEmpty() ? tr("same") : tr("differs: %1").arg(differing.join(tr(", ")));
        return value();
    case Qt::ToolTipRole:
        if (cellDiffers)
            return tr("Differs from the MLS (%1)")
                .arg(RecordValues::display(m_comparison.mlsFields.value(field)));
        return data(index, Qt::DisplayRole);
    case Qt::DecorationRole:
        if (cellDiffers || (index.column() == ComparedColumn && !differing.isEmpty()))
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        return {};
    case Qt::BackgroundRole:
        if (cellDiffers)
            return QColor::fromRgbF(1.0f, 0.55f, 0.0f, 0.28f);
        return {};
    case Qt::FontRole:
        if (cellDiffers || (index.column() == ComparedColumn && !differing.isEmpty())) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case DiffersRole:
        return index.column() >= FirstDestinationColumn ? cellDiffers : !differing.isEmpty();
    default:
        return {};
    }
}

QVariant RecordComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const auto withState = [this](const QString& name, int side) {
        const QString state = sideState(side);
        return state.isEmpty() ? name : tr("%1 (%2)").arg(name, state);
    };
    switch (section) {
    case FieldColumn:
        return tr("Field");
    case ComparedColumn:
        return tr("Compared");
    case MlsColumn:
        return withState(tr("MLS"), -1);
    default: {
        const int destination = section - FirstDestinationColumn;
        if (destination < 0 || destination >= m_comparison.destinations.size())
            return {};
        return withState(m_comparison.destinations.at(destination).name, destination);
    }
    }
}

} // namespace ors
