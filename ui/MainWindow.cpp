#include "MainWindow.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ors {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent) {
    setWindowTitle(tr("OpenReSync"));
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    m_status = new QLabel(central);
    m_status->setObjectName(QStringLiteral("configStatus"));
    m_status->setWordWrap(true);
    m_sources = new QTreeWidget(central);
    m_sources->setObjectName(QStringLiteral("sourcesView"));
    m_sources->setHeaderLabels({tr("Source"), tr("Platform"), tr("Resources"), tr("Destinations")});
    m_sources->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(m_status);
    layout->addWidget(m_sources);
    setCentralWidget(central);
    resize(900, 500);
}

void MainWindow::showConfiguration(const Config* config, const QString& configPath,
                                   const QStringList& problems) {
    m_sources->clear();
    if (!config) {
        m_status->setText(tr("The configuration %1 could not be loaded:\n%2")
                              .arg(configPath, problems.join(QLatin1Char('\n'))));
        return;
    }
    m_status->setText(tr("Configuration: %1").arg(configPath));
    for (const SourceConfig& source : config->sources) {
        QStringList resources, destinations;
        for (const ResourceConfig& r : source.resources)
            resources.append(r.name);
        for (const DestinationConfig& d : source.destinations)
            destinations.append(QStringLiteral("%1 (%2)").arg(d.name, destinationTypeName(d.type)));
        new QTreeWidgetItem(m_sources,
                            {source.name, platformName(source.platform), resources.join(QStringLiteral(", ")),
                             destinations.join(QStringLiteral(", "))});
    }
}

} // namespace ors
