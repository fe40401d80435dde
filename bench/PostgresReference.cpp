// The PostgreSQL reference: COPY FROM STDIN into copies of the sync's tables.
#include "ReferenceLoads.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <libpq-fe.h>

#include <memory>

namespace ors::bench {

namespace {

constexpr qint64 kChunk = 1 << 20;
const QString kSchema = QStringLiteral("bench_ref");

struct Closer {
    void operator()(PGconn* c) const { PQfinish(c); }
    void operator()(PGresult* r) const { PQclear(r); }
};
using Connection = std::unique_ptr<PGconn, Closer>;
using Result = std::unique_ptr<PGresult, Closer>;

QString quote(const QString& identifier) {
    QString q = identifier;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

Error pgError(PGconn* c, const QString& what) {
    return makeError(
        QStringLiteral("PostgreSQL: %1: %2").arg(what, QString::fromUtf8(PQerrorMessage(c)).trimmed()));
}

Expected<Result> run(PGconn* c, const QString& sql, ExecStatusType expected = PGRES_COMMAND_OK) {
    Result r(PQexec(c, sql.toUtf8().constData()));
    if (PQresultStatus(r.get()) != expected)
        return pgError(c, sql.left(200));
    return r;
}

// Every row of `table` in COPY's text format to `path`; the row count (one line a row: COPY
// escapes the newlines inside values).
Expected<qint64> dump(PGconn* c, const QString& source, const QString& path) {
    auto started = run(c, QStringLiteral("COPY %1 TO STDOUT").arg(source), PGRES_COPY_OUT);
    if (!started)
        return started.error();
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("%1: %2").arg(path, file.errorString()));
    qint64 rows = 0;
    char* buffer = nullptr;
    int length = 0;
    while ((length = PQgetCopyData(c, &buffer, 0)) > 0) {
        const bool written = file.write(buffer, length) == length;
        ++rows;
        PQfreemem(buffer);
        if (!written)
            return makeError(QStringLiteral("%1: %2").arg(path, file.errorString()));
    }
    if (length == -2)
        return pgError(c, QStringLiteral("reading %1").arg(source));
    Result end(PQgetResult(c));
    if (PQresultStatus(end.get()) != PGRES_COMMAND_OK)
        return pgError(c, QStringLiteral("reading %1").arg(source));
    while (Result more{PQgetResult(c)}) {
    }
    return rows;
}

Expected<void> load(PGconn* c, const QString& target, const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: %2").arg(path, file.errorString()));
    auto started = run(c, QStringLiteral("COPY %1 FROM STDIN").arg(target), PGRES_COPY_IN);
    if (!started)
        return started.error();
    while (!file.atEnd()) {
        const QByteArray chunk = file.read(kChunk);
        if (PQputCopyData(c, chunk.constData(), int(chunk.size())) != 1)
            return pgError(c, QStringLiteral("sending rows to %1").arg(target));
    }
    if (PQputCopyEnd(c, nullptr) != 1)
        return pgError(c, QStringLiteral("ending the COPY into %1").arg(target));
    Result end(PQgetResult(c));
    if (PQresultStatus(end.get()) != PGRES_COMMAND_OK)
        return pgError(c, QStringLiteral("COPY into %1").arg(target));
    while (Result more{PQgetResult(c)}) {
    }
    return {};
}

Expected<qint64> count(PGconn* c, const QString& sql) {
    auto r = run(c, sql, PGRES_TUPLES_OK);
    if (!r)
        return r.error();
    return QByteArray(PQgetvalue(r->get(), 0, 0)).toLongLong();
}

} // namespace

Expected<QList<TableLoad>> loadPostgresReference(const QString& database, const QStringList& tables,
                                                 const QString& workDir) {
    const QByteArray host = qgetenv("ORS_TEST_PG_HOST");
    const QByteArray port = qgetenv("ORS_TEST_PG_PORT");
    const QByteArray user = qgetenv("ORS_TEST_PG_USER");
    const QByteArray password = qgetenv("ORS_TEST_PG_PASSWORD");
    if (host.isEmpty() || port.isEmpty() || user.isEmpty())
        return makeError(
            QStringLiteral("ORS_TEST_PG_HOST/PORT/USER/PASSWORD are not set (scripts/postgres-test env)"));
    const QByteArray name = database.toUtf8();
    const char* keys[] = {"host", "port", "user", "password", "dbname", "client_encoding", nullptr};
    const char* values[] = {host.constData(), port.constData(), user.constData(), password.constData(),
                            name.constData(), "UTF8",           nullptr};
    Connection c(PQconnectdbParams(keys, values, 0));
    if (PQstatus(c.get()) != CONNECTION_OK)
        return pgError(c.get(), QStringLiteral("connecting to %1").arg(database));
    // DROP SCHEMA's notices ("does not exist, skipping") are no news here.
    if (auto r = run(c.get(), QStringLiteral("SET client_min_messages = warning")); !r)
        return r.error();
    auto schema = run(c.get(), QStringLiteral("SELECT current_schema()"), PGRES_TUPLES_OK);
    if (!schema)
        return schema.error();
    const QString from = QString::fromUtf8(PQgetvalue(schema->get(), 0, 0));
    for (const QString& sql : {QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(kSchema),
                               QStringLiteral("CREATE SCHEMA %1").arg(kSchema)})
        if (auto r = run(c.get(), sql); !r)
            return r.error();
    struct Drop {
        PGconn* c;
        ~Drop() { (void)run(c, QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(kSchema)); }
    } drop{c.get()};

    QList<TableLoad> loads;
    for (const QString& table : tables) {
        const QString source = quote(from) + QLatin1Char('.') + quote(table);
        const QString target = kSchema + QLatin1Char('.') + quote(table);
        auto exists = count(c.get(), QStringLiteral("SELECT COUNT(*) FROM information_schema.tables WHERE "
                                                    "table_schema = '%1' AND table_name = '%2'")
                                         .arg(from, table));
        if (!exists)
            return exists.error();
        if (*exists == 0)
            continue;
        if (auto r =
                run(c.get(), QStringLiteral("CREATE TABLE %1 (LIKE %2 INCLUDING ALL)").arg(target, source));
            !r)
            return r.error();
        const QString path = QDir(workDir).filePath(table + QStringLiteral(".copy"));
        auto rows = dump(c.get(), source, path);
        if (!rows)
            return rows.error();
        QElapsedTimer timer;
        timer.start();
        if (auto r = load(c.get(), target, path); !r)
            return r.error();
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        QFile::remove(path);
        auto loaded = count(c.get(), QStringLiteral("SELECT COUNT(*) FROM %1").arg(target));
        if (!loaded)
            return loaded.error();
        if (*loaded != *rows)
            return makeError(QStringLiteral("PostgreSQL: COPY put %1 rows into %2, not %3")
                                 .arg(*loaded)
                                 .arg(table)
                                 .arg(*rows));
        loads.append(TableLoad{table, *rows, seconds});
    }
    return loads;
}

} // namespace ors::bench
