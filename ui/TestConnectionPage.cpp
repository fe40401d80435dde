#include "TestConnectionPage.h"

#include "inspect/SourceCheck.h"
#include "SourceWizard.h"

#include <QCheckBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QtConcurrent/QtConcurrentRun>
#include <QVBoxLayout>

namespace ors {

namespace {

struct TestOutcome {
    CheckReport report;
    Metadata metadata;
};

QString stepTitle(const QString& name) {
    if (name == QLatin1String("secrets"))
        return TestConnectionPage::tr("Secrets");
    if (name == QLatin1String("token"))
        return TestConnectionPage::tr("Sign-in");
    if (name == QLatin1String("metadata"))
        return TestConnectionPage::tr("$metadata");
    if (name == QLatin1String("quota"))
        return TestConnectionPage::tr("Quota headers");
    return TestConnectionPage::tr("First page of %1").arg(name);
}

} // namespace

TestConnectionPage::TestConnectionPage(QWidget* parent)
    : QWizardPage(parent) {
    setTitle(tr("Test connection"));
    setSubTitle(tr("Signs in, reads $metadata and one small page of each chosen resource. Nothing is "
                   "written; the secrets stay in memory."));
    m_test = new QPushButton(tr("&Test connection"));
    m_test->setObjectName(QStringLiteral("testConnectionButton"));
    m_test->setAccessibleName(tr("Test connection"));
    m_steps = new QListWidget;
    m_steps->setObjectName(QStringLiteral("checkSteps"));
    m_steps->setAccessibleName(tr("Test steps"));
    m_steps->setWordWrap(true);
    m_result = new QLabel;
    m_result->setObjectName(QStringLiteral("checkResult"));
    m_result->setWordWrap(true);
    m_continueAnyway = new QCheckBox(tr("&Continue anyway, without a successful test"));
    m_continueAnyway->setObjectName(QStringLiteral("continueAnyway"));
    m_continueAnyway->setAccessibleName(tr("Continue anyway"));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_test);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_steps, 1);
    layout->addWidget(m_result);
    layout->addWidget(m_continueAnyway);

    connect(m_test, &QPushButton::clicked, this, &TestConnectionPage::runTest);
    connect(m_continueAnyway, &QCheckBox::toggled, this, &QWizardPage::completeChanged);
}

void TestConnectionPage::initializePage() {
    // Coming back after changing the connection: the old result no longer says anything.
    m_passed = false;
    m_steps->clear();
    m_result->setText(tr("Press Test connection."));
    Q_EMIT completeChanged();
}

void TestConnectionPage::runTest() {
    auto* wizard = qobject_cast<SourceWizard*>(this->wizard());
    if (!wizard || m_running)
        return;
    m_running = true;
    m_passed = false;
    m_test->setEnabled(false);
    m_steps->clear();
    m_result->setText(tr("Testing %1…").arg(field(QStringLiteral("serviceUrl")).toString()));
    Q_EMIT completeChanged();
    const SourceConfig source = wizard->sourceForCheck();
    const QString dataDir = wizard->dataDir();
    auto* watcher = new QFutureWatcher<TestOutcome>(this);
    connect(watcher, &QFutureWatcher<TestOutcome>::finished, this, [this, watcher, wizard] {
        watcher->deleteLater();
        const TestOutcome outcome = watcher->result();
        m_running = false;
        m_test->setEnabled(true);
        if (!outcome.metadata.entitySets.isEmpty() || !outcome.metadata.entityTypes.isEmpty())
            wizard->setMetadata(outcome.metadata);
        showReport(outcome.report);
    });
    watcher->setFuture(QtConcurrent::run([source, dataDir] {
        TestOutcome outcome;
        outcome.report = SourceCheck::run(source, dataDir, &outcome.metadata);
        return outcome;
    }));
}

void TestConnectionPage::showReport(const CheckReport& report) {
    m_steps->clear();
    int failed = 0;
    for (const CheckStep& step : report.steps) {
        QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
        QString state = tr("info");
        if (step.outcome == CheckStep::Outcome::Ok) {
            icon = QStyle::SP_DialogApplyButton;
            state = tr("ok");
        } else if (step.outcome == CheckStep::Outcome::Failed) {
            icon = QStyle::SP_MessageBoxCritical;
            state = tr("failed");
            ++failed;
        }
        auto* item = new QListWidgetItem(style()->standardIcon(icon),
                                         tr("%1: %2 — %3").arg(stepTitle(step.name), state, step.detail));
        item->setData(Qt::UserRole, step.name);
        m_steps->addItem(item);
    }
    m_passed = report.ok();
    m_result->setText(
        m_passed ? tr("The connection works.")
                 : (failed == 1 ? tr("1 step failed: fix the connection and test again, or continue anyway.")
                                : tr("%1 steps failed: fix the connection and test again, or continue "
                                     "anyway.")
                                      .arg(failed)));
    Q_EMIT completeChanged();
    Q_EMIT tested(m_passed);
}

bool TestConnectionPage::isComplete() const {
    return !m_running && (m_passed || m_continueAnyway->isChecked());
}

} // namespace ors
