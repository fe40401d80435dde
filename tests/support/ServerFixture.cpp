#include "ServerFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace ors::test {

std::unique_ptr<ServerFixture> ServerFixture::make(ServerKind kind, const DatabaseServer& on,
                                                   const fake::ServerOptions& options, int pageSize,
                                                   const QString& platform, const QString& passwordVariable,
                                                   const QJsonObject& destinationKeys) {
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
    QJsonObject entry = f->destinationEntry(
        kind == ServerKind::Mysql ? QStringLiteral("db") : QStringLiteral("pg"), passwordVariable);
    for (auto it = destinationKeys.begin(); it != destinationKeys.end(); ++it)
        entry.insert(it.key(), it.value());
    destinations.append(entry);
    source.insert(QStringLiteral("destinations"), destinations);
    source.insert(QStringLiteral("platform"), platform);
    f->writeSource(source);
    return f;
}

QJsonObject ServerFixture::destinationEntry(const QString& name, const QString& passwordVariable) const {
    return serverDestination(
        name, kind == ServerKind::Mysql ? QStringLiteral("mysql") : QStringLiteral("postgresql"), dbServer,
        database(), passwordVariable);
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
                   ? compareWithServerMysql(*server, resource, dbServer, database(), prefix + resource,
                                            keyField, parentKeyColumn, parentKeyField)
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
    const QString name =
        kind == ServerKind::Mysql ? QStringLiteral("mysql: ") : QStringLiteral("postgresql: ");
    for (const QString& d : serverDifferences())
        all.append(name + d);
    return all;
}

QString ServerFixture::exec(const QStringList& statements) const {
    if (kind == ServerKind::Mysql)
        return mysqlExec(dbServer, database(), statements);
    PostgresConnection c(dbServer, database());
    if (!c.ok())
        return c.error();
    for (const QString& sql : statements)
        if (const QString e = c.exec(sql); !e.isEmpty())
            return e;
    return {};
}

QStringList ServerFixture::overflowFields(const QString& table) const {
    QString error;
    const QString placement = QStringLiteral("_openresync_overflow");
    QStringList fields;
    const auto rows =
        kind == ServerKind::Mysql
            ? readMysqlTable(dbServer, database(), placement, QStringLiteral("column_name"), &error)
            : readPostgresTable(dbServer, database(), placement, QStringLiteral("column_name"), &error);
    for (const QVariantMap& row : rows)
        if (row.value(QStringLiteral("table_name")).toString() == table)
            fields.append(row.value(QStringLiteral("column_name")).toString());
    fields.sort();
    return fields;
}

namespace {

// `record` for each key: the stored record, its fields in _overflow too, agrees with the MLS's.
QStringList recordsAgree(const ServerFixture& f, const QProcessEnvironment& env, const QStringList& keys) {
    QStringList problems;
    for (const QString& key : keys) {
        const CliResult record = f.cli({QStringLiteral("record"), QStringLiteral("mls"),
                                        QStringLiteral("Property"), key, QStringLiteral("--json")},
                                       env);
        if (record.exitCode != 0 ||
            !QJsonDocument::fromJson(record.out).object().value(QStringLiteral("agree")).toBool())
            problems.append(
                QStringLiteral("record %1 (exit %2): %3 %4")
                    .arg(key)
                    .arg(record.exitCode)
                    .arg(QString::fromUtf8(record.out.left(2000)), QString::fromUtf8(record.err.left(500))));
    }
    return problems;
}

QStringList statusMatches(const ServerFixture& f, const QProcessEnvironment& env) {
    const CliResult status = f.cli({QStringLiteral("status"), QStringLiteral("--json")}, env);
    if (status.exitCode != 0)
        return {QStringLiteral("status failed: ") + QString::fromUtf8(status.err)};
    QStringList problems;
    const QJsonArray resources = QJsonDocument::fromJson(status.out)
                                     .object()[QStringLiteral("sources")][0][QStringLiteral("resources")]
                                     .toArray();
    for (const QJsonValue& r : resources)
        for (const QJsonValue& d : r[QStringLiteral("destinations")].toArray())
            if (!d[QStringLiteral("error")].isNull() || !d[QStringLiteral("countMatches")].toBool() ||
                !d[QStringLiteral("newestMatches")].toBool())
                problems.append(QStringLiteral("status: ") + QString::fromUtf8(status.out));
    if (resources.isEmpty())
        problems.append(QStringLiteral("status: no resources: ") + QString::fromUtf8(status.out));
    return problems;
}

QStringList someKeys(const ServerFixture& f, int count) {
    QStringList keys;
    const QJsonArray records = f.server->records(QStringLiteral("Property"));
    for (qsizetype i = 0; i < records.size() && keys.size() < count;
         i += std::max<qsizetype>(1, records.size() / count))
        keys.append(records.at(i).toObject().value(QStringLiteral("ListingKey")).toString());
    return keys;
}

} // namespace

