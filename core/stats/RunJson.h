#pragma once

#include "stats/StatsStore.h"

#include <QJsonObject>

#include <optional>

namespace ors {

// One recorded run as `history --json` prints it and the diagnostics bundle stores it: times in
// UTC ISO 8601, empty texts as null.
QJsonObject runJson(const RunDetail& detail);
// Seconds from start to finish; none while running or when a time does not parse.
std::optional<double> runDurationSeconds(const RunSummary& run);

} // namespace ors
