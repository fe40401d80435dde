#pragma once

// The database servers the test scripts start (scripts/mariadb-test, scripts/postgres-test): where
// each is, read from its variables, and its control script.

#include <QList>
#include <QString>
#include <QVariant>

#include <optional>

class QSqlQuery;

namespace ors::test {

struct DatabaseServer {
    QString host;
    int port = 0;
    QString user;
    QString password;
    QString database;
    QString ctl; // control script: start | stop | kill | status
};

// The MariaDB of ORS_TEST_MYSQL_* and the PostgreSQL of ORS_TEST_PG_*.
using MysqlServer = DatabaseServer;
using PostgresServer = DatabaseServer;

// The server of <prefix>HOST/PORT/USER/PASSWORD/DATABASE/CTL; nullopt when HOST, PORT, USER or
// DATABASE is not set.
std::optional<DatabaseServer> databaseServer(const char* prefix);

// Runs "<ctl> command" and returns its exit code (-1 if it did not run or timed out); its stdout
// and stderr are appended to *output when given.
int databaseCtl(const DatabaseServer& server, const QString& command, QString* output = nullptr,
                int timeoutMs = 90000);

// Every row an executed query returns, each as its values in column order.
QList<QVariantList> allRows(QSqlQuery& query);

} // namespace ors::test
