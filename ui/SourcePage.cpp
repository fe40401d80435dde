#include "SourcePage.h"

#include "DisplayTime.h"
#include "JobBoard.h"
#include "runner/ProgressText.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace ors {

namespace {

QString processTitle(ProcessType process) {
    switch (process) {
    case ProcessType::Sync:
        return SourcePage::tr("Sync");
    case ProcessType::Purge:
        return SourcePage::tr("Purge");
    case ProcessType::Reconcile:
        return SourcePage::tr("Reconcile");
    }
    return {};
}

QLabel* placeholder(const QString& text) {
    auto* label = new QLabel(text);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setObjectName(QStringLiteral("tabPlaceholder"));
    return label;
}

} // namespace

SourcePage::SourcePage(const SourceConfig& source, const QTimeZone& scheduleZone, QWidget* parent)
    : QWidget(parent)
    , m_source(source)
    , m_scheduleZone(scheduleZone) {
    setObjectName(QStringLiteral("sourcePage_") + source.name);
    buildUi();
    showHeader();
    fillSchedules(nullptr);
}

void SourcePage::buildUi() {
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("sourceTitle"));
    QFont font = m_title->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    font.setBold(true);
    m_title->setFont(font);
    m_title->setTextFormat(Qt::PlainText);
    m_details = new QLabel(this);
    m_details->setObjectName(QStringLiteral("sourceDetails"));
    m_details->setTextFormat(Qt::PlainText);

    auto button = [this](const QString& text, const QString& name, const QString& objectName,
                         const QString& tip) {
        auto* b = new QPushButton(text, this);
        b->setObjectName(objectName);
        b->setAccessibleName(name);
        b->setToolTip(tip);
        return b;
    };
    m_sync = button(tr("Sync &now"), tr("Sync now"), QStringLiteral("syncNowButton"),
                    tr("Download what changed since the last sync"));
    m_purge = button(tr("&Purge"), tr("Purge"), QStringLiteral("purgeButton"),
                     tr("Delete the records the MLS no longer has from the destinations"));
    m_reconcile = button(tr("&Reconcile"), tr("Reconcile"), QStringLiteral("reconcileButton"),
                         tr("Fetch the records the destinations are missing or hold out of date"));
    m_cancel = button(tr("&Cancel"), tr("Cancel"), QStringLiteral("cancelButton"),
                      tr("Stop the running job at its next checkpoint and drop the queued ones"));
    connect(m_sync, &QPushButton::clicked, this,
            [this] { Q_EMIT runRequested(m_source.name, ProcessType::Sync); });
    connect(m_purge, &QPushButton::clicked, this,
            [this] { Q_EMIT runRequested(m_source.name, ProcessType::Purge); });
    connect(m_reconcile, &QPushButton::clicked, this,
            [this] { Q_EMIT runRequested(m_source.name, ProcessType::Reconcile); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { Q_EMIT cancelRequested(m_source.name); });

    auto* header = new QGridLayout;
    header->addWidget(m_title, 0, 0);
    header->addWidget(m_details, 1, 0);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {m_sync, m_purge, m_reconcile, m_cancel})
        buttons->addWidget(b);
    header->addLayout(buttons, 0, 1, 2, 1, Qt::AlignRight | Qt::AlignVCenter);
    header->setColumnStretch(0, 1);

    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("progressBar"));
    m_bar->setAccessibleName(tr("Job progress"));
    m_bar->setMaximumWidth(260);
    m_progress = new QLabel(this);
    m_progress->setObjectName(QStringLiteral("progressLabel"));
    m_progress->setTextFormat(Qt::PlainText);
    m_outcome = new QLabel(this);
    m_outcome->setObjectName(QStringLiteral("outcomeLabel"));
    m_outcome->setTextFormat(Qt::PlainText);
    m_outcome->setWordWrap(true);
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(m_bar);
    progressRow->addWidget(m_progress, 1);

    m_schedules = new QTableWidget(0, 4, this);
    m_schedules->setObjectName(QStringLiteral("schedulesTable"));
    m_schedules->setAccessibleName(tr("Schedules"));
    m_schedules->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_schedules->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_schedules->verticalHeader()->hide();
    m_schedules->horizontalHeader()->setStretchLastSection(true);
    m_schedules->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_schedules->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scheduleState = new QLabel(this);
    m_scheduleState->setObjectName(QStringLiteral("scheduleState"));
    m_scheduleState->setTextFormat(Qt::PlainText);
    m_pause = new QPushButton(this);
    m_pause->setObjectName(QStringLiteral("pauseSourceButton"));
    m_pause->setAccessibleName(tr("Pause schedules"));
    connect(m_pause, &QPushButton::clicked, this,
            [this] { Q_EMIT pauseRequested(!m_paused, m_source.name); });
    auto* scheduleRow = new QHBoxLayout;
    scheduleRow->addWidget(m_scheduleState, 1);
    scheduleRow->addWidget(m_pause);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("sourceTabs"));
    m_tabs->setAccessibleName(tr("Source details"));
    m_tabs->addTab(placeholder(tr("The resources table and blocked steps appear here.")), tr("&Overview"));
    m_tabs->addTab(placeholder(tr("The history of all runs appears here.")), tr("&History"));
    m_tabs->addTab(placeholder(tr("Charts of runs, durations and counts appear here.")), tr("C&harts"));
    m_tabs->addTab(placeholder(tr("The record inspector appears here.")), tr("Recor&d"));

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addLayout(progressRow);
    layout->addWidget(m_outcome);
    layout->addWidget(m_schedules);
    layout->addLayout(scheduleRow);
    layout->addWidget(m_tabs, 1);
    showProgress(std::nullopt, false);
    m_bar->hide();
    m_progress->setText(tr("No job running."));
    setOutcome({});
}

