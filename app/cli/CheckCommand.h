#pragma once

#include "config/Config.h"

#include <QString>

namespace ors {

// `check SOURCE [--json]`: tests a source as the add-source wizard does (token, $metadata,
// one page of each resource, quota headers) and prints what works and why what does not.
// Exit code 0 when everything works, 1 otherwise (2: usage, unknown source).
class CheckCommand {
public:
    static int run(const Config& config, const QString& dataDir, const QString& source, bool json);
};

} // namespace ors
