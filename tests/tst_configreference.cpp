// docs/configuration.md against the code: the set of key paths its tables document equals the set
// ConfigValidator accepts, both ways. The accepted set comes from the validator itself
// (knownKeys(), filled from the lists that decide which keys are unknown) while it validates
// configurations that take every branch: each destination, auth, stats and alert channel type.
#include "TestSupport.h"

#include "config/ConfigValidator.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace ors;

namespace {

QJsonObject sqlServer(const QString& type, const QString& caFile) {
    QJsonObject object{
        {QStringLiteral("type"), type},
        {QStringLiteral("host"), QStringLiteral("db.example.com")},
        {QStringLiteral("port"), 3306},
        {QStringLiteral("database"), QStringLiteral("mls")},
        {QStringLiteral("user"), QStringLiteral("ors")},
        {QStringLiteral("password"), QStringLiteral("env:DB_PASSWORD")},
        {QStringLiteral("tls"), QJsonObject{{QStringLiteral("mode"), QStringLiteral("verify-ca")},
                                            {QStringLiteral("ca"), caFile},
                                            {QStringLiteral("cert"), caFile},
                                            {QStringLiteral("key"), caFile}}}};
    if (type == QLatin1String("postgresql"))
        object.insert(QStringLiteral("schema"), QStringLiteral("mls"));
    return object;
}

QJsonObject source(const QString& name, const QJsonObject& auth, const QJsonArray& destinations,
                   const QString& caFile) {
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("platform"), QStringLiteral("generic")},
        {QStringLiteral("serviceUrl"), QStringLiteral("https://reso.example.com/odata")},
        {QStringLiteral("metadataUrl"), QStringLiteral("https://reso.example.com/odata/$metadata")},
        {QStringLiteral("auth"), auth},
        {QStringLiteral("pageSize"), 500},
        {QStringLiteral("timeoutSeconds"), 60},
        {QStringLiteral("maxPageMegabytes"), 64},
        {QStringLiteral("originatingSystemName"), QStringLiteral("demo")},
        {QStringLiteral("onBadRecord"), QStringLiteral("fail")},
        {QStringLiteral("allowedHosts"), QJsonArray{QStringLiteral("media.example.com")}},
        {QStringLiteral("tls"), QJsonObject{{QStringLiteral("ca"), caFile}}},
        {QStringLiteral("resources"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")},
                                {QStringLiteral("filter"), QStringLiteral("StandardStatus eq 'Active'")},
                                {QStringLiteral("select"), QJsonArray{QStringLiteral("ListingKey")}},
                                {QStringLiteral("expand"),
                                 QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Media")},
                                                        {QStringLiteral("owned"), true}}}}}}},
        {QStringLiteral("destinations"), destinations},
        {QStringLiteral("schedules"),
         QJsonObject{{QStringLiteral("sync"), QJsonArray{QStringLiteral("*/15 * * * *")}},
                     {QStringLiteral("purge"), QJsonArray{QStringLiteral("0 3 * * *")}},
                     {QStringLiteral("reconcile"), QJsonArray{QStringLiteral("0 4 * * 0")}},
                     {QStringLiteral("timeZone"), QStringLiteral("UTC")},
                     {QStringLiteral("catchUp"), true}}},
        {QStringLiteral("purge"), QJsonObject{{QStringLiteral("maxDeletes"), 10},
                                              {QStringLiteral("maxDeletePercent"), 2},
                                              {QStringLiteral("maxKeyListAgeMinutes"), 30}}},
        {QStringLiteral("profile"),
         QJsonObject{
             {QStringLiteral("replication"), QStringLiteral("plain")},
             {QStringLiteral("replicationUrl"), QStringLiteral("https://replication.example.com/odata")},
             {QStringLiteral("maxPageSize"), 1000},
             {QStringLiteral("maxPageSizeWithExpand"), 100},
             {QStringLiteral("maxKeyPageSize"), 5000},
             {QStringLiteral("orderBy"), true},
             {QStringLiteral("topIsPageSize"), true},
             {QStringLiteral("count"), true},
             {QStringLiteral("mlgCanView"), false},
             {QStringLiteral("keyListStyle"), QStringLiteral("in")},
             {QStringLiteral("maxUrlLength"), 4096},
             {QStringLiteral("overlapMinutes"), 5},
             {QStringLiteral("excludeFields"), QJsonArray{QStringLiteral("Big")}},
             {QStringLiteral("keyFields"),
              QJsonObject{{QStringLiteral("Property"), QStringLiteral("ListingKey")}}},
             {QStringLiteral("headers"), QJsonObject{{QStringLiteral("X-Test"), QStringLiteral("1")}}}}},
        {QStringLiteral("rateLimit"), QJsonObject{{QStringLiteral("perSecond"), 2},
                                                  {QStringLiteral("perMinute"), 60},
                                                  {QStringLiteral("perHour"), 3600},
                                                  {QStringLiteral("perDay"), 40000},
                                                  {QStringLiteral("bytesPerHour"), 1000000}}}};
}

