#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QIcon>
#include <QStringList>

#include <optional>

namespace ors {

// The entries of the window's navigation list: Dashboard, a "Sources" heading with one entry per
// source (named exactly as the source, with a state icon and the running job's percentage),
// Schedule, Jobs ("Jobs (N)" while jobs run or wait) and Logs. Each entry's accessible name is
// its plain name (`Jobs`, never `Jobs (2)`; the source's name without its percentage), so tests
// and assistive tools find it however the text changes. The heading is not selectable.
class NavigationModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum class Kind { Dashboard, SourcesHeading, Source, Schedule, Jobs, Logs };
    Q_ENUM(Kind)
    // What a source entry shows beside its name.
    enum class SourceState { Idle, Queued, Running, Failed, Paused };
    Q_ENUM(SourceState)

    enum Role { KindRole = Qt::UserRole + 1, PageKeyRole };

    explicit NavigationModel(QObject* parent = nullptr);

    void setSources(const QStringList& sources);
    QStringList sources() const { return m_sources; }
    // `percent` only while running and known.
    void setSourceState(const QString& source, SourceState state, std::optional<int> percent = std::nullopt);
    void setJobCount(int count);

    // A page's key: "dashboard", "schedule", "jobs", "logs", or "source:<name>".
    static QString sourceKey(const QString& source);
    QString pageKey(int row) const;
    int rowOfKey(const QString& key) const;
    Kind kind(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    struct State {
        SourceState state = SourceState::Idle;
        std::optional<int> percent;
    };
    QIcon stateIcon(SourceState state) const;
    QString stateText(SourceState state) const;

    QStringList m_sources;
    QHash<QString, State> m_states;
    int m_jobCount = 0;
};

} // namespace ors
