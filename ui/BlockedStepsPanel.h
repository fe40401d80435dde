#pragma once

#include "config/Config.h"
#include "inspect/SourceStatus.h"

#include <QTimeZone>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace ors {

class MessageBanner;
enum class UnblockMode;

// A source's blocked steps and a refused purge, with what the user can do about them. A blocked
// process shows each failing step (resource, destination, file, failures, last error) and the
// actions Retry, Skip file and Discard batch (core's Unblock, which takes the source's lock; the
// two that drop data ask for an inline confirmation first), run on a pool thread. A purge whose
// last run was refused shows the dry-run summary and "Allow this once", which only emits
// allowPurgeOnceRequested: the window enqueues the purge. "Nothing blocked" when there is none.
class BlockedStepsPanel : public QWidget {
    Q_OBJECT
public:
    explicit BlockedStepsPanel(QWidget* parent = nullptr);

    void setSource(const SourceConfig& source, const QString& dataDir);
    void setDisplayZone(const QTimeZone& zone);
    QString source() const { return m_source.name; }
    const SourceStatus& status() const { return m_status; }
    bool isBusy() const { return m_busy; }
    // Whether anything is shown that needs the user (a blocked step or a refused purge).
    bool hasProblems() const;

public Q_SLOTS:
    // Reads the source's failures and last runs again (the window calls it after every job).
    void refresh();

Q_SIGNALS:
    void allowPurgeOnceRequested(const QString& source);
    // A refresh's answer is shown: the blocked steps counted, and whether the last purge was refused.
    void refreshed(const QString& source, int blockedSteps, bool purgeRefused);
    // An unblock action ended; `message` is core's summary or its error.
    void unblockFinished(const QString& source, bool ok, const QString& message);

private:
    void showStatus(const SourceStatus& status);
    void clearCards();
    QWidget* processCard(const QString& process, const QList<StepFailureStatus>& failures);
    QWidget* refusedPurgeCard(const LastRunStatus& run);
    void runUnblock(const QString& process, UnblockMode mode);
    QString timeText(const QString& stored) const;

    SourceConfig m_source;
    QString m_dataDir;
    SourceStatus m_status;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
    quint64 m_generation = 0;  // of refreshes
    quint64 m_sourceEpoch = 0; // of setSource calls
    bool m_busy = false;

    QLabel* m_state = nullptr;
    MessageBanner* m_banner = nullptr;
    QVBoxLayout* m_cards = nullptr;
};

} // namespace ors
