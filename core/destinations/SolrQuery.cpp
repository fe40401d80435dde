#include "destinations/SolrQuery.h"

#include <QStringList>

namespace ors::solr {

QString phrase(QByteArrayView value) {
    QString text = QString::fromUtf8(value);
    text.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    text.replace(QLatin1Char('"'), QLatin1String("\\\""));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QString equals(const QString& field, QByteArrayView value) {
    return field + QLatin1Char(':') + phrase(value);
}

QString anyOf(const QString& field, const QList<QByteArray>& values) {
    QStringList terms;
    terms.reserve(values.size());
    for (const QByteArray& value : values)
        terms.append(phrase(value));
    return field + QLatin1String(":(") + terms.join(QLatin1String(" OR ")) + QLatin1Char(')');
}

QString after(const QString& field, QByteArrayView value) {
    return field + QLatin1String(":{") + phrase(value) + QLatin1String(" TO *]");
}

QString before(const QString& field, QByteArrayView value) {
    return field + QLatin1String(":[* TO ") + phrase(value) + QLatin1Char('}');
}

QString exists(const QString& field) {
    return field + QLatin1String(":[* TO *]");
}

QString absent(const QString& field) {
    // A purely negative clause matches nothing inside a larger query: it subtracts from all.
    return QLatin1String("(*:* -") + exists(field) + QLatin1Char(')');
}

} // namespace ors::solr
