#pragma once

#include "config/Config.h"
#include "records/Metadata.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace ors {

// One thing `check` tried: what, whether it worked, and the evidence or the precise reason.
struct CheckStep {
    enum class Outcome { Ok, Failed, Info };
    QString name;
    Outcome outcome = Outcome::Ok;
    QString detail;
};

struct CheckReport {
    QString source;
    QString platform;
    QList<CheckStep> steps;

    bool ok() const;
    QJsonObject toJson() const;
    QString toText() const;
};

// Tests a source the way the add-source wizard does, without writing anything: secrets,
// the token, $metadata and the resource plans, one small page of each resource through
// the platform's replication URL, and the quota headers the server sends. Network calls run
// in the calling thread, which must not be the GUI thread.
class SourceCheck {
public:
    // `metadata`, when given, receives the parsed $metadata once it loaded (the wizard lists the
    // entity sets from it without asking the server again).
    static CheckReport run(const SourceConfig& source, const QString& dataDir, Metadata* metadata = nullptr);
    // Opens one destination read-only (nothing is created; a missing SQLite file reads as
    // empty) to prove it can be reached with its credentials; the step names where it writes or
    // why it cannot. Runs in the calling thread (not the GUI thread), like run().
    static CheckStep checkDestination(const DestinationConfig& destination, const QString& source,
                                      const QString& dataDir);
};

} // namespace ors
