#include "diff/ExternalKeySorter.h"
#include "diff/KeyDiff.h"
#include "diff/KeyListReader.h"
#include "diff/KeyListWriter.h"
#include "diff/PagedKeyStream.h"
#include "diff/VectorKeyStream.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>

using namespace ors;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(QList<QByteArray>)

namespace {

using Ts = std::optional<QByteArray>;

QByteArray ts(const char* text) {
    return QByteArray(text);
}

bool byteLess(const QByteArray& a, const QByteArray& b) {
    return KeyRecord::compareKeys(a, b) < 0;
}

// Everything a stream yields, or the error message (prefixed "ERROR: ") as the last element.
struct Drained {
    QList<KeyRecord> records;
    QString error;
};

Drained drain(SortedKeyStream& stream) {
    Drained result;
    for (;;) {
        Expected<std::optional<KeyRecord>> next = stream.next();
        if (!next) {
            result.error = next.errorMessage();
            return result;
        }
        if (!next->has_value())
            return result;
        result.records.append(std::move(**next));
    }
}

QList<QByteArray> keysOf(const QList<KeyRecord>& records) {
    QList<QByteArray> keys;
    for (const KeyRecord& r : records)
        keys.append(r.key);
    return keys;
}

QStringList entriesIn(const QString& dir) {
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

// An MLS-like key: a prefix and 9–17 characters of digits and upper/lower case letters, so case
// variants of one key occur.
QByteArray randomKey(QRandomGenerator& rng) {
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QByteArray key = "L";
    const int length = 3 + int(rng.bounded(17));
    for (int i = 0; i < length; ++i)
        key.append(alphabet[rng.bounded(int(sizeof(alphabet) - 1))]);
    return key;
}

ExternalKeySorter::Options tinyBudget(int maxOpenRuns = 64) {
    ExternalKeySorter::Options options;
    options.memoryBudgetBytes = 1024;
    options.maxOpenRuns = maxOpenRuns;
    options.readBufferBytes = 4096;
    return options;
}

Drained sortAll(const QString& dir, const QList<KeyRecord>& input, ExternalKeySorter::Options options) {
    ExternalKeySorter sorter(dir, options);
    for (const KeyRecord& r : input) {
        Expected<void> added = sorter.add(r);
        if (!added)
            return Drained{{}, added.errorMessage()};
    }
    Expected<std::unique_ptr<SortedKeyStream>> stream = sorter.finish();
    if (!stream)
        return Drained{{}, stream.errorMessage()};
    return drain(**stream);
}

// A destination served page by page from a list, in whatever order the list has (as a store
// with a non-binary collation or a buggy query would), recording each afterKey asked for.
struct FakePagedDestination {
    QList<QList<KeyRecord>> pages;
    QList<std::optional<QByteArray>> asked;

    PagedKeyStream::PageFetcher fetcher() {
        return [this](const std::optional<QByteArray>& afterKey, int) -> Expected<QList<KeyRecord>> {
            asked.append(afterKey);
            const qsizetype index = asked.size() - 1;
            return index < pages.size() ? pages.at(index) : QList<KeyRecord>();
        };
    }
};

// A well-behaved keyset-paginated destination: rows with key > afterKey in byte order.
PagedKeyStream::PageFetcher sortedTable(QList<KeyRecord> rows) {
    std::sort(rows.begin(), rows.end(),
              [](const KeyRecord& a, const KeyRecord& b) { return byteLess(a.key, b.key); });
    return [rows](const std::optional<QByteArray>& afterKey, int limit) -> Expected<QList<KeyRecord>> {
        auto it = rows.cbegin();
        if (afterKey)
            it = std::upper_bound(rows.cbegin(), rows.cend(), *afterKey,
                                  [](const QByteArray& k, const KeyRecord& r) { return byteLess(k, r.key); });
        QList<KeyRecord> page;
        for (; it != rows.cend() && page.size() < limit; ++it)
            page.append(*it);
        return page;
    };
}

struct DiffOutput {
    QList<QByteArray> onlyInMls;
    QList<QByteArray> onlyInDestination;
    QList<QByteArray> changed;

    KeyDiff::Handlers handlers() {
        KeyDiff::Handlers h;
        h.onlyInMls = [this](const KeyRecord& r) -> Expected<void> {
            onlyInMls.append(r.key);
            return {};
        };
        h.onlyInDestination = [this](const KeyRecord& r) -> Expected<void> {
            onlyInDestination.append(r.key);
            return {};
        };
        h.changed = [this](const KeyRecord& m, const KeyRecord& d) -> Expected<void> {
            if (m.key != d.key)
                return makeError(u"changed with two keys"_s);
            changed.append(m.key);
            return {};
        };
        return h;
    }
};

} // namespace

class TestKeyDiff : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString freshDir(const QString& name) {
        const QString path = m_dir.filePath(name);
        QDir(path).removeRecursively();
        QDir().mkpath(path);
        return path;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void compareKeys_data() {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<int>("expected");
        QTest::newRow("case: upper before lower") << ts("ABC") << ts("abc") << -1;
        QTest::newRow("case: distinct") << ts("abc") << ts("aBc") << 1;
        QTest::newRow("equal") << ts("abc") << ts("abc") << 0;
        QTest::newRow("prefix first") << ts("ab") << ts("abc") << -1;
        QTest::newRow("empty first") << QByteArray() << ts("\x01") << -1;
        QTest::newRow("empty equals null") << QByteArray("") << QByteArray() << 0;
        QTest::newRow("unsigned bytes") << ts("\x7f") << ts("\x80") << -1;
        QTest::newRow("é after z") << u"é"_s.toUtf8() << ts("z") << 1;
        QTest::newRow("emoji after é") << u"😀"_s.toUtf8() << u"é"_s.toUtf8() << 1;
        QTest::newRow("embedded NUL") << QByteArray("a\0b", 3) << QByteArray("a\0c", 3) << -1;
        QTest::newRow("space before quote") << ts("a b") << ts("a'b") << -1;
        QTest::newRow("quote before plus") << ts("a'b") << ts("a+b") << -1;
    }

