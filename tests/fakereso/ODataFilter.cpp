#include "ODataFilter.h"

#include "FilterLexer.h"
#include "JsonWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <vector>

namespace ors::fake {

using filter::FilterError;
using filter::Token;
using filter::TokenKind;

namespace {

enum class CompareOp { Eq, Ne, Gt, Ge, Lt, Le };

struct Literal {
    enum class Kind { Null, Bool, Int, Decimal, String, Instant, Date, Enum };
    Kind kind = Kind::Null;
    bool b = false;
    qint64 i = 0; // Int value, Instant nanoseconds, Date Julian day
    double d = 0;
    QString s; // String text, enum member, or an Instant as written
    QString enumType;
    int pos = 0;
};

QString describe(Literal::Kind k) {
    switch (k) {
    case Literal::Kind::Null:
        return QStringLiteral("null");
    case Literal::Kind::Bool:
        return QStringLiteral("a boolean literal");
    case Literal::Kind::Int:
        return QStringLiteral("an integer literal");
    case Literal::Kind::Decimal:
        return QStringLiteral("a decimal literal");
    case Literal::Kind::String:
        return QStringLiteral("a string literal");
    case Literal::Kind::Instant:
        return QStringLiteral("a DateTimeOffset literal");
    case Literal::Kind::Date:
        return QStringLiteral("a Date literal");
    case Literal::Kind::Enum:
        return QStringLiteral("an enum literal");
    }
    return {};
}

} // namespace

struct ODataFilter::Node {
    enum class Kind { And, Or, Not, Compare, In, Has, BoolField };
    Kind kind = Kind::Compare;
    CompareOp op = CompareOp::Eq;
    int field = -1;
    FieldType type = FieldType::String;
    bool textual = false; // a DateTimeOffset compared as text (ODataFilter::parse)
    std::vector<Literal> literals;
    QSet<QString> strings; // an 'in' list of string literals only, for a lookup instead of a scan
    std::unique_ptr<Node> a;
    std::unique_ptr<Node> b;
};

namespace {

using Node = ODataFilter::Node;

class Parser {
public:
    Parser(std::vector<Token> tokens, const EntitySchema& schema, bool textualInstants)
        : m_tokens(std::move(tokens))
        , m_schema(schema)
        , m_textualInstants(textualInstants) {}

    std::unique_ptr<Node> run() {
        if (peek().kind == TokenKind::End)
            throw FilterError{QStringLiteral("$filter is empty")};
        auto root = parseOr();
        if (peek().kind != TokenKind::End)
            throw FilterError{QStringLiteral("Unexpected '%1' at position %2 in $filter")
                                  .arg(tokenText(peek()))
                                  .arg(peek().pos)};
        return root;
    }

private:
    const Token& peek() const { return m_tokens[m_at]; }
    const Token& take() { return m_tokens[m_at < m_tokens.size() - 1 ? m_at++ : m_at]; }
    bool peekWord(const char* word) const {
        return peek().kind == TokenKind::Ident && peek().text == QLatin1String(word);
    }
    static QString tokenText(const Token& t) {
        switch (t.kind) {
        case TokenKind::LParen:
            return QStringLiteral("(");
        case TokenKind::RParen:
            return QStringLiteral(")");
        case TokenKind::Comma:
            return QStringLiteral(",");
        case TokenKind::End:
            return QStringLiteral("end of input");
        case TokenKind::String:
            return QLatin1Char('\'') + t.text + QLatin1Char('\'');
        default:
            return t.text;
        }
    }

    static std::unique_ptr<Node> binary(Node::Kind k, std::unique_ptr<Node> a, std::unique_ptr<Node> b) {
        auto n = std::make_unique<Node>();
        n->kind = k;
        n->a = std::move(a);
        n->b = std::move(b);
        return n;
    }

    std::unique_ptr<Node> parseOr() {
        auto left = parseAnd();
        while (peekWord("or")) {
            take();
            left = binary(Node::Kind::Or, std::move(left), parseAnd());
        }
        return left;
    }

    std::unique_ptr<Node> parseAnd() {
        auto left = parseUnary();
        while (peekWord("and")) {
            take();
            left = binary(Node::Kind::And, std::move(left), parseUnary());
        }
        return left;
    }

