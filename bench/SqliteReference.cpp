// The SQLite reference: the C API, one prepared upsert bound per row, 1,000 rows a transaction.
#include "destinations/SqliteDestination.h"
#include "ReferenceLoads.h"

#include <QDir>
#include <QElapsedTimer>

#include <sqlite3.h>

#include <memory>
#include <variant>
#include <vector>

namespace ors::bench {

namespace {

constexpr int kRowsPerTransaction = 1000;

struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Database = std::unique_ptr<sqlite3, Closer>;
using Statement = std::unique_ptr<sqlite3_stmt, Closer>;

QString quote(const QString& identifier) {
    QString q = identifier;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

Error sqliteError(sqlite3* db, const QString& what) {
    return makeError(QStringLiteral("SQLite: %1: %2").arg(what, QString::fromUtf8(sqlite3_errmsg(db))));
}

Expected<void> exec(sqlite3* db, const QString& sql) {
    if (sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, nullptr) != SQLITE_OK)
        return sqliteError(db, sql.left(200));
    return {};
}

Expected<Statement> prepare(sqlite3* db, const QString& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db, sql.toUtf8().constData(), -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) !=
        SQLITE_OK)
        return sqliteError(db, sql.left(200));
    return Statement(s);
}

// A value as read from the source, held until its chunk is written.
using Value = std::variant<std::monostate, qint64, double, QByteArray>;

Value readValue(sqlite3_stmt* s, int column) {
    switch (sqlite3_column_type(s, column)) {
    case SQLITE_INTEGER:
        return qint64(sqlite3_column_int64(s, column));
    case SQLITE_FLOAT:
        return sqlite3_column_double(s, column);
    case SQLITE_NULL:
        return std::monostate{};
    default: {
        const auto* text = static_cast<const char*>(sqlite3_column_blob(s, column));
        return QByteArray(text, sqlite3_column_bytes(s, column));
    }
    }
}

void bindValue(sqlite3_stmt* s, int index, const Value& v) {
    if (const auto* i = std::get_if<qint64>(&v))
        sqlite3_bind_int64(s, index, *i);
    else if (const auto* d = std::get_if<double>(&v))
        sqlite3_bind_double(s, index, *d);
    else if (const auto* t = std::get_if<QByteArray>(&v))
        sqlite3_bind_text(s, index, t->constData(), int(t->size()), SQLITE_STATIC);
    else
        sqlite3_bind_null(s, index);
}

// The copy's DDL: the source's own CREATE TABLE and CREATE INDEX statements.
Expected<void> copySchema(sqlite3* source, sqlite3* target, const QString& table) {
    auto ddl =
        prepare(source, QStringLiteral("SELECT sql FROM sqlite_master WHERE tbl_name = ?1 AND sql IS NOT "
                                       "NULL ORDER BY type = 'index'"));
    if (!ddl)
        return ddl.error();
    const QByteArray name = table.toUtf8();
    sqlite3_bind_text(ddl->get(), 1, name.constData(), int(name.size()), SQLITE_STATIC);
    while (sqlite3_step(ddl->get()) == SQLITE_ROW)
        if (auto r = exec(
                target, QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(ddl->get(), 0))));
            !r)
            return r;
    return {};
}

// The upsert the destination runs (SqliteDestination::upsertRows): every column, updated on the
// primary key.
Expected<QString> upsertFor(sqlite3* source, const QString& table) {
    auto info = prepare(source, QStringLiteral("PRAGMA table_info(%1)").arg(quote(table)));
    if (!info)
        return info.error();
    QStringList names, params, updates, keys;
    while (sqlite3_step(info->get()) == SQLITE_ROW) {
        const QString column =
            QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(info->get(), 1)));
        names.append(quote(column));
        params.append(QStringLiteral("?"));
        if (sqlite3_column_int(info->get(), 5) > 0)
            keys.append(quote(column));
        else
            updates.append(QStringLiteral("%1=excluded.%1").arg(quote(column)));
    }
    QString sql = QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                      .arg(quote(table), names.join(QLatin1Char(',')), params.join(QLatin1Char(',')));
    if (!keys.isEmpty())
        sql += QStringLiteral(" ON CONFLICT (%1) DO %2")
                   .arg(keys.join(QLatin1Char(',')),
                        updates.isEmpty() ? QStringLiteral("NOTHING")
                                          : QStringLiteral("UPDATE SET ") + updates.join(QLatin1Char(',')));
    return sql;
}

