#include "config/ServerConnection.h"

#include <QSqlDriver>
#include <QVariant>

#include <mysql.h>

namespace ors {

namespace {

// A value of libpq's conninfo syntax: single-quoted, with ' and \ escaped.
QString conninfoValue(const QString& value) {
    QString escaped = value;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

QString sslMode(TlsMode mode) {
    switch (mode) {
    case TlsMode::Disabled:
        return QStringLiteral("disable");
    case TlsMode::Preferred:
        return QStringLiteral("prefer");
    case TlsMode::Required:
        return QStringLiteral("require");
    case TlsMode::VerifyCa:
        return QStringLiteral("verify-ca");
    case TlsMode::VerifyIdentity:
        return QStringLiteral("verify-full");
    }
    return QStringLiteral("prefer");
}

} // namespace

void ServerConnection::setAddress(QSqlDatabase& db, const Address& address, const QString& password) {
    db.setHostName(address.host);
    db.setPort(address.port);
    db.setDatabaseName(address.database);
    db.setUserName(address.user);
    db.setPassword(password);
}

QStringList ServerConnection::mysqlTlsOptions(const TlsConfig& tls) {
    QStringList options;
    if (tls.mode == TlsMode::Disabled)
        return options;
    if (!tls.ca.isEmpty())
        options.append(QStringLiteral("SSL_CA=") + tls.ca);
    if (!tls.cert.isEmpty())
        options.append(QStringLiteral("SSL_CERT=") + tls.cert);
    if (!tls.key.isEmpty())
        options.append(QStringLiteral("SSL_KEY=") + tls.key);
    if (tls.ca.isEmpty() && tls.cert.isEmpty())
        options.append(QStringLiteral("SSL_CIPHER=DEFAULT"));
    return options;
}

QStringList ServerConnection::postgresTlsOptions(const TlsConfig& tls) {
    // Qt turns ';' into a space in the conninfo, so the file names are quoted.
    QStringList options{QStringLiteral("sslmode=") + sslMode(tls.mode)};
    if (tls.mode == TlsMode::Disabled)
        return options;
    if (!tls.ca.isEmpty())
        options.append(QStringLiteral("sslrootcert=") + conninfoValue(tls.ca));
    if (!tls.cert.isEmpty())
        options.append(QStringLiteral("sslcert=") + conninfoValue(tls.cert));
    if (!tls.key.isEmpty())
        options.append(QStringLiteral("sslkey=") + conninfoValue(tls.key));
    return options;
}

Expected<void> ServerConnection::verifyMysqlIdentity(const Address& address, const QString& password,
                                                     unsigned int timeoutSeconds) {
    MYSQL* probe = mysql_init(nullptr);
    if (!probe)
        return makeError(QStringLiteral("out of memory"));
    const unsigned int protocol = MYSQL_PROTOCOL_TCP;
    const my_bool verify = 1;
    mysql_options(probe, MYSQL_OPT_CONNECT_TIMEOUT, &timeoutSeconds);
    mysql_options(probe, MYSQL_OPT_PROTOCOL, &protocol);
    mysql_options(probe, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
    const QByteArray key = address.tls.key.toLocal8Bit();
    const QByteArray cert = address.tls.cert.toLocal8Bit();
    const QByteArray ca = address.tls.ca.toLocal8Bit();
    mysql_ssl_set(probe, key.isEmpty() ? nullptr : key.constData(),
                  cert.isEmpty() ? nullptr : cert.constData(), ca.isEmpty() ? nullptr : ca.constData(),
                  nullptr, nullptr);
    const QByteArray host = address.host.toUtf8();
    const QByteArray user = address.user.toUtf8();
    const QByteArray secret = password.toUtf8();
    Expected<void> result;
    if (!mysql_real_connect(probe, host.constData(), user.constData(), secret.constData(), nullptr,
                            static_cast<unsigned int>(address.port), nullptr, 0))
        result = makeError(
            QStringLiteral(
                "tls.mode is \"verify-identity\" and the server at %1:%2 failed it: %3 (MySQL error %4)")
                .arg(address.host)
                .arg(address.port)
                .arg(QString::fromUtf8(mysql_error(probe)))
                .arg(mysql_errno(probe)));
    mysql_close(probe);
    return result;
}

QString ServerConnection::mysqlCipher(const QSqlDatabase& db) {
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    // The type is named after the typedef or the struct, depending on the client headers Qt saw.
    if (!handle.isValid() ||
        (qstrcmp(handle.typeName(), "MYSQL*") != 0 && qstrcmp(handle.typeName(), "st_mysql*") != 0))
        return QString();
    MYSQL* mysql = *static_cast<MYSQL* const*>(handle.constData());
    const char* cipher = mysql ? mysql_get_ssl_cipher(mysql) : nullptr;
    return cipher ? QString::fromLatin1(cipher) : QString();
}

QString ServerConnection::tlsRefused(const Address& address) {
    return QStringLiteral("tls.mode is \"%1\" but the server at %2:%3 does not offer TLS; the unencrypted "
                          "connection is closed unused")
        .arg(tlsModeName(address.tls.mode), address.host)
        .arg(address.port);
}

} // namespace ors
