#include "SchedulePage.h"

#include "config/Config.h"
#include "runner/ConfiguredSchedules.h"
#include "ScheduleGridModel.h"
#include "ScheduleTimelineModel.h"

#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSet>
#include <QTableView>
#include <QtConcurrent/QtConcurrentRun>
#include <QVBoxLayout>

namespace ors {

namespace {

constexpr int kClockMs = 60 * 1000;

QString zoneId(const QTimeZone& zone) {
    return QString::fromUtf8(zone.id());
}

} // namespace

SchedulePage::SchedulePage(QWidget* parent)
    : QWidget(parent) {
    buildUi();
    m_clock.setInterval(kClockMs);
    connect(&m_clock, &QTimer::timeout, this, &SchedulePage::recompute);
    m_clock.start();
}

void SchedulePage::buildUi() {
    auto* title = new QLabel(tr("Schedule"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    title->setFont(titleFont);

    m_zoneBox = new QComboBox(this);
    m_zoneBox->setObjectName(QStringLiteral("displayZoneBox"));
    m_zoneBox->setAccessibleName(tr("Display time zone"));
    m_zoneBox->setToolTip(tr("The time zone the grid's days and hours and the times below are shown in"));
    auto* zoneLabel = new QLabel(tr("Show times in:"), this);
    zoneLabel->setBuddy(m_zoneBox);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("scheduleSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    // Minimum: a wrapped label gets the height of its lines, not what is left over.
    m_summary->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);

    m_grid = new ScheduleGridModel(this);
    m_gridView = new QTableView(this);
    m_gridView->setObjectName(QStringLiteral("scheduleGrid"));
    m_gridView->setAccessibleName(tr("Schedule grid"));
    m_gridView->setAccessibleDescription(
        tr("Jobs starting in each hour of the next seven days; a warning sign marks overlapping starts"));
    m_gridView->setModel(m_grid);
    m_gridView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_gridView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_gridView->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_gridView->horizontalHeader()->setMinimumSectionSize(28);
    m_gridView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_gridView->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_gridView->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_cellDetails = new QLabel(this);
    m_cellDetails->setObjectName(QStringLiteral("cellDetails"));
    m_cellDetails->setTextFormat(Qt::PlainText);
    m_cellDetails->setWordWrap(true);
    m_cellDetails->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    m_cellDetails->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_cellDetails->setAccessibleName(tr("Selected hour"));

    auto* nextTitle = new QLabel(tr("Next 24 hours"), this);
    QFont sectionFont = nextTitle->font();
    sectionFont.setBold(true);
    nextTitle->setFont(sectionFont);

    m_timeline = new ScheduleTimelineModel(this);
    m_timelineView = new QTableView(this);
    m_timelineView->setObjectName(QStringLiteral("scheduleTimeline"));
    m_timelineView->setAccessibleName(tr("Next 24 hours"));
    m_timelineView->setModel(m_timeline);
    m_timelineView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_timelineView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_timelineView->verticalHeader()->hide();
    m_timelineView->horizontalHeader()->setStretchLastSection(true);
    m_timelineView->setAlternatingRowColors(true);
    m_timelineView->verticalHeader()->setDefaultSectionSize(m_timelineView->fontMetrics().height() + 8);
    nextTitle->setBuddy(m_timelineView);

    m_warning = new QLabel(this);
    m_warning->setObjectName(QStringLiteral("scheduleWarning"));
    m_warning->setWordWrap(true);
    m_warning->setTextFormat(Qt::PlainText);
    m_warning->hide();

    auto* header = new QHBoxLayout;
    header->addWidget(title);
    header->addStretch(1);
    header->addWidget(zoneLabel);
    header->addWidget(m_zoneBox);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_summary);
    layout->addWidget(m_gridView);
    layout->addWidget(m_cellDetails);
    layout->addWidget(m_warning);
    layout->addSpacing(6);
    layout->addWidget(nextTitle);
    layout->addWidget(m_timelineView, 1);

    connect(m_gridView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &SchedulePage::showSelectedCell);
    connect(m_zoneBox, &QComboBox::activated, this, [this](int index) {
        const QTimeZone zone(m_zoneBox->itemData(index).toByteArray());
        if (zone.isValid() && zone != m_zone) {
            m_zone = zone;
            recompute();
        }
    });
    fillZones();
}

void SchedulePage::fillZones() {
    QList<QByteArray> ids{QTimeZone::systemTimeZoneId(), QByteArrayLiteral("UTC")};
    for (const SourceSchedules& source : m_schedules)
        for (const ScheduleEntry& entry : source.entries)
            if (!ids.contains(entry.zone.id()))
                ids.append(entry.zone.id());
    if (!ids.contains(m_zone.id()))
        ids.append(m_zone.id());
    const QSignalBlocker blocker(m_zoneBox);
    m_zoneBox->clear();
    for (const QByteArray& id : ids) {
        const QString name = QString::fromUtf8(id);
        m_zoneBox->addItem(id == QTimeZone::systemTimeZoneId() ? tr("Local time (%1)").arg(name) : name, id);
    }
    m_zoneBox->setCurrentIndex(int(ids.indexOf(m_zone.id())));
}

void SchedulePage::setConfig(const Config& config) {
    setSchedules(configuredSchedules(config));
}

void SchedulePage::setSchedules(const QList<SourceSchedules>& schedules) {
    m_schedules = schedules;
    fillZones();
    recompute();
}

void SchedulePage::setDisplayZone(const QTimeZone& zone) {
    m_zone = zone;
    fillZones();
    recompute();
}

void SchedulePage::setNow(const QDateTime& now) {
    m_fixedNow = now.toUTC();
    m_clock.stop();
    recompute();
}

void SchedulePage::recompute() {
    const quint64 generation = ++m_generation;
    const QDateTime now = m_fixedNow ? *m_fixedNow : QDateTime::currentDateTimeUtc();
    auto* watcher = new QFutureWatcher<WeekSchedule>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        // A later request (another zone, a new configuration) wins over one still running.
        if (generation == m_generation)
            showWeek(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(
        [schedules = m_schedules, now, zone = m_zone] { return weekSchedule(schedules, now, zone); }));
}

void SchedulePage::showWeek(const WeekSchedule& week) {
    const QModelIndex current = m_gridView->currentIndex();
    m_grid->setWeek(week);
    m_timeline->setWeek(week);
    if (current.isValid())
        m_gridView->setCurrentIndex(m_grid->index(current.row(), current.column()));
    // Seven rows always fit: the grid is a picture of the week, not a list to scroll.
    m_gridView->resizeRowsToContents();
    int height = m_gridView->horizontalHeader()->height() + 2 * m_gridView->frameWidth();
    for (int row = 0; row < m_grid->rowCount(); ++row)
        height += m_gridView->rowHeight(row);
    m_gridView->setFixedHeight(height);
    m_timelineView->resizeColumnsToContents();

    int schedules = 0;
    for (const SourceSchedules& source : m_schedules)
        schedules += int(source.entries.size());
    int overlapHours = 0;
    for (int day = 0; day < 7; ++day)
        for (int hour = 0; hour < 24; ++hour)
            overlapHours += week.cell(day, hour).overlap ? 1 : 0;
    QString summary;
    if (schedules == 0) {
        summary =
            tr("No source has a schedule. Add cron expressions under \"schedules\" in the configuration.");
    } else {
        summary = tr("%1 schedules of %2 sources; the grid counts the jobs starting in each hour, in %3.")
                      .arg(QLocale().toString(schedules), QLocale().toString(m_schedules.size()),
                           zoneId(week.zone));
        if (overlapHours > 0)
            summary +=
                QLatin1Char(' ') + (overlapHours == 1 ? tr("⚠ 1 hour this week has jobs starting in the same "
                                                           "minute; consider staggering them.")
                                                      : tr("⚠ %1 hours this week have jobs starting in the "
                                                           "same minute; consider staggering them.")
                                                            .arg(QLocale().toString(overlapHours)));
    }
    m_summary->setText(summary);
    if (week.truncated.isEmpty()) {
        m_warning->hide();
    } else {
        m_warning->setText(
            tr("Fires often, only the first %1 fires of the week are counted: %2")
                .arg(QLocale().toString(WeekSchedule::kMaxFiresPerEntry), week.truncated.join(tr(", "))));
        m_warning->show();
    }
    showSelectedCell();
    Q_EMIT updated();
}

void SchedulePage::showSelectedCell() {
    const QModelIndex current = m_gridView->currentIndex();
    m_cellDetails->setText(current.isValid()
                               ? m_grid->describe(current)
                               : tr("Select an hour in the grid to see which jobs start in it."));
}

} // namespace ors
