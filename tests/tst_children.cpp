// Children the server changes without touching their parent (an OpenHouse or Media record added,
// removed or changed while the parent's ModificationTimestamp stays): a top-level resource synced
// into the table an expansion also writes, purge leaving rows a parent owns to that parent, and
// reconcile comparing each parent's owned children by key and timestamp.
#include "CliFixture.h"

#include "diff/ChildDigest.h"

#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>

using namespace ors;
using namespace ors::test;

class TestChildren : public QObject {
    Q_OBJECT

private:
    struct Fixture : CliFixture {
        QStringList sqlite;
    };

    // Property with its Media expanded; with topLevelMedia, Media as a resource of its own too.
    std::unique_ptr<Fixture> synced(int listings, bool topLevelMedia, int destinations = 1) {
        auto f = std::make_unique<Fixture>();
        fake::ServerOptions options;
        options.listingCount = listings;
        options.maxPageSize = 40;
        if (!f->startServer(options))
            return nullptr;
        for (int i = 0; i < destinations; ++i)
            f->sqlite.append(f->path(QStringLiteral("d%1.sqlite").arg(i)));
        QJsonObject source = sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), f->sqlite, 30);
        QJsonArray resources{
            QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")},
                        {QStringLiteral("expand"),
                         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Media")}}}}}};
        if (topLevelMedia)
            resources.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("Media")}});
        source.insert(QStringLiteral("resources"), resources);
        f->writeSource(source);
        const CliResult sync = f->run(QStringLiteral("sync"));
        if (sync.exitCode != 0) {
            qWarning("%s", sync.err.constData());
            return nullptr;
        }
        return f;
    }

    // Media keys the server lists for each listing.
    static QHash<QString, QStringList> serverMedia(const fake::FakeResoServer& server) {
        QHash<QString, QStringList> media;
        for (const QJsonValue& m : server.records(QStringLiteral("Media")))
            media[m[QStringLiteral("ResourceRecordKey")].toString()].append(
                m[QStringLiteral("MediaKey")].toString());
        return media;
    }

    // Listings with at least `minimum` Media, in key order.
    static QStringList parentsWith(const fake::FakeResoServer& server, int minimum) {
        const auto media = serverMedia(server);
        QStringList keys;
        for (auto it = media.cbegin(); it != media.cend(); ++it)
            if (it.value().size() >= minimum)
                keys.append(it.key());
        keys.sort();
        return keys;
    }

    static QVariantMap mediaRow(const QString& sqlite, const QString& key) {
        return readTable(sqlite, QStringLiteral("Media"), QStringLiteral("MediaKey")).value(key);
    }

    static int childrenHeld(const QString& sqlite, const QString& parent) {
        int n = 0;
        for (const QVariantMap& row : readTable(sqlite, QStringLiteral("Media"), QStringLiteral("MediaKey")))
            if (row.value(QStringLiteral("ListingKey")).toString() == parent)
                ++n;
        return n;
    }

