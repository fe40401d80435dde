#pragma once

#include "destinations/Destination.h"

#include <QHash>
#include <QSet>
#include <QUrlQuery>

#include <memory>

namespace ors {

class HttpClient;
struct HttpResponse;

// How a column is declared in a Solr schema (Schema API add-field).
struct SolrFieldType {
    QString type; // a field type of Solr's default configset: string, text_general, pint, ...
    bool multiValued = false;
    bool indexed = true;   // false for JSON text kept only to be read back
    bool docValues = true; // false with indexed: a stored-only string has no 32 KB term limit
};

// The Solr field type of a planned column (EDM type, collection, key or parent key).
SolrFieldType solrFieldType(const ColumnPlan& column, bool isKey);

// Apache Solr over its JSON HTTP APIs, one core per table: a resource's table and each expanded
// child table (e.g. Media) is a core of its own, named by the `core` template. Documents carry
// the record's key as Solr's unique key; a child document carries its parent's key, so a parent's
// children are replaced and deleted by a query on that field. Nothing is transactional across
// requests: a page that fails half-way is written again whole by the retry, and every write is
// idempotent (add by unique key, delete by id or query).
//
// Lives in the thread that calls open(): the HttpClient (and its QNetworkAccessManager) is made
// there, and every request is started and waited for on that thread.
class SolrDestination final : public Destination {
public:
    // sourceName fills "{source}" in core names and names the password's place in messages.
    SolrDestination(DestinationConfig config, QString sourceName);
    ~SolrDestination() override;
    SolrDestination(const SolrDestination&) = delete;
    SolrDestination& operator=(const SolrDestination&) = delete;

    QString name() const override { return m_config.name; }
    QString describe() const override;
    Expected<void> open() override;
    void setReadOnly(bool readOnly) override { m_readOnly = readOnly; }
    Expected<void> ensureSchema(const ResourcePlan& plan) override;
    // manageSchema: false. Every core must exist with every field of the plan; nothing is added.
    Expected<void> checkSchema(const ResourcePlan& plan) override;
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

    QString coreOf(const QString& table) const; // the core a table is written to
    // Requests sent so far (for tests: no commit per page).
    int requestCount() const;

    // Keys per delete or filter: well under Solr's default maxBooleanClauses (1024).
    static constexpr int kKeysPerRequest = 500;

protected:
    Expected<QList<QJsonObject>> readRows(const TablePlan& table, const QString& whereColumn,
                                          const QByteArray& value) override;

private:
    // What the destination knows of a core's schema (SolrSchema.cpp).
    struct CoreSchema {
        bool exists = false;
        QString uniqueKey;
        QHash<QString, QString> fieldTypes; // every declared field, by name
    };

    // --- requests (SolrDestination.cpp) ---
    QUrl urlFor(const QString& core, const QString& path, const QUrlQuery& query = {}) const;
    QString where() const; // "destination <name> (solr <url>)" for messages
    // A request's JSON answer; a 404 (no such core) is nullopt. Errors quote Solr's error.msg.
    struct Body {
        QByteArray contentType; // empty: a GET
        QByteArray data;
    };
    Expected<std::optional<QJsonObject>> request(const QString& core, const QString& path,
                                                 const QUrlQuery& query, const Body& body,
                                                 const QString& what);
    Expected<void> update(const QString& core, const QByteArray& body, const QString& what);
    // /select with these parameters (sent as a form body: a filter of 500 keys is longer than a
    // URL may be); nullopt when the core does not exist. Commits the core first when this
    // destination wrote to it since, so a process reads its own writes.
    Expected<std::optional<QJsonObject>>
    select(const QString& core, const QList<std::pair<QString, QString>>& params, const QString& what);
    Error failure(const QString& what, const HttpResponse& response) const;

    // --- schema (SolrSchema.cpp) ---
    Expected<CoreSchema> schemaOf(const QString& core);
    Expected<void> ensureCore(const TablePlan& table);
    // Why this core cannot hold the table's keys (no uniqueKey, a key field or the uniqueKey not a
    // string); empty when it can.
    QStringList keyProblems(const TablePlan& table, const QString& core, const CoreSchema& schema) const;

    // --- writes (SolrWrite.cpp) ---
    QJsonObject document(const TablePlan& table, const Row& row, const CoreSchema& schema) const;
    Expected<void> addDocuments(const TablePlan& table, const TableRows& rows);
    Expected<void> deleteIds(const QString& core, const QList<QByteArray>& ids);
    Expected<void> deleteByQuery(const QString& core, const QString& query);
    Expected<void> deleteChildren(const ChildPlan& child, const QList<QByteArray>& parentKeys);

    // --- reads (SolrRead.cpp) ---
    // Every document matching the filters, page by page through cursorMark, in uniqueKey order.
    Expected<QList<QJsonObject>> readAll(const QString& core, const QStringList& filters,
                                         const QString& fields, const QString& sort, const QString& what);
    QJsonValue storedValue(const ColumnPlan& column, const QJsonValue& value) const;

    DestinationConfig m_config;
    QString m_sourceName;
    bool m_readOnly = false;
    std::unique_ptr<HttpClient> m_http;
    QHash<QString, CoreSchema> m_schemas;
    QSet<QString> m_uncommitted; // cores written since this destination last committed them

    // The cursor of the last keysAfter page, so the next page continues it: keysAfter speaks in
    // keys (keyset pages, resumable), Solr's deep paging in cursorMarks.
    struct Cursor {
        QString core;
        QStringList filters;
        QString fields;
        std::optional<QByteArray> lastKey;
        QString next;
    };
    std::optional<Cursor> m_cursor;
};

} // namespace ors