    std::unique_ptr<Node> parseUnary() {
        if (peekWord("not")) {
            take();
            return binary(Node::Kind::Not, parseUnary(), nullptr);
        }
        return parsePrimary();
    }

    static bool isKeyword(const QString& w) {
        static const QStringList words = {QStringLiteral("and"), QStringLiteral("or"), QStringLiteral("not"),
                                          QStringLiteral("eq"),  QStringLiteral("ne"), QStringLiteral("gt"),
                                          QStringLiteral("ge"),  QStringLiteral("lt"), QStringLiteral("le"),
                                          QStringLiteral("in"),  QStringLiteral("has")};
        return words.contains(w);
    }

    static bool isLiteralWord(const Token& t) {
        return t.kind == TokenKind::Ident &&
               (t.text == QLatin1String("true") || t.text == QLatin1String("false") ||
                t.text == QLatin1String("null"));
    }

    bool atLiteral() const {
        const Token& t = peek();
        return t.kind == TokenKind::String || t.kind == TokenKind::Number || t.kind == TokenKind::DateTime ||
               t.kind == TokenKind::Date || t.kind == TokenKind::EnumLiteral || isLiteralWord(t);
    }

    std::unique_ptr<Node> parsePrimary() {
        if (peek().kind == TokenKind::LParen) {
            take();
            auto inner = parseOr();
            if (peek().kind != TokenKind::RParen)
                throw FilterError{QStringLiteral("Expected ')' at position %1, found %2")
                                      .arg(peek().pos)
                                      .arg(tokenText(peek()))};
            take();
            return inner;
        }
        if (atLiteral()) {
            // literal op field: evaluate as field (mirrored op) literal.
            const Literal lit = parseLiteral();
            const Token opTok = take();
            const CompareOp op = comparisonOp(opTok);
            const int field = parseField();
            static const CompareOp mirror[] = {CompareOp::Eq, CompareOp::Ne, CompareOp::Lt,
                                               CompareOp::Le, CompareOp::Gt, CompareOp::Ge};
            return compare(field, mirror[static_cast<int>(op)], {lit});
        }
        const int field = parseField();
        const FieldDef& f = m_schema.fields[static_cast<size_t>(field)];
        const Token& next = peek();
        if (next.kind == TokenKind::Ident && next.text == QLatin1String("in")) {
            take();
            if (peek().kind != TokenKind::LParen)
                throw FilterError{QStringLiteral("Expected '(' after 'in' at position %1").arg(peek().pos)};
            take();
            std::vector<Literal> list;
            while (true) {
                list.push_back(parseLiteral());
                if (peek().kind == TokenKind::Comma) {
                    take();
                    continue;
                }
                if (peek().kind == TokenKind::RParen) {
                    take();
                    break;
                }
                throw FilterError{
                    QStringLiteral("Expected ',' or ')' in the 'in' list at position %1, found %2")
                        .arg(peek().pos)
                        .arg(tokenText(peek()))};
            }
            auto n = compare(field, CompareOp::Eq, std::move(list));
            n->kind = Node::Kind::In;
            // Reconcile asks for hundreds of keys at once; comparing each against a million
            // records one by one would make the fake server the bottleneck of a benchmark.
            if (f.type == FieldType::String &&
                std::all_of(n->literals.begin(), n->literals.end(),
                            [](const Literal& l) { return l.kind == Literal::Kind::String; }))
                for (const Literal& l : n->literals)
                    n->strings.insert(l.s);
            return n;
        }
        if (next.kind == TokenKind::Ident && next.text == QLatin1String("has")) {
            take();
            if (f.type != FieldType::FlagsEnum)
                throw FilterError{
                    QStringLiteral("'has' needs a flags enum field; '%1' is %2").arg(f.name, edmTypeName(f))};
            Literal lit = parseLiteral();
            if (lit.kind != Literal::Kind::Enum && lit.kind != Literal::Kind::String)
                throw FilterError{QStringLiteral("'has' on '%1' needs an enum literal, got %2")
                                      .arg(f.name, describe(lit.kind))};
            checkEnum(f, lit);
            auto n = std::make_unique<Node>();
            n->kind = Node::Kind::Has;
            n->field = field;
            n->type = f.type;
            n->literals.push_back(lit);
            return n;
        }
        if (next.kind == TokenKind::Ident && isComparison(next.text)) {
            const CompareOp op = comparisonOp(take());
            return compare(field, op, {parseLiteral()});
        }
        if (next.kind == TokenKind::Ident &&
            (next.text == QLatin1String("add") || next.text == QLatin1String("sub") ||
             next.text == QLatin1String("mul") || next.text == QLatin1String("div") ||
             next.text == QLatin1String("mod")))
            throw FilterError{QStringLiteral("Arithmetic operator '%1' is not supported").arg(next.text)};
        if (f.type == FieldType::Boolean) {
            auto n = std::make_unique<Node>();
            n->kind = Node::Kind::BoolField;
            n->field = field;
            n->type = f.type;
            return n;
        }
        throw FilterError{QStringLiteral("Expected a comparison operator after '%1' at position %2, found %3")
                              .arg(f.name)
                              .arg(next.pos)
                              .arg(tokenText(next))};
    }

