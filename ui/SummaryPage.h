#pragma once

#include <QWizardPage>

class QCheckBox;
class QLabel;
class QPlainTextEdit;

namespace ors {

// Step 7: the source exactly as it will be written (secrets as references) and where. Finish
// (SourceWizard::accept) validates and writes; its outcome shows here.
class SummaryPage : public QWizardPage {
    Q_OBJECT
public:
    explicit SummaryPage(QWidget* parent = nullptr);
    void initializePage() override;
    void setStatus(const QString& text, bool error);
    QString json() const;
    QString status() const;

private:
    QPlainTextEdit* m_json = nullptr;
    QLabel* m_where = nullptr;
    QCheckBox* m_runFirst = nullptr;
    QLabel* m_status = nullptr;
};

} // namespace ors