    void compareKeys() {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(int, expected);
        QCOMPARE(KeyRecord::compareKeys(a, b), expected);
        QCOMPARE(KeyRecord::compareKeys(b, a), -expected);
    }

    // Unsorted input through the sorter, in memory and spilled, comes out in exact byte order.
    void byteOrder_data() {
        QTest::addColumn<QList<QByteArray>>("input");
        QTest::addColumn<QList<QByteArray>>("expected");
        const QList<QByteArray> sorted = {
            QByteArray(),    ts(" "),          ts("\""),       ts("'"),   ts("+"),    ts("0"),
            ts("A"),         ts("ABC"),        ts("Z"),        ts("a"),   ts("a b"),  ts("a\"b"),
            ts("a'b"),       ts("a+b"),        ts("aBc"),      ts("abc"), ts("abc "), ts("z"),
            u"é"_s.toUtf8(), u"éa"_s.toUtf8(), u"😀"_s.toUtf8()};
        QList<QByteArray> reversed(sorted.crbegin(), sorted.crend());
        QList<QByteArray> shuffled = sorted;
        std::shuffle(shuffled.begin(), shuffled.end(), *QRandomGenerator::global());
        QTest::newRow("reversed") << reversed << sorted;
        QTest::newRow("shuffled") << shuffled << sorted;
        QTest::newRow("case variants") << QList<QByteArray>{ts("abc"), ts("ABC"), ts("Abc"), ts("abC")}
                                       << QList<QByteArray>{ts("ABC"), ts("Abc"), ts("abC"), ts("abc")};
        QTest::newRow("only the empty key")
            << QList<QByteArray>{QByteArray()} << QList<QByteArray>{QByteArray()};
        QTest::newRow("empty key twice")
            << QList<QByteArray>{QByteArray(""), QByteArray()} << QList<QByteArray>{QByteArray()};
        QTest::newRow("nothing") << QList<QByteArray>() << QList<QByteArray>();
    }

    void byteOrder() {
        QFETCH(QList<QByteArray>, input);
        QFETCH(QList<QByteArray>, expected);
        QList<KeyRecord> records;
        for (const QByteArray& k : input)
            records.append(KeyRecord(k, ts("2024-05-01T10:00:00.000Z")));
        for (const ExternalKeySorter::Options& options : {ExternalKeySorter::Options{}, tinyBudget(2)}) {
            const Drained out = sortAll(freshDir(u"order"_s), records, options);
            QCOMPARE(out.error, QString());
            QCOMPARE(keysOf(out.records), expected);
            // A correctly sorted list passes the order check of the other streams too.
            QList<KeyRecord> asRecords;
            for (const QByteArray& k : expected)
                asRecords.append(KeyRecord(k));
            VectorKeyStream vector(asRecords);
            QCOMPARE(drain(vector).error, QString());
            PagedKeyStream paged(u"destination \"t\""_s, sortedTable(asRecords), 3);
            const Drained pagedOut = drain(paged);
            QCOMPARE(pagedOut.error, QString());
            QCOMPARE(keysOf(pagedOut.records), expected);
        }
    }

