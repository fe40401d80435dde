#include "SyncPanel.h"

#include "runner/ProgressText.h"

#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include <algorithm>

namespace ors {

SyncPanel::SyncPanel(QWidget* parent)
    : QWidget(parent) {
    m_sync = new QPushButton(tr("Sync now"), this);
    m_sync->setObjectName(QStringLiteral("syncNowButton"));
    m_sync->setToolTip(tr("Download what changed since the last sync of the selected source"));
    m_sync->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setToolTip(tr("Stop at the next checkpoint; the next sync resumes from there"));
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("progressBar"));
    m_bar->setAccessibleName(tr("Sync progress"));
    m_bar->setTextVisible(true);
    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("progressLabel"));
    m_label->setTextFormat(Qt::PlainText);
    m_label->setMinimumWidth(200);

    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_sync, 0, 0);
    layout->addWidget(m_cancel, 0, 1);
    layout->addWidget(m_bar, 0, 2);
    layout->addWidget(m_label, 1, 0, 1, 3);
    layout->setColumnStretch(2, 1);

    connect(m_sync, &QPushButton::clicked, this, &SyncPanel::syncRequested);
    connect(m_cancel, &QPushButton::clicked, this, &SyncPanel::cancelRequested);
    showIdle({}, false);
}

void SyncPanel::showIdle(const QString& text, bool canSync) {
    m_sync->setEnabled(canSync);
    m_cancel->setEnabled(false);
    m_bar->hide(); // an empty bar looks like an input field
    m_bar->setRange(0, 1);
    m_bar->setValue(0);
    m_label->setText(text);
}

void SyncPanel::showRunning(const std::optional<JobProgress>& progress) {
    m_sync->setEnabled(false);
    m_cancel->setEnabled(true);
    m_bar->show();
    if (!progress || progress->total < 0) {
        m_bar->setRange(0, 0); // busy: the total is not known (yet)
        m_label->setText(progress ? describeProgress(*progress) : tr("Starting…"));
        return;
    }
    // QProgressBar counts in int, so progress is shown in per mille; nothing to do is 100 %.
    const qint64 total = progress->total;
    const qint64 done = std::clamp<qint64>(progress->done, 0, total);
    m_bar->setRange(0, 1000);
    m_bar->setValue(total == 0 ? 1000 : int(done * 1000 / total));
    m_bar->setFormat(QStringLiteral("%p%"));
    m_label->setText(describeProgress(*progress));
}

void SyncPanel::showCancelling() {
    m_sync->setEnabled(false);
    m_cancel->setEnabled(false);
    m_bar->show();
    m_bar->setRange(0, 0);
    m_label->setText(tr("Cancelling: stopping at the next checkpoint…"));
}

} // namespace ors
