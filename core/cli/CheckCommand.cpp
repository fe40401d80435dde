#include "cli/CheckCommand.h"

#include "logging/Redactor.h"
#include "processes/JobTypes.h"
#include "processes/SourceCheck.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentRun>

#include <cstdio>

namespace ors {

int CheckCommand::run(const Config& config, const QString& dataDir, const QString& sourceName, bool json) {
    const SourceConfig* source = config.source(sourceName);
    if (!source) {
        std::fputs(QStringLiteral("unknown source \"%1\"\n").arg(sourceName).toUtf8().constData(), stderr);
        return int(ExitCode::Usage);
    }
    // The requests run in a pool thread with their own event loop; this one only waits.
    QFutureWatcher<CheckReport> watcher;
    QObject::connect(&watcher, &QFutureWatcher<CheckReport>::finished, QCoreApplication::instance(),
                     [] { QCoreApplication::exit(0); });
    watcher.setFuture(
        QtConcurrent::run([source = *source, dataDir] { return SourceCheck::run(source, dataDir); }));
    QCoreApplication::exec();
    const CheckReport report = watcher.result();
    // Server answers quoted in the details pass the Redactor like every other output.
    const QString text =
        json ? QString::fromUtf8(QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented))
             : report.toText();
    const QByteArray bytes = Redactor::redact(text).toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
    return int(report.ok() ? ExitCode::Success : ExitCode::Failure);
}

} // namespace ors
