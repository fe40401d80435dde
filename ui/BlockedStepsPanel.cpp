#include "BlockedStepsPanel.h"

#include "config/DataDir.h"
#include "DisplayTime.h"
#include "inspect/StatusReport.h"
#include "MessageBanner.h"
#include "processes/Unblock.h"
#include "records/Timestamps.h"
#include "Translations.h"

#include <QFrame>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QtConcurrent/QtConcurrentRun>
#include <QVBoxLayout>

namespace ors {

namespace {

QLabel* wrappedLabel(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QFrame* card(const QString& objectName, QWidget* parent) {
    auto* frame = new QFrame(parent);
    frame->setObjectName(objectName);
    frame->setFrameShape(QFrame::StyledPanel);
    // As tall as its lines: the panel's stretch takes the rest, not gaps between wrapped labels.
    frame->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    return frame;
}

QLabel* cardTitle(const QString& text, QWidget* parent) {
    auto* title = new QLabel(QStringLiteral("⚠ ") + text, parent);
    QFont font = title->font();
    font.setBold(true);
    title->setFont(font);
    return title;
}

} // namespace

BlockedStepsPanel::BlockedStepsPanel(QWidget* parent)
    : QWidget(parent) {
    auto* title = new QLabel(tr("Blocked steps and refusals"), this);
    QFont font = title->font();
    font.setBold(true);
    title->setFont(font);
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("blockedState"));
    m_state->setTextFormat(Qt::PlainText);
    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("blockedBanner"));

    auto* header = new QHBoxLayout;
    header->addWidget(title);
    header->addWidget(m_state, 1);
    m_cards = new QVBoxLayout;
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_banner);
    layout->addLayout(m_cards);
    layout->addStretch(1);
}

void BlockedStepsPanel::setSource(const SourceConfig& source, const QString& dataDir) {
    m_source = source;
    m_dataDir = dataDir;
    ++m_generation;
    ++m_sourceEpoch;
    m_busy = false;
    m_status = {};
    m_banner->clear();
    clearCards();
    m_state->setText(tr("Not loaded yet"));
}

void BlockedStepsPanel::setDisplayZone(const QTimeZone& zone) {
    m_zone = zone;
}

bool BlockedStepsPanel::hasProblems() const {
    for (const StepFailureStatus& f : m_status.failures)
        if (f.blocked)
            return true;
    const LastRunStatus* purge = m_status.lastRun(QStringLiteral("purge"));
    return purge && purge->result == QLatin1String("refused");
}

void BlockedStepsPanel::refresh() {
    if (m_source.name.isEmpty())
        return;
    const quint64 generation = ++m_generation;
    m_state->setText(tr("Loading…"));
    auto* watcher = new QFutureWatcher<SourceStatus>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // another source, or a newer refresh
        showStatus(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(
        [source = m_source, dataDir = m_dataDir] { return StatusReport::collectLocal(source, dataDir); }));
}

void BlockedStepsPanel::clearCards() {
    while (QLayoutItem* item = m_cards->takeAt(0)) {
        if (QWidget* widget = item->widget())
            widget->deleteLater();
        delete item;
    }
}

QString BlockedStepsPanel::timeText(const QString& stored) const {
    const auto instant = parseTimestamp(stored);
    if (!instant)
        return stored;
    return fullTime(*instant, m_zone) + QLatin1Char(' ') + m_zone.abbreviation(*instant);
}

