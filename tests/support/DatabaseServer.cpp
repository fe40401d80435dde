#include "DatabaseServer.h"

#include <QProcess>
#include <QSqlQuery>
#include <QSqlRecord>

namespace ors::test {

std::optional<DatabaseServer> databaseServer(const char* prefix) {
    const auto variable = [prefix](const char* name) { return QByteArray(QByteArray(prefix) + name); };
    DatabaseServer server;
    server.host = qEnvironmentVariable(variable("HOST").constData());
    server.port = qEnvironmentVariableIntValue(variable("PORT").constData());
    server.user = qEnvironmentVariable(variable("USER").constData());
    server.password = qEnvironmentVariable(variable("PASSWORD").constData());
    server.database = qEnvironmentVariable(variable("DATABASE").constData());
    server.ctl = qEnvironmentVariable(variable("CTL").constData());
    if (server.host.isEmpty() || server.port <= 0 || server.user.isEmpty() || server.database.isEmpty())
        return std::nullopt;
    return server;
}

int databaseCtl(const DatabaseServer& server, const QString& command, QString* output, int timeoutMs) {
    if (server.ctl.isEmpty()) {
        if (output)
            output->append(QStringLiteral("the server's control script (ORS_TEST_*_CTL) is not set"));
        return -1;
    }
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(server.ctl, {command});
    if (!process.waitForStarted(10000)) {
        if (output)
            output->append(QStringLiteral("cannot run %1: %2").arg(server.ctl, process.errorString()));
        return -1;
    }
    process.closeWriteChannel();
    const bool finished = process.waitForFinished(timeoutMs);
    if (!finished) {
        process.kill();
        process.waitForFinished();
    }
    if (output)
        output->append(QString::fromLocal8Bit(process.readAll()));
    if (!finished || process.exitStatus() != QProcess::NormalExit)
        return -1;
    return process.exitCode();
}

QList<QVariantList> allRows(QSqlQuery& query) {
    QList<QVariantList> rows;
    // Once: the driver builds the whole record (every field) on each record() call.
    const int columns = query.record().count();
    while (query.next()) {
        QVariantList row;
        for (int i = 0; i < columns; ++i)
            row.append(query.value(i));
        rows.append(row);
    }
    return rows;
}

} // namespace ors::test
