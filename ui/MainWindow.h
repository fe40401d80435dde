#pragma once

#include "config/Config.h"

#include <QMainWindow>

class QTreeWidget;
class QLabel;

namespace ors {

// The desktop window. For now it lists the configured sources; syncing from the window
// arrives with the next milestone (the CLI already does everything).
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    void showConfiguration(const Config* config, const QString& configPath, const QStringList& problems);

private:
    QTreeWidget* m_sources = nullptr;
    QLabel* m_status = nullptr;
};

} // namespace ors
