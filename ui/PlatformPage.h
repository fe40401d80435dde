#pragma once

#include "config/Config.h"

#include <QWizardPage>

class QLabel;
class QLineEdit;
class QListWidget;

namespace ors {

// Step 1: the source's name and its platform. Each platform comes with a preset (the service
// URL pattern, how it authenticates, and the limits of its profile in core) that the Connection
// page takes over.
class PlatformPage : public QWizardPage {
    Q_OBJECT
public:
    struct Preset {
        Platform platform;
        QString serviceUrl;
        QString tokenUrl;
        int authKind; // SourceWizard::AuthKind
        QString note;
    };
    static QList<Preset> presets();
    static Platform platformAt(int row);

    explicit PlatformPage(QWidget* parent = nullptr);
    void prefill(const SourceConfig& source);
    bool isComplete() const override;
    bool validatePage() override;

private:
    void showPreset();

    QLineEdit* m_name = nullptr;
    QListWidget* m_platforms = nullptr;
    QLabel* m_details = nullptr;
    QLabel* m_problem = nullptr;
    bool m_editing = false;
};

} // namespace ors
