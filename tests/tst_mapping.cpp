// A destination's field mapping end to end: the real openresync-cli against the fake RESO server,
// into a SQLite file whose tables carry a prefix, whose columns are snake_case and whose keys lose
// their first three characters (stripKeyPrefix). Sync, purge, reconcile, status and record must
// all work through it, and the destination must end equal to the server under the mapping.
#include "CliFixture.h"

#include "records/DestinationMapping.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

constexpr int kStrip = 3;

QJsonObject parsed(const QByteArray& out) {
    return QJsonDocument::fromJson(out).object();
}

} // namespace

class TestMapping : public QObject {
    Q_OBJECT

private:
    struct Fixture : CliFixture {
        QString sqlite;
    };

    std::unique_ptr<Fixture> synced(int listings) {
        auto f = std::make_unique<Fixture>();
        fake::ServerOptions options;
        options.listingCount = listings;
        options.maxPageSize = 70;
        if (!f->startServer(options))
            return nullptr;
        f->sqlite = f->path(QStringLiteral("mapped.sqlite"));
        QJsonObject source = sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->sqlite}, 100);
        QJsonArray destinations = source.value(QStringLiteral("destinations")).toArray();
        QJsonObject destination = destinations.first().toObject();
        destination.insert(QStringLiteral("tablePrefix"), QStringLiteral("mls_"));
        destination.insert(QStringLiteral("columnCase"), QStringLiteral("snake_case"));
        destination.insert(QStringLiteral("stripKeyPrefix"), kStrip);
        destinations.replace(0, destination);
        source.insert(QStringLiteral("destinations"), destinations);
        f->writeSource(source);
        const CliResult sync = f->run(QStringLiteral("sync"));
        if (sync.exitCode != 0) {
            qWarning() << sync.err;
            return nullptr;
        }
        return f;
    }

    // The stored table read back into the server's terms: columns by field name, keys whole
    // again (the server's keys tell what each stripped key was), keyed by the server's key.
    static QHash<QString, QVariantMap> unmapped(const Fixture& f, const QString& table,
                                                const QString& keyColumn, const QString& keyField) {
        QHash<QString, QString> whole;  // stored key -> the server's key
        QHash<QString, QString> fields; // column -> field
        for (const QString& resource : {QStringLiteral("Property"), QStringLiteral("Media")})
            for (const QByteArray& json : f.server->rawRecords(resource)) {
                const QJsonObject record = QJsonDocument::fromJson(json).object();
                for (auto it = record.begin(); it != record.end(); ++it)
                    fields.insert(DestinationMapping::snakeCase(it.key()), it.key());
                for (const QString& key : {QStringLiteral("ListingKey"), QStringLiteral("MediaKey")})
                    if (record.contains(key))
                        whole.insert(record.value(key).toString().mid(kStrip), record.value(key).toString());
            }
        fields.insert(QStringLiteral("listing_key"), QStringLiteral("ListingKey"));
        QHash<QString, QVariantMap> out;
        const auto rows = readTable(f.sqlite, table, keyColumn);
        for (auto it = rows.begin(); it != rows.end(); ++it) {
            QVariantMap row;
            for (auto c = it->begin(); c != it->end(); ++c) {
                const QString field = fields.value(c.key(), c.key());
                QVariant value = c.value();
                if ((field == QLatin1String("ListingKey") || field == keyField) &&
                    whole.contains(value.toString()))
                    value = whole.value(value.toString());
                row.insert(field, value);
            }
            out.insert(whole.value(it.key(), QStringLiteral("?") + it.key()), row);
        }
        return out;
    }

    static QStringList differences(const Fixture& f) {
        QStringList all =
            compareRowsWithServer(f.server->rawRecords(QStringLiteral("Property")),
                                  unmapped(f, QStringLiteral("mls_Property"), QStringLiteral("listing_key"),
                                           QStringLiteral("ListingKey")),
                                  QStringLiteral("mls_Property"), QStringLiteral("ListingKey"));
        all += compareRowsWithServer(
            f.server->rawRecords(QStringLiteral("Media")),
            unmapped(f, QStringLiteral("mls_Media"), QStringLiteral("media_key"), QStringLiteral("MediaKey")),
            QStringLiteral("mls_Media"), QStringLiteral("MediaKey"), QStringLiteral("ListingKey"),
            QStringLiteral("ResourceRecordKey"));
        return all;
    }

    static bool execSql(const QString& sqlite, const QString& sql) {
        bool ok = false;
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tst-mapping"));
            db.setDatabaseName(sqlite);
            ok = db.open() && QSqlQuery(db).exec(sql);
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tst-mapping"));
        return ok;
    }