    static bool isComparison(const QString& w) {
        return w == QLatin1String("eq") || w == QLatin1String("ne") || w == QLatin1String("gt") ||
               w == QLatin1String("ge") || w == QLatin1String("lt") || w == QLatin1String("le");
    }

    static CompareOp comparisonOp(const Token& t) {
        if (t.kind == TokenKind::Ident) {
            static const char* names[] = {"eq", "ne", "gt", "ge", "lt", "le"};
            for (int i = 0; i < 6; ++i) {
                if (t.text == QLatin1String(names[i]))
                    return static_cast<CompareOp>(i);
            }
        }
        throw FilterError{QStringLiteral("Expected a comparison operator at position %1, found %2")
                              .arg(t.pos)
                              .arg(tokenText(t))};
    }

    int parseField() {
        const Token& t = take();
        if (t.kind != TokenKind::Ident || isKeyword(t.text) || isLiteralWord(t))
            throw FilterError{QStringLiteral("Expected a field name at position %1, found %2")
                                  .arg(t.pos)
                                  .arg(tokenText(t))};
        if (peek().kind == TokenKind::LParen)
            throw FilterError{
                QStringLiteral("Unsupported function '%1' at position %2").arg(t.text).arg(t.pos)};
        if (t.text.contains(QLatin1Char('/')))
            throw FilterError{
                QStringLiteral("Navigation paths and lambda operators are not supported: '%1'").arg(t.text)};
        const int idx = m_schema.indexOf(t.text);
        if (idx < 0)
            throw FilterError{QStringLiteral("Unknown field '%1' in $filter at position %2 (entity type %3)")
                                  .arg(t.text)
                                  .arg(t.pos)
                                  .arg(m_schema.name)};
        return idx;
    }

    Literal parseLiteral() {
        const Token& t = take();
        Literal l;
        l.pos = t.pos;
        switch (t.kind) {
        case TokenKind::String:
            l.kind = Literal::Kind::String;
            l.s = t.text;
            return l;
        case TokenKind::EnumLiteral:
            l.kind = Literal::Kind::Enum;
            l.s = t.text;
            l.enumType = t.enumType;
            return l;
        case TokenKind::DateTime:
            l.kind = Literal::Kind::Instant;
            l.i = t.ns;
            l.s = t.text;
            return l;
        case TokenKind::Date:
            l.kind = Literal::Kind::Date;
            l.i = t.ns;
            return l;
        case TokenKind::Number: {
            bool ok = false;
            l.i = t.text.toLongLong(&ok);
            if (ok) {
                l.kind = Literal::Kind::Int;
                l.d = static_cast<double>(l.i);
            } else {
                l.kind = Literal::Kind::Decimal;
                l.d = t.text.toDouble(&ok);
                l.s = t.text;
            }
            return l;
        }
        case TokenKind::Ident:
            if (t.text == QLatin1String("null"))
                return l;
            if (t.text == QLatin1String("true") || t.text == QLatin1String("false")) {
                l.kind = Literal::Kind::Bool;
                l.b = t.text == QLatin1String("true");
                return l;
            }
            break;
        default:
            break;
        }
        throw FilterError{
            QStringLiteral("Expected a literal at position %1, found %2").arg(t.pos).arg(tokenText(t))};
    }

