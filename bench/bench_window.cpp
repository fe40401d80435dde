// The desktop window's responsiveness while it syncs: starts the bundled sample RESO server
// (another process, so serving pages costs this process nothing) with N listings, opens the
// real MainWindow on a fresh data directory, presses the first visible "Sync now" and, until
// the job ends, pings the GUI thread's event loop with a 5 ms timer. Prints how late each ping
// ran (p50, p95, p99, max) and the sync's rate. Usage: bench_window [--listings N]
// [--page-size N] [--server PATH] [--json FILE] (appends the figures as a line of JSON for
// bench_report). Runs under any Qt platform (offscreen when no display).
#include "MainWindow.h"
#include "ResultLog.h"
#include "runner/JobQueue.h"
#include "runner/Workspace.h"
#include "service/ServiceHost.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QThreadPool>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

double percentile(std::vector<double> values, double p) {
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto index = size_t(std::clamp(p * double(values.size() - 1), 0.0, double(values.size() - 1)));
    return values[index];
}

QAbstractButton* visibleButton(QWidget* root, const QString& accessibleName) {
    for (QAbstractButton* button : root->findChildren<QAbstractButton*>())
        if (button->accessibleName() == accessibleName && button->isVisible() && button->isEnabled())
            return button;
    return nullptr;
}

