#include "ConnectionPage.h"

#include "config/SecretResolver.h"
#include "PlatformPage.h"
#include "SourceWizard.h"

#include <QComboBox>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QtConcurrent/QtConcurrentRun>
#include <QVBoxLayout>

namespace ors {

using AuthKind = SourceWizard::AuthKind;
using SecretStore = SourceWizard::SecretStore;

ConnectionPage::ConnectionPage(QWidget* parent)
    : QWizardPage(parent) {
    setTitle(tr("Connection"));
    setSubTitle(tr("Where the server is and how OpenReSync signs in. Secrets are never written into the "
                   "configuration file, only a reference to where they are kept."));
    auto* layout = new QVBoxLayout(this);
    m_form = new QFormLayout;
    layout->addLayout(m_form);

    m_serviceUrl = addLine(tr("Service &URL:"), tr("Service URL"), QStringLiteral("serviceUrl"));
    m_originatingSystem =
        addLine(tr("&Originating system:"), tr("Originating system"), QStringLiteral("originatingSystem"));
    m_authKind = new QComboBox;
    m_authKind->setObjectName(QStringLiteral("authKind"));
    m_authKind->setAccessibleName(tr("Authentication"));
    m_authKind->addItems({tr("None"), tr("Bearer token"), tr("OAuth2 client credentials"),
                          tr("OAuth2 username and password")});
    m_form->addRow(tr("&Authentication:"), m_authKind);
    m_tokenUrl = addLine(tr("&Token URL:"), tr("Token URL"), QStringLiteral("tokenUrl"));
    m_clientId = addLine(tr("&Client ID:"), tr("Client ID"), QStringLiteral("clientId"));
    m_clientSecret =
        addLine(tr("Client &secret:"), tr("Client secret"), QStringLiteral("clientSecret"), true);
    m_bearerToken = addLine(tr("&Bearer token:"), tr("Bearer token"), QStringLiteral("bearerToken"), true);
    m_username = addLine(tr("User&name:"), tr("Username"), QStringLiteral("username"));
    m_password = addLine(tr("&Password:"), tr("Password"), QStringLiteral("password"), true);

    m_secretStore = new QComboBox;
    m_secretStore->setObjectName(QStringLiteral("secretStore"));
    m_secretStore->setAccessibleName(tr("Keep secrets in"));
    m_secretStore->addItems({tr("The system keychain"), tr("Environment variables")});
    m_form->addRow(tr("&Keep secrets in:"), m_secretStore);
    m_secretNote = new QLabel;
    m_secretNote->setObjectName(QStringLiteral("secretNote"));
    m_secretNote->setAccessibleName(tr("Where secrets are kept"));
    m_secretNote->setWordWrap(true);
    m_secretNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_secretNote);
    layout->addStretch(1);

    registerField(QStringLiteral("serviceUrl*"), m_serviceUrl);
    registerField(QStringLiteral("originatingSystem"), m_originatingSystem);
    registerField(QStringLiteral("authKind"), m_authKind);
    registerField(QStringLiteral("tokenUrl"), m_tokenUrl);
    registerField(QStringLiteral("clientId"), m_clientId);
    registerField(QStringLiteral("clientSecret"), m_clientSecret);
    registerField(QStringLiteral("bearerToken"), m_bearerToken);
    registerField(QStringLiteral("username"), m_username);
    registerField(QStringLiteral("password"), m_password);
    registerField(QStringLiteral("secretStore"), m_secretStore);

    connect(m_authKind, &QComboBox::currentIndexChanged, this, &ConnectionPage::updateVisibility);
    connect(m_secretStore, &QComboBox::currentIndexChanged, this, &ConnectionPage::updateSecretNote);
    for (QLineEdit* edit : findChildren<QLineEdit*>())
        connect(edit, &QLineEdit::textChanged, this, [this] {
            updateSecretNote();
            Q_EMIT completeChanged();
        });
    updateVisibility();
}

QLineEdit* ConnectionPage::addLine(const QString& label, const QString& accessibleName,
                                   const QString& objectName, bool secret) {
    auto* edit = new QLineEdit;
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    if (secret)
        edit->setEchoMode(QLineEdit::Password);
    m_form->addRow(label, edit);
    return edit;
}

