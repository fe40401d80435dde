// Where the programs write and who may read it, through the real openresync-cli: default SQLite
// files per source, two writers of one table refused, private modes whatever the umask.
#include "CliFixture.h"
#include "Gzip.h"

#include "diff/KeyListWriter.h"
#include "processes/BatchFiles.h"
#include "util/PrivateFiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace ors;
using namespace ors::test;

namespace {

mode_t modeOf(const QString& path) {
    struct stat st {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return 07777;
    return st.st_mode & 07777;
}

// Every path under root (root included) whose mode is not 0700 (directories) or 0600 (files).
QStringList notPrivate(const QString& root) {
    QStringList wrong;
    auto check = [&](const QString& path) {
        const QFileInfo info(path);
        if (info.isSymLink())
            return;
        const mode_t expected = info.isDir() ? 0700 : 0600;
        if (modeOf(path) != expected)
            wrong << QStringLiteral("%1: %2").arg(path, QString::number(modeOf(path), 8));
    };
    check(root);
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        check(it.next());
    return wrong;
}

QJsonObject sqliteDestination(const QString& name, const QString& path = {}) {
    QJsonObject d{{QStringLiteral("name"), name}, {QStringLiteral("type"), QStringLiteral("sqlite")}};
    if (!path.isEmpty())
        d.insert(QStringLiteral("path"), path);
    return d;
}

QJsonObject withDestinations(QJsonObject source, const QJsonArray& destinations) {
    source.insert(QStringLiteral("destinations"), destinations);
    return source;
}

QJsonObject configOf(const QJsonArray& sources) {
    return QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("sources"), sources}};
}

// Sets the process umask (inherited by the CLI started from here) for one scope.
struct Umask {
    explicit Umask(mode_t mask)
        : old(::umask(mask)) {}
    ~Umask() { ::umask(old); }
    mode_t old;
};

} // namespace

