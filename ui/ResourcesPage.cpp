#include "ResourcesPage.h"

#include "SourceWizard.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ors {

namespace {

QListWidget* checkList(const QString& objectName, const QString& accessibleName) {
    auto* list = new QListWidget;
    list->setObjectName(objectName);
    list->setAccessibleName(accessibleName);
    return list;
}

QStringList checkedTexts(const QListWidget* list) {
    QStringList texts;
    for (int row = 0; row < list->count(); ++row)
        if (list->item(row)->checkState() == Qt::Checked)
            texts << list->item(row)->text();
    return texts;
}

} // namespace

ResourcesPage::ResourcesPage(QWidget* parent)
    : QWizardPage(parent) {
    setTitle(tr("Resources"));
    setSubTitle(tr("Tick the resources to copy. Select one to narrow it with a $filter, a $select of fields "
                   "or an $expand of related records."));
    m_resources = new QTreeWidget;
    m_resources->setObjectName(QStringLiteral("resourceList"));
    m_resources->setAccessibleName(tr("Resources"));
    m_resources->setHeaderLabels({tr("Resource"), tr("Fields"), tr("Related")});
    m_resources->setRootIsDecorated(false);
    m_resources->header()->setStretchLastSection(false);
    m_resources->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_resources->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_resources->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_addName = new QLineEdit;
    m_addName->setObjectName(QStringLiteral("addResourceName"));
    m_addName->setAccessibleName(tr("Add resource by name"));
    m_addName->setPlaceholderText(tr("Add a resource by name"));
    auto* add = new QPushButton(tr("&Add"));
    add->setObjectName(QStringLiteral("addResourceButton"));
    add->setAccessibleName(tr("Add resource"));
    m_note = new QLabel;
    m_note->setObjectName(QStringLiteral("resourcesNote"));
    m_note->setWordWrap(true);

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_resources, 1);
    auto* addRow = new QHBoxLayout;
    addRow->addWidget(m_addName, 1);
    addRow->addWidget(add);
    leftLayout->addLayout(addRow);
    leftLayout->addWidget(m_note);

    m_current = new QLabel;
    m_current->setObjectName(QStringLiteral("resourceShown"));
    m_filter = new QLineEdit;
    m_filter->setObjectName(QStringLiteral("resourceFilter"));
    m_filter->setAccessibleName(tr("Filter"));
    m_filter->setPlaceholderText(tr("e.g. StandardStatus eq 'Active'"));
    m_search = new QLineEdit;
    m_search->setObjectName(QStringLiteral("fieldSearch"));
    m_search->setAccessibleName(tr("Search fields"));
    m_search->setPlaceholderText(tr("Search fields"));
    m_search->setClearButtonEnabled(true);
    m_select = checkList(QStringLiteral("selectFields"), tr("Select fields"));
    m_expand = checkList(QStringLiteral("expandList"), tr("Expand"));
    m_expand->setMaximumHeight(120);

    auto* right = new QWidget;
    auto* form = new QFormLayout(right);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(m_current);
    form->addRow(tr("$&filter:"), m_filter);
    form->addRow(tr("$&select:"), m_search);
    form->addRow(QString(), m_select);
    form->addRow(tr("$e&xpand:"), m_expand);

    auto* splitter = new QSplitter;
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_resources, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        storeCurrent();
        showResource(item);
    });
    connect(m_resources, &QTreeWidget::itemChanged, this, [this] {
        if (!m_loading)
            Q_EMIT completeChanged();
    });
    connect(m_search, &QLineEdit::textChanged, this, &ResourcesPage::filterFields);
    auto addByName = [this] {
        const QString name = m_addName->text().trimmed();
        if (name.isEmpty() || !m_resources->findItems(name, Qt::MatchExactly).isEmpty())
            return;
        addResourceItem(name, -1, -1, true);
        m_addName->clear();
        Q_EMIT completeChanged();
    };
    connect(add, &QPushButton::clicked, this, addByName);
    connect(m_addName, &QLineEdit::returnPressed, this, addByName);
}

void ResourcesPage::initializePage() {
    auto* wizard = qobject_cast<SourceWizard*>(this->wizard());
    m_state.clear();
    for (const ResourceConfig& resource : wizard->resources())
        m_state.insert(resource.name, resource);
    fillResources();
}

void ResourcesPage::addResourceItem(const QString& name, int fields, int navigation, bool checked) {
    auto* item = new QTreeWidgetItem(m_resources);
    item->setText(0, name);
    item->setText(1, fields < 0 ? QStringLiteral("–") : QLocale().toString(fields));
    item->setText(2, navigation < 0 ? QStringLiteral("–") : QLocale().toString(navigation));
    item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(0, checked ? Qt::Checked : Qt::Unchecked);
}

