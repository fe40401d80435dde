#include "JobsPage.h"

#include "DisplayTime.h"
#include "JobBoard.h"
#include "JobProgressDelegate.h"
#include "JobsModel.h"
#include "Translations.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace ors {

JobsPage::JobsPage(const JobBoard* board, QWidget* parent)
    : QWidget(parent)
    , m_board(board) {
    m_model = new JobsModel(board, this);
    m_model->setDisplayZone(m_zone);
    buildUi();
    if (m_board) {
        m_paused = m_board->allPaused();
        connect(m_board, &JobBoard::changed, this, &JobsPage::refreshState);
        // The pause state, and the next run the empty page names.
        connect(m_board, &JobBoard::scheduleChanged, this, [this] {
            m_paused = m_board->allPaused();
            refreshState();
        });
    }
    // Relative parts of the empty text ("today", days) move with the clock.
    auto* clock = new QTimer(this);
    clock->setInterval(60 * 1000);
    connect(clock, &QTimer::timeout, this, &JobsPage::refreshState);
    clock->start();
    refreshState();
}

void JobsPage::buildUi() {
    auto* title = new QLabel(tr("Jobs"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    title->setFont(titleFont);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("jobsSummary"));
    m_summary->setTextFormat(Qt::PlainText);

    m_cancel = new QPushButton(tr("Cancel job"), this);
    m_cancel->setObjectName(QStringLiteral("cancelJobButton"));
    m_cancel->setAccessibleName(tr("Cancel job"));
    m_cancel->setToolTip(tr("Stop the selected job at its next checkpoint (the next run resumes from "
                            "there), or drop it from the queue if it has not started"));
    m_cancel->setEnabled(false);

    m_pause = new QPushButton(tr("Pause all schedules"), this);
    m_pause->setObjectName(QStringLiteral("pauseAllButton"));
    m_pause->setAccessibleName(tr("Pause all schedules"));
    m_pause->setToolTip(tr("Skip every scheduled run until resumed; running jobs go on"));
    m_resume = new QPushButton(tr("Resume all schedules"), this);
    m_resume->setObjectName(QStringLiteral("resumeAllButton"));
    m_resume->setAccessibleName(tr("Resume all schedules"));
    m_resume->setToolTip(
        tr("Run schedules again from their next fire; fires missed while paused do not run"));

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("jobsTable"));
    m_table->setAccessibleName(tr("Jobs"));
    m_table->setAccessibleDescription(
        tr("Running jobs first, then queued jobs in the order they will start"));
    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(JobsModel::Progress, new JobProgressDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 12);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // A bar of a readable length; what is left goes to the last column rather than stretching it.
    m_table->horizontalHeader()->setSectionResizeMode(JobsModel::Progress, QHeaderView::Interactive);
    m_table->horizontalHeader()->resizeSection(
        JobsModel::Progress,
        m_table->fontMetrics().horizontalAdvance(QStringLiteral("0,000,000 / 0,000,000 records")) + 40);
    m_table->horizontalHeader()->setMinimumSectionSize(
        m_table->fontMetrics().horizontalAdvance(QStringLiteral("0:00:00")) + 16);
    m_table->horizontalHeader()->setStretchLastSection(true);

    m_empty = new QLabel(this);
    m_empty->setObjectName(QStringLiteral("jobsEmpty"));
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    QFont emptyFont = m_empty->font();
    emptyFont.setPointSizeF(emptyFont.pointSizeF() * 1.15);
    m_empty->setFont(emptyFont);
    m_empty->setForegroundRole(QPalette::PlaceholderText);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_table);

    auto* header = new QHBoxLayout;
    header->addWidget(title);
    header->addSpacing(12);
    header->addWidget(m_summary, 1);
    header->addWidget(m_cancel);
    header->addSpacing(12);
    header->addWidget(m_pause);
    header->addWidget(m_resume);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_stack, 1);

    connect(m_cancel, &QPushButton::clicked, this, &JobsPage::cancelSelected);
    connect(m_pause, &QPushButton::clicked, this, [this] { Q_EMIT pauseRequested(true, QString()); });
    connect(m_resume, &QPushButton::clicked, this, [this] { Q_EMIT pauseRequested(false, QString()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndexList rows = m_table->selectionModel()->selectedRows();
        if (!rows.isEmpty())
            m_selectedJob = rows.first().data(JobsModel::JobIdRole).value<quint64>();
        refreshState();
    });
    // The rows are swapped in whole when jobs start, end or are queued: keep the selected job.
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        const int row = m_model->rowOf(m_selectedJob);
        if (row >= 0)
            m_table->selectRow(row);
    });
}

void JobsPage::setDisplayZone(const QTimeZone& zone) {
    m_zone = zone;
    m_model->setDisplayZone(zone);
    refreshState();
}

void JobsPage::setNow(const QDateTime& now) {
    m_fixedNow = now;
    m_model->setNow(now);
    refreshState();
}

QDateTime JobsPage::now() const {
    return m_fixedNow.isValid() ? m_fixedNow : QDateTime::currentDateTimeUtc();
}

QString JobsPage::nextRunText() const {
    if (m_paused)
        return tr("Schedules are paused: nothing runs until they are resumed or a job is started by hand.");
    if (!m_board)
        return {};
    std::optional<QDateTime> earliest;
    QString what;
    if (!m_board->nextFires().isEmpty()) {
        const ScheduledFire& first = m_board->nextFires().first();
        earliest = first.at;
        what = tr("%1 %2", "source, process").arg(first.source, processLabel(first.process));
    }
    if (!earliest)
        return tr("No schedules are configured.");
    return tr("Next: %1 at %2.").arg(what, shortTime(*earliest, m_zone, now()));
}

void JobsPage::refreshState() {
    const int running = m_model->runningCount();
    const int queued = m_model->queuedCount();
    const QLocale locale;
    QStringList parts;
    parts.append(running == 1 ? tr("1 running") : tr("%1 running").arg(locale.toString(running)));
    parts.append(queued == 1 ? tr("1 queued") : tr("%1 queued").arg(locale.toString(queued)));
    if (m_board || m_paused)
        parts.append(m_paused ? tr("schedules paused") : tr("schedules active"));
    m_summary->setText(parts.join(QStringLiteral(" · ")));

    if (running + queued == 0) {
        const QString next = nextRunText();
        m_empty->setText(next.isEmpty() ? tr("No jobs running.") : tr("No jobs running. %1").arg(next));
        m_stack->setCurrentWidget(m_empty);
    } else {
        m_stack->setCurrentWidget(m_table);
    }
    m_empty->setAccessibleName(m_empty->text());

    m_cancel->setEnabled(m_table->selectionModel()->hasSelection());
    m_cancel->setVisible(running + queued > 0);
    m_pause->setEnabled(!m_paused);
    m_resume->setEnabled(m_paused);
}

void JobsPage::cancelSelected() {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const JobEntry& entry = m_model->entry(rows.first().row());
    if (entry.state == JobEntry::State::Running)
        Q_EMIT cancelRequested(entry.request.source);
    else
        Q_EMIT cancelQueuedRequested(entry.request.source, entry.request.process);
}

} // namespace ors
