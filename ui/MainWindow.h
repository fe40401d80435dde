#pragma once

#include "processes/JobTypes.h"
#include "runner/Workspace.h"

#include <QHash>
#include <QJsonObject>
#include <QMainWindow>
#include <QSet>

class QLabel;
class QTableView;

namespace ors {

class JobQueue;
struct JobEntry;
class MessageBanner;
class SourcesModel;
class SyncPanel;

// The desktop window: the configured sources with their last sync, and "Sync now" for the
// selected one with live progress. Jobs run in the JobQueue (not owned), beside the jobs its
// schedules queue; the window only asks for them and shows what they report. Problems appear
// inline, never in a modal dialog.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(Workspace workspace, JobQueue* queue, QWidget* parent = nullptr);

    // Another program (`openresync-cli serve`, another window) runs this data directory's
    // schedules: this window runs none, says so, and sends its Sync requests to that instance
    // through its control channel at `controlPath` instead of running them here. `hello` is
    // what the instance answered (kind, pid).
    void attachToInstance(const QJsonObject& hello, const QString& controlPath);
    bool isAttached() const { return !m_remotePath.isEmpty(); }

private:
    void buildUi();
    void showWorkspace();
    QString selectedSource() const;
    void syncSelected();
    void syncRemotely(const QString& source);
    void cancelSelected();
    void updatePanel();
    void onJobStarted(const JobEntry& entry);
    void onJobProgress(const JobProgress& progress);
    void onJobFinished(const JobEntry& entry, const JobResult& result);

    Workspace m_workspace;
    JobQueue* m_queue;
    SourcesModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    MessageBanner* m_messages = nullptr;
    SyncPanel* m_panel = nullptr;
    QLabel* m_workspaceLabel = nullptr;
    QHash<QString, QString> m_outcome; // source → one line about its last job in this session
    QSet<QString> m_cancelling;
    QString m_remotePath; // the control channel of the instance running the schedules, if not us
    QString m_remoteName; // "openresync-cli serve (process 1234)"
};

} // namespace ors
