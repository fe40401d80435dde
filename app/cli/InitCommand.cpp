#include "cli/InitCommand.h"

#include "cli/CliOutput.h"
#include "config/Config.h"
#include "config/ConfigLoader.h"
#include "processes/JobTypes.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace ors {

namespace {

using cli::printErr;
using cli::printOut;

// JSON text with the keys in the order written: QJsonDocument sorts them, which would tear each
// "//" explanation away from the key it explains.
class JsonText {
public:
    JsonText() { m_first.append(true); }
    void open(const QString& key, char bracket) {
        item(key);
        m_text += bracket;
        m_first.append(true);
    }
    void close(char bracket) {
        m_first.removeLast();
        m_text += '\n' + indent() + bracket;
    }
    void value(const QString& key, const QJsonValue& value) {
        item(key);
        // A one-element array's compact text, brackets removed, is the value's JSON.
        const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        m_text += text.mid(1, text.size() - 2);
    }
    // One "//" per object, first, a line per key: JSON objects should not repeat a key.
    void comment(const QStringList& lines) {
        open(QStringLiteral("//"), '[');
        for (const QString& line : lines)
            value(QString(), line);
        close(']');
    }
    QByteArray finish() const { return m_text + '\n'; }

private:
    QByteArray indent() const { return QByteArray(2 * (m_first.size() - 1), ' '); }
    void item(const QString& key) {
        if (m_first.size() > 1) {
            if (!m_first.last())
                m_text += ',';
            m_text += '\n';
        }
        m_first.last() = false;
        m_text += indent();
        if (!key.isNull())
            m_text += QJsonDocument(QJsonArray{key}).toJson(QJsonDocument::Compact).mid(1).chopped(1) + ": ";
    }

