// The stats store's tables in each dialect: SQLite's migrations from version 0 (stats.sqlite files
// of every earlier program), and the MySQL/MariaDB and PostgreSQL schema, which starts at version 6.
#include "stats/StatsStore.h"

namespace ors {

namespace {

constexpr const char* kVersion1[] = {
    "CREATE TABLE run (id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, process TEXT NOT NULL, "
    "batch_id TEXT NOT NULL, started TEXT NOT NULL, finished TEXT, result TEXT NOT NULL, error TEXT)",
    "CREATE INDEX idx_run_source ON run (source, process, id)",
    "CREATE TABLE run_resource (run_id INTEGER NOT NULL, resource TEXT NOT NULL, records_downloaded INTEGER "
    "NOT NULL DEFAULT 0, expected_count INTEGER NOT NULL DEFAULT -1, pages INTEGER NOT NULL DEFAULT 0, "
    "PRIMARY KEY (run_id, resource))",
    "CREATE TABLE run_destination (run_id INTEGER NOT NULL, resource TEXT NOT NULL, destination TEXT NOT "
    "NULL, "
    "records_applied INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (run_id, resource, destination))",
    "CREATE TABLE failure (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER, time TEXT NOT NULL, "
    "source TEXT NOT NULL, process TEXT NOT NULL, resource TEXT, destination TEXT, step TEXT NOT NULL, "
    "message TEXT NOT NULL)",
    "CREATE INDEX idx_failure_source ON failure (source, id)",
};

// Per-hour request and byte counts show how much of each platform quota a source uses; events
// keep what went wrong without failing the run (a wrong @odata.count, an expired nextLink, a 429).
constexpr const char* kVersion2[] = {
    "CREATE TABLE usage_hour (source TEXT NOT NULL, hour TEXT NOT NULL, requests INTEGER NOT NULL "
    "DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0, throttled INTEGER NOT NULL DEFAULT 0, PRIMARY KEY "
    "(source, hour))",
    "CREATE TABLE event (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER, time TEXT NOT NULL, "
    "source TEXT NOT NULL, process TEXT NOT NULL, resource TEXT, kind TEXT NOT NULL, message TEXT NOT "
    "NULL)",
    "CREATE INDEX idx_event_source ON event (source, id)",
};

// Alert conditions that are open (raised, not yet recovered), one row each: the primary key is what
// keeps two processes that see one condition from both sending it. Failures in a row per process.
constexpr const char* kVersion3[] = {
    "CREATE TABLE alert_open (source TEXT NOT NULL, process TEXT NOT NULL, condition TEXT NOT NULL, "
    "subject TEXT NOT NULL, raised TEXT NOT NULL, message TEXT NOT NULL, PRIMARY KEY (source, process, "
    "condition, subject))",
    "CREATE TABLE alert_streak (source TEXT NOT NULL, process TEXT NOT NULL, failures INTEGER NOT NULL "
    "DEFAULT 0, PRIMARY KEY (source, process))",
};

// The programs that run a data directory's schedules (`serve`, the desktop window): each writes
// its row at start, refreshes `heartbeat` while it runs and sets `stopped` when it ends, so
// `status` can tell whether a scheduler runs (a row not stopped with a recent heartbeat) and
// since when, even after a crash left a row unstopped.
constexpr const char* kVersion4[] = {
    "CREATE TABLE instance (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, pid INTEGER NOT "
    "NULL, host TEXT NOT NULL, started TEXT NOT NULL, heartbeat TEXT NOT NULL, stopped TEXT)",
};

// Record counts over time (the MLS's, destination '', and each destination's) as `status` and the
// window's refresh see them, for the "MLS vs destination" chart; and when each resource's and
// destination's first and last page of a run were counted, for the durations in the history.
constexpr const char* kVersion5[] = {
    // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one statement over three lines
    "CREATE TABLE count_sample (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, source TEXT "
    "NOT NULL, resource TEXT NOT NULL, destination TEXT NOT NULL DEFAULT '', count INTEGER NOT NULL, "
    "newest TEXT)",
    "CREATE INDEX idx_count_sample_source ON count_sample (source, time)",
    "CREATE INDEX idx_run_started ON run (source, started)",
    "ALTER TABLE run_resource ADD COLUMN first_page TEXT",
    "ALTER TABLE run_resource ADD COLUMN last_page TEXT",
    "ALTER TABLE run_destination ADD COLUMN first_page TEXT",
    "ALTER TABLE run_destination ADD COLUMN last_page TEXT",
};

// Which machine ran a run, and which data directory an instance runs the schedules of: in a
// history several instances share (a "stats" server), the one `status` asks about is its own.
constexpr const char* kVersion6[] = {
    "ALTER TABLE run ADD COLUMN host TEXT",
    "ALTER TABLE instance ADD COLUMN data_dir TEXT",
};

// Append only: the position is the schema version files on disk carry.
constexpr SqlStore::Migration kSqlite[] = {kVersion1, kVersion2, kVersion3, kVersion4, kVersion5, kVersion6};

// A server database holds the stats store from version 6 on, so its whole schema is the step to
// version 6 (the steps before it have nothing to do). Later versions append a step here for each
// dialect as for SQLite. Key columns are VARCHARs short enough for InnoDB's 3,072-byte index keys
// in utf8mb4; text compares byte for byte (utf8mb4_bin, COLLATE "C") as in SQLite, so times written
// as ISO 8601 text sort as instants. MySQL runs its sessions with ANSI_QUOTES ("condition" is a
// reserved word there). Every statement may run twice: MySQL commits DDL one statement at a time.
constexpr const char* kMysqlVersion6[] = {
    "CREATE TABLE IF NOT EXISTS run (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, source VARCHAR(191) NOT "
    "NULL, process VARCHAR(32) NOT NULL, batch_id VARCHAR(64) NOT NULL, started VARCHAR(40) NOT NULL, "
    "finished "
    "VARCHAR(40), result VARCHAR(32) NOT NULL, error MEDIUMTEXT, host VARCHAR(255), INDEX idx_run_source "
    "(source, process, id), INDEX idx_run_started (source, started)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
    "COLLATE=utf8mb4_bin",
    "CREATE TABLE IF NOT EXISTS run_resource (run_id BIGINT NOT NULL, resource VARCHAR(191) NOT NULL, "
    "records_downloaded BIGINT NOT NULL DEFAULT 0, expected_count BIGINT NOT NULL DEFAULT -1, pages BIGINT "
    "NOT "
    "NULL DEFAULT 0, first_page VARCHAR(40), last_page VARCHAR(40), PRIMARY KEY (run_id, resource)) "
    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    "CREATE TABLE IF NOT EXISTS run_destination (run_id BIGINT NOT NULL, resource VARCHAR(191) NOT NULL, "
    "destination VARCHAR(191) NOT NULL, records_applied BIGINT NOT NULL DEFAULT 0, first_page VARCHAR(40), "
    "last_page VARCHAR(40), PRIMARY KEY (run_id, resource, destination)) ENGINE=InnoDB DEFAULT "
    "CHARSET=utf8mb4 "
    "COLLATE=utf8mb4_bin",
    "CREATE TABLE IF NOT EXISTS failure (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, run_id BIGINT, time "
    "VARCHAR(40) NOT NULL, source VARCHAR(191) NOT NULL, process VARCHAR(32) NOT NULL, resource "
    "VARCHAR(191), "
    "destination VARCHAR(191), step TEXT NOT NULL, message MEDIUMTEXT NOT NULL, INDEX idx_failure_source "
    "(source, id), INDEX idx_failure_run (run_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    "CREATE TABLE IF NOT EXISTS usage_hour (source VARCHAR(191) NOT NULL, hour VARCHAR(40) NOT NULL, "
    "requests "
    "BIGINT NOT NULL DEFAULT 0, bytes BIGINT NOT NULL DEFAULT 0, throttled BIGINT NOT NULL DEFAULT 0, "
    "PRIMARY "
    "KEY (source, hour)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    "CREATE TABLE IF NOT EXISTS event (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, run_id BIGINT, time "
    "VARCHAR(40) NOT NULL, source VARCHAR(191) NOT NULL, process VARCHAR(32) NOT NULL, resource "
    "VARCHAR(191), "
    "kind VARCHAR(64) NOT NULL, message MEDIUMTEXT NOT NULL, INDEX idx_event_source (source, id), INDEX "
    "idx_event_run (run_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    "CREATE TABLE IF NOT EXISTS alert_open (source VARCHAR(191) NOT NULL, process VARCHAR(32) NOT NULL, "
    "\"condition\" VARCHAR(64) NOT NULL, subject VARCHAR(400) NOT NULL, raised VARCHAR(40) NOT NULL, message "
    "MEDIUMTEXT NOT NULL, PRIMARY KEY (source, process, \"condition\", subject)) ENGINE=InnoDB DEFAULT "
    "CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    "CREATE TABLE IF NOT EXISTS alert_streak (source VARCHAR(191) NOT NULL, process VARCHAR(32) NOT NULL, "
    "failures BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (source, process)) ENGINE=InnoDB DEFAULT "
    "CHARSET=utf8mb4 "
    "COLLATE=utf8mb4_bin",
    "CREATE TABLE IF NOT EXISTS instance (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, kind VARCHAR(32) "
    "NOT "
    "NULL, pid BIGINT NOT NULL, host VARCHAR(255) NOT NULL, started VARCHAR(40) NOT NULL, heartbeat "
    "VARCHAR(40) "
    "NOT NULL, stopped VARCHAR(40), data_dir TEXT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    "CREATE TABLE IF NOT EXISTS count_sample (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, time "
    "VARCHAR(40) "
    "NOT NULL, source VARCHAR(191) NOT NULL, resource VARCHAR(191) NOT NULL, destination VARCHAR(191) NOT "
    "NULL "
    "DEFAULT '', count BIGINT NOT NULL, newest TEXT, INDEX idx_count_sample_source (source, time)) "
    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
};

// PostgreSQL runs the step in one transaction; the "IF NOT EXISTS" is for symmetry with MySQL.
constexpr const char* kPostgresVersion6[] = {
    "CREATE TABLE IF NOT EXISTS run (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, source TEXT "
    "COLLATE \"C\" NOT NULL, process TEXT COLLATE \"C\" NOT NULL, batch_id TEXT COLLATE \"C\" NOT NULL, "
    "started "
    "TEXT COLLATE \"C\" NOT NULL, finished TEXT COLLATE \"C\", result TEXT COLLATE \"C\" NOT NULL, error "
    "TEXT, "
    "host TEXT COLLATE \"C\")",
    "CREATE INDEX IF NOT EXISTS idx_run_source ON run (source, process, id)",
    "CREATE INDEX IF NOT EXISTS idx_run_started ON run (source, started)",
    "CREATE TABLE IF NOT EXISTS run_resource (run_id BIGINT NOT NULL, resource TEXT COLLATE \"C\" NOT NULL, "
    "records_downloaded BIGINT NOT NULL DEFAULT 0, expected_count BIGINT NOT NULL DEFAULT -1, pages BIGINT "
    "NOT "
    "NULL DEFAULT 0, first_page TEXT COLLATE \"C\", last_page TEXT COLLATE \"C\", PRIMARY KEY (run_id, "
    "resource))",
    "CREATE TABLE IF NOT EXISTS run_destination (run_id BIGINT NOT NULL, resource TEXT COLLATE \"C\" NOT "
    "NULL, "
    "destination TEXT COLLATE \"C\" NOT NULL, records_applied BIGINT NOT NULL DEFAULT 0, first_page TEXT "
    "COLLATE \"C\", last_page TEXT COLLATE \"C\", PRIMARY KEY (run_id, resource, destination))",
    "CREATE TABLE IF NOT EXISTS failure (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, run_id "
    "BIGINT, "
    "time TEXT COLLATE \"C\" NOT NULL, source TEXT COLLATE \"C\" NOT NULL, process TEXT COLLATE \"C\" NOT "
    "NULL, "
    "resource TEXT COLLATE \"C\", destination TEXT COLLATE \"C\", step TEXT NOT NULL, message TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS idx_failure_source ON failure (source, id)",
    "CREATE INDEX IF NOT EXISTS idx_failure_run ON failure (run_id)",
    "CREATE TABLE IF NOT EXISTS usage_hour (source TEXT COLLATE \"C\" NOT NULL, hour TEXT COLLATE \"C\" NOT "
    "NULL, "
    "requests BIGINT NOT NULL DEFAULT 0, bytes BIGINT NOT NULL DEFAULT 0, throttled BIGINT NOT NULL DEFAULT "
    "0, "
    "PRIMARY KEY (source, hour))",
    "CREATE TABLE IF NOT EXISTS event (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, run_id "
    "BIGINT, "
    "time TEXT COLLATE \"C\" NOT NULL, source TEXT COLLATE \"C\" NOT NULL, process TEXT COLLATE \"C\" NOT "
    "NULL, "
    "resource TEXT COLLATE \"C\", kind TEXT COLLATE \"C\" NOT NULL, message TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS idx_event_source ON event (source, id)",
    "CREATE INDEX IF NOT EXISTS idx_event_run ON event (run_id)",
    "CREATE TABLE IF NOT EXISTS alert_open (source TEXT COLLATE \"C\" NOT NULL, process TEXT COLLATE \"C\" "
    "NOT "
    "NULL, \"condition\" TEXT COLLATE \"C\" NOT NULL, subject TEXT COLLATE \"C\" NOT NULL, raised TEXT "
    "COLLATE "
    "\"C\" NOT NULL, message TEXT NOT NULL, PRIMARY KEY (source, process, \"condition\", subject))",
    "CREATE TABLE IF NOT EXISTS alert_streak (source TEXT COLLATE \"C\" NOT NULL, process TEXT COLLATE \"C\" "
    "NOT "
    "NULL, failures BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (source, process))",
    "CREATE TABLE IF NOT EXISTS instance (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, kind TEXT "
    "COLLATE \"C\" NOT NULL, pid BIGINT NOT NULL, host TEXT COLLATE \"C\" NOT NULL, started TEXT COLLATE "
    "\"C\" "
    "NOT NULL, heartbeat TEXT COLLATE \"C\" NOT NULL, stopped TEXT COLLATE \"C\", data_dir TEXT COLLATE "
    "\"C\")",
    "CREATE TABLE IF NOT EXISTS count_sample (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, time "
    "TEXT "
    "COLLATE \"C\" NOT NULL, source TEXT COLLATE \"C\" NOT NULL, resource TEXT COLLATE \"C\" NOT NULL, "
    "destination TEXT COLLATE \"C\" NOT NULL DEFAULT '', count BIGINT NOT NULL, newest TEXT COLLATE \"C\")",
    "CREATE INDEX IF NOT EXISTS idx_count_sample_source ON count_sample (source, time)",
};

constexpr SqlStore::Migration kNothing{};
constexpr SqlStore::Migration kMysql[] = {kNothing, kNothing, kNothing, kNothing, kNothing, kMysqlVersion6};
constexpr SqlStore::Migration kPostgres[] = {kNothing, kNothing, kNothing,
                                             kNothing, kNothing, kPostgresVersion6};
static_assert(std::size(kMysql) == std::size(kSqlite) && std::size(kPostgres) == std::size(kSqlite),
              "every dialect knows every schema version");

} // namespace

std::span<const SqlStore::Migration> StatsStore::migrations() {
    return kSqlite;
}

SqlStore::ServerSchema StatsStore::serverSchema(SqlDialect dialect) {
    // Not "schema_version": a name that generic may well be another program's in a shared database.
    return ServerSchema{QStringLiteral("ors_stats_version"),
                        {QStringLiteral("run"), QStringLiteral("run_resource"),
                         QStringLiteral("run_destination"), QStringLiteral("failure"),
                         QStringLiteral("usage_hour"), QStringLiteral("event"), QStringLiteral("alert_open"),
                         QStringLiteral("alert_streak"), QStringLiteral("instance"),
                         QStringLiteral("count_sample")},
                        dialect == SqlDialect::Postgresql ? std::span<const Migration>(kPostgres)
                                                          : std::span<const Migration>(kMysql)};
}

} // namespace ors
