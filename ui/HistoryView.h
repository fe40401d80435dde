#pragma once

#include "inspect/StatsQueries.h"

#include <QTimeZone>
#include <QWidget>

class QComboBox;
class QDateEdit;
class QLabel;
class QPushButton;
class QStandardItemModel;
class QTreeView;

namespace ors {

class MessageBanner;

// A source's runs, newest first, a page at a time, filtered by process, result and start date;
// each run expands to its resources and destinations (counts, durations), its failures and its
// events. Every query runs on a pool thread (StatsQueries); an answer to an older request is
// dropped.
class HistoryView : public QWidget {
    Q_OBJECT
public:
    // What a child row of a run is (Qt::UserRole of its first column); a run row holds its id.
    enum class RowKind { Run, Resource, Destination, Failure, Event };
    Q_ENUM(RowKind)
    enum Column { Started, Process, Result, Duration, Records, Details, ColumnCount };
    static constexpr int kKindRole = Qt::UserRole + 1;

    explicit HistoryView(QWidget* parent = nullptr);

    // The runs of `source`, from the stats store its configuration names (its "stats" server, else
    // <dataDir>/stats.sqlite).
    void setSource(const SourceConfig& source, const QString& dataDir);
    void setDisplayZone(const QTimeZone& zone);
    void setPageSize(int runs);
    void refresh();

    const QStandardItemModel* model() const { return m_model; }
    qint64 total() const { return m_total; }
    int offset() const { return m_offset; }

    // "1 h 02 min", "3 min 05 s", "45 s"; empty for a negative span.
    static QString durationText(qint64 seconds);

Q_SIGNALS:
    // A page (or an error) is shown.
    void loaded();

private:
    void buildUi();
    void filtersChanged();
    void showPage(const HistoryPage& page);
    void addRun(const RunDetail& detail);
    QString timeText(const QString& utcText) const;
    RunQuery currentQuery() const;

    QString m_source;
    QString m_dataDir;
    std::optional<SqlServerConfig> m_stats;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
    int m_pageSize = 50;
    int m_offset = 0;
    qint64 m_total = 0;
    quint64 m_generation = 0;

    MessageBanner* m_banner = nullptr;
    QComboBox* m_processBox = nullptr;
    QComboBox* m_resultBox = nullptr;
    QDateEdit* m_fromEdit = nullptr;
    QDateEdit* m_toEdit = nullptr;
    QPushButton* m_refresh = nullptr;
    QPushButton* m_newer = nullptr;
    QPushButton* m_older = nullptr;
    QLabel* m_pageLabel = nullptr;
    QTreeView* m_tree = nullptr;
    QStandardItemModel* m_model = nullptr;
};

} // namespace ors