QJsonArray allDestinations(const QString& caFile) {
    QJsonObject sqlite{
        {QStringLiteral("name"), QStringLiteral("lite")},
        {QStringLiteral("type"), QStringLiteral("sqlite")},
        {QStringLiteral("path"), QStringLiteral("mls.sqlite")},
        {QStringLiteral("tablePrefix"), QStringLiteral("mls_")},
        {QStringLiteral("tableName"), QStringLiteral("{source}_{resource}")},
        {QStringLiteral("columnCase"), QStringLiteral("snake_case")},
        {QStringLiteral("rename"), QJsonObject{{QStringLiteral("ListPrice"), QStringLiteral("price")}}},
        {QStringLiteral("drop"), QJsonArray{QStringLiteral("PublicRemarks")}},
        {QStringLiteral("stripKeyPrefix"), true},
        {QStringLiteral("copyParentFields"), QJsonArray{QStringLiteral("ListingId")}},
        {QStringLiteral("manageSchema"), true}};
    QJsonObject mysql = sqlServer(QStringLiteral("mysql"), caFile);
    mysql.insert(QStringLiteral("name"), QStringLiteral("my"));
    mysql.insert(QStringLiteral("overflowBudget"), 8000);
    mysql.insert(QStringLiteral("overflowFields"), QJsonArray{QStringLiteral("PublicRemarks")});
    QJsonObject postgres = sqlServer(QStringLiteral("postgresql"), caFile);
    postgres.insert(QStringLiteral("name"), QStringLiteral("pg"));
    postgres.insert(QStringLiteral("overflowBudget"), 7900);
    postgres.insert(QStringLiteral("overflowFields"), QJsonArray{QStringLiteral("PublicRemarks")});
    QJsonObject solr{{QStringLiteral("name"), QStringLiteral("search")},
                     {QStringLiteral("type"), QStringLiteral("solr")},
                     {QStringLiteral("url"), QStringLiteral("https://solr.example.com/solr")},
                     {QStringLiteral("core"), QStringLiteral("mls_{table}")},
                     {QStringLiteral("commitWithinMs"), 5000},
                     {QStringLiteral("user"), QStringLiteral("solr")},
                     {QStringLiteral("password"), QStringLiteral("env:SOLR_PASSWORD")}};
    return QJsonArray{sqlite, mysql, postgres, solr};
}

QJsonObject alerts(const QString& caFile) {
    return QJsonObject{
        {QStringLiteral("failuresInARow"), 3},
        {QStringLiteral("maxSyncAgeMinutes"), 120},
        {QStringLiteral("quotaPercent"), 90},
        {QStringLiteral("channels"),
         QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("desktop")},
                                {QStringLiteral("name"), QStringLiteral("popup")}},
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("webhook")},
                                {QStringLiteral("url"), QStringLiteral("env:HOOK_URL")},
                                {QStringLiteral("timeoutSeconds"), 10}},
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("email")},
                                {QStringLiteral("server"), QStringLiteral("smtps://mail.example.com")},
                                {QStringLiteral("from"), QStringLiteral("ors@example.com")},
                                {QStringLiteral("to"), QJsonArray{QStringLiteral("ops@example.com")}},
                                {QStringLiteral("username"), QStringLiteral("ors")},
                                {QStringLiteral("password"), QStringLiteral("env:SMTP_PASSWORD")},
                                {QStringLiteral("caFile"), caFile},
                                {QStringLiteral("timeoutSeconds"), 10}},
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("command")},
                                {QStringLiteral("program"), QStringLiteral("/bin/true")},
                                {QStringLiteral("args"), QJsonArray{QStringLiteral("x")}},
                                {QStringLiteral("timeoutSeconds"), 10}}}}};
}

