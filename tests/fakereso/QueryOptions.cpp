#include "QueryOptions.h"

#include <QSet>

namespace ors::fake {

namespace {

struct OptionError {
    QString message;
};

// Splits at separators that are outside parentheses and outside quoted strings.
QStringList splitTopLevel(const QString& text, QChar separator) {
    QStringList parts;
    int depth = 0;
    bool quoted = false;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('\''))
            quoted = !quoted; // '' toggles twice, which keeps the state right
        else if (!quoted && c == QLatin1Char('('))
            ++depth;
        else if (!quoted && c == QLatin1Char(')'))
            --depth;
        else if (!quoted && depth == 0 && c == separator) {
            parts << text.mid(start, i - start);
            start = i + 1;
        }
    }
    if (depth != 0)
        throw OptionError{QStringLiteral("Unbalanced parentheses in '%1'").arg(text)};
    parts << text.mid(start);
    return parts;
}

void parseSelect(const QString& value, const EntitySchema& schema, bool& all, std::vector<int>& out,
                 QStringList* names) {
    all = false;
    out.clear();
    for (const QString& raw : value.split(QLatin1Char(','))) {
        const QString name = raw.trimmed();
        if (name.isEmpty())
            throw OptionError{QStringLiteral("Empty item in $select '%1'").arg(value)};
        if (name == QLatin1String("*")) {
            all = true;
            continue;
        }
        const int idx = schema.indexOf(name);
        if (idx < 0) {
            if (schema.navigation(name))
                throw OptionError{QStringLiteral("'%1' is a navigation property; use $expand").arg(name)};
            throw OptionError{
                QStringLiteral("Unknown field '%1' in $select (entity type %2)").arg(name, schema.name)};
        }
        if (std::find(out.begin(), out.end(), idx) == out.end())
            out.push_back(idx);
        if (names)
            *names << name;
    }
    if (all) {
        out.clear();
        if (names)
            names->clear();
    }
}

std::vector<SortKey> parseOrderBy(const QString& value, const EntitySchema& schema) {
    std::vector<SortKey> keys;
    for (const QString& raw : value.split(QLatin1Char(','))) {
        const QStringList words = raw.trimmed().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (words.isEmpty() || words.size() > 2)
            throw OptionError{QStringLiteral("Malformed $orderby item '%1'").arg(raw)};
        SortKey k;
        k.field = schema.indexOf(words[0]);
        if (k.field < 0)
            throw OptionError{
                QStringLiteral("Unknown field '%1' in $orderby (entity type %2)").arg(words[0], schema.name)};
        if (isCollection(schema.fields[static_cast<size_t>(k.field)].type))
            throw OptionError{QStringLiteral("Cannot order by the collection '%1'").arg(words[0])};
        if (words.size() == 2) {
            if (words[1] == QLatin1String("desc"))
                k.descending = true;
            else if (words[1] != QLatin1String("asc"))
                throw OptionError{
                    QStringLiteral("Expected 'asc' or 'desc' after '%1' in $orderby, found '%2'")
                        .arg(words[0], words[1])};
        }
        keys.push_back(k);
    }
    return keys;
}

int parseTop(const QString& value, const QString& option) {
    bool ok = false;
    const int top = value.toInt(&ok);
    if (!ok || top < 0)
        throw OptionError{QStringLiteral("%1 must be a non-negative integer, got '%2'").arg(option, value)};
    return top;
}

std::shared_ptr<const ODataFilter> parseFilter(const QString& value, const EntitySchema& schema,
                                               const ParseRules& rules) {
    QString error;
    auto f = ODataFilter::parse(value, schema, &error, rules.textualInstants);
    if (!f)
        throw OptionError{error};
    return f;
}

