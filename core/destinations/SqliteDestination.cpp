#include "destinations/SqliteDestination.h"

#include "destinations/SqliteCheckpointer.h"

#include "logging/LogCategories.h"
#include "util/PrivateFiles.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QThread>

#include <algorithm>
#include <sqlite3.h>

namespace ors {

SqliteDestination::SqliteDestination(QString name, QString path)
    : m_name(std::move(name))
    , m_path(std::move(path)) {}

SqliteDestination::~SqliteDestination() {
    // Its connection closes first: the writer's close then checkpoints what is left and removes
    // the WAL, as the last connection to the file.
    m_checkpointer.reset();
    // Before the base class closes the connection the statements belong to.
    for (sqlite3_stmt* stmt : std::as_const(m_statements))
        sqlite3_finalize(stmt);
    m_statements.clear();
    m_db = nullptr;
}

int SqliteDestination::checkpointPages(int pageSize) {
    return int(qint64(kCheckpointKib) * 1024 / std::max(512, pageSize));
}

QString SqliteDestination::quote(const QString& identifier) {
    QString quoted = identifier;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString SqliteDestination::sqlType(ColumnStorage storage) {
    switch (storage) {
    case ColumnStorage::Integer:
    case ColumnStorage::Boolean:
        return QStringLiteral("INTEGER");
    case ColumnStorage::Real:
        return QStringLiteral("REAL");
    default:
        // Decimals included: TEXT affinity keeps the digits exactly as the server sent them.
        return QStringLiteral("TEXT");
    }
}

QString SqliteDestination::lastError() const {
    return m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("not open");
}

bool SqliteDestination::hasTable(const QString& table) {
    if (m_missing)
        return false;
    QSqlQuery query(connection());
    query.prepare(QStringLiteral("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"));
    query.addBindValue(table);
    return query.exec() && query.next();
}

Expected<void> SqliteDestination::open() {
    if (m_readOnly && !QFileInfo::exists(m_path)) {
        m_missing = true;
        return {};
    }
    // Created 0600 before SQLite opens it: its -wal and -shm files then get the same mode. A file
    // that already exists outside the data directory is the user's and keeps its mode.
    if (!m_readOnly)
        if (auto r = PrivateFiles::createFile(m_path); !r)
            return r;
    QSqlDatabase db = addConnection(QStringLiteral("QSQLITE"), QStringLiteral("ors-sqlite"), m_name);
    db.setDatabaseName(m_path);
    const QString busy = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs);
    db.setConnectOptions(m_readOnly ? busy + QStringLiteral(";QSQLITE_OPEN_READONLY") : busy);
    if (!db.open())
        return makeError(QStringLiteral("destination %1 (%2): cannot open: %3")
                             .arg(m_name, m_path, db.lastError().text()));
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return makeError(
            QStringLiteral("destination %1: the QSQLITE driver exposes no sqlite3 handle").arg(m_name));
    m_db = *static_cast<sqlite3* const*>(handle.constData());
    if (m_readOnly)
        return {};
    // WAL lets other programs read the file while a sync writes; FULL keeps a committed file
    // committed even across power loss, which the resume state relies on.
    // Switching a new file to WAL needs an exclusive lock, and SQLite answers "database is
    // locked" at once instead of waiting the busy timeout while another connection (a second
    // source writing into the same file) holds it: retry for as long as the busy timeout.
    // A new file gets 16 KB pages (SQLite's default is 4 KB): a listing of 150-600 fields is 5-20
    // KB, which on 4 KB pages spills into chains of overflow pages, each one more page to write to
    // the WAL and read back. Larger pages load faster (32 KB: 13-15 % over 4 KB at 20,000 listings
    // of 174 fields), but a changed listing rewrites its whole table page, its Media's and their
    // index leaves, twice (WAL and checkpoint): 16 KB took the incremental of 1,500 listings of
    // 100,000 from 1.01-1.16 s to 0.84-1.04 s, for 6 % of the initial load of 20,000 and none of
    // 100,000's (docs/PERFORMANCE.md). Set before the switch to WAL, which fixes the page size; on
    // a file that already has tables SQLite ignores it, so existing destinations keep theirs.
    if (auto r = exec("PRAGMA page_size=16384", QStringLiteral("setup")); !r)
        return r;
    QElapsedTimer waited;
    waited.start();
    for (int attempt = 0;; ++attempt) {
        auto r = exec("PRAGMA journal_mode=WAL", QStringLiteral("setup"));
        if (r)
            break;
        if (!r.errorMessage().contains(QStringLiteral("locked")) || waited.elapsed() > kBusyTimeoutMs)
            return r;
        QThread::msleep(std::min(5 + attempt * 5, 100));
    }
    // A page's upserts reach index leaves all over the file (ListingKey, MediaKey, the parent
    // key). SQLite's default cache of 2 MB holds 62 of these 32 KB pages: the leaves were evicted
    // and read back from the WAL or the file, and dirty ones spilled into the WAL in the middle of
    // the transaction and written there again. 32 MB holds a page's working set at 100,000
    // listings. Measured (docs/PERFORMANCE.md): the initial sync's write -13 to -24 % at 100,000
    // listings, -26 % for 1,000,000 light ones; the initial sync's peak RSS +14-16 MB. SQLite
    // takes it as needed, so a small destination does not pay for it.
    for (const QByteArray& pragma :
         {QByteArray("PRAGMA synchronous=FULL"), QByteArray("PRAGMA foreign_keys=OFF"),
          QByteArray("PRAGMA cache_size=-" + QByteArray::number(kCacheKib))}) {
        if (auto r = exec(pragma, QStringLiteral("setup")); !r)
            return r;
    }
    // SQLite checkpoints after the commit that takes the WAL past 1,000 pages (16-32 MB here),
    // which in an initial load is every page or two of listings, each time writing the index
    // leaves the next page dirties again. 64 MB of WAL: the initial load of 100,000 listings about
    // 6 % faster (docs/PERFORMANCE.md). The last connection's close still checkpoints everything, so
    // the database file is whole again when a sync ends.
    auto pageSize = statement(QStringLiteral("|page-size"), "PRAGMA page_size");
    if (!pageSize)
        return pageSize.error();
    const int stepped = sqlite3_step(*pageSize);
    const int bytes = stepped == SQLITE_ROW ? sqlite3_column_int(*pageSize, 0) : 0;
    sqlite3_reset(*pageSize);
    if (stepped != SQLITE_ROW || bytes <= 0)
        return makeError(
            QStringLiteral("destination %1: reading the page size failed: %2").arg(m_name, lastError()));
    if (sqlite3_wal_autocheckpoint(m_db, checkpointPages(bytes)) != SQLITE_OK)
        return makeError(QStringLiteral("destination %1: setting the checkpoint interval failed: %2")
                             .arg(m_name, lastError()));
    // The commits' pages are copied into the file on a thread of its own while this one goes on
    // writing: the initial load of 100,000 listings 10 % faster, the incremental 8 %
    // (docs/PERFORMANCE.md). The 64 MB above stays as the bound when that thread falls behind.
    m_checkpointer = SqliteCheckpointer::start(m_path, kBusyTimeoutMs);
    return {};
}

Expected<void> SqliteDestination::exec(const QByteArray& sql, const QString& what) {
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql.constData(), nullptr, nullptr, &message) != SQLITE_OK) {
        const QString text = QString::fromUtf8(message ? message : "unknown error");
        sqlite3_free(message);
        return makeError(QStringLiteral("destination %1: %2 failed: %3 (SQL: %4)")
                             .arg(m_name, what, text, QString::fromUtf8(sql.left(300))));
    }
    return {};
}

