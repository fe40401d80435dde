#include "cli/RejectedCommand.h"

#include "cli/CliOutput.h"
#include "config/DataDir.h"
#include "processes/JobTypes.h"
#include "store/RejectedStore.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtConcurrent/QtConcurrentRun>

namespace ors {

int RejectedCommand::run(const Config& config, const QString& dataDir, const QString& sourceName, bool json) {
    const SourceConfig* source = config.source(sourceName);
    if (!source) {
        cli::printErr(QStringLiteral("unknown source \"%1\"").arg(sourceName));
        return int(ExitCode::Usage);
    }
    // Files are read in a pool thread; this one only waits (no lock: the files are replaced whole).
    struct Listing {
        QList<RejectedEntry> entries;
        QString error;
    };
    QFutureWatcher<Listing> watcher;
    QObject::connect(&watcher, &QFutureWatcher<Listing>::finished, QCoreApplication::instance(),
                     [] { QCoreApplication::exit(0); });
    const QString dir = DataLayout(dataDir).rejectedDir(source->name);
    watcher.setFuture(QtConcurrent::run([dir] {
        auto read = RejectedStore::readDir(dir);
        return read ? Listing{*read, {}} : Listing{{}, read.errorMessage()};
    }));
    QCoreApplication::exec();
    const Listing listing = watcher.result();
    if (!listing.error.isEmpty()) {
        cli::printErr(QStringLiteral("rejected %1 failed: %2").arg(sourceName, listing.error));
        return int(ExitCode::Failure);
    }
    const QList<RejectedEntry>* entries = &listing.entries;
    if (json) {
        // Entries go out as stored, so the record keeps the server's own text (and digits).
        QByteArray out = QJsonDocument(QJsonObject{{QStringLiteral("source"), source->name},
                                                   {QStringLiteral("count"), entries->size()}})
                             .toJson(QJsonDocument::Compact);
        out.chop(1); // the closing brace: the entries follow
        out += ",\"rejected\":[";
        for (qsizetype i = 0; i < entries->size(); ++i) {
            out += i == 0 ? "\n" : ",\n";
            out += entries->at(i).line;
        }
        out += "\n]}\n";
        cli::printOut(QString::fromUtf8(out));
    } else {
        QString out;
        for (const RejectedEntry& e : *entries)
            out +=
                QStringLiteral("%1\t%2\t%3\t%4\t%5\n")
                    .arg(e.resource, e.destination,
                         e.key.isEmpty() ? QStringLiteral("-") : QString::fromUtf8(e.key), e.time, e.reason);
        cli::printOut(out);
    }
    cli::printErr(QStringLiteral("rejected %1: %2 record(s) set aside").arg(sourceName).arg(entries->size()));
    return int(ExitCode::Success);
}

} // namespace ors
