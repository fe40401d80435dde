#include "reso/MetadataParser.h"

#include <QFile>
#include <QHash>
#include <QSet>
#include <QXmlStreamReader>

namespace ors {

namespace {

using namespace Qt::StringLiterals;

std::optional<int> toOptionalInt(QStringView text) {
    // "max" (MaxLength) and "variable"/"floating" (Scale) mean "no fixed limit": absent, like no facet.
    bool ok = false;
    const int value = text.trimmed().toInt(&ok);
    if (!ok || value < 0)
        return std::nullopt;
    return value;
}

bool isTrue(QStringView text) {
    return text.trimmed().compare(u"true"_s, Qt::CaseInsensitive) == 0;
}

QString afterLastDot(const QString& qualified) {
    return qualified.mid(qualified.lastIndexOf(u'.') + 1);
}

// "Collection(X)" → X; anything else unchanged. Used for properties and navigation properties alike.
QString stripCollection(const QString& type, bool* isCollection) {
    QString trimmed = type.trimmed();
    const bool collection = trimmed.startsWith("Collection("_L1) && trimmed.endsWith(u')');
    if (isCollection)
        *isCollection = collection;
    if (!collection)
        return trimmed;
    return trimmed.mid(11, trimmed.size() - 12).trimmed();
}

std::optional<EdmKind> primitiveKind(const QString& type) {
    static const QHash<QString, EdmKind> kinds = {
        {u"Edm.String"_s, EdmKind::String},       {u"Edm.Boolean"_s, EdmKind::Boolean},
        {u"Edm.Byte"_s, EdmKind::Byte},           {u"Edm.SByte"_s, EdmKind::SByte},
        {u"Edm.Int16"_s, EdmKind::Int16},         {u"Edm.Int32"_s, EdmKind::Int32},
        {u"Edm.Int64"_s, EdmKind::Int64},         {u"Edm.Decimal"_s, EdmKind::Decimal},
        {u"Edm.Double"_s, EdmKind::Double},       {u"Edm.Single"_s, EdmKind::Single},
        {u"Edm.Date"_s, EdmKind::Date},           {u"Edm.DateTimeOffset"_s, EdmKind::DateTimeOffset},
        {u"Edm.TimeOfDay"_s, EdmKind::TimeOfDay}, {u"Edm.Duration"_s, EdmKind::Duration},
        {u"Edm.Guid"_s, EdmKind::Guid},           {u"Edm.Binary"_s, EdmKind::Binary},
    };
    const auto it = kinds.constFind(type);
    if (it != kinds.constEnd())
        return *it;
    if (type.startsWith("Edm.Geography"_L1) || type.startsWith("Edm.Geometry"_L1))
        return EdmKind::Geography;
    return std::nullopt;
}

// Everything the type resolution needs, collected while streaming because a property may name a type
// declared further down the document or in a later schema.
struct Declarations {
    QHash<QString, QString> aliasToNamespace;
    QHash<QString, bool> enumFlagsByQualifiedName;
    QHash<QString, bool> enumFlagsByPlainName;
    QSet<QString> complexQualified;
    QSet<QString> complexPlain;
    QHash<QString, QString> baseTypeByEntityQualified; // derived qualified name → base as written

    QString canonical(const QString& type) const {
        const qsizetype dot = type.lastIndexOf(u'.');
        if (dot <= 0)
            return type;
        const auto alias = aliasToNamespace.constFind(type.left(dot));
        return alias == aliasToNamespace.constEnd() ? type : *alias + type.mid(dot);
    }
};

void resolveField(Field& field, const Declarations& decl) {
    field.elementType = stripCollection(field.type, &field.isCollection);
    field.kind = EdmKind::Unknown;
    field.enumIsFlags = false;
    if (const auto primitive = primitiveKind(field.elementType)) {
        field.kind = *primitive;
        return;
    }
    const QString qualified = decl.canonical(field.elementType);
    if (const auto it = decl.enumFlagsByQualifiedName.constFind(qualified);
        it != decl.enumFlagsByQualifiedName.constEnd()) {
        field.kind = EdmKind::Enum;
        field.enumIsFlags = *it;
    } else if (decl.complexQualified.contains(qualified)) {
        field.kind = EdmKind::Complex;
    } else if (!qualified.contains(u'.')) {
        // Some servers write local type names unqualified; accept them when the name is declared.
        if (const auto plain = decl.enumFlagsByPlainName.constFind(qualified);
            plain != decl.enumFlagsByPlainName.constEnd()) {
            field.kind = EdmKind::Enum;
            field.enumIsFlags = *plain;
        } else if (decl.complexPlain.contains(qualified)) {
            field.kind = EdmKind::Complex;
        }
    }
}

class Reader {
public:
    Reader(QXmlStreamReader& xml, const QString& origin)
        : m_xml(xml)
        , m_origin(origin) {}