    void timestamps_data() {
        QTest::addColumn<Ts>("a");
        QTest::addColumn<Ts>("b");
        QTest::addColumn<int>("expected");
        const QByteArray t = "2024-05-01T10:00:00.123Z";
        QTest::newRow("both null") << Ts() << Ts() << 0;
        QTest::newRow("null before value") << Ts() << Ts(t) << -1;
        QTest::newRow("same text") << Ts(t) << Ts(t) << 0;
        QTest::newRow("one ms later") << Ts(t) << Ts(ts("2024-05-01T10:00:00.124Z")) << -1;
        QTest::newRow("no fraction equals .000")
            << Ts(ts("2024-05-01T10:00:00Z")) << Ts(ts("2024-05-01T10:00:00.000Z")) << 0;
        QTest::newRow("sub-ms truncated") << Ts(ts("2024-05-01T10:00:00.1239999Z")) << Ts(t) << 0;
        QTest::newRow("offset") << Ts(ts("2024-05-01T12:00:00.123+02:00")) << Ts(t) << 0;
        QTest::newRow("year boundary")
            << Ts(ts("2023-12-31T23:59:59.999Z")) << Ts(ts("2024-01-01T00:00:00.000Z")) << -1;
        QTest::newRow("leap day") << Ts(ts("2024-02-29T00:00:00.000Z")) << Ts(ts("2024-03-01T00:00:00.000Z"))
                                  << -1;
        QTest::newRow("unparsable differs") << Ts(ts("yesterday")) << Ts(t) << 1;
        QTest::newRow("unparsable equal to itself") << Ts(ts("yesterday")) << Ts(ts("yesterday")) << 0;
        QTest::newRow("empty text is not null") << Ts(QByteArray("")) << Ts() << 1;
    }

    void timestamps() {
        QFETCH(Ts, a);
        QFETCH(Ts, b);
        QFETCH(int, expected);
        const auto view = [](const Ts& t) { return t ? std::optional<QByteArrayView>(*t) : std::nullopt; };
        const int c = KeyRecord::compareTimestamps(view(a), view(b));
        QCOMPARE(c < 0 ? -1 : (c > 0 ? 1 : 0), expected);
        const int r = KeyRecord::compareTimestamps(view(b), view(a));
        QCOMPARE(r < 0 ? -1 : (r > 0 ? 1 : 0), -expected);
    }

    void timestampMsecs() {
        QCOMPARE(KeyRecord::timestampMsecs("1970-01-01T00:00:00.000Z"), std::optional<qint64>(0));
        QCOMPARE(KeyRecord::timestampMsecs("2024-05-01T10:00:00.123Z"), std::optional<qint64>(1714557600123));
        QCOMPARE(KeyRecord::timestampMsecs("2024-02-30T00:00:00Z"), std::nullopt);
        QCOMPARE(KeyRecord::timestampMsecs("2024-05-01T10:00:00.Z"), std::nullopt);
        QCOMPARE(KeyRecord::timestampMsecs("2024-05-01"), std::nullopt);
    }

    // 50,000 random keys (with repeats) through a 1 KB budget: thousands of runs, merged in
    // several passes, give exactly the sorted unique list, and leave no file behind.
    void spilling_data() {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("maxOpenRuns");
        QTest::newRow("50000 keys, fan-in 64") << 50000 << 64;
        QTest::newRow("10000 keys, fan-in 3") << 10000 << 3;
    }

