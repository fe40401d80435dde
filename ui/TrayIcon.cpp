#include "TrayIcon.h"

#include "AppSettings.h"
#include "JobBoard.h"
#include "logging/LogCategories.h"
#include "runner/ProgressText.h"
#include "Translations.h"

#include <QAction>
#include <QIcon>
#include <QLocale>
#include <QMenu>
#include <QSystemTrayIcon>

#include <algorithm>

namespace ors {

namespace {

// Checks of the tray host at start, one every kAvailabilityIntervalMs.
constexpr int kAvailabilityChecks = 5;
constexpr int kAvailabilityIntervalMs = 2000;

QString alertKey(const Alert& alert) {
    return QStringList{alert.source, alert.process, alertConditionName(alert.condition), alert.subject}.join(
        QLatin1Char('|'));
}

QIcon iconFor(TrayState state) {
    switch (state) {
    case TrayState::Idle:
        return QIcon(QStringLiteral(":/icons/tray-idle.svg"));
    case TrayState::Syncing:
        return QIcon(QStringLiteral(":/icons/tray-syncing.svg"));
    case TrayState::Problem:
        return QIcon(QStringLiteral(":/icons/tray-problem.svg"));
    }
    return {};
}

int percentOf(const JobEntry& entry) {
    return int(std::clamp<qint64>(entry.progress->done * 100 / entry.progress->total, 0, 100));
}

} // namespace

TrayIcon::TrayIcon(const JobBoard& board, const AppSettings& settings, QObject* parent)
    : QObject(parent)
    , m_board(board)
    , m_settings(settings)
    , m_menu(std::make_unique<QMenu>()) {
    m_menu->setObjectName(QStringLiteral("trayMenu"));
    m_menu->setAccessibleName(tr("OpenReSync tray menu"));
    m_statusSeparator = m_menu->addSeparator();
    m_syncAll = m_menu->addAction(tr("Sync all"), this, &TrayIcon::syncAllRequested);
    m_syncAll->setObjectName(QStringLiteral("traySyncAllAction"));
    m_pause = m_menu->addAction(tr("Pause schedules"), this,
                                [this] { Q_EMIT pauseRequested(!m_board.allPaused()); });
    m_pause->setObjectName(QStringLiteral("trayPauseAction"));
    m_menu->addSeparator();
    m_menu->addAction(tr("Open"), this, &TrayIcon::openRequested)
        ->setObjectName(QStringLiteral("trayOpenAction"));
    m_menu->addAction(tr("Quit"), this, &TrayIcon::quitRequested)
        ->setObjectName(QStringLiteral("trayQuitAction"));

    m_tray = new QSystemTrayIcon(this);
    m_tray->setObjectName(QStringLiteral("trayIcon"));
    m_tray->setContextMenu(m_menu.get());
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            Q_EMIT openRequested();
    });
    connect(&m_board, &JobBoard::changed, this, &TrayIcon::update);
    connect(&m_board, &JobBoard::scheduleChanged, this, &TrayIcon::update);
    connect(&m_board, &JobBoard::jobFinished, this,
            [this](const JobEntry&, const JobResult& result, bool cancelled) {
                if (result.ok())
                    m_failed.remove(result.source);
                else if (!cancelled)
                    m_failed.insert(result.source, result.error);
                update();
            });

    m_availability.setInterval(kAvailabilityIntervalMs);
    connect(&m_availability, &QTimer::timeout, this, &TrayIcon::checkAvailable);
    update();
    checkAvailable();
}

TrayIcon::~TrayIcon() = default;

void TrayIcon::checkAvailable() {
    ++m_availabilityChecks;
    const bool available = QSystemTrayIcon::isSystemTrayAvailable();
    if (available || m_availabilityChecks >= kAvailabilityChecks) {
        m_availability.stop();
        if (!available)
            qCInfo(lcUi).noquote() << QStringLiteral("no system tray: closing the window quits");
    } else if (!m_availability.isActive()) {
        m_availability.start();
    }
    if (available == m_available)
        return;
    m_available = available;
    m_tray->setVisible(available);
    qCInfo(lcUi).noquote() << QStringLiteral("tray icon shown"); // only ever from unavailable to available
    Q_EMIT availableChanged(available);
}

void TrayIcon::setSources(const QStringList& sources) {
    m_sources = sources;
    for (auto it = m_sourceLines.begin(); it != m_sourceLines.end();) {
        if (sources.contains(it.key())) {
            ++it;
            continue;
        }
        m_menu->removeAction(it.value());
        it.value()->deleteLater();
        it = m_sourceLines.erase(it);
    }
    for (auto it = m_failed.begin(); it != m_failed.end();)
        it = sources.contains(it.key()) ? std::next(it) : m_failed.erase(it);
    // Lines in the configuration's order, above the separator.
    for (const QString& source : sources) {
        QAction* line = m_sourceLines.value(source);
        if (!line) {
            line = new QAction(m_menu.get());
            line->setObjectName(QStringLiteral("trayStatus_") + source);
            connect(line, &QAction::triggered, this, [this, source] { Q_EMIT sourceRequested(source); });
            m_sourceLines.insert(source, line);
        } else {
            m_menu->removeAction(line);
        }
        m_menu->insertAction(m_statusSeparator, line);
    }
    update();
}

