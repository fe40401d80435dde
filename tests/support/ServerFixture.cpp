#include "ServerFixture.h"

#include <QJsonArray>

namespace ors::test {

std::unique_ptr<ServerFixture> ServerFixture::make(ServerKind kind, const DatabaseServer& on,
                                                   const fake::ServerOptions& options, int pageSize,
                                                   const QString& platform, const QString& passwordVariable) {
    auto f = std::make_unique<ServerFixture>();
    f->kind = kind;
    f->dbServer = on;
    if (!f->startServer(options))
        return nullptr;
    if (kind == ServerKind::Mysql) {
        if (!f->mysql.create(on, QStringLiteral("e2e")))
            return nullptr;
    } else if (const QString e = f->postgres.create(on, QStringLiteral("e2e")); !e.isEmpty()) {
        qWarning("%s", qPrintable(e));
        return nullptr;
    }
    f->sqlite = f->path(QStringLiteral("dest/local.sqlite"));
    QJsonObject source = sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->sqlite}, pageSize);
    QJsonArray destinations = source.value(QStringLiteral("destinations")).toArray();
    destinations.append(f->destinationEntry(
        kind == ServerKind::Mysql ? QStringLiteral("db") : QStringLiteral("pg"), passwordVariable));
    source.insert(QStringLiteral("destinations"), destinations);
    source.insert(QStringLiteral("platform"), platform);
    f->writeSource(source);
    return f;
}

QJsonObject ServerFixture::destinationEntry(const QString& name, const QString& passwordVariable) const {
    return serverDestination(name, kind == ServerKind::Mysql ? QStringLiteral("mysql") : QStringLiteral("postgresql"),
                             dbServer, database(), passwordVariable);
}

QProcessEnvironment ServerFixture::environment(const QString& passwordVariable) const {
    return serverCliEnvironment(kind == ServerKind::Mysql ? QStringLiteral("ORS_TEST_MYSQL_")
                                                          : QStringLiteral("ORS_TEST_PG_"),
                                passwordVariable, dbServer);
}

QStringList ServerFixture::serverDifferences(const QString& prefix) const {
    const auto compare = [this, &prefix](const QString& resource, const QString& keyField,
                                         const QString& parentKeyColumn = {},
                                         const QString& parentKeyField = {}) {
        return kind == ServerKind::Mysql
                   ? compareWithServerMysql(*server, resource, dbServer, database(), prefix + resource, keyField,
                                            parentKeyColumn, parentKeyField)
                   : compareWithServerPostgres(*server, resource, dbServer, database(), prefix + resource,
                                               keyField, parentKeyColumn, parentKeyField);
    };
    QStringList all = compare(QStringLiteral("Property"), QStringLiteral("ListingKey"));
    all += compare(QStringLiteral("Media"), QStringLiteral("MediaKey"), QStringLiteral("ListingKey"),
                   QStringLiteral("ResourceRecordKey"));
    all += compare(QStringLiteral("Member"), QStringLiteral("MemberKey"));
    return all;
}

QStringList ServerFixture::differences() const {
    QStringList all;
    for (const QString& d : listingDifferences(*server, sqlite, true))
        all.append(QStringLiteral("sqlite: ") + d);
    const QString name = kind == ServerKind::Mysql ? QStringLiteral("mysql: ") : QStringLiteral("postgresql: ");
    for (const QString& d : serverDifferences())
        all.append(name + d);
    return all;
}


} // namespace ors::test