void BlockedStepsPanel::showStatus(const SourceStatus& status) {
    m_status = status;
    clearCards();
    // Steps grouped by process: core's unblock acts on a process as a whole.
    QStringList processes;
    int blocked = 0;
    for (const StepFailureStatus& f : status.failures) {
        if (!f.blocked)
            continue;
        ++blocked;
        if (!processes.contains(f.process))
            processes.append(f.process);
    }
    for (const QString& process : processes) {
        QList<StepFailureStatus> failures;
        for (const StepFailureStatus& f : status.failures)
            if (f.process == process)
                failures.append(f);
        m_cards->addWidget(processCard(process, failures));
    }
    const LastRunStatus* purge = status.lastRun(QStringLiteral("purge"));
    const bool refused = purge && purge->result == QLatin1String("refused");
    if (refused)
        m_cards->addWidget(refusedPurgeCard(*purge));
    QStringList state;
    if (blocked > 0)
        state.append(tr("Blocked steps: %1").arg(QLocale().toString(blocked)));
    if (refused)
        state.append(tr("the last purge was refused"));
    m_state->setText(state.isEmpty() ? tr("Nothing blocked") : state.join(tr(" · ")));
    Q_EMIT refreshed(status.name, blocked, refused);
}

QWidget* BlockedStepsPanel::processCard(const QString& process, const QList<StepFailureStatus>& failures) {
    QFrame* frame = card(QStringLiteral("blocked-%1").arg(process), this);
    auto* layout = new QVBoxLayout(frame);
    layout->addWidget(
        cardTitle(tr("The %1 of %2 is blocked").arg(processLabel(process), m_source.name), frame));
    bool appliesFiles = false;
    for (const StepFailureStatus& f : failures) {
        const bool apply = f.step.startsWith(QLatin1String("apply "));
        appliesFiles = appliesFiles || apply;
        const QString what =
            tr("%1 → %2: %3 failed, %4 times in a row%5")
                .arg(f.resource, f.destination, apply ? tr("applying %1").arg(f.step.mid(6)) : f.step,
                     QLocale().toString(f.count), f.blocked ? QString() : tr(" (not blocked yet)"));
        auto* step = wrappedLabel(what, frame);
        step->setObjectName(QStringLiteral("blockedStep"));
        layout->addWidget(step);
        auto* error = wrappedLabel(tr("Last error (%1): %2").arg(timeText(f.updated), f.error), frame);
        error->setIndent(16);
        layout->addWidget(error);
    }

    auto* actions = new QHBoxLayout;
    const auto button = [&](const QString& name, const QString& text, const QString& accessible,
                            const QString& tip) {
        auto* b = new QPushButton(text, frame);
        b->setObjectName(name + QLatin1Char('-') + process);
        b->setAccessibleName(accessible);
        b->setToolTip(tip);
        actions->addWidget(b);
        return b;
    };
    QPushButton* retry = button(QStringLiteral("retry"), tr("Retry"), tr("Retry %1").arg(process),
                                tr("Clear the failure counters: the next run tries the step again"));
    QPushButton* skip =
        button(QStringLiteral("skipFile"), tr("Skip file…"), tr("Skip file of %1").arg(process),
               tr("Count the failing file as applied for the destination that keeps failing; reconcile "
                  "fetches what it missed"));
    skip->setEnabled(appliesFiles);
    QPushButton* discard =
        button(QStringLiteral("discardBatch"), tr("Discard batch…"), tr("Discard batch of %1").arg(process),
               tr("Drop the whole unfinished batch; the next run downloads again from the high-water marks"));
    actions->addStretch(1);
    layout->addLayout(actions);

    // The destructive actions ask inline, never in a modal dialog.
    auto* confirm = new QFrame(frame);
    confirm->setObjectName(QStringLiteral("confirm-%1").arg(process));
    auto* confirmLayout = new QHBoxLayout(confirm);
    confirmLayout->setContentsMargins(0, 0, 0, 0);
    auto* question = new QLabel(confirm);
    question->setTextFormat(Qt::PlainText);
    question->setWordWrap(true);
    auto* yes = new QPushButton(tr("Confirm"), confirm);
    yes->setAccessibleName(tr("Confirm"));
    yes->setObjectName(QStringLiteral("confirmYes-%1").arg(process));
    auto* no = new QPushButton(tr("Keep it"), confirm);
    no->setObjectName(QStringLiteral("confirmNo-%1").arg(process));
    no->setAccessibleName(tr("Keep it"));
    confirmLayout->addWidget(question, 1);
    confirmLayout->addWidget(yes);
    confirmLayout->addWidget(no);
    confirm->hide();
    layout->addWidget(confirm);

    auto mode = std::make_shared<UnblockMode>(UnblockMode::Retry);
    const auto ask = [=](UnblockMode m, const QString& text, const QString& yesText) {
        *mode = m;
        question->setText(text);
        yes->setText(yesText);
        yes->setAccessibleName(yesText);
        confirm->show();
        yes->setFocus();
    };
    connect(skip, &QPushButton::clicked, this, [=, this] {
        ask(UnblockMode::SkipFile,
            tr("Skip the failing file(s) of %1 %2? The destination misses their records until a reconcile.")
                .arg(m_source.name, processLabel(process)),
            tr("Skip file"));
    });
    connect(discard, &QPushButton::clicked, this, [=, this] {
        ask(UnblockMode::DiscardBatch,
            tr("Discard the unfinished %1 batch of %2? Its downloaded files are deleted.")
                .arg(processLabel(process), m_source.name),
            tr("Discard batch"));
    });
    connect(no, &QPushButton::clicked, confirm, &QWidget::hide);
    connect(yes, &QPushButton::clicked, this, [=, this] {
        confirm->hide();
        runUnblock(process, *mode);
    });
    connect(retry, &QPushButton::clicked, this, [this, process] { runUnblock(process, UnblockMode::Retry); });
    return frame;
}

