#include "destinations/PostgresDestination.h"

#include "config/ServerConnection.h"
#include "logging/Redactor.h"

#include <QDateTime>
#include <QSqlDriver>
#include <QSqlError>

#include <libpq-fe.h>

namespace ors {

namespace {

constexpr qsizetype kMaxStatement = 4 * 1024 * 1024;
constexpr qsizetype kMinStatement = 16 * 1024;

} // namespace

bool PostgresDestination::connectionLost(const QByteArray& sqlState) {
    // No SQLSTATE: libpq lost the connection itself. Class 08 is a connection exception; 57P01-03
    // are the server shutting down or the backend being terminated.
    return sqlState.isEmpty() || sqlState.startsWith("08") || sqlState == "57P01" || sqlState == "57P02" ||
           sqlState == "57P03";
}

PostgresDestination::PostgresDestination(DestinationConfig config, QString sourceName)
    : SqlTextDestination(std::move(config), std::move(sourceName)) {}

PostgresDestination::~PostgresDestination() {
    m_pg = nullptr; // owned by Qt's driver, closed by SqlDestination's destructor
}

QString PostgresDestination::describe() const {
    QString text = QStringLiteral("postgresql %1@%2:%3/%4")
                       .arg(m_config.user, m_config.host)
                       .arg(m_config.port)
                       .arg(m_config.database);
    if (!m_config.schema.isEmpty())
        text += QStringLiteral(" schema %1").arg(m_config.schema);
    return text;
}

Error PostgresDestination::serverError(const QString& what, const Failure& failure) const {
    QString message = QStringLiteral("%1: %2 failed: %3").arg(where(), what, failure.message);
    if (!failure.sqlState.isEmpty())
        message += QStringLiteral(" (PostgreSQL error %1)").arg(QString::fromLatin1(failure.sqlState));
    if (connectionLost(failure.sqlState))
        message += QStringLiteral("; the connection to %1:%2 was lost, nothing of this step was committed")
                       .arg(m_config.host)
                       .arg(m_config.port);
    return makeError(Redactor::redact(message));
}

void PostgresDestination::setStatementLimit(qsizetype bytes) {
    m_statementLimit = std::max(kMinStatement, bytes);
}

Expected<void> PostgresDestination::open() {
    auto prepared = prepareConnection(QStringLiteral("QPSQL"), QStringLiteral("ors-pg"),
                                      QStringLiteral("PostgreSQL"), QStringLiteral("libqt6sql6-psql"));
    if (!prepared)
        return prepared.error();
    QSqlDatabase db = *prepared;
    // libpq enforces the TLS mode itself: "require" refuses a server without TLS, "verify-full"
    // also checks the certificate's name.
    QStringList options{QStringLiteral("connect_timeout=15"), QStringLiteral("application_name=openresync")};
    options << ServerConnection::postgresTlsOptions(m_config.tls);
    db.setConnectOptions(options.join(QLatin1Char(';')));
    if (!db.open()) {
        const QSqlError error = db.lastError();
        const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
        // Qt gives no SQLSTATE for a failed connection; the server's message names the database.
        if (m_readOnly &&
            text.contains(QStringLiteral("database \"%1\" does not exist").arg(m_config.database))) {
            m_missing = true; // nothing written yet: reads as empty
            return {};
        }
        return makeError(Redactor::redact(QStringLiteral("%1: cannot connect to %2:%3: %4")
                                              .arg(where(), m_config.host)
                                              .arg(m_config.port)
                                              .arg(text.trimmed())));
    }
    const QVariant handle = db.driver()->handle();
    // The type is named after the typedef or the struct, depending on the headers Qt saw.
    if (!handle.isValid() ||
        (qstrcmp(handle.typeName(), "PGconn*") != 0 && qstrcmp(handle.typeName(), "pg_conn*") != 0))
        return makeError(QStringLiteral("%1: the QPSQL driver exposes no PGconn handle (%2)")
                             .arg(where(), QString::fromLatin1(handle.typeName())));
    m_pg = *static_cast<PGconn* const*>(handle.constData());
    return connectSession();
}

Expected<void> PostgresDestination::connectSession() {
    // timestamptz values are written as UTC instants and read AT TIME ZONE 'UTC'; the session's
    // zone plays no part, but UTC keeps a person's `SHOW` and psql output in the same terms.
    // standard_conforming_strings: a backslash in a literal is just a backslash, which is what
    // PQescapeStringConn then escapes for. extra_float_digits > 0: doubles read back exactly.
    // client_min_messages: no NOTICE ("relation already exists, skipping") on stderr.
    static const char* const kSettings[] = {
        "SET client_encoding = 'UTF8'", "SET TimeZone = 'UTC'",       "SET standard_conforming_strings = on",
        "SET DateStyle = 'ISO, YMD'",   "SET extra_float_digits = 3", "SET client_min_messages = warning",
    };
    m_stages.clear(); // a new session has no temporary tables
    m_stagesDirty.clear();
    for (const char* setting : kSettings)
        if (auto r = query(setting, QStringLiteral("session setup")); !r)
            return r;
    m_statementLimit = kMaxStatement;
    if (m_config.schema.isEmpty()) {
        auto current = run("SELECT current_schema()", {}, QStringLiteral("reading the current schema"));
        if (!current)
            return current.error();
        if (current->isEmpty() || !current->first().first()) {
            if (m_readOnly) {
                m_missing = true;
                return {};
            }
            return makeError(QStringLiteral("%1: no schema of the search_path exists in database %2; create "
                                            "one or name one with the destination's \"schema\" key")
                                 .arg(where(), m_config.database));
        }
        m_schema = QString::fromUtf8(*current->first().first());
        return {};
    }
    // A schema named in the configuration is never created: a misspelt name would otherwise
    // quietly fill a new schema beside the one the user's product reads.
    auto found = run("SELECT 1 FROM pg_namespace WHERE nspname = $1", {m_config.schema.toUtf8()},
                     QStringLiteral("looking for schema %1").arg(m_config.schema));
    if (!found)
        return found.error();
    if (found->isEmpty()) {
        if (m_readOnly) {
            m_missing = true;
            return {};
        }
        return makeError(
            QStringLiteral("%1: schema \"%2\" does not exist in database %3; create it "
                           "(CREATE SCHEMA %4) or correct the destination's \"schema\" key")
                .arg(where(), m_config.schema, m_config.database, QString::fromUtf8(quote(m_config.schema))));
    }
    m_schema = m_config.schema;
    return {};
}

Expected<PostgresDestination::Rows> PostgresDestination::run(const QByteArray& sql,
                                                             const QByteArrayList& params,
                                                             const QString& what, qint64* affected,
                                                             Failure* failure) {
    if (!m_pg)
        return makeError(QStringLiteral("%1: %2: not connected").arg(where(), what));
    QList<const char*> values;
    QList<int> lengths;
    for (const QByteArray& param : params) {
        values.append(param.constData());
        lengths.append(int(param.size()));
    }
    ++m_statementsSent;
    m_largestStatement = std::max(m_largestStatement, sql.size());
    PGresult* result = PQexecParams(m_pg, sql.constData(), int(params.size()), nullptr, values.constData(),
                                    lengths.constData(), nullptr, 0);
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        Failure f = failureOf(result);
        // A serialization failure or deadlock undid the transaction: inTransaction runs it again.
        if (f.sqlState == "40001" || f.sqlState == "40P01")
            m_conflict = true;
        if (result)
            PQclear(result);
        Error error = serverError(what, f);
        if (!what.startsWith(QStringLiteral("writing")))
            error.message += QStringLiteral(" (SQL: %1)").arg(QString::fromUtf8(sql.left(300)));
        if (failure)
            *failure = std::move(f);
        return error;
    }
    Rows rows;
    const int rowCount = PQntuples(result);
    const int columnCount = PQnfields(result);
    rows.reserve(rowCount);
    for (int r = 0; r < rowCount; ++r) {
        QList<std::optional<QByteArray>> row;
        row.reserve(columnCount);
        for (int c = 0; c < columnCount; ++c) {
            if (PQgetisnull(result, r, c))
                row.append(std::nullopt);
            else
                row.append(QByteArray(PQgetvalue(result, r, c), PQgetlength(result, r, c)));
        }
        rows.append(std::move(row));
    }
    if (affected) {
        const char* tuples = PQcmdTuples(result);
        *affected += tuples && *tuples ? QByteArray(tuples).toLongLong() : 0;
    }
    PQclear(result);
    return rows;
}

