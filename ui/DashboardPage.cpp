#include "DashboardPage.h"

#include "DisplayTime.h"
#include "FlowLayout.h"
#include "JobBoard.h"
#include "MessageBanner.h"
#include "runner/JobQueue.h"
#include "SourceCard.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QtConcurrent/QtConcurrentRun>
#include <QTimer>
#include <QVBoxLayout>

namespace ors {

namespace {

// What a pool thread hands back: the activities, or why they could not be read.
struct ActivityRead {
    SourceActivities activities;
    QString error;
};

constexpr int kClockMs = 30 * 1000;

} // namespace

DashboardPage::DashboardPage(const JobBoard* board, QWidget* parent)
    : QWidget(parent)
    , m_board(board) {
    auto* title = new QLabel(tr("Dashboard"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    title->setFont(titleFont);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("dashboardSummary"));
    m_summary->setTextFormat(Qt::PlainText);

    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("dashboardBanner"));

    m_cardArea = new QWidget;
    m_cardArea->setObjectName(QStringLiteral("dashboardCards"));
    m_flow = new FlowLayout(m_cardArea);
    m_flow->setContentsMargins(0, 0, 0, 0);
    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("dashboardScroll"));
    m_scroll->setAccessibleName(tr("Sources"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(m_cardArea);

    // With no source yet the page welcomes the user: add the MLS, or see the product work first
    // on demo data without any credentials.
    auto* welcome = new QLabel(tr("Welcome to OpenReSync"), this);
    welcome->setObjectName(QStringLiteral("dashboardWelcome"));
    QFont welcomeFont = welcome->font();
    welcomeFont.setPointSizeF(welcomeFont.pointSizeF() * 1.6);
    welcomeFont.setBold(true);
    welcome->setFont(welcomeFont);
    welcome->setAlignment(Qt::AlignCenter);
    m_empty = new QLabel(tr("OpenReSync keeps a copy of your MLS's listings, media, members and offices in "
                            "databases you own, and shows how close that copy is to the MLS.\n\n"
                            "Add your MLS connection (Trestle, MLS Grid, Bridge, Spark or any RESO Web API), "
                            "or try it first with demo data: a sample RESO server on this computer with "
                            "generated listings, synced into a local SQLite file."),
                         this);
    m_empty->setObjectName(QStringLiteral("dashboardEmpty"));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_addSource = new QPushButton(tr("&Add a source…"), this);
    m_addSource->setObjectName(QStringLiteral("dashboardAddSource"));
    m_addSource->setAccessibleName(tr("Add a source"));
    m_addSource->setDefault(true);
    connect(m_addSource, &QPushButton::clicked, this, &DashboardPage::addSourceRequested);
    m_tryDemo = new QPushButton(tr("&Try with demo data"), this);
    m_tryDemo->setObjectName(QStringLiteral("dashboardTryDemo"));
    m_tryDemo->setAccessibleName(tr("Try with demo data"));
    connect(m_tryDemo, &QPushButton::clicked, this, &DashboardPage::demoRequested);

    auto* header = new QHBoxLayout;
    header->addWidget(title);
    header->addSpacing(12);
    header->addWidget(m_summary, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_banner);
    // The empty state: the hint and its button together in the middle of the page.
    m_emptyState = new QWidget(this);
    auto* empty = new QVBoxLayout(m_emptyState);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_addSource);
    buttons->addWidget(m_tryDemo);
    buttons->addStretch(1);
    empty->addStretch(1);
    empty->addWidget(welcome);
    empty->addSpacing(12);
    // Centred by stretches, not by an alignment flag: a wrapped label given an alignment in a box
    // layout loses its height-for-width and is cut off.
    auto* text = new QHBoxLayout;
    text->addStretch(1);
    text->addWidget(m_empty, 3);
    text->addStretch(1);
    empty->addLayout(text);
    empty->addSpacing(12);
    empty->addLayout(buttons);
    empty->addStretch(2);
    m_emptyState->hide();
    layout->addWidget(m_emptyState, 1);
    layout->addWidget(m_scroll, 1);

    if (m_board) {
        connect(m_board, &JobBoard::changed, this, &DashboardPage::updateJobs);
        connect(m_board, &JobBoard::jobFinished, this, &DashboardPage::refreshActivity);
        connect(m_board, &JobBoard::scheduleChanged, this, &DashboardPage::updateNextRuns);
    }
    // Relative times ("4 min ago") move on.
    auto* clock = new QTimer(this);
    clock->setInterval(kClockMs);
    connect(clock, &QTimer::timeout, this, [this] {
        if (m_fixedNow.isValid())
            return;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (SourceCard* card : std::as_const(m_cards))
            card->setNow(now);
        updateNextRuns();
    });
    clock->start();
}

void DashboardPage::setSources(const Config& config, const QString& dataDir) {
    m_dataDir = dataDir;
    m_stats = config.stats;
    if (!m_zoneFixed)
        m_zone = displayZone(&config);
    QStringList names;
    for (const SourceConfig& source : config.sources)
        names.append(source.name);
    // Cards of sources no longer configured go; the others keep what they show until the read.
    for (const QString& name : std::as_const(m_order))
        if (!names.contains(name))
            delete m_cards.take(name);
    while (m_flow->count() > 0)
        delete m_flow->takeAt(0);
    for (const QString& name : names) {
        SourceCard* card = m_cards.value(name);
        if (!card) {
            card = new SourceCard(name, m_cardArea);
            connect(card, &SourceCard::openRequested, this, &DashboardPage::openSourceRequested);
            connect(card, &SourceCard::syncRequested, this,
                    [this](const QString& source) { Q_EMIT runRequested(source, ProcessType::Sync); });
            connect(card, &SourceCard::cancelRequested, this, &DashboardPage::cancelRequested);
            m_cards.insert(name, card);
        }
        card->setDisplayZone(m_zone);
        card->setRelativeTimes(m_relativeTimes);
        if (m_fixedNow.isValid())
            card->setNow(m_fixedNow);
        card->setDifferences(m_differences.value(name).summary, m_differences.value(name).measured);
        m_flow->addWidget(card);
    }
    m_order = names;
    m_emptyState->setVisible(names.isEmpty());
    m_scroll->setVisible(!names.isEmpty());
    updateJobs();
    updateNextRuns();
    refreshActivity();
}

void DashboardPage::setDifferences(const QString& source, const QStringList& summary,
                                   const QDateTime& measured) {
    m_differences.insert(source, Differences{summary, measured});
    if (SourceCard* card = m_cards.value(source))
        card->setDifferences(summary, measured);
    updateSummary();
}

void DashboardPage::setDisplayZone(const QTimeZone& zone) {
    m_zone = zone;
    m_zoneFixed = true;
    for (SourceCard* card : std::as_const(m_cards))
        card->setDisplayZone(zone);
}

void DashboardPage::setRelativeTimes(bool relative) {
    m_relativeTimes = relative;
    for (SourceCard* card : std::as_const(m_cards))
        card->setRelativeTimes(relative);
}

void DashboardPage::setNow(const QDateTime& now) {
    m_fixedNow = now;
    for (SourceCard* card : std::as_const(m_cards))
        card->setNow(now);
}

void DashboardPage::refreshActivity() {
    if (m_dataDir.isEmpty() || m_order.isEmpty())
        return;
    const quint64 generation = ++m_generation;
    auto* watcher = new QFutureWatcher<ActivityRead>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        // A later read (a finished job, a reloaded configuration) wins over this one.
        if (generation != m_generation)
            return;
        const ActivityRead read = watcher->result();
        if (read.error.isEmpty()) {
            if (m_banner->key() == QLatin1String("activity"))
                m_banner->clear();
            showActivity(read.activities);
        } else {
            m_banner->showMessage(MessageBanner::Level::Error,
                                  tr("Could not read the last runs: %1").arg(read.error),
                                  QStringLiteral("activity"));
        }
        Q_EMIT activityLoaded();
    });
    watcher->setFuture(QtConcurrent::run([stats = m_stats, dataDir = m_dataDir, names = m_order] {
        Expected<SourceActivities> read = readSourceActivity(stats, dataDir, names);
        return read ? ActivityRead{*read, {}} : ActivityRead{{}, read.errorMessage()};
    }));
}

