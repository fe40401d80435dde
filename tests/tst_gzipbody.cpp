// GzipBody: the gzip answers HttpClient inflates itself (with libdeflate) instead of Qt: every
// member of a stream, padding after the last, and the refusals: past the caller's limit, a bomb
// past 10 MB at more than 40:1, a stream that is corrupt, cut off, or lies about its size.
#include "reso/GzipBody.h"

#include "Gzip.h"

#include <QRandomGenerator>
#include <QTest>

using namespace ors;
using Outcome = GzipBody::Outcome;

namespace {

// Text that compresses about as JSON pages do (3-6:1), from a fixed seed.
QByteArray pageLike(qsizetype size, quint32 seed) {
    QRandomGenerator random(seed);
    static const QList<QByteArray> words = {"{\"ListingKey\":\"",
                                            "\",\"ListPrice\":",
                                            "null,",
                                            "\"Active\",",
                                            "\"Prächtiges Haus 🏡\",",
                                            "true,",
                                            "]},"};
    QByteArray out;
    while (out.size() < size) {
        out += words.at(random.bounded(int(words.size())));
        out += QByteArray::number(random.generate());
    }
    out.truncate(size);
    return out;
}

constexpr qint64 kLimit = qint64(256) << 20;

} // namespace

class TestGzipBody : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void inflatesWhatZlibAndLibdeflateCompressed_data() {
        QTest::addColumn<qsizetype>("size");
        QTest::addColumn<int>("level");
        QTest::addColumn<bool>("zlib");
        for (const bool zlib : {true, false}) {
            const char* by = zlib ? "zlib" : "libdeflate";
            QTest::addRow("empty, %s", by) << qsizetype(0) << 1 << zlib;
            QTest::addRow("one byte, %s", by) << qsizetype(1) << 6 << zlib;
            QTest::addRow("a page, level 1, %s", by) << qsizetype(3'000'000) << 1 << zlib;
            QTest::addRow("a page, level 9, %s", by) << qsizetype(3'000'000) << 9 << zlib;
        }
    }
    void inflatesWhatZlibAndLibdeflateCompressed() {
        QFETCH(qsizetype, size);
        QFETCH(int, level);
        QFETCH(bool, zlib);
        const QByteArray text = pageLike(size, 7);
        const QByteArray zipped =
            zlib ? fake::zlibGzipCompress(text, level) : fake::gzipCompress(text, level);
        QVERIFY(!zipped.isEmpty());
        const GzipBody result = GzipBody::inflate(zipped, kLimit);
        QCOMPARE(result.outcome, Outcome::Inflated);
        QVERIFY(result.body == text);
    }

    // Several members (what concatenated gzip files are), then zero padding: all members are
    // inflated, the padding ignored, even when the last trailer's size undersells the whole.
    void everyMemberAndPadding() {
        const QByteArray a = pageLike(200'000, 1);
        const QByteArray b = pageLike(700'000, 2);
        const QByteArray c = pageLike(10, 3);
        QByteArray stream =
            fake::zlibGzipCompress(a, 1) + fake::gzipCompress(b) + fake::zlibGzipCompress(c, 6);
        GzipBody result = GzipBody::inflate(stream, kLimit);
        QCOMPARE(result.outcome, Outcome::Inflated);
        QVERIFY(result.body == a + b + c);
        stream += QByteArray(64, '\0');
        result = GzipBody::inflate(stream, kLimit);
        QCOMPARE(result.outcome, Outcome::Inflated);
        QVERIFY(result.body == a + b + c);
    }

    void refusals() {
        const QByteArray text = pageLike(2'000'000, 4);
        const QByteArray zipped = fake::gzipCompress(text);

        // Past the caller's limit, whatever the trailer says.
        QCOMPARE(GzipBody::inflate(zipped, 1'000'000).outcome, Outcome::TooLarge);
        QByteArray lying = zipped;
        lying[lying.size() - 4] = 1;
        lying[lying.size() - 3] = 0;
        lying[lying.size() - 2] = 0;
        lying[lying.size() - 1] = 0;
        QCOMPARE(GzipBody::inflate(lying, 1'000'000).outcome, Outcome::TooLarge);
        // Within the limit, a trailer that lies about the size fails its check.
        QCOMPARE(GzipBody::inflate(lying, kLimit).outcome, Outcome::Corrupt);
        QCOMPARE(GzipBody::inflate(zipped, text.size()).outcome, Outcome::Inflated);

        // Cut off, a flipped bit in the data or in the checksum, not gzip at all, too short.
        QCOMPARE(GzipBody::inflate(zipped.left(zipped.size() / 2), kLimit).outcome, Outcome::Corrupt);
        QCOMPARE(GzipBody::inflate(zipped.chopped(1), kLimit).outcome, Outcome::Corrupt);
        QByteArray flipped = zipped;
        flipped[flipped.size() / 2] = char(flipped.at(flipped.size() / 2) ^ 0x10);
        QCOMPARE(GzipBody::inflate(flipped, kLimit).outcome, Outcome::Corrupt);
        QByteArray badCrc = zipped;
        badCrc[badCrc.size() - 8] = char(badCrc.at(badCrc.size() - 8) ^ 0x01);
        QCOMPARE(GzipBody::inflate(badCrc, kLimit).outcome, Outcome::Corrupt);
        QCOMPARE(GzipBody::inflate(text.left(1000), kLimit).outcome, Outcome::Corrupt);
        QCOMPARE(GzipBody::inflate(QByteArray("\x1f\x8b"), kLimit).outcome, Outcome::Corrupt);
        const GzipBody refused = GzipBody::inflate(flipped, kLimit);
        QVERIFY(refused.body.isEmpty());
    }

    // Qt's rule, kept: past 10 MB, more than 40 times the compressed size is a bomb; a page that
    // compresses well but less than that is not.
    void bombs() {
        const QByteArray spaces = "{\"value\":[" + QByteArray(64 << 20, ' ');
        const QByteArray bomb = fake::gzipCompress(spaces, 9);
        QVERIFY(bomb.size() * 40 < spaces.size());
        const GzipBody result = GzipBody::inflate(bomb, kLimit);
        QCOMPARE(result.outcome, Outcome::Bomb);
        QVERIFY(result.body.isEmpty());
        QVERIFY(GzipBody::describe(Outcome::Bomb, bomb.size()).contains(QString::number(bomb.size())));
        // Under 10 MB the ratio does not matter.
        const QByteArray small = QByteArray(8 << 20, ' ');
        QCOMPARE(GzipBody::inflate(fake::gzipCompress(small, 9), kLimit).outcome, Outcome::Inflated);
        // 12 MB of page-like text at level 1 is far from 40:1.
        const QByteArray page = pageLike(12 << 20, 5);
        const GzipBody big = GzipBody::inflate(fake::gzipCompress(page), kLimit);
        QCOMPARE(big.outcome, Outcome::Inflated);
        QVERIFY(big.body == page);
    }
};

QTEST_GUILESS_MAIN(TestGzipBody)
#include "tst_gzipbody.moc"
