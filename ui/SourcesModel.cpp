#include "SourcesModel.h"

#include "runner/ProgressText.h"

#include <QColor>
#include <QDateTime>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace ors {

namespace {

// What a worker hands back: plain values only.
struct LastRunsRead {
    LastRuns runs;
    QString error;
};

QDateTime parseUtc(const QString& text) {
    return QDateTime::fromString(text, Qt::ISODateWithMs);
}

QString nowUtc() {
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QString localTime(const QString& utc) {
    const QDateTime time = parseUtc(utc);
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : utc;
}

} // namespace

SourcesModel::SourcesModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void SourcesModel::setSources(const QList<SourceConfig>& sources, const QString& dataDir) {
    beginResetModel();
    m_rows.clear();
    for (const SourceConfig& source : sources)
        m_rows.append(Row{source, std::nullopt, false, std::nullopt, {}});
    m_dataDir = dataDir;
    endResetModel();
}

QString SourcesModel::sourceName(int row) const {
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).source.name : QString();
}

int SourcesModel::rowOf(const QString& source) const {
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).source.name == source)
            return i;
    return -1;
}

bool SourcesModel::isRunning(const QString& source) const {
    const int row = rowOf(source);
    return row >= 0 && m_rows.at(row).running;
}

std::optional<JobProgress> SourcesModel::progress(const QString& source) const {
    const int row = rowOf(source);
    return row >= 0 ? m_rows.at(row).progress : std::nullopt;
}

void SourcesModel::refreshLastRuns() {
    if (m_rows.isEmpty())
        return;
    QStringList names;
    for (const Row& row : std::as_const(m_rows))
        names.append(row.source.name);
    const quint64 generation = ++m_refreshGeneration;
    // Parented to the model: if the model goes away first, the callback never runs.
    auto* watcher = new QFutureWatcher<LastRunsRead>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_refreshGeneration)
            return; // a newer read is on its way
        const LastRunsRead read = watcher->result();
        if (!read.error.isEmpty()) {
            Q_EMIT lastRunsFailed(read.error);
            return;
        }
        applyLastRuns(read.runs);
        Q_EMIT lastRunsRefreshed();
    });
    watcher->setFuture(QtConcurrent::run([dataDir = m_dataDir, names] {
        Expected<LastRuns> runs = readLastSyncRuns(dataDir, names);
        return runs ? LastRunsRead{*runs, {}} : LastRunsRead{{}, runs.errorMessage()};
    }));
}

