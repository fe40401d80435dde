#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace ors::fake {

// The part of Solr's standard query parser ("The Standard Query Parser" in the Reference Guide)
// a client of this fake uses: *:*, field:"phrase", field:term, field:(a OR b), ranges
// field:[a TO b} with * for an open end, -clause, AND/OR and parentheses. Anything else is a
// syntax error, so a client that drifts from this subset fails its tests instead of passing.
struct SolrQueryNode {
    enum class Kind { All, Term, Range, Bool };
    enum class Occur { Should, Must, MustNot };
    Kind kind = Kind::All;
    QString field;
    QString value;                    // Term
    std::optional<QString> low, high; // Range; nullopt for *
    bool lowInclusive = true, highInclusive = true;
    QList<std::pair<Occur, SolrQueryNode>> clauses; // Bool
};

struct SolrQueryParse {
    std::optional<SolrQueryNode> query;
    QString error; // set when query is nullopt
};
SolrQueryParse parseSolrQuery(const QString& text);

// Every field a query names, to check them against the schema ("undefined field").
QStringList queryFields(const SolrQueryNode& node);

// Does `doc` match? `compare(field, docValue, text)` orders a stored value against query text
// by the field's type (<0, 0, >0).
using SolrCompare = std::function<int(const QString& field, const QJsonValue& stored, const QString& text)>;
bool matchesQuery(const SolrQueryNode& node, const QJsonObject& doc, const SolrCompare& compare,
                  bool topLevel = true);

} // namespace ors::fake
