#pragma once

#include "TestSupport.h"

#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace ors::test {

// What the suites that drive the real openresync-cli against a fake server hold: the server, a
// temporary folder with the config file and the data directory, and the source "mls" the config
// names. A suite derives its own fixture from it to add its destination paths.
struct CliFixture {
    std::unique_ptr<fake::FakeResoServer> server;
    QTemporaryDir dir;
    QString config;
    QString dataDir;

    // Starts a server with `options` and points dataDir at <dir>/data; false when the server
    // does not start.
    bool startServer(const fake::ServerOptions& options);
    QString path(const QString& name) const; // a file in the temporary folder
    // Writes the config file with `source` as its only source.
    void writeSource(const QJsonObject& source);

    QStringList args(const QStringList& command) const; // --config and --data-dir, then `command`
    // `process` (sync, purge, reconcile, ...) for the source "mls".
    CliResult run(const QString& process, const QProcessEnvironment& env = cliEnvironment(),
                  int timeoutMs = 300000) const;
    CliResult cli(const QStringList& command, const QProcessEnvironment& env = cliEnvironment()) const;
    // `process` for "mls", started and left running.
    std::unique_ptr<QProcess> launch(const QString& process,
                                     const QProcessEnvironment& env = cliEnvironment()) const;

    QString pageDir(const QString& resource = QStringLiteral("Property")) const; // downloaded pages of "mls"
    QStringList leftovers() const;                 // page files (*.json) still under the sources' folders
    QByteArray sourceLog() const;                  // the log of "mls" (ndjson), empty without one
    QStringList events(const QString& kind) const; // messages of the stats events of `kind`, in order
};

// A running `openresync-cli serve` on a fixture's config and data directory, whose stderr is
// collected as it arrives; killed (if still running) when it goes.
struct ServeProcess {
    std::unique_ptr<QProcess> process;
    QByteArray err;

    explicit ServeProcess(const CliFixture& f, const QProcessEnvironment& env = cliEnvironment());
    ~ServeProcess();
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    qint64 pid() const { return process->processId(); }
    // Until its stderr holds `text`; false when it did not within `timeoutMs`.
    bool waitFor(const QByteArray& text, int timeoutMs = 60000);
    void signal(int number) const;
    // SIGTERM, then its exit code once it ended within ten seconds; -1 otherwise.
    int terminate();
};

// Differences between a SQLite destination and the server: Property by ListingKey, its Media by
// MediaKey with the parent's ListingKey from ResourceRecordKey and, `withMember`, Member by MemberKey.
QStringList listingDifferences(const fake::FakeResoServer& server, const QString& sqlite,
                               bool withMember = false);

// A MariaDB database ors_test_<prefix>_<pid>_<n> for one fixture's destination "db", dropped with
// the fixture (kept with ORS_TEST_KEEP_MYSQL=1, to look into after a failure).
struct MysqlTestDatabase {
    MysqlServer server;
    QString name; // empty until created

    MysqlTestDatabase() = default;
    ~MysqlTestDatabase();
    MysqlTestDatabase(const MysqlTestDatabase&) = delete;
    MysqlTestDatabase& operator=(const MysqlTestDatabase&) = delete;

    // Creates the database afresh; false, with a warning, when it cannot.
    bool create(const MysqlServer& on, const QString& prefix);
    // Appends the destination "db" on this database to `source`, its password read from the
    // environment variable `passwordVariable`.
    void addDestination(QJsonObject& source, const QString& passwordVariable) const;
};

// A destination entry of the config on a test database server: `type` ("mysql", "postgresql") on
// `database`, its password read from the environment variable `passwordVariable`.
QJsonObject serverDestination(const QString& name, const QString& type, const DatabaseServer& server,
                              const QString& database, const QString& passwordVariable);

// The CLI's environment for a config with a destination on a test database server: the password
// only through the variable the config names (none of the server's variables, which start with
// `variablePrefix`), and a local time zone far from UTC, so that a timestamp written or read in
// local time cannot pass.
QProcessEnvironment serverCliEnvironment(const QString& variablePrefix, const QString& passwordVariable,
                                         const std::optional<DatabaseServer>& server);
inline QProcessEnvironment mysqlCliEnvironment(const QString& passwordVariable,
                                               const std::optional<MysqlServer>& server) {
    return serverCliEnvironment(QStringLiteral("ORS_TEST_MYSQL_"), passwordVariable, server);
}

} // namespace ors::test