ExpandSpec parseExpandItem(const QString& item, const EntitySchema& schema, const ParseRules& rules) {
    const QString trimmed = item.trimmed();
    const qsizetype paren = trimmed.indexOf(QLatin1Char('('));
    const QString name = paren < 0 ? trimmed : trimmed.left(paren).trimmed();
    ExpandSpec spec;
    spec.navigation = schema.navigation(name);
    if (!spec.navigation)
        throw OptionError{QStringLiteral("Unknown navigation property '%1' in $expand (entity type %2)")
                              .arg(name, schema.name)};
    spec.target = ResoSchema::instance().entity(spec.navigation->target);
    if (paren < 0)
        return spec;
    if (!trimmed.endsWith(QLatin1Char(')')))
        throw OptionError{QStringLiteral("Malformed $expand item '%1'").arg(item)};
    const QString inner = trimmed.mid(paren + 1, trimmed.size() - paren - 2);
    QSet<QString> seen;
    for (const QString& opt : splitTopLevel(inner, QLatin1Char(';'))) {
        const qsizetype eq = opt.indexOf(QLatin1Char('='));
        const QString key = opt.left(eq).trimmed();
        const QString value = eq < 0 ? QString() : opt.mid(eq + 1);
        if (eq < 0 || seen.contains(key))
            throw OptionError{
                QStringLiteral("Malformed or repeated option '%1' inside $expand(%2)").arg(opt, name)};
        seen.insert(key);
        if (key == QLatin1String("$select"))
            parseSelect(value, *spec.target, spec.selectAll, spec.select, nullptr);
        else if (key == QLatin1String("$orderby"))
            spec.orderBy = parseOrderBy(value, *spec.target);
        else if (key == QLatin1String("$filter"))
            spec.filter = parseFilter(value, *spec.target, rules);
        else if (key == QLatin1String("$top"))
            spec.top = parseTop(value, key);
        else
            throw OptionError{QStringLiteral("Unsupported option '%1' inside $expand(%2)").arg(key, name)};
    }
    return spec;
}

} // namespace

QString formDecode(QByteArray text) {
    text.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(text));
}

QList<QPair<QString, QString>> splitQuery(const QByteArray& rawQuery) {
    QList<QPair<QString, QString>> out;
    for (const QByteArray& part : rawQuery.split('&')) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        if (eq < 0)
            out.append({formDecode(part), QString()});
        else
            out.append({formDecode(part.left(eq)), formDecode(part.mid(eq + 1))});
    }
    return out;
}

std::optional<QueryOptions> parseQueryOptions(const QByteArray& rawQuery, const EntitySchema& schema,
                                              QString* error, const ParseRules& rules) {
    QueryOptions q;
    try {
        QSet<QString> seen;
        QStringList dollarOptions;
        for (const auto& [name, value] : splitQuery(rawQuery)) {
            if (!name.startsWith(QLatin1Char('$')))
                continue; // custom options such as replication=true are ignored, as vendors do
            if (seen.contains(name))
                throw OptionError{QStringLiteral("Query option %1 given more than once").arg(name)};
            seen.insert(name);
            dollarOptions << name;
            if (name == QLatin1String("$filter"))
                q.filter = parseFilter(value, schema, rules);
            else if (name == QLatin1String("$select"))
                parseSelect(value, schema, q.selectAll, q.select, &q.selectNames);
            else if (name == QLatin1String("$orderby"))
                q.orderBy = parseOrderBy(value, schema);
            else if (name == QLatin1String("$top"))
                q.top = parseTop(value, name);
            else if (name == QLatin1String("$count")) {
                if (value != QLatin1String("true") && value != QLatin1String("false"))
                    throw OptionError{QStringLiteral("$count must be true or false, got '%1'").arg(value)};
                q.count = value == QLatin1String("true");
            } else if (name == QLatin1String("$expand")) {
                for (const QString& item : splitTopLevel(value, QLatin1Char(',')))
                    q.expand.push_back(parseExpandItem(item, schema, rules));
            } else if (name == QLatin1String("$skiptoken")) {
                if (value.isEmpty())
                    throw OptionError{QStringLiteral("Empty $skiptoken")};
                q.skipToken = value;
            } else if (name == QLatin1String("$skip") && rules.allowSkip) {
                q.skip = parseTop(value, name);
            } else if (name == QLatin1String("$skip")) {
                throw OptionError{
                    QStringLiteral("$skip is not supported by this server; page with @odata.nextLink")};
            } else if (name == QLatin1String("$format")) {
                if (value != QLatin1String("json") && !value.startsWith(QLatin1String("application/json")))
                    throw OptionError{QStringLiteral("Unsupported $format '%1'").arg(value)};
            } else {
                throw OptionError{QStringLiteral("Unsupported query option '%1'").arg(name)};
            }
        }
        if (!q.skipToken.isEmpty() && dollarOptions.size() > 1)
            throw OptionError{
                QStringLiteral("A nextLink with $skiptoken must be followed as given, without other "
                               "query options (got %1)")
                    .arg(dollarOptions.join(QLatin1Char(',')))};
    } catch (const OptionError& e) {
        if (error)
            *error = e.message;
        return std::nullopt;
    }
    return q;
}

} // namespace ors::fake
