#include "RecordInspectorPanel.h"

#include "inspect/RecordInspector.h"
#include "inspect/RecordValues.h"
#include "MessageBanner.h"
#include "RecordComparisonModel.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QTableWidget>
#include <QtConcurrent/QtConcurrentRun>
#include <QVBoxLayout>

namespace ors {

namespace {

QString differenceText(const FieldDifference& d) {
    switch (d.kind) {
    case DifferenceKind::MissingChild:
        return RecordInspectorPanel::tr("%1 missing").arg(d.field);
    case DifferenceKind::ExtraChild:
        return RecordInspectorPanel::tr("%1 held, no longer at the MLS").arg(d.field);
    case DifferenceKind::MissingField:
        return RecordInspectorPanel::tr("%1: no such column").arg(d.field);
    default:
        return RecordInspectorPanel::tr("%1: %2 (MLS: %3)")
            .arg(d.field, RecordValues::display(d.destination), RecordValues::display(d.mls));
    }
}

} // namespace

RecordInspectorPanel::RecordInspectorPanel(QWidget* parent)
    : QWidget(parent) {
    m_resource = new QComboBox(this);
    m_resource->setObjectName(QStringLiteral("recordResource"));
    m_resource->setAccessibleName(tr("Resource"));
    auto* resourceLabel = new QLabel(tr("&Resource:"), this);
    resourceLabel->setBuddy(m_resource);

    m_key = new QLineEdit(this);
    m_key->setObjectName(QStringLiteral("recordKey"));
    m_key->setAccessibleName(tr("Record key"));
    m_key->setPlaceholderText(tr("ListingKey, MemberKey, …"));
    m_key->setClearButtonEnabled(true);
    setFocusProxy(m_key); // Source ▸ Look up record… lands in the key field
    auto* keyLabel = new QLabel(tr("&Key:"), this);
    keyLabel->setBuddy(m_key);

    m_lookUp = new QPushButton(tr("Look up"), this);
    m_lookUp->setObjectName(QStringLiteral("lookUpButton"));
    m_lookUp->setAccessibleName(tr("Look up"));
    m_lookUp->setEnabled(false);

    m_onlyDifferences = new QCheckBox(tr("Only differences"), this);
    m_onlyDifferences->setObjectName(QStringLiteral("onlyDifferences"));
    m_onlyDifferences->setAccessibleName(tr("Only differences"));

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("recordSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_summary->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);

    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("recordBanner"));

    m_model = new RecordComparisonModel(this);
    m_fields = new QTableView(this);
    m_fields->setObjectName(QStringLiteral("recordFields"));
    m_fields->setAccessibleName(tr("Record fields"));
    m_fields->setAccessibleDescription(tr("One row per field: the MLS's value and each destination's"));
    m_fields->setModel(m_model);
    m_fields->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_fields->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_fields->setAlternatingRowColors(true);
    m_fields->setWordWrap(false);
    m_fields->verticalHeader()->hide();
    m_fields->verticalHeader()->setDefaultSectionSize(m_fields->fontMetrics().height() + 8);

    m_children = new QTableWidget(this);
    m_children->setObjectName(QStringLiteral("recordChildren"));
    m_children->setAccessibleName(tr("Owned children"));
    m_children->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_children->verticalHeader()->hide();
    m_children->verticalHeader()->setDefaultSectionSize(m_children->fontMetrics().height() + 8);
    m_children->horizontalHeader()->setStretchLastSection(true);

    m_childDifferences = new QListWidget(this);
    m_childDifferences->setObjectName(QStringLiteral("recordChildDifferences"));
    m_childDifferences->setAccessibleName(tr("Differences of owned children"));

    auto* childrenTitle = new QLabel(tr("Owned children"), this);
    childrenTitle->setBuddy(m_children);
    auto* childDifferencesTitle = new QLabel(tr("Differences of owned children"), this);
    childDifferencesTitle->setBuddy(m_childDifferences);

    auto* form = new QHBoxLayout;
    form->addWidget(resourceLabel);
    form->addWidget(m_resource);
    form->addWidget(keyLabel);
    form->addWidget(m_key, 1);
    form->addWidget(m_lookUp);
    form->addWidget(m_onlyDifferences);

    auto* lower = new QWidget(this);
    auto* lowerLayout = new QHBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    auto* childBox = new QVBoxLayout;
    childBox->addWidget(childrenTitle);
    childBox->addWidget(m_children);
    auto* differenceBox = new QVBoxLayout;
    differenceBox->addWidget(childDifferencesTitle);
    differenceBox->addWidget(m_childDifferences);
    lowerLayout->addLayout(childBox, 1);
    lowerLayout->addLayout(differenceBox, 1);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("recordSplitter"));
    splitter->addWidget(m_fields);
    splitter->addWidget(lower);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_banner);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);

    connect(m_lookUp, &QPushButton::clicked, this, &RecordInspectorPanel::lookUpEntered);
    connect(m_key, &QLineEdit::returnPressed, this, &RecordInspectorPanel::lookUpEntered);
    connect(m_key, &QLineEdit::textChanged, this, &RecordInspectorPanel::updateButton);
    connect(m_onlyDifferences, &QCheckBox::toggled, m_model, &RecordComparisonModel::setOnlyDifferences);
}

