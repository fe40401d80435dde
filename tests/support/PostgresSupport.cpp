#include "PostgresSupport.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QDate>
#include <QSqlError>
#include <QSqlQuery>

namespace ors::test {

QString postgresSkipReason() {
    if (!qEnvironmentVariable("ORS_TEST_PG_HOST").isEmpty() ||
        qEnvironmentVariable("ORS_TEST_REQUIRE_POSTGRES") == QLatin1String("1"))
        return {};
    return QStringLiteral("ORS_TEST_PG_HOST is not set: this suite needs a PostgreSQL server "
                          "(eval \"$(ORS_POSTGRES_DIR=/tmp/ors-pg scripts/postgres-test start env)\", or "
                          "scripts/test, which starts one)");
}

PostgresConnection::PostgresConnection(const PostgresServer& server, const QString& database) {
    static QAtomicInt counter;
    m_name = QStringLiteral("test-pg-%1").arg(counter.fetchAndAddRelaxed(1));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
    if (!db.isValid()) {
        m_error = QStringLiteral("the Qt PostgreSQL driver (QPSQL, package libqt6sql6-psql) is missing");
        return;
    }
    db.setHostName(server.host);
    db.setPort(server.port);
    db.setUserName(server.user);
    db.setPassword(server.password);
    db.setDatabaseName(database);
    db.setConnectOptions(QStringLiteral("connect_timeout=5"));
    db.setNumericalPrecisionPolicy(QSql::HighPrecision);
    if (!db.open()) {
        m_error = QStringLiteral("cannot connect to PostgreSQL %1:%2/%3 as %4: %5")
                      .arg(server.host)
                      .arg(server.port)
                      .arg(database, server.user, db.lastError().text());
        return;
    }
    m_error = exec(QStringLiteral("SET TimeZone = 'UTC'"));
    if (m_error.isEmpty())
        m_error = exec(QStringLiteral("SET client_min_messages = warning"));
}

PostgresConnection::~PostgresConnection() {
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
}

QString PostgresConnection::exec(const QString& sql) {
    QSqlQuery query(db());
    if (query.exec(sql))
        return {};
    return query.lastError().text() + QStringLiteral(" in ") + sql.left(300);
}

QList<QVariantList> PostgresConnection::select(const QString& sql, const QVariantList& binds,
                                               QString* error) {
    QSqlQuery query(db());
    query.setForwardOnly(true);
    const bool ok = binds.isEmpty() ? query.exec(sql) : [&] {
        if (!query.prepare(sql))
            return false;
        for (const QVariant& bind : binds)
            query.addBindValue(bind);
        return query.exec();
    }();
    if (!ok) {
        if (error)
            *error = query.lastError().text() + QStringLiteral(" in ") + sql.left(300);
        return {};
    }
    if (error)
        error->clear();
    return allRows(query);
}

QString quotePostgresIdentifier(const QString& identifier) {
    return QLatin1Char('"') + QString(identifier).replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
           QLatin1Char('"');
}

PostgresTestDatabase::~PostgresTestDatabase() {
    if (name.isEmpty() || qEnvironmentVariable("ORS_TEST_KEEP_POSTGRES") == QLatin1String("1"))
        return;
    PostgresConnection control(server, server.database);
    if (control.ok())
        (void)control.exec(
            QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(quotePostgresIdentifier(name)));
}

QString PostgresTestDatabase::create(const PostgresServer& on, const QString& prefix) {
    static QAtomicInt counter;
    server = on;
    const QString wanted = QStringLiteral("ors_test_%1_%2_%3")
                               .arg(prefix)
                               .arg(QCoreApplication::applicationPid())
                               .arg(counter.fetchAndAddRelaxed(1))
                               .toLower();
    PostgresConnection control(server, server.database);
    if (!control.ok())
        return control.error();
    for (const QString& sql :
         {QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(quotePostgresIdentifier(wanted)),
          QStringLiteral("CREATE DATABASE %1").arg(quotePostgresIdentifier(wanted))})
        if (QString e = control.exec(sql); !e.isEmpty())
            return e;
    name = wanted;
    return {};
}

QHash<QString, QVariantMap> readPostgresTable(const PostgresServer& server, const QString& database,
                                              const QString& table, const QString& keyColumn, QString* error,
                                              QHash<QString, QString>* columnTypes) {
    QHash<QString, QVariantMap> rows;
    QString problem;
    PostgresConnection connection(server, database);
    if (!connection.ok()) {
        if (error)
            *error = connection.error();
        return rows;
    }
    const QList<QVariantList> columns = connection.select(
        QStringLiteral("SELECT a.attname::text, t.typname::text FROM pg_attribute a JOIN pg_class c ON "
                       "c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid WHERE c.relname = ? AND "
                       "c.relnamespace = current_schema()::regnamespace AND a.attnum > 0 AND NOT "
                       "a.attisdropped ORDER BY a.attnum"),
        {table}, &problem);
    if (problem.isEmpty() && columns.isEmpty())
        problem = QStringLiteral("table %1.%2 does not exist").arg(database, table);
    // The words of compareWithServerMysql's checks.
    static const QHash<QString, QString> words = {
        {QStringLiteral("float8"), QStringLiteral("double")},
        {QStringLiteral("float4"), QStringLiteral("float")},
        {QStringLiteral("numeric"), QStringLiteral("decimal")},
        {QStringLiteral("timestamptz"), QStringLiteral("datetime")},
        {QStringLiteral("jsonb"), QStringLiteral("json")},
        {QStringLiteral("bool"), QStringLiteral("boolean")},
    };
    QStringList select;
    QHash<QString, QString> types;
    for (const QVariantList& column : columns) {
        const QString name = column.at(0).toString();
        const QString type = column.at(1).toString();
        types.insert(name, words.value(type, type));
        const QString q = quotePostgresIdentifier(name);
        if (type == QLatin1String("timestamptz"))
            select.append(
                QStringLiteral("to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')").arg(q));
        else if (type == QLatin1String("bool"))
            select.append(QStringLiteral("%1::int").arg(q));
        else if (type == QLatin1String("numeric") || type == QLatin1String("jsonb") ||
                 type == QLatin1String("date"))
            select.append(QStringLiteral("%1::text").arg(q));
        else
            select.append(q);
    }
    if (problem.isEmpty()) {
        const QList<QVariantList> data =
            connection.select(QStringLiteral("SELECT %1 FROM %2")
                                  .arg(select.join(QStringLiteral(", ")), quotePostgresIdentifier(table)),
                              {}, &problem);
        for (const QVariantList& values : data) {
            QVariantMap row;
            for (int i = 0; i < columns.size(); ++i) {
                const QString name = columns.at(i).at(0).toString();
                QVariant value = values.at(i);
                if (!value.isNull() && columns.at(i).at(1).toString() == QLatin1String("date"))
                    value = QDate::fromString(value.toString(), Qt::ISODate);
                row.insert(name, value);
            }
            rows.insert(row.value(keyColumn).toString(), row);
        }
    }
    if (columnTypes)
        *columnTypes = types;
    if (error)
        *error = problem;
    return rows;
}

} // namespace ors::test
