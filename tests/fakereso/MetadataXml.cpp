#include "MetadataXml.h"

#include <QRegularExpression>
#include <QXmlStreamWriter>

namespace ors::fake {

namespace {

// "ActiveUnderContract" -> "Active Under Contract", the DD's display names.
QString standardName(const QString& member) {
    static const QRegularExpression boundary(QStringLiteral("(?<=[a-z])(?=[A-Z])"));
    QString s = member;
    return s.replace(boundary, QStringLiteral(" "));
}

void writeEntity(QXmlStreamWriter& w, const EntitySchema& e) {
    w.writeStartElement(QStringLiteral("EntityType"));
    w.writeAttribute(QStringLiteral("Name"), e.name);
    w.writeStartElement(QStringLiteral("Key"));
    w.writeEmptyElement(QStringLiteral("PropertyRef"));
    w.writeAttribute(QStringLiteral("Name"), e.keyField);
    w.writeEndElement();
    for (const FieldDef& f : e.fields) {
        w.writeEmptyElement(QStringLiteral("Property"));
        w.writeAttribute(QStringLiteral("Name"), f.name);
        w.writeAttribute(QStringLiteral("Type"), edmTypeName(f));
        if (f.maxLength > 0)
            w.writeAttribute(QStringLiteral("MaxLength"), QString::number(f.maxLength));
        if (f.precision > 0) {
            w.writeAttribute(QStringLiteral("Precision"), QString::number(f.precision));
            w.writeAttribute(QStringLiteral("Scale"), QString::number(f.scale));
        }
        if (isCollection(f.type) || f.name == e.keyField)
            w.writeAttribute(QStringLiteral("Nullable"), QStringLiteral("false"));
    }
    for (const NavigationDef& n : e.navigations) {
        w.writeEmptyElement(QStringLiteral("NavigationProperty"));
        w.writeAttribute(QStringLiteral("Name"), n.name);
        const QString target = QLatin1String(kNamespace) + QLatin1Char('.') + n.target;
        w.writeAttribute(QStringLiteral("Type"),
                         n.collection ? QStringLiteral("Collection(") + target + QLatin1Char(')') : target);
    }
    w.writeEndElement();
}

void writeEntitySet(QXmlStreamWriter& w, const EntitySchema& e) {
    w.writeStartElement(QStringLiteral("EntitySet"));
    w.writeAttribute(QStringLiteral("Name"), e.name);
    w.writeAttribute(QStringLiteral("EntityType"), QLatin1String(kNamespace) + QLatin1Char('.') + e.name);
    for (const NavigationDef& n : e.navigations) {
        w.writeEmptyElement(QStringLiteral("NavigationPropertyBinding"));
        w.writeAttribute(QStringLiteral("Path"), n.name);
        w.writeAttribute(QStringLiteral("Target"), n.target);
    }
    w.writeEndElement();
}

} // namespace

QByteArray buildMetadataXml(const ResoSchema& schema) {
    QByteArray out;
    QXmlStreamWriter w(&out);
    w.setAutoFormatting(true);
    w.setAutoFormattingIndent(2);
    w.writeStartDocument();
    // Prefixes are written literally so the document reads like the DD files.
    w.writeStartElement(QStringLiteral("edmx:Edmx"));
    w.writeAttribute(QStringLiteral("Version"), QStringLiteral("4.0"));
    w.writeAttribute(QStringLiteral("xmlns:edmx"),
                     QStringLiteral("http://docs.oasis-open.org/odata/ns/edmx"));
    w.writeStartElement(QStringLiteral("edmx:DataServices"));

    const QString edm = QStringLiteral("http://docs.oasis-open.org/odata/ns/edm");
    w.writeStartElement(QStringLiteral("Schema"));
    w.writeAttribute(QStringLiteral("Namespace"), QLatin1String(kNamespace));
    w.writeAttribute(QStringLiteral("xmlns"), edm);
    for (const EntitySchema* e : {&schema.property, &schema.media, &schema.member})
        writeEntity(w, *e);
    w.writeStartElement(QStringLiteral("EntityContainer"));
    w.writeAttribute(QStringLiteral("Name"), QStringLiteral("Default"));
    for (const EntitySchema* e : {&schema.property, &schema.media, &schema.member})
        writeEntitySet(w, *e);
    w.writeEndElement(); // EntityContainer
    w.writeEndElement(); // Schema

    w.writeStartElement(QStringLiteral("Schema"));
    w.writeAttribute(QStringLiteral("Namespace"), QLatin1String(kEnumNamespace));
    w.writeAttribute(QStringLiteral("xmlns"), edm);
    for (const EnumDef& en : schema.enums) {
        w.writeStartElement(QStringLiteral("EnumType"));
        w.writeAttribute(QStringLiteral("Name"), en.name);
        if (en.isFlags) {
            w.writeAttribute(QStringLiteral("UnderlyingType"), QStringLiteral("Edm.Int64"));
            w.writeAttribute(QStringLiteral("IsFlags"), QStringLiteral("true"));
        }
        for (int i = 0; i < en.members.size(); ++i) {
            w.writeStartElement(QStringLiteral("Member"));
            w.writeAttribute(QStringLiteral("Name"), en.members[i]);
            w.writeAttribute(QStringLiteral("Value"),
                             QString::number(en.isFlags ? (qint64(1) << i) : qint64(i)));
            w.writeEmptyElement(QStringLiteral("Annotation"));
            w.writeAttribute(QStringLiteral("Term"), QStringLiteral("RESO.OData.Metadata.StandardName"));
            w.writeAttribute(QStringLiteral("String"), standardName(en.members[i]));
            w.writeEndElement();
        }
        w.writeEndElement();
    }
    w.writeEndElement(); // Schema
    w.writeEndElement(); // DataServices
    w.writeEndElement(); // Edmx
    w.writeEndDocument();
    return out;
}

} // namespace ors::fake
