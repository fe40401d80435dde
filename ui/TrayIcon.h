#pragma once

#include "alerts/Alert.h"
#include "TrayPolicy.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <optional>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace ors {

class AppSettings;
class JobBoard;

// The notification area's icon: idle, syncing or problem; the running jobs' progress as its
// tooltip; a menu built from the JobBoard (a status line per source, opening its page; Sync all, Pause or
// Resume schedules, Open, Quit) whose actions are only requests for the window to route; desktop
// notifications of the notifier's alerts the preferences ask for. Works without a tray host
// (offscreen, a bare X server): the menu and the state still follow, nothing is shown.
class TrayIcon : public QObject {
    Q_OBJECT
public:
    // Neither is owned; both outlive the icon.
    TrayIcon(const JobBoard& board, const AppSettings& settings, QObject* parent = nullptr);
    ~TrayIcon() override;

    // The configuration's sources, in its order: one status line each.
    void setSources(const QStringList& sources);

    // A tray host shows the icon. Checked again a few times at start: a session's tray often
    // appears after the programs it starts.
    bool isAvailable() const { return m_available; }
    TrayState state() const;
    QString toolTip() const;
    QMenu* menu() const { return m_menu.get(); }
    // Sources with a failed last run (stored or in this session), a blocked step, or an alert
    // not recovered.
    QStringList problems() const;

    // What the stats say (as the dashboard read them): sources whose newest run failed, and
    // sources with a blocked step; so a failure from before this session shows too.
    void setStoredProblems(const QStringList& failed, const QStringList& blocked);

    // Title and text of the notification an alert gives, none when the preferences leave its
    // kind out. Also remembers raised and recovered alerts for the problem state.
    std::optional<std::pair<QString, QString>> takeAlert(const Alert& alert);
    // takeAlert, then shown as a desktop notification when there is a tray.
    void notify(const Alert& alert);
    // A message from the icon (a no-op without a tray host).
    void showMessage(const QString& title, const QString& text);

Q_SIGNALS:
    // A status line was chosen: show that source's page.
    void sourceRequested(const QString& source);
    void syncAllRequested();
    void pauseRequested(bool paused);
    void openRequested();
    void quitRequested();
    void availableChanged(bool available);
    // Every notification shown, for the log and for tests.
    void messageShown(const QString& title, const QString& text);

private:
    void checkAvailable();
    void update();
    QString sourceLine(const QString& source) const;

    const JobBoard& m_board;
    const AppSettings& m_settings;
    std::unique_ptr<QMenu> m_menu; // a top-level popup: no parent widget
    QSystemTrayIcon* m_tray = nullptr;
    QAction* m_statusSeparator = nullptr;
    QAction* m_syncAll = nullptr;
    QAction* m_pause = nullptr;
    QHash<QString, QAction*> m_sourceLines;
    QStringList m_sources;
    QHash<QString, QString> m_failed; // source → the error of its last run, while it failed
    QStringList m_storedFailed;
    QStringList m_storedBlocked;
    QSet<QString> m_raised; // alerts raised and not recovered (source|process|condition|subject)
    bool m_available = false;
    int m_availabilityChecks = 0;
    QTimer m_availability;
    std::optional<TrayState> m_shownState;
};

} // namespace ors
