#pragma once

#include "ListingGenerator.h"
#include "Record.h"
#include "Schema.h"
#include "ServerOptions.h"

#include <QHash>
#include <QJsonArray>

#include <vector>

namespace ors::fake {

// The fake MLS's data: three tables in "storage order" (deliberately neither key nor
// timestamp order) plus a simulated clock. Not thread-safe; ResoService locks around it.
class DataStore {
public:
    struct Table {
        std::vector<RecordPtr> ordered;
        QHash<QString, RecordPtr> byKey;
    };

    explicit DataStore(const ServerOptions& options);

    const ResoSchema& schema() const { return m_schema; }
    const Table* table(const QString& resource) const;
    const std::vector<RecordPtr>& mediaFor(const QString& listingKey) const;
    RecordPtr member(const QString& key) const { return m_members.byKey.value(key); }

    // The cached full JSON of a record (filled lazily after mutations).
    const QByteArray& json(const EntitySchema& schema, Record& record) const;

    QStringList changeRecords(double fraction);
    QStringList addRecords(int count);
    QStringList deleteRecords(int count);
    // MLS Grid: MlgCanView becomes false and the record changes; it stays in the feed.
    QStringList hideRecords(int count);
    // A listing gets a new ModificationTimestamp and nothing else; returns it, or -1 if unknown.
    qint64 touchListing(const QString& key);
    // A Media record added to or removed from a listing the way some servers do it: the child is
    // stamped with the next timestamp, the listing's ModificationTimestamp and
    // PhotosChangeTimestamp stay as they were. The new child's key, or empty if no such listing;
    // false if no such Media record.
    QString addChildMedia(const QString& listingKey);
    bool removeChildMedia(const QString& mediaKey);
    qint64 maxTimestamp() const { return m_clockMs; }
    // From now on, new timestamps are the current time (still after everything held), as a
    // real MLS stamps records it changes while a client runs.
    void setWallClock(bool on) { m_wallClock = on; }
    // Sets one record's ModificationTimestamp without moving the clock (a record dated in the
    // future stays in the future). Text that is no instant is sent as is and filters as the
    // clock's current time. False if there is no such record.
    bool setTimestamp(const QString& resource, const QString& key, const QString& text);
    // The clock moves to the next whole second (if not on one) and returns it: a server's Date
    // header, after which every change is dated later.
    qint64 advanceToSecond();

    QJsonArray toJson(const QString& resource) const;

private:
    qint64 tick(); // next timestamp, strictly after everything held
    void addListing(const RecordPtr& listing, int mediaCount, qint64 mediaTimestamp, bool jitter);
    void addLightListings(int count, qint64 base, qint64 span);
    void addMedia(const RecordPtr& listing, const RecordPtr& media);
    void removeMedia(const RecordPtr& media);
    void refreshPhotosTimestamp(Record& listing);

    const ResoSchema& m_schema;
    bool m_light = false; // ServerOptions::lightListings
    Rng m_rng;
    ListingGenerator m_gen;
    Table m_listings;
    Table m_media;
    Table m_members;
    QHash<QString, std::vector<RecordPtr>> m_mediaByListing;
    qint64 m_clockMs = 0;
    bool m_wallClock = false;
    int m_idxModTs = -1;
    int m_idxPhotosTs = -1;
    int m_idxMediaOrder = -1;
    int m_idxMediaTs = -1;
};

} // namespace ors::fake
