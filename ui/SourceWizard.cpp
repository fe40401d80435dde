#include "SourceWizard.h"

#include "config/ConfigWriter.h"
#include "config/SecretResolver.h"
#include "ConnectionPage.h"
#include "DestinationsPage.h"
#include "PlatformPage.h"
#include "ResourcesPage.h"
#include "SchedulesPage.h"
#include "SummaryPage.h"
#include "TestConnectionPage.h"

#include <QAbstractButton>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QtConcurrent/QtConcurrentRun>

namespace ors {

namespace {

// The secret fields of the pages and the configuration key each one fills.
struct SecretField {
    const char* field;
    const char* configKey;
};
constexpr SecretField kSecretFields[] = {{"clientSecret", "clientSecret"},
                                         {"bearerToken", "token"},
                                         {"password", "password"},
                                         {"dbPassword", "password"}};

QString refText(const SecretRef& ref) {
    switch (ref.kind) {
    case SecretRef::Kind::Env:
        return QStringLiteral("env:") + ref.value;
    case SecretRef::Kind::Keychain:
        return QStringLiteral("keychain:") + ref.value;
    case SecretRef::Kind::File:
        return QStringLiteral("file:") + ref.value;
    case SecretRef::Kind::Literal: // the validator warned when it loaded; never written back as text
    case SecretRef::Kind::None:
        break;
    }
    return {};
}

QJsonArray toArray(const QStringList& list) {
    return QJsonArray::fromStringList(list);
}

} // namespace

SourceWizard::SourceWizard(const Config* current, QString configPath, QString dataDir, QWidget* parent)
    : QWizard(parent)
    , m_configPath(std::move(configPath))
    , m_dataDir(std::move(dataDir)) {
    if (current)
        m_current = *current;
    setObjectName(QStringLiteral("sourceWizard"));
    setWindowTitle(tr("Add source"));
    setAccessibleName(tr("Add source"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setPage(PlatformId, new PlatformPage(this));
    setPage(ConnectionId, new ConnectionPage(this));
    setPage(TestId, new TestConnectionPage(this));
    setPage(ResourcesId, new ResourcesPage(this));
    setPage(DestinationsId, new DestinationsPage(this));
    setPage(SchedulesId, new SchedulesPage(this));
    setPage(SummaryId, new SummaryPage(this));
    const std::pair<WizardButton, QString> names[] = {
        {BackButton, tr("Back")},     {NextButton, tr("Next")},     {CommitButton, tr("Commit")},
        {FinishButton, tr("Finish")}, {CancelButton, tr("Cancel")}, {HelpButton, tr("Help")}};
    for (const auto& [which, name] : names) {
        button(which)->setAccessibleName(name);
        button(which)->setObjectName(QStringLiteral("wizardButton%1").arg(int(which)));
    }
    resize(820, 620);
}

void SourceWizard::editSource(const SourceConfig& source) {
    m_edited = source;
    m_resources = source.resources;
    setWindowTitle(tr("Edit source %1").arg(source.name));
    setAccessibleName(tr("Edit source"));
    static_cast<PlatformPage*>(page(PlatformId))->prefill(source);
    static_cast<ConnectionPage*>(page(ConnectionId))->prefill(source);
    static_cast<DestinationsPage*>(page(DestinationsId))->prefill(source);
    static_cast<SchedulesPage*>(page(SchedulesId))->prefill(source);
}

QString SourceWizard::sourceName() const {
    return field(QStringLiteral("name")).toString().trimmed();
}

Platform SourceWizard::platform() const {
    return PlatformPage::platformAt(field(QStringLiteral("platform")).toInt());
}

SourceWizard::AuthKind SourceWizard::authKind() const {
    return static_cast<AuthKind>(field(QStringLiteral("authKind")).toInt());
}

SourceWizard::SecretStore SourceWizard::secretStore() const {
    return static_cast<SecretStore>(field(QStringLiteral("secretStore")).toInt());
}

QString SourceWizard::envVariableName(const QString& source, const QString& field) {
    QString name = QStringLiteral("ORS_") + source.toUpper() + QLatin1Char('_');
    for (const QChar c : field) {
        if (c.isUpper())
            name += QLatin1Char('_');
        name += c.toUpper();
    }
    for (QChar& c : name)
        if (!c.isLetterOrNumber() && c != QLatin1Char('_'))
            c = QLatin1Char('_');
    return name;
}

QString SourceWizard::secretReference(const QString& fieldName) const {
    if (!field(fieldName).toString().isEmpty()) {
        if (secretStore() == SecretStore::Keychain)
            return QStringLiteral("keychain:%1.%2").arg(sourceName(), fieldName);
        return QStringLiteral("env:") + envVariableName(sourceName(), fieldName);
    }
    if (!m_edited)
        return {};
    if (fieldName == QLatin1String("clientSecret"))
        return refText(m_edited->auth.clientSecret);
    if (fieldName == QLatin1String("bearerToken"))
        return refText(m_edited->auth.token);
    if (fieldName == QLatin1String("password"))
        return refText(m_edited->auth.password);
    if (fieldName == QLatin1String("dbPassword") && !m_edited->destinations.isEmpty())
        return refText(m_edited->destinations.first().password);
    return {};
}

QJsonObject SourceWizard::sourceJson() const {
    QJsonObject source{
        {QStringLiteral("name"), sourceName()},
        {QStringLiteral("platform"), platformName(platform())},
        {QStringLiteral("serviceUrl"), field(QStringLiteral("serviceUrl")).toString().trimmed()}};
    if (platform() == Platform::MlsGrid)
        source.insert(QStringLiteral("originatingSystemName"),
                      field(QStringLiteral("originatingSystem")).toString());

    QJsonObject auth;
    auto putSecret = [&](QJsonObject& into, const char* key, const QString& fieldName) {
        const QString ref = secretReference(fieldName);
        if (!ref.isEmpty())
            into.insert(QLatin1String(key), ref);
    };
    switch (authKind()) {
    case AuthKind::None:
        auth.insert(QStringLiteral("type"), QStringLiteral("none"));
        break;
    case AuthKind::Bearer:
        auth.insert(QStringLiteral("type"), QStringLiteral("bearer"));
        putSecret(auth, "token", QStringLiteral("bearerToken"));
        if (m_edited && m_edited->auth.sendAs == TokenPlacement::Query)
            auth.insert(QStringLiteral("sendAs"), QStringLiteral("query"));
        break;
    case AuthKind::ClientCredentials:
    case AuthKind::Password:
        auth.insert(QStringLiteral("type"), QStringLiteral("oauth2"));
        auth.insert(QStringLiteral("tokenUrl"), field(QStringLiteral("tokenUrl")).toString().trimmed());
        auth.insert(QStringLiteral("clientId"), field(QStringLiteral("clientId")).toString().trimmed());
        putSecret(auth, "clientSecret", QStringLiteral("clientSecret"));
        if (m_edited && !m_edited->auth.scope.isEmpty())
            auth.insert(QStringLiteral("scope"), m_edited->auth.scope);
        if (authKind() == AuthKind::Password) {
            auth.insert(QStringLiteral("grantType"), QStringLiteral("password"));
            auth.insert(QStringLiteral("username"), field(QStringLiteral("username")).toString().trimmed());
            putSecret(auth, "password", QStringLiteral("password"));
        }
        break;
    }
    source.insert(QStringLiteral("auth"), auth);

    QJsonArray resources;
    for (const ResourceConfig& resource : m_resources) {
        QJsonObject object{{QStringLiteral("name"), resource.name}};
        if (!resource.filter.isEmpty())
            object.insert(QStringLiteral("filter"), resource.filter);
        if (!resource.select.isEmpty())
            object.insert(QStringLiteral("select"), toArray(resource.select));
        if (!resource.expand.isEmpty()) {
            QJsonArray expand;
            for (const ExpandConfig& e : resource.expand)
                expand.append(QJsonObject{{QStringLiteral("name"), e.name}});
            object.insert(QStringLiteral("expand"), expand);
        }
        resources.append(object);
    }
    source.insert(QStringLiteral("resources"), resources);

    QJsonObject destination = static_cast<const DestinationsPage*>(page(DestinationsId))->destinationJson();
    // An edited destination keeps what the page does not show (TLS, its password reference).
    if (m_edited && !m_edited->destinations.isEmpty() &&
        m_edited->destinations.first().name == destination.value(QStringLiteral("name")).toString() &&
        destinationTypeName(m_edited->destinations.first().type) ==
            destination.value(QStringLiteral("type")).toString()) {
        QJsonObject merged = DestinationsPage::toJson(m_edited->destinations.first());
        for (auto it = destination.begin(); it != destination.end(); ++it)
            merged.insert(it.key(), it.value());
        destination = merged;
    }
    QJsonArray destinations{destination};
    // Destinations beyond the first are not shown by the page; an edit keeps them as they were.
    if (m_edited)
        for (qsizetype i = 1; i < m_edited->destinations.size(); ++i)
            destinations.append(DestinationsPage::toJson(m_edited->destinations.at(i)));
    if (!destinations.isEmpty() &&
        destinations.first().toObject().value(QStringLiteral("type")) == QLatin1String("mysql")) {
        QJsonObject first = destinations.first().toObject();
        putSecret(first, "password", QStringLiteral("dbPassword"));
        destinations.replace(0, first);
    }
    source.insert(QStringLiteral("destinations"), destinations);

    QJsonObject schedules;
    const QString sync = field(QStringLiteral("syncCron")).toString().trimmed();
    if (!sync.isEmpty())
        schedules.insert(QStringLiteral("sync"), QJsonArray{sync});
    if (field(QStringLiteral("purgeEnabled")).toBool())
        schedules.insert(QStringLiteral("purge"),
                         QJsonArray{field(QStringLiteral("purgeCron")).toString().trimmed()});
    if (field(QStringLiteral("reconcileEnabled")).toBool())
        schedules.insert(QStringLiteral("reconcile"),
                         QJsonArray{field(QStringLiteral("reconcileCron")).toString().trimmed()});
    if (m_edited && !m_edited->schedules.timeZone.isEmpty())
        schedules.insert(QStringLiteral("timeZone"), m_edited->schedules.timeZone);
    // Always present, so replacing a source also removes schedules the user took out.
    source.insert(QStringLiteral("schedules"), schedules);
    return source;
}

SourceConfig SourceWizard::sourceForCheck() const {
    SourceConfig source;
    if (m_edited)
        source = *m_edited;
    source.name = sourceName().isEmpty() ? QStringLiteral("new") : sourceName();
    source.platform = platform();
    source.serviceUrl = field(QStringLiteral("serviceUrl")).toString().trimmed();
    source.originatingSystemName = field(QStringLiteral("originatingSystem")).toString().trimmed();
    source.resources = m_resources;
    source.destinations.clear(); // the check never opens them
    auto secret = [&](const QString& fieldName, const SecretRef& existing) {
        const QString typed = field(fieldName).toString();
        if (!typed.isEmpty())
            return SecretRef{SecretRef::Kind::Literal, typed};
        return m_edited ? existing : SecretRef{};
    };
    AuthConfig& auth = source.auth;
    const AuthConfig previous = auth;
    auth = AuthConfig{};
    switch (authKind()) {
    case AuthKind::None:
        break;
    case AuthKind::Bearer:
        auth.type = AuthType::Bearer;
        auth.token = secret(QStringLiteral("bearerToken"), previous.token);
        auth.sendAs = previous.sendAs;
        break;
    case AuthKind::ClientCredentials:
    case AuthKind::Password:
        auth.type = AuthType::OAuth2;
        auth.tokenUrl = field(QStringLiteral("tokenUrl")).toString().trimmed();
        auth.clientId = field(QStringLiteral("clientId")).toString().trimmed();
        auth.clientSecret = secret(QStringLiteral("clientSecret"), previous.clientSecret);
        auth.scope = previous.scope;
        if (authKind() == AuthKind::Password) {
            auth.grant = OAuthGrant::Password;
            auth.username = field(QStringLiteral("username")).toString().trimmed();
            auth.password = secret(QStringLiteral("password"), previous.password);
        }
        break;
    }
    return source;
}

void SourceWizard::accept() {
    if (m_writing)
        return;
    auto* summary = static_cast<SummaryPage*>(page(SummaryId));
    const QJsonObject source = sourceJson();
    QList<std::pair<QString, QString>> toStore; // keychain key → secret
    if (secretStore() == SecretStore::Keychain)
        for (const SecretField& secret : kSecretFields) {
            const QString name = QLatin1String(secret.field);
            const QString typed = field(name).toString();
            const QString ref = secretReference(name);
            if (!typed.isEmpty() && ref.startsWith(QLatin1String("keychain:")))
                toStore.append({ref.mid(9), typed});
        }
    const QString path = m_configPath;
    const QString replacing = m_edited ? m_edited->name : QString();
    m_writing = true;
    // The write goes on once started: closing now would leave the file changed unseen.
    for (WizardButton which : {FinishButton, BackButton, CancelButton})
        button(which)->setEnabled(false);
    summary->setStatus(tr("Writing the configuration…"), false);
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        watcher->deleteLater();
        writeFinished(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([path, source, replacing, toStore]() -> QString {
        for (const auto& [key, secret] : toStore)
            if (auto stored = SecretResolver::storeInKeychain(key, secret); !stored)
                return stored.errorMessage() +
                       QStringLiteral(" (choose environment variables on the Connection page instead)");
        auto written = ConfigWriter::putSource(path, source, replacing);
        return written ? QString() : written.errorMessage();
    }));
}

void SourceWizard::reject() {
    if (!m_writing)
        QWizard::reject();
}

void SourceWizard::writeFinished(const QString& error) {
    m_writing = false;
    for (WizardButton which : {FinishButton, BackButton, CancelButton})
        button(which)->setEnabled(true);
    auto* summary = static_cast<SummaryPage*>(page(SummaryId));
    if (!error.isEmpty()) {
        summary->setStatus(tr("Not written: %1").arg(error), true);
        return;
    }
    summary->setStatus(tr("Written to %1").arg(m_configPath), false);
    Q_EMIT sourceWritten(sourceName(), field(QStringLiteral("runFirstSync")).toBool());
    QWizard::accept();
}

} // namespace ors
