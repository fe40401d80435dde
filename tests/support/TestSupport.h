#pragma once

#include "FakeResoServer.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <memory>

namespace ors::test {

struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool crashed = false;
};

// Environment for child processes: short retry waits so failure tests stay quick.
QProcessEnvironment cliEnvironment();
CliResult runCli(const QStringList& args, const QProcessEnvironment& env = cliEnvironment(),
                 int timeoutMs = 300000);
std::unique_ptr<QProcess> startCli(const QStringList& args,
                                   const QProcessEnvironment& env = cliEnvironment());

// A config with one source pointing at the server and one SQLite destination per path.
QJsonObject sourceConfig(const QString& name, const QString& serviceUrl, const QStringList& sqlitePaths,
                         int pageSize = 100);
QString writeConfig(const QString& dir, const QJsonObject& root);
QJsonObject configWith(const QJsonObject& source);

// Reads a whole table keyed by its key column.
QHash<QString, QVariantMap> readTable(const QString& sqlitePath, const QString& table,
                                      const QString& keyColumn);

// Compares a destination table with what the server serves, field by field, with the value
// contract of the destination (decimals digit for digit, timestamps as UTC ms Z, JSON as
// parsed JSON). Returns the differences found (at most `limit`), empty when equal.
QStringList compareWithServer(const fake::FakeResoServer& server, const QString& resource,
                              const QString& sqlitePath, const QString& table, const QString& keyField,
                              const QString& parentKeyColumn = {}, const QString& parentKeyField = {},
                              int limit = 20);

QStringList filesUnder(const QString& dir, const QString& pattern);

} // namespace ors::test