    void spilling() {
        QFETCH(int, count);
        QFETCH(int, maxOpenRuns);
        QRandomGenerator rng(20240501u + quint32(count));
        const QString dir = freshDir(u"spill"_s);
        std::map<QByteArray, QByteArray, decltype(&byteLess)> expected(&byteLess); // key -> newest ts
        ExternalKeySorter sorter(dir, tinyBudget(maxOpenRuns));
        QList<QByteArray> seen;
        for (int i = 0; i < count; ++i) {
            // One in ten adds an earlier key again (a page read twice), with a random timestamp.
            const QByteArray key =
                (i % 10 == 9 && !seen.isEmpty()) ? seen.at(rng.bounded(int(seen.size()))) : randomKey(rng);
            seen.append(key);
            const QByteArray t = QByteArray("2024-05-01T10:00:00.") +
                                 QByteArray::number(rng.bounded(1000)).rightJustified(3, '0') + "Z";
            QVERIFY(sorter.add(KeyRecord(key, t)).ok());
            auto [it, inserted] = expected.try_emplace(key, t);
            if (!inserted && t > it->second)
                it->second = t;
        }
        QVERIFY(sorter.runsSpilled() > 300);
        const QString folder = sorter.spillFolder();
        QVERIFY(QFileInfo(folder).isDir());
        Expected<std::unique_ptr<SortedKeyStream>> stream = sorter.finish();
        QVERIFY2(stream.ok(), qPrintable(stream.ok() ? QString() : stream.errorMessage()));
        QVERIFY(sorter.intermediateMerges() > 0); // more runs than may be open: multi-pass
        // Intermediate runs are deleted as soon as they are merged.
        QVERIFY(entriesIn(folder).size() <= maxOpenRuns);
        const Drained out = drain(**stream);
        QCOMPARE(out.error, QString());
        QCOMPARE(out.records.size(), qsizetype(expected.size()));
        auto it = expected.cbegin();
        for (const KeyRecord& r : out.records) {
            QCOMPARE(r.key, it->first);
            QCOMPARE(r.timestamps[0], std::optional<QByteArray>(it->second));
            QCOMPARE(r.timestamps[1], std::nullopt);
            ++it;
        }
        // Read to the end: the spill folder is gone at once, not only when objects die.
        QVERIFY(!QFileInfo::exists(folder));
        QCOMPARE(entriesIn(dir), QStringList());
    }

    void cleanupOnDestruction() {
        const QString dir = freshDir(u"cleanup"_s);
        QRandomGenerator rng(7);
        {
            // Abandoned while adding.
            ExternalKeySorter sorter(dir, tinyBudget());
            for (int i = 0; i < 2000; ++i)
                QVERIFY(sorter.add(KeyRecord(randomKey(rng))).ok());
            QVERIFY(sorter.runsSpilled() > 0);
            QVERIFY(!entriesIn(dir).isEmpty());
        }
        QCOMPARE(entriesIn(dir), QStringList());
        {
            // The stream outlives the sorter and is dropped half read.
            std::unique_ptr<SortedKeyStream> stream;
            {
                ExternalKeySorter sorter(dir, tinyBudget());
                for (int i = 0; i < 2000; ++i)
                    QVERIFY(sorter.add(KeyRecord(randomKey(rng))).ok());
                Expected<std::unique_ptr<SortedKeyStream>> finished = sorter.finish();
                QVERIFY(finished.ok());
                stream = std::move(finished.value());
            }
            QVERIFY(!entriesIn(dir).isEmpty());
            for (int i = 0; i < 10; ++i)
                QVERIFY(stream->next().ok());
            stream.reset();
        }
        QCOMPARE(entriesIn(dir), QStringList());
        {
            // Everything fits: no folder is ever created.
            ExternalKeySorter sorter(dir);
            QVERIFY(sorter.add(KeyRecord("k")).ok());
            QCOMPARE(sorter.spillFolder(), QString());
            Expected<std::unique_ptr<SortedKeyStream>> finished = sorter.finish();
            QVERIFY(finished.ok());
            QCOMPARE(entriesIn(dir), QStringList());
            QVERIFY(!sorter.finish().ok());
            QVERIFY(!sorter.add(KeyRecord("late")).ok());
        }
    }

    // The same key downloaded twice keeps the greater timestamp, in memory and across runs.
    void duplicates_data() {
        QTest::addColumn<bool>("spill");
        QTest::newRow("in memory") << false;
        QTest::newRow("across runs") << true;
    }

