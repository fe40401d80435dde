#pragma once

#include "records/Metadata.h"
#include "util/Expected.h"

#include <QByteArray>
#include <QString>

namespace ors {

// Reads an OData v4 CSDL/EDMX $metadata document into a Metadata model. Streaming, so multi-megabyte
// documents never become a DOM. Failures name the origin (URL or file) plus the line and column.
class MetadataParser {
public:
    static Expected<Metadata> parse(const QByteArray& xml, const QString& origin);
    static Expected<Metadata> parseFile(const QString& path);
};

} // namespace ors
