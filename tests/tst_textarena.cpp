#include "records/TextArena.h"

#include <QTest>

#include <cstring>
#include <memory>
#include <string>

using namespace ors;

// TextArena's values are QByteArrays sharing a block: each must read as its own text,
// '\0'-terminated, outlive the arena, and copy itself out before anything writes to it.
class TestTextArena : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void valuesAreTheirTextAndTerminated() {
        TextArena arena;
        QList<QByteArray> values;
        QList<std::string> expected;
        // Enough values to fill several blocks, of every length up to past the shared limit.
        for (int i = 0; i < 20000; ++i) {
            std::string text(size_t(i % 2500), char('a' + i % 26));
            text += std::to_string(i);
            values.append(arena.copy(text));
            expected.push_back(std::move(text));
        }
        for (qsizetype i = 0; i < values.size(); ++i) {
            const QByteArray& v = values.at(i);
            QCOMPARE(v.size(), qsizetype(expected.at(size_t(i)).size()));
            QCOMPARE(std::memcmp(v.constData(), expected.at(size_t(i)).data(), size_t(v.size())), 0);
            QCOMPARE(v.constData()[v.size()], '\0');
            QVERIFY(!v.isNull());
        }
    }

    void shortValuesShareABlockLongOnesDoNot() {
        TextArena arena;
        const QByteArray a = arena.copy("first");
        const QByteArray b = arena.copy("second");
        // Shared: both point into one allocation, so neither is detached.
        QVERIFY(!a.isDetached());
        QVERIFY(!b.isDetached());
        QVERIFY(b.constData() == a.constData() + a.size() + 1);
        const QByteArray longValue = arena.copy(std::string(10000, 'x'));
        QVERIFY(longValue.isDetached());
        QCOMPARE(longValue.size(), 10000);
    }

    void emptyTextIsEmptyNotNull() {
        TextArena arena;
        const QByteArray empty = arena.copy("");
        QVERIFY(empty.isEmpty());
        QVERIFY(!empty.isNull()); // a bound NULL would differ from the server's ""
    }

    void valuesOutliveTheArena() {
        QByteArray kept;
        {
            auto arena = std::make_unique<TextArena>();
            kept = arena->copy("kept past its arena");
            for (int i = 0; i < 10000; ++i)
                (void)arena->copy("filler that moves the arena to further blocks");
        }
        QCOMPARE(kept, QByteArray("kept past its arena"));
    }

    void writingToAValueLeavesItsNeighbours() {
        TextArena arena;
        QByteArray a = arena.copy("alpha");
        const QByteArray b = arena.copy("beta");
        a.append("-changed");
        a[0] = 'A';
        QCOMPARE(a, QByteArray("Alpha-changed"));
        QCOMPARE(b, QByteArray("beta"));
        QCOMPARE(b.constData()[b.size()], '\0');
        QByteArray c = arena.copy("gamma");
        c.data()[0] = 'G';
        QCOMPARE(c, QByteArray("Gamma"));
        QCOMPARE(arena.copy("delta"), QByteArray("delta"));
    }
};

QTEST_GUILESS_MAIN(TestTextArena)
#include "tst_textarena.moc"