    Expected<Metadata> run() {
        readDocument();
        if (m_xml.hasError()) {
            if (!m_sawElement && m_xml.error() == QXmlStreamReader::PrematureEndOfDocumentError)
                return makeError(m_origin + u": the metadata document is empty"_s);
            return makeError(m_origin + u": line "_s + QString::number(m_xml.lineNumber()) + u", column "_s +
                             QString::number(m_xml.columnNumber()) + u": "_s + m_xml.errorString());
        }
        if (m_metadata.entityTypes.isEmpty())
            return makeError(m_origin + u": the metadata declares no EntityType"_s);
        resolve();
        return std::move(m_metadata);
    }

private:
    bool is(QLatin1StringView name) const { return m_xml.name() == name; }
    QString attr(QLatin1StringView name) const { return m_xml.attributes().value(name).toString(); }

    void readDocument() {
        if (!m_xml.readNextStartElement())
            return;
        m_sawElement = true;
        if (!is("Edmx"_L1)) {
            // raiseError keeps the reader's current position, so the message still names line/column.
            m_xml.raiseError(u"expected an edmx:Edmx root element, found <"_s +
                             m_xml.qualifiedName().toString() + u">"_s);
            return;
        }
        while (m_xml.readNextStartElement()) {
            if (is("DataServices"_L1))
                readDataServices();
            else
                m_xml.skipCurrentElement(); // edmx:Reference, annotations
        }
    }

    void readDataServices() {
        while (m_xml.readNextStartElement()) {
            if (is("Schema"_L1))
                readSchema();
            else
                m_xml.skipCurrentElement();
        }
    }

    void readSchema() {
        const QString nameSpace = attr("Namespace"_L1);
        const QString alias = attr("Alias"_L1);
        if (!alias.isEmpty())
            m_decl.aliasToNamespace.insert(alias, nameSpace);
        while (m_xml.readNextStartElement()) {
            if (is("EntityType"_L1))
                readEntityType(nameSpace);
            else if (is("EnumType"_L1))
                readEnumType(nameSpace);
            else if (is("ComplexType"_L1))
                readComplexType(nameSpace);
            else if (is("EntityContainer"_L1))
                readEntityContainer();
            else
                m_xml.skipCurrentElement();
        }
    }

    Field readProperty() {
        Field field;
        const QXmlStreamAttributes attributes = m_xml.attributes();
        field.name = attributes.value("Name"_L1).toString();
        field.type = attributes.value("Type"_L1).toString();
        field.maxLength = toOptionalInt(attributes.value("MaxLength"_L1));
        field.precision = toOptionalInt(attributes.value("Precision"_L1));
        field.scale = toOptionalInt(attributes.value("Scale"_L1));
        // CSDL default is nullable; only an explicit "false" changes it.
        field.nullable =
            attributes.value("Nullable"_L1).trimmed().compare(u"false"_s, Qt::CaseInsensitive) != 0;
        m_xml.skipCurrentElement(); // annotations
        return field;
    }

    void readEntityType(const QString& nameSpace) {
        EntityType type;
        type.name = attr("Name"_L1);
        type.nameSpace = nameSpace;
        const QString baseType = attr("BaseType"_L1);
        if (!baseType.isEmpty())
            m_decl.baseTypeByEntityQualified.insert(nameSpace + u'.' + type.name, baseType);
        while (m_xml.readNextStartElement()) {
            if (is("Key"_L1)) {
                while (m_xml.readNextStartElement()) {
                    if (is("PropertyRef"_L1))
                        type.keys.append(attr("Name"_L1));
                    m_xml.skipCurrentElement();
                }
            } else if (is("Property"_L1)) {
                type.fields.append(readProperty());
            } else if (is("NavigationProperty"_L1)) {
                NavigationProperty nav;
                nav.name = attr("Name"_L1);
                nav.type = attr("Type"_L1);
                nav.targetType = afterLastDot(stripCollection(nav.type, &nav.isCollection));
                type.navigation.append(nav);
                m_xml.skipCurrentElement(); // ReferentialConstraint, OnDelete, annotations
            } else {
                m_xml.skipCurrentElement();
            }
        }
        m_metadata.entityTypes.append(std::move(type));
    }

