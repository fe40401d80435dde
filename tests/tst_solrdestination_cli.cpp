// The real openresync-cli with Solr as a source's only (hence first) destination, against the
// fake RESO server and the fake Solr (tests/fakesolr): sync, incremental sync, purge, reconcile,
// status and record end to end.
#include "CliFixture.h"
#include "FakeSolrServer.h"

#include "diff/KeyRecord.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

QString instant(const QJsonValue& value) {
    const auto ms = KeyRecord::timestampMsecs(value.toString().toUtf8());
    return ms ? QString::number(*ms) : value.toString();
}

// Differences between the fake Solr's cores and the server: keys, timestamps, a few values, and
// each Media document's parent.
QStringList differences(const fake::FakeResoServer& server, const fake::FakeSolrServer& solr) {
    QStringList out;
    auto compare = [&](const QString& resource, const QString& keyField, const QString& parentField) {
        QHash<QString, QJsonObject> stored;
        for (const QJsonObject& doc : solr.documents(resource))
            stored.insert(doc.value(keyField).toString(), doc);
        const QJsonArray records = server.records(resource);
        if (records.size() != stored.size())
            out.append(QStringLiteral("%1: %2 on the server, %3 in Solr")
                           .arg(resource)
                           .arg(records.size())
                           .arg(stored.size()));
        for (const QJsonValue& value : records) {
            const QJsonObject record = value.toObject();
            const QString key = record.value(keyField).toString();
            const QJsonObject doc = stored.value(key);
            if (doc.isEmpty()) {
                out.append(QStringLiteral("%1 %2: missing").arg(resource, key));
                continue;
            }
            if (doc.value(QStringLiteral("id")).toString() != key)
                out.append(QStringLiteral("%1 %2: id %3")
                               .arg(resource, key, doc.value(QStringLiteral("id")).toString()));
            if (instant(doc.value(QStringLiteral("ModificationTimestamp"))) !=
                instant(record.value(QStringLiteral("ModificationTimestamp"))))
                out.append(QStringLiteral("%1 %2: ModificationTimestamp %3, server %4")
                               .arg(resource, key,
                                    doc.value(QStringLiteral("ModificationTimestamp")).toString(),
                                    record.value(QStringLiteral("ModificationTimestamp")).toString()));
            if (!parentField.isEmpty() &&
                doc.value(QStringLiteral("ListingKey")).toString() != record.value(parentField).toString())
                out.append(QStringLiteral("%1 %2: parent %3")
                               .arg(resource, key, doc.value(QStringLiteral("ListingKey")).toString()));
            const QJsonValue price = record.value(QStringLiteral("ListPrice"));
            if (price.isDouble() && doc.value(QStringLiteral("ListPrice")).toDouble() != price.toDouble())
                out.append(QStringLiteral("%1 %2: ListPrice").arg(resource, key));
        }
    };
    compare(QStringLiteral("Property"), QStringLiteral("ListingKey"), {});
    compare(QStringLiteral("Media"), QStringLiteral("MediaKey"), QStringLiteral("ResourceRecordKey"));
    compare(QStringLiteral("Member"), QStringLiteral("MemberKey"), {});
    return out.mid(0, 20);
}

} // namespace

class TestSolrDestinationCli : public QObject {
    Q_OBJECT

private:
    struct Fixture : CliFixture {
        fake::FakeSolrServer solr;
    };

    std::unique_ptr<Fixture> fixture(const QJsonObject& destinationKeys = {}) {
        auto f = std::make_unique<Fixture>();
        fake::ServerOptions options;
        options.listingCount = 150;
        options.memberCount = 20;
        options.trickyKeys = true;
        options.maxPageSize = 40;
        if (!f->startServer(options) || !f->solr.start())
            return nullptr;
        for (const char* core : {"Property", "Media", "Member"})
            f->solr.createCore(QString::fromLatin1(core));
        writeSource(*f, destinationKeys);
        return f;
    }

    // `source` with these keys set on its (only) destination.
    static QJsonObject withDestinationKeys(QJsonObject source, const QJsonObject& keys) {
        QJsonArray destinations = source.value(QStringLiteral("destinations")).toArray();
        QJsonObject destination = destinations.at(0).toObject();
        for (auto it = keys.begin(); it != keys.end(); ++it)
            destination.insert(it.key(), it.value());
        destinations.replace(0, destination);
        source.insert(QStringLiteral("destinations"), destinations);
        return source;
    }

