#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace ors::bench {

// The benchmark results as text tables (sync runs, database references, purge and reconcile,
// the window's event loop) and the targets checked against them (docs/PERFORMANCE.md).
class ReportTable {
public:
    explicit ReportTable(QList<QJsonObject> results);

    QString text() const;
    // One object per check: {target, what, figure, limit, unit, met}.
    const QJsonArray& targets() const { return m_targets; }

private:
    QList<QJsonObject> select(const QString& bench) const;
    // The initial sync of the same destination and size as `result`, if one was run.
    std::optional<QJsonObject> matchingSync(const QJsonObject& result, const QString& syncCase) const;
    void addTarget(const QString& target, const QString& what, double figure, double limit,
                   const QString& unit, bool atMost);
    void checkTargets();
    QString syncSection() const;
    QString referenceSection() const;
    QString purgeSection() const;
    QString windowSection() const;
    QString targetSection() const;

    QList<QJsonObject> m_results;
    QJsonArray m_targets;
};

} // namespace ors::bench
