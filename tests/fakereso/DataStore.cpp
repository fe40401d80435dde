#include "DataStore.h"

#include "JsonWriter.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace ors::fake {

namespace {

constexpr qint64 kDayMs = 86400000;

qint64 baseTimestamp() {
    return QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
}

} // namespace

DataStore::DataStore(const ServerOptions& options)
    : m_schema(options.lightListings    ? ResoSchema::light()
               : options.caseTwinFields ? ResoSchema::caseTwins()
               : options.propertyFieldCount > int(ResoSchema::instance().property.fields.size())
                   ? ResoSchema::wide(options.propertyFieldCount)
                   : ResoSchema::instance())
    , m_light(options.lightListings)
    , m_rng(options.seed * 0x2545F4914F6CDD1DULL + 7)
    , m_gen(m_schema, m_rng) {
    m_idxModTs = m_schema.property.indexOf(QStringLiteral("ModificationTimestamp"));
    m_idxPhotosTs = m_schema.property.indexOf(QStringLiteral("PhotosChangeTimestamp"));
    m_idxMediaOrder = m_schema.media.indexOf(QStringLiteral("Order"));
    m_idxMediaTs = m_schema.media.indexOf(QStringLiteral("ModificationTimestamp"));

    const qint64 base = baseTimestamp();
    const qint64 span = 120 * kDayMs;

    QStringList memberKeys;
    for (int i = 0; i < options.memberCount; ++i) {
        QString key;
        do {
            key = QStringLiteral("MBR") + m_gen.randomKey(7);
        } while (m_members.byKey.contains(key));
        const RecordPtr m = m_gen.makeMember(key, base + m_rng.range(0, span));
        m_members.ordered.push_back(m);
        m_members.byKey.insert(key, m);
        memberKeys << key;
    }
    m_gen.setMemberKeys(memberKeys);

    const int count = options.lightListings ? 0 : qMax(0, options.listingCount);
    QStringList keys;
    QSet<QString> used;
    if (options.trickyKeys) {
        for (const QString& k : ListingGenerator::trickyKeys()) {
            keys << k;
            used.insert(k);
        }
    }
    while (keys.size() < count) {
        const QString k = m_gen.randomKey(m_rng.chance(0.5) ? 10 : 12);
        if (!used.contains(k)) {
            used.insert(k);
            keys << k;
        }
    }
    keys = keys.mid(0, count);
    // Shuffle so the tricky keys are spread through storage order rather than at its start.
    for (qsizetype i = keys.size() - 1; i > 0; --i)
        keys.swapItemsAt(i, static_cast<qsizetype>(m_rng.range(0, i)));

    std::vector<qint64> stamps(static_cast<size_t>(count));
    for (qint64& t : stamps)
        t = base + m_rng.range(0, span);
    // The group shares a timestamp at a random place in time, so it sits in the middle of a sync.
    const int group = qMin(options.sameTimestampGroupSize, count);
    const qint64 groupStamp = base + 60 * kDayMs + 123;
    for (int i = 0; i < group; ++i)
        stamps[static_cast<size_t>(m_rng.range(0, count - 1))] = groupStamp;
    // Collisions in the random picks above may leave the group short; fill it up deterministically.
    int have = static_cast<int>(std::count(stamps.begin(), stamps.end(), groupStamp));
    for (size_t i = 0; have < group && i < stamps.size(); ++i) {
        if (stamps[i] != groupStamp) {
            stamps[i] = groupStamp;
            ++have;
        }
    }

    for (int i = 0; i < count; ++i) {
        const qint64 ts = stamps[static_cast<size_t>(i)];
        const RecordPtr listing = m_gen.makeListing(keys[i], ts);
        addListing(listing, static_cast<int>(m_rng.range(0, 8)), ts - m_rng.range(0, 30 * kDayMs), true);
        m_clockMs = qMax(m_clockMs, ts);
    }
    for (const RecordPtr& m : m_members.ordered)
        m_clockMs = qMax(m_clockMs, std::get<qint64>(m->values[static_cast<size_t>(
                                        m_schema.member.indexOf(QStringLiteral("ModificationTimestamp")))]));

    for (const RecordPtr& r : m_listings.ordered)
        json(m_schema.property, *r);
    for (const RecordPtr& r : m_media.ordered)
        json(m_schema.media, *r);
    for (const RecordPtr& r : m_members.ordered)
        json(m_schema.member, *r);
    // After the JSON cache was filled: light listings build theirs only when served in full.
    if (options.lightListings)
        addLightListings(qMax(0, options.listingCount), base, span);
}

