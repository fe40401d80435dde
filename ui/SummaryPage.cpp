#include "SummaryPage.h"

#include "SourceWizard.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace ors {

SummaryPage::SummaryPage(QWidget* parent)
    : QWizardPage(parent) {
    setTitle(tr("Summary"));
    setSubTitle(tr("The source as it will be written. Secrets appear only as references."));
    m_where = new QLabel;
    m_where->setObjectName(QStringLiteral("summaryWhere"));
    m_where->setAccessibleName(tr("Where it is written"));
    m_where->setWordWrap(true);
    m_where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_json = new QPlainTextEdit;
    m_json->setObjectName(QStringLiteral("summaryJson"));
    m_json->setAccessibleName(tr("Configuration to be written"));
    m_json->setReadOnly(true);
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_runFirst = new QCheckBox(tr("&Run the first sync when done"));
    m_runFirst->setObjectName(QStringLiteral("runFirstSync"));
    m_runFirst->setAccessibleName(tr("Run the first sync"));
    m_runFirst->setChecked(true);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("summaryStatus"));
    m_status->setAccessibleName(tr("Write status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_where);
    layout->addWidget(m_json, 1);
    layout->addWidget(m_runFirst);
    layout->addWidget(m_status);
    registerField(QStringLiteral("runFirstSync"), m_runFirst);
    setFinalPage(true);
}

void SummaryPage::initializePage() {
    auto* wizard = qobject_cast<SourceWizard*>(this->wizard());
    m_json->setPlainText(
        QString::fromUtf8(QJsonDocument(wizard->sourceJson()).toJson(QJsonDocument::Indented)));
    m_where->setText(
        tr("Finish checks the whole configuration and writes it to %1; the previous file is kept as "
           "%1.bak.")
            .arg(wizard->configPath()));
    m_status->clear();
    m_runFirst->setText(wizard->edited() ? tr("&Run a sync when done") : tr("&Run the first sync when done"));
    if (wizard->edited())
        m_runFirst->setChecked(false);
}

void SummaryPage::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setForegroundRole(error ? QPalette::BrightText : QPalette::WindowText);
    QFont font = m_status->font();
    font.setBold(error);
    m_status->setFont(font);
}

QString SummaryPage::json() const {
    return m_json->toPlainText();
}

QString SummaryPage::status() const {
    return m_status->text();
}

} // namespace ors
