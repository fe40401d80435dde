// Reading ahead for MysqlDestination. A page that replaces stored rows waits, on its one
// connection, for every database page of those rows the buffer pool does not hold: the rows
// themselves, their long text stored off the row, their children. A second connection reads them
// at the same time (the database server runs each connection's reads on a thread of its own), so
// the page's statements find most of them in memory; for new rows, it reads the pages of the
// keys where they will go. Done while the server reads from disk (worthReadingAhead).
//
// The read is a plain SELECT sent without waiting for its answer (mysql_send_query), read back
// before the next one: nothing waits for it, it takes no row locks (READ UNCOMMITTED, autocommit)
// and its answer is thrown away. Any failure only stops the reading ahead for the session.
#include "destinations/MysqlDestination.h"

#include "config/ServerConnection.h"
#include "logging/LogCategories.h"
#include "logging/Redactor.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>

#include <mysql.h>

namespace ors {

namespace {

// COUNT of the columns whose values the page's statements will need read from their database
// pages: text columns (long ones are stored off the row) or, without any, one column that no
// index of the table holds (so the rows themselves are read, not an index alone).
QByteArray probeColumns(const TablePlan& table, const TableShape& shape, const QString& skip) {
    QByteArray probes;
    QString plain;
    for (const ColumnShape& column : shape.columns) {
        if (table.primaryKey.contains(column.name, Qt::CaseInsensitive) ||
            table.indexes.contains(column.name, Qt::CaseInsensitive) ||
            column.name.compare(skip, Qt::CaseInsensitive) == 0)
            continue;
        if (column.type.endsWith(u"text")) {
            if (!probes.isEmpty())
                probes += '+';
            probes += "COUNT(";
            probes += MysqlDestination::quote(column.name);
            probes += ')';
        } else if (plain.isEmpty()) {
            plain = column.name;
        }
    }
    if (probes.isEmpty() && !plain.isEmpty()) {
        probes += "COUNT(";
        probes += MysqlDestination::quote(plain);
        probes += ')';
    }
    return probes;
}

} // namespace

bool MysqlDestination::worthReadingAhead(qsizetype rows) {
    if (m_prefetchMode == PrefetchMode::Always)
        return true;
    // How many database pages the server had to read from disk since the last page began (all
    // sessions; the reading ahead's own reads are reads the page needed). A page whose rows were in
    // the buffer pool gains nothing from a second reader and pays its CPU: measured, an initial
    // sync of 20,000 listings (0.4 reads a row) was 2-4 % slower with it, one of 100,000 (2.2 a
    // row, the tables outgrowing a stock pool) 4-10 % faster, an incremental (1.5 a row) 5-10 %.
    static const char kReads[] = "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_reads'";
    std::optional<qint64> reads;
    if (mysql_real_query(m_mysql, kReads, sizeof kReads - 1) == 0)
        if (MYSQL_RES* result = mysql_store_result(m_mysql)) {
            if (MYSQL_ROW row = mysql_fetch_row(result); row && row[1])
                reads = QByteArray(row[1]).toLongLong();
            mysql_free_result(result);
        }
    if (!reads) {
        stopPrefetch(QStringLiteral("reading Innodb_buffer_pool_reads"),
                     QString::fromUtf8(mysql_error(m_mysql)));
        return false;
    }
    const bool worth = readAheadNext(m_poolReads, *reads, m_lastPageRows);
    m_poolReads = reads;
    m_lastPageRows = rows;
    return worth;
}

void MysqlDestination::beforeApply(const ResourcePlan& plan, const PageRows& page) {
    finishPrefetch();
    if (m_prefetchOff || !m_loadData || page.parent.rows.isEmpty() ||
        !worthReadingAhead(page.parent.rows.size()))
        return;
    const auto keyList = [this](const QList<QByteArray>& keys) {
        QByteArray list = "(";
        for (const QByteArray& key : keys) {
            if (list.size() > 1)
                list += ',';
            appendLiteral(list, key);
        }
        list += ')';
        return list;
    };
    // In the order the page's connection writes: what is read last has to be in the buffer pool
    // still when its statement comes, and a stock pool's newly read pages (its old sublist, 3/8
    // of it) hold about one page's rows.
    QByteArrayList reads;
    if (auto shape = tableShape(plan.table)) {
        QList<QByteArray> keys;
        keys.reserve(page.parent.rows.size());
        for (const Row& row : page.parent.rows)
            keys.append(ors::keyText(row.at(plan.table.keyColumn)));
        QByteArray probes = probeColumns(plan.table, **shape, {});
        if (probes.isEmpty())
            probes = "COUNT(*)"; // the primary key's pages hold the rows
        reads << "(SELECT " + probes + " FROM " + quote(plan.table.table) + " WHERE " +
                     quote(plan.table.columns.at(plan.table.keyColumn).name) + " IN " + keyList(keys) + ')';
    }
    for (int i = 0; i < plan.children.size(); ++i) {
        const ChildPlan& child = plan.children.at(i);
        const QList<QByteArray>& parents = page.children.at(i).parentKeys;
        auto shape = tableShape(child.table);
        if (!child.owned || parents.isEmpty() || !shape)
            continue;
        const QString parentColumn = child.table.columns.at(child.parentKeyColumn).name;
        const QByteArray probes = probeColumns(child.table, **shape, parentColumn);
        if (probes.isEmpty())
            continue;
        reads << "(SELECT " + probes + " FROM " + quote(child.table.table) + " WHERE " + quote(parentColumn) +
                     " IN " + keyList(parents) + ')';
        // And where the page's own child rows go (new ones land on pages of the primary key).
        if (child.table.primaryKey.size() == 1 && child.table.keyColumn >= 0 &&
            child.table.keyColumn != child.parentKeyColumn) {
            QList<QByteArray> own;
            own.reserve(page.children.at(i).rows.rows.size());
            for (const Row& row : page.children.at(i).rows.rows)
                own.append(ors::keyText(row.at(child.table.keyColumn)));
            if (!own.isEmpty())
                reads << "(SELECT COUNT(*) FROM " + quote(child.table.table) + " WHERE " +
                             quote(child.table.columns.at(child.table.keyColumn).name) + " IN " +
                             keyList(own) + ')';
        }
    }
    QByteArray sql = "SELECT ";
    sql += reads.join(',');
    if (reads.isEmpty() || sql.size() > m_statementLimit || !openPrefetch())
        return;
    if (mysql_send_query(m_prefetch, sql.constData(), static_cast<unsigned long>(sql.size())) != 0) {
        stopPrefetch(QStringLiteral("sending"));
        return;
    }
    m_prefetchPending = true;
    ++m_prefetchesSent;
}

bool MysqlDestination::openPrefetch() {
    if (m_prefetch)
        return true;
    // The same server, account and TLS settings as the page's own connection, checked the same way.
    if (m_config.tls.mode == TlsMode::VerifyIdentity)
        if (auto r = ServerConnection::verifyMysqlIdentity(ServerConnection::addressOf(m_config),
                                                           connection().password(), 15);
            !r) {
            stopPrefetch(QStringLiteral("connecting"), r.errorMessage());
            return false;
        }
    m_prefetchName = connection().connectionName() + QStringLiteral("-ahead");
    QString refused;
    {
        // Out of scope before stopPrefetch removes the connection, which must then be unused.
        QSqlDatabase db = QSqlDatabase::cloneDatabase(connection().connectionName(), m_prefetchName);
        const QVariant handle = db.open() ? db.driver()->handle() : QVariant();
        const bool mustEncrypt =
            m_config.tls.mode != TlsMode::Disabled && m_config.tls.mode != TlsMode::Preferred;
        if (!handle.isValid() ||
            (qstrcmp(handle.typeName(), "MYSQL*") != 0 && qstrcmp(handle.typeName(), "st_mysql*") != 0))
            refused = db.lastError().text();
        else if (mustEncrypt && ServerConnection::mysqlCipher(db).isEmpty())
            refused = QStringLiteral("the connection is not encrypted");
        else
            m_prefetch = *static_cast<MYSQL* const*>(handle.constData());
    }
    if (!m_prefetch) {
        stopPrefetch(QStringLiteral("connecting"), refused);
        return false;
    }
    // Read what is there, committed or not: the read never waits and never builds old versions.
    static const char kSetup[] = "SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED";
    if (mysql_set_character_set(m_prefetch, "utf8mb4") != 0 ||
        mysql_real_query(m_prefetch, kSetup, sizeof kSetup - 1) != 0) {
        stopPrefetch(QStringLiteral("setting up"));
        return false;
    }
    return true;
}

void MysqlDestination::finishPrefetch() {
    if (!drainPrefetch())
        stopPrefetch(QStringLiteral("reading"));
}

bool MysqlDestination::drainPrefetch() {
    if (!m_prefetchPending)
        return true;
    m_prefetchPending = false;
    if (mysql_read_query_result(m_prefetch) != 0)
        return false;
    if (MYSQL_RES* result = mysql_store_result(m_prefetch))
        mysql_free_result(result);
    return true;
}

void MysqlDestination::stopPrefetch(const QString& step, const QString& why) {
    const QString reason = why.isEmpty() && m_prefetch ? QString::fromUtf8(mysql_error(m_prefetch)) : why;
    qCInfo(lcDestination).noquote() << Redactor::redact(
        QStringLiteral("%1: reading ahead on a second connection stopped (%2 failed: %3); "
                       "pages are written as before")
            .arg(where(), step, reason));
    m_prefetchOff = true;
    closePrefetch();
}

unsigned long MysqlDestination::readAheadConnection() const {
    return m_prefetch ? mysql_thread_id(m_prefetch) : 0;
}

void MysqlDestination::closePrefetch() {
    drainPrefetch(); // closing anyway: a failed read changes nothing
    m_prefetch = nullptr;
    if (m_prefetchName.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_prefetchName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_prefetchName);
    m_prefetchName.clear();
}

} // namespace ors