PostgresDestination::Failure PostgresDestination::failureOf(const pg_result* result) const {
    Failure f;
    if (result && PQresultErrorField(result, PG_DIAG_SQLSTATE))
        f.sqlState = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    if (result && PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)) {
        f.message = QString::fromUtf8(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
        if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL))
            f.message += QStringLiteral(" (%1)").arg(QString::fromUtf8(detail));
    } else {
        f.message = QString::fromUtf8(PQerrorMessage(m_pg)).trimmed();
    }
    // A connection libpq found broken has no server error code: say so as one.
    if (PQstatus(m_pg) == CONNECTION_BAD && !f.sqlState.startsWith("57P"))
        f.sqlState.clear();
    return f;
}

Expected<void> PostgresDestination::runStatement(const QByteArray& sql) {
    return query(sql, QStringLiteral("statement"));
}

Expected<QString> PostgresDestination::sessionSetting(const QString& name) {
    auto rows =
        run("SELECT current_setting($1)", {name.toUtf8()}, QStringLiteral("reading setting %1").arg(name));
    if (!rows)
        return rows.error();
    if (rows->isEmpty() || !rows->first().first())
        return makeError(QStringLiteral("%1: no setting %2").arg(where(), name));
    return QString::fromUtf8(*rows->first().first());
}

int PostgresDestination::backendPid() const {
    return m_pg ? PQbackendPID(m_pg) : 0;
}

QByteArray PostgresDestination::timestampText(const QByteArray& column) {
    return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

PostgresDestination::ReadAs PostgresDestination::readAs(const ColumnShape& column) const {
    // Every value is read in libpq's text format: integers, booleans and doubles are turned back
    // into JSON numbers, timestamps are asked for in the contract's form, the rest is text as the
    // server writes it (numeric with its scale, date as YYYY-MM-DD, jsonb normalized).
    if (column.type == u"int2" || column.type == u"int4" || column.type == u"int8")
        return ReadAs::Integer;
    if (column.type == u"bool")
        return ReadAs::Boolean;
    if (column.type == u"float4" || column.type == u"float8")
        return ReadAs::Real;
    if (column.type == u"timestamptz" || column.type == u"timestamp")
        return ReadAs::Timestamp;
    return ReadAs::Text;
}

QByteArray PostgresDestination::timestampLiteral(const QDateTime& instant) const {
    // timestamptz compares as an instant: the guard's UTC text is such an instant.
    return "'" + instant.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ")).toLatin1() +
           "'::timestamptz";
}

} // namespace ors
