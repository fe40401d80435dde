#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ors {

// The EDM primitive kinds the program stores differently. Enum and Complex come from the
// schema's own EnumType/ComplexType declarations, never from namespace-name guessing.
enum class EdmKind {
    String,
    Boolean,
    Byte,
    SByte,
    Int16,
    Int32,
    Int64,
    Decimal,
    Double,
    Single,
    Date,
    DateTimeOffset,
    TimeOfDay,
    Duration,
    Guid,
    Binary,
    Geography, // Edm.Geography*, Edm.Geometry*: stored as JSON text
    Enum,
    Complex,
    Unknown, // a type the metadata names but never declares: stored as text, with a warning
};

struct Field {
    QString name;
    QString type;        // as written in the EDMX, e.g. "Collection(Edm.String)"
    QString elementType; // the type without Collection(...), e.g. "Edm.String"
    EdmKind kind = EdmKind::Unknown;
    bool isCollection = false;
    std::optional<int> maxLength; // absent for MaxLength="max" or none
    std::optional<int> precision;
    std::optional<int> scale; // absent for Scale="variable" or none
    bool nullable = true;
    bool enumIsFlags = false; // kind == Enum and the EnumType has IsFlags="true"
};

struct NavigationProperty {
    QString name;
    QString type;       // as written, e.g. "Collection(org.reso.metadata.Media)"
    QString targetType; // unqualified entity type name, e.g. "Media"
    bool isCollection = false;
};

struct EntityType {
    QString name;      // unqualified, e.g. "Property"
    QString nameSpace; // e.g. "org.reso.metadata"
    QStringList keys;  // from <Key><PropertyRef Name=.../></Key>
    QList<Field> fields;
    QList<NavigationProperty> navigation;

    const Field* field(const QString& fieldName) const;
    const NavigationProperty* navigationProperty(const QString& navName) const;
};

struct EnumMember {
    QString name;
    QString value;
};

struct EnumType {
    QString name;
    QString nameSpace;
    QString underlyingType;
    bool isFlags = false;
    QList<EnumMember> members;
};

struct ComplexType {
    QString name;
    QString nameSpace;
    QList<Field> fields;
};

struct EntitySet {
    QString name;
    QString entityType; // unqualified
};

class Metadata {
public:
    QList<EntityType> entityTypes;
    QList<EnumType> enumTypes;
    QList<ComplexType> complexTypes;
    QList<EntitySet> entitySets;

    const EntityType* entityType(const QString& name) const;
    // A resource name is an entity set name; servers without an EntityContainer use the type name.
    const EntityType* entityTypeForResource(const QString& resource) const;
    const EnumType* enumType(const QString& qualifiedOrPlainName) const;
};

} // namespace ors
