#pragma once

#include <QWizardPage>

class QCheckBox;
class QLabel;
class QListWidget;
class QPushButton;

namespace ors {

struct CheckReport;

// Step 3: runs core's SourceCheck (what `openresync-cli check` does) on a pool thread with the
// secrets typed on the Connection page held in memory only, and lists each step (secrets,
// token, $metadata, a first page per resource, quota headers) as ok or failed with its reason.
// Next is possible after a successful test, or when "continue anyway" is ticked.
class TestConnectionPage : public QWizardPage {
    Q_OBJECT
public:
    explicit TestConnectionPage(QWidget* parent = nullptr);
    void initializePage() override;
    bool isComplete() const override;
    bool passed() const { return m_passed; }

Q_SIGNALS:
    void tested(bool ok);

private:
    void runTest();
    void showReport(const CheckReport& report);

    QPushButton* m_test = nullptr;
    QListWidget* m_steps = nullptr;
    QLabel* m_result = nullptr;
    QCheckBox* m_continueAnyway = nullptr;
    bool m_running = false;
    bool m_passed = false;
};

} // namespace ors
