#include "support/DiagnosticsBundle.h"

#include "config/DataDir.h"
#include "logging/LogCategories.h"
#include "logging/Redactor.h"
#include "stats/RunJson.h"
#include "stats/StatsStore.h"
#include "support/ConfigRedaction.h"
#include "support/ZipWriter.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QUuid>

namespace ors {

namespace {

constexpr int kRunsPerSource = 5;

// The lines of a log file written since `cutoff`; lines without a readable time are kept (a
// support reader would rather see one line too many than miss the one that matters).
QByteArray recentLines(const QString& path, const QDateTime& cutoff, bool* ok) {
    QFile file(path);
    *ok = file.open(QIODevice::ReadOnly);
    QByteArray out;
    if (!*ok)
        return out;
    const QByteArray key("\"time\":\"");
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        const qsizetype at = line.indexOf(key);
        if (at >= 0) {
            const qsizetype start = at + key.size();
            const qsizetype end = line.indexOf('"', start);
            const QDateTime time =
                QDateTime::fromString(QString::fromLatin1(line.mid(start, end - start)), Qt::ISODateWithMs);
            if (time.isValid() && time < cutoff)
                continue;
        }
        out += line;
    }
    return out;
}

// A consistent copy of a SQLite file that another process may be writing (VACUUM INTO reads it
// in one transaction), so the bundle never holds a torn database.
Expected<void> snapshotSqlite(const QString& source, const QString& target) {
    const QString name =
        QStringLiteral("ors-diagnostics-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    Expected<void> result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(source);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open()) {
            result = makeError(source + QStringLiteral(": cannot open: ") + db.lastError().text());
        } else {
            QSqlQuery query(db);
            QString quoted = target;
            quoted.replace(QLatin1Char('\''), QStringLiteral("''"));
            if (!query.exec(QStringLiteral("VACUUM INTO '%1'").arg(quoted)))
                result = makeError(source + QStringLiteral(": cannot copy: ") + query.lastError().text());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

QJsonObject about(const QString& configPath, const QString& dataDir, int logDays) {
    return QJsonObject{
        {QStringLiteral("program"), QStringLiteral("OpenReSync")},
        {QStringLiteral("version"), QStringLiteral(OPENRESYNC_VERSION)},
        {QStringLiteral("qtRuntime"), QString::fromLatin1(qVersion())},
        {QStringLiteral("qtBuild"), QStringLiteral(QT_VERSION_STR)},
        {QStringLiteral("os"), QSysInfo::prettyProductName()},
        {QStringLiteral("kernel"),
         QString(QSysInfo::kernelType() + QLatin1Char(' ') + QSysInfo::kernelVersion())},
        {QStringLiteral("cpu"), QSysInfo::currentCpuArchitecture()},
        {QStringLiteral("created"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
        {QStringLiteral("configPath"), configPath},
        {QStringLiteral("dataDir"), dataDir},
        {QStringLiteral("logDays"), logDays},
    };
}

const char* kReadme =
    "OpenReSync diagnostics bundle\n"
    "\n"
    "about.json           program, Qt and system versions; where the configuration and data live\n"
    "config.json          the configuration; secrets written as text are replaced by \"<secret removed>\",\n"
    "                     secret references (env:, keychain:, file:) are kept as written\n"
    "sources.json         per source: the last run of each process and the last failed runs\n"
    "logs/                each source's log (NDJSON), lines of the last days only\n"
    "state.sqlite         replication state (marks, batches, steps), a consistent copy\n"
    "stats.sqlite         run history and counts, a consistent copy (absent when stats live on a server)\n"
    "config-errors.txt    why the configuration did not load (only when it did not)\n"
    "omitted.txt          what could not be included, and why\n";

} // namespace

DiagnosticsBundle::DiagnosticsBundle(const Config& config, const QString& configPath, const QString& dataDir)
    : m_config(config)
    , m_configPath(configPath)
    , m_dataDir(dataDir) {}

QString DiagnosticsBundle::defaultFileName() {
    return QStringLiteral("openresync-diagnostics-%1.zip")
        .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss")));
}

Expected<DiagnosticsResult> DiagnosticsBundle::write(const QString& zipPath) const {
    DiagnosticsResult result;
    result.path = QFileInfo(zipPath).absoluteFilePath();
    ZipWriter zip(zipPath);
    if (auto opened = zip.open(); !opened)
        return makeError(opened.errorMessage());
    auto add = [&](const QString& name, const QByteArray& body) { return zip.add(name, body); };

    if (auto added = add(QStringLiteral("README.txt"), QByteArray(kReadme)); !added)
        return makeError(added.errorMessage());
    if (auto added = add(QStringLiteral("about.json"),
                         QJsonDocument(about(m_configPath, m_dataDir, m_logDays)).toJson());
        !added)
        return makeError(added.errorMessage());

    // The file as the user wrote it (unknown keys included), not as this version read it.
    QFile configFile(m_configPath);
    if (configFile.open(QIODevice::ReadOnly)) {
        const QJsonDocument document = QJsonDocument::fromJson(configFile.readAll());
        if (document.isObject()) {
            const RedactedConfig redacted = redactConfig(document.object());
            result.removedSecrets = redacted.removed;
            if (auto added = add(QStringLiteral("config.json"), QJsonDocument(redacted.root).toJson());
                !added)
                return makeError(added.errorMessage());
        } else {
            result.omitted << QStringLiteral("config.json: %1 is not a JSON object").arg(m_configPath);
        }
    } else {
        result.omitted << QStringLiteral("config.json: %1: %2").arg(m_configPath, configFile.errorString());
    }

    if (!m_configErrors.isEmpty()) {
        const QString text = Redactor::redact(m_configErrors.join(QLatin1Char('\n'))) + QLatin1Char('\n');
        if (auto added = add(QStringLiteral("config-errors.txt"), text.toUtf8()); !added)
            return makeError(added.errorMessage());
    }

    const DataLayout layout(m_dataDir);
    const QDateTime cutoff = QDateTime::currentDateTimeUtc().addDays(-m_logDays);
    const QFileInfoList logs = QDir(layout.logsDir())
                                   .entryInfoList({QStringLiteral("*.ndjson"), QStringLiteral("*.ndjson.*")},
                                                  QDir::Files, QDir::Name);
    for (const QFileInfo& log : logs) {
        if (log.fileName().endsWith(QLatin1String(".lock")) || log.lastModified().toUTC() < cutoff)
            continue;
        bool ok = false;
        const QByteArray lines = recentLines(log.absoluteFilePath(), cutoff, &ok);
        if (!ok) {
            result.omitted << QStringLiteral("logs/%1: cannot be read").arg(log.fileName());
            continue;
        }
        // Logs are redacted when written; this catches a secret this process knows of anyway.
        if (auto added = add(QStringLiteral("logs/") + log.fileName(),
                             Redactor::redact(QString::fromUtf8(lines)).toUtf8());
            !added)
            return makeError(added.errorMessage());
    }

    QTemporaryDir scratch;
    if (!scratch.isValid())
        return makeError(QStringLiteral("no temporary folder for the database copies: ") +
                         scratch.errorString());
    const QList<std::pair<QString, QString>> databases{
        {QStringLiteral("state.sqlite"), layout.stateDatabase()},
        {QStringLiteral("stats.sqlite"), m_config.stats ? QString() : layout.statsDatabase()}};
    for (const auto& [name, path] : databases) {
        if (path.isEmpty()) {
            result.omitted << name + QStringLiteral(": the stats live on a database server (stats.server)");
            continue;
        }
        if (!QFileInfo::exists(path)) {
            result.omitted << name + QStringLiteral(": no such file yet (%1)").arg(path);
            continue;
        }
        const QString copy = scratch.filePath(name);
        if (auto snapshot = snapshotSqlite(path, copy); !snapshot) {
            result.omitted << name + QStringLiteral(": ") + snapshot.errorMessage();
            continue;
        }
        if (auto added = zip.addFile(name, copy); !added)
            return makeError(added.errorMessage());
    }

    QJsonObject sources;
    StatsStore stats(m_config.stats, m_dataDir);
    const bool haveStats = stats.exists() && bool(stats.open());
    if (!haveStats)
        result.omitted << QStringLiteral("sources.json: no run history could be read");
    for (const SourceConfig& source : m_config.sources) {
        QJsonObject entry;
        if (haveStats) {
            QJsonObject last;
            for (const QString& process :
                 {QStringLiteral("sync"), QStringLiteral("purge"), QStringLiteral("reconcile")}) {
                RunQuery query;
                query.source = source.name;
                query.process = process;
                query.limit = 1;
                if (auto runs = stats.history(query); runs && !runs->isEmpty())
                    last.insert(process, runJson(runs->first()));
            }
            RunQuery failed;
            failed.source = source.name;
            failed.result = QStringLiteral("error");
            failed.limit = kRunsPerSource;
            QJsonArray errors;
            if (auto runs = stats.history(failed))
                for (const RunDetail& run : *runs)
                    errors.append(runJson(run));
            entry.insert(QStringLiteral("lastRuns"), last);
            entry.insert(QStringLiteral("lastErrors"), errors);
        }
        entry.insert(QStringLiteral("platform"), platformName(source.platform));
        sources.insert(source.name, entry);
    }
    const QByteArray sourcesJson =
        Redactor::redact(QString::fromUtf8(QJsonDocument(sources).toJson())).toUtf8();
    if (auto added = add(QStringLiteral("sources.json"), sourcesJson); !added)
        return makeError(added.errorMessage());

    if (!result.omitted.isEmpty()) {
        if (auto added =
                add(QStringLiteral("omitted.txt"), result.omitted.join(QLatin1Char('\n')).toUtf8() + '\n');
            !added)
            return makeError(added.errorMessage());
    }
    if (auto committed = zip.commit(); !committed)
        return makeError(committed.errorMessage());
    result.entries = zip.entries();
    qCInfo(lcConfig) << "diagnostics bundle written:" << result.path << result.entries.size() << "entries";
    return result;
}

} // namespace ors
