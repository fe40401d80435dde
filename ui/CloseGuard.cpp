#include "CloseGuard.h"

#include "AppSettings.h"
#include "JobBoard.h"
#include "TrayIcon.h"

#include <QCloseEvent>
#include <QCoreApplication>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QWidget>

namespace ors {

CloseGuard::CloseGuard(QWidget* window, const JobBoard& board, TrayIcon& tray, AppSettings& settings)
    : QObject(window)
    , m_window(window)
    , m_board(board)
    , m_tray(tray)
    , m_settings(settings) {
    window->installEventFilter(this);
}

CloseSituation CloseGuard::situation() const {
    // An attached window's jobs and schedules run in the other instance whatever this one does.
    const bool local = !m_board.isRemote();
    CloseSituation s;
    s.quitting = m_quitting;
    s.trayAvailable = m_tray.isAvailable();
    s.minimizeToTray = m_settings.preferences().minimizeToTray;
    s.jobsRunning = local && !m_board.jobs().isEmpty();
    s.schedulesActive = local && !m_board.allPaused() && !m_board.nextFires().isEmpty();
    return s;
}

bool CloseGuard::eventFilter(QObject* watched, QEvent* event) {
    if (watched != m_window)
        return false;
    if (event->type() == QEvent::Close) {
        switch (closeChoice(situation())) {
        case CloseChoice::HideToTray:
            event->ignore();
            hideToTray();
            return true;
        case CloseChoice::AskThenQuit:
            event->ignore();
            askThenQuit();
            return true;
        case CloseChoice::Quit:
            return false;
        }
    } else if (event->type() == QEvent::WindowStateChange && m_window->isMinimized() &&
               closeChoice(situation()) == CloseChoice::HideToTray) {
        // Hiding inside the state change confuses some window managers: right after it.
        QTimer::singleShot(0, this, &CloseGuard::hideToTray);
    }
    return false;
}

void CloseGuard::hideToTray() {
    m_window->hide();
    Q_EMIT hiddenToTray();
    if (m_settings.trayNoticeShown())
        return;
    m_settings.setTrayNoticeShown(true);
    m_tray.showMessage(tr("OpenReSync keeps running"),
                       tr("Jobs and schedules go on in the background. Open the window or quit from the "
                          "tray icon's menu; Edit ▸ Preferences turns this off."));
}

void CloseGuard::askThenQuit() {
    if (m_confirmation) {
        m_confirmation->raise();
        return;
    }
    const int jobs = int(m_board.jobs().size());
    // Window-modal and opened, not exec()'d: the window keeps following the jobs meanwhile.
    auto* box = new QMessageBox(
        QMessageBox::Question, tr("Quit OpenReSync"),
        jobs == 1 ? tr("A job is running or waiting. Quit anyway?")
                  : tr("%1 jobs are running or waiting. Quit anyway?").arg(QLocale().toString(jobs)),
        QMessageBox::NoButton, m_window);
    box->setObjectName(QStringLiteral("quitConfirmation"));
    box->setInformativeText(
        tr("Running jobs stop at their next checkpoint and resume where they stopped next time."));
    QPushButton* quit = box->addButton(tr("Quit"), QMessageBox::AcceptRole);
    quit->setObjectName(QStringLiteral("confirmQuitButton"));
    quit->setAccessibleName(tr("Quit"));
    QPushButton* stay = box->addButton(tr("Keep running"), QMessageBox::RejectRole);
    stay->setObjectName(QStringLiteral("keepRunningButton"));
    stay->setAccessibleName(tr("Keep running"));
    box->setDefaultButton(stay);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::buttonClicked, this, [this, quit](QAbstractButton* clicked) {
        if (clicked == quit)
            QTimer::singleShot(0, this, &CloseGuard::quit);
    });
    m_confirmation = box;
    box->open();
}

void CloseGuard::quit() {
    m_quitting = true;
    // Qt sends every window a close event first; the guard lets them through now.
    QCoreApplication::quit();
}

void CloseGuard::restore() {
    m_window->showNormal();
    m_window->raise();
    m_window->activateWindow();
}

} // namespace ors
