#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace ors {

// An inline message above the window's content, instead of a modal dialog: errors of jobs
// and of the configuration, warnings, and short confirmations. Hidden while empty; the
// user can dismiss it. Each message may carry a key (e.g. a source name) so a later message
// about the same thing can replace it without hiding an error about something else.
class MessageBanner : public QFrame {
    Q_OBJECT
public:
    enum class Level { Info, Warning, Error };
    Q_ENUM(Level)

    explicit MessageBanner(QWidget* parent = nullptr);

    void showMessage(Level level, const QString& text, const QString& key = {});
    void clear();
    Level level() const { return m_level; }
    QString key() const { return m_key; }
    QString text() const;

private:
    QLabel* m_text = nullptr;
    QToolButton* m_close = nullptr;
    Level m_level = Level::Info;
    QString m_key;
};

} // namespace ors
