// reso-sample-server: the fake RESO Web API server as a program, for demos and for tests
// that run the CLI against a server in another process.
#include "FakeResoServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace ors::fake;

namespace {

int g_signalFd[2] = {-1, -1};

// Only async-signal-safe work here; the event loop does the rest.
void onSignal(int) {
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalFd[0], &byte, 1);
}

bool parseInt(const QCommandLineParser& p, const QString& name, int& out, int minimum) {
    if (!p.isSet(name))
        return true;
    bool ok = false;
    const int v = p.value(name).toInt(&ok);
    if (!ok || v < minimum) {
        std::fprintf(stderr, "reso-sample-server: --%s needs an integer >= %d\n", qPrintable(name), minimum);
        return false;
    }
    out = v;
    return true;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("reso-sample-server"));
    // Independent of openresync_core, so the version comes from the build, not from the core.
    QCoreApplication::setApplicationVersion(QStringLiteral(ORS_SAMPLE_SERVER_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A fake RESO Web API (OData v4) server on 127.0.0.1."));
    parser.addHelpOption();
    parser.addVersionOption();
    const auto opt = [&](const char* name, const char* desc, const char* valueName) {
        parser.addOption(QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(desc),
                                            QString::fromLatin1(valueName)));
    };
    opt("port", "TCP port (0 picks a free one).", "N");
    opt("listings", "Number of Property records.", "N");
    opt("seed", "Seed of the generated data.", "S");
    opt("auth", "none, bearer or oauth2.", "MODE");
    opt("token", "Bearer token accepted in bearer mode.", "T");
    opt("client-id", "OAuth2 client id.", "ID");
    opt("client-secret", "OAuth2 client secret.", "S");
    opt("page-size",
        "Maximum page size ($top is capped to it; strict-odata: the cap of Prefer: "
        "odata.maxpagesize, default 2000).",
        "N");
    opt("expand-delay-ms", "Answer a page with $expand this many ms per record in it later.", "MS");
    opt("latency-ms", "Answer every page of records this many ms later.", "MS");
    opt("port-file", "Write the chosen port to this file.", "PATH");
    opt("mutate-every", "Every this many seconds, change a few listings and add one.", "SECONDS");
    opt("flavour", "Platform rules to enforce: generic, trestle, mlsgrid, bridge, spark or strict-odata.",
        "NAME");
    opt("originating-system", "mlsgrid: the OriginatingSystemName every filter must name.", "NAME");
    parser.process(app);

    ServerOptions options;
    int port = 0;
    int mutateEvery = 0;
    int pageSize = 0;
    if (!parseInt(parser, QStringLiteral("port"), port, 0) || port > 65535 ||
        !parseInt(parser, QStringLiteral("listings"), options.listingCount, 0) ||
        !parseInt(parser, QStringLiteral("page-size"), pageSize, 1) ||
        !parseInt(parser, QStringLiteral("expand-delay-ms"), options.expandDelayMsPerRecord, 0) ||
        !parseInt(parser, QStringLiteral("latency-ms"), options.pageLatencyMs, 0) ||
        !parseInt(parser, QStringLiteral("mutate-every"), mutateEvery, 0))
        return 2;
    if (parser.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        options.seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok) {
            std::fprintf(stderr, "reso-sample-server: --seed needs an unsigned integer\n");
            return 2;
        }
    }
    const QString auth = parser.value(QStringLiteral("auth"));
    if (auth.isEmpty() || auth == QLatin1String("none"))
        options.auth = AuthMode::None;
    else if (auth == QLatin1String("bearer"))
        options.auth = AuthMode::Bearer;
    else if (auth == QLatin1String("oauth2"))
        options.auth = AuthMode::OAuth2;
    else {
        std::fprintf(stderr, "reso-sample-server: --auth must be none, bearer or oauth2\n");
        return 2;
    }
    const QString flavour = parser.value(QStringLiteral("flavour"));
    const QList<std::pair<QString, Flavour>> flavours = {
        {QStringLiteral("generic"), Flavour::Generic},
        {QStringLiteral("trestle"), Flavour::Trestle},
        {QStringLiteral("mlsgrid"), Flavour::MlsGrid},
        {QStringLiteral("bridge"), Flavour::Bridge},
        {QStringLiteral("spark"), Flavour::Spark},
        {QStringLiteral("strict-odata"), Flavour::StrictOData}};
    bool knownFlavour = flavour.isEmpty();
    for (const auto& [name, value] : flavours)
        if (name == flavour) {
            options.flavour = value;
            knownFlavour = true;
        }
    if (!knownFlavour) {
        std::fprintf(stderr,
                     "reso-sample-server: --flavour must be generic, trestle, mlsgrid, bridge, spark or "
                     "strict-odata\n");
        return 2;
    }
    if (pageSize > 0 && options.flavour == Flavour::StrictOData) {
        options.strictMaxPageSize = pageSize;
        options.strictDefaultPageSize = qMin(options.strictDefaultPageSize, pageSize);
    } else if (pageSize > 0) {
        options.maxPageSize = pageSize;
    }
    options.defaultPageSize = qMin(options.defaultPageSize, options.maxPageSize);
    if (parser.isSet(QStringLiteral("originating-system")))
        options.originatingSystemName = parser.value(QStringLiteral("originating-system"));
    if (parser.isSet(QStringLiteral("token")))
        options.bearerToken = parser.value(QStringLiteral("token"));
    if (parser.isSet(QStringLiteral("client-id")))
        options.clientId = parser.value(QStringLiteral("client-id"));
    if (parser.isSet(QStringLiteral("client-secret")))
        options.clientSecret = parser.value(QStringLiteral("client-secret"));

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) != 0) {
        std::perror("socketpair");
        return 1;
    }
    QSocketNotifier notifier(g_signalFd[1], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [] {
        char byte = 0;
        [[maybe_unused]] const auto got = ::read(g_signalFd[1], &byte, 1);
        QCoreApplication::quit();
    });
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);

    FakeResoServer server(options);
    if (!server.start(static_cast<quint16>(port))) {
        std::fprintf(stderr, "reso-sample-server: cannot listen on 127.0.0.1:%d\n", port);
        return 1;
    }
    if (parser.isSet(QStringLiteral("port-file"))) {
        QFile f(parser.value(QStringLiteral("port-file")));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            f.write(QByteArray::number(server.port())) < 0) {
            std::fprintf(stderr, "reso-sample-server: cannot write %s\n", qPrintable(f.fileName()));
            return 1;
        }
    }

    QTimer mutator;
    if (mutateEvery > 0) {
        QObject::connect(&mutator, &QTimer::timeout, &app, [&server] {
            const QStringList changed = server.changeRecords(0.02);
            const QStringList added = server.addRecords(1);
            std::fprintf(stderr, "mutated %lld listings, added %lld\n",
                         static_cast<long long>(changed.size()), static_cast<long long>(added.size()));
        });
        mutator.start(mutateEvery * 1000);
    }

    std::printf("listening on %s\n", qPrintable(server.serviceUrl()));
    std::fflush(stdout);
    const int rc = app.exec();
    server.stop();
    return rc;
}
