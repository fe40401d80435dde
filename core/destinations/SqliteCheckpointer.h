#pragma once

#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

struct sqlite3;

namespace ors {

// Copies a SQLite destination's committed WAL pages into its file on a thread of its own, over a
// connection of its own, so the writing connection's commits do not wait for checkpoints
// (docs/PERFORMANCE.md). A PASSIVE checkpoint never blocks the writer nor waits for it: what it
// cannot copy yet is left for the next request, or for the writing connection's close, which
// checkpoints the rest as before.
class SqliteCheckpointer final {
public:
    // Opens the file, which must exist and be in WAL mode; nullptr when it cannot (the caller
    // then keeps SQLite's own checkpoints).
    static std::unique_ptr<SqliteCheckpointer> start(const QString& path, int busyTimeoutMs);
    // Finishes a checkpoint under way, then closes its connection.
    ~SqliteCheckpointer();

    SqliteCheckpointer(const SqliteCheckpointer&) = delete;
    SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

    // A commit happened: checkpoint what it wrote, when the thread gets to it.
    void request();

private:
    explicit SqliteCheckpointer(sqlite3* db);
    void run();

    sqlite3* m_db = nullptr;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_requested = false;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace ors