    QByteArray m_text;
    QList<bool> m_first; // per open bracket: nothing written in it yet
};

struct PlatformStarter {
    const char* platform;
    const char* serviceUrl;
    const char* urlNote;
    const char* tokenUrl; // OAuth2 client credentials; null: a static bearer token
    const char* secretVariable;
};

// URLs and authentication as each platform documents them (docs/user-guide.md, platform profiles).
constexpr PlatformStarter kStarters[] = {
    {"trestle", "https://api.cotality.com/trestle/odata",
     "Trestle's Web API root (older accounts: https://api-trestle.corelogic.com/trestle/odata).",
     "https://api.cotality.com/trestle/oidc/connect/token", "TRESTLE_CLIENT_SECRET"},
    {"mlsgrid", "https://api.mlsgrid.com/v2", "MLS Grid's Web API 2.0 root.", nullptr, "MLSGRID_TOKEN"},
    {"bridge", "https://api.bridgedataoutput.com/api/v2/OData/test",
     "Bridge's OData root of one dataset: replace \"test\" (Bridge's sample dataset) with your dataset id.",
     nullptr, "BRIDGE_TOKEN"},
    {"spark", "https://replication.sparkapi.com/Reso/OData",
     "Spark's replication endpoint: a replication key works only here.", nullptr, "SPARK_TOKEN"},
    {"generic", "https://reso.example.com/odata",
     "Your MLS's RESO Web API service root (what precedes /Property and /$metadata).", nullptr, "RESO_TOKEN"},
};

const PlatformStarter* starterFor(const QString& platform) {
    for (const PlatformStarter& starter : kStarters)
        if (platform == QLatin1String(starter.platform))
            return &starter;
    return nullptr;
}

void writeAuth(JsonText& json, const PlatformStarter& starter) {
    const QString secret = QStringLiteral("env:") + QLatin1String(starter.secretVariable);
    json.open(QStringLiteral("auth"), '{');
    if (starter.tokenUrl) {
        json.comment({QStringLiteral("type: oauth2, client credentials: a token is fetched from tokenUrl and "
                                     "renewed before it expires."),
                      QStringLiteral("tokenUrl: the platform's token endpoint."),
                      QStringLiteral("clientId: the client id you were given (not a secret)."),
                      QStringLiteral("clientSecret: a secret reference, never the secret itself: env:NAME, "
                                     "keychain:NAME or file:PATH."),
                      QStringLiteral("scope: the OAuth2 scope the platform expects.")});
        json.value(QStringLiteral("type"), QStringLiteral("oauth2"));
        json.value(QStringLiteral("tokenUrl"), QLatin1String(starter.tokenUrl));
        json.value(QStringLiteral("clientId"), QStringLiteral("your-client-id"));
        json.value(QStringLiteral("clientSecret"), secret);
        json.value(QStringLiteral("scope"), QStringLiteral("api"));
    } else {
        json.comment({QStringLiteral("type: bearer, a static token sent as \"Authorization: Bearer ...\"."),
                      QStringLiteral("token: a secret reference, never the token itself: env:NAME, "
                                     "keychain:NAME or file:PATH.")});
        json.value(QStringLiteral("type"), QStringLiteral("bearer"));
        json.value(QStringLiteral("token"), secret);
    }
    json.close('}');
}

void writeResources(JsonText& json) {
    json.open(QStringLiteral("resources"), '[');
    json.open(QString(), '{');
    json.comment({QStringLiteral("name: the resource as the server's $metadata names it."),
                  QStringLiteral("expand: children fetched with each record, stored as tables of their own; "
                                 "owned ones are replaced and deleted with their parent.")});
    json.value(QStringLiteral("name"), QStringLiteral("Property"));
    json.open(QStringLiteral("expand"), '[');
    json.open(QString(), '{');
    json.value(QStringLiteral("name"), QStringLiteral("Media"));
    json.value(QStringLiteral("owned"), true);
    json.close('}');
    json.close(']');
    json.close('}');
    for (const char* name : {"Member", "Office"}) {
        json.open(QString(), '{');
        json.value(QStringLiteral("name"), QLatin1String(name));
        json.close('}');
    }
    json.close(']');
}

void writeSchedules(JsonText& json) {
    json.open(QStringLiteral("schedules"), '{');
    json.comment({QStringLiteral("Cron expressions (minute hour day-of-month month day-of-week), run by "
                                 "`openresync-cli serve` or the open window."),
                  QStringLiteral("sync: fetch what changed, every 15 minutes."),
                  QStringLiteral("purge: delete what the MLS no longer has, nightly (refused beyond the "
                                 "purge limits, 5000 rows or 5%)."),
                  QStringLiteral("timeZone: the IANA zone the expressions are read in.")});
    json.open(QStringLiteral("sync"), '[');
    json.value(QString(), QStringLiteral("*/15 * * * *"));
    json.close(']');
    json.open(QStringLiteral("purge"), '[');
    json.value(QString(), QStringLiteral("30 3 * * *"));
    json.close(']');
    json.value(QStringLiteral("timeZone"), QStringLiteral("UTC"));
    json.close('}');
}

} // namespace