    void checkEnum(const FieldDef& f, const Literal& l) const {
        if (l.kind != Literal::Kind::Enum)
            return;
        const QString expected = QLatin1String(kEnumNamespace) + QLatin1Char('.') + f.enumName;
        if (l.enumType != expected)
            throw FilterError{QStringLiteral("Enum literal of type '%1' cannot be compared with '%2' (%3)")
                                  .arg(l.enumType, f.name, expected)};
        const EnumDef* e = ResoSchema::instance().enumDef(f.enumName);
        for (const QString& member : l.s.split(QLatin1Char(','))) {
            if (!e || !e->members.contains(member))
                throw FilterError{QStringLiteral("'%1' is not a member of %2").arg(member, expected)};
        }
    }

    std::unique_ptr<Node> compare(int field, CompareOp op, std::vector<Literal> literals) {
        const FieldDef& f = m_schema.fields[static_cast<size_t>(field)];
        if (isCollection(f.type))
            throw FilterError{
                QStringLiteral("'%1' is a collection (%2); comparing it needs any/all, which this "
                               "server does not support")
                    .arg(f.name, edmTypeName(f))};
        for (Literal& l : literals) {
            if (l.kind == Literal::Kind::Null)
                continue;
            bool ok = false;
            switch (f.type) {
            case FieldType::String:
                ok = l.kind == Literal::Kind::String;
                break;
            case FieldType::Enum:
            case FieldType::FlagsEnum:
                ok = l.kind == Literal::Kind::String || l.kind == Literal::Kind::Enum;
                checkEnum(f, l);
                break;
            case FieldType::Boolean:
                ok = l.kind == Literal::Kind::Bool;
                break;
            case FieldType::Int32:
            case FieldType::Int64:
            case FieldType::Decimal:
                ok = l.kind == Literal::Kind::Int || l.kind == Literal::Kind::Decimal;
                break;
            case FieldType::Date:
                ok = l.kind == Literal::Kind::Date;
                break;
            case FieldType::DateTimeOffset:
                ok = l.kind == Literal::Kind::Instant;
                break;
            default:
                break;
            }
            if (!ok)
                throw FilterError{QStringLiteral("Cannot compare %1 field '%2' with %3 at position %4")
                                      .arg(edmTypeName(f), f.name, describe(l.kind))
                                      .arg(l.pos)};
        }
        auto n = std::make_unique<Node>();
        n->kind = Node::Kind::Compare;
        n->op = op;
        n->field = field;
        n->type = f.type;
        n->textual = m_textualInstants && f.type == FieldType::DateTimeOffset;
        n->literals = std::move(literals);
        return n;
    }

