// Source ▸ Remove… in core: ConfigWriter::removeSource takes one source out of a real
// configuration file (the others unchanged, validated, the old file kept as .bak), and
// SourceRemoval deletes the source's parts of the data directory and drops its tables in real
// SQLite destinations, leaving every other source's files, rows and tables alone; it is refused
// while a job of the source holds its lock. Sources "crm" and "crmls" share a name prefix and a
// SQLite file, so a deletion by prefix or by file would show.
#include "config/ConfigWriter.h"
#include "runner/SourceRemoval.h"
#include "runner/Workspace.h"
#include "stats/StatsStore.h"
#include "store/SourceLock.h"
#include "store/StateStore.h"
#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ors;

namespace {

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool touch(const QString& path) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write("{}\n") > 0;
}

QJsonObject sqlite(const QString& name, const QString& path = {}) {
    QJsonObject destination{{QStringLiteral("name"), name},
                            {QStringLiteral("type"), QStringLiteral("sqlite")}};
    if (!path.isEmpty())
        destination.insert(QStringLiteral("path"), path);
    return destination;
}

QJsonObject source(const QString& name, const QJsonArray& resources, const QJsonArray& destinations,
                   const QJsonObject& auth) {
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("platform"), QStringLiteral("generic")},
                       {QStringLiteral("serviceUrl"), QStringLiteral("https://mls.example.com/odata")},
                       {QStringLiteral("auth"), auth},
                       {QStringLiteral("resources"), resources},
                       {QStringLiteral("destinations"), destinations}};
}

QJsonObject oauth(const QString& secret, const QString& password = {}) {
    QJsonObject auth{{QStringLiteral("type"), QStringLiteral("oauth2")},
                     {QStringLiteral("tokenUrl"), QStringLiteral("https://mls.example.com/token")},
                     {QStringLiteral("clientId"), QStringLiteral("id")},
                     {QStringLiteral("clientSecret"), secret}};
    if (!password.isEmpty()) {
        auth.insert(QStringLiteral("grantType"), QStringLiteral("password"));
        auth.insert(QStringLiteral("username"), QStringLiteral("agent"));
        auth.insert(QStringLiteral("password"), password);
    }
    return auth;
}

// The tables of an SQLite file, sorted.
QStringList tables(const QString& path) {
    QStringList names;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tables"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(
                QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"), db);
            while (query.next())
                names << query.value(0).toString();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tables"));
    return names;
}

bool makeTables(const QString& path, const QStringList& names) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("make"));
        db.setDatabaseName(path);
        ok = db.open();
        for (const QString& name : names) {
            QSqlQuery query(db);
            ok = ok && query.exec(QStringLiteral("CREATE TABLE \"%1\" (k TEXT PRIMARY KEY)").arg(name)) &&
                 query.exec(QStringLiteral("INSERT INTO \"%1\" VALUES ('x')").arg(name));
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("make"));
    return ok;
}

} // namespace

