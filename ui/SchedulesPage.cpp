#include "SchedulesPage.h"

#include "runner/ConfiguredSchedules.h"
#include "schedule/CronExpression.h"
#include "schedule/WeekFires.h"
#include "SourceWizard.h"
#include "Translations.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSet>
#include <QVBoxLayout>

namespace ors {

namespace {

constexpr int kShownFires = 5;
constexpr int kShownOverlaps = 6;

struct SyncPreset {
    const char* label;
    const char* cron;
};
constexpr SyncPreset kSyncPresets[] = {
    {QT_TRANSLATE_NOOP("ors::SchedulesPage", "Every 15 minutes"), "*/15 * * * *"},
    {QT_TRANSLATE_NOOP("ors::SchedulesPage", "Hourly"), "0 * * * *"},
    {QT_TRANSLATE_NOOP("ors::SchedulesPage", "No scheduled sync"), ""},
    {QT_TRANSLATE_NOOP("ors::SchedulesPage", "Custom"), nullptr},
};
constexpr int kCustomRow = 3;

QLineEdit* cronEdit(const QString& objectName, const QString& accessibleName, const QString& text) {
    auto* edit = new QLineEdit(text);
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    edit->setPlaceholderText(QStringLiteral("m h dom mon dow"));
    return edit;
}

} // namespace

SchedulesPage::SchedulesPage(QWidget* parent)
    : QWizardPage(parent) {
    setTitle(tr("Schedules"));
    setSubTitle(tr("When the source syncs, purges deleted records and reconciles. Cron text: minute hour "
                   "day-of-month month day-of-week."));
    m_syncPreset = new QComboBox;
    m_syncPreset->setObjectName(QStringLiteral("syncPreset"));
    m_syncPreset->setAccessibleName(tr("Sync preset"));
    for (const SyncPreset& preset : kSyncPresets)
        m_syncPreset->addItem(tr(preset.label));
    m_sync = cronEdit(QStringLiteral("syncCron"), tr("Sync schedule"), QStringLiteral("*/15 * * * *"));
    m_purgeOn = new QCheckBox(tr("Nightly &purge"));
    m_purgeOn->setObjectName(QStringLiteral("purgeEnabled"));
    m_purgeOn->setAccessibleName(tr("Nightly purge"));
    m_purgeOn->setChecked(true);
    m_purge = cronEdit(QStringLiteral("purgeCron"), tr("Purge schedule"), QStringLiteral("30 3 * * *"));
    m_reconcileOn = new QCheckBox(tr("Weekly &reconcile"));
    m_reconcileOn->setObjectName(QStringLiteral("reconcileEnabled"));
    m_reconcileOn->setAccessibleName(tr("Weekly reconcile"));
    m_reconcileOn->setChecked(true);
    m_reconcile =
        cronEdit(QStringLiteral("reconcileCron"), tr("Reconcile schedule"), QStringLiteral("0 4 * * 0"));
    m_fires = new QLabel;
    m_fires->setObjectName(QStringLiteral("nextFires"));
    m_fires->setAccessibleName(tr("Next fire times"));
    m_fires->setWordWrap(true);
    m_fires->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_overlaps = new QLabel;
    m_overlaps->setObjectName(QStringLiteral("scheduleOverlaps"));
    m_overlaps->setWordWrap(true);

    auto* syncRow = new QHBoxLayout;
    syncRow->addWidget(m_syncPreset);
    syncRow->addWidget(m_sync, 1);
    auto* form = new QFormLayout;
    auto* syncLabel = new QLabel(tr("&Sync:"));
    syncLabel->setBuddy(m_syncPreset);
    form->addRow(syncLabel, syncRow);
    form->addRow(m_purgeOn, m_purge);
    form->addRow(m_reconcileOn, m_reconcile);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_fires);
    layout->addWidget(m_overlaps);
    layout->addStretch(1);

    registerField(QStringLiteral("syncCron"), m_sync);
    registerField(QStringLiteral("purgeEnabled"), m_purgeOn);
    registerField(QStringLiteral("purgeCron"), m_purge);
    registerField(QStringLiteral("reconcileEnabled"), m_reconcileOn);
    registerField(QStringLiteral("reconcileCron"), m_reconcile);

    connect(m_syncPreset, &QComboBox::activated, this, [this](int row) {
        if (const char* cron = kSyncPresets[row].cron)
            m_sync->setText(QString::fromLatin1(cron));
    });
    connect(m_sync, &QLineEdit::textChanged, this, [this](const QString& text) {
        int row = kCustomRow;
        for (int i = 0; i < kCustomRow; ++i)
            if (text.trimmed() == QLatin1String(kSyncPresets[i].cron))
                row = i;
        m_syncPreset->setCurrentIndex(row);
    });
    for (QLineEdit* edit : {m_sync, m_purge, m_reconcile})
        connect(edit, &QLineEdit::textChanged, this, &SchedulesPage::update);
    for (QCheckBox* box : {m_purgeOn, m_reconcileOn})
        connect(box, &QCheckBox::toggled, this, &SchedulesPage::update);
    connect(m_purgeOn, &QCheckBox::toggled, m_purge, &QWidget::setEnabled);
    connect(m_reconcileOn, &QCheckBox::toggled, m_reconcile, &QWidget::setEnabled);
}

