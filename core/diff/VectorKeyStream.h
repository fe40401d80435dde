#pragma once

#include "diff/KeyOrderGuard.h"
#include "diff/SortedKeyStream.h"

#include <QList>

namespace ors {

// A SortedKeyStream over records already in memory (tests, small lists). The records must be in
// strictly increasing byte order; this is checked as they are handed out, like any other source.
class VectorKeyStream : public SortedKeyStream {
public:
    explicit VectorKeyStream(QList<KeyRecord> records, QString label = QStringLiteral("key list"));

    Expected<std::optional<KeyRecord>> next() override;

private:
    QList<KeyRecord> m_records;
    qsizetype m_pos = 0;
    KeyOrderGuard m_guard;
};

} // namespace ors
