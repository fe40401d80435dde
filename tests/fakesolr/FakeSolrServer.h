#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace ors::fake {

// An error the server gives instead of answering: `times` requests to `path` ("update",
// "select", "schema", "schema/fields", …; empty for any) of `core` (empty for any).
struct SolrFault {
    QString core;
    QString path;
    int status = 500;
    QString msg = QStringLiteral("injected fault");
    int times = 1;
};

// A request as the server saw it, for tests that check what a client sent.
struct SolrRequestSeen {
    QString method;
    QString core;
    QString path;
    QString query; // decoded URL query (update parameters such as commitWithin)
    QByteArray body;
};

// Apache Solr on 127.0.0.1 for tests, standalone mode: cores under /solr/<core>/ answering the
// JSON APIs of the Solr Reference Guide that a destination uses, with their documented request
// and response shapes:
//   - "Indexing with Update Handlers" (JSON Formatted Index Updates): POST /update with a JSON
//     array of documents, or {"delete": [ids]} / {"delete": {"query": …}}; commit=true and
//     commitWithin=N (searchable within N ms, without a commit per request).
//   - "Pagination of Results" (cursorMark): sort with the uniqueKey as tie breaker, start=0,
//     nextCursorMark, and the end: the mark sent comes back when nothing is left.
//   - "Schema API": GET /schema/fields ("List Fields": {"fields": [{"name", "type",
//     "multiValued", "indexed", "stored", …}]}, what checkSchema reads for manageSchema: false),
//     GET /schema/uniquekey ("Show Schema UniqueKey": {"uniqueKey": "id"}), POST /schema with
//     add-field (all or nothing; errors as error.details[].errorMessages with msg "error
//     processing commands", HTTP 400).
//   - "Common Query Parameters" and "Response Writers" (JSON): q, fq, sort, rows, start, fl;
//     response.numFound (rows=0 for a count), response.docs; parameters in the URL or in a
//     form-encoded POST body; errors as {"error": {"msg", "code"}} with the HTTP status.
// Documents are checked against the schema (an unknown field is refused with Solr's 400), and
// searches see the documents of the last commit. Runs on its own thread; thread-safe.
class FakeSolrServer {
public:
    FakeSolrServer();
    ~FakeSolrServer();
    FakeSolrServer(const FakeSolrServer&) = delete;
    FakeSolrServer& operator=(const FakeSolrServer&) = delete;

    bool start();
    void stop();
    QString baseUrl() const; // http://127.0.0.1:<port>/solr

    // A core as `bin/solr create -c name` makes it from the _default configset (uniqueKey id),
    // or with another uniqueKey.
    void createCore(const QString& name, const QString& uniqueKey = QStringLiteral("id"));
    // A field made by hand (not through the Schema API), e.g. of another type than a client plans.
    void addField(const QString& core, const QString& name, const QString& type, bool multiValued = false);
    // The core's configset lacks this field type: an add-field naming it fails.
    void removeFieldType(const QString& core, const QString& type);
    // A document lost behind the client's back (then committed).
    void deleteDocument(const QString& core, const QString& id);
    // The fields of a core (name -> Schema API definition); empty for no such core.
    QHash<QString, QJsonObject> fields(const QString& core) const;
    // Every document as last written, committed or not.
    QList<QJsonObject> documents(const QString& core) const;
    QJsonObject document(const QString& core, const QString& id) const;
    qsizetype searchableCount(const QString& core) const; // as of the last commit

    void injectFault(const SolrFault& fault);
    void clearFaults();
    void requireBasicAuth(const QString& user, const QString& password);
    QList<SolrRequestSeen> requests() const;
    void clearRequests();
    int explicitCommits() const; // update requests with commit=true
    int timedCommits() const;    // commits made because a commitWithin elapsed

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace ors::fake
