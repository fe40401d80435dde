#include "destinations/SqliteCheckpointer.h"

#include "logging/LogCategories.h"

#include <sqlite3.h>

namespace ors {

std::unique_ptr<SqliteCheckpointer> SqliteCheckpointer::start(const QString& path, int busyTimeoutMs) {
    sqlite3* db = nullptr;
    // No SQLITE_OPEN_CREATE: the writing connection made the file; a path gone since is no
    // reason to make an empty one.
    const int opened =
        sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (opened != SQLITE_OK) {
        qCWarning(lcDestination) << "no checkpoint thread for" << path << ":" << sqlite3_errmsg(db);
        sqlite3_close(db);
        return nullptr;
    }
    sqlite3_busy_timeout(db, busyTimeoutMs);
    // A connection learns the file is in WAL mode, and opens the WAL, only when it first reads;
    // until then a checkpoint does nothing (and says so only by its -1 counts).
    sqlite3_stmt* mode = nullptr;
    const bool wal = sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &mode, nullptr) == SQLITE_OK &&
                     sqlite3_step(mode) == SQLITE_ROW &&
                     qstrcmp(reinterpret_cast<const char*>(sqlite3_column_text(mode, 0)), "wal") == 0;
    sqlite3_finalize(mode);
    if (!wal) {
        qCWarning(lcDestination) << "no checkpoint thread for" << path
                                 << ": not in WAL mode:" << sqlite3_errmsg(db);
        sqlite3_close(db);
        return nullptr;
    }
    // Its own close must never checkpoint: it closes while the writing connection is still open,
    // which then checkpoints the rest at its own close.
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    return std::unique_ptr<SqliteCheckpointer>(new SqliteCheckpointer(db));
}

SqliteCheckpointer::SqliteCheckpointer(sqlite3* db)
    : m_db(db) {
    m_thread = std::thread([this] { run(); });
}

SqliteCheckpointer::~SqliteCheckpointer() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join();
    sqlite3_close(m_db);
}

void SqliteCheckpointer::request() {
    {
        std::lock_guard lock(m_mutex);
        m_requested = true;
    }
    m_wake.notify_one();
}

void SqliteCheckpointer::run() {
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_requested || m_stopping; });
            if (m_stopping)
                return;
            m_requested = false;
        }
        const int rc = sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        // BUSY: another checkpoint runs (a second source writing into the same file). Whatever
        // stopped it, the pages stay in the WAL for the next request or the writer's close.
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            qCDebug(lcDestination) << "background checkpoint:" << sqlite3_errstr(rc);
    }
}

} // namespace ors
