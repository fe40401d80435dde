#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace ors::fake {

// A field of a core's schema, as the Schema API lists it ("Defining Fields").
struct SolrFieldDef {
    QString name;
    QString type;
    bool multiValued = false;
    bool stored = true;
    bool indexed = true;
    bool docValues = true;
    bool required = false;
    QJsonObject toJson() const;
};

// An error answer: HTTP status, error.msg, and the Schema API's per-command details.
struct SolrError {
    int status = 400;
    QString msg;
    QJsonArray details;
};

// One core: a managed schema made from Solr's _default configset (its field types and the
// fields id, _version_, _root_, _text_), documents by unique key, and what searches see: the
// documents as of the last commit (explicit, or commitWithin elapsed), as a searcher opened then.
class SolrCore {
public:
    SolrCore() = default;
    SolrCore(QString name, QString uniqueKey);

    const QString& name() const { return m_name; }
    const QString& uniqueKey() const { return m_uniqueKey; }
    const QMap<QString, SolrFieldDef>& fields() const { return m_fields; }
    bool isKnownType(const QString& type) const { return m_types.contains(type); }
    // A configset without this field type (add-field naming it fails).
    void removeType(const QString& type) { m_types.removeAll(type); }
    void addField(const SolrFieldDef& def) { m_fields.insert(def.name, def); }

    // Schema API "add-field": all or nothing; a failure lists each command's errorMessages.
    std::optional<SolrError> addFields(const QJsonArray& commands);
    // Adds (replaces) one document, its values checked and normalized by the schema.
    std::optional<SolrError> add(const QJsonObject& doc);
    void deleteById(const QString& id);
    std::optional<SolrError> deleteByQuery(const QString& query);
    void commit() { m_visible = m_docs; }

    // The latest documents, committed or not (what a test compares), and the searchable count.
    QList<QJsonObject> documents() const { return m_docs.values(); }
    qsizetype visibleCount() const { return m_visible.size(); }

    // /select over the committed documents: q, fq (each), sort, rows, start, fl, cursorMark.
    // Returns the answer's "response" and, for a cursor, "nextCursorMark".
    struct Params {
        QString q = QStringLiteral("*:*");
        QStringList fq;
        QString sort;
        int rows = 10;
        int start = 0;
        QString fl;
        std::optional<QString> cursorMark;
    };
    struct Result {
        QJsonObject response;
        std::optional<QString> nextCursorMark;
    };
    std::variant<Result, SolrError> select(const Params& params) const;

private:
    // Orders a stored value against query text by the field's type.
    int compare(const QString& field, const QJsonValue& stored, const QString& text) const;
    std::optional<SolrError> checkFields(const QStringList& names) const;

    QString m_name;
    QString m_uniqueKey;
    QStringList m_types;
    QMap<QString, SolrFieldDef> m_fields;
    QMap<QByteArray, QJsonObject> m_docs;    // by unique key's UTF-8
    QMap<QByteArray, QJsonObject> m_visible; // as of the last commit
};

} // namespace ors::fake
