#pragma once

#include "config/Config.h"
#include "runner/SourceActivity.h"

#include <QDateTime>
#include <QHash>
#include <QPointer>
#include <QStringList>
#include <QTimeZone>
#include <QWidget>

class QLabel;
class QPushButton;
class QScrollArea;

namespace ors {

class FlowLayout;
class JobBoard;
class MessageBanner;
class SourceCard;

// The dashboard: a card per configured source (sources never run included) in a layout that
// reflows with the width, answering "is anything wrong? is it running? what runs next?" without
// a click. Live state comes from the window's JobBoard; the last runs and blocked steps from core
// (readSourceActivity) on a pool thread, read again after every finished job; next runs from the
// scheduler. Acts on nothing itself: Open, Sync now and Cancel go out as requests.
class DashboardPage : public QWidget {
    Q_OBJECT
public:
    // The board (this program's queue and scheduler, or an attached `serve`) outlives the page.
    explicit DashboardPage(const JobBoard* board, QWidget* parent = nullptr);

    void setSources(const Config& config, const QString& dataDir);
    // What the resources table found for a source, one line per disagreement ("Property: local
    // missing 12"), from counts it began taking at `measured`; empty when it all matches. Shown
    // as a badge on the source's card saying when, hidden while the source has a job running and
    // until counts taken after that job ended arrive (the window takes them after every job).
    void setDifferences(const QString& source, const QStringList& summary, const QDateTime& measured);
    void setDisplayZone(const QTimeZone& zone);
    // Fixes "now" for relative times (tests, screenshots).
    void setNow(const QDateTime& now);
    // "4 min ago" (the default) or the time itself for the cards' last runs.
    void setRelativeTimes(bool relative);
    // Reads the last runs and blocked steps again (on a pool thread).
    void refreshActivity();

    SourceCard* card(const QString& source) const { return m_cards.value(source); }
    QStringList sources() const { return m_order; }

Q_SIGNALS:
    // The empty dashboard's Add source button.
    void addSourceRequested();
    // The welcome's "Try with demo data": the sample RESO server on loopback with a demo source.
    void demoRequested();
    void runRequested(const QString& source, ors::ProcessType process);
    void cancelRequested(const QString& source);
    void openSourceRequested(const QString& source);
    // A read of the last runs was shown (or failed, with the error in the page's banner).
    void activityLoaded();

private:
    void updateJobs();
    void updateNextRuns();
    void updateSummary();
    void showActivity(const SourceActivities& activities);

    QPointer<const JobBoard> m_board;
    QString m_dataDir;
    std::optional<SqlServerConfig> m_stats; // where the runs are recorded (the configuration's "stats")
    QStringList m_order;
    QHash<QString, SourceCard*> m_cards;
    struct Differences {
        QStringList summary;
        QDateTime measured;
    };
    QHash<QString, Differences> m_differences;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
    bool m_zoneFixed = false;
    QDateTime m_fixedNow;
    bool m_relativeTimes = true;
    quint64 m_generation = 0;

    QLabel* m_summary = nullptr;
    MessageBanner* m_banner = nullptr;
    QScrollArea* m_scroll = nullptr;
    QWidget* m_cardArea = nullptr;
    FlowLayout* m_flow = nullptr;
    QLabel* m_empty = nullptr;
    QPushButton* m_addSource = nullptr;
    QPushButton* m_tryDemo = nullptr;
    QWidget* m_emptyState = nullptr; // the welcome: m_empty, m_addSource and m_tryDemo
};

} // namespace ors