void SourcePage::setSource(const SourceConfig& source, const QTimeZone& scheduleZone) {
    m_source = source;
    m_scheduleZone = scheduleZone;
    showHeader();
    fillSchedules(nullptr);
}

void SourcePage::setDisplayZone(const QTimeZone& zone) {
    m_displayZone = zone;
}

void SourcePage::showHeader() {
    m_title->setText(m_source.name);
    const QLocale locale;
    m_details->setText(
        tr("%1 · %2 · %3 · %4")
            .arg(platformName(m_source.platform),
                 m_source.resources.size() == 1
                     ? tr("1 resource")
                     : tr("%1 resources").arg(locale.toString(int(m_source.resources.size()))),
                 m_source.destinations.size() == 1
                     ? tr("1 destination")
                     : tr("%1 destinations").arg(locale.toString(int(m_source.destinations.size()))),
                 m_source.serviceUrl));
}

void SourcePage::fillSchedules(const JobBoard* board) {
    m_schedules->setHorizontalHeaderLabels({tr("Process"), tr("Schedule"), tr("Time zone"),
                                            tr("Next run (%1)").arg(QString::fromUtf8(m_displayZone.id()))});
    int rows = 0;
    for (ProcessType process : {ProcessType::Sync, ProcessType::Purge, ProcessType::Reconcile})
        rows += int(m_source.schedules.of(process).size());
    m_schedules->setRowCount(rows);
    int row = 0;
    for (ProcessType process : {ProcessType::Sync, ProcessType::Purge, ProcessType::Reconcile}) {
        const auto next = board ? board->nextFire(m_source.name, process) : std::nullopt;
        for (const QString& cron : m_source.schedules.of(process)) {
            QString when = tr("—");
            QString tip;
            if (next) {
                when = shortTime(*next, m_displayZone, QDateTime::currentDateTimeUtc());
                tip = tr("%1 in the schedule's zone").arg(absoluteTime(*next, m_scheduleZone));
            }
            const QStringList cells{processTitle(process), cron, QString::fromUtf8(m_scheduleZone.id()),
                                    when};
            for (int column = 0; column < cells.size(); ++column) {
                auto* item = new QTableWidgetItem(cells.at(column));
                if (column == 3)
                    item->setToolTip(tip);
                m_schedules->setItem(row, column, item);
            }
            ++row;
        }
    }
    m_schedules->resizeColumnsToContents();
    // Exactly as tall as its rows: the tabs below get the rest.
    int height = m_schedules->horizontalHeader()->sizeHint().height() + 2 * m_schedules->frameWidth();
    for (int r = 0; r < rows; ++r)
        height += m_schedules->rowHeight(r);
    m_schedules->setFixedHeight(height);
    m_schedules->setVisible(rows > 0);
    m_pause->setVisible(rows > 0);
    if (rows == 0)
        m_scheduleState->setText(tr("No schedules: this source runs only when asked."));
}

