#pragma once

#include "runner/SourceRemoval.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QPushButton;
class QRadioButton;

namespace ors {

// Source ▸ Remove…: what to do with the source's data. Keep it (only the configuration entry
// goes: its destination tables and its state in the data directory stay, so adding it again
// resumes where it stopped), or also delete its files and state in the data directory; with
// that, optionally drop its destination tables, each named with its destination, confirmed
// once more in a message box of its own; and delete its keychain entries. The dialog only
// chooses; the window does the work through core's SourceRemoval on a pool thread.
class RemoveSourceDialog : public QDialog {
    Q_OBJECT
public:
    RemoveSourceDialog(SourceRemovalPlan plan, const QString& configPath, QWidget* parent = nullptr);

    SourceRemovalOptions options() const;
    const SourceRemovalPlan& plan() const { return m_plan; }
    // The table list the drop confirmation names, one "Property, Media in sqlite … (destination
    // local)" line per destination; empty when no table would be dropped.
    QStringList tablesToDrop() const;

public Q_SLOTS:
    // With tables to drop, asks once more (a window-modal message box, objectName
    // "dropTablesConfirmation") before accepting.
    void accept() override;

private:
    void updateChoices();

    SourceRemovalPlan m_plan;
    QRadioButton* m_keep = nullptr;
    QRadioButton* m_delete = nullptr;
    QLabel* m_dataList = nullptr;
    QCheckBox* m_dropTables = nullptr;
    QLabel* m_tableList = nullptr;
    QCheckBox* m_keychain = nullptr;
    QPushButton* m_remove = nullptr;
    bool m_confirmed = false;
};

} // namespace ors
