#include "PlatformPage.h"

#include "reso/PlatformProfile.h"
#include "SourceWizard.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

namespace ors {

namespace {

QString platformTitle(Platform platform) {
    switch (platform) {
    case Platform::Trestle:
        return PlatformPage::tr("Trestle (CoreLogic)");
    case Platform::MlsGrid:
        return PlatformPage::tr("MLS Grid");
    case Platform::Bridge:
        return PlatformPage::tr("Bridge Interactive");
    case Platform::Spark:
        return PlatformPage::tr("Spark (FBS)");
    case Platform::Generic:
        break;
    }
    return PlatformPage::tr("Generic RESO Web API");
}

} // namespace

QList<PlatformPage::Preset> PlatformPage::presets() {
    using Kind = SourceWizard::AuthKind;
    return {
        {Platform::Trestle, QStringLiteral("https://api-trestle.corelogic.com/trestle/odata"),
         QStringLiteral("https://api-trestle.corelogic.com/trestle/oidc/connect/token"),
         int(Kind::ClientCredentials),
         tr("OAuth2 client credentials; replication through ?replication=true.")},
        {Platform::MlsGrid,
         QStringLiteral("https://api.mlsgrid.com/v2"),
         {},
         int(Kind::Bearer),
         tr("A bearer token; every request names the originating system.")},
        {Platform::Bridge,
         QStringLiteral("https://api.bridgedataoutput.com/api/v2/OData/<dataset>"),
         {},
         int(Kind::Bearer),
         tr("A server token per dataset; replace <dataset> with yours.")},
        {Platform::Spark,
         QStringLiteral("https://replication.sparkapi.com/Reso/OData"),
         {},
         int(Kind::Bearer),
         tr("An access token; replication runs on its own host.")},
        {Platform::Generic,
         QStringLiteral("https://"),
         {},
         int(Kind::ClientCredentials),
         tr("Any RESO Web API server: choose how it authenticates on the next page.")},
    };
}

Platform PlatformPage::platformAt(int row) {
    const QList<Preset> all = presets();
    return row >= 0 && row < all.size() ? all.at(row).platform : Platform::Generic;
}

PlatformPage::PlatformPage(QWidget* parent)
    : QWizardPage(parent) {
    setTitle(tr("Platform"));
    setSubTitle(tr("Name the source and choose the platform that serves it."));

    m_name = new QLineEdit;
    m_name->setObjectName(QStringLiteral("sourceName"));
    m_name->setAccessibleName(tr("Source name"));
    m_name->setPlaceholderText(tr("e.g. crmls"));
    m_name->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("[A-Za-z0-9][A-Za-z0-9_-]*")), m_name));
    m_platforms = new QListWidget;
    m_platforms->setObjectName(QStringLiteral("platformList"));
    m_platforms->setAccessibleName(tr("Platform"));
    for (const Preset& preset : presets())
        m_platforms->addItem(platformTitle(preset.platform));
    m_platforms->setCurrentRow(0);
    m_details = new QLabel;
    m_details->setObjectName(QStringLiteral("platformDetails"));
    m_details->setAccessibleName(tr("Platform details"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem = new QLabel;
    m_problem->setObjectName(QStringLiteral("platformProblem"));
    m_problem->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Source &name:"), m_name);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    // Five presets: the list as tall as its rows, the preset's details right under it rather
    // than at the foot of a mostly empty list.
    m_platforms->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_platforms->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
    layout->addWidget(m_platforms);
    layout->addWidget(m_details);
    layout->addWidget(m_problem);
    layout->addStretch(1);

    registerField(QStringLiteral("name*"), m_name);
    registerField(QStringLiteral("platform"), m_platforms, "currentRow", SIGNAL(currentRowChanged(int)));
    connect(m_platforms, &QListWidget::currentRowChanged, this, &PlatformPage::showPreset);
    connect(m_name, &QLineEdit::textChanged, this, [this] {
        m_problem->clear();
        Q_EMIT completeChanged();
    });
    showPreset();
}

void PlatformPage::prefill(const SourceConfig& source) {
    m_editing = true;
    m_name->setText(source.name);
    const QList<Preset> all = presets();
    for (int row = 0; row < all.size(); ++row)
        if (all.at(row).platform == source.platform)
            m_platforms->setCurrentRow(row);
}

void PlatformPage::showPreset() {
    const int row = m_platforms->currentRow();
    if (row < 0)
        return;
    const Preset preset = presets().at(row);
    const PlatformProfile profile = PlatformProfile::defaults(preset.platform);
    QString limits = tr("Pages of up to %1 records (%2 with $expand).")
                         .arg(profile.maxPageSize)
                         .arg(profile.maxPageSizeWithExpand);
    if (profile.rateLimit.perHour > 0)
        limits += QLatin1Char(' ') + tr("At most %1 requests an hour.").arg(profile.rateLimit.perHour);
    m_details->setText(tr("Service URL: %1\n%2\n%3").arg(preset.serviceUrl, preset.note, limits));
}

bool PlatformPage::isComplete() const {
    return !m_name->text().trimmed().isEmpty() && m_platforms->currentRow() >= 0;
}

bool PlatformPage::validatePage() {
    auto* wizard = qobject_cast<SourceWizard*>(this->wizard());
    const QString name = m_name->text().trimmed();
    const Config* config = wizard ? wizard->currentConfig() : nullptr;
    const bool renamedOnto = !wizard || !wizard->edited() || wizard->edited()->name != name;
    if (config && renamedOnto && config->source(name)) {
        m_problem->setText(tr("A source called %1 exists already.").arg(name));
        return false;
    }
    return true;
}

} // namespace ors
