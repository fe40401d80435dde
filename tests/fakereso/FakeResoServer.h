#pragma once

#include "ServerOptions.h"

#include <QByteArray>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace ors::fake {

// A RESO Web API (OData v4) server on 127.0.0.1 for tests and demos. It serves Property,
// Media and Member from generated data, follows OData strictly (no $skip, opaque
// nextLinks, precise 400s) and can be told to fail in the ways real MLS servers do. The
// strict-odata flavour pages as the RESO reference server instead ($top a total limit, $skip
// nextLinks over live data; ResoStrict.cpp).
//
// The server runs on a thread of its own, so a test may block (e.g. in
// QProcess::waitForFinished) while it keeps answering. Every public method is thread-safe.
class FakeResoServer {
public:
    explicit FakeResoServer(ServerOptions options = {});
    ~FakeResoServer();
    FakeResoServer(const FakeResoServer&) = delete;
    FakeResoServer& operator=(const FakeResoServer&) = delete;

    bool start(quint16 port = 0);
    void stop();
    quint16 port() const;
    QString scheme() const;     // https when ServerOptions names a TLS certificate
    QString serviceUrl() const; // http://127.0.0.1:<port>/odata
    QString tokenUrl() const;   // http://127.0.0.1:<port>/token
    QString origin() const;     // http://127.0.0.1:<port>
    const ServerOptions& options() const;

    QByteArray metadataXml() const;
    // Current data as served, parsed with QJsonDocument (Property without Media; Media via
    // records("Media")). Decimals beyond double precision lose digits here; see rawRecords.
    QJsonArray records(const QString& resource) const;
    // The exact JSON bytes of every record as served, e.g. to check X_PreciseArea digits.
    QList<QByteArray> rawRecords(const QString& resource) const;
    QString maxModificationTimestamp() const; // across all resources, ISO 8601 with ms

    // New ModificationTimestamps are strictly greater than every existing one.
    QStringList changeRecords(double fraction);
    QStringList addRecords(int count);
    QStringList deleteRecords(int count);

    // Serves `json` (one JSON object, any text: it need not be valid) in place of the record
    // `key` of `resource`, which keeps its place in filters, order and paging; empty restores it.
    void setRecordText(const QString& resource, const QString& key, const QByteArray& json);
    // Gives a Property record a new, strictly newer ModificationTimestamp (returned, ISO 8601).
    QString touchRecord(const QString& resource, const QString& key);
    // The same, done by the server itself just before it answers the (requests+1)th data request
    // from now (requests to a resource, not /token or $metadata): with 1, between the first page
    // of a download and the second. Property records only; a key it does not hold is ignored.
    void touchRecordAfterRequests(const QString& resource, const QString& key, int requests);
    // Total milliseconds the server has held responses back for ServerOptions::expandDelayMsPerRecord.
    qint64 expandDelayAppliedMs() const;
    // A child record ("Media") added to the Property `parentKey`, or removed, as some servers do
    // it: the child gets a new, strictly newer ModificationTimestamp (so a top-level Media sync
    // sees it), the parent's ModificationTimestamp and PhotosChangeTimestamp do not move (so a
    // Property sync does not). addChild returns the new child's key (empty: no such parent);
    // removeChild false when there is no such child.
    QString addChild(const QString& resource, const QString& parentKey);
    bool removeChild(const QString& resource, const QString& childKey);

    void injectFault(const Fault& fault);
    QList<Fault::Kind> faultsServed() const; // every injected fault answered so far, in order
    void injectRedirect(const Redirect& redirect);
    void clearFaults();
    void expireTokens();  // every issued OAuth2 token becomes invalid at once
    void expireCursors(); // every outstanding nextLink becomes invalid at once
    // After this many more data requests every outstanding nextLink expires (once), the way an
    // idle Trestle replication cursor does.
    void expireCursorsAfter(int requests);
    void setCountBias(int bias); // @odata.count reports this many more (or fewer) than it serves
    // ServerOptions::nextLinkLoop for queries from now on whose decoded query string contains
    // `scope` (any query when empty), e.g. "ListingKey in (" for reconcile's fetch by key.
    void setNextLinkLoop(NextLinkLoop loop, const QString& scope = {});
    void setCountSupport(CountSupport support); // ServerOptions::countSupport, from now on
    // Records changed or added from now on carry the current time as ModificationTimestamp
    // (generated data is stamped in 2024 otherwise).
    void setWallClockTimestamps(bool on);

    // The Date header of every response: none (the default), the data's clock (moved on to the
    // next whole second, so later changes are dated after it, as on a real server), or fixed text
    // (a date in the past or future, or garbage).
    enum class DateHeader { None, Clock, Fixed };
    void setDateHeader(DateHeader mode, const QByteArray& fixed = {});
    // One record's ModificationTimestamp: an ISO 8601 instant (the clock does not move, so a
    // date in 2099 stays in the future) or any other text, sent as is. False: no such record.
    bool setTimestamp(const QString& resource, const QString& key, const QString& text);

    // Rate limits (ServerOptions, "Rate limits and quota headers"): from the next request on,
    // the quota has `remaining` requests left (that one included) until `resetInMs` after it;
    // then it is full again.
    void setQuotaRemaining(int remaining, int resetInMs);
    int throttledCount() const; // 429s sent by the rate limits (injected faults not included)

    int requestCount() const;
    QStringList requestLog() const;          // request targets as received, still percent-encoded
    QList<qint64> requestTimesMs() const;    // when each of requestLog() arrived, ms on a monotonic clock
    QList<QByteArray> requestBodies() const; // bodies of POST requests (token endpoint)
    // What each request carried that says where it was meant to go and whose it is.
    struct SeenRequest {
        QByteArray method;
        QByteArray host;          // the Host header
        QByteArray target;        // as received, still percent-encoded
        QByteArray authorization; // the Authorization header, empty when absent
    };
    QList<SeenRequest> requestsSeen() const;
    void clearRequestLog();

    // nextLinks lead to this origin ("http://localhost:<port>", another server's) instead of
    // the server's own; empty: its own.
    void setNextLinkOrigin(const QString& origin);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace ors::fake
