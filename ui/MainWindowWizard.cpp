// The window's part of the add-source wizard: its menu entries (and Source ▸ Remove…'s), the empty
// dashboard's button, and what follows a successful Finish (reload, then the first sync when asked).
#include "DashboardPage.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "SourceWizard.h"

#include <QAction>
#include <QMenu>

namespace ors {

void MainWindow::addWizardActions(QMenu* file, QMenu* source) {
    auto* add = new QAction(tr("&Add source…"), this);
    add->setObjectName(QStringLiteral("addSourceAction"));
    add->setShortcut(QKeySequence(tr("Ctrl+N")));
    connect(add, &QAction::triggered, this, [this] { openSourceWizard(); });
    file->insertAction(file->actions().value(0), add);
    file->insertSeparator(file->actions().value(1));

    source->addSeparator();
    QAction* edit = source->addAction(tr("&Edit…"), this, [this] { openSourceWizard(currentSource()); });
    edit->setObjectName(QStringLiteral("editSourceAction"));
    m_sourceActions.append(edit);
    QAction* remove = source->addAction(tr("&Remove…"), this, [this] { removeSource(currentSource()); });
    remove->setObjectName(QStringLiteral("removeSourceAction"));
    m_sourceActions.append(remove);

    if (m_dashboardPage)
        connect(m_dashboardPage, &DashboardPage::addSourceRequested, this, [this] { openSourceWizard(); });
    connect(this, &MainWindow::reloaded, this, [this](bool ok) {
        const QString first = std::exchange(m_firstSync, QString());
        if (!ok || first.isEmpty() || !m_workspace.source(first))
            return;
        showPage(first);
        requestRun(first, ProcessType::Sync);
    });
}

SourceWizard* MainWindow::openSourceWizard(const QString& source) {
    const SourceConfig* edited = source.isEmpty() ? nullptr : m_workspace.source(source);
    if (!source.isEmpty() && !edited)
        return nullptr;
    auto* wizard = new SourceWizard(m_workspace.config ? &*m_workspace.config : nullptr,
                                    m_workspace.configPath, m_workspace.dataDir, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    wizard->setWindowModality(Qt::WindowModal);
    if (edited)
        wizard->editSource(*edited);
    connect(
        wizard, &SourceWizard::sourceWritten, this, [this, source](const QString& name, bool runFirstSync) {
            m_messages->showMessage(MessageBanner::Level::Info,
                                    source.isEmpty() ? tr("Source %1 added to the configuration.").arg(name)
                                                     : tr("Source %1 saved.").arg(name),
                                    QStringLiteral("config"));
            if (runFirstSync)
                m_firstSync = name;
            reloadConfiguration();
        });
    wizard->open();
    return wizard;
}

} // namespace ors
