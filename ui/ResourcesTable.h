#pragma once

#include "config/Config.h"
#include "QueryCancel.h"

#include <QTimeZone>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace ors {

class MessageBanner;
class ResourcesTableModel;
struct SourceStatus;

// A source's resources beside the MLS: per resource and destination the record count and newest
// timestamp held against the MLS's, and the difference worded ("missing 12", "newest 3 h
// behind"). Refresh runs core's status collection for the source on a pool thread (it does
// network and SQL) and swaps the rows in when it arrives; an answer for another source or an
// older request is dropped. The window calls refresh() after every job of the source.
class ResourcesTable : public QWidget {
    Q_OBJECT
public:
    explicit ResourcesTable(QWidget* parent = nullptr);

    // Shows nothing until refresh().
    void setSource(const SourceConfig& source, const QString& dataDir);
    void setDisplayZone(const QTimeZone& zone);
    QString source() const { return m_source.name; }
    const ResourcesTableModel* model() const { return m_model; }
    bool isLoading() const { return m_loading; }

public Q_SLOTS:
    void refresh();
    // Abandons a refresh still asking the MLS (the window quitting); its answer is not shown.
    void cancelRefresh();

Q_SIGNALS:
    // After each refresh: the rows not in sync, worded ("Property → local: missing 1"); empty
    // when every destination matches the MLS. `measured` is when the refresh began (UTC): the
    // counts are from then on, so a job of the source running then makes them out of date.
    void differencesChanged(const QString& source, const QStringList& summary, const QDateTime& measured);
    // A refresh's answer is shown.
    void refreshed();

private:
    void showStatus(const SourceStatus& status, const QDateTime& measured);

    SourceConfig m_source;
    QString m_dataDir;
    quint64 m_generation = 0;
    bool m_loading = false;
    QueryCancel m_cancel;
    QTimeZone m_zone = QTimeZone::systemTimeZone();

    ResourcesTableModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    QPushButton* m_refresh = nullptr;
    QLabel* m_state = nullptr;
    MessageBanner* m_banner = nullptr;
};

} // namespace ors
