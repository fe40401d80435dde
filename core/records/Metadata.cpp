#include "records/Metadata.h"

namespace ors {

namespace {

// Names are compared as written: OData identifiers are case-sensitive, and RESO servers differ only
// in case for some custom fields, so a case-insensitive match could pick the wrong one.
template <typename T>
const T* findByName(const QList<T>& items, const QString& name) {
    for (const T& item : items) {
        if (item.name == name)
            return &item;
    }
    return nullptr;
}

// Accepts "Namespace.Name" for types declared in any schema; the namespace itself contains dots, so
// the split has to be checked against each type's own namespace rather than at the last dot.
template <typename T>
const T* findByQualifiedName(const QList<T>& items, const QString& qualified) {
    for (const T& item : items) {
        if (qualified.size() == item.nameSpace.size() + 1 + item.name.size() &&
            qualified.startsWith(item.nameSpace) && qualified.at(item.nameSpace.size()) == u'.' &&
            qualified.endsWith(item.name))
            return &item;
    }
    return nullptr;
}

} // namespace

const Field* EntityType::field(const QString& fieldName) const {
    return findByName(fields, fieldName);
}

const NavigationProperty* EntityType::navigationProperty(const QString& navName) const {
    return findByName(navigation, navName);
}

const EntityType* Metadata::entityType(const QString& name) const {
    if (const EntityType* type = findByName(entityTypes, name))
        return type;
    return findByQualifiedName(entityTypes, name);
}

const EntityType* Metadata::entityTypeForResource(const QString& resource) const {
    if (const EntitySet* set = findByName(entitySets, resource)) {
        if (const EntityType* type = entityType(set->entityType))
            return type;
    }
    return entityType(resource);
}

const EnumType* Metadata::enumType(const QString& qualifiedOrPlainName) const {
    // Qualified first: two schemas may declare enums with the same plain name.
    if (const EnumType* type = findByQualifiedName(enumTypes, qualifiedOrPlainName))
        return type;
    return findByName(enumTypes, qualifiedOrPlainName);
}

} // namespace ors