QString TrayIcon::sourceLine(const QString& source) const {
    const QLocale locale;
    if (const auto running = m_board.runningJob(source)) {
        const QString process = processLabel(running->request.process);
        if (running->progress && running->progress->total > 0)
            return tr("%1: %2 %3%").arg(source, process, locale.toString(percentOf(*running)));
        return tr("%1: %2 running").arg(source, process);
    }
    if (m_board.isQueued(source))
        return tr("%1: queued").arg(source);
    if (m_storedBlocked.contains(source))
        return tr("%1: blocked").arg(source);
    if (m_failed.contains(source) || m_storedFailed.contains(source))
        return tr("%1: last run failed").arg(source);
    if (m_board.allPaused() || m_board.isSourcePaused(source))
        return tr("%1: paused").arg(source);
    return tr("%1: idle").arg(source);
}

QStringList TrayIcon::problems() const {
    QStringList sources = m_failed.keys() + m_storedFailed + m_storedBlocked;
    for (const QString& key : m_raised)
        sources.append(key.section(QLatin1Char('|'), 0, 0));
    std::sort(sources.begin(), sources.end());
    sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
    return sources;
}

void TrayIcon::setStoredProblems(const QStringList& failed, const QStringList& blocked) {
    m_storedFailed = failed;
    m_storedBlocked = blocked;
    update();
}

TrayState TrayIcon::state() const {
    return trayState(m_board.runningCount(), !problems().isEmpty());
}

// "OpenReSync — mls sync: Property: downloading 300 / 1200 records · ETA 0:04"
QString TrayIcon::toolTip() const {
    QStringList lines{tr("OpenReSync")};
    for (const JobEntry& entry : m_board.jobs()) {
        if (entry.state != JobEntry::State::Running)
            continue;
        const QString what =
            tr("%1 %2", "source, process").arg(entry.request.source, processLabel(entry.request.process));
        lines.append(entry.progress ? tr("%1: %2").arg(what, describeProgress(*entry.progress))
                                    : tr("%1: starting").arg(what));
    }
    if (lines.size() == 1)
        lines.append(m_board.allPaused() ? tr("No job running; schedules paused") : tr("No job running"));
    const QStringList problem = problems();
    if (!problem.isEmpty())
        lines.append(tr("Needs attention: %1").arg(problem.join(QStringLiteral(", "))));
    return lines.join(QLatin1Char('\n'));
}

void TrayIcon::update() {
    for (auto it = m_sourceLines.cbegin(); it != m_sourceLines.cend(); ++it)
        it.value()->setText(sourceLine(it.key()));
    m_syncAll->setEnabled(!m_sources.isEmpty());
    m_pause->setText(m_board.allPaused() ? tr("Resume schedules") : tr("Pause schedules"));
    const TrayState now = state();
    if (m_shownState != now) {
        m_shownState = now;
        m_tray->setIcon(iconFor(now));
    }
    m_tray->setToolTip(toolTip());
}

std::optional<std::pair<QString, QString>> TrayIcon::takeAlert(const Alert& alert) {
    if (alert.state == AlertState::Recovered)
        m_raised.remove(alertKey(alert));
    else if (alert.condition != AlertCondition::PurgeRefused) // a refusal is an event, not a state
        m_raised.insert(alertKey(alert));
    update();
    if (!wantsNotification(m_settings.preferences(), alert))
        return std::nullopt;
    const QString what = alert.process.isEmpty()
                             ? alert.source
                             : tr("%1 %2", "source, process").arg(alert.source, processLabel(alert.process));
    QString title;
    switch (notificationKind(alert)) {
    case NotificationKind::Failure:
        title = tr("%1 failed").arg(what);
        break;
    case NotificationKind::BlockedStep:
        title = tr("%1: a step is blocked").arg(what);
        break;
    case NotificationKind::Recovered:
        title = tr("%1 recovered").arg(what);
        break;
    case NotificationKind::RefusedPurge:
        title = tr("%1: purge refused").arg(alert.source);
        break;
    }
    return std::pair{title, alert.message};
}

void TrayIcon::notify(const Alert& alert) {
    if (const auto shown = takeAlert(alert))
        showMessage(shown->first, shown->second);
}

void TrayIcon::showMessage(const QString& title, const QString& text) {
    if (!m_available)
        return;
    const QIcon icon = iconFor(state());
    m_tray->showMessage(title, text, icon, 10000);
    Q_EMIT messageShown(title, text);
}

} // namespace ors
