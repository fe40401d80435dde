// The Spanish translation: every message of translations/openresync_es.ts is finished, keeps its
// placeholders, mnemonics and shortcuts, and is what the embedded .qm answers; with it installed
// the window, its menus, a source page and the add-source wizard speak Spanish (Qt's own wizard
// buttons included), with one mnemonic per letter in each menu and on each page. Offscreen,
// against the fake RESO server, so the pages' background reads end quickly.
#include "AccessibleNames.h"
#include "MainWindow.h"
#include "runner/Workspace.h"
#include "service/ServiceHost.h"
#include "SourcePage.h"
#include "SourceWizard.h"
#include "TestSupport.h"
#include "Translations.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QXmlStreamReader>

#include <algorithm>

#include <memory>

using namespace ors;
using namespace ors::test;

namespace {

const QString kTsPath = sourcePath(QStringLiteral("translations/openresync_es.ts"));

struct Message {
    QString context;
    QString source;
    QString comment;
    bool numerus = false;
    bool unfinished = false;
    bool vanished = false;
    QStringList translations; // one, or one per plural form
};

QList<Message> readTs(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": ") + file.errorString();
        return {};
    }
    QList<Message> out;
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            current = Message{};
            current.context = context;
            current.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (name == QLatin1String("source")) {
            current.source = xml.readElementText();
        } else if (name == QLatin1String("comment")) {
            current.comment = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            const QString type = xml.attributes().value(QLatin1String("type")).toString();
            current.unfinished = type == QLatin1String("unfinished");
            current.vanished = type == QLatin1String("vanished") || type == QLatin1String("obsolete");
            if (current.numerus) {
                while (xml.readNextStartElement())
                    current.translations.append(xml.readElementText());
            } else {
                current.translations.append(xml.readElementText());
            }
            out.append(current);
        }
    }
    if (xml.hasError())
        *error = QStringLiteral("%1: line %2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return out;
}

// %1..%99 and %n, each once however often it appears: a translation may repeat or reorder them.
QSet<QString> placeholders(const QString& text) {
    static const QRegularExpression re(QStringLiteral(R"(%(\d{1,2}|n))"));
    QSet<QString> out;
    for (const QRegularExpressionMatch& m : re.globalMatch(text))
        out.insert(m.captured(0));
    return out;
}

// The mnemonic letter of a text ("&Archivo" -> "a"), empty when none ("&&" is a literal &).
QString mnemonic(const QString& text) {
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != QLatin1Char('&'))
            continue;
        if (text.at(i + 1) == QLatin1Char('&')) {
            ++i;
            continue;
        }
        return text.at(i + 1).toLower();
    }
    return {};
}

int mnemonicCount(const QString& text) {
    int count = 0;
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != QLatin1Char('&'))
            continue;
        if (text.at(i + 1) != QLatin1Char('&'))
            ++count;
        ++i;
    }
    return count;
}

// "letter: text, text" for each letter that more than one of `texts` uses.
QStringList clashes(const QStringList& texts) {
    QHash<QString, QStringList> byLetter;
    for (const QString& text : texts)
        if (const QString letter = mnemonic(text); !letter.isEmpty())
            byLetter[letter].append(text);
    QStringList out;
    for (auto it = byLetter.cbegin(); it != byLetter.cend(); ++it)
        if (it.value().size() > 1)
            out.append(it.key() + QStringLiteral(": ") + it.value().join(QStringLiteral(", ")));
    out.sort();
    return out;
}

// What carries a mnemonic on a page: buttons, the labels of fields, the tabs. Hidden ones too
// (a page shows some fields only for some platforms), except the wizard's own hidden buttons.
// Widgets inside `skip` (another tab's page, not shown together) are left out.
QStringList mnemonicTexts(QWidget* root, const QList<QWidget*>& skip = {}) {
    auto skipped = [&skip](QWidget* w) {
        return std::any_of(skip.cbegin(), skip.cend(),
                           [w](QWidget* s) { return s == w || s->isAncestorOf(w); });
    };
    QStringList texts;
    for (QAbstractButton* button : root->findChildren<QAbstractButton*>())
        if ((!button->isHidden() || !qobject_cast<QWizard*>(button->parentWidget())) && !skipped(button))
            texts.append(button->text());
    for (QLabel* label : root->findChildren<QLabel*>())
        if (label->buddy() && !skipped(label))
            texts.append(label->text());
    for (QTabBar* tabs : root->findChildren<QTabBar*>())
        if (!skipped(tabs))
            for (int i = 0; i < tabs->count(); ++i)
                texts.append(tabs->tabText(i));
    return texts;
}

} // namespace

