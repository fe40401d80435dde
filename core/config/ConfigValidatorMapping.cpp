// The field-mapping keys of a destination (MappingConfig): what can be checked without the
// server's $metadata. What needs it (a rename that meets another field, a dropped key, a parent
// field the plan lacks) is checked by records/DestinationMapping when the plan is made, with the
// same key paths.
#include "config/ConfigValidator.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace ors {

namespace {

// As SchemaPlanner::isValidIdentifier: portable across SQLite, MySQL and PostgreSQL.
bool isIdentifier(const QString& name) {
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,63}$"));
    return re.match(name).hasMatch();
}

const char* const kMappingKeys[] = {"tablePrefix", "tableName",      "columnCase",       "rename",
                                    "drop",        "stripKeyPrefix", "copyParentFields", "manageSchema"};

// MLS Grid's keys carry the MLS's three-letter code ("ACT123456").
constexpr int kMlsGridPrefix = 3;

} // namespace

MappingConfig ConfigValidator::readMapping(QJsonObject& object, const QString& path) {
    MappingConfig mapping;
    mapping.keyPath = path;
    if (const auto prefix = readString(object, path, "tablePrefix", Presence::Optional)) {
        static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,47}$"));
        if (re.match(*prefix).hasMatch())
            mapping.tablePrefix = *prefix;
        else
            addError(
                childPath(path, QLatin1String("tablePrefix")),
                QStringLiteral("\"%1\" is no identifier prefix (letters, digits and _, not starting with a "
                               "digit, at most 48)")
                    .arg(*prefix));
    }
    if (const auto name = readString(object, path, "tableName", Presence::Optional)) {
        QString rest = *name;
        rest.remove(QStringLiteral("{source}"));
        rest.remove(QStringLiteral("{resource}"));
        static const QRegularExpression literal(QStringLiteral("^[A-Za-z0-9_]*$"));
        const QString keyPath = childPath(path, QLatin1String("tableName"));
        // Without {resource} every resource and expansion would share one table.
        if (!name->contains(QStringLiteral("{resource}")))
            addError(keyPath, QStringLiteral("\"%1\" must contain {resource}, or every resource would be "
                                             "written to one table")
                                  .arg(*name));
        else if (!literal.match(rest).hasMatch())
            addError(keyPath, QStringLiteral("\"%1\": only {source}, {resource}, letters, digits and _ are "
                                             "allowed")
                                  .arg(*name));
        else
            mapping.tableName = *name;
    }
    if (const auto text = readString(object, path, "columnCase", Presence::Optional)) {
        if (const auto value = columnCaseFromName(*text))
            mapping.columnCase = *value;
        else
            addError(
                childPath(path, QLatin1String("columnCase")),
                QStringLiteral("unknown value \"%1\" (expected as-is, snake_case, lowercase)").arg(*text));
    }
    if (const auto rename = readObject(object, path, "rename")) {
        const QString renamePath = childPath(path, QLatin1String("rename"));
        QHash<QString, QString> targets; // lower-case column -> field
        for (auto it = rename->begin(); it != rename->end(); ++it) {
            if (isComment(it.key()))
                continue;
            const QString keyPath = renamePath + QLatin1Char('.') + it.key();
            const QString column = it.value().toString();
            if (!it.value().isString() || !isIdentifier(column)) {
                addError(keyPath, QStringLiteral("must be a column name (letters, digits and _, not starting "
                                                 "with a digit, at most 64)"));
                continue;
            }
            if (const auto other = targets.constFind(column.toLower()); other != targets.constEnd()) {
                addError(
                    keyPath,
                    QStringLiteral("%1 and %2 are both renamed to column %3").arg(*other, it.key(), column));
                continue;
            }
            targets.insert(column.toLower(), it.key());
            mapping.rename.append({it.key(), column});
        }
    }
    if (const auto drop = readStringList(object, path, "drop")) {
        for (qsizetype i = 0; i < drop->size(); ++i) {
            const QString& field = drop->at(i);
            if (field == QLatin1String("ModificationTimestamp"))
                addError(indexPath(childPath(path, QLatin1String("drop")), i),
                         QStringLiteral("ModificationTimestamp cannot be dropped: sync starts from it, "
                                        "purge and reconcile compare it"));
            else if (std::any_of(mapping.rename.begin(), mapping.rename.end(),
                                 [&](const auto& r) { return r.first == field; }))
                addWarning(indexPath(childPath(path, QLatin1String("drop")), i),
                           QStringLiteral("%1 is renamed and dropped; it is dropped").arg(field));
            mapping.drop.append(field);
        }
    }
    const QJsonValue strip = object.value(QLatin1String("stripKeyPrefix"));
    const QString stripPath = childPath(path, QLatin1String("stripKeyPrefix"));
    if (strip.isBool()) {
        mapping.stripKeyPrefixLength = strip.toBool() ? kMlsGridPrefix : 0;
    } else if (strip.isDouble()) {
        const double n = strip.toDouble();
        if (n != std::floor(n) || n < 1 || n > 64)
            addError(stripPath, QStringLiteral("must be true, a number of characters from 1 to 64, or a "
                                               "regular expression"));
        else
            mapping.stripKeyPrefixLength = int(n);
    } else if (strip.isString()) {
        const QRegularExpression re(strip.toString());
        if (strip.toString().isEmpty() || !re.isValid())
            addError(stripPath, QStringLiteral("\"%1\" is no regular expression: %2")
                                    .arg(strip.toString(), re.errorString()));
        else
            mapping.stripKeyPrefixPattern = strip.toString();
    } else if (!strip.isUndefined()) {
        addError(
            stripPath,
            QStringLiteral("must be true, a number of characters from 1 to 64, or a regular expression"));
    }
    if (const auto copy = readStringList(object, path, "copyParentFields")) {
        for (qsizetype i = 0; i < copy->size(); ++i) {
            if (!isIdentifier(copy->at(i)))
                addError(indexPath(childPath(path, QLatin1String("copyParentFields")), i),
                         QStringLiteral("\"%1\" is no field name").arg(copy->at(i)));
            else
                mapping.copyParentFields.append(copy->at(i));
        }
    }
    if (const auto manage = readBool(object, path, "manageSchema"))
        mapping.manageSchema = *manage;
    // Read here, for every destination type; the type's own key list does not name them.
    for (const char* key : kMappingKeys) {
        recordKnownKey(path, key);
        object.remove(QLatin1String(key));
    }
    return mapping;
}

void ConfigValidator::checkMappedTables(const SourceConfig& source, const QString& sourcePath) {
    QStringList tables;
    for (const ResourceConfig& resource : source.resources) {
        tables.append(resource.name);
        for (const ExpandConfig& expand : resource.expand)
            tables.append(expand.name);
    }
    for (qsizetype d = 0; d < source.destinations.size(); ++d) {
        const MappingConfig& mapping = source.destinations.at(d).mapping;
        if (mapping.tablePrefix.isEmpty() && mapping.tableName.isEmpty())
            continue;
        const QString path = indexPath(childPath(sourcePath, QLatin1String("destinations")), d);
        for (const QString& table : std::as_const(tables)) {
            const QString mapped = mapping.tableFor(source.name, table);
            if (!isIdentifier(mapped)) {
                addError(
                    childPath(path, QLatin1String(mapping.tableName.isEmpty() ? "tablePrefix" : "tableName")),
                    QStringLiteral("table %1 would be named \"%2\", which is no identifier (at most 64 "
                                   "letters, digits and _)")
                        .arg(table, mapped));
                break;
            }
        }
    }
}

} // namespace ors
