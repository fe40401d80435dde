#pragma once

#include "config/Config.h"
#include "destinations/TablePlan.h"
#include "diff/KeyRecord.h"
#include "reso/PageReader.h"
#include "util/Expected.h"

#include <QString>

#include <memory>
#include <optional>

namespace ors {

// A place records are replicated into. An instance lives in one thread: it opens its own
// connection in open() and closes it in its destructor, in that same thread.
class Destination {
public:
    virtual ~Destination() = default;

    virtual QString name() const = 0;
    virtual QString describe() const = 0; // where it writes, for messages (never a secret)
    virtual Expected<void> open() = 0;
    // For read-only commands: nothing is created, a missing database reads as empty.
    virtual void setReadOnly(bool readOnly) = 0;
    // Creates missing tables and adds missing columns; never drops anything.
    virtual Expected<void> ensureSchema(const ResourcePlan& plan) = 0;
    // Writes one downloaded page in one transaction: parents upserted, owned children replaced.
    virtual Expected<void> apply(const ResourcePlan& plan, const PageRows& page) = 0;
    virtual Expected<qint64> count(const TablePlan& table) = 0;
    // Newest ModificationTimestamp held, normalized text (UTC, ms, Z); nullopt when empty.
    virtual Expected<std::optional<QByteArray>> newestTimestamp(const TablePlan& table) = 0;
    // Keys greater than afterKey in byte order, at most `limit` (keyset pagination; never OFFSET),
    // each with the values of the given timestamp columns (normalized text or null). A missing
    // table has no keys.
    virtual Expected<QList<KeyRecord>> keysAfter(const TablePlan& table,
                                                 const std::optional<QByteArray>& afterKey, int limit,
                                                 const QStringList& timestampColumns) = 0;
    // Deletes these parents in one transaction, with the children of owned expansions.
    virtual Expected<void> deleteKeys(const ResourcePlan& plan, const QList<QByteArray>& keys) = 0;
};

// Creates the destination a configuration entry describes; dataDir resolves default paths.
Expected<std::unique_ptr<Destination>> createDestination(const DestinationConfig& config,
                                                         const QString& sourceName, const QString& dataDir);

} // namespace ors
