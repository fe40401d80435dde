// The shared SQL destination cases (support/SqlDestinationCases) against SQLite.
#include "SqlDestinationCases.h"

int main(int argc, char** argv) {
    return ors::test::runSqlDestinationCases(std::make_unique<ors::test::SqliteTestBackend>(), argc, argv);
}