QWidget* BlockedStepsPanel::refusedPurgeCard(const LastRunStatus& run) {
    QFrame* frame = card(QStringLiteral("refusedPurge"), this);
    auto* layout = new QVBoxLayout(frame);
    layout->addWidget(cardTitle(tr("The last purge was refused (%1)").arg(timeText(run.started)), frame));
    auto* summary = wrappedLabel(run.error, frame);
    summary->setObjectName(QStringLiteral("refusedPurgeSummary"));
    layout->addWidget(summary);
    layout->addWidget(wrappedLabel(tr("Nothing was deleted. If the MLS really removed these records, allow "
                                      "the purge once; the limits stay in place for later runs."),
                                   frame));
    auto* actions = new QHBoxLayout;
    auto* allow = new QPushButton(tr("Allow this once"), frame);
    allow->setObjectName(QStringLiteral("allowPurgeOnce"));
    allow->setAccessibleName(tr("Allow this once"));
    allow->setToolTip(tr("Run the purge now without its delete limits"));
    connect(allow, &QPushButton::clicked, this, [this] { Q_EMIT allowPurgeOnceRequested(m_source.name); });
    actions->addWidget(allow);
    actions->addStretch(1);
    layout->addLayout(actions);
    return frame;
}

void BlockedStepsPanel::runUnblock(const QString& process, UnblockMode mode) {
    const auto type = processFromName(process);
    if (!type || m_busy)
        return;
    m_busy = true;
    m_state->setText(tr("Working…"));
    const quint64 epoch = m_sourceEpoch;
    auto* watcher = new QFutureWatcher<Expected<QString>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, epoch] {
        watcher->deleteLater();
        if (epoch != m_sourceEpoch)
            return; // the panel shows another source now
        m_busy = false;
        const Expected<QString> result = watcher->result();
        if (result)
            m_banner->showMessage(MessageBanner::Level::Info, *result, QStringLiteral("unblock"));
        else
            m_banner->showMessage(MessageBanner::Level::Error, result.errorMessage(),
                                  QStringLiteral("unblock"));
        Q_EMIT unblockFinished(m_source.name, bool(result), result ? *result : result.errorMessage());
        refresh();
    });
    watcher->setFuture(QtConcurrent::run([source = m_source, dataDir = m_dataDir, type = *type, mode] {
        return Unblock::run(source, DataLayout(dataDir), type, mode);
    }));
}

} // namespace ors