private Q_SLOTS:
    void digestIgnoresOrderAndTimestampSpelling() {
        ChildDigest a, b, c;
        a.add("M1", QByteArrayView("2024-05-01T10:00:00Z"));
        a.add("M2", std::nullopt);
        b.add("M2", std::nullopt);
        b.add("M1", QByteArrayView("2024-05-01T10:00:00.000Z"));
        QCOMPARE(a.text(), b.text());
        c.add("M1", QByteArrayView("2024-05-01T10:00:00.001Z"));
        c.add("M2", std::nullopt);
        QVERIFY(a.text() != c.text()); // another timestamp
        ChildDigest d;
        d.add("M1", QByteArrayView("2024-05-01T10:00:00Z"));
        QVERIFY(a.text() != d.text()); // a child fewer
        QCOMPARE(ChildDigest().text(), ChildDigest::emptyText());
        QVERIFY(!KeyRecord::timestampMsecs(a.text()));
    }

    void digestStreamReadsParentsLargerThanAPage() {
        // Parent B alone fills more than a page; A and C share pages with it.
        QList<ChildKeyRow> table;
        auto add = [&](const char* parent, int count) {
            for (int i = 0; i < count; ++i)
                table.append({parent, QByteArray(parent) + "-" + QByteArray::number(i),
                              QByteArray("2024-01-01T00:00:0") + QByteArray::number(i) + ".000Z"});
        };
        add("A", 3);
        add("B", 7);
        add("C", 1);
        int fetches = 0;
        ChildDigestStream stream(
            QStringLiteral("test"),
            [&](const std::optional<QByteArray>& after, const std::optional<QByteArray>& only,
                int limit) -> Expected<QList<ChildKeyRow>> {
                ++fetches;
                QList<ChildKeyRow> page;
                for (const ChildKeyRow& row : table) {
                    if (only ? row.parent != *only : (after && row.parent <= *after))
                        continue;
                    if (!only && page.size() >= limit)
                        break;
                    page.append(row);
                }
                return page;
            },
            4);
        QList<KeyRecord> seen;
        while (true) {
            auto next = stream.next();
            QVERIFY2(next, qPrintable(next ? QString() : next.errorMessage()));
            if (!*next)
                break;
            seen.append(**next);
        }
        QCOMPARE(seen.size(), 3);
        for (const KeyRecord& record : seen) {
            ChildDigest expected;
            for (const ChildKeyRow& row : table)
                if (row.parent == record.key)
                    expected.add(row.key, QByteArrayView(*row.timestamp));
            QCOMPARE(*record.timestamps[0], expected.text());
        }
        QCOMPARE(seen.at(0).key, QByteArray("A"));
        QCOMPARE(seen.at(1).key, QByteArray("B"));
        QCOMPARE(seen.at(2).key, QByteArray("C"));
        QVERIFY(fetches >= 4); // B needed a read of its own
    }

    void topLevelResourceSharesTheExpansionTable() {
        auto f = synced(60, true);
        QVERIFY(f);
        const QString db = f->sqlite.first();
        QStringList diff = listingDifferences(*f->server, db);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));

        // A photo added without touching its listing: only the Media resource sees it.
        const QString parent = parentsWith(*f->server, 2).first();
        const QStringList before = serverMedia(*f->server).value(parent);
        const QString added = f->server->addChild(QStringLiteral("Media"), parent);
        QVERIFY(!added.isEmpty());
        CliResult sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        const QVariantMap row = mediaRow(db, added);
        QVERIFY2(!row.isEmpty(), "the Media resource's sync stores the new photo");
        QCOMPARE(row.value(QStringLiteral("ResourceRecordKey")).toString(), parent);
        QVERIFY(row.value(QStringLiteral("ListingKey")).isNull()); // its parent was not synced
        QCOMPARE(childrenHeld(db, parent), before.size());         // and still holds its own

        // The listing synced again replaces its children: the new one is adopted, a removed one goes.
        QVERIFY(f->server->removeChild(QStringLiteral("Media"), before.first()));
        QVERIFY(!f->server->touchRecord(QStringLiteral("Property"), parent).isEmpty());
        sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QCOMPARE(mediaRow(db, added).value(QStringLiteral("ListingKey")).toString(), parent);
        QVERIFY(mediaRow(db, before.first()).isEmpty());
        diff = listingDifferences(*f->server, db);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void purgeLeavesOwnedRowsToTheirParent() {
        auto f = synced(60, true);
        QVERIFY(f);
        const QString db = f->sqlite.first();
        const QStringList parents = parentsWith(*f->server, 2);
        QVERIFY(parents.size() >= 2);
        // A photo only the Media resource stored, and a photo its listing owns, both deleted on
        // the server without touching their listings.
        const QString orphan = f->server->addChild(QStringLiteral("Media"), parents.at(0));
        CliResult sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QVERIFY(!mediaRow(db, orphan).isEmpty());
        const QString owned = serverMedia(*f->server).value(parents.at(1)).first();
        QVERIFY(f->server->removeChild(QStringLiteral("Media"), orphan));
        QVERIFY(f->server->removeChild(QStringLiteral("Media"), owned));

        const CliResult purge = f->run(QStringLiteral("purge"));
        QVERIFY2(purge.exitCode == 0, purge.err.constData());
        QVERIFY2(mediaRow(db, orphan).isEmpty(), "a row no parent holds is purged");
        QVERIFY2(!mediaRow(db, owned).isEmpty(), "a row its parent holds is left to the parent");

        // Reconcile of the listing finds its child set changed and replaces it.
        const CliResult reconcile = f->run(QStringLiteral("reconcile"));
        QVERIFY2(reconcile.exitCode == 0, reconcile.err.constData());
        QVERIFY(mediaRow(db, owned).isEmpty());
        const QStringList diff = listingDifferences(*f->server, db);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void reconcileComparesChildrenByKeyAndTimestamp() {
        auto f = synced(90, false, 2);
        QVERIFY(f);
        const QStringList parents = parentsWith(*f->server, 2);
        QVERIFY(parents.size() >= 4);
        const auto media = serverMedia(*f->server);
        // A child added, one removed, one with another timestamp, and every child of a fourth
        // listing removed; no listing's ModificationTimestamp moves.
        const QString added = f->server->addChild(QStringLiteral("Media"), parents.at(0));
        QVERIFY(f->server->removeChild(QStringLiteral("Media"), media.value(parents.at(1)).first()));
        QVERIFY(f->server->setTimestamp(QStringLiteral("Media"), media.value(parents.at(2)).first(),
                                        QStringLiteral("2021-03-04T05:06:07.890Z")));
        for (const QString& key : media.value(parents.at(3)))
            QVERIFY(f->server->removeChild(QStringLiteral("Media"), key));

        const CliResult sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QVERIFY2(mediaRow(f->sqlite.first(), added).isEmpty(), "a Property sync cannot see the new child");
        QVERIFY(!listingDifferences(*f->server, f->sqlite.first()).isEmpty());

        f->server->clearRequestLog();
        const CliResult reconcile = f->run(QStringLiteral("reconcile"));
        QVERIFY2(reconcile.exitCode == 0, reconcile.err.constData());
        QVERIFY2(reconcile.err.contains("4 missing or stale records fetched"), reconcile.err.constData());
        for (const QString& path : std::as_const(f->sqlite)) {
            const QStringList diff = listingDifferences(*f->server, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        bool expanded = false;
        for (const QString& target : f->server->requestLog())
            if (QUrl::fromPercentEncoding(target.toUtf8())
                    .contains(QStringLiteral("$expand=Media($select=MediaKey,ModificationTimestamp)")))
                expanded = true;
        QVERIFY2(expanded, "the key download carries each listing's Media keys and timestamps");

        const CliResult again = f->run(QStringLiteral("reconcile"));
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.err.contains(" 0 missing or stale"), again.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestChildren)
#include "tst_children.moc"
