#pragma once

#include <atomic>

#include "DataStore.h"
#include "HttpMessage.h"
#include "QueryOptions.h"
#include "ServerOptions.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QQueue>

#include <memory>
#include <mutex>
#include <optional>

namespace ors::fake {

// The OData side of the fake server: routing, auth, queries, paging cursors, tokens.
// Thread-safe; every entry point takes the one mutex, which also guards the data.
class ResoService {
public:
    explicit ResoService(const ServerOptions& options);

    void setBaseUrl(const QString& origin);        // "http://127.0.0.1:PORT"
    void setNextLinkOrigin(const QString& origin); // empty: the base URL
    HttpResponse handle(const HttpRequest& request);

    QByteArray metadataXml() const { return m_metadata; }
    QJsonArray records(const QString& resource) const;
    QList<QByteArray> rawRecords(const QString& resource) const;
    QStringList changeRecords(double fraction);
    QStringList addRecords(int count);
    QStringList deleteRecords(int count);
    QString maxModificationTimestamp() const;
    bool setTimestamp(const QString& resource, const QString& key, const QString& text);
    qint64 advanceToSecond(); // DataStore::advanceToSecond
    // RecordText.cpp: a record served as other text, and a record changed without new content.
    void setRecordText(const QString& resource, const QString& key, const QByteArray& json);
    QString touchRecord(const QString& resource, const QString& key);
    // RecordText.cpp: touchRecord just before the (requests+1)th data request from now is
    // answered, i.e. between that many pages and the next.
    void touchRecordAfterRequests(const QString& resource, const QString& key, int requests);
    // Milliseconds of ServerOptions::expandDelayMsPerRecord put on responses so far.
    qint64 expandDelayAppliedMs() const { return m_expandDelayTotalMs.load(); }
    QString addChild(const QString& resource, const QString& parentKey);
    bool removeChild(const QString& resource, const QString& childKey);
    void expireTokens();
    void expireCursors();
    void expireCursorsAfter(int requests) { m_expireAfter = requests; }
    // Makes @odata.count lie by this much, like a server whose count and list disagree.
    void setCountBias(int bias) { m_countBias = bias; }
    // Only queries whose decoded query string contains `scope` (any when empty) loop.
    void setNextLinkLoop(NextLinkLoop loop, const QString& scope = {}) {
        std::lock_guard lock(m_mutex);
        m_nextLinkLoop = loop;
        m_loopScope = scope;
    }
    void setCountSupport(CountSupport support) { m_countSupport = support; }
    void setWallClockTimestamps(bool on) {
        std::lock_guard lock(m_mutex);
        m_store.setWallClock(on);
    }

    static HttpResponse error(int status, const QString& code, const QString& message);

private:
    std::atomic<int> m_countBias{0};
    NextLinkLoop m_nextLinkLoop = NextLinkLoop::None; // guarded by m_mutex, as m_loopScope
    QString m_loopScope;
    std::atomic<CountSupport> m_countSupport{CountSupport::Both};
    std::atomic<int> m_expireAfter{-1}; // data requests until the cursors expire; -1: never
    std::atomic<qint64> m_expandDelayTotalMs{0};
    struct PendingTouch {
        QString resource;
        QString key;
        int requestsLeft = 0;
    };
    std::vector<PendingTouch> m_pendingTouches; // guarded by m_mutex
    // What a nextLink resumes: the matched keys in order, fixed when the query first ran.
    struct Snapshot {
        const EntitySchema* schema = nullptr;
        QStringList keys;
        QueryOptions options;
        int pageSize = 0;
        bool replication = false; // asked on a replication endpoint (shapes the nextLink)
        NextLinkLoop loop = NextLinkLoop::None;
        // One token per position, so a client retrying a page gets the same nextLink back.
        mutable QHash<qsizetype, QString> tokens;
    };
    struct PageToken {
        std::shared_ptr<const Snapshot> snapshot;
        qsizetype position = 0;
        qint64 lastUsedMs = 0;
    };

    HttpResponse issueToken(const HttpRequest& request);
    bool authorized(const HttpRequest& request) const;
    HttpResponse serviceDocument() const;
    HttpResponse query(const EntitySchema& schema, const HttpRequest& request, bool replication);
    ParseRules parseRules() const;
    // The records matching `options` in $orderby order (ties by key); without $orderby in
    // storage order, or by key when `byKey`.
    std::vector<Record*> match(const EntitySchema& schema, const QueryOptions& options, bool byKey) const;
    // Opens a page's JSON up to and including "value":[; `matched` is the count to announce.
    void beginPage(QByteArray& out, const EntitySchema& schema, const QueryOptions& options,
                   qsizetype matched) const;
    // The delay for a page of `served` records under `options`, added to the total.
    int expandDelay(const QueryOptions& options, qsizetype served);
    // ResoStrict.cpp: the strict-odata flavour's $top/$skip paging over live data.
    HttpResponse strictQuery(const EntitySchema& schema, const HttpRequest& request,
                             const QueryOptions& options);
    void applyPendingTouches(); // RecordText.cpp, once per data request
    // ResoFlavour.cpp: the platform's refusals, and its nextLink shape.
    std::optional<HttpResponse> checkFlavour(const HttpRequest& request, const QueryOptions& options,
                                             bool replication) const;
    QString nextLink(const EntitySchema& schema, bool replication, const QString& token) const;
    QString nextLinkPath(const EntitySchema& schema, bool replication, const QString& token) const;
    HttpResponse page(const std::shared_ptr<const Snapshot>& snapshot, qsizetype position);
    // ResoPaging.cpp: where the nextLink of the page [position, end) leads (-1: none), and the
    // /$count path.
    qsizetype nextPosition(const Snapshot& snapshot, qsizetype position, qsizetype end) const;
    HttpResponse countPath(const EntitySchema& schema, const HttpRequest& request);
    void appendRecord(QByteArray& out, const EntitySchema& schema, Record& record,
                      const QueryOptions& options) const;
    void appendExpansion(QByteArray& out, const ExpandSpec& spec, const Record& listing) const;
    QString newPageToken(const std::shared_ptr<const Snapshot>& snapshot, qsizetype position);

    mutable std::mutex m_mutex; // std::mutex: visible to ThreadSanitizer, unlike QMutex's futex
    ServerOptions m_options;
    DataStore m_store;
    QByteArray m_metadata;
    QString m_origin;
    QString m_nextLinkOrigin;
    QString m_echoAccessToken; // the current request's access_token, when nextLinks carry it
    QElapsedTimer m_clock;
    QHash<QString, qint64> m_tokens;         // access token -> expiry on m_clock
    QHash<QString, QByteArray> m_recordText; // "resource/key" -> JSON served instead of the record's
    QHash<QString, PageToken> m_pages;
    QQueue<QString> m_pageOrder;
};

} // namespace ors::fake
