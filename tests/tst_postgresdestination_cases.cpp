// The shared SQL destination cases (support/SqlDestinationCases) against the test PostgreSQL
// (ORS_TEST_PG_*; skipped without ORS_TEST_PG_HOST unless ORS_TEST_REQUIRE_POSTGRES=1, as
// scripts/test sets it).
#include "SqlDestinationCases.h"

int main(int argc, char** argv) {
    return ors::test::runSqlDestinationCases(std::make_unique<ors::test::PostgresTestBackend>(), argc, argv);
}
