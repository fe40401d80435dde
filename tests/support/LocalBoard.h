#pragma once

#include "JobBoard.h"
#include "runner/JobQueue.h"
#include "runner/Scheduler.h"

#include <QDateTime>

namespace ors::test {

// What the window's pages read jobs from when this program runs them: a job queue and its
// scheduler on one configuration, followed by a JobBoard. Declared in that order, so the board
// goes first and the queue (waiting for its jobs) last.
struct LocalBoard {
    JobQueue queue;
    Scheduler scheduler{&queue};
    JobBoard board;

    // `now`, when valid, is where the scheduler starts counting next fires (fixed for a test).
    LocalBoard(const Config& config, const QString& dataDir, const QDateTime& now = {}) {
        queue.setConfig(config, dataDir);
        if (now.isValid())
            scheduler.setConfig(config, now);
        else
            scheduler.setConfig(config);
        board.followLocal(&queue, &scheduler);
    }
};

} // namespace ors::test
