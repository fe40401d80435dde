#include "SourceCard.h"

#include "DisplayTime.h"
#include "JobsModel.h"
#include "Translations.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>

namespace ors {

namespace {

constexpr int kCardWidth = 340;
constexpr int kStripe = 5;

// A hue at a lightness that reads on this palette's window colour (light text on dark themes).
QColor paletteHue(const QPalette& palette, int hue) {
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    return QColor::fromHsl(hue, 170, dark ? 165 : 95);
}

QLabel* plainLabel(QWidget* parent, const QString& objectName) {
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    return label;
}

QString resultText(const QString& result, bool runningNow) {
    if (result == QLatin1String("success"))
        return SourceCard::tr("✓ succeeded");
    if (result == QLatin1String("error"))
        return SourceCard::tr("✗ failed");
    if (result == QLatin1String("refused"))
        return SourceCard::tr("✗ refused");
    if (result == QLatin1String("cancelled"))
        return SourceCard::tr("cancelled");
    if (result == QLatin1String("running"))
        return runningNow ? SourceCard::tr("running") : SourceCard::tr("did not finish");
    return result;
}

} // namespace

SourceCard::SourceCard(const QString& source, QWidget* parent)
    : QFrame(parent)
    , m_source(source) {
    setObjectName(QStringLiteral("sourceCard_") + source);
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("Source %1").arg(source));

    m_name = new QLabel(source, this);
    m_name->setObjectName(QStringLiteral("cardName"));
    m_name->setTextFormat(Qt::PlainText);
    QFont nameFont = m_name->font();
    nameFont.setBold(true);
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.2);
    m_name->setFont(nameFont);
    m_stateIcon = new QLabel(this);
    m_stateLabel = plainLabel(this, QStringLiteral("cardState"));
    m_stateLabel->setWordWrap(false);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("cardProgress"));
    m_progress->setAccessibleName(tr("Progress of %1").arg(source));
    m_progress->setTextVisible(true);
    m_progressText = plainLabel(this, QStringLiteral("cardProgressText"));

    m_badge = plainLabel(this, QStringLiteral("cardDifferences"));
    QFont badgeFont = m_badge->font();
    badgeFont.setBold(true);
    m_badge->setFont(badgeFont);
    m_blocked = plainLabel(this, QStringLiteral("cardBlocked"));
    m_sync = plainLabel(this, QStringLiteral("cardLastSync"));
    m_purge = plainLabel(this, QStringLiteral("cardLastPurge"));
    m_reconcile = plainLabel(this, QStringLiteral("cardLastReconcile"));
    m_next = plainLabel(this, QStringLiteral("cardNextRun"));

    m_open = new QPushButton(tr("Open"), this);
    m_open->setObjectName(QStringLiteral("cardOpen"));
    m_open->setAccessibleName(tr("Open %1").arg(source));
    m_syncNow = new QPushButton(tr("Sync now"), this);
    m_syncNow->setObjectName(QStringLiteral("cardSyncNow"));
    m_syncNow->setAccessibleName(tr("Sync now %1").arg(source));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cardCancel"));
    m_cancel->setAccessibleName(tr("Cancel %1").arg(source));

    auto* header = new QHBoxLayout;
    header->addWidget(m_name, 1);
    header->addWidget(m_stateIcon);
    header->addWidget(m_stateLabel);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_syncNow);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(kStripe + 10, 10, 10, 10);
    layout->setSpacing(4);
    layout->addLayout(header);
    layout->addWidget(m_progress);
    layout->addWidget(m_progressText);
    layout->addWidget(m_badge);
    layout->addWidget(m_blocked);
    layout->addSpacing(4);
    layout->addWidget(m_sync);
    layout->addWidget(m_purge);
    layout->addWidget(m_reconcile);
    layout->addWidget(m_next);
    layout->addStretch(1);
    layout->addLayout(buttons);

    connect(m_open, &QPushButton::clicked, this, [this] { Q_EMIT openRequested(m_source); });
    connect(m_syncNow, &QPushButton::clicked, this, [this] { Q_EMIT syncRequested(m_source); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { Q_EMIT cancelRequested(m_source); });
    refresh();
}

QSize SourceCard::sizeHint() const {
    const int width = kCardWidth;
    return QSize(width, layout()->hasHeightForWidth() ? layout()->heightForWidth(width)
                                                      : layout()->sizeHint().height());
}

void SourceCard::setActivity(const std::optional<SourceActivity>& activity) {
    m_activity = activity;
    refresh();
}

