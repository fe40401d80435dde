#include "DestinationSuites.h"

#include "DestinationCases.h"

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

} // namespace ors::test
