#include "PreferencesDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QTimeZone>
#include <QVBoxLayout>

namespace ors {

namespace {

QCheckBox* namedCheck(const QString& text, const QString& name, QWidget* parent) {
    auto* box = new QCheckBox(text, parent);
    box->setObjectName(name);
    box->setAccessibleName(text);
    return box;
}

} // namespace

PreferencesDialog::PreferencesDialog(AppSettings& settings, const QString& configZone, QWidget* parent)
    : QDialog(parent)
    , m_settings(settings) {
    setObjectName(QStringLiteral("preferencesDialog"));
    setWindowTitle(tr("Preferences"));
    setAccessibleName(tr("Preferences"));

    auto* display = new QGroupBox(tr("Display"), this);
    auto* displayForm = new QFormLayout(display);
    m_zone = new QComboBox(display);
    m_zone->setObjectName(QStringLiteral("displayZoneBox"));
    m_zone->setAccessibleName(tr("Display time zone"));
    m_zone->addItem(configZone.isEmpty() ? tr("The configuration's time zone (none set: this computer's)")
                                         : tr("The configuration's time zone (%1)").arg(configZone),
                    QString());
    m_zone->addItem(
        tr("This computer's time zone (%1)").arg(QString::fromUtf8(QTimeZone::systemTimeZoneId())),
        QStringLiteral("local"));
    m_zone->insertSeparator(m_zone->count());
    for (const QByteArray& id : QTimeZone::availableTimeZoneIds())
        m_zone->addItem(QString::fromUtf8(id), QString::fromUtf8(id));
    displayForm->addRow(tr("Time &zone:"), m_zone);
    m_times = new QComboBox(display);
    m_times->setObjectName(QStringLiteral("timesBox"));
    m_times->setAccessibleName(tr("Times"));
    m_times->addItem(tr("Relative (4 min ago)"), true);
    m_times->addItem(tr("Absolute (10:30)"), false);
    displayForm->addRow(tr("&Times:"), m_times);

    auto* behaviour = new QGroupBox(tr("Window"), this);
    auto* behaviourLayout = new QVBoxLayout(behaviour);
    m_tray = namedCheck(tr("Keep running in the tray when the window is closed or minimized"),
                        QStringLiteral("minimizeToTrayCheck"), behaviour);
    m_tray->setAccessibleName(tr("Minimize to tray"));
    behaviourLayout->addWidget(m_tray);

    auto* notifications = new QGroupBox(tr("Notifications"), this);
    auto* notificationsLayout = new QVBoxLayout(notifications);
    m_failures = namedCheck(tr("Failed runs"), QStringLiteral("notifyFailuresCheck"), notifications);
    m_failures->setToolTip(tr("Also late syncs and request limits nearly spent."));
    m_blocked = namedCheck(tr("Blocked steps"), QStringLiteral("notifyBlockedCheck"), notifications);
    m_recovered = namedCheck(tr("Recovered"), QStringLiteral("notifyRecoveredCheck"), notifications);
    m_refused = namedCheck(tr("Refused purges"), QStringLiteral("notifyRefusedCheck"), notifications);
    for (QCheckBox* box : {m_failures, m_blocked, m_recovered, m_refused})
        notificationsLayout->addWidget(box);
    auto* note = new QLabel(tr("Notifications come from the configuration's alerts with a desktop channel."),
                            notifications);
    note->setWordWrap(true);
    notificationsLayout->addWidget(note);

    auto* logging = new QGroupBox(tr("Diagnostics"), this);
    auto* loggingForm = new QFormLayout(logging);
    m_logLevel = new QComboBox(logging);
    m_logLevel->setObjectName(QStringLiteral("logLevelBox"));
    m_logLevel->setAccessibleName(tr("Log level"));
    m_logLevel->addItem(tr("Debug"), int(LogLevel::Debug));
    m_logLevel->addItem(tr("Info"), int(LogLevel::Info));
    m_logLevel->addItem(tr("Warning"), int(LogLevel::Warning));
    m_logLevel->addItem(tr("Error"), int(LogLevel::Error));
    m_logLevel->setToolTip(tr("Of this program's own messages; what jobs write to the source logs is "
                              "not changed."));
    loggingForm->addRow(tr("&Log level:"), m_logLevel);

    m_buttons =
        new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Apply | QDialogButtonBox::Cancel, this);
    const QList<QPair<QDialogButtonBox::StandardButton, QString>> names{
        {QDialogButtonBox::Ok, QStringLiteral("okButton")},
        {QDialogButtonBox::Apply, QStringLiteral("applyButton")},
        {QDialogButtonBox::Cancel, QStringLiteral("cancelButton")}};
    for (const auto& [which, name] : names) {
        QPushButton* button = m_buttons->button(which);
        button->setObjectName(name);
        button->setAccessibleName(button->text().remove(QLatin1Char('&')));
    }
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        apply();
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, [this] {
        setPreferences(m_settings.preferences()); // what was cancelled is not shown next time
        reject();
    });
    connect(m_buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this,
            &PreferencesDialog::apply);

    auto* layout = new QVBoxLayout(this);
    for (QWidget* group : {display, behaviour, notifications, logging})
        layout->addWidget(group);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    setPreferences(settings.preferences());
}

Preferences PreferencesDialog::preferences() const {
    Preferences p;
    p.displayZone = m_zone->currentData().toString();
    p.relativeTimes = m_times->currentData().toBool();
    p.minimizeToTray = m_tray->isChecked();
    p.notifyFailures = m_failures->isChecked();
    p.notifyBlockedSteps = m_blocked->isChecked();
    p.notifyRecovered = m_recovered->isChecked();
    p.notifyRefusedPurges = m_refused->isChecked();
    p.logLevel = LogLevel(m_logLevel->currentData().toInt());
    return p;
}

void PreferencesDialog::setPreferences(const Preferences& p) {
    int zone = m_zone->findData(p.displayZone);
    if (zone < 0) {
        // A zone this system does not know (settings copied from elsewhere) stays selectable.
        m_zone->addItem(p.displayZone, p.displayZone);
        zone = m_zone->count() - 1;
    }
    m_zone->setCurrentIndex(zone);
    m_times->setCurrentIndex(m_times->findData(p.relativeTimes));
    m_tray->setChecked(p.minimizeToTray);
    m_failures->setChecked(p.notifyFailures);
    m_blocked->setChecked(p.notifyBlockedSteps);
    m_recovered->setChecked(p.notifyRecovered);
    m_refused->setChecked(p.notifyRefusedPurges);
    m_logLevel->setCurrentIndex(m_logLevel->findData(int(p.logLevel)));
}

void PreferencesDialog::apply() {
    m_settings.setPreferences(preferences());
}

} // namespace ors