Expected<sqlite3_stmt*> SqliteDestination::statement(const QString& key, const QByteArray& sql) {
    if (sqlite3_stmt* cached = m_statements.value(key))
        return cached;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(m_db, sql.constData(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                           nullptr) != SQLITE_OK)
        return makeError(QStringLiteral("destination %1: cannot prepare statement: %2 (SQL: %3)")
                             .arg(m_name, lastError(), QString::fromUtf8(sql.left(300))));
    m_statements.insert(key, stmt);
    return stmt;
}

Expected<QStringList> SqliteDestination::readColumns(const TablePlan& table) {
    return existingColumns(table.table);
}

Expected<void> SqliteDestination::columnLimit(const TablePlan& table, qsizetype columns) const {
    // SQLite has no overflow column: a table wider than the library allows is refused as a whole,
    // saying what to do, rather than by the statement's "too many columns" with its SQL.
    const int limit = sqlite3_limit(m_db, SQLITE_LIMIT_COLUMN, -1);
    if (columns <= limit)
        return {};
    return makeError(
        QStringLiteral("destination %1: table %2 would need %3 columns, more than SQLite allows (%4); "
                       "leave fields out with the resource's \"select\", or write it to a "
                       "MySQL/MariaDB or PostgreSQL destination, which keeps the rest in _overflow")
            .arg(m_name, table.table)
            .arg(columns)
            .arg(limit));
}

