#include "logging/Redactor.h"

#include <QMutex>
#include <QRegularExpression>
#include <QStringList>

namespace ors {

namespace {
QMutex s_mutex;
QStringList& secrets() {
    static QStringList list;
    return list;
}
} // namespace

void Redactor::addSecret(const QString& secret) {
    // Very short values would redact ordinary words; they are not credentials worth the noise.
    if (secret.size() < 4)
        return;
    QMutexLocker lock(&s_mutex);
    if (!secrets().contains(secret))
        secrets().append(secret);
}

QString Redactor::redact(QString text) {
    {
        QMutexLocker lock(&s_mutex);
        for (const QString& secret : secrets())
            text.replace(secret, QStringLiteral("***"));
    }
    return redactUrl(text);
}

QString Redactor::redactUrl(const QString& url) {
    static const QRegularExpression tokenParam(
        QStringLiteral("((?:access_token|client_secret|password|token)=)[^&\\s\"]+"),
        QRegularExpression::CaseInsensitiveOption);
    QString out = url;
    out.replace(tokenParam, QStringLiteral("\\1***"));
    return out;
}

} // namespace ors
