#pragma once

#include "config/Config.h"

#include <QDateTime>
#include <QString>

namespace ors {

// `schedule [SOURCE] [--at TIMESTAMP] [--json]`: every source's (or one source's) cron
// expressions with their next fire time after now (or --at), in the schedule's zone and in UTC,
// and which of them overlap (see schedule/NextFires). Exit 0; 2 for an unknown source.
class ScheduleCommand {
public:
    static int run(const Config& config, const QString& source, const QDateTime& at, bool json);
};

} // namespace ors