void ConnectionPage::prefill(const SourceConfig& source) {
    m_editing = true;
    m_presetFor = -2; // keep the source's values whatever platform row is current
    m_serviceUrl->setText(source.serviceUrl);
    m_originatingSystem->setText(source.originatingSystemName);
    AuthKind kind = AuthKind::None;
    if (source.auth.type == AuthType::Bearer)
        kind = AuthKind::Bearer;
    else if (source.auth.type == AuthType::OAuth2)
        kind = source.auth.grant == OAuthGrant::Password ? AuthKind::Password : AuthKind::ClientCredentials;
    m_authKind->setCurrentIndex(int(kind));
    m_tokenUrl->setText(source.auth.tokenUrl);
    m_clientId->setText(source.auth.clientId);
    m_username->setText(source.auth.username);
    for (QLineEdit* secret : {m_clientSecret, m_bearerToken, m_password})
        secret->setPlaceholderText(tr("unchanged (leave empty to keep the stored secret)"));
    const bool env = source.auth.clientSecret.kind == SecretRef::Kind::Env ||
                     source.auth.token.kind == SecretRef::Kind::Env ||
                     source.auth.password.kind == SecretRef::Kind::Env;
    m_secretStore->setCurrentIndex(int(env ? SecretStore::Environment : SecretStore::Keychain));
}

void ConnectionPage::initializePage() {
    const int row = field(QStringLiteral("platform")).toInt();
    if (m_presetFor != -2 && m_presetFor != row) {
        const PlatformPage::Preset preset = PlatformPage::presets().value(row);
        m_serviceUrl->setText(preset.serviceUrl);
        m_tokenUrl->setText(preset.tokenUrl);
        m_authKind->setCurrentIndex(preset.authKind);
        m_presetFor = row;
    }
    m_originatingSystem->setVisible(PlatformPage::platformAt(row) == Platform::MlsGrid);
    m_form->labelForField(m_originatingSystem)->setVisible(m_originatingSystem->isVisible());
    probeKeychain();
    updateSecretNote();
}

void ConnectionPage::probeKeychain() {
    if (m_probed)
        return;
    m_probed = true;
    m_secretNote->setText(tr("Looking for a system keychain…"));
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_keychainProblem = watcher->result();
        if (!m_keychainProblem.isEmpty() && !m_editing)
            m_secretStore->setCurrentIndex(int(SecretStore::Environment));
        updateSecretNote();
    });
    watcher->setFuture(QtConcurrent::run([] {
        auto probe = SecretResolver::probeKeychain();
        return probe ? QString() : probe.errorMessage();
    }));
}

void ConnectionPage::updateVisibility() {
    const auto kind = AuthKind(m_authKind->currentIndex());
    const bool oauth = kind == AuthKind::ClientCredentials || kind == AuthKind::Password;
    auto show = [this](QLineEdit* edit, bool visible) {
        edit->setVisible(visible);
        m_form->labelForField(edit)->setVisible(visible);
    };
    show(m_tokenUrl, oauth);
    show(m_clientId, oauth);
    show(m_clientSecret, oauth);
    show(m_bearerToken, kind == AuthKind::Bearer);
    show(m_username, kind == AuthKind::Password);
    show(m_password, kind == AuthKind::Password);
    updateSecretNote();
    Q_EMIT completeChanged();
}

void ConnectionPage::updateSecretNote() {
    QStringList lines;
    if (!m_keychainProblem.isEmpty())
        lines << tr("No system keychain works here (%1), so secrets are kept in environment variables.")
                     .arg(m_keychainProblem);
    if (SecretStore(m_secretStore->currentIndex()) == SecretStore::Environment) {
        const QString source = field(QStringLiteral("name")).toString().trimmed();
        QStringList names;
        for (QLineEdit* edit : {m_clientSecret, m_bearerToken, m_password})
            if (edit->isVisibleTo(this) && !edit->text().isEmpty())
                names << SourceWizard::envVariableName(source, edit->objectName());
        if (!names.isEmpty())
            lines << tr("The configuration will name %1: set it in the environment of openresync-cli serve "
                        "and of this window before the first sync.")
                         .arg(names.join(QStringLiteral(", ")));
    } else {
        lines << tr("Secrets typed here are stored in the system keychain when you finish.");
    }
    m_secretNote->setText(lines.join(QLatin1Char('\n')));
}

bool ConnectionPage::isComplete() const {
    if (m_serviceUrl->text().trimmed().isEmpty())
        return false;
    const auto kind = AuthKind(m_authKind->currentIndex());
    const bool needSecret = !m_editing;
    switch (kind) {
    case AuthKind::None:
        return true;
    case AuthKind::Bearer:
        return !needSecret || !m_bearerToken->text().isEmpty();
    case AuthKind::ClientCredentials:
        return !m_tokenUrl->text().trimmed().isEmpty() && !m_clientId->text().trimmed().isEmpty() &&
               (!needSecret || !m_clientSecret->text().isEmpty());
    case AuthKind::Password:
        return !m_tokenUrl->text().trimmed().isEmpty() && !m_username->text().trimmed().isEmpty() &&
               (!needSecret || !m_password->text().isEmpty());
    }
    return false;
}

} // namespace ors