    void writeSource(Fixture& f, const QJsonObject& destinationKeys) const {
        QJsonObject source = sourceConfig(QStringLiteral("mls"), f.server->serviceUrl(), {}, 40);
        source.insert(QStringLiteral("destinations"),
                      QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("search")},
                                             {QStringLiteral("type"), QStringLiteral("solr")},
                                             {QStringLiteral("url"), f.solr.baseUrl()},
                                             {QStringLiteral("commitWithinMs"), 300}}});
        f.writeSource(withDestinationKeys(source, destinationKeys));
    }

    static int schemaPosts(const Fixture& f) {
        int posts = 0;
        for (const auto& r : f.solr.requests())
            posts += r.path == QLatin1String("schema") && r.method == QLatin1String("POST");
        return posts;
    }

    // What the next process reads is what Solr has committed: wait for commitWithin to pass.
    static bool committed(const Fixture& f) {
        for (const char* core : {"Property", "Media", "Member"}) {
            const QString name = QString::fromLatin1(core);
            if (f.solr.searchableCount(name) != f.solr.documents(name).size())
                return false;
        }
        return true;
    }

private Q_SLOTS:
    void syncPurgeReconcile() {
        auto f = fixture();
        QVERIFY(f);
        const CliResult sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        // Nothing set aside: every value of the fake MLS fits its Solr field.
        QVERIFY2(!sync.err.contains("set aside"),
                 f->cli({QStringLiteral("rejected"), QStringLiteral("mls")}).out.left(3000).constData());
        QStringList diff = differences(*f->server, f->solr);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        QCOMPARE(f->solr.fields(QStringLiteral("Property"))
                     .value(QStringLiteral("ModificationTimestamp"))
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("pdate"));
        // No commit per page: the only commits are Solr's own, after commitWithin.
        QCOMPARE(f->solr.explicitCommits(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(committed(*f), 10000);

        // Incremental: changed and added records only.
        f->server->changeRecords(0.1);
        f->server->addRecords(4);
        f->solr.clearRequests();
        const CliResult again = f->run(QStringLiteral("sync"));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        diff = differences(*f->server, f->solr);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        QTRY_VERIFY_WITH_TIMEOUT(committed(*f), 10000);

        // status reads counts and the newest timestamp from Solr.
        const CliResult status = f->cli({QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY2(status.exitCode == 0, status.err.constData());
        const QJsonObject property =
            QJsonDocument::fromJson(status.out)
                .object()[QStringLiteral("sources")][0][QStringLiteral("resources")][0]
                .toObject();
        const qint64 mlsCount = f->server->records(QStringLiteral("Property")).size();
        const QJsonObject search = property[QStringLiteral("destinations")][0].toObject();
        QCOMPARE(search[QStringLiteral("count")].toInteger(), mlsCount);
        QVERIFY2(search[QStringLiteral("newestMatches")].toBool(), status.out.constData());

        // Purge: records deleted on the MLS go from Solr, with their Media.
        f->server->deleteRecords(3);
        const CliResult purge = f->run(QStringLiteral("purge"));
        QVERIFY2(purge.exitCode == 0, purge.err.constData());
        diff = differences(*f->server, f->solr);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        QTRY_VERIFY_WITH_TIMEOUT(committed(*f), 10000);

        // Reconcile: documents lost behind the program's back come back, Media included.
        const QJsonArray records = f->server->records(QStringLiteral("Property"));
        QStringList lost;
        for (const QJsonValue& r : records) {
            const QString key = r.toObject().value(QStringLiteral("ListingKey")).toString();
            if (lost.size() < 3 &&
                (key.contains(QLatin1Char('\'')) || key.toUtf8().size() != key.size() || lost.isEmpty()))
                lost.append(key);
        }
        QVERIFY(!lost.isEmpty());
        for (const QString& key : lost)
            f->solr.deleteDocument(QStringLiteral("Property"), key);
        const QJsonObject aMedia = f->solr.documents(QStringLiteral("Media")).first();
        f->solr.deleteDocument(QStringLiteral("Media"), aMedia.value(QStringLiteral("id")).toString());
        QVERIFY(!differences(*f->server, f->solr).isEmpty());
        const CliResult reconcile = f->run(QStringLiteral("reconcile"));
        QVERIFY2(reconcile.exitCode == 0, reconcile.err.constData());
        diff = differences(*f->server, f->solr);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));

        // record: the stored document beside the MLS's.
        QTRY_VERIFY_WITH_TIMEOUT(committed(*f), 10000);
        const CliResult record = f->cli({QStringLiteral("record"), QStringLiteral("mls"),
                                         QStringLiteral("Property"), lost.first(), QStringLiteral("--json")});
        QVERIFY2(record.exitCode == 0 || record.exitCode == 1, record.err.constData());
        const QJsonObject answer = QJsonDocument::fromJson(record.out).object();
        const QJsonObject destination = answer[QStringLiteral("destinations")][0].toObject();
        QVERIFY2(destination[QStringLiteral("status")].toString() != QStringLiteral("missing"),
                 record.out.constData());
        QVERIFY2(destination[QStringLiteral("error")].toString().isEmpty(), record.out.constData());
    }

    // Solr down during a sync: the run fails naming the URL, and the next run completes.
    void solrDownThenBack() {
        auto f = fixture();
        QVERIFY(f);
        f->solr.injectFault({QStringLiteral("Property"), QStringLiteral("update"), 500,
                             QStringLiteral("Error opening new searcher"), 100});
        const CliResult failed = f->run(QStringLiteral("sync"));
        QVERIFY(failed.exitCode != 0);
        QVERIFY2(failed.err.contains("Error opening new searcher"), failed.err.constData());
        QVERIFY2(failed.err.contains(f->solr.baseUrl().toUtf8()), failed.err.constData());
        f->solr.clearFaults();
        const CliResult retried = f->run(QStringLiteral("sync"));
        QVERIFY2(retried.exitCode == 0, retried.err.constData());
        const QStringList diff = differences(*f->server, f->solr);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    // manageSchema: false on Solr: `validate` accepts it; a sync against cores without the fields
    // fails naming the missing fields of every core and adds none; once the fields exist (made
    // here by a managed sync, as a user would by hand), the unmanaged sync checks them under the
    // mapped names and writes without touching the schema.
    void unmanagedSchema() {
        const QJsonObject unmanaged{
            {QStringLiteral("manageSchema"), false},
            {QStringLiteral("rename"), QJsonObject{{QStringLiteral("ListPrice"), QStringLiteral("Price")}}}};
        auto f = fixture(unmanaged);
        QVERIFY(f);
        const CliResult validate = f->cli({QStringLiteral("validate")});
        QVERIFY2(validate.exitCode == 0, QByteArray(validate.out + validate.err).constData());
        QVERIFY2(!validate.err.contains("manageSchema") && !validate.out.contains("manageSchema"),
                 QByteArray(validate.out + validate.err).constData());

        const CliResult bare = f->run(QStringLiteral("sync"));
        QCOMPARE(bare.exitCode, 1);
        const QByteArray unmanagedText = "destination search (solr " + f->solr.baseUrl().toUtf8() +
                                         ") does not manage its schema (manageSchema: false)";
        QVERIFY2(bare.err.contains(unmanagedText), bare.err.constData());
        QVERIFY2(bare.err.contains("core Property lacks the fields ListingKey,"), bare.err.constData());
        QVERIFY2(bare.err.contains(", Price,") || bare.err.contains(", Price;"), bare.err.constData());
        QVERIFY2(bare.err.contains("core Media lacks the fields MediaKey,"), bare.err.constData());
        QVERIFY2(bare.err.contains("core Member lacks the fields MemberKey,"), bare.err.constData());
        QCOMPARE(schemaPosts(*f), 0);
        for (const char* core : {"Property", "Media", "Member"}) {
            QCOMPARE(f->solr.fields(QString::fromLatin1(core)).size(), 4); // the configset's own
            QVERIFY(f->solr.documents(QString::fromLatin1(core)).isEmpty());
        }

        // The cores get their fields (a managed sync adds them, under the MLS's names).
        writeSource(*f, {});
        const CliResult managed = f->run(QStringLiteral("sync"));
        QVERIFY2(managed.exitCode == 0, managed.err.constData());
        QVERIFY(schemaPosts(*f) > 0);

        // Unmanaged again: the renamed field is the one thing missing.
        writeSource(*f, unmanaged);
        f->solr.clearRequests();
        f->server->changeRecords(0.1);
        const CliResult missing = f->run(QStringLiteral("sync"));
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains("core Property lacks the fields Price; create them"),
                 missing.err.constData());
        QVERIFY2(!missing.err.contains("core Media") && !missing.err.contains("core Member"),
                 missing.err.constData());
        QCOMPARE(schemaPosts(*f), 0);

        f->solr.addField(QStringLiteral("Property"), QStringLiteral("Price"), QStringLiteral("pdouble"));
        const CliResult passes = f->run(QStringLiteral("sync"));
        QVERIFY2(passes.exitCode == 0, passes.err.constData());
        QCOMPARE(schemaPosts(*f), 0);
        int priced = 0;
        for (const QJsonValue& value : f->server->records(QStringLiteral("Property"))) {
            const QJsonObject record = value.toObject();
            const QJsonObject doc = f->solr.document(QStringLiteral("Property"),
                                                     record.value(QStringLiteral("ListingKey")).toString());
            if (!doc.contains(QStringLiteral("Price")))
                continue;
            ++priced;
            QCOMPARE(doc.value(QStringLiteral("Price")).toDouble(),
                     record.value(QStringLiteral("ListPrice")).toDouble());
        }
        QVERIFY(priced >= 10); // the changed listings, written under the mapped name
    }
};

QTEST_GUILESS_MAIN(TestSolrDestinationCli)
#include "tst_solrdestination_cli.moc"