    void duplicates() {
        QFETCH(bool, spill);
        const QByteArray t1 = "2024-01-01T00:00:00.000Z";
        const QByteArray t2 = "2024-06-01T00:00:00.000Z";
        const QList<KeyRecord> first = {
            KeyRecord("k1", t1),     KeyRecord("k2", t2), KeyRecord("k3"),     KeyRecord("k4", t1, t1),
            KeyRecord("k5", t1, t2), KeyRecord("k6", t1), KeyRecord("K1", t1),
        };
        const QList<KeyRecord> second = {
            KeyRecord("k1", t2),     KeyRecord("k2", t1),     KeyRecord("k3", t1),
            KeyRecord("k4", t1, t2), KeyRecord("k5", t2, t1), KeyRecord("k6", ts("2024-01-01T00:00:00Z"), t2),
        };
        // Padding between the two downloads pushes them into different runs when spilling.
        QList<KeyRecord> input = first;
        if (spill) {
            for (int i = 0; i < 200; ++i)
                input.append(KeyRecord("pad" + QByteArray::number(i)));
        }
        input.append(second);
        input.append(first); // a third read of the older page changes nothing
        ExternalKeySorter::Options options = spill ? tinyBudget(2) : ExternalKeySorter::Options{};
        const Drained out = sortAll(freshDir(u"dups"_s), input, options);
        QCOMPARE(out.error, QString());
        std::map<QByteArray, KeyRecord> byKey;
        for (const KeyRecord& r : out.records)
            QVERIFY(byKey.emplace(r.key, r).second);
        QCOMPARE(byKey.at("k1"), KeyRecord("k1", t2));
        QCOMPARE(byKey.at("k2"), KeyRecord("k2", t2));
        QCOMPARE(byKey.at("k3"), KeyRecord("k3", t1));     // a value beats null
        QCOMPARE(byKey.at("k4"), KeyRecord("k4", t1, t2)); // first equal, second decides
        QCOMPARE(byKey.at("k5"), KeyRecord("k5", t2, t1)); // one whole record, not a per-field max
        QCOMPARE(byKey.at("k6").timestamps[1], std::optional<QByteArray>(t2)); // same instant, other text
        QCOMPARE(byKey.at("K1"), KeyRecord("K1", t1)); // a case variant is another key
        QCOMPARE(out.records.size(), qsizetype(7 + (spill ? 200 : 0)));
    }

    void diff_data() {
        QTest::addColumn<bool>("compareFirst");
        QTest::addColumn<bool>("compareSecond");
        QTest::addColumn<QList<QByteArray>>("changed");
        QTest::newRow("no timestamps") << false << false << QList<QByteArray>();
        QTest::newRow("first") << true << false << QList<QByteArray>{"b", "d", "e", "h"};
        QTest::newRow("second") << false << true << QList<QByteArray>{"f"};
        QTest::newRow("both") << true << true << QList<QByteArray>{"b", "d", "e", "f", "h"};
    }

    void diff() {
        QFETCH(bool, compareFirst);
        QFETCH(bool, compareSecond);
        QFETCH(QList<QByteArray>, changed);
        const QByteArray t1 = "2024-01-01T00:00:00.000Z";
        const QByteArray t2 = "2024-01-01T00:00:00.001Z";
        const QList<KeyRecord> mls = {
            KeyRecord("ABC", t1),                       // only in the MLS: "abc" below is another key
            KeyRecord("a", t1),                         // same
            KeyRecord("b", t1),                         // first differs by one ms
            KeyRecord("c"),                             // both null: same
            KeyRecord("d", t1),                         // destination null: differs
            KeyRecord("e"),                             // MLS null: differs
            KeyRecord("f", t1, t1),                     // only the second differs
            KeyRecord("g", ts("2024-01-01T00:00:00Z")), // same instant, other text
            KeyRecord("h", ts("2024-01-01T02:00:00.000+02:00")), // bytes differ, instant differs too
            KeyRecord("only-mls", t1),
        };
        const QList<KeyRecord> destination = {
            KeyRecord("a", t1),     KeyRecord("abc", t1),
            KeyRecord("b", t2),     KeyRecord("c"),
            KeyRecord("d"),         KeyRecord("e", t1),
            KeyRecord("f", t1, t2), KeyRecord("g", t1),
            KeyRecord("h", t2),     KeyRecord("only-destination"),
            KeyRecord("z\xC3\xA9"),
        };
        KeyDiff::Options options;
        options.compareTimestamp = {compareFirst, compareSecond};
        VectorKeyStream mlsStream(mls);
        PagedKeyStream destinationStream(u"destination \"main\""_s, sortedTable(destination), 4);
        DiffOutput out;
        Expected<KeyDiffCounts> counts = KeyDiff(options).run(mlsStream, destinationStream, out.handlers());
        QVERIFY2(counts.ok(), qPrintable(counts.ok() ? QString() : counts.errorMessage()));
        QCOMPARE(out.onlyInMls, (QList<QByteArray>{"ABC", "only-mls"}));
        QCOMPARE(out.onlyInDestination, (QList<QByteArray>{"abc", "only-destination", "z\xC3\xA9"}));
        QCOMPARE(out.changed, changed);
        QCOMPARE(counts->mlsKeys, 10);
        QCOMPARE(counts->destinationKeys, 11);
        QCOMPARE(counts->onlyInMls, 2);
        QCOMPARE(counts->onlyInDestination, 3);
        QCOMPARE(counts->changed, changed.size());
        QCOMPARE(counts->unchanged, 8 - changed.size());
    }

