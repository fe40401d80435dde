#pragma once

#include "Record.h"
#include "Schema.h"

#include <QStringList>

namespace ors::fake {

// splitmix64: tiny, fast and identical on every platform, unlike std distributions.
class Rng {
public:
    explicit Rng(quint64 seed)
        : m_state(seed) {}
    quint64 next();
    qint64 range(qint64 lo, qint64 hi); // inclusive
    bool chance(double p);
    template <typename C>
    const auto& pick(const C& c) {
        return c[static_cast<decltype(c.size())>(range(0, static_cast<qint64>(c.size()) - 1))];
    }

private:
    quint64 m_state;
};

// Builds deterministic, deliberately awkward MLS data: wide records, many nulls, long unicode
// text with quotes, backslashes and non-BMP characters, decimals that do not fit a double.
class ListingGenerator {
public:
    ListingGenerator(const ResoSchema& schema, Rng& rng);

    void setMemberKeys(const QStringList& keys) { m_memberKeys = keys; }

    QString randomKey(int length);
    static QStringList trickyKeys();

    RecordPtr makeListing(const QString& key, qint64 timestampMs);
    RecordPtr makeMedia(const Record& listing, int order, qint64 timestampMs);
    RecordPtr makeMember(const QString& key, qint64 timestampMs);
    // Changes price, status and a few other fields, as an MLS edit would.
    void mutateListing(Record& listing, qint64 timestampMs);
    // For ResoSchema::light(): key, timestamp, status and a price drawn from a shared pool, so a
    // listing costs no string allocation beyond its key.
    RecordPtr makeLightListing(const QString& key, qint64 timestampMs);
    void mutateLightListing(Record& listing, qint64 timestampMs);
    QString remarks(int minLength, int maxLength);

    void setValue(Record& r, const EntitySchema& s, const char* field, Value v);
    const Value& value(const Record& r, const EntitySchema& s, const char* field) const;

private:
    Value genericValue(const FieldDef& f);
    QString words(int count, int maxLength);
    DecimalValue decimal(qint64 units, int scale);
    const DecimalValue& pooledPrice();

    const ResoSchema& m_schema;
    Rng& m_rng;
    QStringList m_memberKeys;
    std::vector<DecimalValue> m_pricePool; // index: price in thousands
};

} // namespace ors::fake
