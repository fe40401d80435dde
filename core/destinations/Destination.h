#pragma once

#include "config/Config.h"
#include "diff/ChildDigest.h"
#include "diff/KeyRecord.h"
#include "records/Rows.h"
#include "records/TablePlan.h"
#include "util/Expected.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <utility>

namespace ors {

// What a purge may delete of the rows it found missing on the MLS: only rows whose
// ModificationTimestamp is older than the moment its key download began (a row changed since
// may be one the MLS gained after its key list was taken), and rows without a timestamp only
// while that key list is young.
struct PurgeGuard {
    QByteArray olderThan; // normalised UTC text (2024-05-01T10:00:00.123Z)
    bool untimestamped = false;
    // When the table also holds other resources' owned children (a top-level Media beside
    // Property's expanded Media): their parent key columns. A row with one of them set belongs
    // to a parent and is left to it (replaced when the parent is synced or reconciled, deleted
    // with it); only rows no parent holds are purged. Columns the table lacks are ignored.
    QStringList ownedBy;
};

// A parent record a destination would not store (one of its values, or of its children's, does
// not fit the column), left out of a page by Destination::applyRejecting.
struct RowRejection {
    QByteArray key;
    QString reason; // the destination's message, naming table, record and column
    QString child;  // the child table whose row was at fault, if it was not the parent's
};

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
    // Sets up what the first apply() of `plan` would set up first (MySQL: its second connections),
    // while the job waits for the first page's answer anyway. Writes nothing; a failure here is
    // left for that apply() to meet and report.
    virtual void prepareWrites(const ResourcePlan& /*plan*/) {}
    // Writes the page as apply() does, except that a parent the destination refuses because of
    // one of its rows (a value that does not fit its column) is left out, children and all, and
    // the rest is written; returns the records left out. Fails like apply() for anything else.
    Expected<QList<RowRejection>> applyRejecting(const ResourcePlan& plan, const PageRows& page);
    virtual Expected<qint64> count(const TablePlan& table) = 0;
    // Newest ModificationTimestamp held, normalized text (UTC, ms, Z); nullopt when empty.
    virtual Expected<std::optional<QByteArray>> newestTimestamp(const TablePlan& table) = 0;
    // Keys greater than afterKey in byte order, at most `limit` (keyset pagination; never OFFSET),
    // each with the values of the given timestamp columns (normalized text or null). A missing
    // table has no keys.
    virtual Expected<QList<KeyRecord>> keysAfter(const TablePlan& table,
                                                 const std::optional<QByteArray>& afterKey, int limit,
                                                 const QStringList& timestampColumns) = 0;
    // Reconcile's view of an owned child table: each row's parent key (the `parentColumn`), key
    // and ModificationTimestamp (normalized text, null without the column), ordered by parent
    // key in byte order. Rows whose parent key is greater than `afterParent` (all when nullopt),
    // at most `limit`; or, with `onlyParent`, all rows of that parent. Rows without a parent
    // (stored by a top-level sync of the same resource) are never returned. A missing table has
    // no rows.
    virtual Expected<QList<ChildKeyRow>> childKeys(const TablePlan& table, const QString& parentColumn,
                                                   const std::optional<QByteArray>& afterParent,
                                                   const std::optional<QByteArray>& onlyParent,
                                                   int limit) = 0;
    // Deletes these parents in one transaction, with the children of owned expansions.
    virtual Expected<void> deleteKeys(const ResourcePlan& plan, const QList<QByteArray>& keys) = 0;
    // Purge: deletes those of these parents the guard allows, each chunk by one guarded
    // statement (never read, then delete), with the owned children of the parents gone; one
    // transaction. Returns how many parents were deleted.
    virtual Expected<qint64> purgeKeys(const ResourcePlan& plan, const QList<QByteArray>& keys,
                                       const PurgeGuard& guard) = 0;
    // The stored record whose key is `key` (byte for byte), for inspecting it beside the MLS's:
    // each column of the plan the table has, in the value contract's form (integers and booleans
    // as JSON integers, reals as doubles, everything else as text, timestamps normalized), NULL
    // as null; a column the table lacks is absent. The rows of each owned expansion are an array
    // of such objects under the navigation name, ordered by the child's key. nullopt when the
    // destination does not hold the record (or the table does not exist).
    // `key` is the MLS's key; a mapped destination looks it up as it stores it, and answers in its
    // own column names (storedPlan's).
    virtual Expected<std::optional<QJsonObject>> fetchRecord(const ResourcePlan& plan, const QByteArray& key);

    // The destination's field mapping (MappedDestination; identity for every other destination).
    // Keys: apply, deleteKeys and fetchRecord take the MLS's keys; keysAfter, childKeys and
    // purgeKeys speak the destination's own (storedKey of the MLS's), so a key diff compares the
    // MLS's keys mapped through storedKey with what keysAfter returns.
    virtual bool mapsKeys() const { return false; }
    virtual QByteArray storedKey(const QByteArray& key) const { return key; }
    // The plan as the destination holds it (table and column names, columns dropped or added).
    virtual Expected<ResourcePlan> storedPlan(const ResourcePlan& plan) { return plan; }
    // A page's rows as storedPlan(plan) holds them, row for row.
    virtual Expected<PageRows> storedRows(const ResourcePlan& plan, const PageRows& page) {
        (void)plan;
        return page;
    }
    // For tables users manage themselves: fails naming each missing table and column, changes
    // nothing.
    virtual Expected<void> checkSchema(const ResourcePlan& plan) {
        (void)plan;
        return makeError(
            QStringLiteral("destination %1 cannot check a schema it does not manage").arg(name()));
    }

    // What ensureSchema found and did not change (a column whose type the metadata changed in a
    // way that is no widening), each naming destination, table, column and both types; taken
    // once, for the job's result and log.
    virtual QStringList takeSchemaWarnings() { return std::exchange(m_schemaWarnings, {}); }

    // Source ▸ Remove… with its tables: drops `table` with every row in it (the only place
    // anything is ever dropped). Returns false when there was no such table. A destination that
    // cannot drop tables says so; this default is that refusal.
    virtual Expected<bool> dropTable(const QString& table);

protected:
    // Set by apply() when one row alone made it fail, i.e. its values do not fit (never for a
    // lost connection or a missing table); applyRejecting leaves that row's record out.
    struct RowFault {
        QString table;
        Row row;
    };
    std::optional<RowFault> m_rowFault;
    QStringList m_schemaWarnings;
    // Another destination's fault, for one that wraps it (MappedDestination).
    static std::optional<RowFault>& rowFaultOf(Destination& destination) { return destination.m_rowFault; }

    // The rows of `table` whose `whereColumn` equals `value` byte for byte, in fetchRecord's
    // form, ordered by the table's key.
    virtual Expected<QList<QJsonObject>> readRows(const TablePlan& table, const QString& whereColumn,
                                                  const QByteArray& value) = 0;
};

// Creates the destination a configuration entry describes; dataDir resolves default paths. A
// configured field mapping wraps it in a MappedDestination.
Expected<std::unique_ptr<Destination>> createDestination(const DestinationConfig& config,
                                                         const QString& sourceName, const QString& dataDir);
// `destination` behind the mapping (itself when the mapping changes nothing).
std::unique_ptr<Destination> withMapping(std::unique_ptr<Destination> destination,
                                         const MappingConfig& mapping, const QString& sourceName);

} // namespace ors
