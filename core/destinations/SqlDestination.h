#pragma once

#include "destinations/Destination.h"

#include <QSqlDatabase>

#include <functional>

namespace ors {

// The flow every SQL destination shares: a page applied in one transaction (parents upserted,
// owned children replaced), parents deleted with their owned children, and the schema ensured
// (tables created, missing columns added, indexes made). A backend supplies its dialect only:
// how a statement runs and what it says, how a transaction begins and ends, and the statements
// for upserting, deleting and changing a table.
class SqlDestination : public Destination {
public:
    ~SqlDestination() override;

    Expected<void> ensureSchema(const ResourcePlan& plan) final;
    Expected<void> apply(const ResourcePlan& plan, const PageRows& page) override;
    Expected<void> deleteKeys(const ResourcePlan& plan, const QList<QByteArray>& keys) final;
    Expected<bool> dropTable(const QString& table) final;
    // manageSchema: false. Every table must exist with every column of the plan.
    Expected<void> checkSchema(const ResourcePlan& plan) final;

protected:
    // What a write would change; a destination opened read-only refuses it with the wording of
    // the kind.
    enum class WriteKind { Rows, Deletes, Schema };

    // Opens the named Qt Sql connection for this object in the calling thread (names alone are not
    // unique: two sources may each have a destination called "local"); the destructor removes it.
    QSqlDatabase addConnection(const QString& driver, const QString& prefix, const QString& destinationName);
    // The connection addConnection made.
    QSqlDatabase connection() const;

    // Runs `body` in one transaction: committed when it succeeds, rolled back when it fails.
    // When the server undid it because of another transaction (a deadlock, a lock wait that
    // timed out, a serialization failure: the dialect sets m_conflict), the whole transaction is
    // run again, kConflictAttempts times at most, with a growing pause between attempts.
    template <typename T>
    Expected<T> inTransaction(const std::function<Expected<T>()>& body) {
        for (int attempt = 1;; ++attempt) {
            m_conflict = false;
            auto result = runTransaction(body);
            if (result || !m_conflict)
                return result;
            if (attempt >= kConflictAttempts) {
                Error error = result.error();
                error.message += QStringLiteral("; tried %1 times, another transaction kept holding the rows")
                                     .arg(kConflictAttempts);
                return error;
            }
            pauseAfterConflict(attempt, result.errorMessage());
        }
    }
    static constexpr int kConflictAttempts = 5;
    // A page's children, in apply's transaction: each owned table's rows of the page's parents
    // replaced (replaceChildren), the others' rows upserted.
    Expected<void> writeChildren(const ResourcePlan& plan, const PageRows& page);
    // Set by the dialect when the server undid the transaction because of another one.
    bool m_conflict = false;

    // --- the dialect ---
    virtual Expected<void> refuseWrite(WriteKind kind) const = 0;
    // Called with each page before its transaction begins; a dialect may start reading ahead for it
    // (MySQL warms the rows a page replaces on a second connection). Never fails.
    virtual void beforeApply(const ResourcePlan& plan, const PageRows& page) {
        (void)plan;
        (void)page;
    }
    virtual Expected<void> begin() = 0;
    virtual Expected<void> commit() = 0;
    virtual void rollback() = 0; // harmless when the connection is gone
    virtual Expected<bool> tableExists(const QString& table) = 0;
    virtual Expected<void> upsertRows(const TablePlan& table, const TableRows& rows) = 0;
    // Makes `rows` the whole set of `child` rows that the parents in `rows.parentKeys` own: by
    // default every row of those parents is deleted and `rows` upserted; a dialect may keep the rows
    // that did not change instead, so long as the result is the same.
    virtual Expected<void> replaceChildren(const ChildPlan& child, const ChildRows& rows);
    // Whether `child`'s rows have a key of one column, the table's own key column, and a parent
    // key column: what a dialect's replaceChildren needs to tell the rows a page keeps by key.
    static bool keyedByOneColumn(const ChildPlan& child);
    // Deletes the rows of `child` whose parent key is one of `parentKeys`.
    virtual Expected<void> deleteChildren(const ChildPlan& child, const QList<QByteArray>& parentKeys) = 0;
    // Deletes the rows of `table` whose key is one of `keys`.
    virtual Expected<void> deleteParents(const TablePlan& table, const QList<QByteArray>& keys) = 0;
    // The names of the columns `table` has, empty when it does not exist. Called once per table
    // by ensureSchema, before it creates or alters the table.
    virtual Expected<QStringList> readColumns(const TablePlan& table) = 0;
    virtual Expected<void> createTable(const TablePlan& table) = 0;
    // Called for every table that exists: adds the plan's columns at `missing` (none of which the
    // table has) and makes whatever else the metadata changed (widened columns).
    virtual Expected<void> updateTable(const TablePlan& table, const QList<int>& missing) = 0;
    // Makes the plan's indexes; `created` when createTable just made the table.
    virtual Expected<void> ensureIndexes(const TablePlan& table, bool created) = 0;
    // The table is now in the plan's shape: whatever was cached about the old one is renewed.
    virtual Expected<void> tableChanged(const TablePlan& table) = 0;
    // Drops `table`, which exists; whatever was cached about it goes with it.
    virtual Expected<void> dropExistingTable(const QString& table) = 0;

private:
    Expected<void> ensureTable(const TablePlan& table);
    template <typename T>
    Expected<T> runTransaction(const std::function<Expected<T>()>& body) {
        if (auto r = begin(); !r)
            return r.error();
        auto result = body();
        if (!result) {
            rollback();
            return result;
        }
        // A COMMIT that fails has ended the transaction already (the server rolled it back).
        if (auto r = commit(); !r)
            return r.error();
        return result;
    }
    void pauseAfterConflict(int attempt, const QString& why) const;

    QString m_connectionName;
};

} // namespace ors
