#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace ors::fake {

struct HttpRequest {
    QByteArray method;
    QByteArray target; // as received, still percent-encoded
    QByteArray version;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;

    QByteArray header(const char* lowerName) const {
        for (const auto& [name, value] : headers) {
            if (name == lowerName)
                return value;
        }
        return {};
    }
    QByteArray path() const {
        const qsizetype q = target.indexOf('?');
        return q < 0 ? target : target.left(q);
    }
    QByteArray query() const {
        const qsizetype q = target.indexOf('?');
        return q < 0 ? QByteArray() : target.mid(q + 1);
    }
};

struct HttpResponse {
    int status = 200;
    QByteArray contentType = "application/json; charset=utf-8";
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    int delayMs = 0; // sent this much later (ServerOptions::expandDelayMsPerRecord)
};

inline QPair<QByteArray, QByteArray> header(const QByteArray& name, const QByteArray& value) {
    return {name, value};
}

} // namespace ors::fake