void DataStore::addLightListings(int count, qint64 base, qint64 span) {
    // Keys come from a bijection of the index (an odd multiplier modulo 2^40, 8 base-32 digits),
    // so they are unique without a set of a million strings, and storage order is not key order.
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    constexpr quint64 kMask = (quint64(1) << 40) - 1;
    const quint64 offset = m_rng.next() & kMask;
    m_listings.ordered.reserve(static_cast<size_t>(count));
    m_listings.byKey.reserve(count);
    for (int i = 0; i < count; ++i) {
        quint64 v = (quint64(i) * 0x9E3779B97F4A7C15ULL + offset) & kMask;
        const int suffix = static_cast<int>(m_rng.range(0, 3)); // lengths 9 to 12, as MLS keys vary
        QString key(9 + suffix, Qt::Uninitialized);
        QChar* out = key.data();
        out[0] = QLatin1Char('L');
        for (int d = 8; d >= 1; --d, v >>= 5)
            out[d] = QLatin1Char(alphabet[v & 31]);
        for (int d = 0; d < suffix; ++d)
            out[9 + d] = QLatin1Char(alphabet[m_rng.range(0, 31)]);
        const qint64 ts = base + m_rng.range(0, span);
        const RecordPtr listing = m_gen.makeLightListing(key, ts);
        m_listings.ordered.push_back(listing);
        m_listings.byKey.insert(key, listing);
        m_clockMs = qMax(m_clockMs, ts);
    }
}

const DataStore::Table* DataStore::table(const QString& resource) const {
    if (resource == QLatin1String("Property"))
        return &m_listings;
    if (resource == QLatin1String("Media"))
        return &m_media;
    if (resource == QLatin1String("Member"))
        return &m_members;
    return nullptr;
}

const std::vector<RecordPtr>& DataStore::mediaFor(const QString& listingKey) const {
    static const std::vector<RecordPtr> none;
    const auto it = m_mediaByListing.constFind(listingKey);
    return it == m_mediaByListing.cend() ? none : *it;
}

const QByteArray& DataStore::json(const EntitySchema& schema, Record& record) const {
    if (record.json.isEmpty())
        record.json = json::serialize(schema, record);
    return record.json;
}

qint64 DataStore::tick() {
    m_clockMs += m_rng.range(1, 997);
    if (m_wallClock)
        m_clockMs = std::max(m_clockMs, QDateTime::currentMSecsSinceEpoch());
    return m_clockMs;
}

void DataStore::addListing(const RecordPtr& listing, int mediaCount, qint64 mediaTimestamp, bool jitter) {
    m_listings.ordered.push_back(listing);
    m_listings.byKey.insert(listing->key, listing);
    for (int i = 1; i <= mediaCount; ++i)
        addMedia(listing,
                 m_gen.makeMedia(*listing, i, mediaTimestamp - (jitter ? m_rng.range(0, 3600000) : 0)));
    refreshPhotosTimestamp(*listing);
}

void DataStore::addMedia(const RecordPtr& listing, const RecordPtr& media) {
    m_media.ordered.push_back(media);
    m_media.byKey.insert(media->key, media);
    m_mediaByListing[listing->key].push_back(media);
}