// "pattern.key" for every key the validator accepted; the top level's keys bare.
QSet<QString> keyPaths(const QMap<QString, QStringList>& known) {
    QSet<QString> paths;
    for (auto it = known.begin(); it != known.end(); ++it)
        for (const QString& key : it.value())
            paths.insert(it.key().isEmpty() ? key : QString(it.key() + QLatin1Char('.') + key));
    return paths;
}

QString listed(QSet<QString> paths) {
    QStringList sorted(paths.begin(), paths.end());
    sorted.sort();
    return sorted.join(QStringLiteral("\n  "));
}

} // namespace

class TestConfigReference : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void documentedKeysAreTheAcceptedKeys();
    void commentKeysAreIgnored();
};

void TestConfigReference::documentedKeysAreTheAcceptedKeys() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString caFile = dir.filePath(QStringLiteral("ca.pem"));
    QFile ca(caFile);
    QVERIFY(ca.open(QIODevice::WriteOnly));
    ca.write("not checked at load\n");
    ca.close();

    QSet<QString> accepted;
    // stats takes one type per configuration, and a source one auth type: a configuration per branch.
    const QList<std::pair<QString, QJsonObject>> branches{
        {QStringLiteral("mysql"), QJsonObject{{QStringLiteral("type"), QStringLiteral("none")}}},
        {QStringLiteral("postgresql"), QJsonObject{{QStringLiteral("type"), QStringLiteral("bearer")},
                                                   {QStringLiteral("token"), QStringLiteral("env:TOKEN")},
                                                   {QStringLiteral("sendAs"), QStringLiteral("query")}}},
        {QStringLiteral("mysql"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("oauth2")},
                     {QStringLiteral("tokenUrl"), QStringLiteral("https://reso.example.com/token")},
                     {QStringLiteral("grantType"), QStringLiteral("password")},
                     {QStringLiteral("clientId"), QStringLiteral("id")},
                     {QStringLiteral("clientSecret"), QStringLiteral("env:SECRET")},
                     {QStringLiteral("username"), QStringLiteral("me")},
                     {QStringLiteral("password"), QStringLiteral("env:PASSWORD")},
                     {QStringLiteral("scope"), QStringLiteral("api")}}}};
    for (const auto& [statsType, auth] : branches) {
        const QJsonObject root{
            {QStringLiteral("version"), 1},
            {QStringLiteral("dataDir"), dir.filePath(QStringLiteral("data"))},
            {QStringLiteral("timeZone"), QStringLiteral("UTC")},
            {QStringLiteral("maxConcurrentJobs"), 2},
            {QStringLiteral("logs"), QJsonObject{{QStringLiteral("maxSizeMB"), 5},
                                                 {QStringLiteral("keep"), 3},
                                                 {QStringLiteral("retentionDays"), 7}}},
            {QStringLiteral("stats"), sqlServer(statsType, caFile)},
            {QStringLiteral("sources"),
             QJsonArray{source(QStringLiteral("demo"), auth, allDestinations(caFile), caFile)}},
            {QStringLiteral("alerts"), alerts(caFile)}};
        ConfigValidator validator;
        validator.setBaseDirectory(dir.path());
        const auto config = validator.validate(root);
        QVERIFY2(config, qPrintable(validator.errors().join(QLatin1Char('\n'))));
        accepted += keyPaths(validator.knownKeys());
    }
    // The types the branches must have reached, so a validator that stopped recording one fails.
    for (const char* pattern :
         {"sources[].destinations[]{sqlite}.path", "sources[].destinations[]{mysql}.host",
          "sources[].destinations[]{postgresql}.schema", "sources[].destinations[]{solr}.core",
          "sources[].auth{none}.type", "sources[].auth{bearer}.sendAs", "sources[].auth{oauth2}.tokenUrl",
          "stats{mysql}.host", "stats{postgresql}.schema", "alerts.channels[]{desktop}.name",
          "alerts.channels[]{webhook}.url", "alerts.channels[]{email}.server",
          "alerts.channels[]{command}.program", "sources[].schedules.reconcile",
          "sources[].destinations[].tablePrefix"})
        QVERIFY2(accepted.contains(QLatin1String(pattern)), pattern);

    QFile doc(test::sourcePath(QStringLiteral("docs/configuration.md")));
    QVERIFY2(doc.open(QIODevice::ReadOnly), qPrintable(doc.fileName()));
    // A table row's first cell: the key path in backticks.
    static const QRegularExpression row(QStringLiteral("^\\| `([^`]+)` \\|"),
                                        QRegularExpression::MultilineOption);
    QSet<QString> documented;
    for (auto it = row.globalMatch(QString::fromUtf8(doc.readAll())); it.hasNext();)
        documented.insert(it.next().captured(1));

    const QSet<QString> undocumented = accepted - documented;
    const QSet<QString> unknown = documented - accepted;
    // QVERIFY2 cuts long messages: the whole lists go to the log first.
    if (!undocumented.isEmpty())
        qWarning().noquote() << "missing from docs/configuration.md:\n " << listed(undocumented);
    if (!unknown.isEmpty())
        qWarning().noquote() << "documented but not accepted:\n " << listed(unknown);
    QVERIFY2(
        undocumented.isEmpty(),
        qPrintable(QStringLiteral("accepted by ConfigValidator, missing from docs/configuration.md:\n  ") +
                   listed(undocumented)));
    QVERIFY2(unknown.isEmpty(),
             qPrintable(QStringLiteral("in docs/configuration.md, not accepted by ConfigValidator:\n  ") +
                        listed(unknown)));
}

