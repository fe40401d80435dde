#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace ors::bench {

// The benchmark results as text tables (sync runs, database references, purge and reconcile,
// the window's event loop) and the targets checked against them (docs/PERFORMANCE.md).
// Beside target 2's shares it prints the share this machine's CPU allows at most, since the fake
// server, the CLI and the database share its cores.
class ReportTable {
public:
    // `cores`: the machine's, for the CPU ceiling of target 2.
    ReportTable(QList<QJsonObject> results, int cores);

    QString text() const;
    // One object per check: {target, what, figure, limit, unit, met}.
    const QJsonArray& targets() const { return m_targets; }

private:
    QList<QJsonObject> select(const QString& bench) const;
    // The initial sync of the same destination and size as `result`, if one was run.
    std::optional<QJsonObject> matchingSync(const QJsonObject& result, const QString& syncCase) const;
    // The highest rate `sync` could have had on this machine: all the CPU it took (the CLI's, the
    // fake server's, the database server's) spread over every core with no wait at all; 0 when
    // the run did not record it.
    double cpuCeiling(const QJsonObject& sync) const;
    // `cpuCeiling` > 0: the share the run's CPU allows at most (target 2).
    void addTarget(const QString& target, const QString& what, double figure, double limit,
                   const QString& unit, bool atMost, double cpuCeiling = 0);
    void checkTargets();
    QString syncSection() const;
    QString referenceSection() const;
    QString purgeSection() const;
    QString windowSection() const;
    QString targetSection() const;

    QList<QJsonObject> m_results;
    int m_cores;
    QJsonArray m_targets;
};

} // namespace ors::bench