void SourcesModel::applyLastRuns(const LastRuns& runs) {
    for (Row& row : m_rows) {
        const auto stored = runs.constFind(row.source.name);
        // An attempt that failed before it could record a run (e.g. the source was busy) is
        // kept until a newer run is recorded. Its start was taken just before the job's own.
        if (row.lastRun && row.lastRun->id == 0 &&
            (stored == runs.constEnd() ||
             parseUtc(stored->started) < parseUtc(row.lastRun->started).addSecs(-2)))
            continue;
        row.lastRun = stored == runs.constEnd() ? std::nullopt : std::optional<RunSummary>(*stored);
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void SourcesModel::markStarted(const QString& source) {
    const int i = rowOf(source);
    if (i < 0)
        return;
    m_rows[i].running = true;
    m_rows[i].progress.reset();
    m_rows[i].attemptStarted = nowUtc();
    emitRowChanged(i);
}

void SourcesModel::applyProgress(const JobProgress& progress) {
    const int i = rowOf(progress.source);
    if (i < 0 || !m_rows.at(i).running)
        return;
    m_rows[i].progress = progress;
    Q_EMIT dataChanged(index(i, ProgressColumn), index(i, ProgressColumn));
}

void SourcesModel::markFinished(const JobResult& result) {
    const int i = rowOf(result.source);
    if (i < 0)
        return;
    Row& row = m_rows[i];
    row.running = false;
    row.progress.reset();
    // The columns are about syncs; a scheduled purge or reconcile only ends the "running" state.
    if (result.process != processName(ProcessType::Sync)) {
        emitRowChanged(i);
        return;
    }
    RunSummary attempt; // id 0: not (yet) read from the stats
    attempt.source = result.source;
    attempt.process = result.process;
    attempt.started = row.attemptStarted.isEmpty() ? nowUtc() : row.attemptStarted;
    attempt.finished = nowUtc();
    attempt.result = result.ok() ? QStringLiteral("success") : QStringLiteral("error");
    attempt.error = result.error;
    attempt.records = result.recordsDownloaded;
    row.lastRun = attempt;
    emitRowChanged(i);
    refreshLastRuns();
}

void SourcesModel::emitRowChanged(int row) {
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int SourcesModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SourcesModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SourcesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SourceColumn:
        return tr("Source");
    case PlatformColumn:
        return tr("Platform");
    case LastSyncColumn:
        return tr("Last sync");
    case ResultColumn:
        return tr("Result");
    case ProgressColumn:
        return tr("Progress");
    default:
        return {};
    }
}

QVariant SourcesModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row& row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case Qt::ToolTipRole:
        return toolTip(row, index.column());
    case Qt::ForegroundRole:
        if (index.column() == ResultColumn && !row.running && row.lastRun) {
            if (row.lastRun->result == QLatin1String("success"))
                return QColor(0x1b, 0x7a, 0x2f);
            if (row.lastRun->result == QLatin1String("error"))
                return QColor(0xb0, 0x1c, 0x1c);
        }
        if (index.column() == LastSyncColumn && !row.lastRun)
            return QColor(Qt::gray);
        return {};
    default:
        return {};
    }
}

QVariant SourcesModel::display(const Row& row, int column) const {
    switch (column) {
    case SourceColumn:
        return row.source.name;
    case PlatformColumn:
        return platformName(row.source.platform);
    case LastSyncColumn:
        if (!row.lastRun)
            return tr("never");
        return localTime(row.lastRun->finished.isEmpty() ? row.lastRun->started : row.lastRun->finished);
    case ResultColumn:
        if (row.running)
            return tr("running");
        if (!row.lastRun)
            return QString();
        if (row.lastRun->result == QLatin1String("success"))
            return tr("success (%1 records)").arg(row.lastRun->records);
        if (row.lastRun->result == QLatin1String("error"))
            return row.lastRun->error.isEmpty() ? tr("error") : tr("error: %1").arg(row.lastRun->error);
        if (row.lastRun->result == QLatin1String("running"))
            return tr("unfinished");
        return row.lastRun->result;
    case ProgressColumn:
        if (!row.running)
            return QString();
        return row.progress ? describeProgress(*row.progress) : tr("starting…");
    default:
        return {};
    }
}

QVariant SourcesModel::toolTip(const Row& row, int column) const {
    switch (column) {
    case SourceColumn: {
        QStringList resources, destinations;
        for (const ResourceConfig& r : row.source.resources)
            resources.append(r.name);
        for (const DestinationConfig& d : row.source.destinations)
            destinations.append(QStringLiteral("%1 (%2)").arg(d.name, destinationTypeName(d.type)));
        return tr("%1\nResources: %2\nDestinations: %3")
            .arg(row.source.serviceUrl, resources.join(QStringLiteral(", ")),
                 destinations.join(QStringLiteral(", ")));
    }
    case LastSyncColumn:
        if (!row.lastRun)
            return tr("This source has not been synced yet.");
        return tr("Started %1, finished %2 (local time)")
            .arg(localTime(row.lastRun->started),
                 row.lastRun->finished.isEmpty() ? tr("never") : localTime(row.lastRun->finished));
    case ResultColumn:
        if (row.lastRun && row.lastRun->result == QLatin1String("running") && !row.running)
            return tr("The last run did not finish: the program stopped, or another program is syncing "
                      "this source. The next sync resumes it.");
        return display(row, column);
    case ProgressColumn:
        return display(row, column);
    default:
        return {};
    }
}

} // namespace ors
