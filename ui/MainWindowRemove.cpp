// The window's part of Source ▸ Remove…: refused while the source has a job; otherwise what to do
// with its data is asked (RemoveSourceDialog), core's SourceRemoval does it on a pool thread, and
// the configuration is read again.
#include "JobBoard.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "RemoveSourceDialog.h"
#include "runner/SourceRemoval.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace ors {

namespace {

const QString kMessageKey = QStringLiteral("remove");

} // namespace

void MainWindow::removeSource(const QString& source) {
    // Asked again once the dialog is answered: a schedule may have fired meanwhile.
    auto busy = [this, source] {
        if (!m_board->isRunning(source) && !m_board->isQueued(source))
            return false;
        m_messages->showMessage(MessageBanner::Level::Warning,
                                tr("%1 has a running or queued job, so it is not removed. Remove it once "
                                   "the job has finished, or cancel the job first.")
                                    .arg(source),
                                kMessageKey);
        return true;
    };
    if (busy() || !m_workspace.config || !m_workspace.source(source))
        return;

    const Config config = *m_workspace.config;
    const QString configPath = m_workspace.configPath;
    const QString dataDir = m_workspace.dataDir;
    auto* planning = new QFutureWatcher<Expected<SourceRemovalPlan>>(this);
    connect(planning, &QFutureWatcherBase::finished, this, [=, this] {
        planning->deleteLater();
        const Expected<SourceRemovalPlan> plan = planning->result();
        if (!plan) {
            m_messages->showMessage(MessageBanner::Level::Error,
                                    tr("%1 is not removed: %2").arg(source, plan.errorMessage()),
                                    kMessageKey);
            return;
        }
        auto* dialog = new RemoveSourceDialog(*plan, configPath, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setWindowModality(Qt::WindowModal);
        connect(dialog, &QDialog::accepted, this, [=, this] {
            if (busy())
                return;
            const SourceRemovalOptions options = dialog->options();
            auto* removing = new QFutureWatcher<Expected<SourceRemovalResult>>(this);
            connect(removing, &QFutureWatcherBase::finished, this, [=, this] {
                removing->deleteLater();
                const Expected<SourceRemovalResult> result = removing->result();
                if (!result) {
                    m_messages->showMessage(MessageBanner::Level::Error,
                                            tr("%1 is not removed: %2").arg(source, result.errorMessage()),
                                            kMessageKey);
                    return;
                }
                QStringList done{tr("Source %1 removed from the configuration.").arg(source)};
                if (!result->droppedTables.isEmpty())
                    done << tr("Dropped: %1.").arg(result->droppedTables.join(QStringLiteral("; ")));
                if (options.deleteData)
                    done << tr("Its data in the data directory is deleted.");
                if (!result->deletedKeychain.isEmpty())
                    done << tr("Keychain entries deleted: %1.")
                                .arg(result->deletedKeychain.join(QStringLiteral(", ")));
                if (!result->problems.isEmpty())
                    done << tr("Left behind: %1").arg(result->problems.join(QStringLiteral("; ")));
                // Said once the reload is through, so its own messages do not hide it (a reload
                // that failed keeps its error in view).
                const auto level =
                    result->problems.isEmpty() ? MessageBanner::Level::Info : MessageBanner::Level::Warning;
                connect(
                    this, &MainWindow::reloaded, this,
                    [this, level, text = done.join(QLatin1Char(' '))](bool ok) {
                        if (ok)
                            m_messages->showMessage(level, text, kMessageKey);
                    },
                    Qt::SingleShotConnection);
                reloadConfiguration();
            });
            removing->setFuture(QtConcurrent::run(
                [=] { return SourceRemoval::remove(configPath, config, dataDir, source, options); }));
        });
        dialog->open();
    });
    planning->setFuture(QtConcurrent::run([=] { return SourceRemoval::plan(config, dataDir, source); }));
}

} // namespace ors
