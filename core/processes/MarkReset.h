#pragma once

#include "config/Config.h"
#include "config/DataDir.h"
#include "util/Expected.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace ors {

struct MarkResetRequest {
    QString resource;             // empty: every configured resource
    QString destination;          // empty: every configured destination
    std::optional<QByteArray> to; // normalized instant; nullopt: clear (download everything next)
};

struct MarkChange {
    QString resource;
    QString destination;
    std::optional<QByteArray> before; // nullopt: no mark; empty: cleared
    std::optional<QByteArray> after;
    bool changed = false;
};

// What `openresync-cli reset-mark` does: lowers or clears high-water marks under the source's
// lock, so it never races a running sync. A mark is only ever lowered (`to` later than a mark
// leaves it); a missing one is set. Resources whose mark changed also lose their progress in an
// unfinished sync batch, which would otherwise raise the mark again when it resumes.
class MarkReset {
public:
    static Expected<QList<MarkChange>> run(const SourceConfig& source, const DataLayout& layout,
                                           const MarkResetRequest& request);
};

} // namespace ors
