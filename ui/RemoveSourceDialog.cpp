#include "RemoveSourceDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace ors {

namespace {

// A list under a choice, indented like the choice's text.
QLabel* listLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setContentsMargins(24, 0, 0, 6);
    return label;
}

QString bulleted(const QStringList& lines) {
    QStringList items;
    for (const QString& line : lines)
        items << QStringLiteral("• ") + line;
    return items.join(QLatin1Char('\n'));
}

} // namespace

RemoveSourceDialog::RemoveSourceDialog(SourceRemovalPlan plan, const QString& configPath, QWidget* parent)
    : QDialog(parent)
    , m_plan(std::move(plan)) {
    setObjectName(QStringLiteral("removeSourceDialog"));
    setWindowTitle(tr("Remove source %1").arg(m_plan.source));
    setAccessibleName(tr("Remove source"));

    auto* intro =
        new QLabel(tr("<b>%1</b> leaves the configuration file; the file as it is now is kept as "
                      "%2.bak.")
                       .arg(m_plan.source.toHtmlEscaped(), QFileInfo(configPath).fileName().toHtmlEscaped()),
                   this);
    intro->setWordWrap(true);

    m_keep = new QRadioButton(tr("&Keep its data"), this);
    m_keep->setObjectName(QStringLiteral("keepData"));
    m_keep->setAccessibleName(tr("Keep its data"));
    m_keep->setChecked(true);
    auto* keepNote = listLabel(this);
    keepNote->setText(tr("Its destination tables and its state in the data directory stay; added again "
                         "under this name, it resumes where it stopped."));

    m_delete = new QRadioButton(tr("Also &delete its data in the data directory"), this);
    m_delete->setObjectName(QStringLiteral("deleteData"));
    m_delete->setAccessibleName(tr("Delete its data"));
    m_dataList = listLabel(this);
    m_dataList->setObjectName(QStringLiteral("dataList"));
    m_dataList->setText(m_plan.dataPaths.isEmpty() ? tr("It has nothing there yet.")
                                                   : bulleted(m_plan.dataPaths));
    m_dataList->setToolTip(tr("The databases are shared by every source: only this source's rows go."));

    m_dropTables = new QCheckBox(tr("And d&rop its destination tables (the copied records)"), this);
    m_dropTables->setObjectName(QStringLiteral("dropTables"));
    m_dropTables->setAccessibleName(tr("Drop its destination tables"));
    m_tableList = listLabel(this);
    m_tableList->setObjectName(QStringLiteral("tableList"));
    QStringList tableLines = tablesToDrop();
    for (const DestinationTables& entry : std::as_const(m_plan.destinations))
        if (!entry.shared.isEmpty())
            tableLines << tr("kept, another source writes them too: %1 in %2")
                              .arg(entry.shared.join(QStringLiteral(", ")), entry.where);
    m_tableList->setText(tableLines.isEmpty() ? tr("It has no destination tables.") : bulleted(tableLines));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addSpacing(6);
    layout->addWidget(m_keep);
    layout->addWidget(keepNote);
    layout->addWidget(m_delete);
    layout->addWidget(m_dataList);
    layout->addWidget(m_dropTables);
    layout->addWidget(m_tableList);
    if (!m_plan.keychainKeys.isEmpty()) {
        m_keychain = new QCheckBox(tr("Delete its secrets from the keychain: %1")
                                       .arg(m_plan.keychainKeys.join(QStringLiteral(", "))),
                                   this);
        m_keychain->setObjectName(QStringLiteral("deleteKeychain"));
        m_keychain->setAccessibleName(tr("Delete its keychain entries"));
        layout->addWidget(m_keychain);
    }
    layout->addStretch(1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_remove = buttons->addButton(tr("&Remove"), QDialogButtonBox::DestructiveRole);
    m_remove->setObjectName(QStringLiteral("removeButton"));
    m_remove->setAccessibleName(tr("Remove source"));
    buttons->button(QDialogButtonBox::Cancel)->setAccessibleName(tr("Cancel"));
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    connect(m_remove, &QPushButton::clicked, this, &RemoveSourceDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &RemoveSourceDialog::reject);
    layout->addWidget(buttons);

    connect(m_delete, &QRadioButton::toggled, this, &RemoveSourceDialog::updateChoices);
    connect(m_dropTables, &QCheckBox::toggled, this, &RemoveSourceDialog::updateChoices);
    updateChoices();
    setMinimumWidth(560);
}

QStringList RemoveSourceDialog::tablesToDrop() const {
    QStringList lines;
    for (const DestinationTables& entry : m_plan.destinations) {
        QStringList tables;
        for (const QString& table : entry.tables)
            if (!entry.shared.contains(table))
                tables << table;
        if (!tables.isEmpty())
            lines << tr("%1 in %2 (destination %3)")
                         .arg(tables.join(QStringLiteral(", ")), entry.where, entry.destination);
    }
    return lines;
}

SourceRemovalOptions RemoveSourceDialog::options() const {
    SourceRemovalOptions options;
    options.deleteData = m_delete->isChecked();
    options.dropTables = options.deleteData && m_dropTables->isChecked();
    options.deleteKeychain = m_keychain && m_keychain->isChecked();
    return options;
}

void RemoveSourceDialog::updateChoices() {
    const bool deleting = m_delete->isChecked();
    m_dataList->setEnabled(deleting);
    m_dropTables->setEnabled(deleting && !tablesToDrop().isEmpty());
    m_tableList->setEnabled(deleting && m_dropTables->isChecked());
}

void RemoveSourceDialog::accept() {
    if (!options().dropTables || m_confirmed) {
        QDialog::accept();
        return;
    }
    auto* confirm = new QMessageBox(QMessageBox::Warning, tr("Drop tables of %1").arg(m_plan.source),
                                    tr("Drop these tables? Every record in them is deleted and cannot be "
                                       "brought back except by syncing again."),
                                    QMessageBox::Cancel, this);
    confirm->setObjectName(QStringLiteral("dropTablesConfirmation"));
    confirm->setAccessibleName(tr("Drop tables"));
    confirm->setInformativeText(bulleted(tablesToDrop()));
    QPushButton* drop = confirm->addButton(tr("&Drop tables"), QMessageBox::DestructiveRole);
    drop->setObjectName(QStringLiteral("confirmDropButton"));
    drop->setAccessibleName(tr("Drop tables"));
    confirm->button(QMessageBox::Cancel)->setAccessibleName(tr("Cancel"));
    confirm->setDefaultButton(QMessageBox::Cancel);
    confirm->setAttribute(Qt::WA_DeleteOnClose);
    confirm->setWindowModality(Qt::WindowModal);
    connect(confirm, &QMessageBox::buttonClicked, this, [this, drop](QAbstractButton* clicked) {
        if (clicked != drop)
            return;
        m_confirmed = true;
        accept();
    });
    confirm->open();
}

} // namespace ors
