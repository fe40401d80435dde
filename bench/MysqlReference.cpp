// The MariaDB reference: LOAD DATA LOCAL INFILE into copies of the sync's tables.
#include "ReferenceLoads.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <mysql.h>

#include <memory>

namespace ors::bench {

namespace {

struct MysqlCloser {
    void operator()(MYSQL* m) const { mysql_close(m); }
};
using Connection = std::unique_ptr<MYSQL, MysqlCloser>;

QString serverError(MYSQL* m, const QString& what) {
    return QStringLiteral("MariaDB: %1: %2").arg(what, QString::fromUtf8(mysql_error(m)));
}

Expected<void> run(MYSQL* m, const QString& sql) {
    const QByteArray utf8 = sql.toUtf8();
    if (mysql_real_query(m, utf8.constData(), static_cast<unsigned long>(utf8.size())) != 0)
        return makeError(serverError(m, sql.left(200)));
    if (MYSQL_RES* result = mysql_store_result(m))
        mysql_free_result(result);
    return {};
}

Expected<qint64> scalar(MYSQL* m, const QString& sql) {
    const QByteArray utf8 = sql.toUtf8();
    if (mysql_real_query(m, utf8.constData(), static_cast<unsigned long>(utf8.size())) != 0)
        return makeError(serverError(m, sql.left(200)));
    MYSQL_RES* result = mysql_store_result(m);
    if (!result)
        return makeError(serverError(m, sql.left(200)));
    MYSQL_ROW row = mysql_fetch_row(result);
    const qint64 value = row && row[0] ? QByteArray(row[0]).toLongLong() : -1;
    mysql_free_result(result);
    return value;
}

QString firstWarning(MYSQL* m) {
    if (mysql_query(m, "SHOW WARNINGS LIMIT 1") != 0)
        return serverError(m, QStringLiteral("SHOW WARNINGS"));
    MYSQL_RES* result = mysql_store_result(m);
    if (!result)
        return serverError(m, QStringLiteral("SHOW WARNINGS"));
    QString text;
    if (MYSQL_ROW row = mysql_fetch_row(result); row && mysql_num_fields(result) >= 3)
        text = QString::fromUtf8(row[2] ? row[2] : "");
    mysql_free_result(result);
    return text;
}

QString quote(const QString& identifier) {
    QString q = identifier;
    q.replace(QLatin1Char('`'), QStringLiteral("``"));
    return QLatin1Char('`') + q + QLatin1Char('`');
}

// LOAD DATA's default format: tab between fields, newline after rows, backslash escapes, \N for
// NULL. Values are the server's own text for every type, so the load converts what a sync sends.
void appendField(QByteArray& out, const char* value, unsigned long length) {
    if (!value) {
        out += "\\N";
        return;
    }
    for (unsigned long i = 0; i < length; ++i) {
        const char c = value[i];
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\0':
            out += "\\0";
            break;
        default:
            out += c;
        }
    }
}

// The rows of `table` in `order`; `parent` is the first table (the listings).
QString selectRows(const QString& database, const QString& table, const QString& parent, RowOrder order) {
    if (order == RowOrder::Key)
        return QStringLiteral("SELECT * FROM %1.%2").arg(quote(database), quote(table));
    if (table == parent)
        return QStringLiteral("SELECT * FROM %1.%2 ORDER BY `ModificationTimestamp`, `ListingKey`")
            .arg(quote(database), quote(table));
    return QStringLiteral("SELECT c.* FROM %1.%2 c JOIN %1.%3 p ON p.`ListingKey` = c.`ListingKey` "
                          "ORDER BY p.`ModificationTimestamp`, p.`ListingKey`")
        .arg(quote(database), quote(table), quote(parent));
}

// Writes every row `sql` selects to `path`; the row count.
Expected<qint64> dump(MYSQL* m, const QString& sql, const QString& table, const QString& path) {
    const QByteArray utf8 = sql.toUtf8();
    if (mysql_real_query(m, utf8.constData(), static_cast<unsigned long>(utf8.size())) != 0)
        return makeError(serverError(m, sql));
    MYSQL_RES* result = mysql_use_result(m);
    if (!result)
        return makeError(serverError(m, sql));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        mysql_free_result(result);
        return makeError(QStringLiteral("%1: %2").arg(path, file.errorString()));
    }
    const unsigned int columns = mysql_num_fields(result);
    qint64 rows = 0;
    QByteArray buffer;
    while (MYSQL_ROW row = mysql_fetch_row(result)) {
        const unsigned long* lengths = mysql_fetch_lengths(result);
        for (unsigned int c = 0; c < columns; ++c) {
            if (c > 0)
                buffer += '\t';
            appendField(buffer, row[c], lengths[c]);
        }
        buffer += '\n';
        ++rows;
        if (buffer.size() > (1 << 20)) {
            file.write(buffer);
            buffer.clear();
        }
    }
    const bool failed = mysql_errno(m) != 0;
    mysql_free_result(result);
    if (failed)
        return makeError(serverError(m, QStringLiteral("reading %1").arg(table)));
    if (file.write(buffer) != buffer.size() || !file.flush())
        return makeError(QStringLiteral("%1: %2").arg(path, file.errorString()));
    return rows;
}

} // namespace

