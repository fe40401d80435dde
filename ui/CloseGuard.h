#pragma once

#include "TrayPolicy.h"

#include <QMessageBox>
#include <QObject>
#include <QPointer>

class QWidget;

namespace ors {

class AppSettings;
class JobBoard;
class TrayIcon;

// Decides what closing and minimizing the window do (closeChoice): hide it to the tray while this
// program runs jobs or schedules (telling so once), ask before quitting when jobs would stop, or
// let it close. Watches the window as an event filter so the window needs no code of its own.
// Quit (the tray's, File ▸ Quit) quits without asking again; running jobs then stop at their
// next checkpoint when main() stops the host.
class CloseGuard : public QObject {
    Q_OBJECT
public:
    CloseGuard(QWidget* window, const JobBoard& board, TrayIcon& tray, AppSettings& settings);

    CloseSituation situation() const;
    // The confirmation shown while jobs would stop, null when none is.
    QMessageBox* confirmation() const { return m_confirmation; }

public Q_SLOTS:
    void quit();
    // Shows the window again from the tray.
    void restore();

Q_SIGNALS:
    void hiddenToTray();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void hideToTray();
    void askThenQuit();

    QWidget* m_window;
    const JobBoard& m_board;
    TrayIcon& m_tray;
    AppSettings& m_settings;
    bool m_quitting = false;
    QPointer<QMessageBox> m_confirmation;
};

} // namespace ors
