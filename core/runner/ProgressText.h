#pragma once

#include "processes/JobTypes.h"

#include <QString>

namespace ors {

// Progress of a job as one line for a person, e.g.
// "Property: downloading 300 / 1200 records · 250 records/s · ETA 0:04".
// An unknown total, rate or ETA is left out rather than shown as a guess.
QString describeProgress(const JobProgress& progress);

// "0:07", "12:05", "3:02:09" (hours only when needed).
QString formatEta(qint64 seconds);

} // namespace ors
