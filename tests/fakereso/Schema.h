#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

namespace ors::fake {

// The value kinds the fake server distinguishes; each maps to one Edm type in $metadata.
enum class FieldType {
    String,
    Boolean,
    Int32,
    Int64,
    Decimal,
    Date,
    DateTimeOffset,
    Enum,
    FlagsEnum,
    StringCollection,
    EnumCollection,
};

struct EnumDef {
    QString name;
    bool isFlags = false;
    QStringList members;
};

struct FieldDef {
    QString name;
    FieldType type = FieldType::String;
    int maxLength = 0; // 0: not declared
    int precision = 0; // 0: not declared (a bare Edm.Decimal)
    int scale = 0;
    QString enumName;
    bool required = false; // never null in generated data
};

struct NavigationDef {
    QString name;
    QString target; // entity type name
    bool collection = false;
    QString localField; // single-valued navigations: the field holding the target's key
};

class EntitySchema {
public:
    QString name;
    QString keyField;
    std::vector<FieldDef> fields;
    std::vector<NavigationDef> navigations;

    void finalize();
    int indexOf(const QString& field) const { return m_index.value(field, -1); }
    int keyIndex() const { return m_keyIndex; }
    const NavigationDef* navigation(const QString& name) const;

private:
    QHash<QString, int> m_index;
    int m_keyIndex = -1;
};

class ResoSchema {
public:
    static const ResoSchema& instance();
    // The same schema with Property cut down for ServerOptions::lightListings.
    static const ResoSchema& light();
    // The same schema with Property fields differing from others only in case, as real servers
    // send them, for ServerOptions::caseTwinFields (CaseTwinSchema.cpp).
    static const ResoSchema& caseTwins();
    // The same schema with Property widened to `fieldCount` fields by X_Extra001... fields of
    // mixed types, for ServerOptions::propertyFieldCount (WideSchema.cpp).
    static const ResoSchema& wide(int fieldCount);

    std::vector<EnumDef> enums;
    EntitySchema property;
    EntitySchema media;
    EntitySchema member;

    const EntitySchema* entity(const QString& name) const;
    const EnumDef* enumDef(const QString& name) const;

private:
    ResoSchema();
};

QString edmTypeName(const FieldDef& field);
bool isCollection(FieldType type);

inline constexpr auto kNamespace = "org.reso.metadata";
inline constexpr auto kEnumNamespace = "org.reso.metadata.enums";

} // namespace ors::fake