Expected<void> SqliteDestination::createTable(const TablePlan& table) {
    if (auto r = columnLimit(table, table.columns.size()); !r)
        return r;
    QStringList defs;
    for (const ColumnPlan& column : table.columns)
        defs.append(quote(column.name) + QLatin1Char(' ') + sqlType(column.storage));
    QStringList pk;
    for (const QString& key : table.primaryKey)
        pk.append(quote(key));
    defs.append(QStringLiteral("PRIMARY KEY (%1)").arg(pk.join(QLatin1Char(','))));
    const QString sql =
        QStringLiteral("CREATE TABLE %1 (%2)").arg(quote(table.table), defs.join(QStringLiteral(", ")));
    return exec(sql.toUtf8(), QStringLiteral("creating table %1").arg(table.table));
}

Expected<void> SqliteDestination::updateTable(const TablePlan& table, const QList<int>& missing) {
    // SQLite's ALTER TABLE adds one column a statement. Its columns have no length or precision
    // (a type affinity only), so nothing needs widening, and rows have no size limit.
    if (auto r = columnLimit(table, table.columns.size()); !r)
        return r;
    for (int i : missing) {
        const ColumnPlan& column = table.columns.at(i);
        const QString sql = QStringLiteral("ALTER TABLE %1 ADD COLUMN %2 %3")
                                .arg(quote(table.table), quote(column.name), sqlType(column.storage));
        if (auto r = exec(sql.toUtf8(), QStringLiteral("adding column %1.%2").arg(table.table, column.name));
            !r)
            return r;
        qCInfo(lcDestination) << m_name << "added column" << table.table << column.name;
    }
    return {};
}

Expected<void> SqliteDestination::ensureIndexes(const TablePlan& table, bool /*created*/) {
    for (const QString& index : table.indexes) {
        const QString sql = QStringLiteral("CREATE INDEX IF NOT EXISTS %1 ON %2 (%3)")
                                .arg(quote(QStringLiteral("idx_%1_%2").arg(table.table, index)),
                                     quote(table.table), quote(index));
        if (auto r = exec(sql.toUtf8(), QStringLiteral("creating index on %1.%2").arg(table.table, index));
            !r)
            return r;
    }
    return {};
}

Expected<void> SqliteDestination::dropExistingTable(const QString& table) {
    // A prepared statement on the table would keep it alive (and it would be wrong afterwards).
    TablePlan plan;
    plan.table = table;
    if (auto r = tableChanged(plan); !r)
        return r;
    return exec(QStringLiteral("DROP TABLE %1").arg(quote(table)).toUtf8(),
                QStringLiteral("dropping table %1").arg(table));
}

Expected<void> SqliteDestination::tableChanged(const TablePlan& table) {
    // Statements prepared against the old shape must not be reused.
    for (auto it = m_statements.begin(); it != m_statements.end();) {
        if (it.key().startsWith(table.table + QLatin1Char('|'))) {
            sqlite3_finalize(it.value());
            it = m_statements.erase(it);
        } else {
            ++it;
        }
    }
    return {};
}

