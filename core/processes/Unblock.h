#pragma once

#include "config/Config.h"
#include "config/DataDir.h"
#include "util/Expected.h"

namespace ors {

enum class UnblockMode {
    Retry,       // clear the failure counters: the next run tries the step again
    SkipFile,    // count the failing file as applied for the destination that keeps failing
    DiscardBatch // drop the whole unfinished batch; the next run downloads again from the marks
};

// What `openresync-cli unblock` and the window's actions do to a blocked process. Takes the
// source's lock, so it never changes state under a running job.
class Unblock {
public:
    // Returns a one-line summary of what was done.
    static Expected<QString> run(const SourceConfig& source, const DataLayout& layout, ProcessType process,
                                 UnblockMode mode);
    static QStringList filePrefixes(ProcessType process);
};

} // namespace ors