void DataStore::removeMedia(const RecordPtr& media) {
    m_media.byKey.remove(media->key);
    std::erase(m_media.ordered, media);
    const QString owner = std::get<QString>(
        media->values[static_cast<size_t>(m_schema.media.indexOf(QStringLiteral("ResourceRecordKey")))]);
    auto it = m_mediaByListing.find(owner);
    if (it != m_mediaByListing.end()) {
        std::erase(*it, media);
        if (it->empty())
            m_mediaByListing.erase(it);
    }
}

void DataStore::refreshPhotosTimestamp(Record& listing) {
    if (m_idxPhotosTs < 0) // light listings have no PhotosChangeTimestamp
        return;
    qint64 newest = -1;
    for (const RecordPtr& m : mediaFor(listing.key))
        newest = qMax(newest, std::get<qint64>(m->values[static_cast<size_t>(m_idxMediaTs)]));
    listing.values[static_cast<size_t>(m_idxPhotosTs)] = newest < 0 ? Value() : Value(newest);
    listing.json.clear();
}

QStringList DataStore::changeRecords(double fraction) {
    const int total = static_cast<int>(m_listings.ordered.size());
    int n = qBound(0, static_cast<int>(std::ceil(fraction * total)), total);
    std::vector<int> idx(static_cast<size_t>(total));
    for (int i = 0; i < total; ++i)
        idx[static_cast<size_t>(i)] = i;
    QStringList changed;
    for (int i = 0; i < n; ++i) {
        std::swap(idx[static_cast<size_t>(i)], idx[static_cast<size_t>(m_rng.range(i, total - 1))]);
        const RecordPtr& r = m_listings.ordered[static_cast<size_t>(idx[static_cast<size_t>(i)])];
        const qint64 ts = tick();
        r->rawJson.clear();
        if (m_light) {
            m_gen.mutateLightListing(*r, ts);
            changed << r->key;
            continue;
        }
        m_gen.mutateListing(*r, ts);
        if (i % 3 == 0) {
            // Photos change too: one goes, one arrives with the next Order number.
            std::vector<RecordPtr> media = mediaFor(r->key);
            qint64 nextOrder = 1;
            for (const RecordPtr& m : media)
                nextOrder =
                    qMax(nextOrder, std::get<qint64>(m->values[static_cast<size_t>(m_idxMediaOrder)]) + 1);
            if (!media.empty())
                removeMedia(
                    media[static_cast<size_t>(m_rng.range(0, static_cast<qint64>(media.size()) - 1))]);
            addMedia(r, m_gen.makeMedia(*r, static_cast<int>(nextOrder), ts));
            refreshPhotosTimestamp(*r);
        }
        json(m_schema.property, *r);
        changed << r->key;
    }
    return changed;
}

QStringList DataStore::addRecords(int count) {
    QStringList added;
    for (int i = 0; i < count; ++i) {
        QString key;
        do {
            key = m_gen.randomKey(11);
        } while (m_listings.byKey.contains(key));
        const qint64 ts = tick();
        const RecordPtr listing = m_light ? m_gen.makeLightListing(key, ts) : m_gen.makeListing(key, ts);
        // New media must be newer than everything held too, or a Media-only sync would miss them.
        addListing(listing, m_light ? 0 : static_cast<int>(m_rng.range(0, 8)), ts, false);
        json(m_schema.property, *listing);
        for (const RecordPtr& m : mediaFor(key))
            json(m_schema.media, *m);
        added << key;
    }
    return added;
}

QStringList DataStore::deleteRecords(int count) {
    QStringList removed;
    for (int i = 0; i < count && !m_listings.ordered.empty(); ++i) {
        const auto pos =
            static_cast<size_t>(m_rng.range(0, static_cast<qint64>(m_listings.ordered.size()) - 1));
        const RecordPtr r = m_listings.ordered[pos];
        m_listings.ordered.erase(m_listings.ordered.begin() + static_cast<std::ptrdiff_t>(pos));
        m_listings.byKey.remove(r->key);
        const std::vector<RecordPtr> media = mediaFor(r->key);
        for (const RecordPtr& m : media)
            removeMedia(m);
        removed << r->key;
    }
    return removed;
}

