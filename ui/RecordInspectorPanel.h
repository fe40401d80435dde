#pragma once

#include "config/Config.h"
#include "QueryCancel.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableView;
class QTableWidget;

namespace ors {

class MessageBanner;
class RecordComparisonModel;
struct RecordComparison;

// One record as the MLS serves it beside every destination's copy (core's RecordInspector, what
// `openresync-cli record` runs): a resource picker, the key (`Record key`) and `Look up`; the
// fields side by side with differing cells marked, "Only differences", the owned children with
// their counts and differences, and "not found" per side. The lookup runs on a pool thread; an
// answer for another source or an older lookup is dropped.
class RecordInspectorPanel : public QWidget {
    Q_OBJECT
public:
    explicit RecordInspectorPanel(QWidget* parent = nullptr);

    void setSource(const SourceConfig& source, const QString& dataDir);
    QString source() const { return m_source.name; }
    const RecordComparisonModel* model() const { return m_model; }
    bool isLoading() const { return m_loading; }

public Q_SLOTS:
    // Fills the picker and the key and looks the record up (the Source menu's entry).
    void lookUp(const QString& resource, const QString& key);
    // Looks up what the picker and the key field hold.
    void lookUpEntered();
    // Abandons a lookup still asking the MLS (the window quitting); its answer is not shown.
    void cancelLookUp();

Q_SIGNALS:
    // A lookup's answer is shown.
    void lookedUp();

private:
    void start(const QString& resource, const QString& key);
    void showComparison(const RecordComparison& comparison);
    void fillChildren(const RecordComparison& comparison);
    void updateButton();

    SourceConfig m_source;
    QString m_dataDir;
    quint64 m_generation = 0;
    bool m_loading = false;
    QueryCancel m_cancel;

    QComboBox* m_resource = nullptr;
    QLineEdit* m_key = nullptr;
    QPushButton* m_lookUp = nullptr;
    QCheckBox* m_onlyDifferences = nullptr;
    QLabel* m_summary = nullptr;
    MessageBanner* m_banner = nullptr;
    RecordComparisonModel* m_model = nullptr;
    QTableView* m_fields = nullptr;
    QTableWidget* m_children = nullptr;
    QListWidget* m_childDifferences = nullptr;
};

} // namespace ors