Expected<TableLoad> loadTable(sqlite3* source, sqlite3* target, const QString& table) {
    if (auto r = copySchema(source, target, table); !r)
        return r.error();
    auto sql = upsertFor(source, table);
    if (!sql)
        return sql.error();
    auto insert = prepare(target, *sql);
    if (!insert)
        return insert.error();
    auto select = prepare(source, QStringLiteral("SELECT * FROM %1").arg(quote(table)));
    if (!select)
        return select.error();
    const int columns = sqlite3_column_count(select->get());
    TableLoad load{table, 0, 0};
    std::vector<std::vector<Value>> chunk;
    bool more = true;
    while (more) {
        // Read a transaction's rows first: reading the source is not the load being measured.
        chunk.clear();
        while (chunk.size() < size_t(kRowsPerTransaction)) {
            const int rc = sqlite3_step(select->get());
            if (rc == SQLITE_DONE) {
                more = false;
                break;
            }
            if (rc != SQLITE_ROW)
                return sqliteError(source, QStringLiteral("reading %1").arg(table));
            std::vector<Value> row;
            row.reserve(size_t(columns));
            for (int c = 0; c < columns; ++c)
                row.push_back(readValue(select->get(), c));
            chunk.push_back(std::move(row));
        }
        if (chunk.empty())
            break;
        QElapsedTimer timer;
        timer.start();
        if (auto r = exec(target, QStringLiteral("BEGIN")); !r)
            return r.error();
        sqlite3_stmt* s = insert->get();
        for (const std::vector<Value>& row : chunk) {
            for (int c = 0; c < columns; ++c)
                bindValue(s, c + 1, row[size_t(c)]);
            if (sqlite3_step(s) != SQLITE_DONE)
                return sqliteError(target, QStringLiteral("inserting into %1").arg(table));
            sqlite3_reset(s);
        }
        if (auto r = exec(target, QStringLiteral("COMMIT")); !r)
            return r.error();
        load.seconds += double(timer.nsecsElapsed()) / 1e9;
        load.rows += qint64(chunk.size());
    }
    return load;
}

bool hasTable(sqlite3* db, const QString& table) {
    auto q = prepare(db, QStringLiteral("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1"));
    if (!q)
        return false;
    const QByteArray name = table.toUtf8();
    sqlite3_bind_text(q->get(), 1, name.constData(), int(name.size()), SQLITE_STATIC);
    return sqlite3_step(q->get()) == SQLITE_ROW;
}

} // namespace

Expected<QList<TableLoad>> loadSqliteReference(const QString& sqlitePath, const QStringList& tables,
                                               const QString& workDir) {
    sqlite3* raw = nullptr;
    const int opened = sqlite3_open_v2(sqlitePath.toUtf8().constData(), &raw, SQLITE_OPEN_READONLY, nullptr);
    Database source(raw);
    if (opened != SQLITE_OK)
        return sqliteError(raw, QStringLiteral("opening %1").arg(sqlitePath));
    const QString copy = QDir(workDir).filePath(QStringLiteral("reference.sqlite"));
    raw = nullptr;
    const int created =
        sqlite3_open_v2(copy.toUtf8().constData(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    Database target(raw);
    if (created != SQLITE_OK)
        return sqliteError(raw, QStringLiteral("creating %1").arg(copy));
    // The destination's settings (SqliteDestination::open), its page size included.
    auto pageSize = prepare(source.get(), QStringLiteral("PRAGMA page_size"));
    if (!pageSize)
        return pageSize.error();
    if (sqlite3_step(pageSize->get()) != SQLITE_ROW)
        return sqliteError(source.get(), QStringLiteral("reading the page size of %1").arg(sqlitePath));
    const QString setPageSize =
        QStringLiteral("PRAGMA page_size=%1").arg(sqlite3_column_int(pageSize->get(), 0));
    for (const QString& pragma :
         {setPageSize, QStringLiteral("PRAGMA journal_mode=WAL"), QStringLiteral("PRAGMA synchronous=FULL"),
          QStringLiteral("PRAGMA foreign_keys=OFF"),
          QStringLiteral("PRAGMA cache_size=-%1").arg(SqliteDestination::kCacheKib),
          QStringLiteral("PRAGMA wal_autocheckpoint=%1")
              .arg(SqliteDestination::checkpointPages(sqlite3_column_int(pageSize->get(), 0)))})
        if (auto r = exec(target.get(), pragma); !r)
            return r.error();
    QList<TableLoad> loads;
    for (const QString& table : tables) {
        if (!hasTable(source.get(), table))
            continue;
        auto load = loadTable(source.get(), target.get(), table);
        if (!load)
            return load.error();
        loads.append(*load);
    }
    return loads;
}

} // namespace ors::bench
