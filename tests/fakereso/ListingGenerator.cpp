#include "ListingGenerator.h"

#include <QDate>
#include <QUrl>

#include <cmath>

namespace ors::fake {

quint64 Rng::next() {
    quint64 z = (m_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

qint64 Rng::range(qint64 lo, qint64 hi) {
    if (hi <= lo)
        return lo;
    const quint64 span = static_cast<quint64>(hi - lo) + 1;
    return lo + static_cast<qint64>(next() % span);
}

bool Rng::chance(double p) {
    return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0) < p;
}

namespace {

const QStringList& wordList() {
    static const QStringList w = {
        QStringLiteral("oak"),      QStringLiteral("maple"),   QStringLiteral("harbor"),
        QStringLiteral("ridge"),    QStringLiteral("meadow"),  QStringLiteral("vista"),
        QStringLiteral("cedar"),    QStringLiteral("summit"),  QStringLiteral("lakeside"),
        QStringLiteral("granite"),  QStringLiteral("sunny"),   QStringLiteral("quiet"),
        QStringLiteral("spacious"), QStringLiteral("updated"), QStringLiteral("garden"),
        QStringLiteral("corner"),   QStringLiteral("café"),    QStringLiteral("Zürich"),
        QStringLiteral("niño"),     QStringLiteral("O'Hare"),  QStringLiteral("north"),
        QStringLiteral("south"),    QStringLiteral("willow"),  QStringLiteral("creek"),
    };
    return w;
}

// Fragments chosen to break naive escaping, encoding and column sizing.
const QStringList& remarkFragments() {
    static const QStringList f = {
        QStringLiteral("Welcome home to this stunning 🏡 with a \"chef's kitchen\" and a 'bonus' room. "),
        QStringLiteral("Backslashes: C:\\Users\\agent\\photos\\ and a trailing \\ too. "),
        QStringLiteral("Line one.\nLine two.\n\tIndented with a tab. "),
        QStringLiteral("Café, naïve façade, Über-cool jalapeño garden in São Paulo style. "),
        QStringLiteral("Decomposed accents: e\u0301 n\u0303 a\u0308 (combining marks). "),
        QStringLiteral("日本語の説明も含まれます。近くに公園があります。 "),
        QStringLiteral("Emoji mix: 🌳🌊🔑 and a family 👨‍👩‍👧‍👦 joined with ZWJ. "),
        QStringLiteral("Price \"reduced\" by 5% — now $1,234,567! Don't wait; it's 100% ready. "),
        QStringLiteral("Windows line end\r\nhere. "),
        QStringLiteral("Fractions ½ ≤ ¾ ≥ ⅓; “curly” and ‘single’ quotes. "),
        QStringLiteral("Right-to-left: مرحبا بكم and שלום עליכם. "),
        QStringLiteral("A line separator\u2028inside, and a paragraph separator\u2029too. "),
        QStringLiteral("Mostly plain words about the neighbourhood, schools, parks and transit options. "),
        QStringLiteral("SQL-ish text: '; DROP TABLE Property; -- and \"quoted\" values. "),
        QStringLiteral("Mathematical 𝔸𝔹ℂ and musical 𝄞 symbols outside the BMP. "),
    };
    return f;
}

const QStringList& firstNames() {
    static const QStringList n = {
        QStringLiteral("José"),     QStringLiteral("Zoë"),        QStringLiteral("Björn"),
        QStringLiteral("Siobhán"),  QStringLiteral("Nguyễn"),     QStringLiteral("Øystein"),
        QStringLiteral("François"), QStringLiteral("Małgorzata"), QStringLiteral("李"),
        QStringLiteral("Anne"),     QStringLiteral("Mary-Kate"),  QStringLiteral("Jürgen"),
        QStringLiteral("Chloé"),    QStringLiteral("Ravi"),       QStringLiteral("Ólafur"),
        QStringLiteral("Amélie"),
    };
    return n;
}

const QStringList& lastNames() {
    static const QStringList n = {
        QStringLiteral("O'Connor"), QStringLiteral("García"),       QStringLiteral("Müller"),
        QStringLiteral("Smith"),    QStringLiteral("Øvergård"),     QStringLiteral("D'Angelo"),
        QStringLiteral("Tanaka"),   QStringLiteral("Van der Berg"), QStringLiteral("Nørgaard"),
        QStringLiteral("Li"),       QStringLiteral("Kowalska"),     QStringLiteral("Ñúñez"),
    };
    return n;
}

const QStringList& cities() {
    static const QStringList c = {
        QStringLiteral("Portland"),       QStringLiteral("San José"), QStringLiteral("Coeur d'Alene"),
        QStringLiteral("Santa Fe"),       QStringLiteral("Boise"),    QStringLiteral("La Cañada Flintridge"),
        QStringLiteral("Salt Lake City"), QStringLiteral("Denver"),   QStringLiteral("Austin"),
    };
    return c;
}

constexpr qint64 kDayMs = 86400000;
constexpr qint64 kEpoch2020Ms = 1577836800000; // 2020-01-01T00:00:00Z

} // namespace

ListingGenerator::ListingGenerator(const ResoSchema& schema, Rng& rng)
    : m_schema(schema)
    , m_rng(rng) {}

QString ListingGenerator::randomKey(int length) {
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyz";
    QString key;
    key.reserve(length);
    for (int i = 0; i < length; ++i)
        key.append(QLatin1Char(alphabet[m_rng.range(0, sizeof(alphabet) - 2)]));
    return key;
}

QStringList ListingGenerator::trickyKeys() {
    return {
        QStringLiteral("O'Brien-1001"),       QStringLiteral("A+B 1002"),
        QStringLiteral("Q&A#1003;x"),         QStringLiteral("semi;colon 1004"),
        QStringLiteral("café-1005"),          QStringLiteral("Müller-ü-1006"),
        QStringLiteral("CaseKey-1007"),       QStringLiteral("casekey-1007"),
        QStringLiteral("CASEKEY-1007"),       QStringLiteral("percent%25-1008"),
        QStringLiteral("slash/1009"),         QStringLiteral("question?1010=x"),
        QStringLiteral("quote''double-1011"), QStringLiteral("emoji🏡1012"),
        QStringLiteral("  spaces  1013"),
    };
}

QString ListingGenerator::words(int count, int maxLength) {
    QString s;
    s.reserve(count * 10);
    for (int i = 0; i < count; ++i) {
        if (i > 0)
            s += QLatin1Char(' ');
        s += m_rng.pick(wordList());
    }
    if (maxLength > 0 && s.size() > maxLength)
        s.truncate(maxLength);
    return s;
}

QString ListingGenerator::remarks(int minLength, int maxLength) {
    const int target = static_cast<int>(m_rng.range(minLength, maxLength));
    QString text;
    text.reserve(target + 128);
    while (text.size() < target) {
        if (m_rng.chance(0.5))
            text += m_rng.pick(remarkFragments());
        else
            text += words(static_cast<int>(m_rng.range(4, 14)), 0) + QStringLiteral(". ");
    }
    return text;
}

DecimalValue ListingGenerator::decimal(qint64 units, int scale) {
    QString text = QString::number(units < 0 ? -units : units);
    if (scale > 0) {
        while (text.size() <= scale)
            text.prepend(QLatin1Char('0'));
        text.insert(text.size() - scale, QLatin1Char('.'));
    }
    if (units < 0)
        text.prepend(QLatin1Char('-'));
    return DecimalValue{text, static_cast<double>(units) / std::pow(10.0, scale)};
}

Value ListingGenerator::genericValue(const FieldDef& f) {
    if (!f.required && m_rng.chance(0.35))
        return {};
    switch (f.type) {
    case FieldType::String:
        if (!f.required && m_rng.chance(0.06))
            return QString();
        return words(static_cast<int>(m_rng.range(1, 5)), f.maxLength);
    case FieldType::Boolean:
        return m_rng.chance(0.5);
    case FieldType::Int32:
        return m_rng.range(0, 120);
    case FieldType::Int64:
        return m_rng.range(10000, 5000000000LL);
    case FieldType::Decimal:
        if (f.precision == 0) // undeclared precision: vary the scale too
            return decimal(m_rng.range(1, 99999999), static_cast<int>(m_rng.range(0, 8)));
        return decimal(m_rng.range(100, 99999999), f.scale);
    case FieldType::Date:
        return QDate(2015, 1, 1).toJulianDay() + m_rng.range(0, 3600);
    case FieldType::DateTimeOffset:
        return kEpoch2020Ms + m_rng.range(0, 1400 * kDayMs);
    case FieldType::Enum:
        return m_rng.pick(m_schema.enumDef(f.enumName)->members);
    case FieldType::FlagsEnum:
    case FieldType::EnumCollection: {
        const QStringList& all = m_schema.enumDef(f.enumName)->members;
        QStringList chosen;
        for (const QString& m : all) { // declaration order keeps flag strings canonical
            if (m_rng.chance(0.25))
                chosen << m;
        }
        if (chosen.isEmpty() && f.type == FieldType::FlagsEnum)
            chosen << m_rng.pick(all);
        return chosen;
    }
    case FieldType::StringCollection: {
        QStringList items;
        const int n = static_cast<int>(m_rng.range(0, 4));
        for (int i = 0; i < n; ++i)
            items << words(static_cast<int>(m_rng.range(1, 3)), 0);
        return items;
    }
    }
    return {};
}

void ListingGenerator::setValue(Record& r, const EntitySchema& s, const char* field, Value v) {
    const int i = s.indexOf(QLatin1String(field));
    Q_ASSERT(i >= 0);
    r.values[static_cast<size_t>(i)] = std::move(v);
}

const Value& ListingGenerator::value(const Record& r, const EntitySchema& s, const char* field) const {
    return r.values[static_cast<size_t>(s.indexOf(QLatin1String(field)))];
}

RecordPtr ListingGenerator::makeListing(const QString& key, qint64 ts) {
    const EntitySchema& s = m_schema.property;
    auto r = std::make_shared<Record>();
    r->key = key;
    r->escapeNonAscii = m_rng.chance(0.15);
    r->values.reserve(s.fields.size());
    for (const FieldDef& f : s.fields)
        r->values.push_back(genericValue(f));

    const qint64 entered = ts - m_rng.range(0, 365 * kDayMs);
    const QString status = m_rng.chance(0.6)
                               ? QStringLiteral("Active")
                               : m_rng.pick(m_schema.enumDef(QStringLiteral("StandardStatus"))->members);
    const qint64 price = m_rng.range(50, 5000) * 1000 - (m_rng.chance(0.2) ? 1 : 0);
    setValue(*r, s, "ListingKey", key);
    // Unique, since the MLS Grid flavour keys Property by ListingId; the draw keeps the stream.
    (void)m_rng.range(1000000, 9999999);
    setValue(*r, s, "ListingId", QStringLiteral("ML") + key);
    setValue(*r, s, "ModificationTimestamp", ts);
    setValue(*r, s, "OriginalEntryTimestamp", entered);
    setValue(*r, s, "StandardStatus", status);
    setValue(*r, s, "ListPrice", decimal(price * 100 + (m_rng.chance(0.2) ? 99 : 0), 2));
    setValue(*r, s, "ClosePrice",
             status == QLatin1String("Closed") ? Value(decimal(price * 100 - m_rng.range(0, 2000000), 2))
                                               : Value());
    setValue(*r, s, "Latitude", decimal(m_rng.range(3250000000LL, 4790000000LL) | 1, 8));
    setValue(*r, s, "Longitude", decimal(-(m_rng.range(7100000000LL, 12400000000LL) | 1), 8));
    {
        // 20-27 significant digits at scale 10; the last digit is never 0 so the text is canonical.
        QString digits = QString::number(m_rng.range(1, 9));
        const int intDigits = static_cast<int>(m_rng.range(10, 17));
        for (int i = 1; i < intDigits + 10; ++i)
            digits += QString::number(i == intDigits + 9 ? m_rng.range(1, 9) : m_rng.range(0, 9));
        digits.insert(intDigits, QLatin1Char('.'));
        setValue(*r, s, "X_PreciseArea", DecimalValue{digits, digits.toDouble()});
    }
    setValue(*r, s, "X_RecordSequence", (qint64(1) << 53) + 1 + 2 * m_rng.range(0, qint64(1) << 58));
    setValue(*r, s, "BedroomsTotal", m_rng.chance(0.1) ? Value() : Value(m_rng.range(0, 8)));
    setValue(*r, s, "YearBuilt", m_rng.range(1880, 2024));
    setValue(*r, s, "LivingArea", decimal(m_rng.range(40000, 800000), 2));
    setValue(*r, s, "ListingContractDate", QDate(1970, 1, 1).toJulianDay() + entered / kDayMs);
    setValue(*r, s, "CloseDate",
             status == QLatin1String("Closed") ? Value(QDate(1970, 1, 1).toJulianDay() + ts / kDayMs)
                                               : Value());
    setValue(*r, s, "City", m_rng.pick(cities()));
    setValue(*r, s, "PostalCode", QString::number(m_rng.range(10000, 99999)));
    setValue(*r, s, "UnparsedAddress", QStringLiteral("%1 %2 St").arg(m_rng.range(1, 9999)).arg(words(1, 0)));
    setValue(*r, s, "PublicRemarks", remarks(500, 3000));
    setValue(*r, s, "PrivateRemarks", m_rng.chance(0.3) ? Value() : Value(remarks(500, 3000)));
    setValue(*r, s, "Country", QStringLiteral("US"));
    setValue(*r, s, "OriginatingSystemName", QStringLiteral("FakeMLS"));
    setValue(*r, s, "MlgCanView", true);
    if (!m_memberKeys.isEmpty() && m_rng.chance(0.9)) {
        // A few agents are unknown to the Member resource, so an expanded ListAgent can be null.
        const QString agent =
            m_rng.chance(0.05) ? QStringLiteral("GONE-") + randomKey(6) : m_rng.pick(m_memberKeys);
        setValue(*r, s, "ListAgentKey", agent);
    } else {
        setValue(*r, s, "ListAgentKey", {});
    }
    return r;
}

const DecimalValue& ListingGenerator::pooledPrice() {
    if (m_pricePool.empty())
        for (qint64 thousands = 0; thousands <= 5000; ++thousands)
            m_pricePool.push_back(decimal(thousands * 100000, 2));
    return m_pricePool[static_cast<size_t>(m_rng.range(50, 5000))];
}

RecordPtr ListingGenerator::makeLightListing(const QString& key, qint64 ts) {
    const EntitySchema& s = m_schema.property;
    auto r = std::make_shared<Record>();
    r->key = key;
    r->values.resize(s.fields.size());
    setValue(*r, s, "ListingKey", key);
    setValue(*r, s, "ModificationTimestamp", ts);
    setValue(*r, s, "StandardStatus",
             m_rng.chance(0.6) ? m_schema.enumDef(QStringLiteral("StandardStatus"))->members.first()
                               : m_rng.pick(m_schema.enumDef(QStringLiteral("StandardStatus"))->members));
    setValue(*r, s, "ListPrice", pooledPrice());
    return r;
}

void ListingGenerator::mutateLightListing(Record& r, qint64 ts) {
    const EntitySchema& s = m_schema.property;
    setValue(r, s, "ListPrice", pooledPrice());
    setValue(r, s, "StandardStatus", m_rng.pick(m_schema.enumDef(QStringLiteral("StandardStatus"))->members));
    setValue(r, s, "ModificationTimestamp", ts);
    r.json.clear();
}

RecordPtr ListingGenerator::makeMedia(const Record& listing, int order, qint64 ts) {
    const EntitySchema& s = m_schema.media;
    auto r = std::make_shared<Record>();
    r->key = listing.key + QStringLiteral("-M") + randomKey(6);
    r->escapeNonAscii = listing.escapeNonAscii;
    r->values.reserve(s.fields.size());
    for (const FieldDef& f : s.fields)
        r->values.push_back(genericValue(f));
    const QString encodedKey = QString::fromLatin1(QUrl::toPercentEncoding(listing.key));
    setValue(*r, s, "MediaKey", r->key);
    setValue(*r, s, "ResourceRecordKey", listing.key);
    setValue(*r, s, "ResourceName", QStringLiteral("Property"));
    setValue(*r, s, "MediaURL",
             QStringLiteral("https://photos.example.com/") + encodedKey + QLatin1Char('/') +
                 QString::number(order) + QStringLiteral(".jpg"));
    setValue(*r, s, "Order", qint64(order));
    setValue(*r, s, "ModificationTimestamp", ts);
    setValue(*r, s, "MediaCategory",
             m_rng.chance(0.85) ? QStringLiteral("Photo") : QStringLiteral("FloorPlan"));
    setValue(*r, s, "ShortDescription",
             m_rng.chance(0.5) ? Value(words(3, 50)) : Value(QStringLiteral("Vue du salon — 🛋️")));
    setValue(*r, s, "ImageWidth", m_rng.chance(0.5) ? qint64(1024) : qint64(2048));
    setValue(*r, s, "ImageHeight", m_rng.chance(0.5) ? qint64(768) : qint64(1536));
    return r;
}

RecordPtr ListingGenerator::makeMember(const QString& key, qint64 ts) {
    const EntitySchema& s = m_schema.member;
    auto r = std::make_shared<Record>();
    r->key = key;
    r->escapeNonAscii = m_rng.chance(0.2);
    r->values.reserve(s.fields.size());
    for (const FieldDef& f : s.fields)
        r->values.push_back(genericValue(f));
    const QString first = m_rng.pick(firstNames());
    const QString last = m_rng.pick(lastNames());
    setValue(*r, s, "MemberKey", key);
    setValue(*r, s, "MemberMlsId", QStringLiteral("A%1").arg(m_rng.range(10000, 99999)));
    setValue(*r, s, "MemberFirstName", first);
    setValue(*r, s, "MemberLastName", last);
    setValue(*r, s, "MemberFullName", first + QLatin1Char(' ') + last);
    setValue(*r, s, "MemberBio", m_rng.chance(0.5) ? Value() : Value(remarks(200, 800)));
    setValue(*r, s, "ModificationTimestamp", ts);
    return r;
}

void ListingGenerator::mutateListing(Record& r, qint64 ts) {
    const EntitySchema& s = m_schema.property;
    const auto& old = std::get<DecimalValue>(value(r, s, "ListPrice"));
    const qint64 cents = qRound64(old.approx * 100.0);
    setValue(r, s, "PreviousListPrice", old);
    setValue(r, s, "ListPrice", decimal(qMax<qint64>(100000, cents + m_rng.range(-2500000, 1500000)), 2));
    setValue(r, s, "PriceChangeTimestamp", ts);
    setValue(r, s, "StandardStatus", m_rng.pick(m_schema.enumDef(QStringLiteral("StandardStatus"))->members));
    setValue(r, s, "StatusChangeTimestamp", ts);
    setValue(r, s, "PublicRemarks", remarks(500, 3000));
    setValue(r, s, "DaysOnMarket", m_rng.range(1, 400));
    setValue(r, s, "ModificationTimestamp", ts);
    // Also flip a couple of arbitrary fields, sometimes to null, so diffs are not only in known columns.
    for (int i = 0; i < 2; ++i) {
        const int idx = static_cast<int>(m_rng.range(0, static_cast<qint64>(s.fields.size()) - 1));
        const FieldDef& f = s.fields[static_cast<size_t>(idx)];
        // The fields a feed's filters and deletions hang on stay as they are.
        if (!f.required && f.type != FieldType::DateTimeOffset && f.name != QLatin1String("ListAgentKey") &&
            !f.name.startsWith(QLatin1String("X_")) && f.name != QLatin1String("OriginatingSystemName") &&
            f.name != QLatin1String("MlgCanView"))
            r.values[static_cast<size_t>(idx)] = genericValue(f);
    }
    r.json.clear();
}

} // namespace ors::fake
