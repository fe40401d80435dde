#include "destinations/MysqlDestination.h"

#include "config/ServerConnection.h"
#include "logging/Redactor.h"
#include "records/SchemaPlanner.h"

#include <QDateTime>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThreadPool>

#include <mysql.h>
#include <mysqld_error.h>

namespace ors {

namespace {

constexpr qsizetype kMaxStatement = 4 * 1024 * 1024;
constexpr qsizetype kMinStatement = 16 * 1024;
} // namespace

bool MysqlDestination::connectionLost(unsigned code) {
    // CR_SERVER_GONE_ERROR, CR_SERVER_LOST, CR_SERVER_LOST_EXTENDED, and a killed connection.
    return code == 2006 || code == 2013 || code == 2055 || code == ER_CONNECTION_KILLED;
}

bool MysqlDestination::transactionLost(unsigned code) {
    // The server undoes the whole transaction after these, not just the statement.
    return connectionLost(code) || code == ER_LOCK_DEADLOCK || code == ER_LOCK_WAIT_TIMEOUT;
}

MysqlDestination::MysqlDestination(DestinationConfig config, QString sourceName)
    : SqlTextDestination(std::move(config), std::move(sourceName)) {}

MysqlDestination::~MysqlDestination() {
    closePrefetch();
    m_mysql = nullptr;
}

QString MysqlDestination::describe() const {
    return QStringLiteral("mysql %1@%2:%3/%4")
        .arg(m_config.user, m_config.host)
        .arg(m_config.port)
        .arg(m_config.database);
}

Error MysqlDestination::serverError(const QString& what) const {
    const unsigned code = m_mysql ? mysql_errno(m_mysql) : 0;
    const QString text = m_mysql ? QString::fromUtf8(mysql_error(m_mysql)) : QStringLiteral("not connected");
    QString message = QStringLiteral("%1: %2 failed: %3 (MySQL error %4)").arg(where(), what, text).arg(code);
    if (connectionLost(code))
        message += QStringLiteral("; the connection to %1:%2 was lost, nothing of this step was committed")
                       .arg(m_config.host)
                       .arg(m_config.port);
    return makeError(Redactor::redact(message));
}

void MysqlDestination::setStatementLimit(qsizetype bytes) {
    m_statementLimit = std::max(kMinStatement, m_maxPacket > 0 ? std::min(bytes, m_maxPacket / 2) : bytes);
}

Expected<void> MysqlDestination::open() {
    auto prepared = prepareConnection(QStringLiteral("QMYSQL"), QStringLiteral("ors-mysql"),
                                      QStringLiteral("MySQL"), QStringLiteral("libqt6sql6-mysql"));
    if (!prepared)
        return prepared.error();
    QSqlDatabase db = *prepared;
    const TlsConfig& tls = m_config.tls;
    if (tls.mode == TlsMode::VerifyIdentity)
        if (auto r = ServerConnection::verifyMysqlIdentity(ServerConnection::addressOf(m_config),
                                                           db.password(), 15);
            !r)
            return makeError(Redactor::redact(QStringLiteral("%1: %2").arg(where(), r.errorMessage())));
    // Never reconnect silently: a new session would lose the transaction and the session settings.
    QStringList options{QStringLiteral("MYSQL_OPT_CONNECT_TIMEOUT=15"),
                        QStringLiteral("MYSQL_OPT_READ_TIMEOUT=900"),
                        QStringLiteral("MYSQL_OPT_WRITE_TIMEOUT=900")};
    options << ServerConnection::mysqlTlsOptions(tls);
    db.setConnectOptions(options.join(QLatin1Char(';')));
    if (!db.open()) {
        const QSqlError error = db.lastError();
        if (m_readOnly && error.nativeErrorCode() == QString::number(ER_BAD_DB_ERROR)) {
            m_missing = true; // nothing written yet: reads as empty
            return {};
        }
        return makeError(
            Redactor::redact(QStringLiteral("%1: cannot connect to %2:%3: %4 (MySQL error %5)")
                                 .arg(where(), m_config.host)
                                 .arg(m_config.port)
                                 .arg(error.databaseText().isEmpty() ? error.text() : error.databaseText(),
                                      error.nativeErrorCode())));
    }
    const QVariant handle = db.driver()->handle();
    // The type is named after the typedef or the struct, depending on the client headers Qt saw.
    if (!handle.isValid() ||
        (qstrcmp(handle.typeName(), "MYSQL*") != 0 && qstrcmp(handle.typeName(), "st_mysql*") != 0))
        return makeError(QStringLiteral("%1: the QMYSQL driver exposes no MYSQL handle (%2)")
                             .arg(where(), QString::fromLatin1(handle.typeName())));
    m_mysql = *static_cast<MYSQL* const*>(handle.constData());
    m_tlsCipher = ServerConnection::mysqlCipher(db);
    const bool mustEncrypt = tls.mode != TlsMode::Disabled && tls.mode != TlsMode::Preferred;
    if (mustEncrypt && m_tlsCipher.isEmpty()) {
        m_mysql = nullptr;
        db.close();
        return makeError(QStringLiteral("%1: %2").arg(
            where(), ServerConnection::tlsRefused(ServerConnection::addressOf(m_config))));
    }
    return connectSession();
}

Expected<void> MysqlDestination::connectSession() {
    // utf8mb4 for the server and for the client library's escaping alike.
    if (mysql_set_character_set(m_mysql, "utf8mb4") != 0)
        return serverError(QStringLiteral("choosing utf8mb4"));
    // Qt's driver connects with CLIENT_MULTI_STATEMENTS. One statement per call means a value
    // that ever escaped its quotes could not start a second statement (DROP TABLE ...).
    if (mysql_set_server_option(m_mysql, MYSQL_OPTION_MULTI_STATEMENTS_OFF) != 0)
        return serverError(QStringLiteral("turning multi-statements off"));
    // DATETIME columns hold UTC; the server's own zone must never play a part. Strict mode makes a
    // value that does not fit an error naming the column instead of a silently changed value.
    if (auto r = query("SET SESSION time_zone = '+00:00', "
                       "sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                       "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
                       QStringLiteral("session setup"));
        !r)
        return r;
    if (!m_readOnly) {
        // 600-column tables cannot promise InnoDB's worst-case row size; with strict mode off the
        // CREATE TABLE succeeds and a row that really does not fit fails by itself, naming its key.
        if (auto r = query("SET SESSION innodb_strict_mode = OFF", QStringLiteral("session setup")); !r)
            return r;
    }
    QSqlQuery q(connection());
    if (!q.exec(QStringLiteral("SELECT @@max_allowed_packet")) || !q.next())
        return makeError(QStringLiteral("%1: reading max_allowed_packet failed: %2")
                             .arg(where(), q.lastError().databaseText()));
    m_maxPacket = q.value(0).toLongLong();
    m_statementLimit = std::max(kMinStatement, std::min(m_maxPacket / 2, kMaxStatement));
    // Keys compare byte for byte. A NO PAD binary collation also keeps "A1" and "A1 " apart.
    if (q.exec(QStringLiteral("SELECT COLLATION_NAME FROM information_schema.COLLATIONS WHERE COLLATION_NAME "
                              "IN ('utf8mb4_nopad_bin', 'utf8mb4_0900_bin')")) &&
        q.next())
        m_keyCollation = q.value(0).toString();
    setUpLoadData();
    return {};
}

Expected<void> MysqlDestination::send(const QByteArray& sql, const QString& what) {
    if (mysql_real_query(m_mysql, sql.constData(), static_cast<unsigned long>(sql.size())) != 0) {
        const unsigned code = mysql_errno(m_mysql);
        if (code == ER_LOCK_DEADLOCK || code == ER_LOCK_WAIT_TIMEOUT)
            m_conflict = true; // inTransaction runs the transaction again
        Error error = serverError(what);
        if (!what.startsWith(QStringLiteral("writing")))
            error.message += QStringLiteral(" (SQL: %1)").arg(QString::fromUtf8(sql.left(300)));
        return error;
    }
    ++m_statementsSent;
    m_largestStatement = std::max(m_largestStatement, sql.size());
    return {};
}

Expected<void> MysqlDestination::query(const QByteArray& sql, const QString& what) {
    if (auto r = send(sql, what); !r)
        return r;
    if (MYSQL_RES* result = mysql_store_result(m_mysql))
        mysql_free_result(result);
    return {};
}

Expected<void> MysqlDestination::runStatement(const QByteArray& sql) {
    if (!m_mysql)
        return makeError(QStringLiteral("%1: not connected").arg(where()));
    return query(sql, QStringLiteral("statement"));
}

Expected<QString> MysqlDestination::sessionVariable(const QString& name) {
    if (!SchemaPlanner::isValidIdentifier(name) || m_missing)
        return makeError(QStringLiteral("%1: no session variable %2").arg(where(), name));
    QSqlQuery q(connection());
    if (!q.exec(QStringLiteral("SELECT @@SESSION.") + name) || !q.next())
        return makeError(
            QStringLiteral("%1: reading %2 failed: %3").arg(where(), name, q.lastError().databaseText()));
    return q.value(0).toString();
}

Expected<qint64> MysqlDestination::sessionStatus(const QString& name) {
    if (!SchemaPlanner::isValidIdentifier(name) || m_missing || !m_mysql)
        return makeError(QStringLiteral("%1: no session status %2").arg(where(), name));
    auto rows = selectText("SHOW SESSION STATUS LIKE '" + name.toLatin1() + '\'',
                           QStringLiteral("reading the session status %1").arg(name));
    if (!rows)
        return rows.error();
    if (rows->size() != 1 || rows->first().size() != 2 || !rows->first().at(1))
        return makeError(QStringLiteral("%1: the server has no session status %2").arg(where(), name));
    return rows->first().at(1)->toLongLong();
}

Expected<MysqlDestination::TextRows> MysqlDestination::selectText(const QByteArray& sql,
                                                                  const QString& what) {
    if (!m_mysql)
        return makeError(QStringLiteral("%1: %2: not connected").arg(where(), what));
    // The text protocol: every value as the server writes it (DECIMAL with its digits, DATETIME
    // as "2024-05-01 10:00:00.123"), which is what fetchRecord's form is made from.
    if (auto r = send(sql, what); !r)
        return r.error();
    TextRows rows;
    MYSQL_RES* result = mysql_store_result(m_mysql);
    if (!result) {
        if (mysql_field_count(m_mysql) == 0)
            return rows;
        return serverError(what);
    }
    const unsigned columns = mysql_num_fields(result);
    while (MYSQL_ROW row = mysql_fetch_row(result)) {
        const unsigned long* lengths = mysql_fetch_lengths(result);
        QList<std::optional<QByteArray>> values;
        values.reserve(columns);
        for (unsigned c = 0; c < columns; ++c)
            values.append(row[c] ? std::optional<QByteArray>(QByteArray(row[c], qsizetype(lengths[c])))
                                 : std::nullopt);
        rows.append(std::move(values));
    }
    mysql_free_result(result);
    return rows;
}

Expected<void> MysqlDestination::runCounted(const QByteArray& sql, const QString& what, qint64* affected) {
    auto r = query(sql, what);
    if (r && affected)
        *affected += qint64(mysql_affected_rows(m_mysql));
    return r;
}

MysqlDestination::ReadAs MysqlDestination::readAs(const ColumnShape& column) const {
    static const QStringList integers{QStringLiteral("tinyint"), QStringLiteral("smallint"),
                                      QStringLiteral("mediumint"), QStringLiteral("int"),
                                      QStringLiteral("bigint")};
    if (integers.contains(column.type))
        return ReadAs::Integer;
    if (column.type == u"double" || column.type == u"float")
        return ReadAs::Real;
    if (column.type == u"datetime" || column.type == u"timestamp")
        return ReadAs::Timestamp;
    return ReadAs::Text;
}

QByteArray MysqlDestination::timestampExpression(const QByteArray& column) const {
    // "2024-05-01 10:00:00.123", UTC by construction.
    return "CAST(" + column + " AS CHAR)";
}

QByteArray MysqlDestination::timestampLiteral(const QDateTime& instant) const {
    // DATETIME(3) in a UTC session: the instant as a DATETIME literal compares as one.
    return "'" + instant.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")).toLatin1() + "'";
}

} // namespace ors
