#include "SolrQuery.h"

#include <QJsonArray>

namespace ors::fake {

namespace {

using Node = SolrQueryNode;
using Occur = SolrQueryNode::Occur;

class Parser {
public:
    explicit Parser(const QString& text)
        : m_s(text) {}

    SolrQueryParse run() {
        Node node = query();
        skipSpace();
        if (m_error.isEmpty() && m_i < m_s.size())
            fail(QStringLiteral("unexpected '%1'").arg(m_s.at(m_i)));
        if (!m_error.isEmpty())
            return {std::nullopt, QStringLiteral("org.apache.solr.search.SyntaxError: Cannot parse '%1': %2")
                                      .arg(m_s, m_error)};
        return {std::move(node), {}};
    }

private:
    void fail(const QString& what) {
        if (m_error.isEmpty())
            m_error = what + QStringLiteral(" at position %1").arg(m_i);
    }
    void skipSpace() {
        while (m_i < m_s.size() && m_s.at(m_i).isSpace())
            ++m_i;
    }
    bool word(const char* w) {
        const QLatin1String text(w);
        if (!QStringView(m_s).mid(m_i).startsWith(text))
            return false;
        const qsizetype end = m_i + text.size();
        if (end < m_s.size() && !m_s.at(end).isSpace() && m_s.at(end) != QLatin1Char('('))
            return false;
        m_i = end;
        return true;
    }

    Node query() {
        Node node;
        node.kind = Node::Kind::Bool;
        bool andNext = false;
        for (;;) {
            skipSpace();
            if (!m_error.isEmpty() || m_i >= m_s.size() || m_s.at(m_i) == QLatin1Char(')'))
                break;
            if (word("AND")) {
                andNext = true;
                if (!node.clauses.isEmpty() && node.clauses.last().first == Occur::Should)
                    node.clauses.last().first = Occur::Must;
                continue;
            }
            if (word("OR"))
                continue;
            Occur occur = andNext ? Occur::Must : Occur::Should;
            andNext = false;
            if (m_s.at(m_i) == QLatin1Char('-')) {
                occur = Occur::MustNot;
                ++m_i;
            } else if (m_s.at(m_i) == QLatin1Char('+')) {
                occur = Occur::Must;
                ++m_i;
            }
            node.clauses.append({occur, primary()});
        }
        if (node.clauses.isEmpty())
            fail(QStringLiteral("empty query"));
        return node;
    }

    std::optional<QString> value() {
        skipSpace();
        if (m_i >= m_s.size()) {
            fail(QStringLiteral("missing value"));
            return std::nullopt;
        }
        if (m_s.at(m_i) == QLatin1Char('"')) {
            QString text;
            for (++m_i; m_i < m_s.size(); ++m_i) {
                const QChar c = m_s.at(m_i);
                if (c == QLatin1Char('\\') && m_i + 1 < m_s.size()) {
                    text += m_s.at(++m_i);
                } else if (c == QLatin1Char('"')) {
                    ++m_i;
                    return text;
                } else {
                    text += c;
                }
            }
            fail(QStringLiteral("unterminated phrase"));
            return std::nullopt;
        }
        QString text;
        while (m_i < m_s.size() && !m_s.at(m_i).isSpace() &&
               !QStringLiteral("()[]{}\"").contains(m_s.at(m_i)))
            text += m_s.at(m_i++);
        if (text.isEmpty())
            fail(QStringLiteral("missing value"));
        if (text == QLatin1String("*"))
            return std::nullopt; // an open end (or any value)
        return text;
    }

