#pragma once

#include "config/Config.h"
#include "records/Metadata.h"

#include <QJsonObject>
#include <QWizard>

#include <optional>

class QLabel;

namespace ors {

// The add-source (and edit-source) wizard: Platform, Connection, Test connection, Resources,
// Destinations, Schedules, Summary, one QWizardPage class each. The pages keep their values in
// registered fields; this class turns them into the source's JSON (secrets as "keychain:" or
// "env:" references) or, for the connection test, into a SourceConfig carrying the typed
// secrets in memory only. Finish stores the secrets (keychain) and writes the configuration
// through ConfigWriter on a pool thread; sourceWritten() follows a successful write.
class SourceWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { PlatformId, ConnectionId, TestId, ResourcesId, DestinationsId, SchedulesId, SummaryId };
    enum class AuthKind { None, Bearer, ClientCredentials, Password };
    enum class SecretStore { Keychain, Environment };

    // `current` is the configuration in use (other sources' names and schedules), may be null.
    SourceWizard(const Config* current, QString configPath, QString dataDir, QWidget* parent = nullptr);

    // Turns the wizard into Source ▸ Edit… of `source`: pages prefilled, Finish replaces it.
    // Secrets typed anew replace the stored ones; left empty, the existing references stay.
    void editSource(const SourceConfig& source);
    const SourceConfig* edited() const { return m_edited ? &*m_edited : nullptr; }

    const Config* currentConfig() const { return m_current ? &*m_current : nullptr; }
    const QString& configPath() const { return m_configPath; }
    const QString& dataDir() const { return m_dataDir; }
    QString sourceName() const;
    Platform platform() const;
    AuthKind authKind() const;
    SecretStore secretStore() const;

    // The source as it will be written: secrets as references.
    QJsonObject sourceJson() const;
    // The source for SourceCheck: the secrets typed in the pages as in-memory text (or the
    // edited source's references where none was typed); resources as chosen so far.
    SourceConfig sourceForCheck() const;
    // The reference a secret field will be written as (empty: none).
    QString secretReference(const QString& field) const;

    // Filled by the Test connection page, read by the Resources page.
    void setMetadata(const Metadata& metadata) { m_metadata = metadata; }
    const Metadata& metadata() const { return m_metadata; }
    void setResources(const QList<ResourceConfig>& resources) { m_resources = resources; }
    const QList<ResourceConfig>& resources() const { return m_resources; }

    static QString envVariableName(const QString& source, const QString& field);

Q_SIGNALS:
    void sourceWritten(const QString& name, bool runFirstSync);

public Q_SLOTS:
    void accept() override;
    void reject() override; // ignored while Finish writes

private:
    void writeFinished(const QString& error);

    std::optional<Config> m_current;
    std::optional<SourceConfig> m_edited;
    QString m_configPath;
    QString m_dataDir;
    Metadata m_metadata;
    QList<ResourceConfig> m_resources;
    bool m_writing = false;
};

} // namespace ors
