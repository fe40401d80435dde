#pragma once

#include "config/Config.h"
#include "util/Expected.h"

#include <QSqlDatabase>
#include <QStringList>

namespace ors {

// Connecting to a MySQL/MariaDB or PostgreSQL server the same way wherever the program does (a
// destination, the shared stats store): the address and password on Qt's connection, the TLS
// settings in each driver's words, and the server-name check Qt's MySQL driver cannot make.
// Timeouts and session settings differ by use and stay with the caller.
class ServerConnection {
public:
    // Where a connection goes, without its password.
    struct Address {
        QString host;
        int port = 0;
        QString database;
        QString user;
        TlsConfig tls;
    };

    static Address addressOf(const DestinationConfig& config) {
        return {config.host, config.port, config.database, config.user, config.tls};
    }
    static Address addressOf(const SqlServerConfig& config) {
        return {config.host, config.port, config.database, config.user, config.tls};
    }

    static void setAddress(QSqlDatabase& db, const Address& address, const QString& password);
    // QMYSQL connect options for `tls`. Qt 6.4's driver knows no TLS mode: any SSL_* option makes
    // the client library try TLS and a CA makes it check the chain; whether TLS was really used is
    // for the caller to check once connected (usesTls).
    static QStringList mysqlTlsOptions(const TlsConfig& tls);
    // QPSQL (libpq conninfo) options for `tls`: libpq enforces the mode itself.
    static QStringList postgresTlsOptions(const TlsConfig& tls);
    // verify-identity on MySQL/MariaDB: a connection of our own, with TLS enforced and the
    // server's name checked, before Qt's sends anything. The error says the host and port.
    static Expected<void> verifyMysqlIdentity(const Address& address, const QString& password,
                                              unsigned int timeoutSeconds);
    // Whether the open QMYSQL connection `db` uses TLS: its cipher, empty when not.
    static QString mysqlCipher(const QSqlDatabase& db);
    // The message for a tls.mode that demands TLS of a server that did not offer it.
    static QString tlsRefused(const Address& address);
};

} // namespace ors
