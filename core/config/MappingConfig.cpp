#include "config/Config.h"

namespace ors {

QString columnCaseName(ColumnCase value) {
    switch (value) {
    case ColumnCase::AsIs:
        return QStringLiteral("as-is");
    case ColumnCase::SnakeCase:
        return QStringLiteral("snake_case");
    case ColumnCase::Lowercase:
        return QStringLiteral("lowercase");
    }
    return QStringLiteral("as-is");
}

std::optional<ColumnCase> columnCaseFromName(const QString& name) {
    for (const ColumnCase value : {ColumnCase::AsIs, ColumnCase::SnakeCase, ColumnCase::Lowercase})
        if (columnCaseName(value) == name)
            return value;
    return std::nullopt;
}

QString MappingConfig::tableFor(const QString& source, const QString& table) const {
    QString name = table;
    if (!tableName.isEmpty()) {
        QString sourcePart = source;
        sourcePart.replace(QLatin1Char('-'), QLatin1Char('_'));
        name = tableName;
        name.replace(QStringLiteral("{source}"), sourcePart);
        name.replace(QStringLiteral("{resource}"), table);
    }
    return tablePrefix + name;
}

} // namespace ors