void SourceCard::setJob(const std::optional<JobEntry>& running, bool queued) {
    // Seen running now, or seen ending now: counts taken before this moment are not current.
    if (running || m_running)
        m_busyUntil = QDateTime::currentDateTimeUtc();
    m_running = running;
    m_queued = queued;
    refresh();
}

void SourceCard::setNextRun(const std::optional<QDateTime>& when, const QString& process, bool paused) {
    m_nextRun = when;
    m_nextProcess = process;
    m_paused = paused;
    refresh();
}

void SourceCard::setDifferences(const QStringList& summary, const QDateTime& measured) {
    m_differences = summary;
    m_measured = measured;
    refresh();
}

bool SourceCard::showsDifferences() const {
    return !m_differences.isEmpty() && !m_running && m_measured.isValid() &&
           (!m_busyUntil.isValid() || m_measured >= m_busyUntil);
}

void SourceCard::setDisplayZone(const QTimeZone& zone) {
    m_zone = zone;
    refresh();
}

void SourceCard::setNow(const QDateTime& now) {
    m_now = now;
    refresh();
}

void SourceCard::setRelativeTimes(bool relative) {
    if (relative == m_relativeTimes)
        return;
    m_relativeTimes = relative;
    refresh();
}

void SourceCard::showRun(QLabel* label, const QString& process, const std::optional<RunSummary>& run) {
    if (!run) {
        label->setText(tr("%1: never run").arg(process));
        label->setToolTip({});
        return;
    }
    const QDateTime now = m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
    const QDateTime started = parseStoredTime(run->started);
    const QDateTime finished = parseStoredTime(run->finished);
    const QDateTime when = finished.isValid() ? finished : started;
    QStringList parts{tr("%1: %2").arg(process, resultText(run->result, m_running.has_value())),
                      m_relativeTimes ? relativeTime(when, now) : shortTime(when, m_zone, now)};
    if (run->records > 0)
        parts.append(tr("%1 records").arg(QLocale().toString(run->records)));
    label->setText(parts.join(QStringLiteral(" · ")));
    QString tip = tr("Started %1").arg(absoluteTime(started, m_zone));
    if (finished.isValid())
        tip += QLatin1Char('\n') + tr("Finished %1").arg(absoluteTime(finished, m_zone));
    if (!run->error.isEmpty())
        tip += QLatin1Char('\n') + run->error;
    label->setToolTip(tip);
}