class TestSourceRemoval : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_config;
    QString m_data;
    QString m_shared;
    QJsonObject m_root;

    // crm: Property with Media into its default SQLite file and into shared.sqlite, its secrets
    // in the keychain (one of them also crmls's); crmls: Member into shared.sqlite; armls:
    // Property into its default file.
    void writeSetup(const QString& name) {
        const QString dir = m_dir.filePath(name);
        QDir().mkpath(dir);
        m_data = QDir(dir).filePath(QStringLiteral("data"));
        m_shared = QDir(dir).filePath(QStringLiteral("shared.sqlite"));
        const QJsonArray property{
            QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")},
                        {QStringLiteral("expand"),
                         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Media")}}}}}};
        const QJsonObject crm = source(
            QStringLiteral("crm"), property,
            QJsonArray{sqlite(QStringLiteral("local")), sqlite(QStringLiteral("shared"), m_shared)},
            oauth(QStringLiteral("keychain:crm.clientSecret"), QStringLiteral("keychain:shared.password")));
        const QJsonObject crmls =
            source(QStringLiteral("crmls"),
                   QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Member")}}},
                   QJsonArray{sqlite(QStringLiteral("shared"), m_shared)},
                   oauth(QStringLiteral("keychain:shared.password")));
        const QJsonObject armls =
            source(QStringLiteral("armls"),
                   QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")}}},
                   QJsonArray{sqlite(QStringLiteral("local"))}, oauth(QStringLiteral("env:X")));
        m_root = QJsonObject{{QStringLiteral("version"), 1},
                             {QStringLiteral("timeZone"), QStringLiteral("UTC")},
                             {QStringLiteral("sources"), QJsonArray{crmls, crm, armls}}};
        m_config = ors::test::writeConfig(dir, m_root);
    }

    Workspace load() const {
        Workspace workspace = Workspace::load(m_config, m_data);
        if (!workspace.ok())
            qWarning("%s", qPrintable(workspace.errors.join(QLatin1Char('\n'))));
        return workspace;
    }

    // Rows, files and tables for crm and crmls (and armls's file).
    void fillData() {
        const DataLayout layout(m_data);
        QVERIFY(layout.ensureRoot());
        {
            StateStore state(layout.stateDatabase());
            QVERIFY(state.open());
            for (const char* name : {"crm", "crmls"}) {
                const QString source = QString::fromLatin1(name);
                QVERIFY(state.startBatch(source, QStringLiteral("sync"), QStringLiteral("b1")));
                QVERIFY(state.raiseHighWater(source, QStringLiteral("Property"), QStringLiteral("local"),
                                             "2024-05-01T10:00:00.000Z"));
            }
        }
        {
            StatsStore stats(layout.statsDatabase());
            QVERIFY(stats.open());
            for (const char* name : {"crm", "crmls"}) {
                auto run =
                    stats.startRun(QString::fromLatin1(name), QStringLiteral("sync"), QStringLiteral("b1"));
                QVERIFY(run);
                QVERIFY(stats.addResourceCounts(*run, QStringLiteral("Property"), 5, 5, 1));
                QVERIFY(stats.finishRun(*run, QStringLiteral("success"), QString()));
            }
        }
        for (const QString& file :
             QStringList{layout.sourceDir(QStringLiteral("crm")) +
                             QStringLiteral("/downloadedData/Property/batch.json"),
                         layout.rejectedFile(QStringLiteral("crm"), QStringLiteral("Property")),
                         layout.sourceDir(QStringLiteral("crmls")) +
                             QStringLiteral("/downloadedData/Member/batch.json"),
                         layout.logFile(QStringLiteral("crm")),
                         layout.logFile(QStringLiteral("crm")) + QStringLiteral(".1"),
                         layout.logFile(QStringLiteral("crm")) + QStringLiteral(".lock"),
                         layout.logFile(QStringLiteral("crmls")), layout.lockFile(QStringLiteral("crmls"))})
            QVERIFY2(touch(file), qPrintable(file));
        QVERIFY(makeTables(layout.defaultSqlitePath(QStringLiteral("crm"), QStringLiteral("local")),
                           {QStringLiteral("Property"), QStringLiteral("Media")}));
        QVERIFY(makeTables(layout.defaultSqlitePath(QStringLiteral("armls"), QStringLiteral("local")),
                           {QStringLiteral("Property")}));
        QVERIFY(makeTables(m_shared, {QStringLiteral("Property"), QStringLiteral("Media"),
                                      QStringLiteral("Member"), QStringLiteral("Notes")}));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        qunsetenv("OPENRESYNC_DATA_DIR");
    }

    // The configuration loses crm alone; the other entries are the objects they were, and the
    // file before is the .bak. An unknown name changes nothing.
    void configLosesOnlyThatSource() {
        writeSetup(QStringLiteral("config"));
        const QByteArray before = readAll(m_config);
        auto result = ConfigWriter::removeSource(m_config, QStringLiteral("crm"));
        QVERIFY2(result, qPrintable(result ? QString() : result.errorMessage()));
        QCOMPARE(result->backupPath, m_config + QStringLiteral(".bak"));
        QCOMPARE(readAll(result->backupPath), before);
        QCOMPARE(result->config.sources.size(), 2);
        const QJsonObject after = QJsonDocument::fromJson(readAll(m_config)).object();
        QJsonObject expected = m_root;
        QJsonArray sources = expected.value(QStringLiteral("sources")).toArray();
        sources.removeAt(1);
        expected.insert(QStringLiteral("sources"), sources);
        QCOMPARE(after, expected);

        const QByteArray now = readAll(m_config);
        auto missing = ConfigWriter::removeSource(m_config, QStringLiteral("nosuch"));
        QVERIFY(!missing);
        QVERIFY2(missing.errorMessage().contains(QStringLiteral("nosuch")),
                 qPrintable(missing.errorMessage()));
        QCOMPARE(readAll(m_config), now);
        QCOMPARE(readAll(m_config + QStringLiteral(".bak")), before);
    }

    // Keeping the data: only the configuration changes.
    void keepDataLeavesEverything() {
        writeSetup(QStringLiteral("keep"));
        fillData();
        const Workspace workspace = load();
        QVERIFY(workspace.ok());
        auto result = SourceRemoval::remove(m_config, *workspace.config, m_data, QStringLiteral("crm"), {});
        QVERIFY2(result, qPrintable(result ? QString() : result.errorMessage()));
        QVERIFY(result->problems.isEmpty());
        QVERIFY(result->removedPaths.isEmpty() && result->droppedTables.isEmpty());
        QCOMPARE(load().config->sources.size(), 2);
        QVERIFY(!load().config->source(QStringLiteral("crm")));
        QCOMPARE(tables(m_shared).size(), 4);
        QVERIFY(QFile::exists(DataLayout(m_data).logFile(QStringLiteral("crm"))));
        StateStore state(DataLayout(m_data).stateDatabase());
        QVERIFY(state.open());
        QCOMPARE(state.highWaters(QStringLiteral("crm"))->size(), 1);
    }

    // What the dialog offers: crm's files, its tables per destination (none shared here), and
    // only the keychain entry no other source names.
    void planNamesWhatGoes() {
        writeSetup(QStringLiteral("plan"));
        fillData();
        const Workspace workspace = load();
        QVERIFY(workspace.ok());
        auto plan = SourceRemoval::plan(*workspace.config, m_data, QStringLiteral("crm"));
        QVERIFY2(plan, qPrintable(plan ? QString() : plan.errorMessage()));
        const DataLayout layout(m_data);
        QVERIFY(plan->dataPaths.contains(layout.sourceDir(QStringLiteral("crm"))));
        QVERIFY(plan->dataPaths.contains(layout.logFile(QStringLiteral("crm"))));
        QVERIFY(!plan->dataPaths.contains(layout.logFile(QStringLiteral("crmls"))));
        QVERIFY(!plan->dataPaths.contains(layout.sourceDir(QStringLiteral("crmls"))));
        QCOMPARE(plan->destinations.size(), 2);
        QCOMPARE(plan->destinations.at(0).tables,
                 (QStringList{QStringLiteral("Property"), QStringLiteral("Media")}));
        QVERIFY(plan->destinations.at(1).where.contains(m_shared));
        QVERIFY(plan->destinations.at(1).shared.isEmpty());
        QCOMPARE(plan->keychainKeys, QStringList{QStringLiteral("crm.clientSecret")});
        QVERIFY(!SourceRemoval::plan(*workspace.config, m_data, QStringLiteral("nosuch")));
    }

    // Deleting the data and dropping the tables: crm's files, rows and tables go; crmls's and
    // armls's stay, in shared files too.
    void deleteDataAndDropTables() {
        writeSetup(QStringLiteral("delete"));
        fillData();
        const Workspace workspace = load();
        QVERIFY(workspace.ok());
        const DataLayout layout(m_data);
        SourceRemovalOptions options;
        options.deleteData = true;
        options.dropTables = true;
        auto result =
            SourceRemoval::remove(m_config, *workspace.config, m_data, QStringLiteral("crm"), options);
        QVERIFY2(result, qPrintable(result ? QString() : result.errorMessage()));
        QVERIFY2(result->problems.isEmpty(), qPrintable(result->problems.join(QLatin1Char('\n'))));
        QVERIFY(QFile::exists(m_config + QStringLiteral(".bak")));
        QVERIFY(!load().config->source(QStringLiteral("crm")));

        // Files.
        QVERIFY(!QFileInfo::exists(layout.sourceDir(QStringLiteral("crm"))));
        QVERIFY(!QFileInfo::exists(layout.logFile(QStringLiteral("crm"))));
        QVERIFY(!QFileInfo::exists(layout.logFile(QStringLiteral("crm")) + QStringLiteral(".1")));
        QVERIFY(!QFileInfo::exists(layout.logFile(QStringLiteral("crm")) + QStringLiteral(".lock")));
        QVERIFY(!QFileInfo::exists(layout.lockFile(QStringLiteral("crm"))));
        QVERIFY(QFileInfo::exists(layout.sourceDir(QStringLiteral("crmls")) +
                                  QStringLiteral("/downloadedData/Member/batch.json")));
        QVERIFY(QFileInfo::exists(layout.logFile(QStringLiteral("crmls"))));
        QVERIFY(QFileInfo::exists(layout.lockFile(QStringLiteral("crmls"))));

        // Rows.
        {
            StateStore state(layout.stateDatabase());
            QVERIFY(state.open());
            QCOMPARE(state.highWaters(QStringLiteral("crm"))->size(), 0);
            QVERIFY(!state.currentBatch(QStringLiteral("crm"), QStringLiteral("sync"))->has_value());
            QCOMPARE(state.highWaters(QStringLiteral("crmls"))->size(), 1);
            QVERIFY(state.currentBatch(QStringLiteral("crmls"), QStringLiteral("sync"))->has_value());
            StatsStore stats(layout.statsDatabase());
            QVERIFY(stats.open());
            QVERIFY(!stats.lastRun(QStringLiteral("crm"))->has_value());
            QVERIFY(stats.lastRun(QStringLiteral("crmls"))->has_value());
        }

        // Tables: crm's in both of its destinations; crmls's Member and a table no source
        // writes stay in the shared file; armls's file is untouched.
        QVERIFY(tables(layout.defaultSqlitePath(QStringLiteral("crm"), QStringLiteral("local"))).isEmpty());
        QCOMPARE(tables(m_shared), (QStringList{QStringLiteral("Member"), QStringLiteral("Notes")}));
        QCOMPARE(tables(layout.defaultSqlitePath(QStringLiteral("armls"), QStringLiteral("local"))),
                 QStringList{QStringLiteral("Property")});
        QCOMPARE(result->droppedTables.size(), 4);
        QVERIFY2(result->droppedTables.contains(QStringLiteral("Media in sqlite ") + m_shared),
                 qPrintable(result->droppedTables.join(QLatin1Char('\n'))));
    }

    // A table another source writes in the same database is named in the plan and never dropped
    // (a configuration the validator refuses, handed in directly).
    void sharedTableKept() {
        writeSetup(QStringLiteral("shared"));
        fillData();
        Workspace workspace = load();
        QVERIFY(workspace.ok());
        Config config = *workspace.config;
        SourceConfig& crmls = config.sources[0];
        crmls.resources.append(ResourceConfig{QStringLiteral("Media"), {}, {}, {}});
        auto plan = SourceRemoval::plan(config, m_data, QStringLiteral("crm"));
        QVERIFY(plan);
        QCOMPARE(plan->destinations.at(1).shared, QStringList{QStringLiteral("Media")});
        QStringList dropped;
        QStringList problems;
        SourceRemoval::dropTables(*config.source(QStringLiteral("crm")), m_data, plan->destinations, dropped,
                                  problems);
        QVERIFY(problems.isEmpty());
        QCOMPARE(tables(m_shared),
                 (QStringList{QStringLiteral("Media"), QStringLiteral("Member"), QStringLiteral("Notes")}));
    }

    // While a job of the source holds its lock (here: this test, as another program would),
    // nothing is removed and the message says why.
    void refusedWhileAJobRuns() {
        writeSetup(QStringLiteral("locked"));
        fillData();
        const Workspace workspace = load();
        QVERIFY(workspace.ok());
        const DataLayout layout(m_data);
        QVERIFY(layout.ensureLocksDir());
        const QByteArray before = readAll(m_config);
        SourceLock job;
        QVERIFY(job.acquire(layout.lockFile(QStringLiteral("crm")), QStringLiteral("crm")));
        SourceRemovalOptions options;
        options.deleteData = true;
        options.dropTables = true;
        auto result =
            SourceRemoval::remove(m_config, *workspace.config, m_data, QStringLiteral("crm"), options);
        QVERIFY(!result);
        QVERIFY2(result.errorMessage().contains(QStringLiteral("crm not removed")),
                 qPrintable(result.errorMessage()));
        QCOMPARE(readAll(m_config), before);
        QVERIFY(!QFile::exists(m_config + QStringLiteral(".bak")));
        QVERIFY(QFileInfo::exists(layout.sourceDir(QStringLiteral("crm"))));
        QCOMPARE(tables(m_shared).size(), 4);
        job.release();
        QVERIFY(SourceRemoval::remove(m_config, *workspace.config, m_data, QStringLiteral("crm"), options));
    }
};

QTEST_GUILESS_MAIN(TestSourceRemoval)
#include "tst_sourceremoval.moc"
