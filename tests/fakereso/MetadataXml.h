#pragma once

#include "Schema.h"

#include <QByteArray>

namespace ors::fake {

// EDMX in the shape of the RESO Data Dictionary files: entity types in org.reso.metadata,
// enum types (with StandardName annotations) in org.reso.metadata.enums.
QByteArray buildMetadataXml(const ResoSchema& schema);

} // namespace ors::fake