// "//" keys are comments in any object, silently: no warning, no error, no effect.
void TestConfigReference::commentKeysAreIgnored() {
    const QJsonObject note{{QStringLiteral("//"), QJsonArray{QStringLiteral("a comment")}}};
    QJsonObject destination{{QStringLiteral("//"), QStringLiteral("x")},
                            {QStringLiteral("name"), QStringLiteral("local")},
                            {QStringLiteral("type"), QStringLiteral("sqlite")},
                            {QStringLiteral("rename"), note}};
    QJsonObject schedules = note;
    schedules.insert(QStringLiteral("sync"), QJsonArray{QStringLiteral("*/5 * * * *")});
    QJsonObject profile{{QStringLiteral("//"), QStringLiteral("x")}, {QStringLiteral("headers"), note}};
    const QJsonObject root{
        {QStringLiteral("//"), QStringLiteral("top")},
        {QStringLiteral("sources"),
         QJsonArray{QJsonObject{
             {QStringLiteral("//"), QStringLiteral("x")},
             {QStringLiteral("name"), QStringLiteral("demo")},
             {QStringLiteral("platform"), QStringLiteral("generic")},
             {QStringLiteral("serviceUrl"), QStringLiteral("https://reso.example.com/odata")},
             {QStringLiteral("auth"), QJsonObject{{QStringLiteral("//"), QStringLiteral("x")},
                                                  {QStringLiteral("type"), QStringLiteral("none")}}},
             {QStringLiteral("resources"),
              QJsonArray{QJsonObject{{QStringLiteral("//"), QStringLiteral("x")},
                                     {QStringLiteral("name"), QStringLiteral("Property")}}}},
             {QStringLiteral("destinations"), QJsonArray{destination}},
             {QStringLiteral("schedules"), schedules},
             {QStringLiteral("profile"), profile}}}},
        {QStringLiteral("alerts"), QJsonObject{{QStringLiteral("//"), QStringLiteral("x")},
                                               {QStringLiteral("channels"), QJsonArray{}}}}};
    ConfigValidator validator;
    const auto config = validator.validate(root);
    QVERIFY2(config, qPrintable(validator.errors().join(QLatin1Char('\n'))));
    QCOMPARE(validator.warnings(), QStringList());
    QVERIFY(config->sources.at(0).destinations.at(0).mapping.rename.isEmpty());
    QVERIFY(config->sources.at(0).profile.headers.isEmpty());
    QCOMPARE(config->sources.at(0).schedules.sync, QStringList{QStringLiteral("*/5 * * * *")});

    // The same key under another name is still a stranger.
    ConfigValidator strict;
    QVERIFY(strict.validate(QJsonObject{{QStringLiteral("/"), 1},
                                        {QStringLiteral("sources"), root.value(QStringLiteral("sources"))}}));
    QCOMPARE(strict.warnings(), QStringList{QStringLiteral("/: unknown key, ignored")});
}

QTEST_GUILESS_MAIN(TestConfigReference)
#include "tst_configreference.moc"