QStringList DataStore::hideRecords(int count) {
    QStringList hidden;
    const int visibleIndex = m_schema.property.indexOf(QStringLiteral("MlgCanView"));
    const int tsIndex = m_schema.property.indexOf(QStringLiteral("ModificationTimestamp"));
    std::vector<RecordPtr> candidates;
    for (const RecordPtr& r : m_listings.ordered)
        if (visibleIndex >= 0 && std::holds_alternative<bool>(r->values[static_cast<size_t>(visibleIndex)]) &&
            std::get<bool>(r->values[static_cast<size_t>(visibleIndex)]))
            candidates.push_back(r);
    for (int i = 0; i < count && !candidates.empty(); ++i) {
        const auto pos = static_cast<size_t>(m_rng.range(0, static_cast<qint64>(candidates.size()) - 1));
        const RecordPtr r = candidates[pos];
        candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(pos));
        r->values[static_cast<size_t>(visibleIndex)] = Value(false);
        r->values[static_cast<size_t>(tsIndex)] = Value(tick());
        r->json.clear();
        hidden << r->key;
    }
    return hidden;
}

qint64 DataStore::touchListing(const QString& key) {
    const RecordPtr r = m_listings.byKey.value(key);
    if (!r)
        return -1;
    const qint64 ts = tick();
    r->values[static_cast<size_t>(m_idxModTs)] = Value(ts);
    r->json.clear();
    return ts;
}

QString DataStore::addChildMedia(const QString& listingKey) {
    const RecordPtr listing = m_listings.byKey.value(listingKey);
    if (!listing)
        return {};
    qint64 nextOrder = 1;
    for (const RecordPtr& m : mediaFor(listingKey))
        nextOrder = qMax(nextOrder, std::get<qint64>(m->values[static_cast<size_t>(m_idxMediaOrder)]) + 1);
    const RecordPtr media = m_gen.makeMedia(*listing, static_cast<int>(nextOrder), tick());
    addMedia(listing, media);
    // The listing's cached JSON holds no Media (they are expanded per request): nothing to clear.
    return media->key;
}

bool DataStore::removeChildMedia(const QString& mediaKey) {
    const RecordPtr media = m_media.byKey.value(mediaKey);
    if (!media)
        return false;
    removeMedia(media);
    return true;
}

QJsonArray DataStore::toJson(const QString& resource) const {
    QJsonArray out;
    const Table* t = table(resource);
    const EntitySchema* schema = m_schema.entity(resource);
    if (!t || !schema)
        return out;
    for (const RecordPtr& r : t->ordered)
        out.append(QJsonDocument::fromJson(json(*schema, *r)).object());
    return out;
}

bool DataStore::setTimestamp(const QString& resource, const QString& key, const QString& text) {
    const Table* t = table(resource);
    const RecordPtr record = t ? t->byKey.value(key) : nullptr;
    if (!record)
        return false;
    const EntitySchema& schema = resource == QLatin1String("Property") ? m_schema.property
                                 : resource == QLatin1String("Media")  ? m_schema.media
                                                                       : m_schema.member;
    const int index = schema.indexOf(QStringLiteral("ModificationTimestamp"));
    std::erase_if(record->rawJson, [index](const auto& raw) { return raw.first == index; });
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (time.isValid() && time.timeSpec() != Qt::LocalTime) {
        record->values[static_cast<size_t>(index)] = Value(time.toMSecsSinceEpoch());
    } else {
        record->values[static_cast<size_t>(index)] = Value(m_clockMs);
        QByteArray raw;
        json::appendString(raw, text);
        record->rawJson.emplace_back(index, raw);
    }
    record->json.clear();
    return true;
}

qint64 DataStore::advanceToSecond() {
    m_clockMs = (m_clockMs + 999) / 1000 * 1000;
    return m_clockMs;
}

} // namespace ors::fake
