#pragma once

#include "config/Config.h"

#include <QString>

namespace ors {

// `record SOURCE RESOURCE KEY [--json]`: shows one record as the MLS has it beside every
// destination's copy. Exit code 0 when shown (differences are output, not errors); 1 when the
// resource is unknown, the key is bad, the MLS or a destination could not be read, or the
// record exists nowhere; 2 for an unknown source, as for every command.
class RecordCommand {
public:
    static int run(const Config& config, const QString& dataDir, const QString& source,
                   const QString& resource, const QString& key, bool json);
};

} // namespace ors
