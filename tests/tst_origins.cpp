// Credentials go only to the hosts they belong to: the origin policy itself, the HTTP client's
// hand-followed redirects against fake servers on two loopback origins, nextLinks leaving the
// source's origin through the real openresync-cli, and a token-in-query (Bridge) sync that
// never writes the token anywhere.
#include "TestSupport.h"

#include "config/ConfigLoader.h"
#include "reso/AuthProvider.h"
#include "reso/HttpClient.h"
#include "reso/OriginPolicy.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

const QString kToken = QStringLiteral("tok-5f1e9a77c3d2b4e6");

OriginPolicy policyFor(const QStringList& urls, const QStringList& hosts = {}) {
    OriginPolicy policy;
    for (const QString& url : urls)
        policy.addConfiguredUrl(url);
    policy.setAllowedHosts(hosts);
    return policy;
}

fake::ServerOptions bearerServer(int listings = 30) {
    fake::ServerOptions options;
    options.listingCount = listings;
    options.auth = fake::AuthMode::Bearer;
    options.bearerToken = kToken;
    return options;
}

QJsonObject bearerAuth(bool inQuery) {
    QJsonObject auth{{QStringLiteral("type"), QStringLiteral("bearer")},
                     {QStringLiteral("token"), QStringLiteral("env:ORS_ORIGINS_TOKEN")}};
    if (inQuery)
        auth.insert(QStringLiteral("sendAs"), QStringLiteral("query"));
    return auth;
}

QProcessEnvironment tokenEnvironment() {
    QProcessEnvironment env = cliEnvironment();
    env.insert(QStringLiteral("ORS_ORIGINS_TOKEN"), kToken);
    env.insert(QStringLiteral("OPENRESYNC_RETRY_ATTEMPTS"), QStringLiteral("2"));
    return env;
}

// A source of Property only, without expansions, so the page count is easy to reason about.
QJsonObject propertySource(const QString& serviceUrl, const QString& sqlite, bool tokenInQuery) {
    QJsonObject source = sourceConfig(QStringLiteral("mls"), serviceUrl, {sqlite}, 10);
    source.insert(QStringLiteral("resources"),
                  QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")}}});
    source.insert(QStringLiteral("auth"), bearerAuth(tokenInQuery));
    return source;
}

bool carriesCredentials(const fake::FakeResoServer::SeenRequest& request) {
    return !request.authorization.isEmpty() || request.target.contains("access_token");
}

// A client as SourceContext sets it up: the bearer token, credentials for `configured` only.
struct Client {
    std::unique_ptr<AuthProvider> auth;
    std::unique_ptr<HttpClient> http;
};

Client clientFor(const QString& configured, bool tokenInQuery, const QStringList& allowedHosts = {}) {
    AuthConfig config;
    config.type = AuthType::Bearer;
    config.token = SecretRef::parse(kToken);
    config.sendAs = tokenInQuery ? TokenPlacement::Query : TokenPlacement::Header;
    Client client;
    client.auth = std::make_unique<AuthProvider>(config, QStringLiteral("sources[0].auth"));
    if (!client.auth->resolveSecrets())
        return client;
    RetryPolicy retry;
    retry.baseDelayMs = 10;
    retry.maxAttempts = 2;
    client.http = std::make_unique<HttpClient>(retry);
    client.http->setAuth(client.auth.get());
    client.http->setOriginPolicy(policyFor({configured}, allowedHosts));
    return client;
}

} // namespace

