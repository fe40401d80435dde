#include "ChartsView.h"

#include "DisplayTime.h"
#include "HistoryView.h"
#include "MessageBanner.h"

#include <QComboBox>
#include <QEvent>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTableView>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>
#include <QtConcurrent/QtConcurrentRun>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace ors {

namespace {

QStandardItem* cell(const QString& text, const QVariant& raw, bool number = false) {
    auto* item = new QStandardItem(text);
    item->setEditable(false);
    item->setData(raw, Qt::UserRole);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QStandardItem* numberCell(qint64 value) {
    return cell(QLocale().toString(value), value, true);
}

} // namespace

ChartsView::ChartsView(QWidget* parent)
    : QWidget(parent) {
    buildUi();
}

void ChartsView::buildUi() {
    m_banner = new MessageBanner(this);
    m_rangeBox = new QComboBox(this);
    m_rangeBox->setObjectName(QStringLiteral("chartRange"));
    m_rangeBox->setAccessibleName(tr("Chart range"));
    for (int days : {7, 30, 90})
        m_rangeBox->addItem(tr("Last %1 days").arg(days), days);
    m_refresh = new QPushButton(tr("Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("chartsRefresh"));
    m_refresh->setAccessibleName(tr("Refresh charts"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("chartsStatus"));
    auto* rangeLabel = new QLabel(tr("R&ange:"), this);
    rangeLabel->setBuddy(m_rangeBox);

    auto* top = new QHBoxLayout;
    top->addWidget(rangeLabel);
    top->addWidget(m_rangeBox);
    top->addWidget(m_status, 1);
    top->addWidget(m_refresh);

    auto* grid = new QGridLayout;
    grid->addWidget(buildPanel(Chart::Records, tr("Records synced per run"), "records",
                               {tr("Started"), tr("Process"), tr("Downloaded"), tr("Applied")}),
                    0, 0);
    grid->addWidget(buildPanel(Chart::Durations, tr("Run durations"), "durations",
                               {tr("Started"), tr("Process"), tr("Result"), tr("Duration")}),
                    0, 1);
    grid->addWidget(buildPanel(Chart::Counts, tr("MLS vs destination counts"), "counts",
                               {tr("Time"), tr("Resource"), tr("Where"), tr("Records")}),
                    1, 0);
    grid->addWidget(buildPanel(Chart::Requests, tr("Requests per hour"), "requests",
                               {tr("Hour"), tr("Requests"), tr("Throttled"), tr("Quota")}),
                    1, 1);

    auto* charts = new QWidget;
    charts->setLayout(grid);
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("chartsScroll"));
    scroll->setAccessibleName(tr("Charts"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(charts);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(top);
    layout->addWidget(scroll, 1);

    connect(m_rangeBox, &QComboBox::currentIndexChanged, this, [this] {
        m_days = m_rangeBox->currentData().toInt();
        refresh();
    });
    connect(m_refresh, &QPushButton::clicked, this, &ChartsView::refresh);
}

QWidget* ChartsView::buildPanel(Chart which, const QString& title, const char* name,
                                const QStringList& columns) {
    Panel& panel = m_panels[int(which)];
    auto* box = new QGroupBox(title);
    box->setObjectName(QStringLiteral("%1Chart").arg(QLatin1String(name)));

    auto* chart = new QChart;
    chart->setLocalizeNumbers(true);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setTheme(palette().color(QPalette::Window).lightness() < 128 ? QChart::ChartThemeDark
                                                                        : QChart::ChartThemeLight);
    panel.view = new QChartView(chart);
    panel.view->setObjectName(QStringLiteral("%1View").arg(QLatin1String(name)));
    panel.view->setAccessibleName(title);
    panel.view->setRenderHint(QPainter::Antialiasing);
    panel.view->setMinimumSize(420, 280);

    panel.table = new QStandardItemModel(this);
    panel.table->setHorizontalHeaderLabels(columns);
    panel.tableView = new QTableView;
    panel.tableView->setObjectName(QStringLiteral("%1Table").arg(QLatin1String(name)));
    panel.tableView->setAccessibleName(tr("%1 table").arg(title));
    panel.tableView->setModel(panel.table);
    panel.tableView->verticalHeader()->hide();
    panel.tableView->horizontalHeader()->setStretchLastSection(true);
    panel.tableView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    panel.tableView->setAlternatingRowColors(true);

    panel.stack = new QStackedWidget;
    panel.stack->addWidget(panel.view);
    panel.stack->addWidget(panel.tableView);

    panel.toggle = new QToolButton;
    panel.toggle->setObjectName(QStringLiteral("%1Toggle").arg(QLatin1String(name)));
    panel.toggle->setText(tr("Table"));
    panel.toggle->setAccessibleName(tr("Show %1 as a table").arg(title));
    panel.toggle->setCheckable(true);
    panel.toggle->setToolButtonStyle(Qt::ToolButtonTextOnly);
    connect(panel.toggle, &QToolButton::toggled, this,
            [stack = panel.stack](bool table) { stack->setCurrentIndex(table ? 1 : 0); });

    auto* header = new QHBoxLayout;
    header->addStretch();
    header->addWidget(panel.toggle);
    auto* layout = new QVBoxLayout(box);
    layout->addLayout(header);
    layout->addWidget(panel.stack, 1);
    return box;
}

void ChartsView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

// Qt Charts paint their own white background whatever the palette: a dark window gets the dark
// theme, with the chart's colours otherwise left as each series set them.
void ChartsView::applyTheme() {
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    for (const Panel& panel : m_panels)
        if (panel.view && panel.view->chart())
            panel.view->chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
}

QChart* ChartsView::chart(Chart which) const {
    return m_panels[int(which)].view->chart();
}

const QStandardItemModel* ChartsView::table(Chart which) const {
    return m_panels[int(which)].table;
}

void ChartsView::setSource(const SourceConfig& source, const QString& dataDir) {
    m_source = source;
    m_dataDir = dataDir;
    refresh();
}

void ChartsView::setDisplayZone(const QTimeZone& zone) {
    m_zone = zone;
    if (!m_data.source.isEmpty())
        showData(m_data);
}

void ChartsView::setRangeDays(int days) {
    const int index = m_rangeBox->findData(days);
    if (index >= 0 && index != m_rangeBox->currentIndex())
        m_rangeBox->setCurrentIndex(index); // refreshes
    else
        refresh();
}

void ChartsView::refresh() {
    if (m_source.name.isEmpty())
        return;
    const quint64 generation = ++m_generation;
    m_status->setText(tr("Loading…"));
    const QDateTime to = QDateTime::currentDateTimeUtc();
    const QDateTime from = to.addDays(-m_days);
    auto* watcher = new QFutureWatcher<ChartData>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        // Another source or range asked for meanwhile: only the latest answer is drawn.
        if (generation == m_generation)
            showData(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([source = m_source, dataDir = m_dataDir, from, to] {
        return StatsQueries::chartData(source, dataDir, from, to);
    }));
}

qreal ChartsView::x(const QDateTime& time) const {
    // QDateTimeAxis labels an x value as local time; shifting by the zones' difference makes the
    // labels read in the display zone.
    const qint64 shift = qint64(m_zone.offsetFromUtc(time) - time.toLocalTime().offsetFromUtc()) * 1000;
    return qreal(time.toMSecsSinceEpoch() + shift);
}

QString ChartsView::timeText(const QDateTime& time) const {
    return fullTime(time, m_zone);
}

void ChartsView::resetChart(QChart* chart, const QString& valueTitle) {
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    auto* time = new QDateTimeAxis;
    // Day labels only: "Sun 09:12" under eight ticks is cut off at the charts' usual width.
    time->setFormat(QStringLiteral("MMM d"));
    time->setTickCount(m_days <= 7 ? 8 : 7);
    time->setRange(QDateTime::fromMSecsSinceEpoch(qint64(x(m_data.from))),
                   QDateTime::fromMSecsSinceEpoch(qint64(x(m_data.to))));
    time->setTitleText(m_zone == QTimeZone::systemTimeZone() ? tr("local time")
                                                             : QString::fromUtf8(m_zone.id()));
    chart->addAxis(time, Qt::AlignBottom);
    auto* value = new QValueAxis;
    value->setTitleText(valueTitle);
    value->setLabelFormat(QStringLiteral("%.0f"));
    // A new axis spans 0…0, which Qt Charts cannot lay out ("invalid range [nan - nan]") when no
    // series widens it: an empty chart keeps 0…1.
    value->setRange(0, 1);
    chart->addAxis(value, Qt::AlignLeft);
}

namespace {

// Attaches `series` to the chart's two axes and widens the value axis to hold its points.
void attach(QChart* chart, QXYSeries* series) {
    chart->addSeries(series);
    QValueAxis* value = nullptr;
    for (QAbstractAxis* axis : chart->axes()) {
        series->attachAxis(axis);
        if (auto* v = qobject_cast<QValueAxis*>(axis))
            value = v;
    }
    qreal top = value->max();
    for (const QPointF& p : series->points())
        top = std::max(top, p.y());
    value->setMax(std::max<qreal>(top, 1));
    value->applyNiceNumbers();
    value->setMin(0);
}

} // namespace

void ChartsView::showData(const ChartData& data) {
    m_data = data;
    if (!data.error.isEmpty())
        m_banner->showMessage(MessageBanner::Level::Error, tr("Charts not readable: %1").arg(data.error),
                              QStringLiteral("charts"));
    else if (m_banner->key() == QLatin1String("charts"))
        m_banner->clear();
    for (Panel& panel : m_panels)
        panel.table->removeRows(0, panel.table->rowCount());
    fillRecords();
    fillDurations();
    fillCounts();
    fillRequests();
    for (Panel& panel : m_panels)
        panel.tableView->resizeColumnsToContents();
    m_status->setText(data.runs.isEmpty() && data.counts.isEmpty() && data.usage.isEmpty()
                          ? tr("Nothing recorded in this range yet")
                      : data.runs.size() == 1
                          ? tr("1 run in this range")
                          : tr("%1 runs in this range").arg(QLocale().toString(data.runs.size())));
    Q_EMIT loaded();
}

void ChartsView::fillRecords() {
    QChart* c = chart(Chart::Records);
    resetChart(c, tr("records"));
    auto* downloaded = new QLineSeries;
    downloaded->setName(tr("Downloaded"));
    auto* applied = new QLineSeries;
    applied->setName(tr("Applied"));
    QStandardItemModel* table = m_panels[int(Chart::Records)].table;
    for (const RunPoint& run : m_data.runs) {
        if (run.process != QLatin1String("sync"))
            continue;
        downloaded->append(x(run.started), qreal(run.downloaded));
        applied->append(x(run.started), qreal(run.applied));
        table->appendRow({cell(timeText(run.started), run.started.toMSecsSinceEpoch()),
                          cell(run.process, run.runId), numberCell(run.downloaded), numberCell(run.applied)});
    }
    for (QLineSeries* s : {downloaded, applied}) {
        s->setPointsVisible(true);
        attach(c, s);
    }
}

void ChartsView::fillDurations() {
    QChart* c = chart(Chart::Durations);
    resetChart(c, tr("minutes"));
    std::map<QString, QScatterSeries*> byProcess;
    QStandardItemModel* table = m_panels[int(Chart::Durations)].table;
    for (const RunPoint& run : m_data.runs) {
        if (!run.finished.isValid())
            continue;
        QScatterSeries*& series = byProcess[run.process];
        if (!series) {
            series = new QScatterSeries;
            series->setName(run.process);
            series->setMarkerSize(9);
        }
        const qint64 seconds = run.started.secsTo(run.finished);
        series->append(x(run.started), qreal(seconds) / 60.0);
        QStandardItem* duration = cell(HistoryView::durationText(seconds), seconds, true);
        table->appendRow({cell(timeText(run.started), run.started.toMSecsSinceEpoch()),
                          cell(run.process, run.runId), cell(run.result, run.result), duration});
    }
    for (auto& [process, series] : byProcess)
        attach(c, series);
    if (auto* value = qobject_cast<QValueAxis*>(c->axes(Qt::Vertical).value(0)))
        value->setLabelFormat(QStringLiteral("%.1f"));
}

void ChartsView::fillCounts() {
    QChart* c = chart(Chart::Counts);
    resetChart(c, tr("records"));
    std::map<std::pair<QString, QString>, QLineSeries*> bySeries;
    QStandardItemModel* table = m_panels[int(Chart::Counts)].table;
    for (const CountSample& sample : m_data.counts) {
        const QString where = sample.destination.isEmpty() ? tr("MLS") : sample.destination;
        QLineSeries*& series = bySeries[{sample.resource, sample.destination}];
        if (!series) {
            series = new QLineSeries;
            series->setName(tr("%1 · %2").arg(sample.resource, where));
            series->setPointsVisible(true);
        }
        series->append(x(sample.time), qreal(sample.count));
        table->appendRow({cell(timeText(sample.time), sample.time.toMSecsSinceEpoch()),
                          cell(sample.resource, sample.resource), cell(where, sample.destination),
                          numberCell(sample.count)});
    }
    for (auto& [key, series] : bySeries)
        attach(c, series);
    // Counts of one resource sit close together: start the axis near them so a drift shows.
    if (auto* value = qobject_cast<QValueAxis*>(c->axes(Qt::Vertical).value(0));
        value && !m_data.counts.isEmpty()) {
        qint64 low = m_data.counts.first().count;
        qint64 high = low;
        for (const CountSample& s : m_data.counts) {
            low = std::min(low, s.count);
            high = std::max(high, s.count);
        }
        const qint64 margin = std::max<qint64>(1, (high - low) / 10);
        value->setRange(qreal(std::max<qint64>(0, low - margin)), qreal(high + margin));
        value->applyNiceNumbers();
    }
}

void ChartsView::fillRequests() {
    QChart* c = chart(Chart::Requests);
    resetChart(c, tr("requests"));
    auto* requests = new QLineSeries;
    requests->setName(tr("Requests"));
    QStandardItemModel* table = m_panels[int(Chart::Requests)].table;
    for (const UsageHour& hour : m_data.usage) {
        requests->append(x(hour.hour), qreal(hour.requests));
        table->appendRow({cell(timeText(hour.hour), hour.hour.toMSecsSinceEpoch()), numberCell(hour.requests),
                          numberCell(hour.throttled),
                          m_data.quotaPerHour > 0 ? numberCell(m_data.quotaPerHour) : cell(tr("none"), 0)});
    }
    requests->setPointsVisible(m_data.usage.size() < 200);
    attach(c, requests);
    if (m_data.quotaPerHour > 0) {
        auto* quota = new QLineSeries;
        quota->setName(tr("Quota (%1 per hour)").arg(QLocale().toString(m_data.quotaPerHour)));
        quota->append(x(m_data.from), qreal(m_data.quotaPerHour));
        quota->append(x(m_data.to), qreal(m_data.quotaPerHour));
        QPen pen = quota->pen();
        pen.setStyle(Qt::DashLine);
        pen.setWidth(2);
        pen.setColor(palette().color(QPalette::Highlight).darker(130));
        quota->setPen(pen);
        attach(c, quota);
    }
}

} // namespace ors
