#include "FlavourFixture.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>

namespace ors::test {

std::unique_ptr<FlavourFixture> FlavourFixture::make(const fake::ServerOptions& options,
                                                     const QString& platform, const QJsonObject& extra) {
    auto f = std::make_unique<FlavourFixture>();
    f->platform = platform;
    f->server = std::make_unique<fake::FakeResoServer>(options);
    if (!f->server->start())
        return nullptr;
    f->origin = f->server->serviceUrl().chopped(6);
    f->dataDir = f->dir.filePath(QStringLiteral("data"));
    f->db = f->dir.filePath(QStringLiteral("local.sqlite"));
    QJsonObject source = sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->db}, 100);
    source.remove(QStringLiteral("pageSize")); // the profile's defaults decide
    source.insert(QStringLiteral("platform"), platform);
    QJsonObject property{{QStringLiteral("name"), QStringLiteral("Property")}};
    if (!options.lightListings)
        property.insert(QStringLiteral("expand"),
                        QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Media")}}});
    source.insert(QStringLiteral("resources"), QJsonArray{property});
    source.insert(QStringLiteral("purge"), QJsonObject{{QStringLiteral("maxDeletePercent"), 50}});
    if (platform == QLatin1String("mlsgrid"))
        source.insert(QStringLiteral("originatingSystemName"), options.originatingSystemName);
    if (platform == QLatin1String("spark"))
        source.insert(QStringLiteral("profile"),
                      QJsonObject{{QStringLiteral("replicationUrl"),
                                   QString(f->origin + QStringLiteral("/replication/odata"))}});
    QByteArray extraText = QJsonDocument(extra).toJson();
    extraText.replace("@ORIGIN@", f->origin.toUtf8());
    const QJsonObject resolved = QJsonDocument::fromJson(extraText).object();
    for (auto it = resolved.begin(); it != resolved.end(); ++it)
        source.insert(it.key(), it.value());
    f->config = writeConfig(f->dir.path(), configWith(source));
    return f;
}

QStringList FlavourFixture::args(const QStringList& command) const {
    return QStringList{QStringLiteral("--config"), config, QStringLiteral("--data-dir"), dataDir} + command;
}

CliResult FlavourFixture::run(const QString& process, const QProcessEnvironment& env) const {
    return runCli(args({process, QStringLiteral("mls")}), env);
}

QString FlavourFixture::keyField() const {
    return platform == QLatin1String("mlsgrid") ? QStringLiteral("ListingId") : QStringLiteral("ListingKey");
}

QStringList FlavourFixture::differences(int limit) const {
    const QString key = keyField();
    QList<QByteArray> records = server->rawRecords(QStringLiteral("Property"));
    if (platform == QLatin1String("mlsgrid"))
        records.removeIf([](const QByteArray& raw) {
            return !QJsonDocument::fromJson(raw).object().value(QStringLiteral("MlgCanView")).toBool();
        });
    QStringList out = compareRecords(records, db, QStringLiteral("Property"), key, {}, {}, limit);
    if (platform == QLatin1String("trestle")) // its profile leaves out the vendor's X_ fields
        out.removeIf([](const QString& line) { return line.contains(QLatin1String(": no column X_")); });
    if (platform != QLatin1String("mlsgrid") && !server->rawRecords(QStringLiteral("Media")).isEmpty())
        out += compareWithServer(*server, QStringLiteral("Media"), db, QStringLiteral("Media"),
                                 QStringLiteral("MediaKey"), QStringLiteral("ListingKey"),
                                 QStringLiteral("ResourceRecordKey"), limit);
    return out;
}

QStringList FlavourFixture::allDifferences(int limit) const {
    const QString key = keyField();
    const bool byListingKey = key == QLatin1String("ListingKey");
    return compareWithServer(*server, QStringLiteral("Property"), db, QStringLiteral("Property"), key, {}, {},
                             limit) +
           compareWithServer(*server, QStringLiteral("Media"), db, QStringLiteral("Media"),
                             QStringLiteral("MediaKey"), byListingKey ? key : QString(),
                             byListingKey ? QStringLiteral("ResourceRecordKey") : QString(), limit);
}

int FlavourFixture::rows(const QString& table) const {
    return int(readTable(db, table, table == QLatin1String("Media") ? QStringLiteral("MediaKey") : keyField())
                   .size());
}

QStringList FlavourFixture::events(const QString& kind) const {
    // readTable gives a hash: without sorting, "the first event" would be any one of them.
    QMap<qint64, QString> byId;
    const auto table = readTable(QDir(dataDir).filePath(QStringLiteral("stats.sqlite")),
                                 QStringLiteral("event"), QStringLiteral("id"));
    for (const QVariantMap& row : table)
        if (row.value(QStringLiteral("kind")).toString() == kind)
            byId.insert(row.value(QStringLiteral("id")).toLongLong(),
                        row.value(QStringLiteral("message")).toString());
    return byId.values();
}

} // namespace ors::test
