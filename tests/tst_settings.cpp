// The window's preferences (AppSettings over QSettings): defaults, a round trip through a real INI
// file, the display zone they resolve to, the logging rules of each level, and the Preferences
// dialog editing them. Every test uses a file of its own, never the user's settings.
#include "AccessibleNames.h"
#include "AppSettings.h"
#include "config/Config.h"
#include "PreferencesDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ors;

class TestSettings : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;

    QString freshFile() { return m_dir.filePath(QStringLiteral("settings-%1.ini").arg(++m_files)); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // Should anything open the default settings, they land here, not in the user's.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                           m_dir.filePath(QStringLiteral("user")));
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                           m_dir.filePath(QStringLiteral("user")));
    }

    void defaultsWithoutAFile() {
        AppSettings settings(freshFile());
        const Preferences& p = settings.preferences();
        QCOMPARE(p.displayZone, QString());
        QVERIFY(p.relativeTimes);
        QVERIFY(p.minimizeToTray);
        QVERIFY(p.notifyFailures && p.notifyBlockedSteps && p.notifyRecovered && p.notifyRefusedPurges);
        QCOMPARE(p.logLevel, LogLevel::Info);
        QVERIFY(!settings.trayNoticeShown());
    }

    void roundTrip() {
        const QString file = freshFile();
        Preferences changed;
        changed.displayZone = QStringLiteral("America/Denver");
        changed.relativeTimes = false;
        changed.minimizeToTray = false;
        changed.notifyFailures = false;
        changed.notifyBlockedSteps = true;
        changed.notifyRecovered = false;
        changed.notifyRefusedPurges = true;
        changed.logLevel = LogLevel::Warning;
        {
            AppSettings settings(file);
            QSignalSpy spy(&settings, &AppSettings::changed);
            settings.setPreferences(changed);
            QCOMPARE(spy.size(), 1);
            settings.setPreferences(changed); // the same again: nothing changed
            QCOMPARE(spy.size(), 1);
            settings.setTrayNoticeShown(true);
            settings.sync();
        }
        AppSettings again(file);
        QCOMPARE(again.preferences(), changed);
        QVERIFY(again.trayNoticeShown());
        // As written: names a person can read and edit.
        QSettings raw(file, QSettings::IniFormat);
        QCOMPARE(raw.value(QStringLiteral("logging/level")).toString(), QStringLiteral("warn"));
        QCOMPARE(raw.value(QStringLiteral("display/timeZone")).toString(), QStringLiteral("America/Denver"));
    }

    void unknownLevelFallsBackToTheDefault() {
        const QString file = freshFile();
        {
            QSettings raw(file, QSettings::IniFormat);
            raw.setValue(QStringLiteral("logging/level"), QStringLiteral("chatty"));
            raw.setValue(QStringLiteral("tray/minimizeToTray"), false);
        }
        AppSettings settings(file);
        QCOMPARE(settings.preferences().logLevel, LogLevel::Info);
        QVERIFY(!settings.preferences().minimizeToTray);
    }

    void displayZoneResolves() {
        AppSettings settings(freshFile());
        Config config;
        config.timeZone = QStringLiteral("Asia/Tokyo");
        QCOMPARE(settings.displayZone(&config).id(), QByteArray("Asia/Tokyo"));
        QCOMPARE(settings.displayZone(nullptr), QTimeZone::systemTimeZone());

        Preferences p = settings.preferences();
        p.displayZone = QStringLiteral("local");
        settings.setPreferences(p);
        QCOMPARE(settings.displayZone(&config), QTimeZone::systemTimeZone());

        p.displayZone = QStringLiteral("Europe/Madrid");
        settings.setPreferences(p);
        QCOMPARE(settings.displayZone(&config).id(), QByteArray("Europe/Madrid"));

        // A zone this system does not know: the configuration's, as with none chosen.
        p.displayZone = QStringLiteral("Nowhere/Atlantis");
        settings.setPreferences(p);
        QCOMPARE(settings.displayZone(&config).id(), QByteArray("Asia/Tokyo"));
    }

    void loggingRulesPerLevel() {
        QVERIFY(loggingRules(LogLevel::Debug).contains(QStringLiteral("openresync.*.debug=true")));
        QVERIFY(!loggingRules(LogLevel::Debug).contains(QStringLiteral("=false")));
        QCOMPARE(loggingRules(LogLevel::Info), QStringLiteral("openresync.*.debug=false"));
        QVERIFY(loggingRules(LogLevel::Warning).contains(QStringLiteral("openresync.*.info=false")));
        QVERIFY(!loggingRules(LogLevel::Warning).contains(QStringLiteral("warning=false")));
        QVERIFY(loggingRules(LogLevel::Error).contains(QStringLiteral("openresync.*.warning=false")));
    }

    // The dialog shows the settings, writes what its fields say on OK, and leaves them on Cancel.
    void preferencesDialogEdits() {
        const QString file = freshFile();
        AppSettings settings(file);
        PreferencesDialog dialog(settings, QStringLiteral("America/Denver"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY2(test::widgetsWithoutAccessibleName(&dialog).isEmpty(),
                 qPrintable(test::widgetsWithoutAccessibleName(&dialog).join(QStringLiteral(", "))));
        QCOMPARE(dialog.preferences(), settings.preferences());

        auto* zone = dialog.findChild<QComboBox*>(QStringLiteral("displayZoneBox"));
        QVERIFY(zone);
        QCOMPARE(zone->accessibleName(), QStringLiteral("Display time zone"));
        QVERIFY(zone->itemText(0).contains(QStringLiteral("America/Denver")));
        auto* times = dialog.findChild<QComboBox*>(QStringLiteral("timesBox"));
        auto* tray = dialog.findChild<QCheckBox*>(QStringLiteral("minimizeToTrayCheck"));
        QCOMPARE(tray->accessibleName(), QStringLiteral("Minimize to tray"));
        auto* level = dialog.findChild<QComboBox*>(QStringLiteral("logLevelBox"));
        auto edit = [&] {
            zone->setCurrentIndex(zone->findData(QStringLiteral("Europe/Madrid")));
            times->setCurrentIndex(times->findData(false));
            QTest::mouseClick(tray, Qt::LeftButton, {}, QPoint(4, tray->height() / 2));
            QVERIFY(!tray->isChecked());
            dialog.findChild<QCheckBox*>(QStringLiteral("notifyRecoveredCheck"))->setChecked(false);
            level->setCurrentIndex(level->findData(int(LogLevel::Debug)));
        };

        // Cancel writes nothing, and the fields show the settings again next time.
        edit();
        QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("cancelButton")), Qt::LeftButton);
        QVERIFY(!dialog.isVisible());
        QCOMPARE(settings.preferences(), Preferences());
        QCOMPARE(dialog.preferences(), Preferences());

        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        edit();
        QSignalSpy changed(&settings, &AppSettings::changed);
        QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("okButton")), Qt::LeftButton);
        QCOMPARE(changed.size(), 1);
        Preferences expected;
        expected.displayZone = QStringLiteral("Europe/Madrid");
        expected.relativeTimes = false;
        expected.minimizeToTray = false;
        expected.notifyRecovered = false;
        expected.logLevel = LogLevel::Debug;
        QCOMPARE(settings.preferences(), expected);
        settings.sync();
        QCOMPARE(AppSettings(file).preferences(), expected);

        // Opened again, it shows what was written.
        PreferencesDialog again(settings, {});
        QCOMPARE(again.preferences(), expected);
    }
};

QTEST_MAIN(TestSettings)
#include "tst_settings.moc"