    void emptySides_data() {
        QTest::addColumn<QList<QByteArray>>("mls");
        QTest::addColumn<QList<QByteArray>>("destination");
        QTest::newRow("both empty") << QList<QByteArray>() << QList<QByteArray>();
        QTest::newRow("empty MLS") << QList<QByteArray>() << QList<QByteArray>{"", "a", "b"};
        QTest::newRow("empty destination") << QList<QByteArray>{"", "a", "b"} << QList<QByteArray>();
    }

    void emptySides() {
        QFETCH(QList<QByteArray>, mls);
        QFETCH(QList<QByteArray>, destination);
        ExternalKeySorter sorter(freshDir(u"empty"_s));
        for (const QByteArray& k : mls)
            QVERIFY(sorter.add(KeyRecord(k)).ok());
        Expected<std::unique_ptr<SortedKeyStream>> mlsStream = sorter.finish();
        QVERIFY(mlsStream.ok());
        QList<KeyRecord> rows;
        for (const QByteArray& k : destination)
            rows.append(KeyRecord(k));
        FakePagedDestination fake;
        if (!rows.isEmpty())
            fake.pages = {rows};
        PagedKeyStream destinationStream(u"destination \"main\""_s, fake.fetcher(), 100);
        DiffOutput out;
        Expected<KeyDiffCounts> counts = KeyDiff().run(**mlsStream, destinationStream, out.handlers());
        QVERIFY(counts.ok());
        QCOMPARE(out.onlyInMls, mls);
        QCOMPARE(out.onlyInDestination, destination);
        QCOMPARE(counts->unchanged + counts->changed, 0);
        // The first page is asked with no afterKey at all ("" is a key), and only an empty page ends.
        QCOMPARE(fake.asked.value(0), std::nullopt);
        QCOMPARE(fake.asked.size(), rows.isEmpty() ? 1 : 2);
        if (!rows.isEmpty())
            QCOMPARE(fake.asked.at(1), std::optional<QByteArray>(destination.last()));
    }

    // A destination whose pages are not in strictly increasing byte order fails the diff, and no
    // key is reported as gone because of it.
    void outOfOrderDestination_data() {
        QTest::addColumn<QList<QList<QByteArray>>>("pages");
        QTest::addColumn<QString>("message");
        QTest::newRow("across pages") << QList<QList<QByteArray>>{{"a", "c"}, {"b", "d"}}
                                      << u"destination \"main\" (Property) returned keys out of byte order: "
                                         u"'b' after 'c'"_s;
        QTest::newRow("within a page")
            << QList<QList<QByteArray>>{{"a", "c", "b", "d"}} << u"'b' after 'c'"_s;
        QTest::newRow("page served twice")
            << QList<QList<QByteArray>>{{"a", "b"}, {"b", "c"}} << u"'b' after 'b' (a repeated key)"_s;
        QTest::newRow("case-insensitive collation")
            << QList<QList<QByteArray>>{{"a", "abc"}, {"ABC", "b"}} << u"'ABC' after 'abc'"_s;
        QTest::newRow("non-ASCII") << QList<QList<QByteArray>>{{u"é"_s.toUtf8(), "f"}} << u"'f' after 'é'"_s;
    }

    void outOfOrderDestination() {
        QFETCH(QList<QList<QByteArray>>, pages);
        QFETCH(QString, message);
        FakePagedDestination fake;
        QList<KeyRecord> mls;
        for (const QList<QByteArray>& page : pages) {
            QList<KeyRecord> rows;
            for (const QByteArray& k : page) {
                rows.append(KeyRecord(k));
                mls.append(KeyRecord(k));
            }
            fake.pages.append(rows);
        }
        // The MLS holds every key the destination holds: any reported delete would be wrong.
        std::sort(mls.begin(), mls.end(),
                  [](const KeyRecord& a, const KeyRecord& b) { return byteLess(a.key, b.key); });
        mls.erase(std::unique(mls.begin(), mls.end(),
                              [](const KeyRecord& a, const KeyRecord& b) { return a.key == b.key; }),
                  mls.end());
        VectorKeyStream mlsStream(mls);
        PagedKeyStream destinationStream(u"destination \"main\" (Property)"_s, fake.fetcher(), 2);
        const QString listPath = m_dir.filePath(u"purge-out-of-order.keys"_s);
        KeyListWriter purgeList;
        QVERIFY(purgeList.open(listPath).ok());
        DiffOutput out;
        KeyDiff::Handlers handlers = out.handlers();
        KeyDiff::Handlers writing = KeyDiff::writeTo(nullptr, &purgeList, nullptr);
        handlers.onlyInDestination = [&](const KeyRecord& r) -> Expected<void> {
            out.onlyInDestination.append(r.key);
            return writing.onlyInDestination(r);
        };
        Expected<KeyDiffCounts> counts = KeyDiff().run(mlsStream, destinationStream, handlers);
        QVERIFY(!counts.ok());
        QVERIFY2(counts.errorMessage().contains(message), qPrintable(counts.errorMessage()));
        QCOMPARE(out.onlyInDestination, QList<QByteArray>());
        // The caller does not commit after an error: no purge list exists for anyone to act on.
        purgeList.discard();
        QVERIFY(!QFile::exists(listPath));
        QVERIFY(!QFile::exists(listPath + u".part"_s));
    }

