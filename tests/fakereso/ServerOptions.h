#pragma once

#include <QString>
#include <QtGlobal>

namespace ors::fake {

enum class AuthMode { None, Bearer, OAuth2 };
// Which platform's rules the server enforces (see ResoFlavour.cpp). StrictOData pages as the
// RESO reference server and OData 4.01 do, with no vendor rule at all (ResoStrict.cpp).
enum class Flavour { Generic, Trestle, MlsGrid, Bridge, Spark, StrictOData };
enum class QuotaHeaders { None, Trestle, Bridge };
// Broken paging (ResoPaging.cpp): from the second page on, a page's nextLink points at itself
// (Self), the second and third pages point at each other (Cycle2), or a nextLink to an empty page
// is sent forever (Endless).
enum class NextLinkLoop { None, Self, Cycle2, Endless };
// How the server answers a count (ResoPaging.cpp): @odata.count with $count=true and the /$count
// path (Both), only the path (PathOnly), or neither (None: $count=true is ignored, /$count is 404).
enum class CountSupport { Both, PathOnly, None };

struct ServerOptions {
    quint64 seed = 1;
    // PEM certificate and key: the server speaks HTTPS (serviceUrl() and the others say https).
    QString tlsCertificate;
    QString tlsKey;
    int listingCount = 200;
    int memberCount = 50;
    int maxPageSize = 1000;         // $top is capped to this
    int defaultPageSize = 100;      // page size without $top
    int sameTimestampGroupSize = 0; // >0: that many listings share one ModificationTimestamp
    bool trickyKeys = false;        // keys with ' + & # ; % space, non-ASCII, and keys differing only in case
    // Property with only ListingKey, ModificationTimestamp, StandardStatus and ListPrice, and no
    // Media: about 0.4 KB a listing instead of ~20 KB, so a million keys fit for purge and
    // reconcile benchmarks. Members are still generated (memberCount).
    bool lightListings = false;
    // Property also has "modificationtimestamp" (declared before ModificationTimestamp) and
    // "publicremarks" (after PublicRemarks), with values of their own (CaseTwinSchema.cpp).
    bool caseTwinFields = false;
    // More than the built-in Property's fields (about 130): Property gets X_Extra001... fields of
    // mixed types up to this many (WideSchema.cpp), as wide as real feeds (150-600 fields).
    // Fewer, or 0: the built-in Property. Not combined with lightListings or caseTwinFields.
    int propertyFieldCount = 0;
    AuthMode auth = AuthMode::None;
    QString bearerToken = QStringLiteral("test-token");
    QString clientId = QStringLiteral("client");
    QString clientSecret = QStringLiteral("secret");
    int tokenLifetimeSeconds = 3600;
    int cursorLifetimeSeconds = 300; // a nextLink unused this long is forgotten (Trestle: 5 minutes)
    QString username = QStringLiteral("agent");   // OAuth2 password grant
    QString password = QStringLiteral("hunter2"); // OAuth2 password grant

    // --- Platform flavour (ResoFlavour.cpp) ---
    Flavour flavour = Flavour::Generic;
    QString originatingSystemName = QStringLiteral("FakeMLS"); // MLS Grid: the one value filters must name

    // --- Rate limits and quota headers (RateGate.cpp) ---
    // Requests over a limit are answered 429, counted over sliding windows of the requests let
    // through; token requests are exempt. Retry-After goes with them unless it is negative.
    int rateLimitPerSecond = 0; // 0: no limit
    int rateLimitPerMinute = 0;
    int rateLimitRetryAfterSeconds = 1;
    // Quota headers on every response. Trestle: Minute-Quota-Limit, Hour-Quota-Limit,
    // Hour-Quota-ResetTime (Unix ms), Hour-Quota-Available, QuotaType, for an hourly quota.
    // Bridge: Burst-RateLimit-Limit/-Remaining/-Reset (a date), for a per-minute burst quota.
    // The quota is enforced with 429s; FakeResoServer::setQuotaRemaining makes it run low.
    QuotaHeaders quotaHeaders = QuotaHeaders::None;
    int quotaLimit = 0; // 0: the platform's baseline (Trestle 7,200 an hour, Bridge 334 a minute)

    // --- Paging and counts (ResoPaging.cpp); FakeResoServer can change both while it runs ---
    NextLinkLoop nextLinkLoop = NextLinkLoop::None;
    CountSupport countSupport = CountSupport::Both;
    // A page with $expand is answered this many milliseconds per record in it later (a timer:
    // other connections are served meanwhile), as a server that joins the children row by row
    // is slow on big pages: halving the page halves the wait. Any flavour; 0: no delay.
    int expandDelayMsPerRecord = 0;
    // Every page of records is answered this many milliseconds later (a timer, as above), as a
    // real MLS server's 100-1000 ms per page: what a client that overlaps requests gains on.
    int pageLatencyMs = 0;

    // --- strict-odata flavour (ResoStrict.cpp), the RESO reference server's numbers ---
    // $top limits the whole result; the page is this many records, or what
    // `Prefer: odata.maxpagesize=N` asks for, up to the cap.
    int strictDefaultPageSize = 100;
    int strictMaxPageSize = 2000;

    // --- Origins (where nextLinks lead; FakeResoServer::setNextLinkOrigin moves them) ---
    // As Bridge does: a request's access_token query parameter comes back in its nextLink.
    bool nextLinkCarriesAccessToken = false;
};

struct Fault {
    enum class Kind {
        Status429,
        Status500,
        Status502,
        Status503, // with Retry-After unless retryAfterSeconds is negative
        Status401,
        Slow,
        TruncatedBody,   // full Content-Length announced, half the body sent, then the socket closes
        ConnectionReset, // RST right after the request was read
        InvalidJson,     // a complete HTTP 200 whose JSON body is cut in half
        ResetMidBody,    // headers and half the body, then RST
        GzipBomb,        // a 200 whose 150 KB of gzip inflate to 128 MB of one page that never ends
        CorruptGzip,     // the page gzipped, whatever was asked, with its checksum wrong
        UnknownEncoding, // the page as is, labelled Content-Encoding: br
    };
    Kind kind = Kind::Status500;
    QString pathContains; // empty: any request except /token
    int count = 1;
    int retryAfterSeconds = 1; // Status429: negative sends no Retry-After
    int delayMs = 0;
};

// Answers matching requests with a redirect (FakeResoServer::injectRedirect), before any fault.
struct Redirect {
    QString pathContains; // empty: any request except /token
    int status = 302;     // 301, 302, 303, 307 or 308
    QString location;     // sent as given
    int count = 1;
};

} // namespace ors::fake