void RecordInspectorPanel::setSource(const SourceConfig& source, const QString& dataDir) {
    m_source = source;
    m_dataDir = dataDir;
    ++m_generation;
    m_loading = false;
    m_resource->clear();
    for (const ResourceConfig& resource : source.resources)
        m_resource->addItem(resource.name);
    m_model->setComparison({});
    m_children->clear();
    m_children->setRowCount(0);
    m_children->setColumnCount(0);
    m_childDifferences->clear();
    m_banner->clear();
    m_summary->setText(tr("Choose a resource, type a record's key and press Look up."));
    updateButton();
}

void RecordInspectorPanel::updateButton() {
    m_lookUp->setEnabled(!m_source.name.isEmpty() && !m_key->text().trimmed().isEmpty());
}

void RecordInspectorPanel::lookUp(const QString& resource, const QString& key) {
    const int index = m_resource->findText(resource);
    if (index >= 0)
        m_resource->setCurrentIndex(index);
    m_key->setText(key);
    // The resource as asked for, even one the picker lacks: core names it in its error.
    start(resource, key.trimmed());
}

void RecordInspectorPanel::lookUpEntered() {
    start(m_resource->currentText(), m_key->text().trimmed());
}

void RecordInspectorPanel::start(const QString& resource, const QString& key) {
    if (m_source.name.isEmpty() || key.isEmpty() || resource.isEmpty())
        return;
    const quint64 generation = ++m_generation;
    m_loading = true;
    m_summary->setText(tr("Loading %1 %2…").arg(resource, key));
    auto* watcher = new QFutureWatcher<RecordComparison>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // another lookup or another source is shown now
        m_loading = false;
        showComparison(watcher->result());
    });
    watcher->setFuture(
        QtConcurrent::run([source = m_source, dataDir = m_dataDir, resource, key, cancel = m_cancel.renew()] {
            return RecordInspector::inspect(source, dataDir, resource, key, cancel.get());
        }));
}

void RecordInspectorPanel::cancelLookUp() {
    m_cancel.cancel();
    ++m_generation;
    m_loading = false;
}

