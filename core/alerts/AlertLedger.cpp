#include "alerts/AlertLedger.h"

#include "stats/StatsStore.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ors {

namespace {

Error queryError(const StatsStore& stats, const QString& what, const QSqlQuery& query) {
    return Error{QStringLiteral("stats store %1: %2: %3").arg(stats.path(), what, query.lastError().text())};
}

// A null QString binds as SQL NULL; the key columns hold "" for "none".
QString notNull(const QString& text) {
    return text.isNull() ? QStringLiteral("") : text;
}

} // namespace

Expected<bool> AlertLedger::raise(const Alert& alert) {
    QSqlQuery query(m_stats.database());
    query.prepare(
        QStringLiteral("INSERT INTO alert_open (source, process, condition, subject, raised, message) "
                       "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    query.addBindValue(alert.source);
    query.addBindValue(notNull(alert.process));
    query.addBindValue(alertConditionName(alert.condition));
    query.addBindValue(notNull(alert.subject));
    query.addBindValue(alert.time.toUTC().toString(Qt::ISODate));
    query.addBindValue(notNull(alert.message));
    if (!query.exec())
        return queryError(m_stats, QStringLiteral("recording alert"), query);
    return query.numRowsAffected() == 1;
}

Expected<bool> AlertLedger::clear(const QString& source, const QString& process, AlertCondition condition,
                                  const QString& subject) {
    QSqlQuery query(m_stats.database());
    query.prepare(QStringLiteral(
        "DELETE FROM alert_open WHERE source = ? AND process = ? AND condition = ? AND subject = ?"));
    query.addBindValue(source);
    query.addBindValue(notNull(process));
    query.addBindValue(alertConditionName(condition));
    query.addBindValue(notNull(subject));
    if (!query.exec())
        return queryError(m_stats, QStringLiteral("clearing alert"), query);
    return query.numRowsAffected() == 1;
}

Expected<QList<Alert>> AlertLedger::open(const QString& source, AlertCondition condition) {
    QSqlQuery query(m_stats.database());
    query.prepare(QStringLiteral("SELECT process, subject, raised, message FROM alert_open WHERE source = ? "
                                 "AND condition = ? ORDER BY process, subject"));
    query.addBindValue(source);
    query.addBindValue(alertConditionName(condition));
    if (!query.exec())
        return queryError(m_stats, QStringLiteral("reading open alerts"), query);
    QList<Alert> out;
    while (query.next()) {
        Alert alert;
        alert.source = source;
        alert.process = query.value(0).toString();
        alert.condition = condition;
        alert.subject = query.value(1).toString();
        alert.time = QDateTime::fromString(query.value(2).toString(), Qt::ISODate);
        alert.message = query.value(3).toString();
        out.append(alert);
    }
    return out;
}

Expected<int> AlertLedger::addFailure(const QString& source, const QString& process) {
    QSqlQuery query(m_stats.database());
    query.prepare(QStringLiteral("INSERT INTO alert_streak (source, process, failures) VALUES (?, ?, 1) "
                                 "ON CONFLICT (source, process) DO UPDATE SET failures = failures + 1 "
                                 "RETURNING failures"));
    query.addBindValue(source);
    query.addBindValue(process);
    if (!query.exec() || !query.next())
        return queryError(m_stats, QStringLiteral("counting failures"), query);
    const int failures = query.value(0).toInt();
    query.finish();
    return failures;
}

Expected<void> AlertLedger::resetFailures(const QString& source, const QString& process) {
    QSqlQuery query(m_stats.database());
    query.prepare(QStringLiteral("DELETE FROM alert_streak WHERE source = ? AND process = ?"));
    query.addBindValue(source);
    query.addBindValue(process);
    if (!query.exec())
        return queryError(m_stats, QStringLiteral("resetting failures"), query);
    return {};
}

Expected<std::optional<QDateTime>> AlertLedger::lastSuccessOrFirstTry(const QString& source,
                                                                      const QString& process) {
    QSqlQuery query(m_stats.database());
    query.prepare(QStringLiteral(
        "SELECT (SELECT MAX(finished) FROM run WHERE source = ? AND process = ? AND result = 'success'), "
        "(SELECT MIN(started) FROM run WHERE source = ? AND process = ?)"));
    for (int i = 0; i < 2; ++i) {
        query.addBindValue(source);
        query.addBindValue(process);
    }
    if (!query.exec() || !query.next())
        return queryError(m_stats, QStringLiteral("reading last successful run"), query);
    const QString text = query.value(0).isNull() ? query.value(1).toString() : query.value(0).toString();
    if (text.isEmpty())
        return std::optional<QDateTime>();
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        return Error{QStringLiteral("stats store %1: run time \"%2\" of %3 %4 is not ISO 8601")
                         .arg(m_stats.path(), text, source, process)};
    return std::optional<QDateTime>(time.toUTC());
}

} // namespace ors