void SourceCard::refresh() {
    const bool blocked = m_activity && !m_activity->blocked.isEmpty();
    if (m_running)
        m_state = State::Running;
    else if (m_queued)
        m_state = State::Queued;
    else if (blocked)
        m_state = State::Blocked;
    else if (m_activity && m_activity->failed())
        m_state = State::Failed;
    else
        m_state = State::Idle;

    QStyle::StandardPixmap icon = QStyle::SP_DialogApplyButton;
    QString stateText;
    switch (m_state) {
    case State::Running:
        icon = QStyle::SP_MediaPlay;
        stateText = m_running->cancelRequested ? tr("cancelling") : tr("running");
        break;
    case State::Queued:
        icon = QStyle::SP_MediaPause;
        stateText = tr("queued");
        break;
    case State::Blocked:
        icon = QStyle::SP_MessageBoxWarning;
        stateText = tr("blocked");
        break;
    case State::Failed:
        icon = QStyle::SP_MessageBoxCritical;
        stateText = tr("failed");
        break;
    case State::Idle:
        const bool neverRun = !m_activity || !m_activity->newestRun();
        icon = neverRun ? QStyle::SP_MessageBoxInformation : QStyle::SP_DialogApplyButton;
        stateText = neverRun ? tr("never run") : tr("idle");
        break;
    }
    const int iconSize = fontMetrics().height();
    m_stateIcon->setPixmap(style()->standardIcon(icon).pixmap(iconSize, iconSize));
    m_stateLabel->setText(stateText);
    QPalette labelPalette = palette();
    if (m_state != State::Idle)
        labelPalette.setColor(QPalette::WindowText, stateColour());
    m_stateLabel->setPalette(labelPalette);
    setAccessibleDescription(tr("%1: %2").arg(m_source, stateText));

    // Live progress.
    const bool showProgress = m_running.has_value();
    m_progress->setVisible(showProgress);
    m_progressText->setVisible(showProgress);
    if (showProgress) {
        const JobProgress p = m_running->progress.value_or(JobProgress{});
        if (!m_running->progress || p.phase == QLatin1String("metadata") || p.total < 0) {
            m_progress->setRange(0, 0); // busy: the total is unknown
        } else {
            m_progress->setRange(0, 1000);
            m_progress->setValue(p.total > 0 ? int(std::clamp<qint64>(p.done * 1000 / p.total, 0, 1000))
                                             : 1000);
        }
        QStringList parts;
        const QString process = processLabel(m_running->request.process);
        if (!m_running->progress) {
            parts.append(tr("%1 starting").arg(process));
        } else {
            const QString what = jobProgressText(p);
            parts.append(QStringLiteral("%1 %2").arg(p.resource.isEmpty() ? process : p.resource,
                                                     what.isEmpty() ? jobPhaseText(p.phase) : what));
            if (const QString rate = jobRateText(p); !rate.isEmpty())
                parts.append(rate);
            if (const QString eta = jobEtaText(p); !eta.isEmpty())
                parts.append(tr("ETA\u00a0%1").arg(eta)); // no break between the word and the time
        }
        m_progressText->setText(parts.join(QStringLiteral(" · ")));
        m_progress->setFormat(m_progress->maximum() > 0 ? QStringLiteral("%p%") : QString());
    }

    m_badge->setVisible(showsDifferences());
    if (showsDifferences()) {
        const QDateTime now = m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
        m_badge->setText(
            tr("⚠ Differs from the MLS (checked %1): %2")
                .arg(shortTime(m_measured, m_zone, now), m_differences.join(QStringLiteral("; "))));
        m_badge->setToolTip(
            tr("Counts taken %1\n%2")
                .arg(absoluteTime(m_measured, m_zone), m_differences.join(QLatin1Char('\n'))));
    }

    m_blocked->setVisible(blocked);
    if (blocked) {
        const StepFailure& first = m_activity->blocked.first();
        QString where = first.resource;
        if (!first.destination.isEmpty())
            where += QStringLiteral(" → ") + first.destination;
        m_blocked->setText(
            m_activity->blocked.size() == 1
                ? tr("⚠ Blocked: %1 %2 (%3, failed %4 times)")
                      .arg(processLabel(first.process), first.step, where, QLocale().toString(first.count))
                : tr("⚠ %1 blocked steps, first: %2 %3 (%4)")
                      .arg(QLocale().toString(m_activity->blocked.size()), processLabel(first.process),
                           first.step, where));
        QStringList tips;
        for (const StepFailure& f : m_activity->blocked)
            tips.append(QStringLiteral("%1 %2 %3 %4: %5")
                            .arg(f.process, f.step, f.resource, f.destination, f.lastError));
        m_blocked->setToolTip(tips.join(QLatin1Char('\n')));
    }

    showRun(m_sync, tr("Sync"), m_activity ? m_activity->lastSync : std::nullopt);
    showRun(m_purge, tr("Purge"), m_activity ? m_activity->lastPurge : std::nullopt);
    showRun(m_reconcile, tr("Reconcile"), m_activity ? m_activity->lastReconcile : std::nullopt);

    if (m_paused) {
        m_next->setText(tr("Next: schedules paused"));
        m_next->setToolTip({});
    } else if (m_nextRun) {
        const QDateTime now = m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
        m_next->setText(
            tr("Next: %1 at %2").arg(processLabel(m_nextProcess), shortTime(*m_nextRun, m_zone, now)));
        m_next->setToolTip(absoluteTime(*m_nextRun, m_zone));
    } else {
        m_next->setText(tr("Next: not scheduled"));
        m_next->setToolTip({});
    }

    m_cancel->setVisible(m_running || m_queued);
    m_syncNow->setEnabled(!m_running || m_running->request.process != ProcessType::Sync);
    updateGeometry();
    update();
}

QColor SourceCard::stateColour() const {
    switch (m_state) {
    case State::Running:
        return palette().color(QPalette::Highlight);
    case State::Queued:
        return paletteHue(palette(), 40);
    case State::Failed:
    case State::Blocked:
        return paletteHue(palette(), 0);
    case State::Idle:
        break;
    }
    return palette().color(QPalette::Mid);
}

void SourceCard::paintEvent(QPaintEvent* event) {
    QFrame::paintEvent(event);
    QPainter painter(this);
    const QRect inner = contentsRect();
    painter.fillRect(QRect(inner.left(), inner.top(), kStripe, inner.height()), stateColour());
}

} // namespace ors
