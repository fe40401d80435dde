#include "DialogShots.h"

#include "MainWindow.h"
#include "RemoveSourceDialog.h"
#include "ShotSupport.h"
#include "SourceWizard.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QTreeWidget>

#include <cstdio>
#include <functional>

namespace ors::shots {

namespace {

bool fail(const char* what) {
    std::fprintf(stderr, "dialog screenshots: %s\n", what);
    return false;
}

// Settles until `done` holds, for at most two minutes.
bool waitFor(const std::function<bool()>& done) {
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > 120000)
            return false;
        settle(100, 2000);
    }
    settle();
    return true;
}

void checkItem(QTreeWidget* tree, const QString& text) {
    const auto items = tree->findItems(text, Qt::MatchExactly);
    if (items.isEmpty())
        return;
    items.first()->setCheckState(0, Qt::Checked);
    tree->setCurrentItem(items.first());
}

} // namespace

bool shootDialogs(MainWindow& window, const QString& outDir, const QString& palette, int port,
                  const QString& overlappingCron) {
    auto shot = [&](QWidget* widget, const QString& name) {
        settle(200, 5000);
        return save(widget, QDir(outDir).filePath(QStringLiteral("%1-%2.png").arg(name, palette)));
    };

    SourceWizard* wizard = window.openSourceWizard();
    if (!wizard)
        return fail("no wizard");
    settle();
    auto* name = byAccessibleName<QLineEdit>(wizard, QStringLiteral("Source name"));
    auto* platforms = wizard->findChild<QListWidget*>(QStringLiteral("platformList"));
    if (!name || !platforms)
        return fail("the Platform page has no source name or platform list");
    name->setText(QStringLiteral("nwmls"));
    platforms->setCurrentRow(platforms->count() - 1); // generic RESO Web API
    shot(wizard, QStringLiteral("wizard-1-platform"));
    wizard->next();

    // A service URL with a wrong path first: the test fails at $metadata with the server's answer.
    auto* url = byAccessibleName<QLineEdit>(wizard, QStringLiteral("Service URL"));
    auto* auth = wizard->findChild<QComboBox*>(QStringLiteral("authKind"));
    if (!url || !auth)
        return fail("the Connection page has no Service URL or sign-in kind");
    auth->setCurrentIndex(int(SourceWizard::AuthKind::None));
    const QString goodUrl = QStringLiteral("http://127.0.0.1:%1/odata").arg(port);
    url->setText(goodUrl + QStringLiteral("/v1"));
    settle();
    wizard->next();
    auto* test = byAccessibleName<QPushButton>(wizard, QStringLiteral("Test connection"));
    auto* steps = wizard->findChild<QListWidget*>(QStringLiteral("checkSteps"));
    if (!test || !steps)
        return fail("the Test connection page has no button or step list");
    auto tested = [&] { return test->isEnabled() && steps->count() > 0; };
    test->click();
    if (!waitFor(tested))
        return fail("the failing connection test did not end");
    shot(wizard, QStringLiteral("wizard-3-test-failed"));

    wizard->back();
    url->setText(goodUrl);
    shot(wizard, QStringLiteral("wizard-2-connection"));
    wizard->next();
    test->click();
    if (!waitFor(tested))
        return fail("the connection test did not end");
    shot(wizard, QStringLiteral("wizard-3-test-passed"));
    wizard->next();

    auto* resources = wizard->findChild<QTreeWidget*>(QStringLiteral("resourceList"));
    if (!resources)
        return fail("the Resources page has no resource list");
    checkItem(resources, QStringLiteral("Property"));
    if (auto* expand = wizard->findChild<QListWidget*>(QStringLiteral("expandList"))) {
        const auto media = expand->findItems(QStringLiteral("Media"), Qt::MatchExactly);
        if (!media.isEmpty())
            media.first()->setCheckState(Qt::Checked);
    }
    shot(wizard, QStringLiteral("wizard-4-resources"));
    wizard->next();
    shot(wizard, QStringLiteral("wizard-5-destinations"));
    wizard->next();

    auto* sync = byAccessibleName<QLineEdit>(wizard, QStringLiteral("Sync schedule"));
    if (!sync)
        return fail("the Schedules page has no Sync schedule");
    sync->setText(overlappingCron);
    shot(wizard, QStringLiteral("wizard-6-schedules"));
    wizard->next();
    shot(wizard, QStringLiteral("wizard-7-summary"));
    wizard->reject();
    settle();

    // Source ▸ Remove… of the source that never ran, deleting its data and dropping its tables.
    window.removeSource(QStringLiteral("armls"));
    RemoveSourceDialog* remove = nullptr;
    if (!waitFor([&] { return (remove = window.findChild<RemoveSourceDialog*>()) != nullptr; }))
        return fail("Source > Remove did not open its dialog");
    remove->findChild<QRadioButton*>(QStringLiteral("deleteData"))->setChecked(true);
    remove->findChild<QCheckBox*>(QStringLiteral("dropTables"))->setChecked(true);
    remove->adjustSize();
    shot(remove, QStringLiteral("remove-source"));
    remove->reject();
    settle();

    auto* preferences = window.findChild<QAction*>(QStringLiteral("preferencesAction"));
    if (!preferences)
        return fail("no Edit > Preferences");
    preferences->trigger();
    settle();
    auto* dialog = window.findChild<QDialog*>(QStringLiteral("preferencesDialog"));
    if (!dialog)
        return fail("Preferences did not open");
    shot(dialog, QStringLiteral("preferences"));
    dialog->reject();
    settle();
    return true;
}

} // namespace ors::shots