QStringList overflowThroughTheCli(ServerKind kind, const DatabaseServer& on, const QString& passwordVariable,
                                  const QProcessEnvironment& env) {
    fake::ServerOptions options;
    options.listingCount = 80;
    options.trickyKeys = true;
    const auto fixture = ServerFixture::make(
        kind, on, options, 30, QStringLiteral("generic"), passwordVariable,
        QJsonObject{{QStringLiteral("overflowBudget"), 1500},
                    {QStringLiteral("overflowFields"),
                     QJsonArray{QStringLiteral("PhotosChangeTimestamp"), QStringLiteral("ListPrice"),
                                QStringLiteral("ModificationTimestamp"), QStringLiteral("MediaURL")}}});
    if (!fixture)
        return {QStringLiteral("the fixture could not be made (see the log)")};
    ServerFixture& f = *fixture;
    const CliResult first = f.run(QStringLiteral("sync"), env);
    if (first.exitCode != 0)
        return {QStringLiteral("sync: ") + QString::fromUtf8(first.err)};
    const QStringList placed = f.overflowFields(QStringLiteral("Property"));
    QStringList problems;
    if (!placed.contains(QStringLiteral("PhotosChangeTimestamp")) ||
        !placed.contains(QStringLiteral("ListPrice")) ||
        placed.contains(QStringLiteral("ModificationTimestamp")))
        problems.append(QStringLiteral("placed in _overflow: ") + placed.join(QLatin1Char(',')));
    problems += recordsAgree(f, env, someKeys(f, 8));
    problems += statusMatches(f, env);

    // Changed records: their fields in _overflow are replaced with the record's.
    const QStringList changed = f.server->changeRecords(0.2);
    const CliResult second = f.run(QStringLiteral("sync"), env);
    if (second.exitCode != 0)
        return problems << QStringLiteral("second sync: ") + QString::fromUtf8(second.err);
    problems += recordsAgree(f, env, changed.mid(0, 6));

    // Deleted on the MLS: purged.
    if (f.server->deleteRecords(3).size() != 3)
        problems.append(QStringLiteral("the server deleted no records"));
    const CliResult purge = f.run(QStringLiteral("purge"), env);
    if (purge.exitCode != 0)
        return problems << QStringLiteral("purge: ") + QString::fromUtf8(purge.err);

    // One record lost and one whose PhotosChangeTimestamp (in _overflow) is stale: reconcile
    // compares that timestamp as read from _overflow and fetches both again.
    const QStringList keys = someKeys(f, 4);
    const bool mysql = f.kind == ServerKind::Mysql;
    const QString lost = keys.at(1);
    const QString stale = keys.at(2);
    const auto literal = [](QString text) -> QString {
        return QLatin1Char('\'') + text.replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
    };
    const QString property = mysql ? QStringLiteral("`Property`") : QStringLiteral("\"Property\"");
    const QString media = mysql ? QStringLiteral("`Media`") : QStringLiteral("\"Media\"");
    const QString listingKey = mysql ? QStringLiteral("`ListingKey`") : QStringLiteral("\"ListingKey\"");
    QStringList statements{
        QStringLiteral("DELETE FROM %1 WHERE %2 = %3").arg(media, listingKey, literal(lost)),
        QStringLiteral("DELETE FROM %1 WHERE %2 = %3").arg(property, listingKey, literal(lost))};
    statements.append(mysql
                          ? QStringLiteral("UPDATE `Property` SET `_overflow` = JSON_SET(`_overflow`, "
                                           "'$.PhotosChangeTimestamp', '2001-01-01T00:00:00.000Z') WHERE "
                                           "`ListingKey` = %1")
                                .arg(literal(stale))
                          : QStringLiteral("UPDATE \"Property\" SET \"_overflow\" = jsonb_set(\"_overflow\", "
                                           "'{PhotosChangeTimestamp}', '\"2001-01-01T00:00:00.000Z\"') WHERE "
                                           "\"ListingKey\" = %1")
                                .arg(literal(stale)));
    if (const QString e = f.exec(statements); !e.isEmpty())
        return problems << e;
    if (recordsAgree(f, env, {stale}).isEmpty())
        problems.append(
            QStringLiteral("record %1 agrees although its PhotosChangeTimestamp was changed").arg(stale));
    const CliResult reconcile = f.run(QStringLiteral("reconcile"), env);
    if (reconcile.exitCode != 0 || !reconcile.err.contains("2 missing or stale records fetched"))
        problems.append(QStringLiteral("reconcile: ") + QString::fromUtf8(reconcile.err));
    problems += recordsAgree(f, env, {lost, stale});
    problems += statusMatches(f, env);
    return problems;
}

