#pragma once

#include "config/Config.h"
#include "records/Rows.h"
#include "records/TablePlan.h"
#include "util/Expected.h"

#include <QByteArray>
#include <QList>
#include <QRegularExpression>
#include <QString>

namespace ors {

// A table as one destination stores it, and where each of its columns comes from.
struct MappedTable {
    TablePlan table;
    // Per column of `table`: the index of the source plan's column it holds, or -1 - i for a copy
    // of the parent's column i (copyParentFields).
    QList<int> from;
    int parentKeyColumn = -1; // children: the column holding the parent's key, in `table`
};

// A ResourcePlan as one destination stores it: the plan it hands its backend (tables renamed,
// columns renamed or dropped, parent fields added to children) and how rows are carried over.
struct MappedPlan {
    ResourcePlan plan;
    MappedTable parent;
    QList<MappedTable> children; // aligned with plan.children
};

// The declarative field mapping of one destination (its MappingConfig), as pure functions over
// plans, rows and keys. Every name it makes is checked here, once the metadata is known, so two
// fields that end up in one column, or a key or timestamp dropped, fail with the destination's
// key path before anything is written.
//
// Keys: stripKeyPrefix changes the key values of every table (each table's own key, and the
// column holding a child's parent key), so what the destination holds is a function of the MLS's
// key. Everything that compares the MLS's keys with a destination's (purge, reconcile, record)
// maps the MLS's side through storedKey first.
class DestinationMapping {
public:
    DestinationMapping() = default;
    DestinationMapping(MappingConfig config, QString source);

    const MappingConfig& config() const { return m_config; }
    bool isIdentity() const { return m_config.isIdentity(); }
    bool mapsKeys() const { return m_config.mapsKeys(); }

    // The table a plan's table (named after its entity type) becomes (MappingConfig::tableFor).
    QString tableName(const QString& table) const;
    // The column a field becomes: its rename, else its column name in columnCase.
    QString columnName(const QString& fieldName, const QString& column) const;
    // A key value as the destination stores it.
    QByteArray storedKey(QByteArrayView key) const;

    // The plan as stored; fails naming the destination's key path when a name is no identifier,
    // two fields meet in one column, or the key or timestamp is dropped.
    Expected<MappedPlan> map(const ResourcePlan& plan) const;
    // One table alone (no parent copies): enough for counts, key reads and child key reads.
    Expected<MappedTable> mapTable(const TablePlan& table) const;
    // The page's rows as `mapped` stores them, in the same order (row i is the source's row i).
    PageRows mapRows(const ResourcePlan& plan, const MappedPlan& mapped, const PageRows& page) const;

    // "ListingKeyNumeric" -> "listing_key_numeric", "MLSAreaMajor" -> "mls_area_major".
    static QString snakeCase(const QString& name);

private:
    QString where() const;
    Expected<MappedTable> mapColumns(const TablePlan& table, const QString& origin) const;

    MappingConfig m_config;
    QString m_source;
    QRegularExpression m_keyPattern;
};

} // namespace ors
