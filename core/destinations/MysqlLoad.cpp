// Writing of MysqlDestination through LOAD DATA LOCAL INFILE, the default since the statements'
// client-side escaping stopped being the cost (OPENRESYNC_MYSQL_LOAD_DATA=0 turns it off).
// Replayed on the bench's rows (docs/PERFORMANCE.md, "MariaDB writes by LOAD DATA"), the server
// spent about a quarter less CPU on a page loaded by LOAD DATA … REPLACE than on the same rows as
// INSERT … ON DUPLICATE KEY UPDATE, whose text the server lexes value by value; in the whole sync
// into MariaDB on 2 cores it is now 5-10 % faster (20,000 listings, A/B pairs). A page's rows
// go from memory (never a file) straight into the table by LOAD DATA LOCAL … REPLACE, formatted
// as the client library sends them, so the client's formatting overlaps the server's storing. For a table
// whose only unique key is the primary key and that has no foreign keys, REPLACE updates the existing row in
// place: it is the upsert, as long as the load names every column of the table (a column it left out would be
// reset, where ON DUPLICATE KEY UPDATE keeps it); a table with more columns goes by statements.
//
// LOAD DATA LOCAL turns a value that does not fit into a warning and a changed value, not an
// error. So a load with any warning, or with another row count than sent, is undone (to a
// savepoint) and the page goes by the statements, which name the record and the column.
#include "destinations/MysqlDestination.h"

#include "logging/LogCategories.h"

#include <QRegularExpression>

#include <cstdio>
#include <cstring>
#include <utility>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