QByteArray InitCommand::starterConfig(const QString& platform) {
    const PlatformStarter* starter = starterFor(platform);
    if (!starter)
        return {};
    const bool mlsGrid = platform == QLatin1String("mlsgrid");
    JsonText json;
    json.open(QString(), '{');
    json.comment(
        {QStringLiteral("A starter configuration for %1, written by `openresync-cli init`.").arg(platform),
         QStringLiteral("Keys named \"//\" are comments: the program ignores them. Every key is "
                        "described in docs/configuration.md."),
         QStringLiteral("version: the configuration format."),
         QStringLiteral("sources: the MLS feeds to copy, each with its own destinations.")});
    json.value(QStringLiteral("version"), kConfigVersion);
    json.open(QStringLiteral("sources"), '[');
    json.open(QString(), '{');
    QStringList lines{
        QStringLiteral("name: letters, digits, - and _; it names the source's files and log."),
        QStringLiteral("platform: chooses the platform profile (replication URLs, page sizes, rate limits)."),
        QStringLiteral("serviceUrl: ") + QLatin1String(starter->urlNote)};
    if (mlsGrid)
        lines.append(QStringLiteral("originatingSystemName: required by MLS Grid, the lower-case code of the "
                                    "MLS whose data you licensed (e.g. actris)."));
    lines +=
        {QStringLiteral("auth: how requests are authorized."), QStringLiteral("resources: what to copy."),
         QStringLiteral("destinations: where records go; this SQLite file is <data "
                        "directory>/destinations/<source>/local.sqlite (set \"path\" to choose it)."),
         QStringLiteral("schedules: when each process runs.")};
    json.comment(lines);
    json.value(QStringLiteral("name"), platform);
    json.value(QStringLiteral("platform"), platform);
    json.value(QStringLiteral("serviceUrl"), QLatin1String(starter->serviceUrl));
    if (mlsGrid)
        json.value(QStringLiteral("originatingSystemName"), QStringLiteral("yourmls"));
    writeAuth(json, *starter);
    writeResources(json);
    json.open(QStringLiteral("destinations"), '[');
    json.open(QString(), '{');
    json.value(QStringLiteral("name"), QStringLiteral("local"));
    json.value(QStringLiteral("type"), QStringLiteral("sqlite"));
    json.close('}');
    json.close(']');
    writeSchedules(json);
    json.close('}');
    json.close(']');
    json.close('}');
    return json.finish();
}

int InitCommand::run(const LocationOptions& where, const InitArguments& arguments) {
    if (arguments.platform.isEmpty()) {
        printErr(QStringLiteral("init: --platform is required (trestle, mlsgrid, bridge, spark, generic)"));
        return int(ExitCode::Usage);
    }
    const PlatformStarter* starter = starterFor(arguments.platform);
    if (!starter) {
        printErr(QStringLiteral("init: unknown platform \"%1\" (expected trestle, mlsgrid, bridge, spark, "
                                "generic)")
                     .arg(arguments.platform));
        return int(ExitCode::Usage);
    }
    const QString path =
        QFileInfo(arguments.output.isEmpty() ? ConfigLoader::locate(where.config) : arguments.output)
            .absoluteFilePath();
    if (QFileInfo::exists(path) && !arguments.force) {
        printErr(QStringLiteral("init: %1 exists; give --force to replace it, or --output for another file")
                     .arg(QDir::toNativeSeparators(path)));
        return int(ExitCode::Usage);
    }
    const QString folder = QFileInfo(path).absolutePath();
    QSaveFile file(path);
    if (!QDir().mkpath(folder) || !file.open(QIODevice::WriteOnly) ||
        file.write(starterConfig(arguments.platform)) < 0 || !file.commit()) {
        printErr(QStringLiteral("init: cannot write %1: %2")
                     .arg(QDir::toNativeSeparators(path), file.errorString().isEmpty()
                                                              ? QStringLiteral("cannot create the folder")
                                                              : file.errorString()));
        return int(ExitCode::Failure);
    }
    printOut(QStringLiteral("wrote a starter configuration for %1 to %2\n"
                            "next:\n")
                 .arg(arguments.platform, QDir::toNativeSeparators(path)));
    QString next;
    if (starter->tokenUrl)
        next += QStringLiteral("  - put your client id in auth.clientId\n");
    if (arguments.platform == QLatin1String("mlsgrid"))
        next += QStringLiteral("  - put your MLS's code in originatingSystemName\n");
    if (arguments.platform == QLatin1String("bridge") || arguments.platform == QLatin1String("generic"))
        next += QStringLiteral("  - check serviceUrl (your dataset or service root)\n");
    next +=
        QStringLiteral("  - set the environment variable %1 (or change the reference to keychain: or file:)\n"
                       "  - adjust resources, destinations and schedules; every key is in "
                       "docs/configuration.md\n"
                       "  - then run: openresync-cli%2 validate\n")
            .arg(QLatin1String(starter->secretVariable),
                 arguments.output.isEmpty() && where.config.isEmpty()
                     ? QString()
                     : QStringLiteral(" --config ") + QDir::toNativeSeparators(path));
    printOut(next);
    return 0;
}

} // namespace ors