    Node primary() {
        skipSpace();
        if (QStringView(m_s).mid(m_i).startsWith(QLatin1String("*:*"))) {
            m_i += 3;
            return Node{};
        }
        if (m_s.at(m_i) == QLatin1Char('(')) {
            ++m_i;
            Node inner = query();
            expect(')');
            return inner;
        }
        QString field;
        while (m_i < m_s.size() && (m_s.at(m_i).isLetterOrNumber() || m_s.at(m_i) == QLatin1Char('_')))
            field += m_s.at(m_i++);
        if (field.isEmpty() || !expect(':'))
            return fail(QStringLiteral("expected a field name")), Node{};
        skipSpace();
        if (m_i < m_s.size() && m_s.at(m_i) == QLatin1Char('(')) {
            // field:(a OR b OR …)
            ++m_i;
            Node group;
            group.kind = Node::Kind::Bool;
            for (;;) {
                skipSpace();
                if (m_i >= m_s.size() || m_s.at(m_i) == QLatin1Char(')') || !m_error.isEmpty())
                    break;
                if (word("OR"))
                    continue;
                Node term;
                term.kind = Node::Kind::Term;
                term.field = field;
                term.value = value().value_or(QString());
                group.clauses.append({Occur::Should, term});
            }
            expect(')');
            return group;
        }
        if (m_i < m_s.size() && (m_s.at(m_i) == QLatin1Char('[') || m_s.at(m_i) == QLatin1Char('{'))) {
            Node range;
            range.kind = Node::Kind::Range;
            range.field = field;
            range.lowInclusive = m_s.at(m_i++) == QLatin1Char('[');
            range.low = value();
            skipSpace();
            if (!word("TO"))
                fail(QStringLiteral("expected TO"));
            range.high = value();
            skipSpace();
            if (m_i >= m_s.size() || (m_s.at(m_i) != QLatin1Char(']') && m_s.at(m_i) != QLatin1Char('}')))
                fail(QStringLiteral("expected ] or }"));
            else
                range.highInclusive = m_s.at(m_i++) == QLatin1Char(']');
            return range;
        }
        const bool quoted = m_i < m_s.size() && m_s.at(m_i) == QLatin1Char('"');
        auto text = value();
        Node node;
        if (!text && !quoted) { // field:*
            node.kind = Node::Kind::Range;
            node.field = field;
            return node;
        }
        node.kind = Node::Kind::Term;
        node.field = field;
        node.value = text.value_or(QString());
        return node;
    }

    bool expect(char c) {
        skipSpace();
        if (m_i < m_s.size() && m_s.at(m_i) == QLatin1Char(c)) {
            ++m_i;
            return true;
        }
        fail(QStringLiteral("expected '%1'").arg(QLatin1Char(c)));
        return false;
    }

    QString m_s;
    qsizetype m_i = 0;
    QString m_error;
};

bool anyValue(const QJsonValue& stored, const std::function<bool(const QJsonValue&)>& test) {
    if (stored.isArray()) {
        for (const QJsonValue& v : stored.toArray())
            if (test(v))
                return true;
        return false;
    }
    return !stored.isUndefined() && !stored.isNull() && test(stored);
}

} // namespace

SolrQueryParse parseSolrQuery(const QString& text) {
    return Parser(text).run();
}

QStringList queryFields(const SolrQueryNode& node) {
    QStringList fields;
    if (!node.field.isEmpty())
        fields.append(node.field);
    for (const auto& [occur, child] : node.clauses)
        fields += queryFields(child);
    return fields;
}

bool matchesQuery(const SolrQueryNode& node, const QJsonObject& doc, const SolrCompare& compare,
                  bool topLevel) {
    switch (node.kind) {
    case Node::Kind::All:
        return true;
    case Node::Kind::Term:
        return anyValue(doc.value(node.field),
                        [&](const QJsonValue& v) { return compare(node.field, v, node.value) == 0; });
    case Node::Kind::Range:
        return anyValue(doc.value(node.field), [&](const QJsonValue& v) {
            if (node.low) {
                const int c = compare(node.field, v, *node.low);
                if (c < 0 || (c == 0 && !node.lowInclusive))
                    return false;
            }
            if (node.high) {
                const int c = compare(node.field, v, *node.high);
                if (c > 0 || (c == 0 && !node.highInclusive))
                    return false;
            }
            return true;
        });
    case Node::Kind::Bool:
        break;
    }
    bool hasMust = false, hasShould = false, anyShould = false;
    for (const auto& [occur, child] : node.clauses) {
        const bool m = matchesQuery(child, doc, compare, false);
        switch (occur) {
        case Occur::Must:
            hasMust = true;
            if (!m)
                return false;
            break;
        case Occur::MustNot:
            if (m)
                return false;
            break;
        case Occur::Should:
            hasShould = true;
            anyShould = anyShould || m;
            break;
        }
    }
    // Only negative clauses: at the top of a query Solr matches everything else (a pure negative
    // filter); nested, Lucene matches nothing, hence "(*:* -field:[* TO *])".
    if (!hasShould)
        return hasMust || topLevel;
    return hasMust || anyShould;
}

} // namespace ors::fake
