#pragma once

#include "JobBoard.h"
#include "runner/JobQueue.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QPointer>
#include <QTimeZone>

namespace ors {

// The running then queued jobs of the window's JobBoard (this program's queue or an attached
// `serve`), one row each, kept current by the board's changed() signal: the same jobs in the same
// order update the rows in place (progress, state), any other set swaps the rows in. Only reads.
class JobsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Source,
        Process,
        Origin,
        State,
        Phase,
        Resource,
        Progress,
        Rate,
        Eta,
        Queued,
        Started,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        JobIdRole = Qt::UserRole + 1, // quint64
        SourceRole,                   // QString
        ProcessRole,                  // ors::ProcessType as int
        RunningRole,                  // bool
        DoneRole,                     // qint64: records done, -1 before the first progress
        TotalRole,                    // qint64: -1 when unknown
    };

    explicit JobsModel(const JobBoard* board, QObject* parent = nullptr);

    void setDisplayZone(const QTimeZone& zone);
    // Fixes "now" for the times shown (tests, screenshots); the clock otherwise.
    void setNow(const QDateTime& now) { m_now = now; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const JobEntry& entry(int row) const { return m_entries.at(row); }
    int rowOf(quint64 jobId) const;
    int runningCount() const;
    int queuedCount() const;

    void refresh();

private:
    QVariant display(const JobEntry& entry, int column) const;
    QDateTime now() const;

    QPointer<const JobBoard> m_board;
    QList<JobEntry> m_entries;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
    QDateTime m_now;
};

// Text of a job's state, phase and progress as the Jobs page and the dashboard show them.
QString jobPhaseText(const QString& phase);
// "1,234 / 5,000 records", "1,234 records" (total unknown); empty before any progress.
QString jobProgressText(const JobProgress& progress);
// "1,850 records/s" or empty; "0:15" or empty.
QString jobRateText(const JobProgress& progress);
QString jobEtaText(const JobProgress& progress);

} // namespace ors
