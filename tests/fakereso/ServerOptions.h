#pragma once

#include <QString>
#include <QtGlobal>

namespace ors::fake {

enum class AuthMode { None, Bearer, OAuth2 };

struct ServerOptions {
    quint64 seed = 1;
    int listingCount = 200;
    int memberCount = 50;
    int maxPageSize = 1000;         // $top is capped to this
    int defaultPageSize = 100;      // page size without $top
    int sameTimestampGroupSize = 0; // >0: that many listings share one ModificationTimestamp
    bool trickyKeys = false;        // keys with ' + & # ; % space, non-ASCII, and keys differing only in case
    AuthMode auth = AuthMode::None;
    QString bearerToken = QStringLiteral("test-token");
    QString clientId = QStringLiteral("client");
    QString clientSecret = QStringLiteral("secret");
    int tokenLifetimeSeconds = 3600;
    int cursorLifetimeSeconds = 300; // a nextLink unused this long is forgotten (Trestle: 5 minutes)
};

struct Fault {
    enum class Kind {
        Status429,
        Status500,
        Status401,
        Slow,
        TruncatedBody,   // full Content-Length announced, half the body sent, then the socket closes
        ConnectionReset, // RST right after the request was read
        InvalidJson,     // a complete HTTP 200 whose JSON body is cut in half
        ResetMidBody,    // headers and half the body, then RST
    };
    Kind kind = Kind::Status500;
    QString pathContains; // empty: any request except /token
    int count = 1;
    int retryAfterSeconds = 1;
    int delayMs = 0;
};

} // namespace ors::fake
