#pragma once

#include "config/Config.h"

#include <QWizardPage>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace ors {

// Step 2: the service URL and the credentials the platform needs (client id, secret and token
// URL; a bearer token; a username and password). Secrets go to the OS keychain and the
// configuration only names them; when no keychain answers (probed on a pool thread), the page
// says so and switches to environment-variable references, naming the variables to set.
class ConnectionPage : public QWizardPage {
    Q_OBJECT
public:
    explicit ConnectionPage(QWidget* parent = nullptr);
    void prefill(const SourceConfig& source);
    void initializePage() override;
    bool isComplete() const override;

private:
    void updateVisibility();
    void updateSecretNote();
    void probeKeychain();
    QLineEdit* addLine(const QString& label, const QString& accessibleName, const QString& objectName,
                       bool secret = false);

    QFormLayout* m_form = nullptr;
    QLineEdit* m_serviceUrl = nullptr;
    QComboBox* m_authKind = nullptr;
    QLineEdit* m_clientId = nullptr;
    QLineEdit* m_clientSecret = nullptr;
    QLineEdit* m_tokenUrl = nullptr;
    QLineEdit* m_bearerToken = nullptr;
    QLineEdit* m_username = nullptr;
    QLineEdit* m_password = nullptr;
    QLineEdit* m_originatingSystem = nullptr;
    QComboBox* m_secretStore = nullptr;
    QLabel* m_secretNote = nullptr;
    int m_presetFor = -1; // the platform row whose preset was last applied
    bool m_probed = false;
    bool m_editing = false;
    QString m_keychainProblem;
};

} // namespace ors
