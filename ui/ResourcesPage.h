#pragma once

#include "config/Config.h"

#include <QHash>
#include <QWizardPage>

class QLabel;
class QLineEdit;
class QListWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace ors {

// Step 4: the resources to copy, from the entity sets of the $metadata the connection test
// fetched (each with its field and navigation counts). For the resource selected: an optional
// $filter, $select from a searchable list of its fields (none ticked: every field), and
// $expand from its navigation properties. Without $metadata (test skipped) the configured
// resources stay listed and more can be added by name.
class ResourcesPage : public QWizardPage {
    Q_OBJECT
public:
    explicit ResourcesPage(QWidget* parent = nullptr);
    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

private:
    void fillResources();
    void addResourceItem(const QString& name, int fields, int navigation, bool checked);
    void showResource(QTreeWidgetItem* item);
    void storeCurrent();
    void filterFields(const QString& text);
    QList<ResourceConfig> chosen() const;

    QTreeWidget* m_resources = nullptr;
    QLineEdit* m_addName = nullptr;
    QLabel* m_note = nullptr;
    QLabel* m_current = nullptr;
    QLineEdit* m_filter = nullptr;
    QLineEdit* m_search = nullptr;
    QListWidget* m_select = nullptr;
    QListWidget* m_expand = nullptr;
    QHash<QString, ResourceConfig> m_state;
    QString m_shown;
    bool m_loading = false;
};

} // namespace ors
