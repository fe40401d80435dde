#include "DestinationSuites.h"

#include "DestinationCases.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

namespace ors::test {

using namespace Qt::StringLiterals;

void SqliteDestinationSuite::initTestCase() {
    auto plan = planFromXml(kEdmx);
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.errorMessage()));
    m_plan = std::move(*plan);
    QCOMPARE(m_plan.children.size(), 1);
}

void SqliteDestinationSuite::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY2(m_dir->isValid(), qPrintable(m_dir->errorString()));
    m_path = m_dir->filePath(u"dest.sqlite"_s);
}

std::unique_ptr<SqliteDestination> SqliteDestinationSuite::openDestination(const QString& path,
                                                                           const ResourcePlan& plan) {
    return openWithSchema(std::make_unique<SqliteDestination>(u"test"_s, path), plan);
}

void MysqlDestinationSuite::initTestCase() {
    const QString problem = m_db.setUp();
    if (!problem.isEmpty())
        QFAIL(qPrintable(problem));
    m_config = m_db.config();
    m_password = m_db.password();
    auto plan = planFromXml(kEdmx);
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.errorMessage()));
    m_plan = std::move(*plan);
}

void MysqlDestinationSuite::init() {
    const QString problem = m_db.reset();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void MysqlDestinationSuite::cleanupTestCase() {
    m_db.tearDown();
}

std::unique_ptr<MysqlDestination> MysqlDestinationSuite::openDestination(const ResourcePlan& plan) {
    return openWithSchema(std::make_unique<MysqlDestination>(m_config, u"src"_s), plan);
}

QByteArray MysqlDestinationSuite::listing(const QByteArray& key, const QByteArray& remarks,
                                          const QByteArrayList& media) {
    QByteArrayList items;
    for (const QByteArray& m : media)
        items.append("{\"MediaKey\":\"" + m + "\",\"MediaURL\":\"https://x/" + m + "\"}");
    return "{\"ListingKey\":\"" + key + "\",\"PublicRemarks\":\"" + remarks + "\",\"Media\":[" +
           items.join(',') + "]}";
}

QStringList MysqlDestinationSuite::connectionIds() {
    return strings(u"SELECT ID FROM information_schema.PROCESSLIST WHERE USER = CURRENT_USER() "
                   "OR USER = SUBSTRING_INDEX(CURRENT_USER(), '@', 1)"_s);
}

QString MysqlDestinationSuite::asRoot(const QString& sql) {
    const QString socket = qEnvironmentVariable("ORS_TEST_MYSQL_SOCKET");
    if (socket.isEmpty())
        return u"ORS_TEST_MYSQL_SOCKET is not set (scripts/mariadb-test env)"_s;
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QMYSQL"_s, u"destination_suite_root"_s);
        db.setUserName(u"root"_s);
        db.setConnectOptions(u"UNIX_SOCKET="_s + socket);
        if (!db.open())
            error = db.lastError().text();
        else if (QSqlQuery q(db); !q.exec(sql))
            error = q.lastError().text();
        db.close();
    }
    QSqlDatabase::removeDatabase(u"destination_suite_root"_s);
    return error;
}

} // namespace ors::test
