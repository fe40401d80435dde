#pragma once

// Query text for Solr's standard (Lucene) query parser, as SolrDestination builds its filters.
// Values always travel as quoted phrases: on a string field a phrase is the one exact term, and
// inside quotes only `"` and `\` need escaping, so no key can change the query's meaning.
// Field names are RESO property names (letters, digits, _), which need no escaping.

#include <QByteArray>
#include <QList>
#include <QString>

namespace ors::solr {

QString phrase(QByteArrayView value);                                 // "value"
QString equals(const QString& field, QByteArrayView value);           // field:"value"
QString anyOf(const QString& field, const QList<QByteArray>& values); // field:("a" OR "b")
QString after(const QString& field, QByteArrayView value);            // field:{"value" TO *]
QString before(const QString& field, QByteArrayView value);           // field:[* TO "value"}
QString exists(const QString& field);                                 // field:[* TO *]
QString absent(const QString& field);                                 // (*:* -field:[* TO *])

} // namespace ors::solr