namespace ors {

namespace {

// The name LOAD DATA asks the client for; the handler serves the page's rows under it, and
// nothing else.
constexpr char kInfileName[] = "ors-page";
// How much of the formatted rows is kept once sent, before the buffer drops it.
constexpr qsizetype kInfileChunk = 64 * 1024;

int infileInit(void** handle, const char* name, void* source) {
    auto* infile = static_cast<MysqlDestination::Infile*>(source);
    *handle = infile;
    // The server asks for a file only while a LOAD DATA of ours runs, and only for this name: any
    // other request (a server that asks for /etc/passwd) is refused.
    if (!infile->next || std::strcmp(name, kInfileName) != 0) {
        infile->refused = true;
        return 1;
    }
    infile->at = 0;
    return 0;
}

int infileRead(void* handle, char* buffer, unsigned int size) {
    auto* infile = static_cast<MysqlDestination::Infile*>(handle);
    // What was sent goes, so the buffer holds a few rows, never the page.
    if (infile->at >= kInfileChunk) {
        infile->buffer.remove(0, infile->at);
        infile->at = 0;
    }
    while (infile->buffer.size() - infile->at < qsizetype(size) && infile->next(infile->buffer)) {
    }
    // A value that failed ends the data early: the server loads what came, and the failed page's
    // transaction takes it back.
    if (infile->failed)
        return -1;
    const qsizetype n = std::min<qsizetype>(size, infile->buffer.size() - infile->at);
    std::memcpy(buffer, infile->buffer.constData() + infile->at, size_t(n));
    infile->at += n;
    return int(n);
}

void infileEnd(void*) {}

int infileError(void* handle, char* message, unsigned int size) {
    const auto* infile = static_cast<MysqlDestination::Infile*>(handle);
    std::snprintf(message, size, "%s",
                  infile && infile->refused  ? "the server asked for a local file this client did not offer"
                  : infile && infile->failed ? "a value could not be written"
                                             : "reading the rows failed");
    return CR_UNKNOWN_ERROR;
}

} // namespace

void MysqlDestination::setUpLoadData() {
    m_loadData = false;
    m_replaceIsUpsert.clear();
    // Every file request goes to the handler, which serves only our own rows (the client
    // library's default would read any local file the server names).
    mysql_set_local_infile_handler(m_mysql, infileInit, infileRead, infileEnd, infileError, &m_infile);
    const QString prefetch = qEnvironmentVariable("OPENRESYNC_MYSQL_PREFETCH");
    m_prefetchOff = m_readOnly || prefetch == u"0";
    m_prefetchMode = prefetch == u"1" ? PrefetchMode::Always : PrefetchMode::WhileReading;
    m_splitOff = m_readOnly || qEnvironmentVariable("OPENRESYNC_MYSQL_SPLIT") == u"0";
    // The default; "0" keeps the statements (a server where the load turns out slower).
    if (m_readOnly || qEnvironmentVariable("OPENRESYNC_MYSQL_LOAD_DATA") == u"0")
        return;
    // MariaDB's client library announces LOCAL INFILE by default (Qt 6.4's driver has no option
    // for it); this only lets the library answer the server's request. A library built without
    // it makes the server refuse the load, and the statements take over (stopLoadData).
    unsigned int on = 1;
    mysql_optionsv(m_mysql, MYSQL_OPT_LOCAL_INFILE, &on);
    auto rows = selectText("SELECT @@GLOBAL.local_infile", QStringLiteral("reading local_infile"));
    const bool serverAllows =
        rows && rows->size() == 1 && rows->first().size() == 1 && rows->first().first().value_or("0") == "1";
    if (!serverAllows) {
        qCInfo(lcDestination).noquote()
            << QStringLiteral("%1: the server's local_infile is OFF, so pages are written as INSERT "
                              "statements (LOAD DATA LOCAL would be faster)")
                   .arg(where());
        return;
    }
    m_loadData = true;
}

void MysqlDestination::stopLoadData(const QString& why) {
    m_loadData = false;
    qCInfo(lcDestination).noquote()
        << QStringLiteral("%1: %2, so pages are written as INSERT statements from now on").arg(where(), why);
}

Expected<bool> MysqlDestination::replaceIsUpsert(const QString& table) {
    if (const auto known = m_replaceIsUpsert.constFind(table); known != m_replaceIsUpsert.constEnd())
        return *known;
    // REPLACE updates a row in place only when the primary key is the table's one unique key and
    // no foreign key refers to the table; otherwise it deletes the old row (and what a cascade
    // takes with it) and inserts a new one. And it fires no UPDATE trigger where ON DUPLICATE KEY
    // UPDATE does. A table someone gave more keys, references or triggers keeps the statements.
    QByteArray name = "'";
    appendEscaped(name, table.toUtf8());
    name += '\'';
    const QByteArray sql =
        "SELECT (SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND "
        "TABLE_NAME = " +
        name +
        " AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY') + (SELECT COUNT(*) FROM "
        "information_schema.KEY_COLUMN_USAGE WHERE REFERENCED_TABLE_SCHEMA = DATABASE() AND "
        "REFERENCED_TABLE_NAME = " +
        name +
        ") + (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE "
        "EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = " +
        name + ")";
    auto rows = selectText(sql, QStringLiteral("reading the keys and triggers of %1").arg(table));
    if (!rows)
        return rows.error();
    const bool upsert = rows->size() == 1 && rows->first().size() == 1 && rows->first().first() == "0";
    if (!upsert)
        qCInfo(lcDestination).noquote()
            << QStringLiteral("%1: %2 has unique keys besides its primary key, foreign keys referring "
                              "to it or triggers, so its rows are written as INSERT statements")
                   .arg(where(), table);
    m_replaceIsUpsert.insert(table, upsert);
    return upsert;
}

Expected<bool> MysqlDestination::loadRows(const TablePlan& table, const RowFormat& format,
                                          const QByteArrayList& columns, const QList<const Row*>& rows) {
    const QString what = QStringLiteral("writing %1").arg(table.table);
    const QString savepoint = what + QStringLiteral(" (savepoint)");
    if (auto r = query("SAVEPOINT ors_load", savepoint); !r)
        return r.error();
    const QByteArray sql = QByteArray("LOAD DATA LOCAL INFILE '") + kInfileName + "' REPLACE INTO TABLE " +
                           quote(table.table) + " CHARACTER SET utf8mb4 (" + columns.join(',') + ')';
    ++m_statementsSent;
    // The values are checked as the statements check them: a value refused here is its
    // record's fault alone.
    qsizetype next = 0;
    m_infile = Infile{};
    m_infile.next = [&](QByteArray& out) {
        if (next == rows.size())
            return false;
        if (auto r = appendRow(out, table, format, *rows.at(next), RowSyntax::LoadData); !r) {
            m_infile.failed = r.error();
            return false;
        }
        ++next;
        return true;
    };
    const bool sent = mysql_real_query(m_mysql, sql.constData(), static_cast<unsigned long>(sql.size())) == 0;
    const bool refused = m_infile.refused;
    const std::optional<Error> failed = std::exchange(m_infile, Infile{}).failed;
    if (failed) {
        // The page fails, naming the record; what the server took of the rows before it goes
        // with the page's transaction, which a failed apply rolls back.
        m_rowFault = RowFault{table.table, *rows.at(next)};
        return *failed;
    }
    unsigned code = 0;
    QString message;
    bool ok = sent && !refused;
    if (sent) {
        if (MYSQL_RES* result = mysql_store_result(m_mysql))
            mysql_free_result(result);
        // "Records: 1000  Deleted: 0  Skipped: 0  Warnings: 0": every row sent arrived as one row
        // (Deleted counts the rows REPLACE updated), none skipped, no value changed on the way.
        const QByteArray info = mysql_info(m_mysql);
        static const QRegularExpression counts(
            QStringLiteral("Records: (\\d+)\\s+Deleted: \\d+\\s+Skipped: (\\d+)\\s+Warnings: (\\d+)"));
        const auto match = counts.match(QString::fromLatin1(info));
        ok = ok && match.hasMatch() && match.captured(1).toLongLong() == rows.size() &&
             match.captured(2) == u"0" && match.captured(3) == u"0" && mysql_warning_count(m_mysql) == 0;
    } else {
        code = mysql_errno(m_mysql);
        message = QString::fromUtf8(mysql_error(m_mysql));
    }
    if (ok) {
        if (auto r = query("RELEASE SAVEPOINT ors_load", savepoint); !r)
            return r.error();
        m_rowsLoaded += rows.size();
        return true;
    }
    if (code == ER_LOCK_DEADLOCK || code == ER_LOCK_WAIT_TIMEOUT)
        m_conflict = true; // inTransaction runs the page again
    if (transactionLost(code))
        return statementError(table, nullptr, code, message);
    const bool disabled = code == ER_NOT_ALLOWED_COMMAND || code == ER_LOAD_INFILE_CAPABILITY_DISABLED ||
                          code == CR_UNKNOWN_ERROR;
    if (code != 0 && !disabled && !rowLevel(code))
        return statementError(table, nullptr, code, message);
    // A row's value (or a server that will not load): back to before the load, and the
    // statements write the page or name the record.
    if (auto r = query("ROLLBACK TO SAVEPOINT ors_load", savepoint); !r)
        return r.error();
    if (disabled)
        stopLoadData(
            QStringLiteral("LOAD DATA LOCAL was refused (%1, MySQL error %2)").arg(message).arg(code));
    return false;
}

} // namespace ors
