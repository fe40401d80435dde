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

    // Whether a keychain answers at all (reading an entry that need not exist); the error says why
    // not, e.g. no Secret Service on the session bus. Blocks like resolve().
    static Expected<void> probeKeychain();
    // Stores `secret` under `key` in the OS keychain (service "openresync"), where a "keychain:"
    // reference finds it; never falls back to a plain-text file. The error names the entry and
    // qtkeychain's reason (no backend, locked, denied). Blocks like resolve(); meant for workers.
    static Expected<void> storeInKeychain(const QString& key, const QString& secret);
    // Source ▸ Remove…: deletes the entry `key` (an entry that is not there counts as deleted).
    // Errors and blocking as storeInKeychain.
    static Expected<void> deleteFromKeychain(const QString& key);
};

} // namespace ors
