#pragma once

#include "config/Config.h"

#include <QJsonObject>
#include <QWizardPage>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace ors {

// Step 5: where the records go. SQLite, prefilled with a file in the data directory, or
// MySQL/MariaDB with host, port, database, user and a password that is kept like the other
// secrets (keychain or environment variable, never in the file). Test connection opens it
// read-only on a pool thread.
class DestinationsPage : public QWizardPage {
    Q_OBJECT
public:
    explicit DestinationsPage(QWidget* parent = nullptr);
    void prefill(const SourceConfig& source);
    void initializePage() override;
    bool isComplete() const override;

    // The destination as configured here, its password left for SourceWizard to reference.
    QJsonObject destinationJson() const;
    static QJsonObject toJson(const DestinationConfig& destination);
    // The destination for its Test connection: the typed password in memory, else the edited
    // destination's reference.
    DestinationConfig destinationForCheck() const;

private:
    void updateVisibility();
    void runTest();
    QString defaultSqlitePath() const;

    QFormLayout* m_form = nullptr;
    QComboBox* m_type = nullptr;
    QLineEdit* m_name = nullptr;
    QLineEdit* m_path = nullptr;
    QLineEdit* m_host = nullptr;
    QSpinBox* m_port = nullptr;
    QLineEdit* m_database = nullptr;
    QLineEdit* m_user = nullptr;
    QLineEdit* m_password = nullptr;
    QLabel* m_note = nullptr;
    QPushButton* m_test = nullptr;
    QLabel* m_testResult = nullptr;
    QString m_prefilledPath; // the default shown, replaced when the source's name changes
    bool m_editing = false;
};

} // namespace ors
