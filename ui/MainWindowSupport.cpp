// The window's support actions: Help ▸ Save diagnostics… and File ▸ Export/Import configuration….
// core/support does the work on a pool thread; the window asks for file names, for a reference to
// each secret an import left out, and for leave to replace the configuration.
#include "MainWindow.h"
#include "MessageBanner.h"
#include "support/ConfigArchive.h"
#include "support/DiagnosticsBundle.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QInputDialog>
#include <QMessageBox>
#include <QtConcurrent/QtConcurrentRun>

namespace ors {

namespace {

const QString kMessageKey = QStringLiteral("support");
QString zipFilter() {
    return MainWindow::tr("Zip archives (*.zip)");
}

// Runs `work` on the pool and `done` with its result on the window's thread.
template <typename Result, typename Work, typename Done>
void inBackground(QObject* owner, Work work, Done done) {
    auto* watcher = new QFutureWatcher<Result>(owner);
    QObject::connect(watcher, &QFutureWatcherBase::finished, owner, [watcher, done] {
        done(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(work));
}

} // namespace

void MainWindow::saveDiagnostics() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save diagnostics"), QDir::home().filePath(DiagnosticsBundle::defaultFileName()),
        zipFilter());
    if (path.isEmpty())
        return;
    const Config config = m_workspace.config.value_or(Config{});
    DiagnosticsBundle bundle(config, m_workspace.configPath, m_workspace.dataDir);
    bundle.setConfigErrors(m_workspace.errors);
    inBackground<Expected<DiagnosticsResult>>(
        this, [bundle, path] { return bundle.write(path); },
        [this](const Expected<DiagnosticsResult>& written) {
            if (!written) {
                m_messages->showMessage(MessageBanner::Level::Error,
                                        tr("Diagnostics not saved: %1").arg(written.errorMessage()),
                                        kMessageKey);
                return;
            }
            m_messages->showMessage(MessageBanner::Level::Info,
                                    tr("Diagnostics saved to %1 (%2 files, no secrets). Attach it to your "
                                       "support request.")
                                        .arg(written->path)
                                        .arg(written->entries.size()),
                                    kMessageKey);
        });
}

void MainWindow::exportConfiguration() {
    if (!m_workspace.ok()) {
        m_messages->showMessage(MessageBanner::Level::Warning,
                                tr("The configuration has errors; fix them before exporting it."),
                                kMessageKey);
        return;
    }
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export configuration"), QDir::home().filePath(QStringLiteral("openresync-setup.zip")),
        zipFilter());
    if (path.isEmpty())
        return;
    const QString configPath = m_workspace.configPath;
    inBackground<Expected<QStringList>>(
        this, [configPath, path] { return ConfigArchive::exportTo(configPath, path); },
        [this, path](const Expected<QStringList>& removed) {
            if (!removed) {
                m_messages->showMessage(MessageBanner::Level::Error,
                                        tr("Configuration not exported: %1").arg(removed.errorMessage()),
                                        kMessageKey);
                return;
            }
            QString text = tr("Configuration exported to %1.").arg(path);
            if (!removed->isEmpty())
                text += QLatin1Char(' ') +
                        tr("Secrets written as text were left out (%1); the import asks for them.")
                            .arg(removed->join(QStringLiteral(", ")));
            m_messages->showMessage(MessageBanner::Level::Info, text, kMessageKey);
        });
}

void MainWindow::importConfiguration() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Import configuration"), QDir::homePath(), zipFilter());
    if (path.isEmpty())
        return;
    inBackground<Expected<ImportedConfig>>(
        this, [path] { return ConfigArchive::read(path); },
        [this, path](const Expected<ImportedConfig>& imported) {
            if (!imported) {
                m_messages->showMessage(MessageBanner::Level::Error,
                                        tr("Not imported: %1").arg(imported.errorMessage()), kMessageKey);
                return;
            }
            // References only: a secret typed here would end up as text in the file.
            QMap<QString, QString> references;
            for (const QString& key : imported->secretsNeeded) {
                bool ok = false;
                const QString reference = QInputDialog::getText(
                    this, tr("Secret left out"),
                    tr("%1 was left out of the export.\nWhere does this machine keep it? "
                       "(env:NAME, keychain:KEY or file:PATH)")
                        .arg(key),
                    QLineEdit::Normal, QString(), &ok);
                if (!ok)
                    return;
                references.insert(key, reference.trimmed());
            }
            auto root = ConfigArchive::withSecrets(*imported, references);
            if (!root) {
                m_messages->showMessage(MessageBanner::Level::Error,
                                        tr("Not imported: %1").arg(root.errorMessage()), kMessageKey);
                return;
            }
            const QString target = m_workspace.configPath;
            if (QFileInfo::exists(target) &&
                QMessageBox::question(this, tr("Replace configuration"),
                                      tr("Replace the configuration in %1 with the imported one? The current "
                                         "one is kept as %1.bak.")
                                          .arg(target)) != QMessageBox::Yes)
                return;
            const QJsonObject document = *root;
            inBackground<Expected<QString>>(
                this, [document, target] { return ConfigArchive::install(document, target); },
                [this, path](const Expected<QString>& installed) {
                    if (!installed) {
                        m_messages->showMessage(MessageBanner::Level::Error,
                                                tr("Not imported: %1").arg(installed.errorMessage()),
                                                kMessageKey);
                        return;
                    }
                    m_messages->showMessage(MessageBanner::Level::Info,
                                            tr("Configuration imported from %1.").arg(path), kMessageKey);
                    reloadConfiguration();
                });
        });
}

} // namespace ors