Expected<QList<TableLoad>> loadMysqlReference(const QString& database, const QStringList& tables,
                                              const QString& workDir, RowOrder order) {
    const QByteArray host = qgetenv("ORS_TEST_MYSQL_HOST");
    const int port = qEnvironmentVariableIntValue("ORS_TEST_MYSQL_PORT");
    const QByteArray user = qgetenv("ORS_TEST_MYSQL_USER");
    const QByteArray password = qgetenv("ORS_TEST_MYSQL_PASSWORD");
    if (host.isEmpty() || port <= 0 || user.isEmpty())
        return makeError(
            QStringLiteral("ORS_TEST_MYSQL_HOST/PORT/USER/PASSWORD are not set (scripts/mariadb-test env)"));
    Connection m(mysql_init(nullptr));
    unsigned int localInfile = 1;
    mysql_optionsv(m.get(), MYSQL_OPT_LOCAL_INFILE, &localInfile);
    if (!mysql_real_connect(m.get(), host.constData(), user.constData(), password.constData(), nullptr,
                            static_cast<unsigned int>(port), nullptr, 0))
        return makeError(serverError(
            m.get(), QStringLiteral("connecting to %1:%2").arg(QString::fromUtf8(host)).arg(port)));
    if (mysql_set_character_set(m.get(), "utf8mb4") != 0)
        return makeError(serverError(m.get(), QStringLiteral("choosing utf8mb4")));
    // The session the CLI's destination sets up (MysqlDestination::open), so the server does
    // the same work per value.
    if (auto r =
            run(m.get(), QStringLiteral("SET SESSION time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,"
                                        "NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
                                        "NO_ENGINE_SUBSTITUTION', innodb_strict_mode = OFF"));
        !r)
        return r.error();
    const QString copy = database + QStringLiteral("_ref");
    if (auto r = run(m.get(), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(quote(copy))); !r)
        return r.error();
    if (auto r = run(m.get(), QStringLiteral("CREATE DATABASE %1").arg(quote(copy))); !r)
        return r.error();
    struct Drop {
        MYSQL* m;
        QString name;
        ~Drop() { (void)run(m, QStringLiteral("DROP DATABASE IF EXISTS %1").arg(quote(name))); }
    } drop{m.get(), copy};

    QList<TableLoad> loads;
    for (const QString& table : tables) {
        auto exists = scalar(m.get(), QStringLiteral("SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                                                     "TABLE_SCHEMA = '%1' AND TABLE_NAME = '%2'")
                                          .arg(database, table));
        if (!exists)
            return exists.error();
        if (*exists == 0)
            continue;
        if (auto r = run(m.get(), QStringLiteral("CREATE TABLE %1.%2 LIKE %3.%2")
                                      .arg(quote(copy), quote(table), quote(database)));
            !r)
            return r.error();
        const QString path = QDir(workDir).filePath(table + QStringLiteral(".tsv"));
        auto rows = dump(m.get(), selectRows(database, table, tables.value(0), order), table, path);
        if (!rows)
            return rows.error();
        const QString load =
            QStringLiteral("LOAD DATA LOCAL INFILE '%1' INTO TABLE %2.%3 CHARACTER SET utf8mb4")
                .arg(path, quote(copy), quote(table));
        QElapsedTimer timer;
        timer.start();
        if (auto r = run(m.get(), load); !r)
            return r.error();
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        // A value the server changed on the way (truncated, converted) would make the figure a lie.
        if (const unsigned int warnings = mysql_warning_count(m.get()); warnings > 0)
            return makeError(QStringLiteral("MariaDB: LOAD DATA into %1 gave %2 warnings, the first: %3")
                                 .arg(table)
                                 .arg(warnings)
                                 .arg(firstWarning(m.get())));
        QFile::remove(path);
        auto loaded =
            scalar(m.get(), QStringLiteral("SELECT COUNT(*) FROM %1.%2").arg(quote(copy), quote(table)));
        if (!loaded)
            return loaded.error();
        if (*loaded != *rows)
            return makeError(QStringLiteral("MariaDB: LOAD DATA put %1 rows into %2, not %3")
                                 .arg(*loaded)
                                 .arg(table)
                                 .arg(*rows));
        loads.append(TableLoad{table, *rows, seconds});
    }
    return loads;
}

} // namespace ors::bench
