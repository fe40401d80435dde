#include "DestinationsPage.h"

#include "config/DataDir.h"
#include "inspect/SourceCheck.h"
#include "SourceWizard.h"

#include <QComboBox>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QtConcurrent/QtConcurrentRun>
#include <QVBoxLayout>

namespace ors {

namespace {

enum TypeRow { SqliteRow, MysqlRow };

QLineEdit* line(const QString& objectName, const QString& accessibleName) {
    auto* edit = new QLineEdit;
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    return edit;
}

} // namespace

DestinationsPage::DestinationsPage(QWidget* parent)
    : QWizardPage(parent) {
    setTitle(tr("Destinations"));
    setSubTitle(tr("Where the copy of the records is kept."));
    m_type = new QComboBox;
    m_type->setObjectName(QStringLiteral("destinationType"));
    m_type->setAccessibleName(tr("Destination type"));
    m_type->addItems({tr("SQLite file"), tr("MySQL or MariaDB")});
    m_name = line(QStringLiteral("destinationName"), tr("Destination name"));
    m_name->setText(QStringLiteral("local"));
    m_path = line(QStringLiteral("sqlitePath"), tr("SQLite file"));
    m_host = line(QStringLiteral("dbHost"), tr("Host"));
    m_port = new QSpinBox;
    m_port->setObjectName(QStringLiteral("dbPort"));
    m_port->setAccessibleName(tr("Port"));
    m_port->setRange(1, 65535);
    m_port->setValue(3306);
    m_port->setGroupSeparatorShown(false);
    m_database = line(QStringLiteral("dbName"), tr("Database"));
    m_user = line(QStringLiteral("dbUser"), tr("Database user"));
    m_password = line(QStringLiteral("dbPassword"), tr("Database password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_note = new QLabel;
    m_note->setObjectName(QStringLiteral("destinationNote"));
    m_note->setWordWrap(true);

    m_test = new QPushButton(tr("&Test connection"));
    m_test->setObjectName(QStringLiteral("testDestinationButton"));
    m_test->setAccessibleName(tr("Test destination connection"));
    m_testResult = new QLabel;
    m_testResult->setObjectName(QStringLiteral("destinationTestResult"));
    m_testResult->setAccessibleName(tr("Destination test result"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_form = new QFormLayout;
    m_form->addRow(tr("&Type:"), m_type);
    m_form->addRow(tr("&Name:"), m_name);
    m_form->addRow(tr("SQLite &file:"), m_path);
    m_form->addRow(tr("&Host:"), m_host);
    m_form->addRow(tr("P&ort:"), m_port);
    m_form->addRow(tr("&Database:"), m_database);
    m_form->addRow(tr("&User:"), m_user);
    m_form->addRow(tr("Pass&word:"), m_password);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(m_note);
    auto* testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_testResult, 1);
    layout->addLayout(testRow);
    layout->addStretch(1);
    connect(m_test, &QPushButton::clicked, this, &DestinationsPage::runTest);

    registerField(QStringLiteral("destType"), m_type);
    registerField(QStringLiteral("destName"), m_name);
    registerField(QStringLiteral("sqlitePath"), m_path);
    registerField(QStringLiteral("dbHost"), m_host);
    registerField(QStringLiteral("dbPort"), m_port);
    registerField(QStringLiteral("dbName"), m_database);
    registerField(QStringLiteral("dbUser"), m_user);
    registerField(QStringLiteral("dbPassword"), m_password);
    connect(m_type, &QComboBox::currentIndexChanged, this, &DestinationsPage::updateVisibility);
    for (QLineEdit* edit : findChildren<QLineEdit*>())
        connect(edit, &QLineEdit::textChanged, this, [this] {
            m_testResult->clear();
            Q_EMIT completeChanged();
        });
    updateVisibility();
}

QString DestinationsPage::defaultSqlitePath() const {
    auto* wizard = qobject_cast<SourceWizard*>(this->wizard());
    const QString source = field(QStringLiteral("name")).toString().trimmed();
    return DataLayout(wizard ? wizard->dataDir() : QString())
        .defaultSqlitePath(source, m_name->text().trimmed());
}

void DestinationsPage::prefill(const SourceConfig& source) {
    m_editing = true;
    if (source.destinations.isEmpty())
        return;
    const DestinationConfig& d = source.destinations.first();
    m_type->setCurrentIndex(d.type == DestinationType::Mysql ? MysqlRow : SqliteRow);
    m_name->setText(d.name);
    m_path->setText(d.path);
    m_prefilledPath = d.path;
    m_host->setText(d.host);
    if (d.port > 0)
        m_port->setValue(d.port);
    m_database->setText(d.database);
    m_user->setText(d.user);
    if (d.password.isSet())
        m_password->setPlaceholderText(tr("unchanged (leave empty to keep the stored secret)"));
}

void DestinationsPage::initializePage() {
    // The default file follows the source's name until the user types another path.
    if (!m_editing && (m_path->text().isEmpty() || m_path->text() == m_prefilledPath)) {
        m_prefilledPath = defaultSqlitePath();
        m_path->setText(m_prefilledPath);
    }
    updateVisibility();
}

void DestinationsPage::updateVisibility() {
    const bool mysql = m_type->currentIndex() == MysqlRow;
    auto show = [this](QWidget* w, bool visible) {
        w->setVisible(visible);
        m_form->labelForField(w)->setVisible(visible);
    };
    show(m_path, !mysql);
    for (QWidget* w : std::initializer_list<QWidget*>{m_host, m_port, m_database, m_user, m_password})
        show(w, mysql);
    m_note->setText(mysql
                        ? tr("The password is kept like the connection's secrets (see the Connection page).")
                        : tr("The file and its folder are created at the first sync."));
    Q_EMIT completeChanged();
}

bool DestinationsPage::isComplete() const {
    if (m_name->text().trimmed().isEmpty())
        return false;
    if (m_type->currentIndex() == MysqlRow)
        return !m_host->text().trimmed().isEmpty() && !m_database->text().trimmed().isEmpty() &&
               !m_user->text().trimmed().isEmpty();
    return !m_path->text().trimmed().isEmpty();
}

QJsonObject DestinationsPage::destinationJson() const {
    QJsonObject d{{QStringLiteral("name"), m_name->text().trimmed()}};
    if (m_type->currentIndex() == MysqlRow) {
        d.insert(QStringLiteral("type"), QStringLiteral("mysql"));
        d.insert(QStringLiteral("host"), m_host->text().trimmed());
        d.insert(QStringLiteral("port"), m_port->value());
        d.insert(QStringLiteral("database"), m_database->text().trimmed());
        d.insert(QStringLiteral("user"), m_user->text().trimmed());
    } else {
        d.insert(QStringLiteral("type"), QStringLiteral("sqlite"));
        d.insert(QStringLiteral("path"), m_path->text().trimmed());
    }
    return d;
}

DestinationConfig DestinationsPage::destinationForCheck() const {
    DestinationConfig d;
    auto* wizard = qobject_cast<SourceWizard*>(this->wizard());
    const SourceConfig* edited = wizard ? wizard->edited() : nullptr;
    if (edited && !edited->destinations.isEmpty() &&
        edited->destinations.first().name == m_name->text().trimmed())
        d = edited->destinations.first();
    d.name = m_name->text().trimmed();
    if (m_type->currentIndex() == MysqlRow) {
        d.type = DestinationType::Mysql;
        d.host = m_host->text().trimmed();
        d.port = m_port->value();
        d.database = m_database->text().trimmed();
        d.user = m_user->text().trimmed();
        if (!m_password->text().isEmpty())
            d.password = SecretRef{SecretRef::Kind::Literal, m_password->text()};
    } else {
        d.type = DestinationType::Sqlite;
        d.path = m_path->text().trimmed();
    }
    return d;
}

void DestinationsPage::runTest() {
    auto* wizard = qobject_cast<SourceWizard*>(this->wizard());
    const DestinationConfig destination = destinationForCheck();
    const QString source = wizard ? wizard->sourceName() : QString();
    const QString dataDir = wizard ? wizard->dataDir() : QString();
    m_test->setEnabled(false);
    m_testResult->setText(tr("Testing…"));
    auto* watcher = new QFutureWatcher<CheckStep>(this);
    connect(watcher, &QFutureWatcher<CheckStep>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const CheckStep step = watcher->result();
        m_test->setEnabled(true);
        m_testResult->setText(step.outcome == CheckStep::Outcome::Failed ? tr("Failed: %1").arg(step.detail)
                                                                         : tr("Works: %1").arg(step.detail));
    });
    watcher->setFuture(QtConcurrent::run([destination, source, dataDir] {
        return SourceCheck::checkDestination(destination, source, dataDir);
    }));
}

QJsonObject DestinationsPage::toJson(const DestinationConfig& destination) {
    QJsonObject d{{QStringLiteral("name"), destination.name},
                  {QStringLiteral("type"), destinationTypeName(destination.type)}};
    auto put = [&d](const char* key, const QString& value) {
        if (!value.isEmpty())
            d.insert(QLatin1String(key), value);
    };
    put("path", destination.path);
    put("host", destination.host);
    if (destination.port > 0)
        d.insert(QStringLiteral("port"), destination.port);
    put("database", destination.database);
    put("user", destination.user);
    put("url", destination.url);
    const TlsConfig& tls = destination.tls;
    if (tls.mode != TlsMode::Preferred || !tls.ca.isEmpty() || !tls.cert.isEmpty() || !tls.key.isEmpty()) {
        QJsonObject object{{QStringLiteral("mode"), tlsModeName(tls.mode)}};
        for (const auto& [key, value] : {std::pair{"ca", tls.ca}, {"cert", tls.cert}, {"key", tls.key}})
            if (!value.isEmpty())
                object.insert(QLatin1String(key), value);
        d.insert(QStringLiteral("tls"), object);
    }
    switch (destination.password.kind) {
    case SecretRef::Kind::Env:
        d.insert(QStringLiteral("password"), QString(QStringLiteral("env:") + destination.password.value));
        break;
    case SecretRef::Kind::Keychain:
        d.insert(QStringLiteral("password"),
                 QString(QStringLiteral("keychain:") + destination.password.value));
        break;
    case SecretRef::Kind::File:
        d.insert(QStringLiteral("password"), QString(QStringLiteral("file:") + destination.password.value));
        break;
    case SecretRef::Kind::Literal:
    case SecretRef::Kind::None:
        break;
    }
    return d;
}

} // namespace ors
