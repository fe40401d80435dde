#include "JobsModel.h"

#include "DisplayTime.h"
#include "runner/ProgressText.h"

#include <algorithm>
#include <QApplication>
#include <QLocale>
#include <QStyle>

namespace ors {

namespace {

QString processText(ProcessType process) {
    switch (process) {
    case ProcessType::Sync:
        return JobsModel::tr("sync");
    case ProcessType::Purge:
        return JobsModel::tr("purge");
    case ProcessType::Reconcile:
        return JobsModel::tr("reconcile");
    }
    return {};
}

QString originText(JobOrigin origin) {
    switch (origin) {
    case JobOrigin::Schedule:
        return JobsModel::tr("schedule");
    case JobOrigin::CatchUp:
        return JobsModel::tr("catch-up");
    case JobOrigin::Manual:
        return JobsModel::tr("manual");
    }
    return {};
}

QString stateText(const JobEntry& entry) {
    if (entry.state == JobEntry::State::Running)
        return entry.cancelRequested ? JobsModel::tr("cancelling") : JobsModel::tr("running");
    if (entry.state == JobEntry::State::Queued)
        return JobsModel::tr("queued");
    return jobStateName(entry.state);
}

} // namespace

QString jobPhaseText(const QString& phase) {
    if (phase == QLatin1String("metadata"))
        return JobsModel::tr("reading metadata");
    if (phase == QLatin1String("download"))
        return JobsModel::tr("downloading");
    if (phase == QLatin1String("download keys"))
        return JobsModel::tr("downloading keys");
    if (phase == QLatin1String("apply"))
        return JobsModel::tr("applying");
    if (phase == QLatin1String("fetch"))
        return JobsModel::tr("fetching missing");
    if (phase == QLatin1String("purge"))
        return JobsModel::tr("purging");
    if (phase == QLatin1String("done"))
        return JobsModel::tr("done");
    return phase;
}

QString jobProgressText(const JobProgress& p) {
    if (p.phase == QLatin1String("metadata"))
        return {};
    const QLocale locale;
    if (p.total >= 0)
        return JobsModel::tr("%1 / %2 records").arg(locale.toString(p.done), locale.toString(p.total));
    return JobsModel::tr("%1 records").arg(locale.toString(p.done));
}

QString jobRateText(const JobProgress& p) {
    if (p.recordsPerSecond <= 0 || p.phase == QLatin1String("done"))
        return {};
    return JobsModel::tr("%1 records/s").arg(QLocale().toString(qint64(p.recordsPerSecond)));
}

QString jobEtaText(const JobProgress& p) {
    if (p.etaSeconds < 0 || p.phase == QLatin1String("done"))
        return {};
    return formatEta(p.etaSeconds);
}

JobsModel::JobsModel(const JobBoard* board, QObject* parent)
    : QAbstractTableModel(parent)
    , m_board(board) {
    if (m_board)
        connect(m_board, &JobBoard::changed, this, &JobsModel::refresh);
    refresh();
}

void JobsModel::setDisplayZone(const QTimeZone& zone) {
    m_zone = zone;
    if (!m_entries.isEmpty())
        Q_EMIT dataChanged(index(0, Queued), index(rowCount() - 1, Started));
}

QDateTime JobsModel::now() const {
    return m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
}

void JobsModel::refresh() {
    const QList<JobEntry> next = m_board ? m_board->jobs() : QList<JobEntry>{};
    bool sameRows = next.size() == m_entries.size();
    for (qsizetype i = 0; sameRows && i < next.size(); ++i)
        sameRows = next.at(i).id == m_entries.at(i).id && next.at(i).state == m_entries.at(i).state;
    if (sameRows) {
        m_entries = next;
        if (!m_entries.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_entries = next;
    endResetModel();
}

int JobsModel::rowOf(quint64 jobId) const {
    for (qsizetype i = 0; i < m_entries.size(); ++i)
        if (m_entries.at(i).id == jobId)
            return int(i);
    return -1;
}

int JobsModel::runningCount() const {
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(),
                             [](const JobEntry& e) { return e.state == JobEntry::State::Running; }));
}

int JobsModel::queuedCount() const {
    return int(m_entries.size()) - runningCount();
}

int JobsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_entries.size());
}

int JobsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobsModel::display(const JobEntry& e, int column) const {
    const bool running = e.state == JobEntry::State::Running;
    const JobProgress p = e.progress.value_or(JobProgress{});
    switch (column) {
    case Source:
        return e.request.source;
    case Process:
        return e.request.options.resource.isEmpty()
                   ? processText(e.request.process)
                   : tr("%1 (%2 only)").arg(processText(e.request.process), e.request.options.resource);
    case Origin:
        return originText(e.request.origin);
    case State:
        return stateText(e);
    case Phase:
        return running ? (e.progress ? jobPhaseText(p.phase) : tr("starting")) : QString();
    case Resource:
        return running ? p.resource : QString();
    case Progress:
        return running && e.progress ? jobProgressText(p) : QString();
    case Rate:
        return running && e.progress ? jobRateText(p) : QString();
    case Eta:
        return running && e.progress ? jobEtaText(p) : QString();
    case Queued:
        return shortTime(e.queuedAt, m_zone, now());
    case Started:
        return shortTime(e.startedAt, m_zone, now());
    default:
        return {};
    }
}

QVariant JobsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const JobEntry& e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return display(e, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Queued)
            return absoluteTime(e.queuedAt, m_zone);
        if (index.column() == Started)
            return absoluteTime(e.startedAt, m_zone);
        if (index.column() == Progress && e.progress)
            return describeProgress(*e.progress);
        if (index.column() == State && e.state == JobEntry::State::Queued)
            return tr("Waits for a free slot or for this source's running job");
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Rate || index.column() == Eta || index.column() == Progress)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::DecorationRole:
        if (index.column() == State)
            return QApplication::style()->standardIcon(
                e.state == JobEntry::State::Running ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause);
        return {};
    case JobIdRole:
        return QVariant::fromValue(e.id);
    case SourceRole:
        return e.request.source;
    case ProcessRole:
        return int(e.request.process);
    case RunningRole:
        return e.state == JobEntry::State::Running;
    case DoneRole:
        return e.progress ? e.progress->done : qint64(-1);
    case TotalRole:
        return e.progress ? e.progress->total : qint64(-1);
    default:
        return {};
    }
}

QVariant JobsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Source:
        return tr("Source");
    case Process:
        return tr("Process");
    case Origin:
        return tr("Origin");
    case State:
        return tr("State");
    case Phase:
        return tr("Phase");
    case Resource:
        return tr("Resource");
    case Progress:
        return tr("Progress");
    case Rate:
        return tr("Rate");
    case Eta:
        return tr("ETA");
    case Queued:
        return tr("Queued");
    case Started:
        return tr("Started");
    default:
        return {};
    }
}

} // namespace ors
