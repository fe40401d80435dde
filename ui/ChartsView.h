#pragma once

#include "inspect/StatsQueries.h"

#include <QTimeZone>
#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QStandardItemModel;
class QTableView;
class QToolButton;

namespace ors {

class MessageBanner;

// Four charts of one source over the last 7, 30 or 90 days: records synced per run, run
// durations, MLS vs destination record counts over time, requests per hour against the quota.
// Each has a "Table" toggle showing the same points as a table (for assistive tools, and the
// tests' oracle). Points come from StatsQueries on a pool thread; an older answer is dropped.
class ChartsView : public QWidget {
    Q_OBJECT
public:
    enum class Chart { Records, Durations, Counts, Requests };
    Q_ENUM(Chart)

    explicit ChartsView(QWidget* parent = nullptr);

    void setSource(const SourceConfig& source, const QString& dataDir);
    void setDisplayZone(const QTimeZone& zone);
    void setRangeDays(int days); // 7, 30 or 90
    void refresh();

    const ChartData& data() const { return m_data; }
    QChart* chart(Chart which) const;
    const QStandardItemModel* table(Chart which) const;

Q_SIGNALS:
    void loaded();

protected:
    // A palette change (light to dark) changes the charts' theme with it.
    void changeEvent(QEvent* event) override;

private:
    void applyTheme();
    struct Panel {
        QChartView* view = nullptr;
        QTableView* tableView = nullptr;
        QStandardItemModel* table = nullptr;
        QStackedWidget* stack = nullptr;
        QToolButton* toggle = nullptr;
    };

    void buildUi();
    QWidget* buildPanel(Chart which, const QString& title, const char* name, const QStringList& columns);
    void showData(const ChartData& data);
    void fillRecords();
    void fillDurations();
    void fillCounts();
    void fillRequests();
    // The x value QDateTimeAxis draws `time` at, so its labels read in the display zone.
    qreal x(const QDateTime& time) const;
    QString timeText(const QDateTime& time) const;
    void resetChart(QChart* chart, const QString& valueTitle);

    SourceConfig m_source;
    QString m_dataDir;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
    int m_days = 7;
    quint64 m_generation = 0;
    ChartData m_data;

    MessageBanner* m_banner = nullptr;
    QComboBox* m_rangeBox = nullptr;
    QPushButton* m_refresh = nullptr;
    QLabel* m_status = nullptr;
    Panel m_panels[4];
};

} // namespace ors
