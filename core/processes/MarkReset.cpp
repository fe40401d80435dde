#include "processes/MarkReset.h"

#include "processes/JobTypes.h"
#include "store/SourceLock.h"
#include "store/StateStore.h"

#include <QSet>

namespace ors {

Expected<QList<MarkChange>> MarkReset::run(const SourceConfig& source, const DataLayout& layout,
                                           const MarkResetRequest& request) {
    SourceLock lock;
    if (auto r = lock.acquire(layout.lockFile(source.name), source.name); !r)
        return r.error();
    if (auto r = layout.ensureRoot(); !r)
        return r.error();
    StateStore state(layout.stateDatabase());
    if (auto r = state.open(); !r)
        return r.error();
    const QString sync = processName(ProcessType::Sync);
    QList<MarkChange> changes;
    QSet<QString> touched;
    for (const ResourceConfig& resource : source.resources) {
        if (!request.resource.isEmpty() && resource.name != request.resource)
            continue;
        for (const DestinationConfig& destination : source.destinations) {
            if (!request.destination.isEmpty() && destination.name != request.destination)
                continue;
            auto current = state.highWater(source.name, resource.name, destination.name);
            if (!current)
                return current.error();
            MarkChange change{resource.name, destination.name, *current, *current, false};
            if (!request.to)
                change.after = QByteArray(""); // an empty mark: nothing is older, so everything
            else if (!change.before || (!change.before->isEmpty() && *change.before > *request.to))
                change.after = *request.to;
            change.changed = change.after != change.before;
            if (change.changed) {
                if (auto r = state.setHighWater(source.name, resource.name, destination.name, *change.after);
                    !r)
                    return r.error();
                touched.insert(resource.name);
            }
            changes.append(change);
        }
    }
    for (const QString& resource : std::as_const(touched))
        if (auto r = state.forgetResource(source.name, sync, resource); !r)
            return r.error();
    return changes;
}

} // namespace ors