void addOrderingRows() {
    QTest::addColumn<QString>("platform");
    QTest::addColumn<int>("flavour");
    QTest::newRow("ordered") << QStringLiteral("generic") << int(fake::Flavour::Generic);
    QTest::newRow("unordered") << QStringLiteral("bridge") << int(fake::Flavour::Bridge);
}

fake::ServerOptions orderingCaseOptions(int flavour) {
    fake::ServerOptions options;
    options.listingCount = 250;
    options.trickyKeys = true;
    options.maxPageSize = 60;
    options.flavour = fake::Flavour(flavour);
    return options;
}

QStringList purgeAndReconcileThroughTheCli(ServerFixture& f, const QProcessEnvironment& env) {
    QStringList problems;
    if (f.server->deleteRecords(5).size() != 5)
        problems.append(QStringLiteral("the server deleted fewer than 5 records"));
    const CliResult purge = f.run(QStringLiteral("purge"), env);
    if (purge.exitCode != 0)
        return problems << QStringLiteral("purge: ") + QString::fromUtf8(purge.err);
    problems += f.differences();

    const QStringList damage =
        f.kind == ServerKind::Mysql
            ? QStringList{QStringLiteral(
                              "DELETE FROM Media WHERE ListingKey IN (SELECT ListingKey FROM (SELECT "
                              "ListingKey FROM Property ORDER BY ListingKey LIMIT 4) AS victims)"),
                          QStringLiteral("DELETE FROM Property ORDER BY ListingKey LIMIT 4"),
                          QStringLiteral(
                              "UPDATE Property SET ListPrice = 1, ModificationTimestamp = '2001-01-01 "
                              "00:00:00.000' ORDER BY ListingKey DESC LIMIT 3")}
            : QStringList{
                  QStringLiteral(
                      "CREATE TEMP TABLE victims AS SELECT \"ListingKey\" FROM \"Property\" ORDER BY "
                      "\"ListingKey\" LIMIT 4"),
                  QStringLiteral(
                      "DELETE FROM \"Media\" WHERE \"ListingKey\" IN (SELECT \"ListingKey\" FROM victims)"),
                  QStringLiteral("DELETE FROM \"Property\" WHERE \"ListingKey\" IN (SELECT \"ListingKey\" "
                                 "FROM victims)"),
                  QStringLiteral("UPDATE \"Property\" SET \"ListPrice\" = 1, \"ModificationTimestamp\" = "
                                 "'2001-01-01T00:00:00Z' WHERE \"ListingKey\" IN (SELECT \"ListingKey\" FROM "
                                 "\"Property\" ORDER BY \"ListingKey\" DESC LIMIT 3)")};
    if (const QString error = f.exec(damage); !error.isEmpty())
        return problems << QStringLiteral("damaging the server's tables: ") + error;
    if (f.serverDifferences().isEmpty())
        problems.append(QStringLiteral("the damage made no difference to the MLS"));
    const CliResult reconcile = f.run(QStringLiteral("reconcile"), env);
    if (reconcile.exitCode != 0 || !reconcile.err.contains("7 missing or stale records fetched"))
        return problems << QStringLiteral("reconcile: ") + QString::fromUtf8(reconcile.err);
    problems += f.differences();
    for (const QString& leftover : f.leftovers())
        problems.append(QStringLiteral("left over: ") + leftover);
    return problems;
}

} // namespace ors::test