Expected<void> SqliteDestination::upsertRows(const TablePlan& table, const TableRows& rows) {
    if (rows.rows.isEmpty())
        return {};
    QStringList names, params, updates, stored, incoming, pk;
    for (const ColumnPlan& column : table.columns) {
        names.append(quote(column.name));
        params.append(QStringLiteral("?"));
        if (!table.primaryKey.contains(column.name)) {
            updates.append(QStringLiteral("%1=excluded.%1").arg(quote(column.name)));
            stored.append(quote(column.name));
            incoming.append(QStringLiteral("excluded.") + quote(column.name));
        }
    }
    for (const QString& key : table.primaryKey)
        pk.append(quote(key));
    QString sql = QStringLiteral("INSERT INTO %1 (%2) VALUES (%3) ON CONFLICT (%4) DO ")
                      .arg(quote(table.table), names.join(QLatin1Char(',')), params.join(QLatin1Char(',')),
                           pk.join(QLatin1Char(',')));
    // A row that arrives as it is stored is not written again: an update rewrites the row's table
    // page and every index entry even when no value changed, and a changed listing's unchanged
    // children (replaceChildren keeps them) or a reconcile's refetched rows would otherwise dirty
    // a page each. IS NOT compares NULLs as values, and after the columns' affinity, so rows that
    // compare equal store the same values.
    sql += updates.isEmpty() ? QStringLiteral("NOTHING")
                             : QStringLiteral("UPDATE SET %1 WHERE (%2) IS NOT (%3)")
                                   .arg(updates.join(QLatin1Char(',')), stored.join(QLatin1Char(',')),
                                        incoming.join(QLatin1Char(',')));
    auto stmt =
        statement(table.table + QStringLiteral("|upsert|") + names.join(QLatin1Char(',')), sql.toUtf8());
    if (!stmt)
        return stmt.error();
    sqlite3_stmt* s = *stmt;
    for (const Row& row : rows.rows) {
        for (int i = 0; i < row.size(); ++i) {
            const Cell& cell = row.at(i);
            switch (cell.type) {
            case Cell::Type::Null:
                sqlite3_bind_null(s, i + 1);
                break;
            case Cell::Type::Integer:
                sqlite3_bind_int64(s, i + 1, cell.integer);
                break;
            case Cell::Type::Real:
                sqlite3_bind_double(s, i + 1, cell.real);
                break;
            case Cell::Type::Text:
                sqlite3_bind_text(s, i + 1, cell.text.constData(), int(cell.text.size()), SQLITE_STATIC);
                break;
            }
        }
        const int rc = sqlite3_step(s);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        if (rc != SQLITE_DONE) {
            // Never a RowFault: SQLite's column affinity takes every value, so a refusal comes from
            // the database's own rules (a trigger, a constraint added by hand), disk or locks, and
            // fails the page for this destination instead of setting records aside.
            const Cell& key = row.at(table.keyColumn);
            return makeError(QStringLiteral("destination %1: writing %2 %3 failed: %4")
                                 .arg(m_name, table.table, QString::fromUtf8(key.text), lastError()));
        }
    }
    return {};
}

Expected<void> SqliteDestination::deleteChildren(const ChildPlan& child,
                                                 const QList<QByteArray>& parentKeys) {
    const QString column = child.table.columns.at(child.parentKeyColumn).name;
    const QString sql =
        QStringLiteral("DELETE FROM %1 WHERE %2 = ?").arg(quote(child.table.table), quote(column));
    auto stmt = statement(child.table.table + QStringLiteral("|delete-by|") + column, sql.toUtf8());
    if (!stmt)
        return stmt.error();
    for (const QByteArray& key : parentKeys) {
        sqlite3_bind_text(*stmt, 1, key.constData(), int(key.size()), SQLITE_STATIC);
        const int rc = sqlite3_step(*stmt);
        sqlite3_reset(*stmt);
        if (rc != SQLITE_DONE)
            return makeError(QStringLiteral("destination %1: deleting %2 of %3 failed: %4")
                                 .arg(m_name, child.table.table, QString::fromUtf8(key), lastError()));
    }
    return {};
}

Expected<void> SqliteDestination::begin() {
    return exec("BEGIN IMMEDIATE", QStringLiteral("begin"));
}

Expected<void> SqliteDestination::commit() {
    auto r = exec("COMMIT", QStringLiteral("commit"));
    if (r && m_checkpointer)
        m_checkpointer->request();
    return r;
}

void SqliteDestination::rollback() {
    (void)exec("ROLLBACK", QStringLiteral("rollback"));
}