class TestDataFiles : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sourcesWithSameDestinationNameGetTheirOwnFiles() {
        fake::ServerOptions a;
        a.listingCount = 30;
        fake::FakeResoServer serverA(a);
        QVERIFY(serverA.start());
        fake::ServerOptions b;
        b.listingCount = 12;
        b.seed = 7;
        fake::FakeResoServer serverB(b);
        QVERIFY(serverB.start());
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QJsonArray local{sqliteDestination(QStringLiteral("local"))};
        const QString config = writeConfig(
            dir.path(),
            configOf({withDestinations(sourceConfig(QStringLiteral("a"), serverA.serviceUrl(), {}), local),
                      withDestinations(sourceConfig(QStringLiteral("b"), serverB.serviceUrl(), {}), local)}));
        QCOMPARE(runCli(cliArgs(config, dataDir, {QStringLiteral("validate")})).exitCode, 0);
        for (const QString& source : {QStringLiteral("a"), QStringLiteral("b")}) {
            const CliResult sync = runCli(cliArgs(config, dataDir, {QStringLiteral("sync"), source}));
            QVERIFY2(sync.exitCode == 0, sync.err.constData());
        }
        const QString fileA = QDir(dataDir).filePath(QStringLiteral("destinations/a/local.sqlite"));
        const QString fileB = QDir(dataDir).filePath(QStringLiteral("destinations/b/local.sqlite"));
        QVERIFY(!QFileInfo::exists(QDir(dataDir).filePath(QStringLiteral("destinations/local.sqlite"))));
        // Each file holds exactly its MLS: b's sync started from nothing, not from a's newest row.
        QStringList diff = compareWithServer(serverA, QStringLiteral("Property"), fileA,
                                             QStringLiteral("Property"), QStringLiteral("ListingKey"));
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(u'\n')));
        diff = compareWithServer(serverB, QStringLiteral("Property"), fileB, QStringLiteral("Property"),
                                 QStringLiteral("ListingKey"));
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(u'\n')));
        // Purging b deletes nothing of a's.
        const CliResult purge =
            runCli(cliArgs(config, dataDir, {QStringLiteral("purge"), QStringLiteral("b")}));
        QVERIFY2(purge.exitCode == 0, purge.err.constData());
        QCOMPARE(readTable(fileA, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 30);
    }

    void legacyDefaultFileKeepsBeingUsed() {
        fake::ServerOptions options;
        options.listingCount = 25;
        CliFixture f;
        QVERIFY(f.startServer(options));
        const QString url = f.server->serviceUrl();
        const QString legacy = QDir(f.dataDir).filePath(QStringLiteral("destinations/local.sqlite"));
        // What an earlier version wrote by default: destinations/<name>.sqlite.
        f.writeSource(withDestinations(sourceConfig(QStringLiteral("mls"), url, {}),
                                       {sqliteDestination(QStringLiteral("local"), legacy)}));
        QCOMPARE(f.run(QStringLiteral("sync")).exitCode, 0);
        QCOMPARE(readTable(legacy, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 25);

        // The same source without a path: the legacy file is still its file, so nothing is downloaded again.
        f.writeSource(withDestinations(sourceConfig(QStringLiteral("mls"), url, {}),
                                       {sqliteDestination(QStringLiteral("local"))}));
        const CliResult again = f.run(QStringLiteral("sync"));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QVERIFY2(again.err.contains("0 records downloaded"), again.err.constData());
        QVERIFY(
            !QFileInfo::exists(QDir(f.dataDir).filePath(QStringLiteral("destinations/mls/local.sqlite"))));

        // A second source with a destination of that name: neither may take the old file as theirs.
        QJsonObject other = withDestinations(sourceConfig(QStringLiteral("other"), url, {}),
                                             {sqliteDestination(QStringLiteral("local"))});
        f.config = writeConfig(f.dir.path(),
                               configOf({withDestinations(sourceConfig(QStringLiteral("mls"), url, {}),
                                                          {sqliteDestination(QStringLiteral("local"))}),
                                         other}));
        const CliResult shared = f.run(QStringLiteral("sync"));
        QVERIFY2(shared.exitCode == 0, shared.err.constData());
        QVERIFY2(shared.err.contains("is no longer used"), shared.err.constData());
        QCOMPARE(readTable(QDir(f.dataDir).filePath(QStringLiteral("destinations/mls/local.sqlite")),
                           QStringLiteral("Property"), QStringLiteral("ListingKey"))
                     .size(),
                 25);
    }

    // Two sources writing one table: a warning (purge refuses it, tst_mapping), not a refusal.
    void twoSourcesWritingOneTableAreWarned() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QString shared = QFileInfo(dir.path()).canonicalFilePath() + QStringLiteral("/x.sqlite");
        const QJsonArray destination{sqliteDestination(QStringLiteral("local"), shared)};
        const QString config = writeConfig(
            dir.path(),
            configOf({withDestinations(
                          sourceConfig(QStringLiteral("a"), QStringLiteral("http://127.0.0.1:9/odata"), {}),
                          destination),
                      withDestinations(
                          sourceConfig(QStringLiteral("b"), QStringLiteral("http://127.0.0.1:9/odata"), {}),
                          destination)}));
        const QByteArray expected = "sources[1].destinations[0] (\"local\") and sources[0].destinations[0] "
                                    "(\"local\") both write table Property in " +
                                    shared.toUtf8();
        const CliResult result = runCli(cliArgs(config, dataDir, {QStringLiteral("validate")}));
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.err.contains(expected) || result.out.contains(expected), result.err.constData());
        QVERIFY2(QByteArray(result.err + result.out).contains("both write table Media"),
                 result.err.constData());
        QVERIFY(!QFileInfo::exists(shared));
    }

    void resourcesWritingOneTableDifferentlyAreRefused() {
        fake::ServerOptions options;
        options.listingCount = 10;
        CliFixture f;
        QVERIFY(f.startServer(options));
        const QString sqlite = f.path(QStringLiteral("d.sqlite"));
        // ListAgent expands to Member rows keyed by MemberKey; the Member resource is keyed by
        // MemberMlsId here. Only $metadata tells that both are table Member.
        QJsonObject source = sourceConfig(QStringLiteral("mls"), f.server->serviceUrl(), {sqlite});
        source.insert(
            QStringLiteral("resources"),
            QJsonArray{
                QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")},
                            {QStringLiteral("expand"),
                             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("ListAgent")},
                                                    {QStringLiteral("owned"), false}}}}},
                QJsonObject{{QStringLiteral("name"), QStringLiteral("Member")}}});
        source.insert(QStringLiteral("profile"),
                      QJsonObject{{QStringLiteral("keyFields"),
                                   QJsonObject{{QStringLiteral("Member"), QStringLiteral("MemberMlsId")}}}});
        f.writeSource(source);
        for (const QString& command :
             {QStringLiteral("sync"), QStringLiteral("purge"), QStringLiteral("reconcile")}) {
            const CliResult result = f.run(command);
            QCOMPARE(result.exitCode, 1);
            QVERIFY2(result.err.contains("source mls: resources[1] (\"Member\") and resources[0].expand[0] "
                                         "(\"ListAgent\") both write table Member"),
                     result.err.constData());
        }
        // Refused before any destination was opened.
        QVERIFY(!QFileInfo::exists(sqlite));

        // The same entity type under the same key (Property's Media and the Media resource) is fine.
        source.insert(
            QStringLiteral("resources"),
            QJsonArray{
                QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")},
                            {QStringLiteral("expand"),
                             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Media")}}}}},
                QJsonObject{{QStringLiteral("name"), QStringLiteral("Media")}}});
        source.remove(QStringLiteral("profile"));
        f.writeSource(source);
        const CliResult sync = f.run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
    }

    void everythingWrittenIsPrivate_data() {
        QTest::addColumn<int>("mask");
        QTest::newRow("umask 0022") << 022;
        QTest::newRow("umask 0000") << 0;
    }

    void everythingWrittenIsPrivate() {
        QFETCH(int, mask);
        const Umask restricted{mode_t(mask)};
        fake::ServerOptions options;
        options.listingCount = 60;
        CliFixture f;
        QVERIFY(f.startServer(options));
        const QString& dataDir = f.dataDir;
        // One destination at its default place inside the data directory, one in a new folder outside.
        const QString outside = f.path(QStringLiteral("new/folder/out.sqlite"));
        f.writeSource(withDestinations(
            sourceConfig(QStringLiteral("mls"), f.server->serviceUrl(), {}, 20),
            {sqliteDestination(QStringLiteral("local")), sqliteDestination(QStringLiteral("out"), outside)}));
        // Pages are caught on disk while a slowed apply works through them.
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_DELAY_MS"), QStringLiteral("150"));
        // Several pages on disk at once (each page is otherwise applied and deleted before the next).
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_AFTER_DOWNLOAD"), QStringLiteral("1"));
        auto process = f.launch(QStringLiteral("sync"), env);
        QTRY_VERIFY_WITH_TIMEOUT(filesUnder(dataDir, QStringLiteral("sync_batch_*.json")).size() >= 2, 30000);
        // While the job runs: its pages, and the -wal/-shm files SQLite made beside its databases.
        const QStringList pages = filesUnder(dataDir, QStringLiteral("sync_batch_*.json")) +
                                  filesUnder(dataDir, QStringLiteral("*.sqlite-wal")) +
                                  filesUnder(dataDir, QStringLiteral("*.sqlite-shm"));
        QVERIFY2(pages.size() >= 4, qPrintable(pages.join(u' ')));
        for (const QString& page : pages) {
            const mode_t mode = modeOf(page);
            QVERIFY2(mode == 0600 || mode == 07777 /* applied and removed meanwhile */,
                     qPrintable(page + QStringLiteral(": ") + QString::number(mode, 8)));
        }
        QVERIFY(process->waitForFinished(120000));
        QVERIFY2(process->exitCode() == 0, process->readAllStandardError().constData());
        for (const QStringList& command : {QStringList{QStringLiteral("purge"), QStringLiteral("mls")},
                                           QStringList{QStringLiteral("reconcile"), QStringLiteral("mls")},
                                           QStringList{QStringLiteral("status")}}) {
            const CliResult result = f.cli(command);
            QVERIFY2(result.exitCode == 0, result.err.constData());
        }
        QVERIFY(QFileInfo::exists(QDir(dataDir).filePath(QStringLiteral("destinations/mls/local.sqlite"))));
        QVERIFY(QFileInfo::exists(QDir(dataDir).filePath(QStringLiteral("locks/mls.lock"))));
        QVERIFY(QFileInfo::exists(QDir(dataDir).filePath(QStringLiteral("logs/mls.ndjson"))));
        const QStringList wrong = notPrivate(dataDir);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
        // Outside the data directory: the file and the folders it needed are private too.
        QCOMPARE(modeOf(outside), mode_t(0600));
        QCOMPARE(modeOf(f.path(QStringLiteral("new/folder"))), mode_t(0700));
        QCOMPARE(modeOf(f.path(QStringLiteral("new"))), mode_t(0700));
    }

    void keyListsAndPagesArePrivate() {
        const Umask restricted{0};
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("a/b"));
        KeyListWriter writer;
        QVERIFY(writer.open(folder + QStringLiteral("/list.keys")).ok());
        QVERIFY(writer.append("k1").ok());
        QVERIFY(writer.commit().ok());
        QCOMPARE(modeOf(folder + QStringLiteral("/list.keys")), mode_t(0600));
        QCOMPARE(modeOf(folder), mode_t(0700));
        QCOMPARE(modeOf(dir.filePath(QStringLiteral("a"))), mode_t(0700));

        const BatchFiles pages(dir.filePath(QStringLiteral("pages")), QStringLiteral("sync_batch_"));
        const QString name = pages.fileName(QStringLiteral("b1"), 1);
        QVERIFY(pages.write(name, "{\"value\":[]}").ok());
        QCOMPARE(modeOf(pages.path(name)), mode_t(0600));
        QCOMPARE(modeOf(dir.filePath(QStringLiteral("pages"))), mode_t(0700));
        // Written again over an existing page: still private.
        QVERIFY(::chmod(QFile::encodeName(pages.path(name)).constData(), 0644) == 0);
        QVERIFY(pages.write(name, "{\"value\":[]}").ok());
        QCOMPARE(modeOf(pages.path(name)), mode_t(0600));
    }

    // A page the server sent compressed is kept as that gzip; read() gives the JSON either way,
    // and a damaged compressed page is an error naming its file, not a page of garbage.
    void pagesKeptCompressedReadBackAsJson() {
        QTemporaryDir dir;
        const BatchFiles pages(dir.filePath(QStringLiteral("pages")), QStringLiteral("sync_batch_"));
        QByteArray json = "{\"value\":[";
        for (int i = 0; i < 500; ++i)
            json += (i ? "," : "") + QByteArray("{\"ListingKey\":\"K") + QByteArray::number(i) +
                    "\",\"PublicRemarks\":\"a quiet street, \u00e9t\u00e9\"}";
        json += "]}";
        const QByteArray gzip = fake::gzipCompress(json);
        QVERIFY(gzip.size() * 5 < json.size());
        const QString compressed = pages.fileName(QStringLiteral("b1"), 1);
        const QString plain = pages.fileName(QStringLiteral("b1"), 2);
        QVERIFY(pages.write(compressed, gzip).ok());
        QVERIFY(pages.write(plain, json).ok());
        QCOMPARE(QFileInfo(pages.path(compressed)).size(), gzip.size());
        QCOMPARE(pages.list(), (QStringList{compressed, plain}));
        auto read = pages.read(compressed);
        QVERIFY2(read.ok(), qPrintable(read.ok() ? QString() : read.errorMessage()));
        QCOMPARE(*read, json);
        read = pages.read(plain);
        QVERIFY(read.ok());
        QCOMPARE(*read, json);

        QByteArray damaged = gzip;
        damaged[damaged.size() / 2] = char(damaged.at(damaged.size() / 2) ^ 0x55);
        const QString bad = pages.fileName(QStringLiteral("b1"), 3);
        QVERIFY(pages.write(bad, damaged).ok());
        read = pages.read(bad);
        QVERIFY(!read.ok());
        QVERIFY2(read.errorMessage().contains(pages.path(bad)) &&
                     read.errorMessage().contains(QStringLiteral("corrupt")),
                 qPrintable(read.errorMessage()));
        QVERIFY(!pages.read(pages.fileName(QStringLiteral("b1"), 4)).ok());
    }

    void looseDataDirectoryIsTightenedOnce() {
        fake::ServerOptions options;
        options.listingCount = 15;
        CliFixture f;
        QVERIFY(f.startServer(options));
        const QString& dataDir = f.dataDir;
        f.writeSource(withDestinations(sourceConfig(QStringLiteral("mls"), f.server->serviceUrl(), {}),
                                       {sqliteDestination(QStringLiteral("local"))}));
        QCOMPARE(f.run(QStringLiteral("sync")).exitCode, 0);
        // As an earlier version (or a hand-made folder) left it: readable by everyone.
        const QString state = QDir(dataDir).filePath(QStringLiteral("state.sqlite"));
        const QString log = QDir(dataDir).filePath(QStringLiteral("logs/mls.ndjson"));
        const QString destination = QDir(dataDir).filePath(QStringLiteral("destinations/mls/local.sqlite"));
        for (const QString& path : {dataDir, QDir(dataDir).filePath(QStringLiteral("logs"))})
            QVERIFY(::chmod(QFile::encodeName(path).constData(), 0755) == 0);
        for (const QString& path : {state, log, destination})
            QVERIFY(::chmod(QFile::encodeName(path).constData(), 0644) == 0);

        const CliResult first = f.run(QStringLiteral("sync"));
        QVERIFY2(first.exitCode == 0, first.err.constData());
        for (const QString& path : {dataDir, state, log, destination})
            QVERIFY2(first.err.contains(QString(path + QStringLiteral(" was readable by others")).toUtf8()),
                     first.err.constData());
        QCOMPARE(first.err.count("was readable by others"), 5);
        const QStringList wrong = notPrivate(dataDir);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
        // The source's log says so too.
        QFile logFile(log);
        QVERIFY(logFile.open(QIODevice::ReadOnly));
        QVERIFY(logFile.readAll().contains("was readable by others"));

        const CliResult second = f.run(QStringLiteral("sync"));
        QVERIFY2(second.exitCode == 0, second.err.constData());
        QVERIFY2(!second.err.contains("readable by others"), second.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestDataFiles)
#include "tst_datafiles.moc"
