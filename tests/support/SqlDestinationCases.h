#pragma once

// The cases every SQL destination runs (PostgreSQL joins by adding a backend): each suite
// tst_<backend>destination_cases runs this one list against its SqlTestBackend, and the
// backend's own suite keeps only what is specific to it (types, session, errors of its server).

#include "SqlTestBackend.h"

#include <QObject>

#include <memory>

namespace ors::test {

class SqlDestinationCases : public QObject {
    Q_OBJECT

public:
    explicit SqlDestinationCases(std::unique_ptr<SqlTestBackend> backend);
    ~SqlDestinationCases() override;

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void roundTrip_data();
    void roundTrip();
    void decimalsRoundedToScale_data();
    void decimalsRoundedToScale();
    void fullRecordWithMedia_data();
    void fullRecordWithMedia();
    void upsertReplacesValues();
    void childrenReplacedOnParentUpdate();
    void countAndNewestTimestamp();
    void dropTable();
    void metadataGrowth_data();
    void metadataGrowth();
    void dataDictionary_data();
    void dataDictionary();
    // Every field-mapping option (SqlDestinationMapping.cpp).
    // Schema cases (SqlDestinationSchema.cpp).
    void overflowRoundTrip_data();
    void overflowRoundTrip();
    void overflowGrowth();
    void metadataChanges();
    void valuesTooLong();
    void fieldMapping_data();
    void fieldMapping();
    void mappingRefusals_data();
    void mappingRefusals();
    void unmanagedSchema();
    void concurrentFirstOpen();
    void hostileMetadata();
    void fiveThousandFields();

private:
    // Opened and its schema ensured; null (and the reason logged) when either failed.
    std::unique_ptr<Destination> openDestination(const ResourcePlan& plan);
    // The column names of `table` as the backend declares them.
    QStringList columnNames(const QString& table);
    // What is wrong with how the record RT-1 with U+0000 in `field` was refused (empty: rightly).
    QString nulRefusal(const Expected<void>& result, const QString& field);
    // The fields of `table` the destination recorded as kept in _overflow.
    QStringList overflowFields(const QString& table);

    std::unique_ptr<SqlTestBackend> m_backend;
    ResourcePlan m_plan;
};

// main() of a cases suite: runs the list against `backend`.
int runSqlDestinationCases(std::unique_ptr<SqlTestBackend> backend, int argc, char** argv);

} // namespace ors::test