bool writeConfig(const QString& path, int port, int pageSize) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(QStringLiteral(R"({"version": 1, "sources": [{"name": "bench", "platform": "generic",
  "serviceUrl": "http://127.0.0.1:%1/odata", "pageSize": %2,
  "resources": [{"name": "Property", "expand": [{"name": "Media"}]}],
  "destinations": [{"name": "local", "type": "sqlite"}]}]})")
                   .arg(port)
                   .arg(pageSize)
                   .toUtf8());
    return true;
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("listings"), QStringLiteral("Listings to sync."), QStringLiteral("N"),
                      QStringLiteral("100000")});
    parser.addOption({QStringLiteral("page-size"), QStringLiteral("Records per page."), QStringLiteral("N"),
                      QStringLiteral("1000")});
    parser.addOption({QStringLiteral("server"), QStringLiteral("The sample RESO server."),
                      QStringLiteral("PATH"), QStringLiteral(ORS_SAMPLE_SERVER_PATH)});
    parser.addOption({QStringLiteral("json"),
                      QStringLiteral("Append the figures as a line of JSON to this file (- for stdout)."),
                      QStringLiteral("FILE")});
    parser.process(app);
    const ors::bench::ResultLog results(parser.value(QStringLiteral("json")));
    const int listings = parser.value(QStringLiteral("listings")).toInt();

    QTemporaryDir dir;
    const QString portFile = dir.filePath(QStringLiteral("port"));
    QProcess server;
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server.start(
        parser.value(QStringLiteral("server")),
        {QStringLiteral("--listings"), QString::number(listings), QStringLiteral("--port-file"), portFile});
    QElapsedTimer generating;
    generating.start();
    while (!QFile::exists(portFile) || QFile(portFile).size() == 0) {
        if (server.state() == QProcess::NotRunning || generating.elapsed() > 600000) {
            std::fprintf(stderr, "the sample server did not start\n");
            return 1;
        }
        QThread::msleep(50);
    }
    QThread::msleep(50); // the port file is written in one call; give it that moment
    QFile portIn(portFile);
    portIn.open(QIODevice::ReadOnly);
    const int port = portIn.readAll().trimmed().toInt();
    std::printf("sample server with %d listings ready in %.1f s\n", listings, generating.elapsed() / 1000.0);

    const QString config = dir.filePath(QStringLiteral("config.json"));
    if (!writeConfig(config, port, parser.value(QStringLiteral("page-size")).toInt()))
        return 1;
    ors::Workspace workspace = ors::Workspace::load(config, dir.filePath(QStringLiteral("data")));
    if (!workspace.ok()) {
        std::fprintf(stderr, "config: %s\n", qPrintable(workspace.errors.join(QLatin1Char('\n'))));
        return 1;
    }
    ors::ServiceHost host;
    host.setConfig(*workspace.config, workspace.dataDir);
    ors::MainWindow window(workspace, host);
    window.resize(1280, 800);
    window.showPage(QStringLiteral("bench"));
    window.show();

    std::vector<double> lateMs;
    QElapsedTimer clock;
    qint64 last = 0;
    QTimer ping;
    ping.setTimerType(Qt::PreciseTimer);
    ping.setInterval(5);
    QObject::connect(&ping, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        lateMs.push_back(std::max(0.0, double(now - last) / 1e6 - 5.0));
        last = now;
    });

    QElapsedTimer syncing;
    int exitCode = 0;
    QObject::connect(&host.queue(), &ors::JobQueue::finished, &app,
                     [&](const ors::JobEntry&, const ors::JobResult& result) {
                         const double seconds = syncing.elapsed() / 1000.0;
                         ping.stop();
                         if (!result.ok()) {
                             std::fprintf(stderr, "sync failed: %s\n", qPrintable(result.error));
                             exitCode = 1;
                         }
                         std::printf("sync: %lld records applied in %.1f s = %.0f records/s\n",
                                     static_cast<long long>(result.recordsApplied), seconds,
                                     double(result.recordsApplied) / seconds);
                         std::printf("event loop lateness over %zu pings (ms): p50 %.2f  p95 %.2f  p99 %.2f  "
                                     "max %.2f\n",
                                     lateMs.size(), percentile(lateMs, 0.50), percentile(lateMs, 0.95),
                                     percentile(lateMs, 0.99), percentile(lateMs, 1.0));
                         std::fflush(stdout);
                         if (result.ok() && !results.append(QJsonObject{
                                                {QStringLiteral("bench"), QStringLiteral("window")},
                                                {QStringLiteral("listings"), listings},
                                                {QStringLiteral("pings"), qint64(lateMs.size())},
                                                {QStringLiteral("p50Ms"), percentile(lateMs, 0.50)},
                                                {QStringLiteral("p95Ms"), percentile(lateMs, 0.95)},
                                                {QStringLiteral("p99Ms"), percentile(lateMs, 0.99)},
                                                {QStringLiteral("maxMs"), percentile(lateMs, 1.0)},
                                                {QStringLiteral("wallSeconds"), seconds},
                                                {QStringLiteral("recordsPerSecond"),
                                                 double(result.recordsApplied) / seconds},
                                            }))
                             exitCode = 1;
                         // exit(), not quit(): Qt 6's quit() first asks the windows to close,
                         // and the window's CloseGuard refuses (it asks first) while its job
                         // list still shows the job this signal is ending.
                         QCoreApplication::exit(exitCode);
                     });
    QTimer::singleShot(500, &window, [&] {
        QAbstractButton* sync = visibleButton(&window, QStringLiteral("Sync now"));
        if (!sync) {
            std::fprintf(stderr, "no visible, enabled \"Sync now\" button\n");
            exitCode = 1;
            QCoreApplication::exit(exitCode);
            return;
        }
        syncing.start();
        clock.start();
        last = 0;
        ping.start();
        sync->click();
    });
    // A job that never ends must not keep scripts/bench waiting for ever.
    const int limitMs = std::max(600000, listings * 10);
    QTimer::singleShot(limitMs, &app, [&] {
        QStringList jobs;
        for (const ors::JobEntry& entry : host.queue().snapshot())
            jobs.append(QStringLiteral("%1 %2").arg(entry.request.source, ors::jobStateName(entry.state)));
        std::fprintf(stderr, "bench_window: no job ended within %d s (queue: %s)\n", limitMs / 1000,
                     qPrintable(jobs.isEmpty() ? QStringLiteral("empty") : jobs.join(QStringLiteral(", "))));
        exitCode = 1;
        QCoreApplication::exit(exitCode);
    });
    QApplication::exec();
    host.stop(10000);
    // After each job the window reads the counts again (on the pool, over the network): let that
    // end before the server goes, or it retries against a closed port until it gives up.
    QThreadPool::globalInstance()->waitForDone(60000);
    server.terminate();
    server.waitForFinished(5000);
    return exitCode;
}