void RecordInspectorPanel::showComparison(const RecordComparison& comparison) {
    m_model->setComparison(comparison);
    // Field and Compared as wide as their text, the sides sharing the rest equally.
    QHeaderView* header = m_fields->horizontalHeader();
    for (int c = 0; c < m_model->columnCount(); ++c)
        header->setSectionResizeMode(c, c < RecordComparisonModel::MlsColumn ? QHeaderView::ResizeToContents
                                                                             : QHeaderView::Stretch);
    fillChildren(comparison);

    QStringList problems;
    if (!comparison.error.isEmpty())
        problems.append(comparison.error);
    if (!comparison.mlsError.isEmpty())
        problems.append(tr("MLS: %1").arg(comparison.mlsError));
    for (const DestinationRecord& d : comparison.destinations)
        if (!d.error.isEmpty())
            problems.append(tr("%1: %2").arg(d.name, d.error));
    if (problems.isEmpty())
        m_banner->clear();
    else
        m_banner->showMessage(MessageBanner::Level::Error, problems.join(QLatin1Char('\n')));

    if (!comparison.error.isEmpty()) {
        m_summary->setText(tr("%1 %2 could not be compared.").arg(comparison.resource, comparison.key));
        Q_EMIT lookedUp();
        return;
    }
    // Each side's state in words, so "not found" never hides in a header.
    QStringList sides;
    sides.append(!comparison.mlsError.isEmpty() ? tr("MLS: error")
                 : comparison.mlsFound          ? tr("MLS: found")
                                                : tr("MLS: not found"));
    const QLocale locale;
    for (const DestinationRecord& d : comparison.destinations) {
        if (!d.error.isEmpty())
            sides.append(tr("%1: error").arg(d.name));
        else if (!d.found)
            sides.append(tr("%1: not found").arg(d.name));
        else if (d.fieldsDiffering == 0 && d.childrenDiffering == 0)
            sides.append(tr("%1: same as the MLS").arg(d.name));
        else if (d.childrenDiffering == 0)
            sides.append(tr("%1: fields differing: %2").arg(d.name, locale.toString(d.fieldsDiffering)));
        else
            sides.append(
                tr("%1: fields differing: %2, owned children differing: %3")
                    .arg(d.name, locale.toString(d.fieldsDiffering), locale.toString(d.childrenDiffering)));
    }
    m_summary->setText(
        tr("%1 %2 = %3 · %4")
            .arg(comparison.resource, comparison.keyField, comparison.key, sides.join(tr(" · "))));
    Q_EMIT lookedUp();
}

void RecordInspectorPanel::fillChildren(const RecordComparison& comparison) {
    QStringList navigations;
    const auto addNames = [&navigations](const QList<ChildCount>& counts) {
        for (const ChildCount& c : counts)
            if (!navigations.contains(c.navigation))
                navigations.append(c.navigation);
    };
    addNames(comparison.mlsChildren);
    for (const DestinationRecord& d : comparison.destinations)
        addNames(d.children);

    QStringList headers{tr("Child"), tr("MLS")};
    for (const DestinationRecord& d : comparison.destinations)
        headers.append(d.name);
    m_children->clear();
    m_children->setColumnCount(int(headers.size()));
    m_children->setHorizontalHeaderLabels(headers);
    m_children->setRowCount(int(navigations.size()));
    const QLocale locale;
    const auto countOf = [](const QList<ChildCount>& counts, const QString& navigation) -> qsizetype {
        for (const ChildCount& c : counts)
            if (c.navigation == navigation)
                return c.count;
        return 0;
    };
    const auto numberItem = [](const QString& text) {
        auto* item = new QTableWidgetItem(text);
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        return item;
    };
    for (int row = 0; row < navigations.size(); ++row) {
        const QString& navigation = navigations.at(row);
        m_children->setItem(row, 0, new QTableWidgetItem(navigation));
        m_children->setItem(row, 1,
                            numberItem(comparison.mlsFound
                                           ? locale.toString(countOf(comparison.mlsChildren, navigation))
                                           : tr("—")));
        for (int i = 0; i < comparison.destinations.size(); ++i) {
            const DestinationRecord& d = comparison.destinations.at(i);
            if (!d.found) {
                m_children->setItem(row, 2 + i, numberItem(tr("—")));
                continue;
            }
            int differing = 0;
            for (const FieldDifference& difference : d.differences)
                if (difference.field.startsWith(navigation + QLatin1Char('[')))
                    ++differing;
            QString text = locale.toString(countOf(d.children, navigation));
            if (differing > 0)
                text = tr("%1 · differing: %2").arg(text, locale.toString(differing));
            auto* item = numberItem(text);
            if (differing > 0)
                item->setIcon(QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning));
            m_children->setItem(row, 2 + i, item);
        }
    }
    m_children->resizeColumnsToContents();

    m_childDifferences->clear();
    for (const DestinationRecord& d : comparison.destinations) {
        for (const FieldDifference& difference : d.differences)
            if (difference.field.contains(QLatin1Char('[')))
                m_childDifferences->addItem(tr("%1: %2").arg(d.name, differenceText(difference)));
        if (d.differencesOmitted > 0)
            m_childDifferences->addItem(
                tr("%1: more differences not listed: %2").arg(d.name, locale.toString(d.differencesOmitted)));
    }
    if (m_childDifferences->count() == 0)
        m_childDifferences->addItem(navigations.isEmpty() ? tr("No owned children") : tr("None"));
}

} // namespace ors
