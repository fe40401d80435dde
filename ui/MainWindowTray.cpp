// The window's tray icon, Edit ▸ Preferences and desktop notifications: everything that reads the
// window's own preferences (AppSettings) rather than the configuration.
#include "alerts/Notifier.h"
#include "AppSettings.h"
#include "CloseGuard.h"
#include "DashboardPage.h"
#include "JobBoard.h"
#include "JobsPage.h"
#include "MainWindow.h"
#include "PreferencesDialog.h"
#include "SchedulePage.h"
#include "service/ServiceHost.h"
#include "SourceCard.h"
#include "SourcePage.h"
#include "TrayIcon.h"

#include <QAction>
#include <QLoggingCategory>
#include <QMenu>
#include <QMenuBar>

namespace ors {

void MainWindow::buildTrayAndPreferences() {
    m_settings = new AppSettings(this);
    QLoggingCategory::setFilterRules(loggingRules(m_settings->preferences().logLevel));
    connect(m_settings, &AppSettings::changed, this, &MainWindow::applyPreferences);
    m_dashboardPage->setRelativeTimes(m_settings->preferences().relativeTimes);

    // Edit sits between File and Source, as menus usually go.
    auto* edit = new QMenu(tr("&Edit"), this);
    const QList<QAction*> menus = menuBar()->actions();
    menuBar()->insertMenu(menus.size() > 1 ? menus.at(1) : nullptr, edit);
    QAction* preferences = edit->addAction(tr("&Preferences…"), this, &MainWindow::showPreferences);
    preferences->setObjectName(QStringLiteral("preferencesAction"));
    preferences->setShortcut(QKeySequence(tr("Ctrl+,"))); // QKeySequence::Preferences is empty on plain X11
    preferences->setMenuRole(QAction::PreferencesRole);

    m_tray = new TrayIcon(*m_board, *m_settings, this);
    m_tray->setObjectName(QStringLiteral("tray"));
    m_closeGuard = new CloseGuard(this, *m_board, *m_tray, *m_settings);
    m_closeGuard->setObjectName(QStringLiteral("closeGuard"));
    connect(m_tray, &TrayIcon::syncAllRequested, this, [this] {
        for (const SourceConfig& source : m_workspace.sources())
            requestRun(source.name, ProcessType::Sync);
    });
    connect(m_tray, &TrayIcon::pauseRequested, this, [this](bool paused) { requestPause(paused, {}); });
    connect(m_tray, &TrayIcon::openRequested, m_closeGuard, &CloseGuard::restore);
    connect(m_tray, &TrayIcon::sourceRequested, this, [this](const QString& source) {
        m_closeGuard->restore();
        showPage(source);
    });
    connect(m_tray, &TrayIcon::quitRequested, m_closeGuard, &CloseGuard::quit);
    // File ▸ Quit quits even where closing would keep the program in the tray.
    if (QAction* quit = findChild<QAction*>(QStringLiteral("quitAction"))) {
        disconnect(quit, &QAction::triggered, nullptr, nullptr);
        connect(quit, &QAction::triggered, m_closeGuard, &CloseGuard::quit);
    }

    // The notifier is replaced with each configuration the host takes.
    auto followSources = [this] {
        QStringList names;
        for (const SourceConfig& source : m_workspace.sources())
            names.append(source.name);
        m_tray->setSources(names);
        if (Notifier* notifier = m_host.notifier())
            connect(notifier, &Notifier::alertRaised, m_tray, &TrayIcon::notify, Qt::UniqueConnection);
    };
    followSources();
    // The dashboard reads the stored runs and blocked steps at start and after every job.
    connect(m_dashboardPage, &DashboardPage::activityLoaded, this, [this] {
        QStringList failed;
        QStringList blocked;
        for (const SourceConfig& source : m_workspace.sources())
            if (const SourceCard* card = m_dashboardPage->card(source.name)) {
                if (card->state() == SourceCard::State::Failed)
                    failed.append(source.name);
                else if (card->state() == SourceCard::State::Blocked)
                    blocked.append(source.name);
            }
        m_tray->setStoredProblems(failed, blocked);
    });
    connect(this, &MainWindow::reloaded, this, [followSources](bool ok) {
        if (ok)
            followSources();
    });
}

void MainWindow::showPreferences() {
    if (!m_preferences) {
        auto* dialog = new PreferencesDialog(
            *m_settings, m_workspace.config ? m_workspace.config->timeZone : QString(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        m_preferences = dialog;
    }
    m_preferences->show();
    m_preferences->raise();
    m_preferences->activateWindow();
}

void MainWindow::applyPreferences() {
    const Preferences& preferences = m_settings->preferences();
    QLoggingCategory::setFilterRules(loggingRules(preferences.logLevel));
    const QTimeZone zone = displayZone();
    m_schedule->setDisplayZone(zone);
    m_jobsPage->setDisplayZone(zone);
    m_dashboardPage->setDisplayZone(zone);
    m_dashboardPage->setRelativeTimes(preferences.relativeTimes);
    for (SourcePage* page : std::as_const(m_sourcePages))
        page->setDisplayZone(zone);
    updateStatusBar();
}

} // namespace ors
