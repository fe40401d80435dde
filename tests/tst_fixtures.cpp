// What earlier versions wrote still opens: every tests/fixtures/v<version>/ (a configuration,
// state.sqlite and stats.sqlite after a sync, purge and reconcile, made by
// tests/fixtures/make-fixtures) is loaded and opened by this version, which migrates the stores
// forward in place and still reads the marks and the run history they hold.
#include "TestSupport.h"

#include "config/ConfigLoader.h"
#include "stats/StatsStore.h"
#include "store/StateStore.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ors;

namespace {

const QString kFixtures = test::sourcePath(QStringLiteral("tests/fixtures"));

int schemaVersion(const QString& path) {
    const QString name = QStringLiteral("fixture-version");
    int version = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(QStringLiteral("SELECT version FROM schema_version"), db);
            if (query.next())
                version = query.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return version;
}

} // namespace

class TestFixtures : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void opensWhatEarlierVersionsWrote_data() {
        QTest::addColumn<QString>("folder");
        const QStringList versions = QDir(kFixtures).entryList({QStringLiteral("v*")}, QDir::Dirs);
        // At least this version's own: a release adds its folder, none is ever removed.
        QVERIFY(versions.contains(QStringLiteral("v" OPENRESYNC_VERSION)));
        for (const QString& version : versions)
            QTest::newRow(qPrintable(version)) << QDir(kFixtures).filePath(version);
    }

    void opensWhatEarlierVersionsWrote() {
        QFETCH(QString, folder);
        QTemporaryDir dir;
        for (const QString& file :
             {QStringLiteral("config.json"), QStringLiteral("state.sqlite"), QStringLiteral("stats.sqlite")})
            QVERIFY2(QFile::copy(QDir(folder).filePath(file), dir.filePath(file)), qPrintable(file));

        const ConfigLoadResult loaded = ConfigLoader::loadFile(dir.filePath(QStringLiteral("config.json")));
        QVERIFY2(loaded.config, qPrintable(loaded.errors.join(QLatin1Char('\n'))));
        const Config& config = *loaded.config;
        QCOMPARE(config.version, kConfigVersion);
        const SourceConfig* source = config.source(QStringLiteral("fixture"));
        QVERIFY(source);
        QCOMPARE(source->resources.size(), 2);
        QCOMPARE(source->destinations.size(), 1);
        QCOMPARE(source->auth.token.kind, SecretRef::Kind::Env);
        QCOMPARE(source->schedules.sync, QStringList{QStringLiteral("*/15 * * * *")});
        QCOMPARE(config.alerts.failuresInARow, 3);

        const QString statePath = dir.filePath(QStringLiteral("state.sqlite"));
        QVERIFY(schemaVersion(statePath) <= qsizetype(StateStore::migrations().size()));
        {
            StateStore state(statePath);
            auto opened = state.open();
            QVERIFY2(opened, qPrintable(opened ? QString() : opened.errorMessage()));
            auto marks = state.highWaters(QStringLiteral("fixture"));
            QVERIFY(marks);
            QStringList resources;
            for (const HighWaterMark& mark : *marks) {
                QVERIFY(!mark.timestamp.isEmpty());
                resources << mark.resource;
            }
            QVERIFY2(resources.contains(QStringLiteral("Property")) &&
                         resources.contains(QStringLiteral("Member")),
                     qPrintable(resources.join(QLatin1Char(' '))));
            auto batch = state.currentBatch(QStringLiteral("fixture"), QStringLiteral("sync"));
            QVERIFY(batch);
            QVERIFY(!batch->has_value()); // every run of the fixture finished
        }
        QCOMPARE(schemaVersion(statePath), int(StateStore::migrations().size()));

        const QString statsPath = dir.filePath(QStringLiteral("stats.sqlite"));
        {
            StatsStore stats(statsPath);
            auto opened = stats.open();
            QVERIFY2(opened, qPrintable(opened ? QString() : opened.errorMessage()));
            RunQuery query;
            query.source = QStringLiteral("fixture");
            auto runs = stats.history(query);
            QVERIFY(runs);
            QStringList processes;
            for (const RunDetail& run : *runs) {
                QCOMPARE(run.run.result, QStringLiteral("success"));
                processes.prepend(run.run.process);
            }
            QCOMPARE(processes, (QStringList{QStringLiteral("sync"), QStringLiteral("purge"),
                                             QStringLiteral("reconcile")}));
            const RunDetail& sync = runs->last();
            qint64 downloaded = 0;
            for (const RunResourceCount& resource : sync.resources)
                downloaded += resource.resource == QLatin1String("Property") ? resource.downloaded : 0;
            QCOMPARE(downloaded, 50);
        }
        QCOMPARE(schemaVersion(statsPath), int(StatsStore::migrations().size()));
    }
};

QTEST_GUILESS_MAIN(TestFixtures)
#include "tst_fixtures.moc"