void ResourcesPage::fillResources() {
    auto* wizard = qobject_cast<SourceWizard*>(this->wizard());
    const Metadata& metadata = wizard->metadata();
    m_loading = true;
    m_shown.clear();
    m_resources->clear();
    QStringList listed;
    QList<EntitySet> sets = metadata.entitySets;
    if (sets.isEmpty()) // servers without an EntityContainer: the type name is the resource
        for (const EntityType& type : metadata.entityTypes)
            sets.append(EntitySet{type.name, type.name});
    for (const EntitySet& set : sets) {
        const EntityType* type = metadata.entityTypeForResource(set.name);
        addResourceItem(set.name, type ? int(type->fields.size()) : -1,
                        type ? int(type->navigation.size()) : -1, m_state.contains(set.name));
        listed << set.name;
    }
    for (const ResourceConfig& resource : wizard->resources())
        if (!listed.contains(resource.name))
            addResourceItem(resource.name, -1, -1, true);
    m_note->setText(sets.isEmpty()
                        ? tr("No $metadata yet: test the connection to list the server's resources, "
                             "or add them by name.")
                        : (sets.size() == 1 ? tr("1 resource in the server's $metadata.")
                                            : tr("%1 resources in the server's $metadata.")
                                                  .arg(QLocale().toString(int(sets.size())))));
    m_loading = false;
    if (m_resources->topLevelItemCount() > 0)
        m_resources->setCurrentItem(m_resources->topLevelItem(0));
    else
        showResource(nullptr);
    Q_EMIT completeChanged();
}

void ResourcesPage::showResource(QTreeWidgetItem* item) {
    m_select->clear();
    m_expand->clear();
    m_search->clear();
    m_shown = item ? item->text(0) : QString();
    const bool any = item != nullptr;
    for (QWidget* w : std::initializer_list<QWidget*>{m_filter, m_search, m_select, m_expand})
        w->setEnabled(any);
    if (!any) {
        m_current->setText(tr("No resource selected."));
        m_filter->clear();
        return;
    }
    const ResourceConfig state = m_state.value(m_shown, ResourceConfig{m_shown, {}, {}, {}});
    m_current->setText(tr("<b>%1</b>").arg(m_shown.toHtmlEscaped()));
    m_filter->setText(state.filter);
    auto* wizard = qobject_cast<SourceWizard*>(this->wizard());
    const EntityType* type = wizard->metadata().entityTypeForResource(m_shown);
    QStringList fields;
    QStringList navigation;
    if (type) {
        for (const Field& field : type->fields)
            fields << field.name;
        for (const NavigationProperty& nav : type->navigation)
            navigation << nav.name;
    }
    for (const QString& name : state.select)
        if (!fields.contains(name))
            fields << name;
    for (const ExpandConfig& e : state.expand)
        if (!navigation.contains(e.name))
            navigation << e.name;
    for (const QString& name : std::as_const(fields)) {
        auto* entry = new QListWidgetItem(name, m_select);
        entry->setFlags(entry->flags() | Qt::ItemIsUserCheckable);
        entry->setCheckState(state.select.contains(name) ? Qt::Checked : Qt::Unchecked);
    }
    for (const QString& name : std::as_const(navigation)) {
        auto* entry = new QListWidgetItem(name, m_expand);
        entry->setFlags(entry->flags() | Qt::ItemIsUserCheckable);
        bool expanded = false;
        for (const ExpandConfig& e : state.expand)
            expanded = expanded || e.name == name;
        entry->setCheckState(expanded ? Qt::Checked : Qt::Unchecked);
    }
}

void ResourcesPage::storeCurrent() {
    if (m_shown.isEmpty())
        return;
    ResourceConfig state{m_shown, m_filter->text().trimmed(), checkedTexts(m_select), {}};
    for (const QString& name : checkedTexts(m_expand))
        state.expand.append(ExpandConfig{name, true});
    m_state.insert(m_shown, state);
}

void ResourcesPage::filterFields(const QString& text) {
    for (int row = 0; row < m_select->count(); ++row)
        m_select->item(row)->setHidden(!m_select->item(row)->text().contains(text, Qt::CaseInsensitive));
}

QList<ResourceConfig> ResourcesPage::chosen() const {
    QList<ResourceConfig> list;
    for (int row = 0; row < m_resources->topLevelItemCount(); ++row) {
        const QTreeWidgetItem* item = m_resources->topLevelItem(row);
        if (item->checkState(0) == Qt::Checked)
            list.append(m_state.value(item->text(0), ResourceConfig{item->text(0), {}, {}, {}}));
    }
    return list;
}

bool ResourcesPage::isComplete() const {
    for (int row = 0; row < m_resources->topLevelItemCount(); ++row)
        if (m_resources->topLevelItem(row)->checkState(0) == Qt::Checked)
            return true;
    return false;
}

bool ResourcesPage::validatePage() {
    storeCurrent();
    qobject_cast<SourceWizard*>(wizard())->setResources(chosen());
    return true;
}

} // namespace ors