    // An MLS list that is not in byte order (a server's $orderby uses its own collation) fails
    // too. What the handlers saw before is void: that is why the MLS side should come from
    // ExternalKeySorter, and why lists are only committed after a successful run.
    void outOfOrderMls() {
        KeyDiff::Options options;
        options.mlsLabel = u"the MLS key list of Property"_s;
        VectorKeyStream mls({KeyRecord("b"), KeyRecord("a")});
        VectorKeyStream destination({KeyRecord("a"), KeyRecord("b")});
        Expected<KeyDiffCounts> counts = KeyDiff(options).run(mls, destination, {});
        QVERIFY(!counts.ok());
        QVERIFY2(counts.errorMessage().contains(u"'a' after 'b'"_s), qPrintable(counts.errorMessage()));
    }

    void fetchAndHandlerErrors() {
        PagedKeyStream failing(u"destination \"main\""_s,
                               [](const std::optional<QByteArray>&, int) -> Expected<QList<KeyRecord>> {
                                   return makeError(u"SELECT … failed: disk I/O error"_s);
                               });
        VectorKeyStream mls({KeyRecord("a")});
        Expected<KeyDiffCounts> counts = KeyDiff().run(mls, failing, {});
        QVERIFY(!counts.ok());
        QCOMPARE(counts.errorMessage(), u"destination \"main\": SELECT … failed: disk I/O error"_s);

        VectorKeyStream mls2({KeyRecord("a"), KeyRecord("b")});
        VectorKeyStream destination({});
        KeyDiff::Handlers handlers;
        int calls = 0;
        handlers.onlyInMls = [&](const KeyRecord&) -> Expected<void> {
            ++calls;
            return makeError(u"missingIds file: disk full"_s);
        };
        counts = KeyDiff().run(mls2, destination, handlers);
        QVERIFY(!counts.ok());
        QCOMPARE(counts.errorMessage(), u"missingIds file: disk full"_s);
        QCOMPARE(calls, 1);
    }

    // Short pages do not end the list: some stores cap pages below the limit.
    void shortPages() {
        FakePagedDestination fake;
        fake.pages = {{KeyRecord("a")}, {KeyRecord("b"), KeyRecord("c")}, {KeyRecord("d")}};
        PagedKeyStream stream(u"destination"_s, fake.fetcher(), 1000);
        const Drained out = drain(stream);
        QCOMPARE(out.error, QString());
        QCOMPARE(keysOf(out.records), (QList<QByteArray>{"a", "b", "c", "d"}));
        QCOMPARE(fake.asked, (QList<std::optional<QByteArray>>{std::nullopt, QByteArray("a"), QByteArray("c"),
                                                               QByteArray("d")}));
        QCOMPARE(stream.pagesFetched(), 4);
    }

    void keyListRoundTrip() {
        const QString path = m_dir.filePath(u"lists/missingIds_batch_1.keys"_s);
        QList<QByteArray> keys = {
            QByteArray(),           "a", "ABC", "a'b+c d", u"é😀"_s.toUtf8(), QByteArray("\0\n\xff", 3),
            QByteArray(100000, 'x')};
        QRandomGenerator rng(3);
        for (int i = 0; i < 20000; ++i)
            keys.append(randomKey(rng));
        {
            KeyListWriter writer;
            QVERIFY(writer.open(path).ok());
            for (const QByteArray& k : keys)
                QVERIFY(writer.append(k).ok());
            QVERIFY(!QFile::exists(path)); // visible only once whole
            QVERIFY(writer.commit().ok());
            QCOMPARE(writer.count(), keys.size());
        }
        QVERIFY(QFile::exists(path));
        QVERIFY(!QFile::exists(path + u".part"_s));
        KeyListReader reader;
        QVERIFY(reader.open(path).ok());
        QList<QByteArray> read;
        for (;;) {
            Expected<std::optional<QByteArray>> key = reader.next();
            QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.errorMessage()));
            if (!key->has_value())
                break;
            read.append(**key);
        }
        QCOMPARE(read, keys);
        QCOMPARE(reader.keysRead(), keys.size());

