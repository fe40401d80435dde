#include "ResourcesTable.h"

#include "DisplayTime.h"
#include "inspect/StatusReport.h"
#include "MessageBanner.h"
#include "ResourcesTableModel.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QtConcurrent/QtConcurrentRun>
#include <QVBoxLayout>

namespace ors {

ResourcesTable::ResourcesTable(QWidget* parent)
    : QWidget(parent) {
    auto* title = new QLabel(tr("Resources"), this);
    QFont font = title->font();
    font.setBold(true);
    title->setFont(font);

    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("resourcesState"));
    m_state->setTextFormat(Qt::PlainText);

    m_refresh = new QPushButton(tr("Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("refreshResourcesButton"));
    m_refresh->setAccessibleName(tr("Refresh resources"));
    m_refresh->setToolTip(tr("Ask the MLS and every destination for their counts and newest records again"));
    m_refresh->setEnabled(false);
    connect(m_refresh, &QPushButton::clicked, this, &ResourcesTable::refresh);

    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("resourcesBanner"));

    m_model = new ResourcesTableModel(this);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("resourcesTable"));
    m_view->setAccessibleName(tr("Resources"));
    m_view->setAccessibleDescription(tr("Per resource and destination: records and newest timestamp held, "
                                        "beside the MLS's, and the difference"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    title->setBuddy(m_view);

    auto* header = new QHBoxLayout;
    header->addWidget(title);
    header->addWidget(m_state, 1);
    header->addWidget(m_refresh);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_banner);
    layout->addWidget(m_view, 1);
}

void ResourcesTable::setSource(const SourceConfig& source, const QString& dataDir) {
    m_source = source;
    m_dataDir = dataDir;
    ++m_generation; // an answer still on its way is for the source shown before
    m_loading = false;
    m_model->clear();
    m_banner->clear();
    m_state->setText(tr("Not loaded yet"));
    m_refresh->setEnabled(!source.name.isEmpty());
}

void ResourcesTable::setDisplayZone(const QTimeZone& zone) {
    m_zone = zone;
    m_model->setDisplayZone(zone);
}

void ResourcesTable::refresh() {
    if (m_source.name.isEmpty())
        return;
    const quint64 generation = ++m_generation;
    const QDateTime measured = QDateTime::currentDateTimeUtc();
    m_loading = true;
    m_state->setText(tr("Loading…"));
    auto* watcher = new QFutureWatcher<SourceStatus>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, measured] {
        watcher->deleteLater();
        // A newer refresh, or another source, is shown now: this answer is stale.
        if (generation != m_generation)
            return;
        m_loading = false;
        showStatus(watcher->result(), measured);
    });
    watcher->setFuture(QtConcurrent::run([source = m_source, dataDir = m_dataDir, cancel = m_cancel.renew()] {
        return StatusReport::collectStatus(source, dataDir, cancel.get());
    }));
}

void ResourcesTable::cancelRefresh() {
    m_cancel.cancel();
    ++m_generation;
    m_loading = false;
}

void ResourcesTable::showStatus(const SourceStatus& status, const QDateTime& measured) {
    m_model->setStatus(status);
    if (!status.mlsError.isEmpty())
        m_banner->showMessage(MessageBanner::Level::Warning,
                              tr("The MLS of %1 could not be asked: %2").arg(status.name, status.mlsError),
                              QStringLiteral("mls"));
    else
        m_banner->clear();
    const QStringList summary = m_model->differenceSummary();
    // The zone once, here, rather than in every time cell.
    const QString checked =
        tr("checked %1 · times in %2")
            .arg(clockTime(QDateTime::currentDateTimeUtc(), m_zone), QString::fromUtf8(m_zone.id()));
    m_state->setText(summary.isEmpty()
                         ? tr("Every destination matches the MLS · %1").arg(checked)
                         : tr("Differences: %1 · %2").arg(QLocale().toString(summary.size()), checked));
    Q_EMIT differencesChanged(status.name, summary, measured);
    Q_EMIT refreshed();
}

} // namespace ors
