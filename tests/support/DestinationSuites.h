#pragma once

// The fixtures of each backend's own destination suites (split by topic into several files):
// the plan of DestinationCases.h's kEdmx, a destination opened with its schema, and for MariaDB
// the test server's connection, its tables dropped before every test function.

#include "SqlTestBackend.h"

#include "destinations/MysqlDestination.h"
#include "destinations/SqliteDestination.h"

#include <QObject>
#include <QTemporaryDir>

#include <memory>

namespace ors::test {

class SqliteDestinationSuite : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

protected:
    // Opened and its schema ensured; null (and the reason logged) when either failed.
    std::unique_ptr<SqliteDestination> openDestination(const QString& path, const ResourcePlan& plan);
    // The same at m_path.
    std::unique_ptr<SqliteDestination> openDestination(const ResourcePlan& plan) {
        return openDestination(m_path, plan);
    }

    ResourcePlan m_plan;
    // dest.sqlite in a temporary directory of its own for every test function.
    QString m_path;

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

// Fails without ORS_TEST_MYSQL_* (scripts/test starts a MariaDB and sets them).
class MysqlDestinationSuite : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

protected:
    std::unique_ptr<MysqlDestination> openDestination(const ResourcePlan& plan);
    QStringList strings(const QString& sql, const QVariantList& binds = {}) {
        return m_db.strings(sql, binds);
    }
    bool exec(const QString& sql) { return m_db.exec(sql); }
    qint64 count(const QString& table) { return m_db.count(table); }
    QStringList check(const TablePlan& table, const QString& key, const QList<Expect>& expects) {
        return m_db.check(table, key, expects);
    }
    QStringList columnTypes(const QString& table) { return m_db.columnTypes(table); }
    // Runs `sql` as the server's root over its socket (ORS_TEST_MYSQL_SOCKET); the error, if any.
    static QString asRoot(const QString& sql);
    // A listing of kEdmx as JSON: its key, PublicRemarks and Media by key (MediaURL https://x/<key>).
    static QByteArray listing(const QByteArray& key, const QByteArray& remarks, const QByteArrayList& media);
    // The ids of the connections the test user has open on the server.
    QStringList connectionIds();

    MysqlTestBackend m_db;
    DestinationConfig m_config;
    QString m_password;
    ResourcePlan m_plan;
};

} // namespace ors::test