class TestTranslation : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<fake::FakeResoServer> m_server;
    QList<Message> m_messages;
    // (context, source, comment) -> the finished translation, singular form.
    QHash<QString, QString> m_expected;

    QString expected(const char* context, const char* source, const char* comment = "") const {
        return m_expected.value(QString::fromUtf8(context) + QLatin1Char('\x1f') + QString::fromUtf8(source) +
                                QLatin1Char('\x1f') + QString::fromUtf8(comment));
    }

    struct Ui {
        ServiceHost host;
        std::unique_ptr<MainWindow> window;
    };

    std::unique_ptr<Ui> openWindow(const QString& name) {
        const QString dir = m_dir.filePath(name);
        QDir().mkpath(dir);
        QJsonObject source = sourceConfig(QStringLiteral("mls"), m_server->serviceUrl(),
                                          {QDir(dir).filePath(QStringLiteral("mls.sqlite"))});
        const QString config = writeConfig(dir, configWith(source));
        Workspace workspace = Workspace::load(config, QDir(dir).filePath(QStringLiteral("data")));
        auto ui = std::make_unique<Ui>();
        if (workspace.ok())
            ui->host.setConfig(*workspace.config, workspace.dataDir);
        ui->window = std::make_unique<MainWindow>(std::move(workspace), ui->host);
        ui->window->show();
        return ui;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        qputenv("OPENRESYNC_RETRY_BASE_MS", "20");
        qputenv("OPENRESYNC_RETRY_ATTEMPTS", "2");
        fake::ServerOptions options;
        options.listingCount = 20;
        options.memberCount = 5;
        m_server = std::make_unique<fake::FakeResoServer>(options);
        QVERIFY(m_server->start());
        QString error;
        m_messages = readTs(kTsPath, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(m_messages.size() > 500);
        for (const Message& m : std::as_const(m_messages))
            if (!m.vanished && !m.unfinished)
                m_expected.insert(m.context + QLatin1Char('\x1f') + m.source + QLatin1Char('\x1f') +
                                      m.comment,
                                  m.translations.value(0));
    }

    void cleanup() {
        removeTranslations();
        QThreadPool::globalInstance()->waitForDone(60000);
    }

    // lrelease's "0 unfinished": nothing unfinished or empty among the live messages.
    void everyMessageIsFinished() {
        QStringList unfinished;
        for (const Message& m : std::as_const(m_messages)) {
            if (m.vanished)
                continue;
            const bool empty =
                m.translations.isEmpty() || std::any_of(m.translations.cbegin(), m.translations.cend(),
                                                        [](const QString& t) { return t.isEmpty(); });
            if (m.unfinished || empty)
                unfinished.append(m.context + QStringLiteral(": ") + m.source);
        }
        QCOMPARE(unfinished, QStringList());
    }

    // The tool itself, as scripts/update-translations runs it.
    void lreleaseReportsNothingUnfinished() {
        const QString lrelease = QLibraryInfo::path(QLibraryInfo::BinariesPath) + QStringLiteral("/lrelease");
        if (!QFile::exists(lrelease))
            QSKIP("lrelease is not installed (Debian: qt6-l10n-tools)");
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(lrelease, {kTsPath, QStringLiteral("-qm"), m_dir.filePath(QStringLiteral("check.qm"))});
        QVERIFY(process.waitForFinished(60000));
        const QString report = QString::fromUtf8(process.readAll());
        QCOMPARE(process.exitCode(), 0);
        static const QRegularExpression generated(
            QStringLiteral(R"(Generated (\d+) translation\(s\) \((\d+) finished and (\d+) unfinished\))"));
        const QRegularExpressionMatch m = generated.match(report);
        QVERIFY2(m.hasMatch(), qPrintable(report));
        QCOMPARE(m.captured(3), QStringLiteral("0"));
        QVERIFY2(!report.contains(QLatin1String("Ignored")), qPrintable(report));
    }

    // Each translation keeps its source's placeholders, mnemonic (one, where the source has one),
    // shortcut and markup; plural messages have Spanish's two forms.
    void translationsKeepPlaceholdersAndMnemonics() {
        static const QRegularExpression shortcut(QStringLiteral(R"(^(Ctrl|Shift|Alt|Meta)\+)"));
        static const QRegularExpression tag(QStringLiteral(R"(</?[a-z]+>)"));
        QStringList wrong;
        for (const Message& m : std::as_const(m_messages)) {
            if (m.vanished)
                continue;
            const QString where = m.context + QStringLiteral(": \"") + m.source + QStringLiteral("\"");
            if (m.numerus && m.translations.size() != 2)
                wrong.append(where + QStringLiteral(" has %1 plural forms").arg(m.translations.size()));
            QStringList sourceTags;
            for (const QRegularExpressionMatch& t : tag.globalMatch(m.source))
                sourceTags.append(t.captured(0));
            for (const QString& t : m.translations) {
                if (placeholders(t) != placeholders(m.source))
                    wrong.append(where + QStringLiteral(" -> \"%1\": placeholders differ").arg(t));
                if ((mnemonicCount(m.source) > 0) != (mnemonicCount(t) == 1))
                    wrong.append(where + QStringLiteral(" -> \"%1\": mnemonic").arg(t));
                if (shortcut.match(m.source).hasMatch() && t != m.source)
                    wrong.append(where + QStringLiteral(" -> \"%1\": a shortcut is not translated").arg(t));
                QStringList tags;
                for (const QRegularExpressionMatch& x : tag.globalMatch(t))
                    tags.append(x.captured(0));
                if (tags != sourceTags)
                    wrong.append(where + QStringLiteral(" -> \"%1\": markup differs").arg(t));
            }
        }
        QCOMPARE(wrong, QStringList());
    }

    // The embedded .qm is built from this .ts: every message comes back as written there.
    void embeddedTranslationAnswersEveryMessage() {
        const InstalledTranslation installed =
            installTranslations(QLocale(QLocale::Spanish, QLocale::Mexico));
        QCOMPARE(installed.language, QStringLiteral("es"));
        QStringList wrong;
        for (const Message& m : std::as_const(m_messages)) {
            if (m.vanished)
                continue;
            const QByteArray context = m.context.toUtf8(), source = m.source.toUtf8(),
                             comment = m.comment.toUtf8();
            const char* disambiguation = m.comment.isEmpty() ? nullptr : comment.constData();
            if (m.numerus) {
                for (const auto& [n, form] : {std::pair{1, 0}, std::pair{5, 1}}) {
                    const QString want =
                        QString(m.translations.value(form)).replace(QLatin1String("%n"), QString::number(n));
                    const QString got = QCoreApplication::translate(context.constData(), source.constData(),
                                                                    disambiguation, n);
                    if (got != want)
                        wrong.append(QStringLiteral("%1 (n=%2): %3").arg(m.source).arg(n).arg(got));
                }
            } else {
                const QString got =
                    QCoreApplication::translate(context.constData(), source.constData(), disambiguation);
                if (got != m.translations.value(0))
                    wrong.append(m.context + QStringLiteral(": ") + m.source + QStringLiteral(" -> ") + got);
            }
        }
        QCOMPARE(wrong, QStringList());
    }

    // LANGUAGE=es: uiLanguages lists Spanish first; English first keeps the source texts, and a
    // language without a translation falls through to the next one the user reads.
    void languageFollowsTheLocale() {
        QCOMPARE(installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)).language, QString());
        QCOMPARE(QCoreApplication::translate("ors::MainWindow", "&File"), QStringLiteral("&File"));
        QCOMPARE(installTranslations(QLocale::c()).language, QString());
        QCOMPARE(installTranslations(QLocale(QLocale::German)).language, QString());
        QCOMPARE(QCoreApplication::translate("QWizard", "&Finish"),
                 QStringLiteral("&Finish")); // no qtbase_de
        const InstalledTranslation es = installTranslations(QLocale(QLocale::Spanish, QLocale::Spain));
        QCOMPARE(es.language, QStringLiteral("es"));
        QVERIFY2(es.qtBase, "qtbase_es.qm not found: install qt6-translations-l10n");
        QCOMPARE(QCoreApplication::translate("ors::MainWindow", "&File"),
                 expected("ors::MainWindow", "&File"));
    }

    void windowSpeaksSpanish() {
        installTranslations(QLocale(QLocale::Spanish));
        std::unique_ptr<Ui> ui = openWindow(QStringLiteral("window"));
        QVERIFY(QTest::qWaitForWindowExposed(ui->window.get()));

        QStringList titles;
        for (QAction* menu : ui->window->menuBar()->actions())
            titles.append(menu->text());
        QCOMPARE(titles,
                 (QStringList{expected("ors::MainWindow", "&File"), expected("ors::MainWindow", "&Edit"),
                              expected("ors::MainWindow", "&Source"), expected("ors::MainWindow", "&View"),
                              expected("ors::MainWindow", "&Help")}));
        QCOMPARE(titles.first(), QStringLiteral("&Archivo")); // the .ts read back is Spanish at all
        QCOMPARE(clashes(titles), QStringList());

        // Every menu, one letter per entry.
        for (QAction* menuAction : ui->window->menuBar()->actions()) {
            QStringList entries;
            for (QAction* action : menuAction->menu()->actions())
                if (!action->isSeparator())
                    entries.append(action->text());
            QVERIFY2(clashes(entries).isEmpty(),
                     qPrintable(menuAction->text() + QStringLiteral(": ") + clashes(entries).join(u"; ")));
        }

        ui->window->showPage(QStringLiteral("mls"));
        SourcePage* page = ui->window->sourcePage(QStringLiteral("mls"));
        QVERIFY(page);
        auto* sync = page->findChild<QAbstractButton*>(QStringLiteral("syncNowButton"));
        QVERIFY(sync);
        QCOMPARE(sync->text(), expected("ors::SourcePage", "Sync &now"));
        QCOMPARE(sync->accessibleName(), expected("ors::SourcePage", "Sync now"));
        QCOMPARE(page->findChild<QAbstractButton*>(QStringLiteral("purgeButton"))->text(),
                 expected("ors::SourcePage", "&Purge"));
        // The page's own buttons and tabs with each tab's content: one letter each.
        auto* tabs = page->findChild<QTabWidget*>();
        QVERIFY(tabs);
        QList<QWidget*> tabPages;
        for (int i = 0; i < tabs->count(); ++i)
            tabPages.append(tabs->widget(i));
        const QStringList own = mnemonicTexts(page, tabPages);
        QVERIFY(own.contains(sync->text()));
        for (QWidget* tab : std::as_const(tabPages)) {
            const QStringList found = clashes(own + mnemonicTexts(tab));
            QVERIFY2(found.isEmpty(), qPrintable(found.join(u"; ")));
        }
        QCOMPARE(widgetsWithoutAccessibleName(ui->window.get()), QStringList());
    }

    void wizardSpeaksSpanish() {
        const InstalledTranslation es = installTranslations(QLocale(QLocale::Spanish));
        QVERIFY(es.qtBase);
        const QString dir = m_dir.filePath(QStringLiteral("wizard"));
        QDir().mkpath(dir);
        SourceWizard wizard(nullptr, QDir(dir).filePath(QStringLiteral("config.json")), dir);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QCOMPARE(wizard.windowTitle(), expected("ors::SourceWizard", "Add source"));
        QCOMPARE(wizard.accessibleName(), QStringLiteral("Agregar origen"));
        // Qt's own buttons come from qtbase_es; their accessible names from this translation.
        QCOMPARE(wizard.button(QWizard::NextButton)->text(),
                 QCoreApplication::translate("QWizard", "&Next >"));
        QVERIFY(wizard.button(QWizard::NextButton)->text() != QStringLiteral("&Next >"));
        QCOMPARE(wizard.button(QWizard::FinishButton)->accessibleName(),
                 expected("ors::SourceWizard", "Finish"));
        QCOMPARE(wizard.button(QWizard::CancelButton)->text(), QStringLiteral("Cancelar"));
        QCOMPARE(wizard.currentPage()->title(), expected("ors::PlatformPage", "Platform"));

        QStringList wizardButtons;
        for (QWizard::WizardButton which : {QWizard::BackButton, QWizard::NextButton, QWizard::FinishButton})
            wizardButtons.append(wizard.button(which)->text());
        for (int id : wizard.pageIds()) {
            QStringList texts = mnemonicTexts(wizard.page(id)) + wizardButtons;
            QVERIFY2(clashes(texts).isEmpty(), qPrintable(wizard.page(id)->title() + QStringLiteral(": ") +
                                                          clashes(texts).join(u"; ")));
        }
        auto* serviceUrl = wizard.findChild<QLineEdit*>(QStringLiteral("serviceUrl"));
        QVERIFY(serviceUrl);
        QCOMPARE(serviceUrl->accessibleName(), expected("ors::ConnectionPage", "Service URL"));
        QCOMPARE(widgetsWithoutAccessibleName(&wizard), QStringList());
    }

    // Tests and assistive tools find the English names when no translation is installed.
    void englishWithoutTranslation() {
        removeTranslations();
        const QString dir = m_dir.filePath(QStringLiteral("english"));
        QDir().mkpath(dir);
        SourceWizard wizard(nullptr, QDir(dir).filePath(QStringLiteral("config.json")), dir);
        QCOMPARE(wizard.accessibleName(), QStringLiteral("Add source"));
        QCOMPARE(wizard.findChild<QLineEdit*>(QStringLiteral("serviceUrl"))->accessibleName(),
                 QStringLiteral("Service URL"));
        QCOMPARE(wizard.button(QWizard::FinishButton)->accessibleName(), QStringLiteral("Finish"));
    }
};

QTEST_MAIN(TestTranslation)
#include "tst_translation.moc"