    std::vector<Token> m_tokens;
    size_t m_at = 0;
    const EntitySchema& m_schema;
    bool m_textualInstants = false;
};

template <typename T>
int threeWay(const T& a, const T& b) {
    return a < b ? -1 : (b < a ? 1 : 0);
}

// Both non-null; the literal has passed the type check for this field.
int compareToLiteral(FieldType type, const Value& v, const Literal& l) {
    switch (type) {
    case FieldType::String:
    case FieldType::Enum:
        return std::get<QString>(v).compare(l.s);
    case FieldType::FlagsEnum:
        return std::get<QStringList>(v).join(QLatin1Char(',')).compare(l.s);
    case FieldType::Boolean:
        return threeWay(std::get<bool>(v), l.b);
    case FieldType::Int32:
    case FieldType::Int64:
        if (l.kind == Literal::Kind::Int)
            return threeWay(std::get<qint64>(v), l.i);
        return threeWay(static_cast<double>(std::get<qint64>(v)), l.d);
    case FieldType::Decimal:
        return threeWay(std::get<DecimalValue>(v).approx, l.d);
    case FieldType::Date:
        return threeWay(std::get<qint64>(v), l.i);
    case FieldType::DateTimeOffset:
        return threeWay(std::get<qint64>(v) * 1000000LL, l.i);
    default:
        return 0;
    }
}

// The text a server storing timestamps as TEXT holds: what the record is served with.
QString storedInstantText(const Record& r, int field) {
    for (const auto& [index, raw] : r.rawJson)
        if (index == field)
            return QJsonDocument::fromJson("[" + raw + "]").array().at(0).toString();
    return json::formatInstant(std::get<qint64>(r.values[static_cast<size_t>(field)]));
}

bool evalCompare(CompareOp op, const Node& n, const Record& r, const Literal& l) {
    const Value& v = r.values[static_cast<size_t>(n.field)];
    const bool vNull = isNull(v);
    const bool lNull = l.kind == Literal::Kind::Null;
    if (vNull || lNull) {
        // OData: eq/ne treat null as a value; ordering comparisons with null are false.
        if (op == CompareOp::Eq)
            return vNull && lNull;
        if (op == CompareOp::Ne)
            return !(vNull && lNull);
        return false;
    }
    const int c = n.textual ? storedInstantText(r, n.field).compare(l.s) : compareToLiteral(n.type, v, l);
    switch (op) {
    case CompareOp::Eq:
        return c == 0;
    case CompareOp::Ne:
        return c != 0;
    case CompareOp::Gt:
        return c > 0;
    case CompareOp::Ge:
        return c >= 0;
    case CompareOp::Lt:
        return c < 0;
    case CompareOp::Le:
        return c <= 0;
    }
    return false;
}

bool eval(const Node& n, const Record& r) {
    switch (n.kind) {
    case Node::Kind::And:
        return eval(*n.a, r) && eval(*n.b, r);
    case Node::Kind::Or:
        return eval(*n.a, r) || eval(*n.b, r);
    case Node::Kind::Not:
        return !eval(*n.a, r);
    case Node::Kind::BoolField: {
        const Value& v = r.values[static_cast<size_t>(n.field)];
        return !isNull(v) && std::get<bool>(v);
    }
    case Node::Kind::Has: {
        const Value& v = r.values[static_cast<size_t>(n.field)];
        if (isNull(v))
            return false;
        const QStringList& set = std::get<QStringList>(v);
        for (const QString& m : n.literals.front().s.split(QLatin1Char(','))) {
            if (!set.contains(m))
                return false;
        }
        return true;
    }
    case Node::Kind::Compare:
    case Node::Kind::In: {
        const Value& v = r.values[static_cast<size_t>(n.field)];
        if (!n.strings.isEmpty())
            return !isNull(v) && n.strings.contains(std::get<QString>(v));
        for (const Literal& l : n.literals) {
            if (evalCompare(n.op, n, r, l))
                return true;
        }
        return false;
    }
    }
    return false;
}

} // namespace

ODataFilter::ODataFilter() = default;
ODataFilter::~ODataFilter() = default;

std::shared_ptr<const ODataFilter> ODataFilter::parse(const QString& text, const EntitySchema& schema,
                                                      QString* error, bool textualInstants) {
    try {
        Parser parser(filter::tokenize(text), schema, textualInstants);
        std::shared_ptr<ODataFilter> f(new ODataFilter);
        f->m_root = parser.run();
        return f;
    } catch (const FilterError& e) {
        if (error)
            *error = e.message;
        return nullptr;
    }
}

bool ODataFilter::matches(const Record& record) const {
    return eval(*m_root, record);
}

int compareValues(FieldType type, const Value& a, const Value& b) {
    const bool an = isNull(a), bn = isNull(b);
    if (an || bn)
        return an == bn ? 0 : (an ? -1 : 1);
    switch (type) {
    case FieldType::String:
    case FieldType::Enum:
        return std::get<QString>(a).compare(std::get<QString>(b));
    case FieldType::Boolean:
        return threeWay(std::get<bool>(a), std::get<bool>(b));
    case FieldType::Int32:
    case FieldType::Int64:
    case FieldType::Date:
    case FieldType::DateTimeOffset:
        return threeWay(std::get<qint64>(a), std::get<qint64>(b));
    case FieldType::Decimal:
        return threeWay(std::get<DecimalValue>(a).approx, std::get<DecimalValue>(b).approx);
    case FieldType::FlagsEnum:
    case FieldType::StringCollection:
    case FieldType::EnumCollection:
        return std::get<QStringList>(a)
            .join(QLatin1Char(','))
            .compare(std::get<QStringList>(b).join(QLatin1Char(',')));
    }
    return 0;
}

} // namespace ors::fake
