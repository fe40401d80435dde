#include "FlavourFixture.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ors::test {

std::unique_ptr<FlavourFixture> FlavourFixture::make(const fake::ServerOptions& options,
                                                     const QString& platform, const QJsonObject& extra) {
    auto f = std::make_unique<FlavourFixture>();
    f->platform = platform;
    if (!f->startServer(options))
        return nullptr;
    f->origin = f->server->serviceUrl().chopped(6);
    f->db = f->path(QStringLiteral("local.sqlite"));
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
    f->writeSource(source);
    return f;
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

} // namespace ors::test
