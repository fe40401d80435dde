// A data directory that fills up or turns read-only: the job fails with the system's own reason,
// keeps what it stored, and finishes exactly once space (or write access) returns. Runs the real
// openresync-cli with its data directory on a small tmpfs, which only root may mount.
#include "CliFixture.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTest>

#include <csignal>
#include <sys/statvfs.h>
#include <unistd.h>

using namespace ors;
using namespace ors::test;

namespace {

int run(const QString& program, const QStringList& arguments, QByteArray* output = nullptr) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, arguments);
    if (!p.waitForFinished(30000))
        return -1;
    if (output)
        *output = p.readAll();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// A tmpfs mounted for one test and unmounted whatever happens.
struct TmpfsMount {
    QString path;
    bool mounted = false;
    QByteArray error;
    TmpfsMount(const QString& where, const QString& size)
        : path(where) {
        QDir().mkpath(path);
        mounted = run(QStringLiteral("mount"),
                      {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                       QStringLiteral("size=%1,mode=0700").arg(size), QStringLiteral("tmpfs"), path},
                      &error) == 0;
    }
    bool remount(const QString& mode) {
        return run(QStringLiteral("mount"),
                   {QStringLiteral("-o"), QStringLiteral("remount,%1").arg(mode), path}) == 0;
    }
    ~TmpfsMount() {
        if (mounted)
            run(QStringLiteral("umount"), {QStringLiteral("-l"), path});
    }
};

qint64 freeBytes(const QString& path) {
    struct statvfs s {};
    if (::statvfs(QFile::encodeName(path).constData(), &s) != 0)
        return -1;
    return qint64(s.f_bavail) * qint64(s.f_frsize);
}

// Writes zeros until only `leave` bytes are free.
bool fillUntil(const QString& file, qint64 leave) {
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    const QByteArray chunk(64 * 1024, '\0');
    while (true) {
        const qint64 room = freeBytes(QFileInfo(file).absolutePath()) - leave;
        if (room <= 0)
            break;
        const qint64 n = std::min<qint64>(room, chunk.size());
        if (f.write(chunk.constData(), n) != n || !f.flush())
            return false;
    }
    return true;
}

} // namespace

class TestDiskSpace : public QObject {
    Q_OBJECT

private:
    struct Fixture : CliFixture {
        std::unique_ptr<TmpfsMount> mount;
        QString sqlite;
    };

    // The data directory on a small tmpfs, the destination beside it.
    std::unique_ptr<Fixture> makeFixture(int listings, int pageSize) {
        auto f = std::make_unique<Fixture>();
        fake::ServerOptions options;
        options.listingCount = listings;
        if (!f->startServer(options))
            return nullptr;
        f->mount = std::make_unique<TmpfsMount>(f->path(QStringLiteral("small")), QStringLiteral("12m"));
        if (!f->mount->mounted) {
            qWarning("mount tmpfs: %s", f->mount->error.constData());
            return nullptr;
        }
        f->dataDir = QDir(f->mount->path).filePath(QStringLiteral("data"));
        f->sqlite = f->path(QStringLiteral("dest/local.sqlite"));
        f->writeSource(sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->sqlite}, pageSize));
        return f;
    }

private Q_SLOTS:
    void initTestCase() {
        if (::geteuid() != 0)
            QSKIP("mounting a tmpfs needs root (scripts/test runs as root in CI)");
    }

    // The disk fills up while pages are downloaded: the run fails naming the system's reason,
    // and once space returns the next run resumes and ends equal to the server.
    void diskFullThenResume() {
        auto f = makeFixture(600, 200);
        QVERIFY(f);
        QProcessEnvironment env = cliEnvironment();
        // The client waits before each request, so the filler lands between two pages.
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_DOWNLOAD_DELAY_MS"), QStringLiteral("1500"));
        // Pages stay on disk until the download ends: it is they that fill the disk.
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_AFTER_DOWNLOAD"), QStringLiteral("1"));
        auto process = f->launch(QStringLiteral("sync"), env);
        const QString pages = f->pageDir();
        QTRY_VERIFY_WITH_TIMEOUT(!filesUnder(pages, QStringLiteral("sync_batch_*.json")).isEmpty(), 60000);
        const qint64 pageBytes =
            QFileInfo(QDir(pages).filePath(filesUnder(pages, QStringLiteral("sync_batch_*.json")).first()))
                .size();
        QVERIFY2(pageBytes > 200 * 1024, qPrintable(QString::number(pageBytes)));
        const QString filler = QDir(f->mount->path).filePath(QStringLiteral("filler"));
        QVERIFY(fillUntil(filler, 96 * 1024));

        QVERIFY2(process->waitForFinished(120000), "the CLI did not end on a full disk");
        const QByteArray err = process->readAllStandardError();
        QCOMPARE(process->exitStatus(), QProcess::NormalExit);
        QVERIFY2(process->exitCode() == 1, err.constData());
        QVERIFY2(err.contains("No space left on device"), err.constData());
        QVERIFY2(!err.contains("Unknown error"), err.constData());

        QVERIFY(QFile::remove(filler));
        const CliResult again = f->run(QStringLiteral("sync"));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const QStringList diff = listingDifferences(*f->server, f->sqlite);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    // A data directory on a file system mounted read-only: the run says so and changes nothing.
    void readOnlyDataDirectory() {
        auto f = makeFixture(150, 100);
        QVERIFY(f);
        CliResult first = f->run(QStringLiteral("sync"));
        QVERIFY2(first.exitCode == 0, first.err.constData());
        f->server->changeRecords(0.2);
        QVERIFY(f->mount->remount(QStringLiteral("ro")));
        CliResult readOnly = f->run(QStringLiteral("sync"));
        QVERIFY2(readOnly.exitCode == 1, readOnly.err.constData());
        QVERIFY2(readOnly.err.contains("Read-only file system"), readOnly.err.constData());
        QVERIFY(!listingDifferences(*f->server, f->sqlite).isEmpty());

        QVERIFY(f->mount->remount(QStringLiteral("rw")));
        CliResult again = f->run(QStringLiteral("sync"));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const QStringList diff = listingDifferences(*f->server, f->sqlite);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestDiskSpace)
#include "tst_diskspace.moc"