private Q_SLOTS:
    void syncStoresUnderTheMapping() {
        auto f = synced(120);
        QVERIFY(f);
        const QStringList problems = differences(*f);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        // The names are the mapping's, the keys are stripped: no table or key in the server's form.
        const auto rows = readTable(f->sqlite, QStringLiteral("mls_Property"), QStringLiteral("listing_key"));
        QCOMPARE(rows.size(), 120);
        const QString first =
            QJsonDocument::fromJson(f->server->rawRecords(QStringLiteral("Property")).first())
                .object()
                .value(QStringLiteral("ListingKey"))
                .toString();
        QVERIFY(rows.contains(first.mid(kStrip)));
        QVERIFY(rows.value(first.mid(kStrip)).contains(QStringLiteral("list_price")));
        QVERIFY(readTable(f->sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey")).isEmpty());
    }

    void purgeComparesStrippedKeys() {
        auto f = synced(150);
        QVERIFY(f);
        const QStringList deleted = f->server->deleteRecords(5);
        QCOMPARE(deleted.size(), 5);
        const CliResult purge = f->run(QStringLiteral("purge"));
        QVERIFY2(purge.exitCode == 0, purge.err.constData());
        const auto rows = readTable(f->sqlite, QStringLiteral("mls_Property"), QStringLiteral("listing_key"));
        QCOMPARE(rows.size(), 145);
        for (const QString& key : deleted)
            QVERIFY2(!rows.contains(key.mid(kStrip)), qPrintable(key));
        const QStringList problems = differences(*f);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        // A second purge finds nothing: the server's keys, stripped, are exactly what is held.
        const CliResult again = f->run(QStringLiteral("purge"));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(readTable(f->sqlite, QStringLiteral("mls_Property"), QStringLiteral("listing_key")).size(),
                 145);
    }

    void reconcileFetchesByTheServersKey() {
        auto f = synced(120);
        QVERIFY(f);
        const auto rows = readTable(f->sqlite, QStringLiteral("mls_Property"), QStringLiteral("listing_key"));
        QStringList lost = rows.keys();
        std::sort(lost.begin(), lost.end());
        lost = lost.mid(0, 4);
        QStringList quoted;
        for (const QString& key : std::as_const(lost))
            quoted << QLatin1Char('\'') + key + QLatin1Char('\'');
        QVERIFY(execSql(f->sqlite, QStringLiteral("DELETE FROM mls_Property WHERE listing_key IN (%1)")
                                       .arg(quoted.join(QLatin1Char(',')))));
        QVERIFY(execSql(f->sqlite, QStringLiteral("DELETE FROM mls_Media WHERE listing_key IN (%1)")
                                       .arg(quoted.join(QLatin1Char(',')))));
        QVERIFY(!differences(*f).isEmpty());
        const CliResult reconcile = f->run(QStringLiteral("reconcile"));
        QVERIFY2(reconcile.exitCode == 0, reconcile.err.constData());
        const QStringList problems = differences(*f);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        // Nothing else was fetched: the other records matched under the mapping.
        QVERIFY2(f->sourceLog().contains("\"missing\":4"), f->sourceLog().right(3000).constData());
    }

    void statusAndRecordSeeTheMappedTables() {
        auto f = synced(80);
        QVERIFY(f);
        const CliResult status =
            f->cli({QStringLiteral("status"), QStringLiteral("mls"), QStringLiteral("--json")});
        QVERIFY2(status.exitCode == 0, status.err.constData());
        int matched = 0;
        for (const QJsonValue source : parsed(status.out).value(QStringLiteral("sources")).toArray())
            for (const QJsonValue resource : source[QStringLiteral("resources")].toArray())
                for (const QJsonValue d : resource[QStringLiteral("destinations")].toArray()) {
                    // Every resource (Property, and Member when configured) agrees with the MLS.
                    QVERIFY2(d[QStringLiteral("countMatches")].toBool(), status.out.constData());
                    if (resource[QStringLiteral("name")].toString() == QLatin1String("Property"))
                        QCOMPARE(d[QStringLiteral("count")].toInteger(), 80);
                    ++matched;
                }
        QVERIFY2(matched >= 1, status.out.constData());

        const QString key = QJsonDocument::fromJson(f->server->rawRecords(QStringLiteral("Property")).at(7))
                                .object()
                                .value(QStringLiteral("ListingKey"))
                                .toString();
        const CliResult record = f->cli({QStringLiteral("record"), QStringLiteral("mls"),
                                         QStringLiteral("Property"), key, QStringLiteral("--json")});
        QVERIFY2(record.exitCode == 0, record.err.constData());
        const QJsonObject report = parsed(record.out);
        QVERIFY2(report.value(QStringLiteral("agree")).toBool(), record.out.constData());
        const QJsonObject local = report[QStringLiteral("destinations")].toArray().first().toObject();
        QCOMPARE(local.value(QStringLiteral("status")).toString(), QStringLiteral("same"));
        QCOMPARE(local[QStringLiteral("fields")][QStringLiteral("listing_key")].toString(), key.mid(kStrip));
        QVERIFY(local[QStringLiteral("fields")].toObject().contains(QStringLiteral("list_price")));
    }

    // Two sources in one table: sync works for both; purge of either refuses, saying how to
    // separate them, and deletes nothing.
    void purgeRefusesATableAnotherSourceWrites() {
        CliFixture f;
        fake::ServerOptions options;
        options.listingCount = 30;
        QVERIFY(f.startServer(options));
        const QString shared = f.path(QStringLiteral("shared.sqlite"));
        QJsonObject a = sourceConfig(QStringLiteral("mls"), f.server->serviceUrl(), {shared}, 100);
        QJsonObject b = sourceConfig(QStringLiteral("other"), f.server->serviceUrl(), {shared}, 100);
        f.writeSource(a);
        QJsonObject root = QJsonDocument::fromJson([&] {
                               QFile file(f.config);
                               (void)file.open(QIODevice::ReadOnly);
                               return file.readAll();
                           }())
                               .object();
        QJsonArray sources = root.value(QStringLiteral("sources")).toArray();
        sources.append(b);
        root.insert(QStringLiteral("sources"), sources);
        {
            QFile file(f.config);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(QJsonDocument(root).toJson());
        }
        const CliResult validate = f.cli({QStringLiteral("validate")});
        QCOMPARE(validate.exitCode, 0);
        QVERIFY2(QByteArray(validate.err + validate.out).contains("both write table Property"),
                 validate.err.constData());
        QCOMPARE(f.run(QStringLiteral("sync")).exitCode, 0);
        (void)f.server->deleteRecords(2);
        const CliResult purge = f.run(QStringLiteral("purge"));
        QCOMPARE(purge.exitCode, 3);
        QVERIFY2(purge.err.contains("writes table Property, which sources[1].destinations[0]"),
                 purge.err.constData());
        QVERIFY2(purge.err.contains("tablePrefix"), purge.err.constData());
        QCOMPARE(readTable(shared, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 30);
    }
};

QTEST_GUILESS_MAIN(TestMapping)
#include "tst_mapping.moc"