class TestOrigins : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // --- The policy ---------------------------------------------------------------------

    void originsCompareSchemeHostAndPort() {
        QCOMPARE(Origin::of(QUrl(QStringLiteral("https://API.Example.com/odata"))),
                 Origin::of(QUrl(QStringLiteral("https://api.example.com:443/x"))));
        QVERIFY(Origin::of(QUrl(QStringLiteral("https://api.example.com"))) !=
                Origin::of(QUrl(QStringLiteral("http://api.example.com"))));
        QVERIFY(Origin::of(QUrl(QStringLiteral("https://api.example.com"))) !=
                Origin::of(QUrl(QStringLiteral("https://api.example.com:8443"))));
        QCOMPARE(Origin::of(QUrl(QStringLiteral("https://api.example.com:443/a"))).text(),
                 QStringLiteral("https://api.example.com"));
        QCOMPARE(Origin::of(QUrl(QStringLiteral("http://127.0.0.1:8080/a"))).text(),
                 QStringLiteral("http://127.0.0.1:8080"));
    }

    void credentialsOnlyForConfiguredOriginsAndListedHosts_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("credentials");
        QTest::newRow("service") << QStringLiteral("https://api.mls.com/odata/Property") << true;
        QTest::newRow("service, default port written") << QStringLiteral("https://api.mls.com:443/x") << true;
        QTest::newRow("replication host") << QStringLiteral("https://repl.mls.com/odata/Property") << true;
        QTest::newRow("token host") << QStringLiteral("https://auth.mls.com/token") << true;
        QTest::newRow("service host over http") << QStringLiteral("http://api.mls.com/odata") << false;
        QTest::newRow("service host, other port")
            << QStringLiteral("https://api.mls.com:8443/odata") << false;
        QTest::newRow("other host") << QStringLiteral("https://evil.example.com/odata") << false;
        QTest::newRow("sub-domain of the service") << QStringLiteral("https://x.api.mls.com/odata") << false;
        QTest::newRow("listed host, any port") << QStringLiteral("https://media.mls.com:9443/p.jpg") << true;
        QTest::newRow("listed host over http") << QStringLiteral("http://media.mls.com/p.jpg") << true;
        QTest::newRow("ftp to the service host") << QStringLiteral("ftp://api.mls.com/odata") << false;
    }
    void credentialsOnlyForConfiguredOriginsAndListedHosts() {
        QFETCH(QString, url);
        QFETCH(bool, credentials);
        const OriginPolicy policy = policyFor({QStringLiteral("https://api.mls.com/odata"),
                                               QStringLiteral("https://repl.mls.com/odata"),
                                               QStringLiteral("https://auth.mls.com/oauth/token")},
                                              {QStringLiteral("media.mls.com")});
        QCOMPARE(policy.mayReceiveCredentials(QUrl(url)), credentials);
    }

    void nextLinkPolicy_data() {
        QTest::addColumn<QString>("page");
        QTest::addColumn<QString>("link");
        QTest::addColumn<QString>("expected"); // the URL followed, or "!" + both origins in the error
        QTest::newRow("same origin") << QStringLiteral("https://api.mls.com/odata/Property?$top=5")
                                     << QStringLiteral("https://api.mls.com/odata/Property?$skiptoken=a")
                                     << QStringLiteral("https://api.mls.com/odata/Property?$skiptoken=a");
        QTest::newRow("relative") << QStringLiteral("https://api.mls.com/odata/Property?$top=5")
                                  << QStringLiteral("Property?$skiptoken=b")
                                  << QStringLiteral("https://api.mls.com/odata/Property?$skiptoken=b");
        QTest::newRow("access_token taken out")
            << QStringLiteral("https://api.mls.com/odata/Property/replication")
            << QStringLiteral(
                   "https://api.mls.com/odata/Property/replication?$skiptoken=c&access_token=s3cr3t")
            << QStringLiteral("https://api.mls.com/odata/Property/replication?$skiptoken=c");
        QTest::newRow("another configured origin")
            << QStringLiteral("https://api.mls.com/odata/Property")
            << QStringLiteral("https://repl.mls.com/odata/Property?x=1")
            << QStringLiteral("https://repl.mls.com/odata/Property?x=1");
        QTest::newRow("listed host") << QStringLiteral("https://api.mls.com/odata/Property")
                                     << QStringLiteral("https://media.mls.com:8443/odata/Property?x=2")
                                     << QStringLiteral("https://media.mls.com:8443/odata/Property?x=2");
        QTest::newRow("listed host, https to http")
            << QStringLiteral("https://api.mls.com/odata/Property")
            << QStringLiteral("http://media.mls.com/odata/Property?x=3")
            << QStringLiteral("http://media.mls.com/odata/Property?x=3");
        QTest::newRow("other host") << QStringLiteral("https://api.mls.com/odata/Property")
                                    << QStringLiteral("https://evil.example.com/odata/Property?x=4")
                                    << QStringLiteral(
                                           "!https://api.mls.com|https://evil.example.com|another origin");
        QTest::newRow("other port") << QStringLiteral("https://api.mls.com/odata/Property")
                                    << QStringLiteral("https://api.mls.com:8443/odata/Property?x=5")
                                    << QStringLiteral(
                                           "!https://api.mls.com|https://api.mls.com:8443|another origin");
        QTest::newRow("https to http, same host")
            << QStringLiteral("https://api.mls.com/odata/Property")
            << QStringLiteral("http://api.mls.com/odata/Property?x=6")
            << QStringLiteral("!https://api.mls.com|http://api.mls.com|plain http");
        QTest::newRow("https to http of a configured origin")
            << QStringLiteral("https://api.mls.com/odata/Property")
            << QStringLiteral("http://plain.mls.com/odata/Property?x=7")
            << QStringLiteral("!https://api.mls.com|http://plain.mls.com|plain http");
        QTest::newRow("not http") << QStringLiteral("https://api.mls.com/odata/Property")
                                  << QStringLiteral("file:///etc/passwd")
                                  << QStringLiteral("!https://api.mls.com|not an http(s) URL");
    }
    void nextLinkPolicy() {
        QFETCH(QString, page);
        QFETCH(QString, link);
        QFETCH(QString, expected);
        OriginPolicy policy = policyFor({QStringLiteral("https://api.mls.com/odata"),
                                         QStringLiteral("https://repl.mls.com/odata"),
                                         QStringLiteral("http://plain.mls.com/odata")},
                                        {QStringLiteral("media.mls.com")});
        policy.setAllowedHostsKey(QStringLiteral("the allowedHosts of source \"mls\""));
        const auto next = policy.followNextLink(QUrl(page), link);
        if (!expected.startsWith(QLatin1Char('!'))) {
            QVERIFY2(next, next ? "" : qPrintable(next.errorMessage()));
            QCOMPARE(QString::fromUtf8(next->toEncoded()), expected);
            return;
        }
        QVERIFY(!next);
        for (const QString& part : expected.mid(1).split(QLatin1Char('|')))
            QVERIFY2(next.errorMessage().contains(part), qPrintable(next.errorMessage()));
        if (!expected.contains(QLatin1String("not an http")))
            QVERIFY2(next.errorMessage().contains(QLatin1String("the allowedHosts of source \"mls\"")),
                     qPrintable(next.errorMessage()));
    }

    void accessTokenLeavesUrlsWithoutOtherChanges() {
        const QByteArray in =
            "https://x.com/odata/Property?$filter=ListPrice%20gt%205%20and%20City%20eq%20%27A%2BB%27"
            "&ACCESS_TOKEN=abc&$top=10&access_token=def";
        QCOMPARE(OriginPolicy::withoutAccessToken(QUrl::fromEncoded(in)).toEncoded(),
                 QByteArray(
                     "https://x.com/odata/Property?$filter=ListPrice%20gt%205%20and%20City%20eq%20%27A%2BB%27"
                     "&$top=10"));
        QCOMPARE(OriginPolicy::withoutAccessToken(QUrl(QStringLiteral("https://x.com/a?access_token=abc")))
                     .toEncoded(),
                 QByteArray("https://x.com/a"));
        const QUrl none(QStringLiteral("https://x.com/a?my_access_token=1"));
        QCOMPARE(OriginPolicy::withoutAccessToken(none), none);
    }

    void accessTokenLeavesStoredPages() {
        // Escaped slashes as some servers write them, a record whose text mentions the
        // parameter (data, left alone), and the link at the start and at the end.
        const QByteArray body =
            "{\"@odata.nextLink\" : "
            "\"https:\\/\\/x.com\\/odata\\/Property?$skiptoken=7&access_token=s3cr3t\","
            "\"value\":[{\"ListingKey\":\"1\",\"PublicRemarks\":\"see ?access_token=keep for "
            "\\\"@odata.nextLink\\\"\"}],"
            "\"@odata.nextLink\":\"https://x.com/odata/Property?access_token=s3cr3t&$skiptoken=8\"}";
        const QByteArray out = OriginPolicy::withoutAccessTokenInNextLinks(body);
        QVERIFY2(!out.contains("s3cr3t"), out.constData());
        QVERIFY2(out.contains("access_token=keep"), out.constData());
        QJsonParseError error;
        const QJsonObject json = QJsonDocument::fromJson(out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(json.value(QStringLiteral("@odata.nextLink")).toString(),
                 QStringLiteral("https://x.com/odata/Property?$skiptoken=8"));
        QCOMPARE(json.value(QStringLiteral("value"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("PublicRemarks")),
                 QJsonValue(QStringLiteral("see ?access_token=keep for \"@odata.nextLink\"")));
        QVERIFY(out.startsWith("{\"@odata.nextLink\" : \"https://x.com/odata/Property?$skiptoken=7\","));
        // Nothing to take out: the very same bytes.
        const QByteArray clean = "{\"value\":[],\"@odata.nextLink\":\"https:\\/\\/x.com\\/a?$skiptoken=1\"}";
        QCOMPARE(OriginPolicy::withoutAccessTokenInNextLinks(clean), clean);
    }

    void allowedHostsAreValidated_data() {
        QTest::addColumn<QByteArray>("hosts");
        QTest::addColumn<QStringList>("errors");
        QTest::addColumn<QStringList>("warnings");
        QTest::newRow("fine") << QByteArray("[\"media.mls.com\", \"CDN.MLS.COM\", \"10.0.0.5\", \"[::1]\"]")
                              << QStringList() << QStringList();
        QTest::newRow("not an array")
            << QByteArray("\"media.mls.com\"")
            << QStringList{QStringLiteral("sources[0].allowedHosts: must be an array")} << QStringList();
        QTest::newRow("bad entries")
            << QByteArray("[\"ok.mls.com\", 7, \"\", \"https://media.mls.com\", \"media.mls.com:443\", "
                          "\"*.mls.com\", "
                          "\"media.mls.com/path\", \"a b\"]")
            << QStringList{QStringLiteral(
                               "sources[0].allowedHosts[1]: must be a non-empty string, a host name"),
                           QStringLiteral(
                               "sources[0].allowedHosts[2]: must be a non-empty string, a host name"),
                           QStringLiteral(
                               "sources[0].allowedHosts[3]: \"https://media.mls.com\" is not a host name; "
                               "give "
                               "the host alone, without scheme, port or path (e.g. \"media.example.com\")"),
                           QStringLiteral(
                               "sources[0].allowedHosts[4]: \"media.mls.com:443\" is not a host name; give "
                               "the host alone, without scheme, port or path (e.g. \"media.example.com\")"),
                           QStringLiteral(
                               "sources[0].allowedHosts[5]: \"*.mls.com\": wildcards are not supported; list "
                               "each host"),
                           QStringLiteral(
                               "sources[0].allowedHosts[6]: \"media.mls.com/path\" is not a host name; give "
                               "the host alone, without scheme, port or path (e.g. \"media.example.com\")"),
                           QStringLiteral(
                               "sources[0].allowedHosts[7]: \"a b\" is not a host name; give the host alone, "
                               "without scheme, port or path (e.g. \"media.example.com\")")}
            << QStringList();
        QTest::newRow("listed twice")
            << QByteArray("[\"media.mls.com\", \"Media.MLS.com\"]") << QStringList()
            << QStringList{QStringLiteral("sources[0].allowedHosts[1]: \"Media.MLS.com\" is listed twice")};
    }
    void allowedHostsAreValidated() {
        QFETCH(QByteArray, hosts);
        QFETCH(QStringList, errors);
        QFETCH(QStringList, warnings);
        const QByteArray json =
            "{\"version\":1,\"sources\":[{\"name\":\"mls\",\"platform\":\"generic\", "
            "\"serviceUrl\":\"https://api.mls.com/odata\",\"resources\":[{\"name\":\"Property\"}], "
            "\"destinations\":[{\"name\":\"d\",\"type\":\"sqlite\"}],\"allowedHosts\":" +
            hosts + "}]}";
        const ConfigLoadResult result = ConfigLoader::loadJson(json, QStringLiteral("c.json"));
        QCOMPARE(result.errors, errors);
        QCOMPARE(result.warnings, warnings);
        if (errors.isEmpty() && warnings.isEmpty())
            QCOMPARE(result.config->sources.at(0).allowedHosts,
                     (QStringList{QStringLiteral("media.mls.com"), QStringLiteral("cdn.mls.com"),
                                  QStringLiteral("10.0.0.5"), QStringLiteral("::1")}));
    }

    // --- The HTTP client: credentials and redirects, over loopback --------------------------

    void credentialsStayOffOtherOrigins_data() {
        QTest::addColumn<bool>("inQuery");
        QTest::newRow("Authorization header") << false;
        QTest::newRow("access_token query parameter") << true;
    }
    void credentialsStayOffOtherOrigins() {
        QFETCH(bool, inQuery);
        fake::FakeResoServer mls(bearerServer());
        fake::FakeResoServer other{fake::ServerOptions{}};
        QVERIFY(mls.start() && other.start());
        Client client = clientFor(mls.serviceUrl(), inQuery);
        QVERIFY(client.http);
        QVERIFY(client.http->get(QUrl(mls.serviceUrl() + QStringLiteral("/Property?$top=1")),
                                 "application/json"));
        QVERIFY(client.http->get(QUrl(other.serviceUrl() + QStringLiteral("/Property?$top=1")),
                                 "application/json"));
        QCOMPARE(mls.requestsSeen().size(), 1);
        QVERIFY(carriesCredentials(mls.requestsSeen().at(0)));
        QCOMPARE(other.requestsSeen().size(), 1);
        QVERIFY2(!carriesCredentials(other.requestsSeen().at(0)),
                 other.requestsSeen().at(0).target.constData());
    }

    void redirectToAnotherOriginDropsCredentials_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("inQuery");
        for (int status : {301, 302, 303, 307, 308}) {
            QTest::addRow("%d, header", status) << status << false;
            QTest::addRow("%d, query", status) << status << true;
        }
    }
    void redirectToAnotherOriginDropsCredentials() {
        QFETCH(int, status);
        QFETCH(bool, inQuery);
        fake::FakeResoServer mls(bearerServer());
        fake::FakeResoServer other{fake::ServerOptions{}}; // open: answers without credentials
        QVERIFY(mls.start() && other.start());
        fake::Redirect redirect;
        redirect.status = status;
        // As a careless server might: the token copied into the Location it names.
        redirect.location = other.serviceUrl() + QStringLiteral("/Property?$top=2&access_token=") + kToken;
        mls.injectRedirect(redirect);
        Client client = clientFor(mls.serviceUrl(), inQuery);
        QVERIFY(client.http);
        const auto response =
            client.http->get(QUrl(mls.serviceUrl() + QStringLiteral("/Property?$top=2")), "application/json");
        QVERIFY2(response, response ? "" : qPrintable(response.errorMessage()));
        QCOMPARE(
            QJsonDocument::fromJson(response->body).object().value(QStringLiteral("value")).toArray().size(),
            2);
        QCOMPARE(mls.requestsSeen().size(), 1);
        QVERIFY(carriesCredentials(mls.requestsSeen().at(0)));
        QCOMPARE(other.requestsSeen().size(), 1);
        const auto& seen = other.requestsSeen().at(0);
        QVERIFY2(!carriesCredentials(seen), seen.target.constData());
        QVERIFY(!seen.target.contains(kToken.toUtf8()));
        QCOMPARE(seen.target, QByteArray("/odata/Property?$top=2"));
    }

    void redirectWithinTheOriginKeepsCredentials() {
        fake::FakeResoServer mls(bearerServer());
        QVERIFY(mls.start());
        fake::Redirect redirect;
        redirect.status = 307;
        redirect.pathContains = QStringLiteral("$top=3");
        redirect.location = mls.serviceUrl() + QStringLiteral("/Property?$top=4");
        mls.injectRedirect(redirect);
        Client client = clientFor(mls.serviceUrl(), false);
        QVERIFY(client.http);
        const auto response =
            client.http->get(QUrl(mls.serviceUrl() + QStringLiteral("/Property?$top=3")), "application/json");
        QVERIFY2(response, response ? "" : qPrintable(response.errorMessage()));
        QCOMPARE(
            QJsonDocument::fromJson(response->body).object().value(QStringLiteral("value")).toArray().size(),
            4);
        QCOMPARE(mls.requestsSeen().size(), 2);
        QVERIFY(carriesCredentials(mls.requestsSeen().at(1)));
    }

    void redirectsStopAfterFive() {
        fake::FakeResoServer mls(bearerServer());
        QVERIFY(mls.start());
        fake::Redirect redirect;
        redirect.count = 100;
        redirect.location = mls.serviceUrl() + QStringLiteral("/Property?$top=1");
        mls.injectRedirect(redirect);
        Client client = clientFor(mls.serviceUrl(), false);
        QVERIFY(client.http);
        const auto response =
            client.http->get(QUrl(mls.serviceUrl() + QStringLiteral("/Property?$top=1")), "application/json");
        QVERIFY(!response);
        QVERIFY2(response.errorMessage().contains(QLatin1String("more than 5 redirects")),
                 qPrintable(response.errorMessage()));
        QCOMPARE(response.error().httpStatus, 302);
        QCOMPARE(mls.requestCount(), 1 + HttpClient::kMaxRedirects); // not retried
    }

    void tokenRequestDoesNotFollowRedirects() {
        fake::ServerOptions options;
        options.auth = fake::AuthMode::OAuth2;
        options.clientSecret = QStringLiteral("client-secret-31337");
        fake::FakeResoServer mls(options);
        fake::FakeResoServer other(options);
        QVERIFY(mls.start() && other.start());
        fake::Redirect redirect;
        redirect.status = 307; // the one that would re-send the form
        redirect.pathContains = QStringLiteral("/token");
        redirect.location = other.tokenUrl();
        mls.injectRedirect(redirect);
        AuthConfig config;
        config.type = AuthType::OAuth2;
        config.tokenUrl = mls.tokenUrl();
        config.clientId = options.clientId;
        config.clientSecret = SecretRef::parse(options.clientSecret);
        AuthProvider auth(config, QStringLiteral("sources[0].auth"));
        QVERIFY(auth.resolveSecrets());
        HttpClient http(RetryPolicy{});
        http.setAuth(&auth);
        http.setOriginPolicy(policyFor({mls.serviceUrl(), mls.tokenUrl()}));
        const auto response =
            http.get(QUrl(mls.serviceUrl() + QStringLiteral("/Property?$top=1")), "application/json");
        QVERIFY(!response);
        QVERIFY2(response.errorMessage().contains(QLatin1String("token requests do not follow redirects")) &&
                     response.errorMessage().contains(other.tokenUrl()),
                 qPrintable(response.errorMessage()));
        QCOMPARE(other.requestCount(), 0);
        QVERIFY(!response.errorMessage().contains(options.clientSecret));
    }

    // --- nextLinks through the real CLI ---------------------------------------------------

    void nextLinkToAnotherOriginFailsTheDownload() {
        fake::FakeResoServer mls(bearerServer());
        fake::FakeResoServer other(bearerServer());
        QVERIFY(mls.start() && other.start());
        mls.setNextLinkOrigin(other.origin());
        QTemporaryDir dir;
        const QString sqlite = dir.filePath(QStringLiteral("d.sqlite"));
        const QString config =
            writeConfig(dir.path(), configWith(propertySource(mls.serviceUrl(), sqlite, false)));
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const CliResult sync = runCli(
            cliArgs(config, dataDir, {QStringLiteral("sync"), QStringLiteral("mls")}), tokenEnvironment());
        QCOMPARE(sync.exitCode, 1);
        QVERIFY2(sync.err.contains(mls.origin().toUtf8()) && sync.err.contains(other.origin().toUtf8()) &&
                     sync.err.contains("another origin") && sync.err.contains("allowedHosts"),
                 sync.err.constData());
        QCOMPARE(other.requestCount(), 0);
        // Recorded where status and the log show it.
        const QByteArray log = contentsUnder(dataDir + QStringLiteral("/logs"));
        QVERIFY2(log.contains(other.origin().toUtf8()), log.constData());
    }

    void nextLinkToAnotherHostNeedsAllowedHosts() {
        fake::FakeResoServer mls(bearerServer(45));
        QVERIFY(mls.start());
        // The same server under another name: only the Host header tells them apart.
        const QString otherName = QStringLiteral("http://localhost:%1").arg(mls.port());
        mls.setNextLinkOrigin(otherName);
        QTemporaryDir dir;
        const QString sqlite = dir.filePath(QStringLiteral("d.sqlite"));
        QJsonObject source = propertySource(mls.serviceUrl(), sqlite, false);
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        auto viaLocalhost = [&] {
            QList<fake::FakeResoServer::SeenRequest> seen;
            for (const auto& r : mls.requestsSeen())
                if (r.host.startsWith("localhost"))
                    seen << r;
            return seen;
        };

        QString config = writeConfig(dir.path(), configWith(source));
        CliResult sync = runCli(cliArgs(config, dataDir, {QStringLiteral("sync"), QStringLiteral("mls")}),
                                tokenEnvironment());
        QCOMPARE(sync.exitCode, 1);
        QVERIFY2(sync.err.contains(mls.origin().toUtf8()) && sync.err.contains(otherName.toUtf8()),
                 sync.err.constData());
        QVERIFY(viaLocalhost().isEmpty());

        // Listed (in any case), the host is the MLS's own: followed, with the credentials.
        source.insert(QStringLiteral("allowedHosts"), QJsonArray{QStringLiteral("LocalHost")});
        config = writeConfig(dir.path(), configWith(source));
        sync = runCli(cliArgs(config, dataDir, {QStringLiteral("sync"), QStringLiteral("mls")}),
                      tokenEnvironment());
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QCOMPARE(readTable(sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 45);
        const auto listed = viaLocalhost();
        QVERIFY(listed.size() >= 4);
        for (const auto& r : listed)
            QVERIFY2(carriesCredentials(r), r.target.constData());
    }

    void tokenInQueryIsNeverStored() {
        fake::ServerOptions options = bearerServer(60);
        options.flavour = fake::Flavour::Bridge;
        options.nextLinkCarriesAccessToken = true; // as Bridge does
        fake::FakeResoServer mls(options);
        QVERIFY(mls.start());
        QTemporaryDir dir;
        const QString sqlite = dir.filePath(QStringLiteral("d.sqlite"));
        QJsonObject source = propertySource(mls.serviceUrl(), sqlite, true);
        source.insert(QStringLiteral("platform"), QStringLiteral("bridge"));
        const QString config = writeConfig(dir.path(), configWith(source));
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        // The destination refuses every row, so the downloaded pages stay on disk to be read.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("refuse"));
            db.setDatabaseName(sqlite);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE Property (ListingKey TEXT PRIMARY KEY)")));
            QVERIFY(q.exec(QStringLiteral("CREATE TRIGGER refuse BEFORE INSERT ON Property "
                                          "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("refuse"));
        // Every page is downloaded before the first apply fails (each is otherwise applied as it comes).
        QProcessEnvironment env = tokenEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_AFTER_DOWNLOAD"), QStringLiteral("1"));
        const CliResult failed =
            runCli(cliArgs(config, dataDir, {QStringLiteral("sync"), QStringLiteral("mls")}), env);
        QCOMPARE(failed.exitCode, 1);
        QVERIFY2(failed.err.contains("refused by the test"), failed.err.constData());
        const QStringList pages = filesUnder(dataDir, QStringLiteral("sync_batch_*.json"));
        QCOMPARE(pages.size(), 6);
        int links = 0;
        int compressed = 0;
        for (const QString& path : pages) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray stored = file.readAll();
            const QByteArray page = fileText(path);
            QVERIFY2(page.startsWith('{'), qPrintable(path));
            links += page.contains("@odata.nextLink") ? 1 : 0;
            QVERIFY2(!page.contains(kToken.toUtf8()) && !page.contains("access_token"), qPrintable(path));
            QVERIFY2(!stored.contains(kToken.toUtf8()), qPrintable(path));
            // A page whose links lost the token is written as the text it became; the last one,
            // without a link, as the gzip the server sent.
            if (stored.startsWith("\x1f\x8b")) {
                ++compressed;
                QVERIFY2(!page.contains("@odata.nextLink"), qPrintable(path));
            }
        }
        QCOMPARE(links, 5);
        QCOMPARE(compressed, 1);
        // The token went on every request, the followed links included, and came back in the links.
        const auto seen = mls.requestsSeen();
        int withToken = 0;
        for (const auto& r : seen)
            if (r.target.contains("/Property/replication")) {
                QVERIFY2(r.target.contains(QByteArray("access_token=" + kToken.toUtf8())),
                         r.target.constData());
                QCOMPARE(r.target.count("access_token="), 1);
                ++withToken;
            }
        QCOMPARE(withToken, 6);
        const CliResult status =
            runCli(cliArgs(config, dataDir, {QStringLiteral("status"), QStringLiteral("--json")}),
                   tokenEnvironment());
        QByteArray written = contentsUnder(dataDir) + failed.out + failed.err + status.out + status.err;
        QVERIFY(written.contains("refused by the test")); // the scan does see what was written
        QVERIFY(!written.contains(kToken.toUtf8()));

        // The pages on disk are applied as they are once the destination takes rows again.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("accept"));
            db.setDatabaseName(sqlite);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("DROP TRIGGER refuse")));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("accept"));
        const CliResult resumed = runCli(
            cliArgs(config, dataDir, {QStringLiteral("sync"), QStringLiteral("mls")}), tokenEnvironment());
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QCOMPARE(readTable(sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 60);
        written = contentsUnder(dataDir) + resumed.out + resumed.err;
        QVERIFY(!written.contains(kToken.toUtf8()));
    }
};

QTEST_GUILESS_MAIN(TestOrigins)
#include "tst_origins.moc"