void SchedulesPage::prefill(const SourceConfig& source) {
    const Schedules& s = source.schedules;
    m_timeZone = s.timeZone;
    m_sync->setText(s.sync.value(0));
    m_purgeOn->setChecked(!s.purge.isEmpty());
    if (!s.purge.isEmpty())
        m_purge->setText(s.purge.first());
    m_reconcileOn->setChecked(!s.reconcile.isEmpty());
    if (!s.reconcile.isEmpty())
        m_reconcile->setText(s.reconcile.first());
}

void SchedulesPage::initializePage() {
    update();
}

QTimeZone SchedulesPage::zone() const {
    auto* wizard = qobject_cast<SourceWizard*>(this->wizard());
    const Config* config = wizard ? wizard->currentConfig() : nullptr;
    const QString name = !m_timeZone.isEmpty() ? m_timeZone : config ? config->timeZone : QString();
    const QTimeZone zone(name.toUtf8());
    return !name.isEmpty() && zone.isValid() ? zone : QTimeZone::utc();
}

void SchedulesPage::update() {
    auto* wizard = qobject_cast<SourceWizard*>(this->wizard());
    const QTimeZone tz = zone();
    const QDateTime now = m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
    const QString source = wizard ? wizard->sourceName() : QString();
    QStringList lines;
    m_valid = true;
    SourceSchedules mine{source, {}};
    auto check = [&](const QString& process, const QString& label, const QLineEdit* edit, bool enabled) {
        const QString text = edit->text().trimmed();
        if (!enabled || (text.isEmpty() && process == QLatin1String("sync")))
            return;
        auto cron = CronExpression::parse(text);
        if (!cron) {
            m_valid = false;
            lines << tr("<b>%1</b>: %2").arg(label, cron.errorMessage().toHtmlEscaped());
            return;
        }
        mine.entries.append(ScheduleEntry{process, 0, *cron, tz});
        QStringList times;
        QDateTime at = now;
        for (int i = 0; i < kShownFires; ++i) {
            const auto next = cron->next(at, tz);
            if (!next)
                break;
            times << QLocale().toString(next->toTimeZone(tz), QStringLiteral("ddd d MMM HH:mm"));
            at = *next;
        }
        lines << tr("<b>%1</b> next: %2")
                     .arg(label, times.isEmpty() ? tr("never") : times.join(QStringLiteral(", ")));
    };
    check(QStringLiteral("sync"), tr("Sync"), m_sync, true);
    check(QStringLiteral("purge"), tr("Purge"), m_purge, m_purgeOn->isChecked());
    check(QStringLiteral("reconcile"), tr("Reconcile"), m_reconcile, m_reconcileOn->isChecked());
    lines << tr("Times in %1.").arg(QString::fromUtf8(tz.id()));
    m_fires->setText(lines.join(QStringLiteral("<br>")));

    // Other sources as configured (the edited one left out), then this one.
    QList<SourceSchedules> all;
    if (const Config* config = wizard ? wizard->currentConfig() : nullptr) {
        const QString edited = wizard->edited() ? wizard->edited()->name : QString();
        for (const SourceSchedules& other : configuredSchedules(*config))
            if (other.source != edited && other.source != source)
                all.append(other);
    }
    all.append(mine);
    QStringList overlaps;
    if (m_valid && !mine.entries.isEmpty() && all.size() > 1) {
        const WeekSchedule week = weekSchedule(all, now, tz);
        QSet<QString> seen;
        for (qsizetype i = 0; i < week.fires.size() && overlaps.size() < kShownOverlaps; ++i) {
            const PlannedFire& fire = week.fires.at(i);
            if (fire.source != source || fire.at < now) // the week starts at today's midnight
                continue;
            QStringList others;
            for (int j : fire.overlaps)
                if (week.fires.at(j).source != source)
                    others << week.fires.at(j).label();
            if (others.isEmpty())
                continue;
            const QString key = fire.entry.process + others.join(QLatin1Char(','));
            if (seen.contains(key))
                continue;
            seen.insert(key);
            overlaps << tr("%1 at %2 starts with %3")
                            .arg(processLabel(fire.entry.process),
                                 QLocale().toString(fire.at.toTimeZone(tz), QStringLiteral("ddd HH:mm")),
                                 others.join(QStringLiteral(", ")));
        }
    }
    m_overlaps->setText(overlaps.isEmpty()
                            ? QString()
                            : tr("⚠ Overlaps with other sources' schedules (they compete for the "
                                 "network and the destinations):\n") +
                                  overlaps.join(QLatin1Char('\n')));
    Q_EMIT completeChanged();
}

QString SchedulesPage::overlapText() const {
    return m_overlaps->text();
}

bool SchedulesPage::isComplete() const {
    return m_valid;
}

} // namespace ors
