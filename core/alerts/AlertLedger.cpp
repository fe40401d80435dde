#include "alerts/AlertLedger.h"

#include "stats/StatsStore.h"

#include <QSqlQuery>
#include <QVariant>

namespace ors {

namespace {

// A null QString binds as SQL NULL; the key columns hold "" for "none".
QString notNull(const QString& text) {
    return text.isNull() ? QStringLiteral("") : text;
}

} // namespace

Expected<bool> AlertLedger::raise(const Alert& alert) {
    // One statement: of two programs raising one condition, the one whose row went in tells it.
    // MySQL's no-op update reports 0 rows changed for the one whose row was there already.
    const QString sql =
        QStringLiteral(
            "INSERT INTO alert_open (source, process, \"condition\", subject, raised, message) VALUES "
            "(?, ?, ?, ?, ?, ?) %1")
            .arg(m_stats.dialect() == SqlDialect::Mysql
                     ? QStringLiteral("ON DUPLICATE KEY UPDATE source = source")
                     : QStringLiteral("ON CONFLICT DO NOTHING"));
    auto query = m_stats.run(sql,
                             {alert.source, notNull(alert.process), alertConditionName(alert.condition),
                              notNull(alert.subject), alert.time.toUTC().toString(Qt::ISODate),
                              notNull(alert.message)},
                             QStringLiteral("recording alert"));
    if (!query)
        return query.error();
    return query->numRowsAffected() == 1;
}

Expected<bool> AlertLedger::clear(const QString& source, const QString& process, AlertCondition condition,
                                  const QString& subject) {
    auto query = m_stats.run(QStringLiteral("DELETE FROM alert_open WHERE source = ? AND process = ? AND "
                                            "\"condition\" = ? AND subject = ?"),
                             {source, notNull(process), alertConditionName(condition), notNull(subject)},
                             QStringLiteral("clearing alert"));
    if (!query)
        return query.error();
    return query->numRowsAffected() == 1;
}

Expected<QList<Alert>> AlertLedger::open(const QString& source, AlertCondition condition) {
    auto query = m_stats.run(QStringLiteral("SELECT process, subject, raised, message FROM alert_open WHERE "
                                            "source = ? AND \"condition\" = ? ORDER BY process, subject"),
                             {source, alertConditionName(condition)}, QStringLiteral("reading open alerts"));
    if (!query)
        return query.error();
    QList<Alert> out;
    while (query->next()) {
        Alert alert;
        alert.source = source;
        alert.process = query->value(0).toString();
        alert.condition = condition;
        alert.subject = query->value(1).toString();
        alert.time = QDateTime::fromString(query->value(2).toString(), Qt::ISODate);
        alert.message = query->value(3).toString();
        out.append(alert);
    }
    return out;
}

Expected<int> AlertLedger::addFailure(const QString& source, const QString& process) {
    // The count is raised and read in one transaction, so two programs failing at once get 1 and 2.
    int failures = 0;
    auto added = m_stats.inTransaction(QStringLiteral("counting failures"), [&]() -> Expected<void> {
        QString sql =
            QStringLiteral("INSERT INTO alert_streak (source, process, failures) VALUES (?, ?, 1) %1 "
                           "failures = alert_streak.failures + 1")
                .arg(m_stats.onConflictUpdate(QStringLiteral("source, process")));
        const bool returning = m_stats.dialect() != SqlDialect::Mysql;
        if (returning)
            sql += QStringLiteral(" RETURNING failures");
        auto query = m_stats.run(sql, {source, process}, QStringLiteral("counting failures"));
        if (!query)
            return query.error();
        if (!returning)
            query = m_stats.run(
                QStringLiteral("SELECT failures FROM alert_streak WHERE source = ? AND process = ?"),
                {source, process}, QStringLiteral("counting failures"));
        if (!query)
            return query.error();
        if (!query->next())
            return m_stats.sqlError(QStringLiteral("counting failures"), QStringLiteral("no row"));
        failures = query->value(0).toInt();
        query->finish();
        return {};
    });
    if (!added)
        return added.error();
    return failures;
}

Expected<void> AlertLedger::resetFailures(const QString& source, const QString& process) {
    return m_stats.exec(QStringLiteral("DELETE FROM alert_streak WHERE source = ? AND process = ?"),
                        {source, process}, QStringLiteral("resetting failures"));
}

Expected<std::optional<QDateTime>> AlertLedger::lastSuccessOrFirstTry(const QString& source,
                                                                      const QString& process) {
    auto query = m_stats.run(
        QStringLiteral("SELECT (SELECT MAX(finished) FROM run WHERE source = ? AND process = ? AND result = "
                       "'success'), (SELECT MIN(started) FROM run WHERE source = ? AND process = ?)"),
        {source, process, source, process}, QStringLiteral("reading last successful run"));
    if (!query)
        return query.error();
    if (!query->next())
        return m_stats.sqlError(QStringLiteral("reading last successful run"), QStringLiteral("no row"));
    const QString text = query->value(0).isNull() ? query->value(1).toString() : query->value(0).toString();
    if (text.isEmpty())
        return std::optional<QDateTime>();
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        return Error{QStringLiteral("stats store %1: run time \"%2\" of %3 %4 is not ISO 8601")
                         .arg(m_stats.where(), text, source, process)};
    return std::optional<QDateTime>(time.toUTC());
}

} // namespace ors