void DashboardPage::showActivity(const SourceActivities& activities) {
    for (auto it = m_cards.cbegin(); it != m_cards.cend(); ++it) {
        const auto found = activities.constFind(it.key());
        it.value()->setActivity(found == activities.cend() ? std::nullopt
                                                           : std::optional<SourceActivity>(*found));
    }
    updateSummary();
}

void DashboardPage::updateJobs() {
    QHash<QString, JobEntry> running;
    QSet<QString> queued;
    if (m_board)
        for (const JobEntry& entry : m_board->jobs()) {
            if (entry.state == JobEntry::State::Running)
                running.insert(entry.request.source, entry);
            else
                queued.insert(entry.request.source);
        }
    for (auto it = m_cards.cbegin(); it != m_cards.cend(); ++it) {
        const auto job = running.constFind(it.key());
        it.value()->setJob(job == running.cend() ? std::nullopt : std::optional<JobEntry>(*job),
                           queued.contains(it.key()));
    }
    updateSummary();
}

void DashboardPage::updateNextRuns() {
    for (auto it = m_cards.cbegin(); it != m_cards.cend(); ++it) {
        const bool paused = m_board && (m_board->allPaused() || m_board->isSourcePaused(it.key()));
        std::optional<QDateTime> earliest;
        QString process;
        if (m_board)
            for (ProcessType type : {ProcessType::Sync, ProcessType::Purge, ProcessType::Reconcile})
                if (const auto next = m_board->nextFire(it.key(), type);
                    next && (!earliest || *next < *earliest)) {
                    earliest = next;
                    process = processName(type);
                }
        it.value()->setNextRun(earliest, process, paused);
    }
}

void DashboardPage::updateSummary() {
    int running = 0, failed = 0, blocked = 0, differing = 0;
    for (SourceCard* card : std::as_const(m_cards)) {
        running += card->state() == SourceCard::State::Running ? 1 : 0;
        failed += card->state() == SourceCard::State::Failed ? 1 : 0;
        blocked += card->state() == SourceCard::State::Blocked ? 1 : 0;
        differing += card->showsDifferences() ? 1 : 0;
    }
    const QLocale locale;
    QStringList parts{m_order.size() == 1 ? tr("1 source")
                                          : tr("%1 sources").arg(locale.toString(m_order.size()))};
    if (running > 0)
        parts.append(tr("%1 running").arg(locale.toString(running)));
    if (failed > 0)
        parts.append(tr("%1 failed").arg(locale.toString(failed)));
    if (blocked > 0)
        parts.append(tr("%1 blocked").arg(locale.toString(blocked)));
    if (differing > 0)
        parts.append(tr("%1 differ from the MLS").arg(locale.toString(differing)));
    if (running + failed + blocked + differing == 0 && !m_order.isEmpty())
        parts.append(tr("nothing wrong"));
    m_summary->setText(parts.join(QStringLiteral(" · ")));
}

} // namespace ors