    void readEnumType(const QString& nameSpace) {
        EnumType type;
        type.name = attr("Name"_L1);
        type.nameSpace = nameSpace;
        type.underlyingType = attr("UnderlyingType"_L1);
        if (type.underlyingType.isEmpty())
            type.underlyingType = u"Edm.Int32"_s; // the CSDL default
        type.isFlags = isTrue(m_xml.attributes().value("IsFlags"_L1));
        qint64 previous = -1;
        while (m_xml.readNextStartElement()) {
            if (is("Member"_L1)) {
                EnumMember member;
                member.name = attr("Name"_L1);
                member.value = attr("Value"_L1);
                // CSDL lets members omit Value; they then count up from 0 in declaration order.
                if (member.value.isEmpty())
                    member.value = QString::number(previous + 1);
                bool ok = false;
                const qint64 numeric = member.value.toLongLong(&ok);
                previous = ok ? numeric : previous + 1;
                type.members.append(member);
            }
            m_xml.skipCurrentElement();
        }
        m_decl.enumFlagsByQualifiedName.insert(nameSpace + u'.' + type.name, type.isFlags);
        m_decl.enumFlagsByPlainName.insert(type.name, type.isFlags);
        m_metadata.enumTypes.append(std::move(type));
    }

    void readComplexType(const QString& nameSpace) {
        ComplexType type;
        type.name = attr("Name"_L1);
        type.nameSpace = nameSpace;
        while (m_xml.readNextStartElement()) {
            if (is("Property"_L1))
                type.fields.append(readProperty());
            else
                m_xml.skipCurrentElement();
        }
        m_decl.complexQualified.insert(nameSpace + u'.' + type.name);
        m_decl.complexPlain.insert(type.name);
        m_metadata.complexTypes.append(std::move(type));
    }

    void readEntityContainer() {
        while (m_xml.readNextStartElement()) {
            if (is("EntitySet"_L1)) {
                EntitySet set;
                set.name = attr("Name"_L1);
                set.entityType = afterLastDot(attr("EntityType"_L1));
                m_metadata.entitySets.append(set);
            }
            m_xml.skipCurrentElement(); // NavigationPropertyBinding, annotations
        }
    }

    // Derived entity types inherit their base's key and properties; flattening here lets every
    // consumer treat an EntityType as self-contained.
    void flattenInheritance() {
        if (m_decl.baseTypeByEntityQualified.isEmpty())
            return;
        // Parents are read from the unflattened copy so a grandparent's fields are added only once.
        const QList<EntityType> declared = m_metadata.entityTypes;
        QHash<QString, qsizetype> indexByQualified;
        for (qsizetype i = 0; i < declared.size(); ++i) {
            const EntityType& type = declared.at(i);
            indexByQualified.insert(type.nameSpace + u'.' + type.name, i);
        }
        for (EntityType& type : m_metadata.entityTypes) {
            QString base = m_decl.baseTypeByEntityQualified.value(type.nameSpace + u'.' + type.name);
            // The depth cap stops a malformed document with a BaseType cycle from looping forever.
            for (int depth = 0; !base.isEmpty() && depth < 32; ++depth) {
                const QString qualified = m_decl.canonical(base);
                const auto it = indexByQualified.constFind(qualified);
                if (it == indexByQualified.constEnd())
                    break;
                const EntityType& parent = declared.at(*it);
                if (type.keys.isEmpty())
                    type.keys = parent.keys;
                type.fields = parent.fields + type.fields;
                type.navigation = parent.navigation + type.navigation;
                base = m_decl.baseTypeByEntityQualified.value(qualified);
            }
        }
    }

    void resolve() {
        flattenInheritance();
        for (EntityType& type : m_metadata.entityTypes) {
            for (Field& field : type.fields)
                resolveField(field, m_decl);
        }
        for (ComplexType& type : m_metadata.complexTypes) {
            for (Field& field : type.fields)
                resolveField(field, m_decl);
        }
    }

    QXmlStreamReader& m_xml;
    QString m_origin;
    Metadata m_metadata;
    Declarations m_decl;
    bool m_sawElement = false;
};

} // namespace

Expected<Metadata> MetadataParser::parse(const QByteArray& xml, const QString& origin) {
    QXmlStreamReader reader(xml);
    return Reader(reader, origin).run();
}

Expected<Metadata> MetadataParser::parseFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(path + u": cannot open the metadata file: "_s + file.errorString());
    // Reading from the device keeps memory flat for very large documents.
    QXmlStreamReader reader(&file);
    return Reader(reader, path).run();
}

} // namespace ors