        // An empty list is a valid list.
        {
            KeyListWriter writer;
            QVERIFY(writer.open(path).ok());
            QVERIFY(writer.commit().ok()); // replaces the older list
        }
        QVERIFY(reader.open(path).ok());
        Expected<std::optional<QByteArray>> none = reader.next();
        QVERIFY(none.ok() && !none->has_value());

        // Abandoned without commit (a crash, an error): nothing at the path, no .part left.
        const QString other = m_dir.filePath(u"lists/purge.keys"_s);
        {
            KeyListWriter writer;
            QVERIFY(writer.open(other).ok());
            QVERIFY(writer.append("a").ok());
        }
        QVERIFY(!QFile::exists(other));
        QVERIFY(!QFile::exists(other + u".part"_s));
    }

    void keyListDamaged_data() {
        QTest::addColumn<int>("chop");
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<QString>("message");
        QTest::newRow("end marker missing") << 12 << QByteArray() << u"ends without its end marker"_s;
        QTest::newRow("end marker cut") << 5 << QByteArray() << u"end marker cut off"_s;
        QTest::newRow("key cut") << 14 << QByteArray() << u"key cut off"_s;
        QTest::newRow("trailing bytes") << 0 << QByteArray("x") << u"data after the end marker"_s;
        QTest::newRow("count disagrees")
            << 12 << QByteArray("\x01\0\0\0z\xff\xff\xff\xff\x02\0\0\0\0\0\0\0", 17)
            << u"end marker says 2 keys, but 3 were read"_s;
    }

    void keyListDamaged() {
        QFETCH(int, chop);
        QFETCH(QByteArray, extra);
        QFETCH(QString, message);
        const QString path = m_dir.filePath(u"damaged.keys"_s);
        {
            KeyListWriter writer;
            QVERIFY(writer.open(path).ok());
            QVERIFY(writer.append("first").ok());
            QVERIFY(writer.append("second").ok());
            QVERIFY(writer.commit().ok());
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray bytes = file.readAll();
        file.close();
        bytes.chop(chop);
        bytes.append(extra);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(bytes);
        file.close();
        KeyListReader reader;
        QVERIFY(reader.open(path).ok());
        QString error;
        for (int i = 0; i < 10 && error.isEmpty(); ++i) {
            Expected<std::optional<QByteArray>> key = reader.next();
            if (!key)
                error = key.errorMessage();
            else if (!key->has_value())
                break;
        }
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY(error.contains(path));
    }

    void keyListNotAList() {
        const QString path = m_dir.filePath(u"not-a-list.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[\"a\",\"b\"]");
        file.close();
        KeyListReader reader;
        Expected<void> opened = reader.open(path);
        QVERIFY(!opened.ok());
        QVERIFY(opened.errorMessage().contains(u"not a key list"_s));
        QVERIFY(!reader.open(m_dir.filePath(u"absent.keys"_s)).ok());
    }

    void spillFolderUnusable() {
        // A regular file where the batch folder should be: the first spill fails, naming it.
        const QString blocker = m_dir.filePath(u"not-a-folder"_s);
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        ExternalKeySorter sorter(blocker, tinyBudget());
        QString error;
        for (int i = 0; i < 1000 && error.isEmpty(); ++i) {
            Expected<void> added = sorter.add(KeyRecord("key" + QByteArray::number(i)));
            if (!added)
                error = added.errorMessage();
        }
        QVERIFY2(error.contains(blocker), qPrintable(error));
        QVERIFY(!sorter.add(KeyRecord("after")).ok());
        QVERIFY(!sorter.finish().ok());
    }

    void overlongTimestamp() {
        ExternalKeySorter sorter(freshDir(u"long"_s));
        Expected<void> added = sorter.add(KeyRecord("k", QByteArray(300, '1')));
        QVERIFY(!added.ok());
        QVERIFY2(added.errorMessage().contains(u"'k'"_s), qPrintable(added.errorMessage()));
    }
};

QTEST_GUILESS_MAIN(TestKeyDiff)
#include "tst_keydiff.moc"
