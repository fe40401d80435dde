#pragma once

#include "config/Config.h"
#include "util/Expected.h"

#include <QString>

namespace ors {

// Turns a SecretRef into the secret. Messages name the key path and where the secret was looked for,
// never the secret. Blocks the calling thread (keychain reads up to about 20 s); meant for workers.
class SecretResolver {
public:
    static Expected<QString> resolve(const SecretRef& ref, const QString& keyPath);
};

} // namespace ors
