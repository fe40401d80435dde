// Answers that would exhaust memory, through the real openresync-cli: a page larger than the
// source's maxPageMegabytes and a gzip bomb are cut off as they arrive and fail the sync at once
// (not retried), with a message saying what happened; so does a body the client cannot read
// (corrupt gzip, a Content-Encoding it did not ask for). Nothing is applied, and a sync after the
// server behaves again ends exact.
#include "CliFixture.h"

#include <QJsonArray>
#include <QTest>

using namespace ors;
using namespace ors::test;
using namespace Qt::StringLiterals;

class TestHostilePages : public QObject {
    Q_OBJECT

    static QJsonObject source(const CliFixture& f, int maxPageMegabytes = 0) {
        QJsonObject source = sourceConfig(u"mls"_s, f.server->serviceUrl(), {f.path(u"d.sqlite"_s)}, 200);
        source.insert(u"resources"_s, QJsonArray{QJsonObject{{u"name"_s, u"Property"_s}}});
        if (maxPageMegabytes > 0)
            source.insert(u"maxPageMegabytes"_s, maxPageMegabytes);
        return source;
    }

private Q_SLOTS:
    void pageLargerThanAllowed() {
        fake::ServerOptions options;
        options.listingCount = 400;
        CliFixture f;
        QVERIFY(f.startServer(options));
        f.writeSource(source(f, 1));
        const CliResult result = f.run(u"sync"_s);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(
                     "the answer is larger than 1 MB; the source's maxPageMegabytes allows no more"),
                 result.err.constData());
        // Refused once, not asked for again: one request for the first page.
        int asked = 0;
        for (const QString& target : f.server->requestLog())
            asked += target.contains(u"/Property"_s) ? 1 : 0;
        QCOMPARE(asked, 1);
        QVERIFY(f.leftovers().isEmpty());
        // With the default limit the same pages pass, exactly.
        f.writeSource(source(f));
        const CliResult again = f.run(u"sync"_s);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const QStringList differences = compareWithServer(*f.server, u"Property"_s, f.path(u"d.sqlite"_s),
                                                          u"Property"_s, u"ListingKey"_s);
        QVERIFY2(differences.isEmpty(), qPrintable(differences.join(u'\n')));
    }

    // A body the client cannot read (a gzip bomb, corrupt gzip, an encoding it did not ask for)
    // fails the request at once, naming why, and is not asked for again; the next run is exact.
    void unreadableBodies_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("expected");
        // 150 KB inflating to 128 MB: refused by the ratio rule before it is inflated.
        QTest::newRow("gzip bomb") << int(fake::Fault::Kind::GzipBomb)
                                   << u"could not be read: Decompression failed: its"_s;
        QTest::newRow("corrupt gzip")
            << int(fake::Fault::Kind::CorruptGzip)
            << u"could not be read: Decompression failed: the gzip data is corrupt"_s;
        QTest::newRow("brotli")
            << int(fake::Fault::Kind::UnknownEncoding)
            << u"could not be read: it came with Content-Encoding \"br\", which was not asked for"_s;
    }
    void unreadableBodies() {
        QFETCH(int, kind);
        QFETCH(QString, expected);
        fake::ServerOptions options;
        options.listingCount = 50;
        CliFixture f;
        QVERIFY(f.startServer(options));
        f.writeSource(source(f));
        fake::Fault fault;
        fault.kind = fake::Fault::Kind(kind);
        fault.pathContains = u"/Property"_s;
        fault.count = 10;
        f.server->injectFault(fault);
        const CliResult result = f.run(u"sync"_s);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(QString::fromUtf8(result.err).contains(expected), result.err.constData());
        QCOMPARE(f.server->faultsServed().size(), 1); // not asked for again
        f.server->clearFaults();
        const CliResult again = f.run(u"sync"_s);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const QStringList differences = compareWithServer(*f.server, u"Property"_s, f.path(u"d.sqlite"_s),
                                                          u"Property"_s, u"ListingKey"_s);
        QVERIFY2(differences.isEmpty(), qPrintable(differences.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestHostilePages)
#include "tst_hostilepages.moc"
