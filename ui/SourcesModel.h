#pragma once

#include "config/Config.h"
#include "processes/JobTypes.h"
#include "runner/LastRuns.h"

#include <QAbstractTableModel>
#include <QList>

#include <optional>

namespace ors {

// The configured sources with their last sync (time, result) and the live progress of a
// running job. Last runs are read from stats.sqlite on a worker thread (refreshLastRuns),
// at start and after every job; the GUI thread never touches SQL.
class SourcesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { SourceColumn, PlatformColumn, LastSyncColumn, ResultColumn, ProgressColumn, ColumnCount };
    Q_ENUM(Column)

    explicit SourcesModel(QObject* parent = nullptr);

    void setSources(const QList<SourceConfig>& sources, const QString& dataDir);
    QString sourceName(int row) const;
    int rowOf(const QString& source) const;
    bool isRunning(const QString& source) const;
    std::optional<JobProgress> progress(const QString& source) const;

    // Starts reading the last runs in a worker; lastRunsRefreshed() follows when they are shown.
    void refreshLastRuns();

    void markStarted(const QString& source);
    void applyProgress(const JobProgress& progress);
    // Shows the outcome at once, then re-reads the stats for the recorded run.
    void markFinished(const JobResult& result);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void lastRunsRefreshed();
    void lastRunsFailed(const QString& message);

private:
    struct Row {
        SourceConfig source;
        std::optional<RunSummary> lastRun;
        bool running = false;
        std::optional<JobProgress> progress;
        QString attemptStarted; // UTC, when this program last started a job for the source
    };

    void applyLastRuns(const LastRuns& runs);
    void emitRowChanged(int row);
    QVariant display(const Row& row, int column) const;
    QVariant toolTip(const Row& row, int column) const;

    QList<Row> m_rows;
    QString m_dataDir;
    quint64 m_refreshGeneration = 0;
};

} // namespace ors
