// The shared SQL destination cases (support/SqlDestinationCases) against the test MariaDB
// (ORS_TEST_MYSQL_*; without them the suite fails, as tst_mysqldestination does).
#include "SqlDestinationCases.h"

int main(int argc, char** argv) {
    return ors::test::runSqlDestinationCases(std::make_unique<ors::test::MysqlTestBackend>(), argc, argv);
}