void SourcePage::updateState(const JobBoard& board) {
    const QString& name = m_source.name;
    const auto running = board.runningJob(name);
    const bool queued = board.isQueued(name);
    m_cancel->setEnabled(!(running && running->cancelRequested) && (running || queued));
    // A run button is offered unless the same process already waits: then it says so.
    auto offer = [&](QPushButton* button, ProcessType process, const QString& text,
                     const QString& queuedText) {
        const bool waiting = board.isQueued(name, process);
        button->setText(waiting ? queuedText : text);
        button->setEnabled(!waiting);
    };
    offer(m_sync, ProcessType::Sync, tr("Sync &now"), tr("Sync queued"));
    offer(m_purge, ProcessType::Purge, tr("&Purge"), tr("Purge queued"));
    offer(m_reconcile, ProcessType::Reconcile, tr("&Reconcile"), tr("Reconcile queued"));
    if (running) {
        m_bar->show();
        showProgress(running->progress, running->cancelRequested);
    } else {
        m_bar->hide();
        m_progress->setText(queued ? tr("A job is queued; it starts when the source and a slot are free.")
                                   : tr("No job running."));
    }

    m_paused = board.isSourcePaused(name);
    fillSchedules(&board);
    if (m_schedules->rowCount() > 0) {
        m_pause->setText(m_paused ? tr("Res&ume schedules") : tr("Pa&use schedules"));
        m_pause->setAccessibleName(m_paused ? tr("Resume schedules") : tr("Pause schedules"));
        m_scheduleState->setText(m_paused ? tr("This source's schedules are paused; manual runs still start.")
                                 : board.allPaused() ? tr("All schedules are paused (Jobs page).")
                                                     : tr("Schedules active."));
    }
}

void SourcePage::showProgress(const std::optional<JobProgress>& progress, bool cancelling) {
    if (cancelling) {
        m_bar->setRange(0, 0);
        m_progress->setText(tr("Cancelling: stopping at the next checkpoint…"));
        return;
    }
    if (!progress || progress->total < 0) {
        m_bar->setRange(0, 0); // busy: the total is not known (yet)
        m_progress->setText(progress ? describeProgress(*progress) : tr("Starting…"));
        return;
    }
    // QProgressBar counts in int, so progress is shown in per mille; nothing to do is 100 %.
    const qint64 total = progress->total;
    const qint64 done = std::clamp<qint64>(progress->done, 0, total);
    m_bar->setRange(0, 1000);
    m_bar->setValue(total == 0 ? 1000 : int(done * 1000 / total));
    m_bar->setFormat(QStringLiteral("%p%"));
    m_progress->setText(describeProgress(*progress));
}

void SourcePage::setOutcome(const QString& text) {
    m_outcome->setText(text);
    m_outcome->setVisible(!text.isEmpty());
}

QString SourcePage::outcome() const {
    return m_outcome->text();
}

void SourcePage::setTabContent(Tab tab, QWidget* content) {
    const QString title = m_tabs->tabText(tab);
    QWidget* old = m_tabs->widget(tab);
    m_tabs->removeTab(tab);
    m_tabs->insertTab(tab, content, title);
    delete old;
}

QWidget* SourcePage::tabContent(Tab tab) const {
    return m_tabs->widget(tab);
}

void SourcePage::showTab(Tab tab) {
    m_tabs->setCurrentIndex(tab);
}

} // namespace ors