Expected<qint64> SqliteDestination::count(const TablePlan& table) {
    if (!hasTable(table.table))
        return qint64(0);
    QSqlQuery query(connection());
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(quote(table.table))) || !query.next())
        return makeError(QStringLiteral("destination %1: counting %2 failed: %3")
                             .arg(m_name, table.table, query.lastError().text()));
    return query.value(0).toLongLong();
}

Expected<std::optional<QByteArray>> SqliteDestination::newestTimestamp(const TablePlan& table) {
    if (table.timestampColumn < 0 || !hasTable(table.table))
        return std::optional<QByteArray>();
    QSqlQuery query(connection());
    const QString column = table.columns.at(table.timestampColumn).name;
    if (!query.exec(QStringLiteral("SELECT MAX(%1) FROM %2").arg(quote(column), quote(table.table))) ||
        !query.next())
        return makeError(QStringLiteral("destination %1: reading newest %2.%3 failed: %4")
                             .arg(m_name, table.table, column, query.lastError().text()));
    if (query.value(0).isNull())
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(query.value(0).toString().toUtf8());
}

Expected<QList<KeyRecord>> SqliteDestination::keysAfter(const TablePlan& table,
                                                        const std::optional<QByteArray>& afterKey, int limit,
                                                        const QStringList& timestampColumns) {
    QList<KeyRecord> keys;
    if (!hasTable(table.table))
        return keys;
    const QString key = table.columns.at(table.keyColumn).name;
    QStringList columns{quote(key)};
    for (const QString& ts : timestampColumns)
        // Asked for by field name; a case twin's column has another name.
        columns.append(table.fieldIndex(ts) >= 0 ? quote(table.columnFor(ts)) : QStringLiteral("NULL"));
    // TEXT compares with SQLite's BINARY collation: memcmp order, the order the MLS keys are
    // sorted in locally. The primary key index serves both the range and the order.
    const QString sql =
        QStringLiteral("SELECT %1 FROM %2 %3 ORDER BY %4 LIMIT %5")
            .arg(columns.join(QLatin1Char(',')), quote(table.table),
                 afterKey ? QStringLiteral("WHERE %1 > ?").arg(quote(key)) : QString(), quote(key))
            .arg(limit);
    auto stmt = statement(table.table + QStringLiteral("|keys|") + sql, sql.toUtf8());
    if (!stmt)
        return stmt.error();
    sqlite3_stmt* s = *stmt;
    if (afterKey)
        sqlite3_bind_text(s, 1, afterKey->constData(), int(afterKey->size()), SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        KeyRecord record;
        record.key =
            QByteArray(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), sqlite3_column_bytes(s, 0));
        for (int i = 0; i < timestampColumns.size() && i < KeyRecord::TimestampCount; ++i)
            if (sqlite3_column_type(s, i + 1) != SQLITE_NULL)
                record.timestamps[size_t(i)] =
                    QByteArray(reinterpret_cast<const char*>(sqlite3_column_text(s, i + 1)),
                               sqlite3_column_bytes(s, i + 1));
        keys.append(std::move(record));
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE)
        return makeError(QStringLiteral("destination %1: reading keys of %2 failed: %3")
                             .arg(m_name, table.table, lastError()));
    return keys;
}

Expected<void> SqliteDestination::deleteParents(const TablePlan& table, const QList<QByteArray>& keys) {
    const QString key = table.columns.at(table.keyColumn).name;
    const QString sql = QStringLiteral("DELETE FROM %1 WHERE %2 = ?").arg(quote(table.table), quote(key));
    auto stmt = statement(table.table + QStringLiteral("|delete|") + key, sql.toUtf8());
    if (!stmt)
        return stmt.error();
    for (const QByteArray& k : keys) {
        sqlite3_bind_text(*stmt, 1, k.constData(), int(k.size()), SQLITE_STATIC);
        const int rc = sqlite3_step(*stmt);
        sqlite3_reset(*stmt);
        if (rc != SQLITE_DONE)
            return makeError(QStringLiteral("destination %1: deleting %2 %3 failed: %4")
                                 .arg(m_name, table.table, QString::fromUtf8(k), lastError()));
    }
    return {};
}

} // namespace ors
