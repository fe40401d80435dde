#pragma once

#include "destinations/Destination.h"
#include "records/DestinationMapping.h"

#include <QHash>

#include <memory>

namespace ors {

// A destination behind its field mapping (tablePrefix, tableName, columnCase, rename, drop,
// stripKeyPrefix, copyParentFields, manageSchema): the one place the mapping is applied. The
// processes keep one ResourcePlan per resource, in the MLS's terms, for every destination; this
// class turns each plan it is given into the destination's own (cached per resource) and each
// page's rows into the rows that plan stores, then calls the backend it wraps, which never knows
// a mapping exists. So a backend added later (PostgreSQL, Solr) gets every mapping for free.
class MappedDestination final : public Destination {
public:
    MappedDestination(std::unique_ptr<Destination> inner, DestinationMapping mapping);

    QString name() const override { return m_inner->name(); }
    QString describe() const override { return m_inner->describe(); }
    Expected<void> open() override { return m_inner->open(); }
    void setReadOnly(bool readOnly) override { m_inner->setReadOnly(readOnly); }
    Expected<void> ensureSchema(const ResourcePlan& plan) override;
    Expected<void> apply(const ResourcePlan& plan, const PageRows& page) override;
    Expected<qint64> count(const TablePlan& table) override;
    Expected<std::optional<QByteArray>> newestTimestamp(const TablePlan& table) override;
    Expected<QList<KeyRecord>> keysAfter(const TablePlan& table, const std::optional<QByteArray>& afterKey,
                                         int limit, const QStringList& timestampColumns) override;
    Expected<QList<ChildKeyRow>> childKeys(const TablePlan& table, const QString& parentColumn,
                                           const std::optional<QByteArray>& afterParent,
                                           const std::optional<QByteArray>& onlyParent, int limit) override;
    Expected<void> deleteKeys(const ResourcePlan& plan, const QList<QByteArray>& keys) override;
    Expected<qint64> purgeKeys(const ResourcePlan& plan, const QList<QByteArray>& keys,
                               const PurgeGuard& guard) override;
    Expected<std::optional<QJsonObject>> fetchRecord(const ResourcePlan& plan,
                                                     const QByteArray& key) override;

    bool mapsKeys() const override { return m_mapping.mapsKeys(); }
    QByteArray storedKey(const QByteArray& key) const override { return m_mapping.storedKey(key); }
    Expected<ResourcePlan> storedPlan(const ResourcePlan& plan) override;
    Expected<PageRows> storedRows(const ResourcePlan& plan, const PageRows& page) override;
    Expected<void> checkSchema(const ResourcePlan& plan) override;
    Expected<bool> dropTable(const QString& table) override { return m_inner->dropTable(table); }
    QStringList takeSchemaWarnings() override { return m_inner->takeSchemaWarnings(); }

    const DestinationMapping& mapping() const { return m_mapping; }

protected:
    Expected<QList<QJsonObject>> readRows(const TablePlan& table, const QString& whereColumn,
                                          const QByteArray& value) override;

private:
    Expected<const MappedPlan*> mapped(const ResourcePlan& plan);
    Expected<const MappedTable*> mappedTable(const TablePlan& table);
    // The inner destination's fault, in the source plan's terms (row i of the page it came from).
    void takeFault(const ResourcePlan& plan, const MappedPlan& mapped, const PageRows& page,
                   const PageRows& stored);

    std::unique_ptr<Destination> m_inner;
    DestinationMapping m_mapping;
    // By resource, and by table name: plans only grow columns between calls (metadata growth),
    // so a cached entry whose source had another column count is made again.
    struct CachedPlan {
        qsizetype columns = -1;
        MappedPlan plan;
    };
    struct CachedTable {
        qsizetype columns = -1;
        MappedTable table;
    };
    QHash<QString, CachedPlan> m_plans;
    QHash<QString, CachedTable> m_tables;
};

} // namespace ors
